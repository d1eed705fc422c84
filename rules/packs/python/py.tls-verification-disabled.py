# Fixture for py.tls-verification-disabled (written for provscan; not from any project).
import ssl

import requests


def fetch(url, ca_bundle=None):
    # ruleid: py.tls-verification-disabled
    r = requests.get(url, timeout=10, verify=False)
    # ok: py.tls-verification-disabled
    s = requests.get(url, timeout=10, verify=ca_bundle or True)
    return r.text + s.text


def context(strict):
    # ruleid: py.tls-verification-disabled
    ctx = ssl._create_unverified_context()
    # ruleid: py.tls-verification-disabled
    ctx.verify_mode = ssl.CERT_NONE
    if strict:
        # ok: py.tls-verification-disabled
        ctx.verify_mode = ssl.CERT_REQUIRED
    # ok: py.tls-verification-disabled
    ctx.check_hostname = strict
    return ctx
