#!/usr/bin/env bash
# The README's second command: install, build and run the whole test suite through ctest.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
PROVSCAN_TEST_TOOLS=1 "$here/scripts/setup.sh" "$here/build"
cd "$here/build"
export PROVSCAN_REQUIRE_SIGNING_TOOLS=1  # signature tests must run, never skip
export PROVSCAN_REQUIRE_BROWSER=1        # report.html is rendered in headless Chromium, never skipped
ctest --output-on-failure -j"$(nproc)" --timeout 600
