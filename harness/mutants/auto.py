"""auto.py: make mutants-auto, the generated mutants (gen.py) against the whole suite.

  /usr/bin/python3 harness/mutants/auto.py list   [--all] [--only FILE|ID ...]
  /usr/bin/python3 harness/mutants/auto.py show   ID
  /usr/bin/python3 harness/mutants/auto.py run    [--all] [--only FILE|ID ...] [--jobs 1|2] [--fresh] [--keep-killed] [--no-asan]
  /usr/bin/python3 harness/mutants/auto.py report
  /usr/bin/python3 harness/mutants/auto.py survivors [--all-survivors]   (those not yet in auto-notes.tsv)
  /usr/bin/python3 harness/mutants/auto.py rekey  REV   (notes follow their mutants to new ids)
  /usr/bin/python3 harness/mutants/auto.py selftest

The mutants are gen.py's list over ref-impl/src, sampled deterministically to SAMPLE (--all: every
one). Each mutant is applied alone to a copy of its file; that copy is compiled with the release
flags (`make print-cflags`, plus -Wno-error: a warning does not make a plausible bug impossible)
into a slot (build/mutants-auto/slotN: the release objects of build/ copied once, as
harness/mutants/run.sh does), `make O=slot` re-archives and relinks, and the harness runs the whole
suite against `slot/stirmls serve` with --strict-reasons --strict-outcome and the reference's expectations.
A mutant that survives is built a second time, into an ASan+UBSan slot (build/debug's objects, the
debug profile's flags: asan-slotN), and the suite runs again against that build, as make check-suite
runs it twice: a read or write out of bounds that gives no wrong verdict is a crash there (--no-asan
skips this stage). Outcomes: killed (an unexpected result; also a crash, a timeout or a protocol error), survived,
stillborn (does not compile: not counted) and same-object (the stripped object is byte-identical to
the original's: equivalent by construction, not run). One JSON file per mutant in
build/mutants-auto/results/ is the resume journal: a result is reused while the mutant's
fingerprint (file contents and edit) and the suite's digest (vectors/, expectations) are unchanged;
--keep-killed also reuses kills made against an older suite (valid when cases were only added);
--fresh ignores every earlier result. `report` writes reports/mutants/auto.md, taking the analysis
of survivors from harness/mutants/auto-notes.tsv (id, equivalent|unreachable|needs-case, text).
"""
import concurrent.futures as cf
import glob
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402

SAMPLE = 500
B = "build"
W = "build/mutants-auto"
RESULTS = f"{W}/results"
NOTES = "harness/mutants/auto-notes.tsv"
REPORT = "reports/mutants/auto.md"
HARNESS_TIMEOUT = 180  # seconds for one whole suite run (an unmutated run takes about 1 s)


def selected(args):
    ms = gen.generate()
    if "--all" not in args:
        ms = gen.sample(ms, SAMPLE)
    only = [a for i, a in enumerate(args) if i > 0 and args[i - 1] == "--only"]
    if only:
        ms = [m for m in ms if any(m.id.startswith(o) or m.file == o or m.file.endswith("/" + o)
                                   or f"{gen.SRC_ROOT}/{m.file}" == o for o in only)]
    return ms


def fingerprint(m, src):
    h = hashlib.sha256(src.encode())
    h.update(repr((m.op, m.edits)).encode())
    return h.hexdigest()[:16]


def suite_digest():
    h = hashlib.sha256()
    for p in sorted(glob.glob("vectors/*.json")) + ["harness/expectations/stirmls.yaml"]:
        with open(p, "rb") as f:
            h.update(p.encode() + b"\0" + f.read())
    return h.hexdigest()[:16]


def read_src(rel):
    with open(f"{gen.SRC_ROOT}/{rel}") as f:
        return f.read()


PROFILES = {"release": (B, "slot"), "debug": (f"{B}/debug", "asan-slot")}


