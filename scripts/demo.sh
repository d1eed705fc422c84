#!/usr/bin/env bash
# The README's first command: install, build, create the bundled example repository and scan
# it. Exit code is provscan's (1: the example has planted findings, as it should).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/setup.sh" "$here/build"
"$here/examples/make-demo-repo.sh" "$here/examples/demo-repo"
set +e
"$here/build/provscan" scan "$here/examples/demo-repo" --all \
  --roster "$here/examples/roster.yaml" --policy "$here/examples/policy.yaml" --rules "$here/examples/rules"
rc=$?
echo "provscan exit code: $rc (0 clean, 1 findings at or above --fail-on, 2 error, 3 incomplete)"
[ "$rc" -eq 1 ]  # the demo plants backdoors: anything else means the demo is broken
