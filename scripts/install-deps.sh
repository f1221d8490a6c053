#!/usr/bin/env bash
# Installs the Debian 12 packages greentrain needs, only those that are missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost-dev libboost-system-dev libssl-dev openssl ca-certificates
  libsimdjson-dev libfmt-dev libtbb-dev libdnnl-dev ocl-icd-opencl-dev zlib1g-dev
  libcli11-dev libtomlplusplus-dev nlohmann-json3-dev tzdata
  catch2 libbenchmark-dev
  clang libfuzzer-14-dev libclang-rt-14-dev
  dataset-fashion-mnist prometheus
  libopenmpi-dev openmpi-bin
  chromium chromium-driver python3-selenium
)
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "greentrain: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
