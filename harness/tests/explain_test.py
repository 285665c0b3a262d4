#!/usr/bin/env python3
"""explain_test.py HARNESS VECTORS: `stirmls-harness explain` for every case of the suite.

Each explanation must hold the case's why, its expected verdict (and reason), every spec ID with
its text, and the harness command that reproduces it; where it prints a reference CLI command, that
command (run from the repository root, no shell) must give the case's expected verdict and reason.
The decoded inputs are checked on a few cases of each kind. Standard library only.
"""
import glob
import json
import os
import shlex
import subprocess
import sys


def main(harness, vectors):
    cases = []
    for path in sorted(glob.glob(os.path.join(vectors, "*.json"))):
        cases += json.load(open(path, encoding="utf-8"))["cases"]
    problems, cli_runs, no_cli = [], 0, 0
    kinds_seen = set()
    p = subprocess.run([harness, "explain", "--vectors", vectors] + [c["id"] for c in cases],
                       capture_output=True, text=True)
    texts = p.stdout.split("\n\n")  # one explanation each, in order, a blank line between
    if p.returncode != 0 or len(texts) != len(cases):
        print(f"explain_test: exit {p.returncode}, {len(texts)} explanations for {len(cases)} cases: {p.stderr}")
        return 1
    bad = subprocess.run([harness, "explain", "--vectors", vectors, cases[0]["id"], "no-such/case"],
                         capture_output=True, text=True)
    if bad.returncode != 2 or bad.stdout or "no case no-such/case" not in bad.stderr:
        problems.append(f"an unknown id: exit {bad.returncode}, stdout {bad.stdout[:80]!r}, stderr {bad.stderr!r}")
    for c, out in zip(cases, texts):
        out += "\n"
        exp = c.get("expect") or c["check"]["expect"]
        want = exp["verdict"] + (" " + exp["reason"] if exp.get("reason") else "")
        for needle in [c["id"] + "\n", "why: " + c["why"], "expected: " + want,
                       f"--filter '{c['id']}'"] + [f"  {s} " for s in c["spec"]]:
            if needle not in out:
                problems.append(f"{c['id']}: explain lacks {needle!r}")
        if any("(not in docs/requirements.md)" in line for line in out.splitlines()):
            problems.append(f"{c['id']}: a spec ID without its text")
        lines = out.splitlines()
        cmd = lines[-1].strip() if lines[-1].startswith("  build/stirmls ") else None
        kind = c["kind"]
        if c.get("op") != "generate" and kind not in kinds_seen:
            kinds_seen.add(kind)
            marks = {"passport": "    claims {", "key_package": "    leaf_node:",
                     "credential": "    credential_type 0x", "cert_chain": "  chain[0]\n    subject ",
                     "group_info": "    group_context version 1", "group_message": "    content_type "}
            if marks[kind] not in out:
                problems.append(f"{c['id']}: the {kind} input is not decoded ({marks[kind]!r})")
        if not cmd:
            no_cli += 1
            continue
        r = subprocess.run(shlex.split(cmd), capture_output=True, text=True)
        cli_runs += 1
        try:
            got = json.loads(r.stdout)
        except ValueError:
            problems.append(f"{c['id']}: `{cmd}` printed no JSON (exit {r.returncode}): {r.stderr.strip()[:200]}")
            continue
        if exp["verdict"] == "either":
            continue
        if got.get("verdict") != exp["verdict"] or (exp.get("reason") and got.get("reason") != exp["reason"]):
            problems.append(f"{c['id']}: `{cmd}` says {got.get('verdict')} {got.get('reason')}, the case {want}")
    for p in problems:
        print(p)
    print(f"explain_test: {len(cases)} cases explained; {cli_runs} reference CLI commands run "
          f"({no_cli} cases have none: generate, x5u_map, a token the CLI would trim), {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
