#!/usr/bin/env bash
# Runs one libFuzzer harness for a bounded time on a fresh copy of its seed corpus (libFuzzer
# adds what it finds to the corpus folder it is given; the committed seeds stay untouched).
#   run_harness.sh HARNESS SEED_DIR WORK_DIR SECONDS [extra libFuzzer flags]
# Exit 0 when the run ends without a crash, leak, sanitizer report, timeout or out-of-memory;
# otherwise libFuzzer's own non-zero status, with the reproducer in WORK_DIR/artifacts/.
set -euo pipefail
harness=$1 seeds=$2 work=$3 seconds=$4
shift 4
rm -rf "$work/corpus" "$work/artifacts"
mkdir -p "$work/corpus" "$work/artifacts"
cp -R "$seeds/." "$work/corpus/"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# No Hyperscan database cache (scanner/signature/hs_cache.h): one file per fuzzed rule set.
export PROVSCAN_CACHE_DIR=
exec "$harness" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$@" "$work/corpus"
