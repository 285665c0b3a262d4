#!/usr/bin/python3
"""
netbench.py: `make bench`, section 7 (docs/performance.md): requests per second and latency
percentiles of the network services on 127.0.0.1 for 1, 4 and 16 clients, each client a process
of its own sending every verify request of the suite, one at a time (as the harness does), PASSES
times, after one warm-up pass that fills the caches: `stirmls serve --listen`, then `stirmls-harness bridge -- stirmls serve` (the bridge's own
cost: one stdio adapter process per connection, every line relayed). A measurement, never a test:
it fails only when an answer is missing.

    netbench.py --stirmls BIN --harness BIN --vectors DIR [--passes N]
"""
import argparse
import multiprocessing
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "harness", "tests"))
from netload import Conn, Service, hello, line, verify_requests  # noqa: E402


def client(job):
    port, token, lines, passes = job
    c = Conn(port)
    c.send(hello(token))
    c.readline()
    lat = []
    for _ in range(passes):
        for ln in lines:
            t = time.perf_counter()
            c.send(ln)
            if not c.readline().endswith(b"\n"):
                raise SystemExit("netbench: an answer is missing")
            lat.append(time.perf_counter() - t)
    c.close()
    return lat


def pct(sorted_lat, p):
    return sorted_lat[min(len(sorted_lat) - 1, int(p / 100.0 * len(sorted_lat)))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stirmls", required=True)
    ap.add_argument("--harness", required=True)
    ap.add_argument("--vectors", required=True)
    ap.add_argument("--passes", type=int, default=3)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="netbench-")
    tokfile = os.path.join(work, "token")
    token = os.urandom(16).hex()
    with open(tokfile, "w", encoding="ascii") as f:
        f.write(token + "\n")
    lines = [line({"id": i + 2, "op": "verify", "params": p}) for i, p in enumerate(verify_requests(a.vectors))]
    opts = ["--listen", "127.0.0.1:0", "--token", tokfile]
    services = (("stirmls serve --listen", [a.stirmls, "serve"] + opts),
                ("bridge -- stirmls serve", [a.harness, "bridge"] + opts + ["--", a.stirmls, "serve"]))
    for name, argv in services:
        svc = Service(argv, os.path.join(work, "service.err"))
        client((svc.port, token, lines, 1))  # warm-up (caches filled), not counted
        for n in (1, 4, 16):
            with multiprocessing.Pool(n) as pool:
                t0 = time.monotonic()
                lats = pool.map(client, [(svc.port, token, lines, a.passes)] * n)
                wall = time.monotonic() - t0
            lat = sorted(x for per in lats for x in per)
            print("network %s: %2d clients: %d requests in %.2f s: %.0f requests/s, latency p50 %.2f ms, "
                  "p99 %.2f ms" % (name, n, len(lat), wall, len(lat) / wall, pct(lat, 50) * 1e3,
                                   pct(lat, 99) * 1e3), flush=True)
        svc.stop(20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
