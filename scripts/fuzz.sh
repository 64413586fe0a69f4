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
# busy machine, give it more (an input starved of CPU is not a hang).
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
nice -n "${MXSH_FUZZ_NICE:-0}" .build-fuzz/release/mxsh-fuzz "$corpus" -max_total_time="$seconds" ${runs:+-runs="$runs"} \
    -max_len=4096 -timeout="${MXSH_FUZZ_TIMEOUT:-5}" -artifact_prefix=fuzz-out/ -print_final_stats=1 2>&1 | tail -20