class Runner:
    """One profile's slots: release (the first stage) or debug (ASan+UBSan, the second stage, run only
    for mutants that survive the release build, as make check-suite runs the suite twice)."""

    def __init__(self, jobs, profile="release"):
        self.profile = profile
        self.base, slot = PROFILES[profile]
        self.cflags = shlex.split(subprocess.run(
            ["make", "-s", "--no-print-directory", f"PROFILE={profile}", "print-cflags"], check=True,
            capture_output=True, text=True).stdout) + ["-Wno-error"]
        self.cc = os.environ.get("CC", "cc")
        self.slots = [f"{W}/{slot}{i}" for i in range(jobs)]
        self.free = list(self.slots)
        self.lock = threading.Lock()
        self.tce = {}
        self.prepared = False

    def prepare(self):
        with self.lock:
            if self.prepared:
                return
            if self.profile != "release":
                subprocess.run(["make", "-s", "--no-print-directory", f"PROFILE={self.profile}", "all"],
                               check=True, capture_output=True)
            for s in self.slots:
                shutil.rmtree(s, ignore_errors=True)
                os.makedirs(f"{s}/ref-impl")
                shutil.copytree(f"{self.base}/gen", f"{s}/gen", symlinks=True)
                for d in ("src", "cli"):
                    shutil.copytree(f"{self.base}/ref-impl/{d}", f"{s}/ref-impl/{d}", symlinks=True)
                self.link(s)
                st, cases = self.suite(s)
                if st != "survived":
                    sys.exit(f"mutants-auto: the unmutated build in {s} does not pass the suite ({st}: {cases[:3]})")
            self.prepared = True

    def link(self, slot):
        r = subprocess.run(["make", "-s", "--no-print-directory", f"PROFILE={self.profile}", f"O={slot}",
                            f"{slot}/stirmls"], capture_output=True, text=True)
        if r.returncode:
            sys.exit(f"mutants-auto: relinking {slot} failed:\n{r.stdout}{r.stderr}")

    def stripped(self, obj):
        r = subprocess.run(["objcopy", "--strip-debug", obj, obj + ".s"], capture_output=True)
        if r.returncode:
            return None
        with open(obj + ".s", "rb") as f:
            return f.read()

    def baseline(self, rel, src):
        """The stripped object of the unmutated file, compiled the way mutants are."""
        with self.lock:
            if rel in self.tce:
                return self.tce[rel]
        d = f"{W}/tce/{os.path.dirname(rel)}"
        os.makedirs(d, exist_ok=True)
        p = f"{W}/tce/{rel}"
        with open(p, "w") as f:
            f.write(src)
        self.compile_in(rel, p, p[:-2] + ".o")
        obj = self.stripped(p[:-2] + ".o")
        with self.lock:
            self.tce[rel] = obj
        return obj

    def compile_in(self, rel, path, out):
        r = subprocess.run([self.cc] + self.cflags + ["-iquote", f"{gen.SRC_ROOT}/{os.path.dirname(rel)}",
                                                      "-c", path, "-o", out], capture_output=True, text=True)
        return r

    def suite(self, slot):
        out = f"{slot}/report"
        shutil.rmtree(out, ignore_errors=True)
        cmd = [f"{B}/stirmls-harness", "run", "--impl", f"stirmls={slot}/stirmls serve", "--vectors", "vectors",
               "--expectations", "stirmls=harness/expectations/stirmls.yaml", "--strict-reasons", "--strict-outcome",
               "--timeout", "3", "--out", out]
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=HARNESS_TIMEOUT)
        except subprocess.TimeoutExpired:
            return "killed", ["(the whole suite run timed out)"]
        bad = []
        try:
            with open(f"{out}/results.jsonl") as f:
                for line in f:
                    rec = json.loads(line)
                    if rec.get("type") == "result" and rec.get("unexpected"):
                        seen = rec.get("reason") or rec.get("observed") or (rec.get("error") or {}).get("code")
                        bad.append(f"{rec['case']} {rec['verdict']}" + (f" ({seen})" if seen else ""))
        except (OSError, ValueError):
            pass
        if r.returncode == 0:
            return "survived", []
        if r.returncode == 1:
            return "killed", bad or [r.stdout.strip().splitlines()[0] if r.stdout.strip() else "exit 1"]
        return "error", [(r.stderr or r.stdout).strip()[:300]]

    def run_one(self, m, asan=None):
        """The release stage; a survivor then goes to the ASan stage (asan: the debug Runner)."""
        r = self.run_stage(m)
        r["stage"] = "release"
        if r["status"] == "survived" and asan is not None:
            asan.prepare()
            a = asan.run_stage(m, compare=False)
            if a["status"] in ("killed", "error"):
                r.update(status=a["status"], cases=a["cases"], n_cases=a["n_cases"], stage="asan")
            r["seconds"] = round(r["seconds"] + a["seconds"], 1)
            r["asan"] = a["status"]
        return r

    def run_stage(self, m, compare=True):
        src = read_src(m.file)
        mutated = gen.apply_edits(src, m.edits)
        with self.lock:
            slot = self.free.pop()
        try:
            t0 = time.time()
            d = f"{slot}/mut/{os.path.dirname(m.file)}"
            os.makedirs(d, exist_ok=True)
            p = f"{slot}/mut/{m.file}"
            with open(p, "w") as f:
                f.write(mutated)
            obj = f"{slot}/{gen.SRC_ROOT}/{m.file[:-2]}.o"
            r = self.compile_in(m.file, p, obj)
            if r.returncode:
                status, cases = "stillborn", [l for l in r.stderr.splitlines() if "error" in l][:2]
            elif compare and self.stripped(obj) == self.baseline(m.file, src):
                status, cases = "same-object", []
            else:
                self.link(slot)
                status, cases = self.suite(slot)
            shutil.copyfile(f"{self.base}/{gen.SRC_ROOT}/{m.file[:-2]}.o", obj)  # restored, with a new mtime
            return {"id": m.id, "status": status, "cases": cases[:8], "n_cases": len(cases),
                    "seconds": round(time.time() - t0, 1)}
        finally:
            with self.lock:
                self.free.append(slot)


