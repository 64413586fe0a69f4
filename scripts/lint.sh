#!/usr/bin/env bash
# swift-format lint with the committed .swift-format (4 spaces, 120 columns), over every
# Swift file in the repository: any finding fails (scripts/test.sh runs this, so CI does).
# `scripts/lint.sh --fix [FILE...]` formats the files named (default: all) in place.
# swift-format does not split string literals, so lines over 120 characters are checked
# here too: any fails.
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
if LC_ALL=C.UTF-8 grep -nP '^.{121,}' "${files[@]}" >&2; then
    echo "lint: the lines above are over 120 characters (split a long string literal with +)" >&2
    status=1
fi
((status)) || echo "lint: ${#files[@]} Swift files clean" >&2
exit $status
