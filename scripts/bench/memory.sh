#!/usr/bin/env bash
# Builds release mxsh, then measures issue 11's peak memory with /usr/bin/time -v:
# listing and exporting 100,000 Cleanmail domains from the sandbox (goal <= 100 MB) and
# a csv() filter over 1,000,000 rows (goal <= 50 MB). Usage: scripts/bench/memory.sh
# [DOMAINS] [ROWS]; MXSH_BINARY=path measures that binary instead of building one.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/setup.sh
if [ -z "${MXSH_BINARY:-}" ]; then
    ${MXSH_BUILD_LOCK:+flock "$MXSH_BUILD_LOCK"} "${release_build[@]}" 2>&1 \
        | grep -Ev '^\[[0-9]+/[0-9]+\]|swift-distributed-tracing|CMakeLists.txt' >&2 || true
fi
exec /usr/bin/python3 scripts/bench/memory.py "${MXSH_BINARY:-.build/release/mxsh}" "${1:-100000}" "${2:-1000000}"
