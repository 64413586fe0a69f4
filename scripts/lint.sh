#!/usr/bin/env bash
# swift-format lint with the committed .swift-format (4 spaces, 120 columns), over every
# Swift file in the repository: any finding fails (scripts/test.sh runs this, so CI does).
# `scripts/lint.sh --fix [FILE...]` formats the files named (default: all) in place.
# swift-format does not split string literals; lines over 120 columns are counted and
# reported.
set -euo pipefail
cd "$(dirname "$0")/.."
sf=$(command -v swift-format || echo /opt/swift/usr/bin/swift-format)
[ -x "$sf" ] || { echo "lint: swift-format not found (it ships with the Swift toolchain)" >&2; exit 1; }
mapfile -t files < <(git ls-files '*.swift')

if [ "${1:-}" = "--fix" ]; then
    shift
    (($#)) || set -- "${files[@]}"
    exec "$sf" format -i "$@"
fi

status=0
if ! "$sf" lint --strict "${files[@]}"; then
    echo "lint: swift-format findings above (scripts/lint.sh --fix FILE formats one)" >&2
    status=1
fi
long=$(awk 'length > 120 { n++ } END { print n + 0 }' "${files[@]}")
echo "lint: ${#files[@]} files; $long lines over 120 columns (string literals swift-format does not split)" >&2
exit $status
