# Fixture for sh.history-tampering (written for provscan; not from any project).
# ruleid: sh.history-tampering
unset HISTFILE
# ruleid: sh.history-tampering
ln -sf /dev/null ~/.bash_history
# ok: sh.history-tampering
HISTSIZE=10000
# ok: sh.history-tampering
echo "history is kept in $HISTFILE"
