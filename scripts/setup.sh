#!/usr/bin/env bash
# Installs what provscan needs on Debian 12 (as root), fetches the pinned tree-sitter grammars
# and builds. Idempotent: a second run installs nothing and rebuilds only what changed.
# Usage: scripts/setup.sh [BUILD_DIR]   (default: build; BUILD_TYPE env: RelWithDebInfo)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}

packages=(
  build-essential cmake pkg-config ccache git ca-certificates
  libgit2-dev libhyperscan-dev libtree-sitter-dev
  libclang-cpp14-dev libclang-14-dev llvm-14-dev
  libfmt-dev libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libssl-dev libpcre2-dev doctest-dev
  gzip openssh-client gnupg
)
# The test suite also renders report.html in a headless browser, and validates SARIF against
# the official 2.1.0 JSON schema with Debian's python3-jsonschema; scripts/test.sh then builds it
# again with clang-14's AddressSanitizer/UndefinedBehaviorSanitizer and runs the libFuzzer
# harnesses (the runtimes are in libclang-rt-14-dev, only recommended by clang-14), with ninja
# (scripts/test.sh sets PROVSCAN_TEST_TOOLS=1).
if [[ ${PROVSCAN_TEST_TOOLS:-0} == 1 ]]; then
  packages+=(chromium python3 python3-jsonschema clang-14 libclang-rt-14-dev ninja-build)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

"$here/scripts/fetch-grammars.sh"
if [[ ${PROVSCAN_TEST_TOOLS:-0} == 1 ]]; then
  "$here/scripts/fetch-test-deps.sh"  # the pinned SARIF 2.1.0 schema (npm)
fi

cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
cmake --build "$build" -j"$(nproc)"
