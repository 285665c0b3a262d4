#!/usr/bin/python3
"""
netload.py: the load and fault test of a stirmls-interop/1 TCP service (docs/protocol.md,
"Services on a network"), on 127.0.0.1 only, bounded in count and time.

    netload.py serve  --stirmls BIN --harness BIN --vectors DIR [--clients N] [--cycles N] ...
    netload.py bridge --stirmls BIN --harness BIN --vectors DIR --adapter "CMD ..." ...

The service (`stirmls serve --listen` or `stirmls-harness bridge --listen -- ADAPTER`) runs with a
token, an --allow list and a short idle deadline. While N well-behaved clients each send every
verify request of the suite (one at a time, as the harness does) and compare every answer with
the same implementation's answer over stdio, and `stirmls-harness run --jobs 4` runs the whole
suite through the service (its results must equal a stdio run's), faulty clients run beside them:
one that connects and sends nothing, one that says hello and then nothing, one that sends half a
line and stops (all three must be cut at the idle deadline), one that sends a line over 1 MiB
(one bad_request line, then closed), one that asks for shutdown (answered, its connection closed,
the service goes on), and a loop of connect/disconnect cycles. The service's resident memory is
sampled from /proc throughout and must stay under a bound. Then: the connection cap (one more
connection gets one error line), no adapter process or connection thread left behind, a wrong or
missing token, a peer outside --allow, and SIGTERM with requests in flight (answered, then a clean
exit). Exit 0 when every check holds; each failure is printed.
Stdlib only: run it with /usr/bin/python3.
"""
import argparse
import glob
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

CAP = 64  # --max-conn of the service under test
failures = []
flock = threading.Lock()


def fail(msg):
    with flock:
        failures.append(msg)
    print("FAIL: " + msg, flush=True)


def verify_requests(vectors):
    """The verify params of every case, as the harness sends them (vectors.c, verify_params)."""
    reqs = []
    for path in sorted(glob.glob(os.path.join(vectors, "*.json"))):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for c in doc["cases"]:
            if c.get("op", "verify") != "verify":
                continue
            reqs.append({"case": c["id"], "kind": c["kind"], "at": c["at"],
                         "trust_anchors": c.get("trust_anchors", []), "input": c["input"],
                         "policy": c.get("policy", {})})
    return reqs


def line(obj):
    return (json.dumps(obj, sort_keys=True, ensure_ascii=True, separators=(",", ":")) + "\n").encode()


def strip_id(resp):
    d = json.loads(resp)
    d.pop("id", None)
    return d


def stdio_answers(cmd, reqs):
    """Every request's answer (without id) from the implementation over stdio."""
    data = b"".join(line({"id": i + 1, "op": "verify", "params": p}) for i, p in enumerate(reqs))
    out = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         timeout=300, check=False).stdout.splitlines()
    if len(out) != len(reqs):
        raise SystemExit("stdio run gave %d answers for %d requests" % (len(out), len(reqs)))
    return [strip_id(x) for x in out]


class Conn:
    def __init__(self, port, timeout=30.0):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.s.settimeout(timeout)
        self.f = self.s.makefile("rb")

    def send(self, data):
        self.s.sendall(data)

    def readline(self):
        return self.f.readline(2 << 20)

    def close(self):
        try:
            self.f.close()
            self.s.close()
        except OSError:
            pass

    def wait_eof(self):
        """Seconds until the service closes the connection (data before it is discarded)."""
        t0 = time.monotonic()
        try:
            while self.s.recv(65536):
                pass
        except OSError:
            pass
        return time.monotonic() - t0


def hello(token, i=1):
    return line({"id": i, "op": "hello", "params": {"token": token} if token else {}})


# ---- the clients ---------------------------------------------------------------------------


def good_client(k, port, token, reqs, want, counts, stride):
    """Every request (stride 1), or every stride-th from the k-th on (a slow adapter)."""
    pick = [i for i in range(len(reqs)) if i % stride == k % stride]
    try:
        c = Conn(port)
        c.send(hello(token))
        h = json.loads(c.readline())
        if "result" not in h:
            fail("client %d: hello answered %s" % (k, h))
            return
        for i in pick:
            p = reqs[i]
            c.send(line({"id": i + 2, "op": "verify", "params": p}))
            got = c.readline()
            if not got.endswith(b"\n"):
                fail("client %d: %s: connection lost (%r)" % (k, p["case"], got[:200]))
                return
            d = json.loads(got)
            if d.get("id") != i + 2:
                fail("client %d: %s: id %s, want %d" % (k, p["case"], d.get("id"), i + 2))
                return
            d.pop("id")
            if d != want[i]:
                fail("client %d: %s: answer differs from stdio: %s vs %s" % (k, p["case"], d, want[i]))
            with flock:
                counts["answers"] += 1
        c.send(line({"id": len(reqs) + 2, "op": "shutdown", "params": {}}))
        if json.loads(c.readline()).get("result") != {}:
            fail("client %d: shutdown not answered {}" % k)
        if c.wait_eof() > 2:
            fail("client %d: connection not closed after shutdown" % k)
        c.close()
    except (OSError, ValueError) as e:
        fail("client %d: %s" % (k, e))


