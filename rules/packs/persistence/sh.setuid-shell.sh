# Fixture for sh.setuid-shell (written for provscan; not from any project).
# ruleid: sh.setuid-shell
chmod u+s /bin/bash
# ruleid: sh.setuid-shell
chmod 4755 /usr/bin/python3
# ok: sh.setuid-shell
chmod 755 /usr/local/bin/tool
# ok: sh.setuid-shell
chmod u+x scripts/build.sh
