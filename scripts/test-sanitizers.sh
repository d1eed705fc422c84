#!/usr/bin/env bash
# The whole test suite built with clang-14, AddressSanitizer + UndefinedBehaviorSanitizer, and run
# through ctest (scripts/test.sh runs this after the plain suite). The same build also holds the
# libFuzzer harnesses (-DPROVSCAN_FUZZ=ON: the libraries carry libFuzzer's coverage hooks, which
# do nothing unless libFuzzer is linked), so `BUILD=<this dir> scripts/fuzz.sh` runs them without
# building again. The generated tree-sitter parser.c files get coverage but no ASan/UBSan (see
# the top-level CMakeLists.txt).
#
# Any sanitizer report ends the process that made it (halt_on_error, -fno-sanitize-recover) with
# exit status 86, and is written to BUILD/sanitizer-logs/: a report from a process whose exit
# status no test looks at (an engine worker, a child whose output a test only reads) still fails
# this script, which then prints it. Leaks are findings too (detect_leaks=1), except the
# third-party ones listed in scripts/lsan-suppressions.txt.
#
# Excluded under sanitizers (nothing else is skipped; two tests run apart, see below):
#   hostile: a worker that exhausts its address space ...  compiled out in
#     tests/hostile/isolation_test.cpp: ASan reserves terabytes of shadow address space, so the
#     worker sets no RLIMIT_AS under ASan and there is no limit to exhaust.
#
# Prints the wall time of the build and of the tests.
#   scripts/test-sanitizers.sh [BUILD_DIR]   (default build-asan; JOBS=N parallel jobs, default 2;
#                                             BUILD_ONLY=1 builds and stops)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$here/build-asan}")  # absolute: log_path is read in every test's cwd
jobs=${JOBS:-2}

start=$(date +%s)
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DPROVSCAN_SANITIZE=ON -DPROVSCAN_FUZZ=ON -DPROVSCAN_TESTS=ON >/dev/null
CCACHE_NOHASHDIR=1 cmake --build "$build" -j"$jobs"
built=$(date +%s)
echo "sanitizer build: $((built - start)) s"
[[ ${BUILD_ONLY:-0} == 1 ]] && exit 0

logs=$build/sanitizer-logs
rm -rf "$logs"
mkdir -p "$logs"
# halt_on_error: the first report fails the test. detect_leaks: leaks are findings too.
# strict_string_checks and detect_stack_use_after_return catch more at a small cost.
# exitcode=86: a report is not mistaken for one of provscan's own exit codes (0-3).
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:abort_on_error=0:exitcode=86:log_path=$logs/asan
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=86:log_path=$logs/ubsan
# print_suppressions=0: a suppressed leak writes nothing (any log file is a finding).
export LSAN_OPTIONS=exitcode=86:print_suppressions=0:suppressions=$here/scripts/lsan-suppressions.txt
export PROVSCAN_REQUIRE_SIGNING_TOOLS=1  # signature tests must run, never skip
export PROVSCAN_REQUIRE_BROWSER=1        # report.html is rendered in headless Chromium, never skipped
status=0
# Tests run apart from the rest, each with the one ASan setting it needs (everything else as above):
#  - the worker-crash test, with ASan's SIGSEGV handler off: its worker raises SIGSEGV on purpose
#    (PROVSCAN_TEST_WORKER_FAULT=crash) and the test checks that the worker died of that signal;
#    ASan would turn the signal into a report and exit status 86.
#  - the query-error test, with full stack unwinding on malloc: it triggers libtree-sitter's leak
#    in ts_query_new (scripts/lsan-suppressions.txt), and the library has no frame pointers, so
#    the default fast unwinder stops inside it and the suppression could not name the function.
apart_tests=('^hostile/hostile: a worker killed by a signal while parsing' handle_segv=0
             '^scanner/query/query errors point at the place in the rule file' fast_unwind_on_malloc=0)
apart_regex=$(for ((i = 0; i < ${#apart_tests[@]}; i += 2)); do printf '%s|' "${apart_tests[i]}"; done)
# The harnesses (label fuzz) are scripts/fuzz.sh's. Timeouts are twice the plain suite's: the
# instrumented code runs 2-3x slower.
(cd "$build" && ctest --output-on-failure -j"$jobs" --timeout 1200 -LE '^fuzz$' -E "${apart_regex%|}") || status=$?
for ((i = 0; i < ${#apart_tests[@]}; i += 2)); do
  (cd "$build" && ASAN_OPTIONS=$ASAN_OPTIONS:${apart_tests[i + 1]} \
     ctest --output-on-failure --timeout 1200 -R "${apart_tests[i]}" --no-tests=error) || status=$?
done
done_=$(date +%s)

reports=$(find "$logs" -type f | sort)
if [[ -n $reports ]]; then
  echo "sanitizer reports ($(echo "$reports" | wc -l) processes):" >&2
  for f in $reports; do
    echo "==== $f" >&2
    cat "$f" >&2
  done
  status=1
fi
echo "sanitizer build: $((built - start)) s, tests: $((done_ - built)) s, total: $((done_ - start)) s"
exit $status
