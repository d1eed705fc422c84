# Fixture for py.exec-decoded (written for provscan; not from any project).
import base64
import binascii
import json
import marshal
import zlib

payload = "cHJpbnQoJ2hlbGxvJyk="
blob = b""

# ruleid: py.exec-decoded
exec(base64.b64decode(payload))

# ruleid: py.exec-decoded
exec(zlib.decompress(base64.b64decode(payload)))

# ruleid: py.exec-decoded
eval(base64.b64decode(payload).decode("utf-8"))

# ruleid: py.exec-decoded
exec(marshal.loads(blob))

# ruleid: py.exec-decoded
exec(bytes.fromhex("7072696e74283129").decode())

# ruleid: py.exec-decoded
builtins_exec = __builtins__.exec(
    binascii.unhexlify(payload),
    {},
)

# ok: py.exec-decoded
print(base64.b64decode(payload))

# ok: py.exec-decoded
settings = eval(json.loads('"1 + 1"'))

# ok: py.exec-decoded
exec("x = 1")

# ok: py.exec-decoded
data = zlib.decompress(blob)
