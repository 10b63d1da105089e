#!/usr/bin/env bash
# Builds every libFuzzer target in fuzz/ with clang and runs each for N seconds (default 60):
#   scripts/fuzz.sh [seconds]
# New inputs go to build-fuzz/corpus/<target>; crashes to build-fuzz/artifacts/. Exits non-zero
# when a fuzzer finds a crash.
set -euo pipefail
seconds=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPARKTWIN_FUZZ=ON -DPARKTWIN_BUILD_VIEWER=OFF -DPARKTWIN_BUILD_TESTS=OFF \
  -DPARKTWIN_BUILD_BENCH=OFF >/dev/null
targets=()
for src in fuzz/*_fuzzer.cpp; do
  targets+=("$(basename "$src" .cpp)")
done
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]}"

mkdir -p build-fuzz/artifacts
for t in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$t
  mkdir -p "$corpus"
  echo "=== [fuzz] $t for $seconds s ==="
  seeds=()
  [ -d "fuzz/corpus/$t" ] && seeds=("fuzz/corpus/$t")
  ./build-fuzz/fuzz/"$t" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix=build-fuzz/artifacts/"$t"- "$corpus" "${seeds[@]}"
done
