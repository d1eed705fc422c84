# Fixture for sh.selinux-or-apparmor-disabled (written for provscan; not from any project).
# ruleid: sh.selinux-or-apparmor-disabled
setenforce 0
# ruleid: sh.selinux-or-apparmor-disabled
sed -i 's/^SELINUX=.*/SELINUX=disabled/' /etc/selinux/config
# ok: sh.selinux-or-apparmor-disabled
getenforce
# ok: sh.selinux-or-apparmor-disabled
echo "SELinux mode: $(getenforce)"
