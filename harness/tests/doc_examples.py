#!/usr/bin/env python3
"""doc_examples.py: run the example commands and files the documentation shows, so they stay true.

    doc_examples.py DOC...    from the repository root; exit 1 with one line per failed example

A fenced block is run when an HTML comment (invisible when rendered) stands right before it:

    <!-- example: exit=1 stdout="judged no case" -->      a ```sh block: each line is one command,
                                                          run with sh -c from the repository root;
                                                          the last one's exit status and stdout
                                                          are checked (stdout= may be repeated)
    <!-- example-file: build/examples/adapter.py -->      the block's text is written to that file
                                                          (under build/ only), for later commands

Examples run in document order, files before the commands that use them. Every documented command
line must be runnable as written (no placeholders) in a built tree. Standard library only.
"""
import os
import re
import shlex
import subprocess
import sys

MARK = re.compile(r"^<!--\s*(example-file|example):?\s*(.*?)\s*-->\s*$")


def blocks(path):
    """(line, kind, args, text) for every marked fenced block of a document."""
    lines = open(path, encoding="utf-8").read().splitlines()
    out, i = [], 0
    while i < len(lines):
        m = MARK.match(lines[i])
        if m and i + 1 < len(lines) and lines[i + 1].startswith("```"):
            j = i + 2
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            out.append((i + 1, m.group(1), m.group(2), "\n".join(lines[i + 2:j]) + "\n"))
            i = j
        i += 1
    return out


def run_commands(where, args, text):
    want = dict(exit="0")
    stdouts = []
    for tok in shlex.split(args):
        k, _, v = tok.partition("=")
        if k == "stdout":
            stdouts.append(v)
        else:
            want[k] = v
    cmds = [c for c in text.splitlines() if c.strip() and not c.lstrip().startswith("#")]
    # a command continued with a trailing backslash is one command
    joined, cur = [], ""
    for c in cmds:
        cur += c.rstrip("\\") + " " if c.endswith("\\") else c
        if not c.endswith("\\"):
            joined.append(cur)
            cur = ""
    problems = []
    for k, cmd in enumerate(joined):
        p = subprocess.run(["sh", "-c", cmd], capture_output=True, text=True, timeout=600)
        last = k == len(joined) - 1
        if not last and p.returncode != 0:
            problems.append(f"{where}: `{cmd}` exited {p.returncode}: {p.stderr.strip()[:300]}")
            break
        if last:
            if str(p.returncode) != want["exit"]:
                problems.append(f"{where}: `{cmd}` exited {p.returncode}, the doc says {want['exit']}: "
                                f"{(p.stderr or p.stdout).strip()[:300]}")
            for s in stdouts:
                if s not in p.stdout:
                    problems.append(f"{where}: `{cmd}` stdout lacks {s!r}: {p.stdout.strip()[:300]}")
    return problems, len(joined)


def main(docs):
    problems, ran, files = [], 0, 0
    for doc in docs:
        for line, kind, args, text in blocks(doc):
            where = f"{doc}:{line}"
            if kind == "example-file":
                if not args.startswith("build/") or ".." in args:
                    problems.append(f"{where}: example files go under build/")
                    continue
                os.makedirs(os.path.dirname(args), exist_ok=True)
                with open(args, "w", encoding="utf-8") as f:
                    f.write(text)
                files += 1
            else:
                more, n = run_commands(where, args, text)
                problems += more
                ran += n
    for p in problems:
        print(p)
    if not problems:
        print(f"doc_examples: {ran} documented commands and {files} example files, as documented")
    return 1 if problems or ran == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
