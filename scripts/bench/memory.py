#!/usr/bin/env python3
"""Issue 11's memory figures, each the peak RSS of one `mxsh run` measured with
/usr/bin/time -v: listing 100,000 Cleanmail domains from `mxsh sandbox --seed 100000`
(as a table, as CSV, as JSON, only counted, and exported to a .json and a .csv file;
goal <= 100 MB), and a csv() filter over
1,000,000 rows (goal <= 50 MB). Usage: memory.py MXSH_BINARY [DOMAINS] [ROWS]
(build it with scripts/bench/run.sh's release build, or swift build -c release)."""
import concurrent.futures, os, re, subprocess, sys, tempfile

mxsh = os.path.abspath(sys.argv[1])
domains = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
rows = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from benchlib import free_base_port  # noqa: E402


def peak_mb(args, env, expect_lines=0, output=None):
    """Runs `mxsh run ARGS` under /usr/bin/time -v; its stdout (or the file OUTPUT it
    writes) is only counted."""
    p = subprocess.run(["/usr/bin/time", "-v", mxsh, "run", *args], env=env, capture_output=True, text=True)
    lines = p.stdout.count("\n")
    if output is not None and p.returncode == 0:
        with open(output) as f:
            lines = sum(1 for _ in f)
    if p.returncode != 0 or lines < expect_lines:
        sys.exit(f"mxsh run {' '.join(args)}: exit {p.returncode}, {lines} lines:\n{p.stderr[-2000:]}")
    kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1))
    secs = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", p.stderr).group(1)
    return kb / 1024, secs, lines


with tempfile.TemporaryDirectory() as tmp:
    env = dict(os.environ, XDG_STATE_HOME=os.path.join(tmp, "state"), HOME=tmp)
    # 1. The listing, against a sandbox of its own.
    port = free_base_port()
    sandbox = subprocess.Popen([mxsh, "sandbox", "--port", str(port), "--seed", str(domains)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        seats = dict(l.split()[:2] for l in (sandbox.stdout.readline() for _ in range(4)))
        env.update(CM_URL=seats["cleanmail"], CM_TOKEN="sandbox-token")
        script = os.path.join(tmp, "list.mxsh")
        with open(script, "w") as f:
            f.write('connect cleanmail as cm url=env("CM_URL") token=env("CM_TOKEN")\nlist cm.domains\n')
        count = os.path.join(here, "list_only.mxsh")
        exports = {}
        for ext in ["json", "csv"]:
            exports[ext] = (os.path.join(tmp, f"export-{ext}.mxsh"), os.path.join(tmp, f"cm-domains.{ext}"))
            with open(exports[ext][0], "w") as f:
                f.write('connect cleanmail as cm url=env("CM_URL") token=env("CM_TOKEN")\n'
                        f'export cm.domains to "{exports[ext][1]}"\n')
        rows_ = [("list cm.domains (table)", [script], domains, None),
                 ("list cm.domains --format csv", ["--format", "csv", script], domains, None),
                 # One JSON document: one line, or (streamed) a line per field.
                 ("list cm.domains --format json", ["--format", "json", script], 1, None),
                 ("print count(cm.domains)", [count], 1, None),
                 ("export cm.domains to .json", [exports["json"][0]], domains, exports["json"][1]),
                 ("export cm.domains to .csv", [exports["csv"][0]], domains, exports["csv"][1])]
        # MXSH_BENCH_ONLY=json,export: the rows whose label has one of these words.
        only = [w for w in os.environ.get("MXSH_BENCH_ONLY", "").split(",") if w]
        rows_ = [r for r in rows_ if not only or any(w in r[0] for w in only)]

        def measure(row):
            label, args, expect, output = row
            mb, secs, lines = peak_mb(args, env, expect, output)
            return f"{label:30} {domains:>9,} domains: peak RSS {mb:6.1f} MB ({secs}, {lines:,} lines; goal <= 100 MB)"

        # MXSH_BENCH_PARALLEL=1 runs the rows at once: each peak RSS is its own process's
        # (the rows that complete domains wait on thousands of requests, not on the CPU).
        if os.environ.get("MXSH_BENCH_PARALLEL"):
            with concurrent.futures.ThreadPoolExecutor(len(rows_)) as pool:
                for line in pool.map(measure, rows_):
                    print(line, flush=True)
        else:
            for row in rows_:
                print(measure(row), flush=True)
    finally:
        sandbox.terminate()
        sandbox.wait()

    if rows == 0:
        sys.exit(0)
    # 2. A csv() filter over ROWS rows (none when ROWS is 0).
    data = os.path.join(tmp, "domains.csv")
    with open(data, "w") as f:
        subprocess.run(["/usr/bin/python3", os.path.join(here, "gen_csv.py"), str(rows)], stdout=f, check=True)
    script = os.path.join(tmp, "csv_filter.mxsh")
    with open(script, "w") as f:
        f.write(f'for r in csv("{data}") where r.status = "ENABLED" and r.name ~ "*.net" < print r.name r.dest >\n')
    mb, secs, lines = peak_mb([script], env)
    print(f"{'csv() filter':30} {rows:>9,} rows:    peak RSS {mb:6.1f} MB ({secs}, {lines:,} lines; goal <= 50 MB)")
