#!/usr/bin/env bash
# Lines alive at HEAD for every file: `provscan blame` (one pass over history) vs one
# `git blame --line-porcelain` per file, serially, as per-file blame tools do. Also checks the
# answers agree: total lines per author e-mail, from both.
# Usage: bench/blame-vs-git.sh REPO   (PROVSCAN=path/to/provscan, default build-release/provscan)
set -euo pipefail
repo=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${PROVSCAN:-$here/build-release/provscan}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "repository: $repo ($(git -C "$repo" rev-list HEAD | wc -l) commits at HEAD), cores: $(nproc)"
git -C "$repo" ls-tree -r -z --name-only HEAD > "$work/files"
start=$(date +%s.%N)
xargs -0 -I{} git -C "$repo" blame --line-porcelain HEAD -- {} < "$work/files" > "$work/git-blame.txt" 2>/dev/null || true
mid=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$work/rss" "$bin" blame "$repo" --format json > "$work/provscan.json"
end=$(date +%s.%N)
git_s=$(echo "$mid - $start" | bc); ps_s=$(echo "$end - $mid" | bc)
echo "per-file git blame: ${git_s} s; provscan blame: ${ps_s} s (peak RSS $(cat "$work/rss") KiB); ratio $(echo "scale=2; $git_s / $ps_s" | bc)x"
# Agreement: lines per author e-mail (git blame counts binary files' lines too; provscan skips them).
grep -a '^author-mail ' "$work/git-blame.txt" | sed 's/^author-mail <\(.*\)>$/\1/' | sort | uniq -c | sort -k2 > "$work/git.counts"
python3 - "$work/provscan.json" "$work/git.counts" <<'PY'
import json, re, sys
p = json.load(open(sys.argv[1]))
mine = {}
for g in p["groups"]:
    m = re.search(r"<([^>]*)>$", g["identity"] or "")
    mine[m.group(1) if m else g["identity"]] = mine.get(m.group(1) if m else g["identity"], 0) + g["lines"]
theirs = {}
for line in open(sys.argv[2]):
    n, mail = line.strip().split(" ", 1)
    theirs[mail] = int(n)
total = sum(theirs.values())
same = sum(min(mine.get(k, 0), v) for k, v in theirs.items())
print(f"agreement by author e-mail: {same}/{total} lines ({100.0 * same / max(total, 1):.2f}%); provscan total {p['total_lines']}")
PY
