#!/usr/bin/env bash
# Installs what building and testing mxsh needs on Debian: the two C libraries the
# design requires (libedit, libcurl), pkg-config, and tmux for the REPL's pty tests.
# Idempotent; uses sudo when not root. Sourced by demo.sh and test.sh.
set -euo pipefail

packages=(libedit-dev libcurl4-openssl-dev libsqlite3-dev pkg-config tmux ca-certificates python3 neovim)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "mxsh setup: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The Swift toolchain ships in /opt/swift on this project's machines.
if ! command -v swift >/dev/null 2>&1; then
    if [ -x /opt/swift/usr/bin/swift ]; then
        export PATH="/opt/swift/usr/bin:$PATH"
    else
        echo "mxsh setup: no Swift toolchain found (need Swift 6; see https://www.swift.org/install/linux/)" >&2
        exit 1
    fi
fi

# The release build as installed and as the benchmarks measure it: the Swift standard
# library linked in, and a position-dependent executable, whose start the loader need not
# relocate (linker/README.md). -no-pie belongs with the static standard library only:
# linked to libswiftCore.so, the loader would warn on every start.
release_build=(swift build -c release --static-swift-stdlib --product mxsh -Xlinker -no-pie)