def load_result(m, fp, digest, keep_killed):
    try:
        with open(f"{RESULTS}/{m.id}.json") as f:
            r = json.load(f)
    except (OSError, ValueError):
        return None
    if r.get("fingerprint") != fp or r.get("status") == "error":
        return None
    if r["status"] == "survived" and "asan" not in r:  # recorded before the ASan stage existed
        return None
    if r.get("suite") == digest or r["status"] in ("stillborn", "same-object"):
        return r
    if keep_killed and r["status"] == "killed":
        return r
    return None


def cmd_run(args):
    jobs = int(args[args.index("--jobs") + 1]) if "--jobs" in args else 2
    if not 1 <= jobs <= 2:
        sys.exit("mutants-auto: --jobs is 1 or 2 (the machine is shared)")
    ms = selected(args)
    os.makedirs(RESULTS, exist_ok=True)
    digest = suite_digest()
    todo = []
    for m in ms:
        fp = fingerprint(m, read_src(m.file))
        if "--fresh" in args or not load_result(m, fp, digest, "--keep-killed" in args):
            todo.append((m, fp))
    print(f"mutants-auto: {len(ms)} mutants selected, {len(ms) - len(todo)} results reused, {len(todo)} to run "
          f"({jobs} job{'s' if jobs > 1 else ''})", flush=True)
    if todo:
        runner = Runner(jobs)
        runner.prepare()
        asan = None if "--no-asan" in args else Runner(jobs, "debug")
        start, done = time.time(), 0
        with cf.ThreadPoolExecutor(jobs) as ex:
            futs = {ex.submit(runner.run_one, m, asan): (m, fp) for m, fp in todo}
            for fu in cf.as_completed(futs):
                m, fp = futs[fu]
                r = fu.result()
                r.update({"fingerprint": fp, "suite": digest, "file": m.file, "line": m.line, "op": m.op})
                with open(f"{RESULTS}/{m.id}.json.new", "w") as f:
                    json.dump(r, f, sort_keys=True)
                os.replace(f"{RESULTS}/{m.id}.json.new", f"{RESULTS}/{m.id}.json")
                done += 1
                el = time.time() - start
                eta = el / done * (len(todo) - done)
                how = " (under ASan)" if r.get("stage") == "asan" else ""
                print(f"[{done}/{len(todo)}] {m.id} {m.file}:{m.line} {m.op}: {r['status']}{how}"
                      f"  ({el:.0f} s, about {eta / 60:.0f} min left)", flush=True)
    if "--only" not in args:
        cmd_report(args)


def notes():
    out = {}
    if os.path.exists(NOTES):
        with open(NOTES) as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                i, kind, text = line.rstrip("\n").split("\t", 2)
                out[i] = (kind, text)
    return out


def md(s):
    return s.replace("|", "\\|").replace("`", "'")


