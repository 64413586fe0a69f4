#!/usr/bin/env bash
# Fuzzes the lexer, parser and checker with libFuzzer for N seconds (default 60).
# Seeds the corpus from every .mxsh in the repository; a crash leaves its input in
# fuzz-out/ and the run fails. Replay one with: swift run mxsh-fuzz fuzz-out/crash-*
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
source scripts/setup.sh
swift build -c release --product mxsh-fuzz --scratch-path .build-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' >&2 || true
corpus=.build-fuzz/corpus
mkdir -p "$corpus" fuzz-out
find . -name '*.mxsh' -not -path './.build*' -exec cp {} "$corpus/" \;
.build-fuzz/release/mxsh-fuzz "$corpus" -max_total_time="$seconds" -max_len=4096 -timeout=5 \
    -artifact_prefix=fuzz-out/ -print_final_stats=1 2>&1 | tail -20
