#!/usr/bin/env python3
"""mxsh's benchmarks, each against a reference run on the same machine in the same run.
Prints medians and ratios; writes nothing else. Usage: run.py MXSH_BINARY [RUNS]"""
import json, os, statistics, subprocess, sys, tempfile

mxsh = os.path.abspath(sys.argv[1])
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
here = os.path.dirname(os.path.abspath(__file__))
python = "/usr/bin/python3"  # Debian's, not a pyenv shim (which adds ~50 ms)


def hyperfine(commands, runs, warmup=3, cpu=False):
    """Median wall times; with cpu, also the mean CPU time (user + system) of each."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(["hyperfine", "-N", "--warmup", str(warmup), "--runs", str(runs), "--style", "none",
                        "--export-json", out.name] + commands, check=True, stdout=subprocess.DEVNULL)
        results = json.load(open(out.name))["results"]
        walls = [statistics.median(r["times"]) for r in results]
        if not cpu:
            return walls
        return walls, [r["user"] + r["system"] for r in results]


def timed_output(cmd):
    """Runs a command that prints 'count seconds' and returns the seconds."""
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.split()
    return float(out[-1])


print(f"mxsh: {mxsh}")
print(f"reference python: {python} ({subprocess.run([python, '--version'], capture_output=True, text=True).stdout.strip()})")

# 1. Start-up
m, p = hyperfine([f"{mxsh} -c 'print 1'", f"{python} -c 'print(1)'"], runs=max(40, runs * 6))
print(f"\nstart-up  mxsh -c 'print 1': {m * 1000:.2f} ms   python3 -c 'print(1)': {p * 1000:.2f} ms   "
      f"ratio {m / p:.2f} (goal <= 0.3)")

# 2. Interpreter loop over 1,000,000 domains
mx = [timed_output([mxsh, "run", os.path.join(here, "interp_loop.mxsh")]) for _ in range(runs)]
py = [timed_output([python, os.path.join(here, "interp_loop.py")]) for _ in range(runs)]
print(f"interpreter  filter+count 1,000,000 domains: mxsh {statistics.median(mx):.3f} s   "
      f"CPython {statistics.median(py):.3f} s   ratio {statistics.median(mx) / statistics.median(py):.2f} (goal <= 0.5)")

# 3. A csv() filter over 300,000 rows, against csv.DictReader + fnmatch
with tempfile.TemporaryDirectory() as tmp:
    data = os.path.join(tmp, "domains.csv")
    with open(data, "w") as f:
        subprocess.run([python, os.path.join(here, "gen_csv.py"), "300000"], stdout=f, check=True)
    script = os.path.join(tmp, "csv_filter.mxsh")
    with open(script, "w") as f:
        f.write(f'for r in csv("{data}") where r.status = "ENABLED" and r.name ~ "*.net" < print r.name r.dest >\n')
    mine = subprocess.run([mxsh, "run", script], capture_output=True, text=True, check=True).stdout
    theirs = subprocess.run([python, os.path.join(here, "csv_filter.py"), data], capture_output=True, text=True, check=True).stdout
    if mine != theirs:
        sys.exit("csv filter: mxsh and CPython disagree")
    m, p = hyperfine([f"{mxsh} run {script}", f"{python} {os.path.join(here, 'csv_filter.py')} {data}"], runs=runs, warmup=1)
    print(f"csv filter  300,000 rows: mxsh {m:.3f} s   CPython csv+fnmatch {p:.3f} s   ratio {m / p:.2f} (goal <= 0.5)")

# 4. Parse + check of a generated 100,000-line script
with tempfile.TemporaryDirectory() as tmp:
    script = os.path.join(tmp, "big.mxsh")
    with open(script, "w") as f:
        subprocess.run([python, os.path.join(here, "gen_script.py"), "100000"], stdout=f, check=True)
    check = subprocess.run([mxsh, "check", script], capture_output=True, text=True)
    if check.returncode != 0:
        sys.exit("generated script does not check:\n" + check.stderr[:2000])
    (c,), (cpu,) = hyperfine([f"{mxsh} check {script}"], runs=runs, warmup=1, cpu=True)
    # A long script is parsed on one thread and checked on another: CPU time is shown too.
    print(f"parse+check  100,000 lines: {c:.3f} s, CPU {cpu:.3f} s (goal <= 0.1)")
