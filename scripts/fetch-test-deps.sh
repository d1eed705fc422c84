#!/usr/bin/env bash
# Test-only inputs the test suite reads offline (scripts/setup.sh runs this when
# PROVSCAN_TEST_TOOLS=1, as scripts/test.sh does):
#
# - The SARIF 2.1.0 JSON schema: the OASIS schema with its errata01 (suppression.status,
#   format uuid, the fixed language pattern), as Microsoft's SARIF SDK ships it in the npm
#   package @microsoft/sarif-multitool-ts (assets/sarif-2.1.0.schema.json). The version is
#   pinned in tests/reports/sarif-schema/package-lock.json; `npm ci` checks every tarball's
#   integrity and --ignore-scripts runs no install script. The schema's own sha256 is checked
#   too, so a changed file is never used silently. node_modules/ is git-ignored.
#
# Idempotent: nothing is fetched when the installed schema already has the pinned sha256.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$here/tests/reports/sarif-schema"
schema="$dir/node_modules/@microsoft/sarif-multitool-ts/assets/sarif-2.1.0.schema.json"
sha256=1c49a0f2b60444c71bb14878e21e0d882198eff4c539861b133093ad89ed798c

pinned() { [[ -f "$schema" ]] && echo "$sha256  $schema" | sha256sum --check --status; }

if pinned; then
  echo "fetch-test-deps: SARIF 2.1.0 schema present ($schema)"
  exit 0
fi
command -v npm >/dev/null || { echo "fetch-test-deps: npm not found (apt-get install npm)" >&2; exit 2; }
(cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund)
if ! pinned; then
  echo "fetch-test-deps: $schema does not have the pinned sha256 $sha256" >&2
  exit 2
fi
echo "fetch-test-deps: SARIF 2.1.0 schema installed in $dir/node_modules"