def cmd_report(args):
    ms = selected(args)
    digest = suite_digest()
    nts = notes()
    rows = []
    for m in ms:  # a kill against an earlier suite stands (cases are added, not weakened): counted below
        r = load_result(m, fingerprint(m, read_src(m.file)), digest, True)
        rows.append((m, r["status"] if r else "not run", r))
    carried = sum(1 for _, st, r in rows if st == "killed" and r.get("suite") != digest)
    by_asan = sum(1 for _, st, r in rows if st == "killed" and r.get("stage") == "asan")
    allm = gen.generate()
    # per-operator and per-file counts
    cols = ["killed", "survived", "equivalent", "unreachable", "stillborn", "same-object", "not run"]

    def status(m, st):
        kind = nts.get(m.id, ("",))[0]
        if st == "survived" and kind in ("equivalent", "unreachable"):
            return kind
        return st

    def table(key, keys):
        lines = [f"| {key} | mutants | " + " | ".join(cols) + " | score |",
                 "|---|---:|" + "---:|" * len(cols) + "---:|"]
        tot = {c: 0 for c in cols}
        for k in keys:
            cnt = {c: 0 for c in cols}
            sel = [(m, st) for m, st, _ in rows if (m.op if key == "operator" else m.file) == k]
            for m, st in sel:
                cnt[status(m, st)] += 1
            for c in cols:
                tot[c] += cnt[c]
            den = cnt["killed"] + cnt["survived"]
            sc = f"{100 * cnt['killed'] / den:.1f}%" if den else "-"
            lines.append(f"| {k} | {len(sel)} | " + " | ".join(str(cnt[c]) for c in cols) + f" | {sc} |")
        den = tot["killed"] + tot["survived"]
        sc = f"{100 * tot['killed'] / den:.1f}%" if den else "-"
        lines.append(f"| **all** | {sum(tot.values())} | " + " | ".join(str(tot[c]) for c in cols) + f" | {sc} |")
        return lines, tot

    op_lines, tot = table("operator", [o for o in gen.OPERATORS if any(m.op == o for m, _, _ in rows)])
    file_lines, _ = table("file", sorted({m.file for m, _, _ in rows}))
    surv = [(m, r) for m, st, r in rows if st == "survived"]
    need = [m for m, _ in surv if nts.get(m.id, ("",))[0] == "needs-case"]
    unexpl = [m for m, _ in surv if m.id not in nts]
    den = tot["killed"] + tot["survived"]
    secs = sum(r["seconds"] for _, _, r in rows if r)
    out = ["# Generated mutants: the suite against mechanical faults in the reference", "",
           "Written by `make mutants-auto` (harness/mutants/gen.py lists the mutants, harness/mutants/auto.py",
           "builds and runs them; method in docs/robustness.md, section \"Generated mutants\"). Do not edit by",
           "hand: the survivors' analysis comes from harness/mutants/auto-notes.tsv.", "",
           f"- generator: {len(allm)} mutants over {len(gen.source_files())} files of ref-impl/src; "
           f"{len(ms)} {'run (every one)' if len(ms) == len(allm) else 'in the deterministic sample (gen.sample)'}",
           f"- suite: {len(glob.glob('vectors/*.json'))} families, digest {digest}; harness with `--strict-reasons --strict-outcome` "
           "and harness/expectations/stirmls.yaml",
           f"- build and run time of the recorded results, summed over mutants: {secs / 60:.0f} min "
           "(two jobs under nice 10 take about half of it in wall time)",
           f"- kills recorded against an earlier version of the suite and kept (`--keep-killed`): {carried}",
           f"- kills made only by the second stage (the mutant built with ASan+UBSan, after its release build "
           f"survived): {by_asan}",
           f"- **score: {tot['killed']} killed of {den} non-equivalent mutants = "
           f"{100 * tot['killed'] / den:.1f}%**" if den else "- score: nothing run yet",
           f"- counting the unreachable survivors as live: {tot['killed']} of {den + tot['unreachable']} = "
           f"{100 * tot['killed'] / max(1, den + tot['unreachable']):.1f}%",
           f"- survivors: {len(surv)} ({tot['equivalent']} equivalent with an argument, {tot['unreachable']} "
           f"unreachable through the protocol, {len(need)} need a case, "
           f"{len(unexpl)} not analysed yet); stillborn (do not compile, not counted): {tot['stillborn']}; "
           f"same object code as the original (equivalent by construction, not run): {tot['same-object']}"
           + (f"; not run: {tot['not run']}" if tot["not run"] else ""), "",
           "Score = killed / (killed + survived); equivalent and unreachable survivors are left out of both.",
           "Equivalent: no input can tell the mutant from the reference. Unreachable: the mutated code is not",
           "on any path the interop protocol can drive (a function the library does not call, or a branch",
           "taken only when an allocation fails; the allocation-failure sweep of the unit tests covers those).", "",
           "## Per operator", ""] + op_lines + ["", "## Per file", ""] + file_lines + [
           "", "## Survivors", "",
           "Equivalent or unreachable: the argument. Needs a case: the missing behaviour, in the RFCs' and",
           "the profile's terms.", "",
           "| id | file:line | operator | mutated line | case that kills it, or why it is equivalent |",
           "|---|---|---|---|---|"]
    for m, r in sorted(surv, key=lambda x: x[0].key()):
        kind, text = nts.get(m.id, ("", "not analysed yet"))
        label = {"equivalent": "equivalent: ", "needs-case": "needs a case: ",
                 "unreachable": "unreachable: "}.get(kind, "")
        out.append(f"| {m.id} | {m.file}:{m.line} | {m.op} | `{md(m.new)[:140]}` | {label}{md(text)} |")
    killed_noted = [m for m, st, _ in rows if st == "killed" and m.id in nts]
    if killed_noted:
        out += ["", "## Survivors of earlier runs that the suite now kills", "",
                "| id | file:line | operator | the analysis then | now killed by |", "|---|---|---|---|---|"]
        for m, st, r in rows:
            if st == "killed" and m.id in nts:
                out.append(f"| {m.id} | {m.file}:{m.line} | {m.op} | {md(nts[m.id][1])} | "
                           f"{md(', '.join(r['cases'][:3]))} |")
    os.makedirs(os.path.dirname(REPORT), exist_ok=True)
    with open(REPORT, "w") as f:
        f.write("\n".join(out) + "\n")
    print(f"mutants-auto: {REPORT}: " + (f"{tot['killed']}/{den} killed ({100 * tot['killed'] / den:.1f}%), "
                                          f"{len(surv)} survivors, {len(unexpl)} not analysed" if den else "nothing run"))


