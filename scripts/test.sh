#!/usr/bin/env bash
# One command: set up, build once, and run every test (unit, golden scripts, the
# CLI and the REPL through a real pseudo-terminal).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build --build-tests 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]|swift-distributed-tracing|CMakeLists.txt' || true
exec swift test --skip-build "$@"
