#!/usr/bin/env bash
# Builds the libFuzzer harnesses (build-fuzz, clang-14) and runs each for SECONDS (default 30)
# on a copy of its seed corpus (tests/fuzz/corpus/NAME), one after another. Exit 1 when any
# harness crashes, leaks, trips a sanitizer, hangs past -timeout=10 s or exceeds 2 GiB; the
# reproducers are left in BUILD/fuzz-work/NAME/artifacts/.
#
#   scripts/fuzz.sh [SECONDS] [NAME...]      (JOBS=N for the build; BUILD=dir, default build-fuzz)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
shift || true
build=${BUILD:-$here/build-fuzz}
all=(rules roster policy commit tree reports engines)
if [ $# -gt 0 ]; then names=("$@"); else names=("${all[@]}"); fi

cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DPROVSCAN_FUZZ=ON -DPROVSCAN_TESTS=OFF >/dev/null
CCACHE_NOHASHDIR=1 cmake --build "$build" -j"${JOBS:-2}" --target "${names[@]/#/fuzz_}"

export PROVSCAN_PACKS=$here/rules/packs
failed=()
for name in "${names[@]}"; do
  log=$build/fuzz-work/$name.log
  mkdir -p "$build/fuzz-work"
  if "$here/tests/fuzz/run_harness.sh" "$build/fuzz/fuzz_$name" "$here/tests/fuzz/corpus/$name" \
      "$build/fuzz-work/$name" "$seconds" >"$log" 2>&1; then
    status=ok
  else
    status=FAILED
    failed+=("$name")
  fi
  runs=$(grep -a '^stat::number_of_executed_units' "$log" | awk '{print $2}' || true)
  cov=$(grep -ao 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}' || true)
  echo "fuzz $name: $status, ${runs:-?} executions, cov ${cov:-?} (log: $log)"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]} (reproducers: $build/fuzz-work/NAME/artifacts/)" >&2
  exit 1
fi
