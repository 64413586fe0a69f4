#!/usr/bin/env bash
# Builds the release binary (static Swift standard library: fast start-up, no Swift
# runtime needed where it runs) and installs it with its shell completions, man page
# and editor files.
#
#   scripts/install.sh [--prefix DIR] [--skip-build | --binary FILE]
#
# DIR defaults to /usr/local as root, ~/.local otherwise. Installs:
#   DIR/bin/mxsh
#   DIR/share/man/man1/mxsh.1                           (mxsh manual: from --help and the command table)
#   DIR/share/bash-completion/completions/mxsh          (bash)
#   DIR/share/zsh/site-functions/_mxsh                  (zsh)
#   DIR/share/fish/vendor_completions.d/mxsh.fish       (fish)
#   DIR/share/mxsh/grammar/                             (EBNF, TextMate grammar, editor setup: README.md)
# --skip-build installs the release binary already built (.build/release/mxsh); --binary
# installs FILE instead (the test suite installs its debug build this way, in seconds).
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=""
skip_build=0
binary=.build/release/mxsh
while (($#)); do
    case "$1" in
        --prefix) prefix="${2:?--prefix needs a directory}"; shift 2 ;;
        --prefix=*) prefix="${1#--prefix=}"; shift ;;
        --skip-build) skip_build=1; shift ;;
        --binary) binary="${2:?--binary needs a file}"; skip_build=1; shift 2 ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
if [ -z "$prefix" ]; then
    if [ "$(id -u)" -eq 0 ]; then prefix=/usr/local; else prefix="$HOME/.local"; fi
fi

if ((!skip_build)); then
    source scripts/setup.sh
    # `mxsh --version` names the commit built (and -dirty for uncommitted changes): the
    # commit goes into BuildInfo.swift for this build only, and the file is put back after.
    info=Sources/mxsh/BuildInfo.swift
    commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
    if [ "$commit" != unknown ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
        commit="$commit-dirty"
    fi
    cp "$info" "$info.orig"
    trap 'mv -f "$info.orig" "$info"' EXIT
    sed -i "s/^let buildCommit = .*/let buildCommit = \"$commit\"/" "$info"
    log=$(mktemp -t mxsh-release.XXXXXX)
    echo "install.sh: building the release binary ($commit; the first build takes a few minutes)" >&2
    build=("${release_build[@]}")
    # One build at a time on machines that share a lock (a no-op elsewhere).
    if command -v flock >/dev/null 2>&1 && [ -e /tmp/mxsh-build.lock ]; then
        build=(flock /tmp/mxsh-build.lock "${build[@]}")
    fi
    if ! "${build[@]}" >"$log" 2>&1; then
        grep -E 'error:' "$log" | sort -u >&2 || true
        echo "install.sh: the build failed (log: $log)" >&2
        exit 1
    fi
    rm -f "$log"
fi
[ -x "$binary" ] || { echo "install.sh: no $binary (build it, or drop --skip-build)" >&2; exit 1; }

install -d "$prefix/bin" "$prefix/share/man/man1" "$prefix/share/bash-completion/completions" \
    "$prefix/share/zsh/site-functions" "$prefix/share/fish/vendor_completions.d" "$prefix/share/mxsh/grammar"
install -m 0755 "$binary" "$prefix/bin/mxsh.new"
mv -f "$prefix/bin/mxsh.new" "$prefix/bin/mxsh"
mxsh="$prefix/bin/mxsh"
"$mxsh" manual > "$prefix/share/man/man1/mxsh.1"
"$mxsh" --generate-completion-script bash > "$prefix/share/bash-completion/completions/mxsh"
"$mxsh" --generate-completion-script zsh > "$prefix/share/zsh/site-functions/_mxsh"
"$mxsh" --generate-completion-script fish > "$prefix/share/fish/vendor_completions.d/mxsh.fish"
install -m 0644 grammar/* "$prefix/share/mxsh/grammar/"

echo "installed $("$mxsh" --version) in $prefix"
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "add $prefix/bin to PATH, e.g.: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
