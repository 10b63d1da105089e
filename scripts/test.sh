#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite (viewer tests under Xvfb).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
cd "$root/build"
xvfb-run -a -s '-screen 0 1280x720x24' ctest --output-on-failure -j1 "$@"