def stuck_client(name, port, token, pre, idle, slack, results):
    """Connect, send pre (maybe nothing, a hello or half a line), then nothing: must be cut."""
    try:
        c = Conn(port, timeout=idle + slack + 10)
        if pre:
            c.send(pre)
        if pre.endswith(b"\n"):
            c.readline()
        t = c.wait_eof()
        c.close()
        results[name] = t
        if not idle - 0.5 <= t <= idle + slack:
            fail("%s client: cut after %.1f s, want about %d s" % (name, t, idle))
    except OSError as e:
        fail("%s client: %s" % (name, e))


def long_line_client(port):
    try:
        c = Conn(port)
        c.send(b"x" * ((1 << 20) + 16) + b"\n")
        d = json.loads(c.readline())
        if d.get("id") is not None or d.get("error", {}).get("code") != "bad_request":
            fail("long line: answered %s, want a bad_request with id null" % d)
        if c.wait_eof() > 2:
            fail("long line: connection not closed after the error")
        c.close()
    except (OSError, ValueError) as e:
        fail("long line client: %s" % e)


def shutdown_client(port, token):
    try:
        c = Conn(port)
        c.send(hello(token) + line({"id": 2, "op": "shutdown", "params": {}}))
        c.readline()
        if json.loads(c.readline()).get("result") != {}:
            fail("shutdown client: not answered {}")
        if c.wait_eof() > 2:
            fail("shutdown client: connection not closed after shutdown")
        c.close()
    except (OSError, ValueError) as e:
        fail("shutdown client: %s" % e)


def cycles_client(port, token, n):
    for i in range(n):
        try:
            c = Conn(port)
            if i % 50 == 0:
                c.send(hello(token))
                got = c.readline()
                if "result" not in json.loads(got or b"{}"):
                    fail("cycle %d: hello answered %r" % (i, got[:200]))
            c.close()
        except (OSError, ValueError) as e:
            fail("cycle %d: %s" % (i, e))
            return


def proc_status(pid, key, missing=0):
    """A number of /proc/PID/status (VmRSS in KiB, Threads)."""
    try:
        with open("/proc/%d/status" % pid, encoding="ascii") as f:
            for ln in f:
                if ln.startswith(key + ":"):
                    return int(ln.split()[1])
    except OSError:
        pass
    return missing


def rss_kb(pid):
    return proc_status(pid, "VmRSS")


def proc_threads(pid):
    return proc_status(pid, "Threads", -1)


def children(pid):
    """Processes whose parent is pid (the bridge's adapters)."""
    kids = []
    for st in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(st, encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                kids.append(int(st.split("/")[2]))
        except (OSError, IndexError, ValueError):
            pass
    return kids


# ---- the service ---------------------------------------------------------------------------


class Service:
    def __init__(self, argv, errpath):
        self.err = open(errpath, "w+b")
        self.p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.err)
        self.port = None
        deadline = time.monotonic() + 30
        while self.port is None and time.monotonic() < deadline and self.p.poll() is None:
            self.err.seek(0)
            for ln in self.err.read().decode(errors="replace").splitlines():
                if "listening on " in ln:
                    self.port = int(ln.rsplit(":", 1)[1])
            time.sleep(0.05)
        if self.port is None:
            raise SystemExit("service did not start: %s" % argv)

    def stderr(self):
        self.err.seek(0)
        return self.err.read().decode(errors="replace")

    def stop(self, timeout):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
        try:
            return self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
            return None


def wait_until(pred, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.05)
    return pred()


