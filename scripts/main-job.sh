#!/usr/bin/env bash
# The main job: installs what is missing, builds, trains an MLP on Fashion-MNIST under an
# EmissionsTracker and writes emissions.csv, the JSON result and the report (report.md, report.html)
# to out/fashion-mnist.
# Extra arguments go to `greentrain train` (for example --epochs 3 --zone DE).
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache keys on paths relative to the checkout, so another clone of the project reuses them.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
bash scripts/install-deps.sh

cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target greentrain_cli

out=out/fashion-mnist
mkdir -p "$out"
./build/release/bin/greentrain train --data /usr/share/datasets/fashion-mnist --output-dir "$out" \
  --zone FR "$@"
echo "outputs in $out:"
ls -1 "$out"
