#!/usr/bin/env bash
# Builds a release mxsh and runs the benchmarks (start-up, interpreter, csv filter, parse+check).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/setup.sh
command -v hyperfine >/dev/null || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo; $sudo apt-get install -y -qq hyperfine >/dev/null; }
"${release_build[@]}" 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]|swift-distributed-tracing|CMakeLists.txt' >&2 || true
exec /usr/bin/python3 scripts/bench/run.py .build/release/mxsh "${1:-7}"
