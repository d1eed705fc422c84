#!/usr/bin/env bash
# Installs the pinned tree-sitter grammar sources (scanner/query/grammars/package-lock.json)
# from the npm registry into scanner/query/grammars/node_modules, which the build compiles.
#
# - `npm ci` installs exactly what the lock file names and checks every tarball's integrity.
# - --ignore-scripts: grammar packages have install scripts that build or download native
#   Node bindings; we need only their C sources, and no install step may fetch binaries.
# - --omit=peer: the grammars' peer dependency is the Node `tree-sitter` binding, not needed.
# - Idempotent: skips the install when node_modules already holds the locked version of every
#   package in the lock file.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="$here/../scanner/query/grammars"
cd "$dir"

# node_modules matches the lock when every package the lock names is installed at the locked
# version (npm writes the lock's tree to node_modules/.package-lock.json; we check the real
# package.json files so a deleted or edited grammar folder is noticed too).
matches_lock() {
  [[ -d node_modules ]] || return 1
  command -v node >/dev/null || return 1
  node -e '
    const fs = require("fs");
    const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
    for (const [path, meta] of Object.entries(lock.packages || {})) {
      if (!path || meta.peer) continue;
      let got;
      try { got = JSON.parse(fs.readFileSync(path + "/package.json", "utf8")).version; }
      catch { process.exit(1); }
      if (got !== meta.version) process.exit(1);
    }
  '
}

if matches_lock; then
  echo "fetch-grammars: node_modules matches package-lock.json; nothing to do"
  exit 0
fi

command -v npm >/dev/null || { echo "fetch-grammars: npm not found (apt-get install npm)" >&2; exit 2; }
npm ci --ignore-scripts --omit=peer --no-audit --no-fund

# Debian's libtree-sitter 0.20.7 loads grammar ABI 13..14 only; refuse anything else now
# rather than at run time. Some packages hold several grammars in sub-folders
# (tree-sitter-typescript/{typescript,tsx}/src, tree-sitter-php/{php,php_only}/src).
shopt -s nullglob
for p in node_modules/tree-sitter-*/src/parser.c node_modules/tree-sitter-*/*/src/parser.c; do
  v="$(sed -n 's/^#define LANGUAGE_VERSION \([0-9]*\).*/\1/p' "$p")"
  if [[ "$v" != 13 && "$v" != 14 ]]; then
    echo "fetch-grammars: $p has LANGUAGE_VERSION '$v'; the runtime accepts 13..14" >&2
    rm -rf node_modules
    exit 2
  fi
done
echo "fetch-grammars: grammars installed in $dir/node_modules"
