#!/usr/bin/env bash
# Configures and builds ParkTwin into build/ (or $PARKTWIN_BUILD_DIR).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PARKTWIN_BUILD_DIR:-$root/build}
launcher=()
# ccache, when installed, shares compiled objects between build folders.
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
