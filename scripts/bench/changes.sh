#!/usr/bin/env bash
# Builds release mxsh, then runs issues 5 and 10's benchmark: N add-alias changes (default
# 3,000, issue 10's figure) with --jobs 32 against the sandbox (--latency-ms 25), the whole
# process timed. Usage: scripts/bench/changes.sh [RUNS] [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/setup.sh
/usr/bin/python3 -c 'import requests' 2>/dev/null || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo; $sudo apt-get install -y -qq python3-requests >/dev/null; }
"${release_build[@]}" 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]|swift-distributed-tracing|CMakeLists.txt' >&2 || true
exec /usr/bin/python3 scripts/bench/changes_bench.py .build/release "${1:-3}" "${2:-3000}"
