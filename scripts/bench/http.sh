#!/usr/bin/env bash
# Builds release mxsh and mxsh-httpbench, then runs the HTTP benchmark (issue 3):
# 10,000 GETs against the sandbox with --latency-ms 20 at concurrency 32.
# Usage: scripts/bench/http.sh [RUNS] [REQUESTS]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/setup.sh
/usr/bin/python3 -c 'import requests' 2>/dev/null || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo; $sudo apt-get install -y -qq python3-requests >/dev/null; }
for p in mxsh mxsh-httpbench; do
  swift build -c release --static-swift-stdlib --product "$p" 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]|swift-distributed-tracing|CMakeLists.txt' >&2 || true
done
exec /usr/bin/python3 scripts/bench/http_bench.py .build/release "${1:-3}" "${2:-10000}"
