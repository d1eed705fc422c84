#!/usr/bin/env bash
# Lines alive at HEAD for every file: `provscan blame` (one pass over history) vs one
# `git blame --line-porcelain` per file, serially, as per-file blame tools do. Both are timed in
# the same run. Then checks the answers agree, line by line: every line of every text file at
# HEAD must name the same commit (provscan's per-line answer comes from the test binary's dump
# case, which calls the same git::blame_all; that run is not timed).
# Usage: bench/blame-vs-git.sh REPO
#   PROVSCAN=path/to/provscan (default build-release/provscan)
#   TEST_GIT=path/to/test_git (default: next to PROVSCAN, tests/test_git)
#   KEEP=DIR keeps the raw outputs (git-blame.txt, provscan.json, provscan.dump) in DIR.
set -euo pipefail
repo=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${PROVSCAN:-$here/build-release/provscan}
test_git=${TEST_GIT:-$(dirname "$bin")/tests/test_git}
work=${KEEP:-$(mktemp -d)}
mkdir -p "$work"
[[ -n ${KEEP:-} ]] || trap 'rm -rf "$work"' EXIT
# No user or system configuration may change git's answer (or its speed).
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
echo "repository: $repo ($(git -C "$repo" rev-list HEAD | wc -l) commits at HEAD), cores: $(nproc)"
git -C "$repo" ls-tree -r -z --name-only HEAD > "$work/files"
start=$(date +%s.%N)
# One git process per file, as with xargs; a marker line (printf is a bash builtin: no extra
# process) names the file each block of output belongs to.
while IFS= read -r -d '' f; do
  printf '\001FILE %s\n' "$f"
  git -C "$repo" blame --line-porcelain HEAD -- "$f" 2>/dev/null || true
done < "$work/files" > "$work/git-blame.txt"
mid=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$work/rss" "$bin" blame "$repo" --format json > "$work/provscan.json"
end=$(date +%s.%N)
git_s=$(echo "$mid - $start" | bc); ps_s=$(echo "$end - $mid" | bc)
echo "per-file git blame: ${git_s} s; provscan blame: ${ps_s} s (peak RSS $(cat "$work/rss") KiB); ratio $(echo "scale=2; $git_s / $ps_s" | bc)x"

PROVSCAN_BLAME_DUMP_REPO="$repo" PROVSCAN_BLAME_DUMP_OUT="$work/provscan.dump" \
  "$test_git" -tc='blame_all: dump for the benchmark' > /dev/null
python3 - "$work/git-blame.txt" "$work/provscan.dump" "$work/provscan.json" <<'PY'
import json, re, sys
header = re.compile(rb"^([0-9a-f]{40}) \d+ (\d+)(?: \d+)?$")
git = {}
cur = None
for line in open(sys.argv[1], "rb"):
    line = line.rstrip(b"\n")
    if line.startswith(b"\x01FILE "):
        cur = git.setdefault(line[6:], [])
        continue
    if line.startswith(b"\t") or cur is None:
        continue
    m = header.match(line)
    if m:
        n = int(m.group(2))
        if len(cur) < n:
            cur.extend([None] * (n - len(cur)))
        cur[n - 1] = m.group(1)
ours = {}
for line in open(sys.argv[2], "rb"):
    path, _, commits = line.rstrip(b"\n").partition(b"\0")
    ours[path] = commits.split(b" ") if commits else []
lines = same = files_same = 0
bad = []
for path, mine in ours.items():
    theirs = git.get(path, [])
    n = max(len(mine), len(theirs))
    s = sum(1 for a, b in zip(mine, theirs) if a == b)
    lines += n
    same += s
    if s == n:
        files_same += 1
    else:
        bad.append((n - s, path.decode(errors="replace")))
skipped = len(git) - len(ours)
print(f"agreement line by line: {same}/{lines} lines ({100.0 * same / max(lines, 1):.3f}%), "
      f"{files_same}/{len(ours)} files identical; {skipped} paths skipped by provscan "
      f"(binary, symlink, submodule)")
for n, p in sorted(bad, reverse=True)[:30]:
    print(f"  differs: {n} lines in {p}")
print(f"provscan total lines (json): {json.load(open(sys.argv[3]))['total_lines']}")
PY
