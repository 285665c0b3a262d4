#!/usr/bin/env python3
"""docs_tags.py: the documentation names the suite's real capability tags and `either` flags.

    docs_tags.py VECTORS_DIR DOC...      check; exit 1 with one line per problem
    docs_tags.py --selftest VECTORS_DIR  the check must fail on a doc that misnames a tag or a flag

The tags and flags are read from the suite (every case's `tags`; the `flag` of every `either`
expectation, a generate case's check included), never listed here, so a new family or flag only
needs its row in docs/scenarios.md. Checked:
  * docs/scenarios.md's "### tags" and "### either flags" tables name exactly the suite's tags and flags;
  * every tag list in any DOC (JSON "tags":[...], YAML tags: [...], a backquoted `needs-...`) names
    only suite tags;
  * every flag in any DOC ("flag":"...", {either: ...}, policy: {F: accept}, a YAML policy: block)
    names only suite flags.
Standard library only.
"""
import glob
import json
import os
import re
import sys
import tempfile

PLACEHOLDERS = {"FLAG", "F", "NAME"}


def suite_names(vectors_dir):
    tags, flags = set(), set()
    for path in sorted(glob.glob(os.path.join(vectors_dir, "*.json"))):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for case in doc.get("cases", []):
            tags.update(case.get("tags", []))
            for exp in (case.get("expect"), (case.get("check") or {}).get("expect")):
                if isinstance(exp, dict) and exp.get("verdict") == "either" and exp.get("flag"):
                    flags.add(exp["flag"])
    return tags, flags


def table(text, heading):
    """First-column backquoted names of the table under a '### heading' section."""
    names, inside = set(), False
    for line in text.splitlines():
        if line.startswith("#"):
            inside = line.strip() == "### " + heading
            continue
        m = re.match(r"\|\s*`([^`]+)`\s*\|", line)
        if inside and m:
            names.add(m.group(1))
    return names


def items(listing):
    return [x.strip().strip("\"'") for x in listing.split(",") if x.strip()]


def mentions(text):
    """(kind, name, line) for every tag and flag a document names outside the two tables."""
    out = []
    in_policy = False
    for no, line in enumerate(text.splitlines(), 1):
        for m in re.finditer(r'"tags"\s*:\s*\[([^\]]*)\]', line):
            out += [("tag", t, no) for t in items(m.group(1))]
        for m in re.finditer(r'(?<!")\btags:\s*\[([^\]]*)\]', line):
            out += [("tag", t, no) for t in items(m.group(1))]
        out += [("tag", t, no) for t in re.findall(r"`(needs-[A-Za-z0-9_-]+)`", line)]
        out += [("flag", f, no) for f in re.findall(r'"flag"\s*:\s*"([^"]+)"', line)]
        out += [("flag", f, no) for f in re.findall(r"\{\s*either:\s*([A-Za-z0-9_]+)\s*\}", line)]
        for m in re.finditer(r"policy:\s*\{([^}]*)\}", line):
            for k, v in re.findall(r"([A-Za-z0-9_]+)\s*:\s*([A-Za-z|]+)", m.group(1)):
                if v.split("|")[0] in ("accept", "reject"):
                    out.append(("flag", k, no))
        # a YAML block "policy:" followed by indented "FLAG: accept|reject" lines
        if re.match(r"^\s*policy:\s*(#.*)?$", line):
            in_policy = True
            continue
        m = re.match(r"^\s+([A-Za-z0-9_]+):\s*(accept|reject)\b", line)
        if in_policy and m:
            out.append(("flag", m.group(1), no))
        else:
            in_policy = False
    return [x for x in out if x[1] not in PLACEHOLDERS]


def check(vectors_dir, docs):
    tags, flags = suite_names(vectors_dir)
    problems = []
    scen = [d for d in docs if d.endswith("scenarios.md")]
    if not scen:
        problems.append("docs/scenarios.md not among the documents checked")
    for path in scen:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for what, heading, want in (("tag", "tags", tags), ("flag", "either flags", flags)):
            have = table(text, heading)
            for n in sorted(have - want):
                problems.append(f"{path}: table '{heading}' names {what} '{n}', which no case of the suite uses")
            for n in sorted(want - have):
                problems.append(f"{path}: the suite's {what} '{n}' is missing from table '{heading}'")
    for path in docs:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for kind, name, no in mentions(text):
            if name not in (tags if kind == "tag" else flags):
                known = ", ".join(sorted(tags if kind == "tag" else flags))
                problems.append(f"{path}:{no}: {kind} '{name}' is not a {kind} of the suite ({known})")
    return problems


def selftest(vectors_dir):
    tags, flags = suite_names(vectors_dir)
    assert tags and flags, "the suite has tags and flags"
    unused = next(n for n in ("not-a-tag", "not-a-tag-2", "not-a-tag-3") if n not in tags)
    rows_t = "".join(f"| `{t}` | x |\n" for t in sorted(tags))
    rows_f = "".join(f"| `{f}` | x | x |\n" for f in sorted(flags))
    good = f"### tags\n\n| tag | x |\n|---|---|\n{rows_t}\n### either flags\n\n| flag | x | x |\n{rows_f}\n"
    bad_docs = {
        "a tag in the table that the suite lacks": good.replace(rows_t, rows_t + f"| `{unused}` | x |\n"),
        "a suite tag missing from the table": good.replace(rows_t, "".join(rows_t.splitlines(True)[1:])),
        "a suite flag missing from the table": good.replace(rows_f, "".join(rows_f.splitlines(True)[1:])),
        "a hello with needs-* tags": good + '\n{"tags":["needs-passport","needs-x5u"]}\n',
        "a YAML policy block with an unknown flag": good + "\n```yaml\npolicy:\n  lenient_hex_case: accept\n```\n",
        "an inline either with an unknown flag": good + "\n`{either: lenient_hex_case}`\n",
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "scenarios.md")
        with open(path, "w", encoding="utf-8") as f:
            f.write(good)
        assert check(vectors_dir, [path]) == [], check(vectors_dir, [path])
        for what, text in bad_docs.items():
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            assert check(vectors_dir, [path]), f"not caught: {what}"
    print(f"docs_tags selftest: {len(bad_docs)} misnamed documents caught, the correct one passes")


def main(argv):
    if len(argv) == 3 and argv[1] == "--selftest":
        selftest(argv[2])
        return 0
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    problems = check(argv[1], argv[2:])
    for p in problems:
        print(p)
    if problems:
        return 1
    tags, flags = suite_names(argv[1])
    print(f"docs_tags: {len(tags)} tags and {len(flags)} either flags of the suite, "
          f"documented and named correctly in {len(argv) - 2} documents")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
