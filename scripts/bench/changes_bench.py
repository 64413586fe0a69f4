#!/usr/bin/env python3
"""Issues 5 and 10's figures: N add-alias changes against `mxsh sandbox --latency-ms 25`
with --jobs 32, against the ideal ((N + N/100 listing pages) x 25 ms / 32, issue 10's
definition: 3,000 changes -> (3,000 + 30) x 25 ms / 32), a sequential Python requests
loop and a ThreadPoolExecutor(32), in one run; and the journal's overhead (the same
run with --no-journal). Usage: changes_bench.py BUILD_DIR [RUNS] [N]"""
import os, statistics, subprocess, sys, time

build = os.path.abspath(sys.argv[1])
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
n = int(sys.argv[3]) if len(sys.argv) > 3 else 5000
here = os.path.dirname(os.path.abspath(__file__))
python = "/usr/bin/python3"
latency, jobs = 25, 32
ideal = (n + -(-n // 100)) * latency / 1000 / jobs
sys.path.insert(0, here)
from benchlib import free_base_port  # noqa: E402

port = free_base_port()
sandbox = subprocess.Popen([os.path.join(build, "mxsh"), "sandbox", "--port", str(port), "--seed", str(n),
                            "--latency-ms", str(latency)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
counter = [0]


def mxsh(script, *extra):
    counter[0] += 1
    env = dict(os.environ, CM_URL=cm, CM_TOKEN="sandbox-token", XDG_STATE_HOME=os.path.join(state, str(counter[0])))
    start = time.monotonic()
    subprocess.run([os.path.join(build, "mxsh"), "run", os.path.join(here, script), "--var", f"prefix=b{counter[0]}", *extra],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    return time.monotonic() - start


def py(count, c):
    counter[0] += 1
    out = subprocess.run([python, os.path.join(here, "alias_python.py"), cm, f"p{counter[0]}", str(count), str(c)],
                         check=True, capture_output=True, text=True).stdout.split()
    return float(out[1])


try:
    lines = [sandbox.stdout.readline().split() for _ in range(4)]
    cm = dict((l[0], l[1]) for l in lines)["cleanmail"]
    import tempfile
    state = tempfile.mkdtemp()
    print(f"{n} add-alias changes at cleanmail, sandbox latency {latency} ms, --jobs {jobs}: ideal {ideal:.2f} s")
    listing = statistics.median(mxsh("list_only.mxsh") for _ in range(runs))
    journaled = [mxsh("alias_changes.mxsh", "--jobs", str(jobs)) for _ in range(runs)]
    bare = [mxsh("alias_changes.mxsh", "--jobs", str(jobs), "--no-journal") for _ in range(runs)]
    pool = [py(n, jobs) for _ in range(runs)]
    seq_n = max(1, n // 10)
    seq = py(seq_n, 1) * n / seq_n
    m, b, p = statistics.median(journaled), statistics.median(bare), statistics.median(pool)
    print(f"mxsh --jobs {jobs} (journal on): median {m:.2f} s {sorted(round(x, 2) for x in journaled)}; "
          f"listing the {n} domains alone (a run of its own): {listing:.2f} s")
    print(f"  ratio to ideal: {m / ideal:.2f} whole run, listing included (goal <= 1.25); "
          f"{(m - listing) / ideal:.2f} with the listing's time taken off (it overlaps the changes)")
    print(f"python ThreadPoolExecutor({jobs}): median {p:.2f} s   mxsh/pool {m / p:.2f} (goal < 1)")
    print(f"python sequential loop: {seq:.1f} s (measured on {seq_n}, scaled)   mxsh is {seq / m:.0f}x faster (goal >= 25)")
    print(f"journal overhead: {m:.2f} s with, {b:.2f} s without: ratio {m / b:.2f} (goal <= 1.1)")
finally:
    sandbox.terminate()
    sandbox.wait()
