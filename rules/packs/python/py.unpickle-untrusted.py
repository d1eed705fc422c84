# Fixture for py.unpickle-untrusted (written for provscan; not from any project).
import base64
import pickle
import zlib
import marshal


def handle(conn, request):
    # ruleid: py.unpickle-untrusted
    job = pickle.loads(conn.recv(65536))
    # ruleid: py.unpickle-untrusted
    state = pickle.loads(base64.b64decode(request.cookies["state"]))
    return job, state


def stage(blob):
    # ruleid: py.unpickle-untrusted
    code = marshal.loads(zlib.decompress(blob))
    return code


def load_model(path):
    with open(path, "rb") as f:
        # ok: py.unpickle-untrusted
        model = pickle.load(f)
    # ok: py.unpickle-untrusted
    data = pickle.dumps(model)
    return model, data
