# Fixture for sh.systemd-unit-from-tmp (written for provscan; not from any project).
# ruleid: sh.systemd-unit-from-tmp
ExecStart=/dev/shm/.kworker
# ruleid: sh.systemd-unit-from-tmp
ExecStart=/tmp/updater --daemon
# ok: sh.systemd-unit-from-tmp
ExecStart=/usr/local/bin/app serve
# ok: sh.systemd-unit-from-tmp
ExecStart=/opt/app/bin/start.sh
