# Fixture for exfil.request-catcher-host (provscan's own).
import urllib.request

# ruleid: exfil.request-catcher-host
URL = "https://webhook.site/0c2b4a1e-0000-4000-8000-000000000000"
# ruleid: exfil.request-catcher-host
CALLBACK = "http://c7f2x9.oast.fun/ping"
# ok: exfil.request-catcher-host
DOCS = "https://docs.example.invalid/webhooks/site-setup"
