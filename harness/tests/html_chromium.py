#!/usr/bin/env python3
"""html_chromium.py OUT CASE IMPL: index.html of the run in OUT rendered by headless Chromium
(Debian's `chromium`), not a DOM stub: the script runs in a real browser, and the DOM it leaves
must hold one counts line per implementation, one family row per family with one bar per
implementation, one matrix row per case; index.html#case=CASE&impl=IMPL must open that cell with
its certificates decoded and the field the case is about marked. Screenshots of both go to
OUT/index.png and OUT/details.png (PNG, checked for size). Skipped with a message when chromium is
not installed. Standard library only.
"""
import json
import os
import re
import shutil
import subprocess
import sys


def chromium(*args):
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--window-size=1400,1300", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def check_png(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: not a PNG"
    assert len(data) > 20000, f"{path}: {len(data)} bytes, a blank page?"
    return len(data)


def main(out, case, impl):
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        print("html_chromium: chromium not installed (Debian package chromium), skipped")
        return 0
    page = "file://" + os.path.abspath(os.path.join(out, "index.html"))
    report = json.load(open(os.path.join(out, "report.json"), encoding="utf-8"))
    dom = chromium("--dump-dom", page).stdout
    impls = report["implementations"]
    fams = []
    for c in report["cases"]:
        if c["family"] not in fams:
            fams.append(c["family"])
    lines = re.search(r'<ul id="impls">(.*?)</ul>', dom, re.S).group(1)
    assert len(re.findall(r"<li>", lines)) == len(impls), f"counts lines: {lines}"
    for i in impls:
        assert f"<li>{i['name']}: " in lines, f"no counts line for {i['name']}"
    ftable = re.search(r'<table id="families">.*?<tbody>(.*?)</tbody>', dom, re.S).group(1)
    rows = re.findall(r"<tr><td>([^<]*)</td>(.*?)</tr>", ftable, re.S)
    assert [r[0] for r in rows] == fams, f"family rows {[r[0] for r in rows]} != {fams}"
    for fam, cells in rows:
        assert cells.count('class="bar"') == len(impls), f"{fam}: one bar per implementation"
    matrix = re.search(r'<table id="matrix">.*?<tbody>(.*?)</tbody>', dom, re.S).group(1)
    assert matrix.count("<tr>") == len(report["cases"]), "one matrix row per case"
    shot = os.path.join(out, "index.png")
    chromium(f"--screenshot={shot}", page)
    n1 = check_png(shot)
    cell = f"{page}#case={case}&impl={impl}"
    details = re.search(r'<div id="details"[^>]*>(.*)</div>', chromium("--dump-dom", cell).stdout, re.S).group(1)
    assert f"{case} / {impl}" in details, "the cell's details are not open"
    assert "certificate: chain[0]" in details, "no decoded certificate in the details"
    assert re.search(r'<tr class="about"><th>[a-z_]+ \u25c0 this case</th>', details), "no field marked"
    shot2 = os.path.join(out, "details.png")
    chromium(f"--screenshot={shot2}", cell)
    n2 = check_png(shot2)
    print(f"html_chromium: {len(impls)} counts lines, {len(rows)} family rows, {len(report['cases'])} "
          f"matrix rows, {case} opened with its certificates; screenshots {shot} ({n1} bytes), "
          f"{shot2} ({n2} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
