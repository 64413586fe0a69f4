#!/usr/bin/env python3
# (Not named http.py: that would shadow the standard library for the scripts beside it.)
"""Issue 3's HTTP figure: 10,000 GETs against `mxsh sandbox --latency-ms 20` at
concurrency 32, through MXHTTP (mxsh-httpbench), against the ideal (N x latency / C),
a sequential Python requests loop and a ThreadPoolExecutor(32) of requests.Sessions,
all in one run on this machine. Usage: http.py BUILD_DIR [RUNS] [N]"""
import os, statistics, subprocess, sys, time
from benchlib import free_base_port

build = os.path.abspath(sys.argv[1])
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
n = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
here = os.path.dirname(os.path.abspath(__file__))
python = "/usr/bin/python3"
latency_ms, concurrency = 20, 32
ideal = n * latency_ms / 1000 / concurrency


def measure(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.split()
    total, failures, seconds = int(out[0]), int(out[1]), float(out[2])
    if failures:
        sys.exit(f"{failures} of {total} requests failed: {' '.join(cmd)}")
    return seconds


port = free_base_port()
sandbox = subprocess.Popen([os.path.join(build, "mxsh"), "sandbox", "--port", str(port), "--seed", "demo",
                            "--latency-ms", str(latency_ms)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    first = sandbox.stdout.readline().split()
    if not first or first[0] != "proofpoint":
        sys.exit("the sandbox did not start")
    url = first[1] + "/api/v1/orgs/example.com/domains/got.com"
    user, password = "admin@example.com", "sandbox"
    print(f"GET {url}\n{n} requests, sandbox latency {latency_ms} ms, concurrency {concurrency}: ideal {ideal:.2f} s")

    mx = [measure([os.path.join(build, "mxsh-httpbench"), url, str(n), str(concurrency),
                   f"X-User: {user}", f"X-Password: {password}"]) for _ in range(runs)]
    pool = [measure([python, os.path.join(here, "http_pool.py"), url, str(n), str(concurrency), user, password])
            for _ in range(runs)]
    # The sequential loop takes n x 20 ms at best (200 s for 10,000): one run, on a
    # tenth of the requests, scaled up. Its per-request time is what matters.
    seq_n = max(1, n // 10)
    seq = measure([python, os.path.join(here, "http_seq.py"), url, str(seq_n), user, password]) * n / seq_n

    m, p = statistics.median(mx), statistics.median(pool)
    print(f"mxsh (MXHTTP, libcurl multi): median {m:.3f} s of {runs} {sorted(round(x, 3) for x in mx)}   "
          f"ratio to ideal {m / ideal:.2f} (goal <= 1.2)")
    print(f"python ThreadPoolExecutor(32) requests.Session: median {p:.3f} s   mxsh/pool {m / p:.2f} (goal < 1)")
    print(f"python sequential requests loop: {seq:.1f} s (measured on {seq_n}, scaled)   mxsh is {seq / m:.0f}x faster")
finally:
    sandbox.terminate()
    sandbox.wait()
