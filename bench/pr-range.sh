#!/usr/bin/env bash
# A pull request's range on a large history: provscan vs `git log -p BASE..HEAD | rg -f PATTERNS`
# with the same signature patterns, and provscan's fixed start-up cost with the Hyperscan cache
# cold (a fresh folder each run) and warm (the scans use the warm cache, as a CI job that keeps
# it). Prints a table of wall times (RUNS runs each: mean, min, max) and the ratios.
# Usage: bench/pr-range.sh REPO [RUNS] [COMMITS]      (defaults: 3 runs, HEAD~20..HEAD)
# Needs: ripgrep python3-yaml; a Release build (BUILD_TYPE=Release scripts/setup.sh build-release),
# or PROVSCAN=/path/to/provscan.
set -euo pipefail
repo=$(cd "$1" && pwd)
runs=${2:-3}
n=${3:-20}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${PROVSCAN:-$here/build-release/provscan}
range="HEAD~$n..HEAD"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/bench/patterns.py" "$work/patterns.txt" "$work/rules" "$here/rules/packs" >/dev/null

git -C "$repo" rev-parse --verify -q "HEAD~$n" >/dev/null || { echo "$repo has fewer than $n commits" >&2; exit 2; }
total=$(git -C "$repo" rev-list --count HEAD)
in_range=$(git -C "$repo" rev-list --count "$range")
echo "repository: $repo ($total commits from HEAD $(git -C "$repo" rev-parse --short=12 HEAD)); range $range: $in_range commits"
echo "provscan: $bin ($("$bin" version)); cores: $(nproc); runs: $runs"
echo

# name<TAB>command; provscan's exit 1 (findings) and 3 (incomplete) are results, not failures.
cases=(
  "git log -p | rg (same signature patterns)"$'\t'"git -C '$repo' log -p --no-color '$range' | rg --no-unicode -c -f '$work/patterns.txt' >/dev/null || true"
  "provscan scan, signatures only (same patterns)"$'\t'"'$bin' scan '$repo' --range '$range' --no-default-rules --rules '$work/rules' --format json --output /dev/null --progress never --cache-dir '$work/cache' || { rc=\$?; [ \$rc -eq 1 ] || [ \$rc -eq 3 ]; }"
  "provscan scan, default packs (all engines)"$'\t'"'$bin' scan '$repo' --range '$range' --format json --output /dev/null --progress never --cache-dir '$work/cache' || { rc=\$?; [ \$rc -eq 1 ] || [ \$rc -eq 3 ]; }"
  "start-up, cache cold: scan of an empty range (HEAD..HEAD)"$'\t'"d=\$(mktemp -d); '$bin' scan '$repo' --range HEAD..HEAD --format json --output /dev/null --progress never --cache-dir \$d; rm -rf \$d"
  "start-up, cache warm: scan of an empty range (HEAD..HEAD)"$'\t'"'$bin' scan '$repo' --range HEAD..HEAD --format json --output /dev/null --progress never --cache-dir '$work/cache'"
)

now() { date +%s.%N; }
declare -A mean
printf '| %-62s | %8s | %8s | %8s |\n' "command" "mean s" "min s" "max s"
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..64})" "----------" "----------" "----------"
for c in "${cases[@]}"; do
  name=${c%%$'\t'*}
  cmd=${c#*$'\t'}
  times=()
  sh -c "$cmd" >/dev/null 2>&1 || { echo "failed: $cmd" >&2; exit 2; }  # warm-up (page cache)
  for ((i = 0; i < runs; i++)); do
    t0=$(now)
    sh -c "$cmd" >/dev/null 2>&1
    t1=$(now)
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.4f", b - a}')")
  done
  read -r avg lo hi < <(printf '%s\n' "${times[@]}" | awk 'NR==1{lo=$1;hi=$1} {s+=$1; if($1<lo)lo=$1; if($1>hi)hi=$1} END{printf "%.3f %.3f %.3f\n", s/NR, lo, hi}')
  mean[$name]=$avg
  printf '| %-62s | %8s | %8s | %8s |\n' "$name" "$avg" "$lo" "$hi"
done
echo
peer=${mean["git log -p | rg (same signature patterns)"]}
sig=${mean["provscan scan, signatures only (same patterns)"]}
all=${mean["provscan scan, default packs (all engines)"]}
awk -v p="$peer" -v s="$sig" -v a="$all" 'BEGIN{
  printf "ratio provscan signatures / git log -p | rg: %.2f\n", s / p
  printf "ratio provscan default packs / git log -p | rg: %.2f\n", a / p }'
