#!/usr/bin/env bash
# Installs what is missing, builds, and runs the bundled Thái Nguyên scenario headless:
# GeoTIFFs, a results store, a summary and a PNG of the 3D view in out/thai_nguyen_baseline/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
out="$root/out/thai_nguyen_baseline"
xvfb-run -a -s '-screen 0 1280x720x24' \
  "$root/build/app/parktwin" run "$root/scenarios/thai_nguyen_baseline.toml" \
  --out "$out" --snapshot "$out/view.png"
echo
echo "Results in $out (run_summary.txt, period_max.tif, results.sqlite, view.png)."
echo "Open the 3D viewer (needs a display): $root/build/app/parktwin view $root/scenarios/thai_nguyen_baseline.toml"
