#!/usr/bin/env bash
# Precision run: the default rule packs over the whole history of a real repository, and the
# findings per rule, per 1,000 commits and per 100,000 added lines. Judging which findings are
# false alarms is a person's job: the script prints each rule's findings (path:line, commit,
# snippet) into REPORT_DIR/<rule>.txt for review, and the counts as a Markdown table.
# Usage: bench/precision.sh REPO [REPORT_DIR]   (PROVSCAN=path/to/provscan, default build-release/provscan)
set -euo pipefail
repo=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${PROVSCAN:-$here/build-release/provscan}
out=${2:-$(mktemp -d)}
mkdir -p "$out"
echo "repository: $repo ($(git -C "$repo" rev-list --all | wc -l) commits on all refs), cores: $(nproc)"
start=$(date +%s.%N)
set +e
/usr/bin/time -f "%M" -o "$out/rss" "$bin" scan "$repo" --all --format json --output "$out/scan.json" --no-fail-on-skip --progress never
rc=$?
set -e
end=$(date +%s.%N)
echo "provscan scan --all: exit $rc, $(echo "$end - $start" | bc) s, peak RSS $(cat "$out/rss") KiB"
python3 - "$out/scan.json" "$out" <<'PY'
import collections, json, os, sys
r = json.load(open(sys.argv[1]))
out = sys.argv[2]
commits = r["summary"]["commits"]
added = sum(c["lines_added"] for c in r["contributors"])
by_rule = collections.defaultdict(list)
for f in r["findings"]:
    by_rule[f["rule_id"]].append(f)
print(f"commits {commits}, lines added {added}, findings {len(r['findings'])}, skipped {r['summary']['skipped']}")
print("| rule | findings | per 1k commits | per 100k added lines |")
print("|---|---:|---:|---:|")
for rule, fs in sorted(by_rule.items(), key=lambda kv: (-len(kv[1]), kv[0])):
    print(f"| {rule} | {len(fs)} | {1000.0 * len(fs) / max(commits, 1):.2f} | {100000.0 * len(fs) / max(added, 1):.2f} |")
    with open(os.path.join(out, rule + ".txt"), "w") as fh:
        for f in fs:
            fh.write(f"{f['path']}:{f['line']} {f['commit'][:10]} {f['author']['identity']}\n")
            for line in (f["snippet"] or "").splitlines()[:4]:
                fh.write(f"    {line[:200]}\n")
kinds = collections.Counter(s["kind"] for s in r["skipped"])
print("skipped by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
PY
