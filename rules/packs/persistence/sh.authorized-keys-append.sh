# Fixture for sh.authorized-keys-append (written for provscan; not from any project).
# ruleid: sh.authorized-keys-append
echo 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBXzq9y0e4pXcQ7Tk4QnJmF2l8v attacker' >> /root/.ssh/authorized_keys
# ruleid: sh.authorized-keys-append
cat /tmp/k.pub >> ~/.ssh/authorized_keys
# ok: sh.authorized-keys-append
install -m 600 deploy/authorized_keys /home/deploy/.ssh/authorized_keys
# ok: sh.authorized-keys-append
ssh-keygen -t ed25519 -f ~/.ssh/id_ed25519 -N ''
