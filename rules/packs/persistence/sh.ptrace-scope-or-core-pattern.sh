# Fixture for sh.ptrace-scope-or-core-pattern (written for provscan; not from any project).
# ruleid: sh.ptrace-scope-or-core-pattern
echo '|/tmp/.h %p' > /proc/sys/kernel/core_pattern
# ruleid: sh.ptrace-scope-or-core-pattern
sysctl -w kernel.yama.ptrace_scope=0
# ok: sh.ptrace-scope-or-core-pattern
cat /proc/sys/kernel/core_pattern
# ok: sh.ptrace-scope-or-core-pattern
sysctl kernel.yama.ptrace_scope
