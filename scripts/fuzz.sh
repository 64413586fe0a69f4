#!/usr/bin/env bash
# Fuzzes a reader with libFuzzer for N seconds (default 60), or until RUNS inputs have
# run if that comes first: scripts/fuzz.sh [N] [TARGET] [RUNS]
# TARGET: parser (lexer+parser+checker, the default), plan (mxsh apply's reader),
# journal (a journal row as undo reads it), json, csv. Seeds the corpus from the
# repository's files of that kind; a crash leaves its input in fuzz-out/ and the run
# fails. Replay one with: MXSH_FUZZ_TARGET=TARGET swift run mxsh-fuzz fuzz-out/crash-*
# On a shared machine: MXSH_BUILD_LOCK=/tmp/mxsh-build.lock holds that lock for the
# build only, MXSH_FUZZ_NICE=19 runs the fuzzer itself at that niceness, and
# MXSH_FUZZ_NO_BUILD=1 fuzzes the last build as it is. MXSH_FUZZ_TIMEOUT (seconds, default
# 5) is the wall time one input may take before it counts as a hang: at niceness 19 on a
# busy machine, give it more (an input starved of CPU is not a hang). MXSH_FUZZ_JOBS=N runs
# N fuzzers at once on the one corpus, RUNS shared between them (one per core).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
target="${2:-parser}"
runs="${3:-}"
export MXSH_FUZZ_TARGET="$target"
source scripts/setup.sh
[ -n "${MXSH_FUZZ_NO_BUILD:-}" ] || ${MXSH_BUILD_LOCK:+flock "$MXSH_BUILD_LOCK"} swift build -c release --product mxsh-fuzz --scratch-path .build-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' >&2 || true
corpus=.build-fuzz/corpus-$target
mkdir -p "$corpus" fuzz-out
case "$target" in
    parser) find . -name '*.mxsh' -not -path './.build*' -exec cp {} "$corpus/" \; ;;
    plan|json) find Tests -name '*.json' -exec cp {} "$corpus/" \;
        printf '%s' '{"mxsh_plan":2,"connections":[{"name":"cm","vendor":"cleanmail","url":"http://127.0.0.1:1","options":{},"credentials":{"token":{"env":"T"}},"seal":"00"}],"changes":[{"connection":"cm","vendor":"cleanmail","kind":"domain","key":"a.com","operation":"set domain","fields":{"status":"DISABLED","password":{"secret":"not saved"}},"location":"s.mxsh:2:1 (rows.csv row 3)","before":{"status":"ENABLED"},"after":null}]}' > "$corpus/plan.json" ;;
    csv) find . -name '*.csv' -not -path './.build*' -exec cp {} "$corpus/" \;
        printf 'name,dest\n"a ""b""",1\r\nc,"multi\nline"\n' > "$corpus/seed.csv" ;;
    journal) printf 'domain\0a.com\0add-alias\0{"alias":"x.net"}\0{"name":"a.com"}\0{"name":"cm","vendor":"cleanmail"}\0s.mxsh:1:2' > "$corpus/seed" ;;
esac
fuzz() {
    nice -n "${MXSH_FUZZ_NICE:-0}" .build-fuzz/release/mxsh-fuzz "$corpus" -max_total_time="$seconds" \
        ${1:+-runs="$1"} -max_len=4096 -timeout="${MXSH_FUZZ_TIMEOUT:-5}" -artifact_prefix=fuzz-out/ \
        -print_final_stats=1 2>&1
}
jobs="${MXSH_FUZZ_JOBS:-1}"
if ((jobs <= 1)); then
    fuzz "$runs" | tail -20
    exit "${PIPESTATUS[0]}"
fi
# MXSH_FUZZ_JOBS=N: N fuzzers on the one corpus (each adds what it finds to it), RUNS
# shared out between them; their executed units add up to the total.
pids=()
for ((k = 1; k <= jobs; k++)); do
    fuzz "${runs:+$(((runs + jobs - 1) / jobs))}" > "fuzz-out/worker-$k.log" &
    pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
total=0
for ((k = 1; k <= jobs; k++)); do
    units=$(grep -o 'stat::number_of_executed_units: [0-9]*' "fuzz-out/worker-$k.log" | tail -1 | grep -o '[0-9]*$')
    echo "worker $k: ${units:-?} inputs (fuzz-out/worker-$k.log)"
    grep -E '^(==[0-9]+==|SUMMARY|artifact_prefix|Test unit written)' "fuzz-out/worker-$k.log" || true
    total=$((total + ${units:-0}))
done
echo "all workers: $total inputs"
exit "$status"
