#!/usr/bin/env bash
# Regenerates docs/ (the reference: help topics, commands, fields, the vendor matrix)
# from the command and vendor tables. The test suite fails when docs/ is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build --product mxsh >/dev/null
mkdir -p docs
.build/debug/mxsh docs docs
echo "docs/ regenerated"
