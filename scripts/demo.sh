#!/usr/bin/env bash
# One command: set up, build, and run the demo runbook (scripts/demo.mxsh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build --product mxsh 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]|swift-distributed-tracing|CMakeLists.txt' >&2 || true
exec .build/debug/mxsh run scripts/demo.mxsh "$@"
