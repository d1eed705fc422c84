#!/usr/bin/env python3
"""Writes the signature rules of rule files/folders as (1) one ripgrep pattern per line and
(2) a rule folder holding only those signature rules, so provscan and the peer pipeline match
exactly the same patterns. Usage: patterns.py OUT_PATTERNS OUT_RULE_DIR RULE_PATH..."""
import os
import re
import sys

import yaml  # Debian: python3-yaml


def rule_files(path):
    if os.path.isfile(path):
        yield path
        return
    for root, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if not d.endswith((".match", ".ok"))]
        stems = {f[:-5] for f in files if f.endswith(".yaml")}
        for f in sorted(files):
            if f.endswith(".yaml") and not any(f != s + ".yaml" and f.startswith(s + ".") for s in stems):
                yield os.path.join(root, f)


def main():
    out_patterns, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    patterns, rules = [], []
    for p in sys.argv[3:]:
        for f in rule_files(p):
            for r in (yaml.safe_load(open(f, encoding="utf-8")) or {}).get("rules", []):
                if r.get("engine") != "signature":
                    continue
                r = dict(r)
                r.pop("paths", None)  # the peer cannot filter by path: neither do we here
                rules.append(r)
                caseless = "caseless" in r.get("flags", [])
                pre = "(?i)" if caseless else ""
                if "regex" in r:
                    patterns.append(pre + r["regex"])
                for lit in r.get("literals", []):
                    # rg --no-unicode matches bytes: spell non-ASCII as \xNN byte escapes.
                    patterns.append(pre + "".join(
                        re.escape(chr(b)) if b < 128 else "\\x%02X" % b for b in lit.encode("utf-8")))
    with open(out_patterns, "w", encoding="utf-8") as fh:
        fh.write("\n".join(patterns) + "\n")
    with open(os.path.join(out_dir, "signatures.yaml"), "w", encoding="utf-8") as fh:
        yaml.safe_dump({"rules": rules}, fh, allow_unicode=True, sort_keys=False)
    print(f"{len(rules)} signature rules, {len(patterns)} patterns", file=sys.stderr)


main()
