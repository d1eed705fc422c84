#!/usr/bin/env bash
# The whole test suite built with AddressSanitizer + UndefinedBehaviorSanitizer (g++), run
# through ctest. Any sanitizer report aborts the test that triggered it (-fno-sanitize-recover),
# so ctest's failures are the findings. Prints the wall time of the build and of the tests.
#
#   scripts/test-sanitizers.sh [BUILD_DIR]     (default: build-asan; JOBS=N to change -j2)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build-asan}
jobs=${JOBS:-2}

start=$(date +%s)
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ -DPROVSCAN_SANITIZE=ON -DPROVSCAN_FUZZ=OFF
CCACHE_NOHASHDIR=1 cmake --build "$build" -j"$jobs"
built=$(date +%s)

# halt_on_error: the first report fails the test. detect_leaks: leaks are findings too.
# strict_string_checks and detect_stack_use_after_return catch more at a small cost.
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:abort_on_error=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export PROVSCAN_REQUIRE_SIGNING_TOOLS=${PROVSCAN_REQUIRE_SIGNING_TOOLS:-1}
status=0
(cd "$build" && ctest --output-on-failure -j"$jobs" --timeout 1200) || status=$?
done_=$(date +%s)
echo "sanitizer build: $((built - start)) s, tests: $((done_ - built)) s, total: $((done_ - start)) s"
exit $status
