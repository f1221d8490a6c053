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
# On a failure the failed tests run once more, alone, so that their output ends the log (where the
# fresh-machine check and CI show it) and a test that passes alone is told apart from a broken one.
run_tests() {
  local preset=$1 log
  shift
  log=$(mktemp)
  if ctest --preset "$preset" -j "$jobs" "$@" 2>&1 | tee "$log"; then
    rm -f "$log"
    return 0
  fi
  # The output of each failed test as it failed among the others (ctest prints it after the
  # test's result line, before the next test's).
  echo "test.sh: the output of the failed tests of preset $preset:"
  awk '/^ *[0-9]+\/[0-9]+ Test +#/ { keep = /\*\*\*(Failed|Timeout|Exception)/ }
       /^ *Start +[0-9]+:/ || /^[0-9]+% tests passed/ { keep = 0 }
       keep' "$log"
  rm -f "$log"
  echo "test.sh: the failed tests of preset $preset once more, alone, with their output:"
  ctest --preset "$preset" --rerun-failed "$@" || true
  return 1
}

cmake --preset default >/dev/null
cmake --build --preset default -j "$jobs"
run_tests default

if [ "${1:-}" != "--quick" ]; then
  cmake --preset debug-asan >/dev/null
  cmake --build --preset debug-asan -j "$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_tests debug-asan -LE no-sanitizer

  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j "$jobs"
  run_tests fuzz
fi
