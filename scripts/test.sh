#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs every test, then the unit tests again
# under AddressSanitizer and UndefinedBehaviorSanitizer, and fuzzes every reader of outside input
# (libFuzzer, about 30 s each). `--quick` skips the sanitizer and fuzzing passes.
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache keys on paths relative to the checkout, so another clone of the project reuses them.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
bash scripts/install-deps.sh

jobs=$(nproc)
cmake --preset default >/dev/null
cmake --build --preset default -j "$jobs"
ctest --preset default -j "$jobs"

if [ "${1:-}" != "--quick" ]; then
  cmake --preset debug-asan >/dev/null
  cmake --build --preset debug-asan -j "$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --preset debug-asan -j "$jobs" -LE no-sanitizer

  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j "$jobs"
  ctest --preset fuzz -j "$jobs"
fi
