#!/usr/bin/env bash
# Installs the Debian 12 packages ParkTwin needs to build, run and test.
# Quick when everything is already present: apt-get runs only for missing packages.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libopenscenegraph-dev libgdal-dev libproj-dev libbullet-dev libimgui-dev libstb-dev
  libsqlite3-dev libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev libspdlog-dev libfmt-dev libtomlplusplus-dev nlohmann-json3-dev
  gdal-bin proj-bin sqlite3
  xvfb xauth fonts-dejavu-core libgl1-mesa-dri ffmpeg
  clang libclang-rt-14-dev
  mosquitto libmosquitto-dev sumo
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "[setup] all ${#packages[@]} packages present"
  exit 0
fi

echo "[setup] installing: ${missing[*]}"
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
