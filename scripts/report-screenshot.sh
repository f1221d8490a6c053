#!/usr/bin/env bash
# Renders a run's HTML report to a PNG with headless Chromium (Debian package chromium), for the
# README.
#   scripts/report-screenshot.sh RUN_DIR|REPORT.html OUTPUT.png
# RUN_DIR is a folder that `greentrain train --output-dir` or `greentrain run` wrote: its
# report.html (which `greentrain train` writes), else one rendered there from its emissions.csv,
# with the training forecast when train-summary.json is there.
# The greentrain binary is $GREENTRAIN, else the release or default build's, else the one on PATH.
# The picture is the top WIDTHxHEIGHT pixels of the page (WIDTH=1000 HEIGHT=1500 unless set).
set -euo pipefail
if [ $# -ne 2 ]; then
  sed -n '4,9p' "$0" >&2
  exit 2
fi
source_path=$1
output=$2
root="$(cd "$(dirname "$0")/.." && pwd)"

if [ -d "$source_path" ] && [ -f "$source_path/report.html" ]; then
  report="$source_path/report.html"
elif [ -d "$source_path" ]; then
  greentrain=${GREENTRAIN:-}
  for candidate in "$root/build/release/bin/greentrain" "$root/build/default/bin/greentrain"; do
    [ -n "$greentrain" ] || [ ! -x "$candidate" ] || greentrain=$candidate
  done
  greentrain=${greentrain:-$(command -v greentrain || true)}
  [ -n "$greentrain" ] || { echo "no greentrain binary: build it or set GREENTRAIN" >&2; exit 1; }
  extras=()
  summary="$source_path/train-summary.json"
  [ ! -f "$summary" ] || extras=(--forecast "$summary")
  "$greentrain" report "$source_path/emissions.csv" "${extras[@]}" --html "$source_path/report.html"
  report="$source_path/report.html"
else
  report=$source_path
fi

chromium=$(command -v chromium || true)
[ -n "$chromium" ] || { echo "chromium is missing: run scripts/install-deps.sh" >&2; exit 1; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
mkdir -p "$(dirname "$output")"
output_path="$(cd "$(dirname "$output")" && pwd)/$(basename "$output")"
# --no-sandbox: Chromium refuses to run as root otherwise; the page is our own file.
"$chromium" --headless=new --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
  --user-data-dir="$profile" --window-size="${WIDTH:-1000},${HEIGHT:-1500}" \
  --screenshot="$output_path" "file://$(cd "$(dirname "$report")" && pwd)/$(basename "$report")" \
  2>/dev/null
[ -s "$output_path" ] || { echo "chromium wrote no screenshot to $output_path" >&2; exit 1; }
echo "$output_path: $(stat -c %s "$output_path") bytes"
