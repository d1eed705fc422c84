#!/usr/bin/env bash
# Full-history signature scan: provscan vs the pipeline secret scanners use
# (`git log --all -p | rg -f PATTERNS`), with the same patterns, in one hyperfine run.
# Usage: bench/scan-vs-gitlog.sh REPO [RUNS]
# Needs: hyperfine ripgrep time python3-yaml (apt-get install -y hyperfine ripgrep time python3-yaml)
# and a Release build: BUILD_TYPE=Release scripts/setup.sh build-release
set -euo pipefail
repo=$(cd "$1" && pwd)
runs=${2:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${PROVSCAN:-$here/build-release/provscan}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/bench/patterns.py" "$work/patterns.txt" "$work/rules" "$here/rules/packs"

# The peer is only a fair baseline if it reads the whole history: a snapshot with refs whose
# objects are missing makes `git log` stop at the first one (provscan records and goes on).
if ! git -C "$repo" log --all -p --no-color > /dev/null; then
  echo "git log --all -p fails on $repo: missing objects. Benchmark a copy with only complete refs, e.g." >&2
  echo "  git -C COPY for-each-ref --format='delete %(refname)' | grep -v -E 'refs/(heads|tags)/' | git -C COPY update-ref --stdin" >&2
  exit 2
fi
echo "repository: $repo ($(git -C "$repo" rev-list --all | wc -l) commits), cores: $(nproc)"
hyperfine --warmup 1 --runs "$runs" --export-markdown "$work/hyperfine.md" \
  -n "git log -p | rg" "git -C '$repo' log --all -p --no-color | rg --no-unicode -c -f '$work/patterns.txt' || true" \
  -n "provscan (signatures)" "'$bin' scan '$repo' --all --no-default-rules --rules '$work/rules' --no-fail-on-skip --format json --output /dev/null --progress never || [ \$? -eq 1 ]" \
  -n "provscan (all engines, default packs)" "'$bin' scan '$repo' --all --no-fail-on-skip --format json --output /dev/null --progress never || [ \$? -eq 1 ]"
cat "$work/hyperfine.md"
echo "peak RSS (KiB):"
for what in signatures all; do
  if [ "$what" = signatures ]; then extra=(--no-default-rules --rules "$work/rules"); else extra=(); fi
  /usr/bin/time -f "  provscan ($what): %M KiB, %e s" "$bin" scan "$repo" --all "${extra[@]}" --no-fail-on-skip \
    --format json --output /dev/null --progress never || true
done
/usr/bin/time -f "  git log -p | rg: git %M KiB" sh -c "git -C '$repo' log --all -p --no-color > /dev/null"
