#!/usr/bin/env bash
# One command: set up, build once, lint, and run every test (unit, golden scripts, the
# CLI and the REPL through a real pseudo-terminal). A failed build fails the command.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
log=$(mktemp -t mxsh-build.XXXXXX)
if ! swift build --build-tests >"$log" 2>&1; then
    grep -E 'error:' "$log" | sort -u >&2 || true
    echo "mxsh test: the build failed (full log: $log)" >&2
    exit 1
fi
grep -E 'warning:' "$log" | grep -v '/.build/checkouts/' | sort -u | head -20 >&2 || true
rm -f "$log"
bash scripts/lint.sh
# The tests' files (homes, journals, scripts, Foundation's atomic-write folders) go to a
# directory of this run's: removed when the tests pass, kept and named when they fail.
scratch=$(mktemp -d -t mxsh-tests.XXXXXX)
status=0
TMPDIR="$scratch" swift test --skip-build "$@" || status=$?
if [ "$status" -eq 0 ]; then
    rm -rf "$scratch"
else
    echo "mxsh test: the tests failed; their files are kept in $scratch" >&2
fi
exit "$status"
