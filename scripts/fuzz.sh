#!/usr/bin/env bash
# Runs every libFuzzer harness (tests/fuzz/) for SECONDS (default 30) on a fresh copy of its seed
# corpus (tests/fuzz/corpus/NAME), JOBS (default 2) harnesses at a time, one core each; builds
# them first (clang-14, ASan+UBSan+libFuzzer) when BUILD is not built yet. Exit 1 when any
# harness crashes, leaks, trips a sanitizer or one of its own checks, hangs past -timeout=10 s or
# exceeds 2 GiB; the reproducers are left in BUILD/fuzz-work/NAME/artifacts/ and the log in
# BUILD/fuzz-work/NAME.log. Prints each harness's executions and coverage, and the wall time.
#
#   scripts/fuzz.sh [SECONDS] [NAME...]
#     BUILD=dir  the build (default build-fuzz). scripts/test.sh passes its sanitizer build
#                (build-asan, configured by scripts/test-sanitizers.sh), which holds the harnesses.
#     JOBS=N     harnesses run at once, and compile jobs (default 2)
#
# The harnesses: rules (rule loader + compiling every engine's rules), roster, policy (loader,
# describe, evaluate), commit (commit header + identity parsers), tree (tree-entry parser), pack
# (pack index and delta-chain reader), reports (every report writer), engines (the contribution-to-finding path: a blob through the
# signature, query, blob, build and text detectors with the bundled packs).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
shift || true
build=${BUILD:-$here/build-fuzz}
jobs=${JOBS:-2}
all=(rules roster policy commit tree pack reports engines)
if [ $# -gt 0 ]; then names=("$@"); else names=("${all[@]}"); fi

start=$(date +%s)
if [[ ! -f $build/CMakeCache.txt ]]; then  # a harness-only build; an existing one is used as it is
  cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DPROVSCAN_FUZZ=ON -DPROVSCAN_TESTS=OFF >/dev/null
fi
CCACHE_NOHASHDIR=1 cmake --build "$build" -j"$jobs" --target "${names[@]/#/fuzz_}"
built=$(date +%s)

export PROVSCAN_PACKS=$here/rules/packs
# The harnesses' own sanitizer settings (tests/fuzz/run_harness.sh), not a caller's.
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
work=$build/fuzz-work
mkdir -p "$work"

run_one() {
  local name=$1 log=$work/$1.log status=ok
  "$here/tests/fuzz/run_harness.sh" "$build/fuzz/fuzz_$name" "$here/tests/fuzz/corpus/$name" \
    "$work/$name" "$seconds" >"$log" 2>&1 || status=FAILED
  local runs cov
  runs=$(grep -a '^stat::number_of_executed_units' "$log" | awk '{print $2}' || true)
  cov=$(grep -ao 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}' || true)
  echo "fuzz $name: $status, ${runs:-?} executions in ${seconds} s, cov ${cov:-?} (log: $log)"
  [[ $status == ok ]]
}

pids=() failed=()
declare -A name_of
for name in "${names[@]}"; do
  while (( $(jobs -rp | wc -l) >= jobs )); do wait -n || true; done
  run_one "$name" &
  pids+=($!)
  name_of[$!]=$name
done
for pid in "${pids[@]}"; do
  wait "$pid" || failed+=("${name_of[$pid]}")
done
done_=$(date +%s)
echo "fuzz: build $((built - start)) s, runs $((done_ - built)) s (${#names[@]} harnesses x ${seconds} s, $jobs at a time)"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]} (reproducers: $work/NAME/artifacts/, logs: $work/NAME.log)" >&2
  for name in "${failed[@]}"; do
    echo "==== $work/$name.log (last 60 lines)" >&2
    tail -n 60 "$work/$name.log" >&2
  done
  exit 1
fi