def harness_results(harness, impl, out, vectors, jobs):
    r = subprocess.run([harness, "run", "--impl", impl, "--vectors", vectors, "--jobs", str(jobs),
                        "--timeout", "30", "--out", out], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=600, check=False)
    with open(os.path.join(out, "report.json"), encoding="utf-8") as f:
        rep = json.load(f)
    rows = sorted((x["case"], x["verdict"], x.get("observed"), x.get("reason")) for x in rep["results"])
    return r.returncode, rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("target", choices=["serve", "bridge"])
    ap.add_argument("--stirmls", required=True)
    ap.add_argument("--harness", required=True)
    ap.add_argument("--vectors", required=True)
    ap.add_argument("--adapter", help="bridge: the stdio adapter command (split on spaces)")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--cycles", type=int, default=1000)
    ap.add_argument("--stride", type=int, default=1,
                    help="each client sends every STRIDE-th request only (a slow adapter behind bridge)")
    ap.add_argument("--idle", type=int, default=3)
    ap.add_argument("--slack", type=float, default=2.0, help="seconds a cut may come after the deadline")
    ap.add_argument("--max-rss-mb", type=int, default=64)
    ap.add_argument("--work", default=None)
    a = ap.parse_args()
    t_start = time.monotonic()
    work = a.work or tempfile.mkdtemp(prefix="netload-")
    os.makedirs(work, exist_ok=True)
    token = "netload-%d-%s" % (os.getpid(), os.urandom(8).hex())
    tokfile = os.path.join(work, "token")
    with open(tokfile, "w", encoding="ascii") as f:
        f.write(token + "\n")

    reqs = verify_requests(a.vectors)
    stdio_cmd = [a.stirmls, "serve"] if a.target == "serve" else a.adapter.split()
    want = stdio_answers(stdio_cmd, reqs)
    limits = ["--idle", str(a.idle), "--max-conn", str(CAP), "--token", tokfile, "--allow", "127.0.0.1/32"]
    if a.target == "serve":
        argv = [a.stirmls, "serve", "--listen", "127.0.0.1:0"] + limits
    else:
        argv = [a.harness, "bridge", "--listen", "127.0.0.1:0"] + limits + ["--"] + stdio_cmd
    svc = Service(argv, os.path.join(work, "service.err"))
    port = svc.port
    print("netload %s: %d verify requests (every %s) x %d clients, %d cycles, idle %d s, port %d" %
          (a.target, len(reqs), "one" if a.stride == 1 else "%dth" % a.stride, a.clients, a.cycles, a.idle,
           port), flush=True)

    # ---- load and faults at once ----
    counts = {"answers": 0}
    cuts = {}
    rss = {"max": 0, "samples": 0}
    stop_sampling = threading.Event()

    def sampler():
        while not stop_sampling.is_set():
            rss["max"] = max(rss["max"], rss_kb(svc.p.pid))
            rss["samples"] += 1
            time.sleep(0.05)

    jobs_out = {}

    def jobs_run():
        impl = "x=tcp://127.0.0.1:%d?token=%s" % (port, tokfile)
        jobs_out["tcp"] = harness_results(a.harness, impl, os.path.join(work, "jobs-tcp"), a.vectors, 4)

    threads = [threading.Thread(target=sampler)]
    threads += [threading.Thread(target=stuck_client, args=(n, port, token, pre, a.idle, a.slack, cuts))
                for n, pre in (("silent", b""), ("after-hello", hello(token)),
                               ("half-line", b'{"id":1,"op":"hel'))]
    threads += [threading.Thread(target=long_line_client, args=(port,)),
                threading.Thread(target=shutdown_client, args=(port, token)),
                threading.Thread(target=cycles_client, args=(port, token, a.cycles))]
    if a.target == "serve":  # beside the load; after it for a slow adapter's bridge
        threads.append(threading.Thread(target=jobs_run))
    threads += [threading.Thread(target=good_client, args=(k, port, token, reqs, want, counts, a.stride))
                for k in range(a.clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads[1:]:
        t.join(600)
    stop_sampling.set()
    threads[0].join()
    load_s = time.monotonic() - t0
    expected = sum(len([i for i in range(len(reqs)) if i % a.stride == k % a.stride]) for k in range(a.clients))
    if counts["answers"] != expected:
        fail("%d right answers, want %d" % (counts["answers"], expected))
    if rss["max"] > a.max_rss_mb * 1024:
        fail("service resident memory reached %d KiB, bound %d MiB" % (rss["max"], a.max_rss_mb))
    if svc.p.poll() is not None:
        fail("the service ended during the load (exit %s)" % svc.p.returncode)
    print("load: %d answers right in %.1f s; cuts %s; max RSS %d KiB over %d samples" %
          (counts["answers"], load_s, ", ".join("%s %.1f s" % kv for kv in sorted(cuts.items())),
           rss["max"], rss["samples"]), flush=True)

    # ---- --jobs 4 through the service = a stdio run ----
    if a.target == "bridge":
        jobs_run()
    st_stdio = harness_results(a.harness, "x=" + " ".join(stdio_cmd), os.path.join(work, "jobs-stdio"),
                               a.vectors, 1)
    if "tcp" not in jobs_out:
        fail("--jobs 4 run through the service did not finish")
    elif jobs_out["tcp"] != st_stdio:
        diff = [x for x in jobs_out["tcp"][1] if x not in st_stdio[1]][:5]
        fail("--jobs 4 through the service (exit %d) differs from stdio (exit %d): %s" %
             (jobs_out["tcp"][0], st_stdio[0], diff))
    else:
        print("--jobs 4 through the service: %d results, the same as stdio (exit %d)" %
              (len(st_stdio[1]), st_stdio[0]), flush=True)

    # ---- nothing left behind ----
    if not wait_until(lambda: proc_threads(svc.p.pid) == 1, 5):
        fail("connection threads left: %d threads" % proc_threads(svc.p.pid))
    if a.target == "bridge" and not wait_until(lambda: not children(svc.p.pid), 5):
        fail("adapter processes left behind: %s" % children(svc.p.pid))

    # ---- the connection cap: CAP open, one more gets one error line ----
    held = [Conn(port) for _ in range(CAP)]
    time.sleep(0.3)
    extra = Conn(port, timeout=5)
    got = extra.readline()
    try:
        d = json.loads(got)
        if d.get("error", {}).get("code") != "internal" or "busy" not in d["error"].get("message", ""):
            fail("connection CAP+1: answered %s, want an internal error saying busy" % d)
    except ValueError:
        fail("connection CAP+1: no error line (%r)" % got[:200])
    if extra.wait_eof() > 2:
        fail("connection CAP+1 not closed after the busy line")
    extra.close()
    for c in held:
        c.close()

    # ---- the token ----
    wait_until(lambda: proc_threads(svc.p.pid) == 1, 5)
    for name, first in (("no token", hello(None)), ("wrong token", hello(token + "x")),
                        ("verify before hello", line({"id": 1, "op": "verify", "params": reqs[0]}))):
        c = Conn(port, timeout=10)
        c.send(first)
        got = c.readline()
        try:
            d = json.loads(got)
            if d.get("error", {}).get("code") != "bad_request" or "result" in d:
                fail("%s: answered %s, want bad_request" % (name, d))
        except ValueError:
            fail("%s: no error line (%r)" % (name, got[:200]))
        if c.wait_eof() > 2:
            fail("%s: connection not closed" % name)
        c.close()
    if token in svc.stderr():
        fail("the token appears in the service's stderr")

    # ---- a peer outside --allow is closed at accept, without a byte ----
    other = Service(argv[:argv.index("--allow")] + ["--allow", "192.0.2.0/24", "--allow", "::1"] +
                    argv[argv.index("--allow") + 2:], os.path.join(work, "allow.err"))
    c = Conn(other.port, timeout=5)
    try:
        c.send(hello(token))
        data = c.s.recv(100)
    except OSError:
        data = b""
    if data:
        fail("a peer outside --allow got %r" % data[:100])
    c.close()
    other.stop(10)
    if "not in --allow" not in other.stderr():
        fail("the refused peer is not logged: %s" % other.stderr()[-300:])

    # ---- SIGTERM with requests in flight: answered, then a clean exit ----
    c = Conn(port, timeout=a.idle + 10)
    c.send(hello(token))
    c.readline()
    n = 40
    c.send(b"".join(line({"id": i + 2, "op": "verify", "params": reqs[i % len(reqs)]}) for i in range(n)))
    time.sleep(0.05)
    rc = None
    svc.p.send_signal(signal.SIGTERM)
    answered = 0
    while True:
        got = c.readline()
        if not got:
            break
        d = json.loads(got)
        d.pop("id")
        if d != want[answered % len(reqs)]:
            fail("in flight at SIGTERM: answer %d differs from stdio" % answered)
        answered += 1
    c.close()
    rc = svc.stop(a.idle + 10)
    if answered == 0 or rc != 0:
        fail("SIGTERM: %d of %d pipelined requests answered, exit status %s (want >= 1 and 0)" % (answered, n, rc))
    else:
        print("SIGTERM: %d of %d pipelined requests answered before the close, exit 0" % (answered, n))
    if a.target == "bridge" and children(svc.p.pid):
        fail("adapters left after the bridge stopped")
    print("netload %s: %s in %.1f s" % (a.target, "FAILED (%d)" % len(failures) if failures else "all checks passed",
                                         time.monotonic() - t_start), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
