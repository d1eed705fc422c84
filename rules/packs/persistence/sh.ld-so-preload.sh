# Fixture for sh.ld-so-preload (written for provscan; not from any project).
# ruleid: sh.ld-so-preload
echo /usr/lib/libsystemd-helper.so > /etc/ld.so.preload
# ruleid: sh.ld-so-preload
printf '%s\n' /lib/x.so | tee -a /etc/ld.so.preload
# ok: sh.ld-so-preload
if [ -s /etc/ld.so.preload ]; then echo 'unexpected preload' >&2; exit 1; fi
# ok: sh.ld-so-preload
cat /etc/ld.so.preload
