# Fixture for py.process-spawn-at-import (written for provscan; not from any project).
import os
import subprocess

# ruleid: py.process-spawn-at-import
os.system("uname -a > /tmp/.info")

# ruleid: py.process-spawn-at-import
_proc = subprocess.Popen(["sh", "-c", "sleep 1"],
                         stdout=subprocess.DEVNULL)


def build():
    # ok: py.process-spawn-at-import
    subprocess.run(["make"])


if __name__ == "__main__":
    # ok: py.process-spawn-at-import
    os.system("make test")

# ok: py.process-spawn-at-import
path = os.path.join("a", "b")