def cmd_list(args):
    for m in selected(args):
        print(f"{m.id}\t{m.file}:{m.line}:{m.col}\t{m.op}\t{m.func}\t{m.new}")


def cmd_survivors(args):
    """Every survivor of the recorded results with no analysis in auto-notes.tsv, with context."""
    digest, nts = suite_digest(), notes()
    for m in selected(args):
        src = read_src(m.file)
        r = load_result(m, fingerprint(m, src), digest, "--keep-killed" in args)
        if r and r["status"] == "survived" and (m.id not in nts or "--all-survivors" in args):
            lines = src.split("\n")
            ctx = "\n".join(f"  {i + 1:4} {lines[i]}" for i in range(max(0, m.line - 4), min(len(lines), m.line + 2)))
            print(f"{m.id} {m.file}:{m.line} {m.op} (in {m.func})\n- {m.orig}\n+ {m.new}\n{ctx}\n")


def cmd_rekey(args):
    """A mutant's id depends on its line and column, so an edit above it gives it a new id. For every
    note whose id the current source no longer has, find the mutant in the source of REV (a git
    revision) and the current mutant with the same file, function, operator and changed line text;
    rewrite the note under that id. Notes with no such mutant (the code is gone) are left as they are."""
    import tempfile
    if len(args) < 2:
        sys.exit("usage: auto.py rekey REV")
    now = {m.id: m for m in gen.generate()}
    with tempfile.TemporaryDirectory() as tmp:
        arch = subprocess.run(["git", "archive", args[1], gen.SRC_ROOT], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", tmp], input=arch.stdout, check=True)
        old = {m.id: m for m in gen.generate(os.path.join(tmp, gen.SRC_ROOT))}
    def sig(m):
        return (m.file, m.func, m.op, m.orig.strip(), m.new.strip())
    by_sig = {}
    for m in now.values():
        by_sig.setdefault(sig(m), []).append(m.id)
    with open(NOTES) as f:
        lines = f.read().split("\n")
    moved = gone = 0
    for i, line in enumerate(lines):
        if line.startswith("#") or not line.strip():
            continue
        mid = line.split("\t", 1)[0]
        if mid in now or mid not in old:
            continue
        cands = by_sig.get(sig(old[mid]), [])
        if len(cands) == 1:
            lines[i] = cands[0] + line[len(mid):]
            moved += 1
        else:
            gone += 1
    with open(NOTES, "w") as f:
        f.write("\n".join(lines))
    print(f"mutants-auto rekey: {moved} notes moved to new ids, {gone} without one matching mutant")


def cmd_show(args):
    for m in gen.generate():
        if m.id.startswith(args[1]):
            print(f"{m.id} {gen.SRC_ROOT}/{m.file}:{m.line}:{m.col} {m.op} (in {m.func})\n- {m.orig}\n+ {m.new}")
            return
    sys.exit(f"no mutant {args[1]}")


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    cmd = {"list": cmd_list, "show": cmd_show, "run": cmd_run, "report": cmd_report,
           "survivors": cmd_survivors, "rekey": cmd_rekey}.get(args[0])
    if args[0] == "selftest":
        import gen_test
        sys.exit(gen_test.main())
    if not cmd:
        sys.exit(__doc__)
    cmd(args)


if __name__ == "__main__":
    main()
