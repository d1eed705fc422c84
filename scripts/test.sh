#!/usr/bin/env bash
# The README's second command, and what CI runs (.ci/run). Phases, each timed:
#   1. setup      install packages (the test tools too: Chromium, python3-jsonschema, clang-14 with
#                 its sanitizer and libFuzzer runtimes, ninja), fetch the pinned grammars, build
#                 provscan and the test suite with g++ in build/        (scripts/setup.sh)
#   2. tests      the whole suite through ctest in build/
#   3. asan-build the whole suite and the libFuzzer harnesses again with clang-14, ASan+UBSan, in
#                 build-asan/                            (scripts/test-sanitizers.sh, one build)
#   4. asan-tests the whole suite through ctest under ASan+UBSan; any sanitizer report fails it
#   5. fuzz       every libFuzzer harness for FUZZ_SECONDS (default 30) s on its seed corpus,
#                 two at a time                                          (scripts/fuzz.sh)
# A failing build stops the run; failing tests do not stop the later phases, but the script
# exits 1 after them. Ends with a table of each phase's wall time.
#
# From a fresh clone on 2 cores without ccache, packages already installed: about 23 minutes
# (setup 8, tests 1.5, asan-build 10, asan-tests 2.5, fuzz 2); the apt installs of a fresh
# machine add a few. A second run reuses build/, build-asan/ and ccache. Set JOBS=N to change the sanitizer build's
# and the fuzzing's parallelism (default 2: two cores).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
fuzz_seconds=${FUZZ_SECONDS:-30}
export JOBS=${JOBS:-2}

phases=() failed=()
run_phase() {  # NAME COMMAND...: runs and times COMMAND; returns its status
  local name=$1 t0 status=0
  shift
  t0=$(date +%s)
  echo "== phase $name: $*" >&2
  "$@" || status=$?
  local t=$(( $(date +%s) - t0 ))
  phases+=("$(printf '%-11s %5d s  %s' "$name" "$t" "$([[ $status == 0 ]] && echo ok || echo "FAILED ($status)")")")
  echo "== phase $name: ${t} s, status $status" >&2
  [[ $status == 0 ]] || failed+=("$name")
  return $status
}
summary() {
  echo "== test.sh phases (wall time):" >&2
  printf '   %s\n' "${phases[@]}" >&2
}
trap summary EXIT

# PROVSCAN_REQUIRE_SIGNING_TOOLS: signature tests must run, never skip.
# PROVSCAN_REQUIRE_BROWSER: report.html is rendered in headless Chromium, never skipped.
plain_tests() {
  cd "$here/build" &&
    PROVSCAN_REQUIRE_SIGNING_TOOLS=1 PROVSCAN_REQUIRE_BROWSER=1 \
      ctest --output-on-failure -j"$(nproc)" --timeout 600
}

run_phase setup env PROVSCAN_TEST_TOOLS=1 "$here/scripts/setup.sh" "$here/build"
run_phase tests plain_tests || true
run_phase asan-build env BUILD_ONLY=1 "$here/scripts/test-sanitizers.sh" "$here/build-asan"
run_phase asan-tests "$here/scripts/test-sanitizers.sh" "$here/build-asan" || true
run_phase fuzz env BUILD="$here/build-asan" "$here/scripts/fuzz.sh" "$fuzz_seconds" || true

if ((${#failed[@]})); then
  echo "test.sh: FAILED phases: ${failed[*]}" >&2
  exit 1
fi
echo "test.sh: all phases passed" >&2
