#!/bin/bash
# Fixture for ci.runner-memory-scrape (provscan's own).
# ruleid: ci.runner-memory-scrape
PID=$(pgrep -f Runner.Worker | head -n1)
# ruleid: ci.runner-memory-scrape
sudo dd if=/proc/$PID/mem bs=1 skip="$start" count="$len" 2>/dev/null
# ok: ci.runner-memory-scrape
grep MemTotal /proc/meminfo
# ok: ci.runner-memory-scrape
cat /proc/self/status
