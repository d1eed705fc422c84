#!/usr/bin/env python3
"""Validates SARIF files against the official SARIF 2.1.0 JSON schema, offline.

Usage: validate.py SCHEMA FILE...
Prints every violation as "FILE: /json/pointer: message" and exits 1 when there is one, 0 when
every file is valid, 2 when the validator itself cannot run (no jsonschema module, unreadable
schema). The schema comes from scripts/fetch-test-deps.sh; the validator is Debian's
python3-jsonschema, in the draft the schema declares ($schema: 2020-12 in the SARIF SDK's copy).
Nothing is fetched: the schema's "$ref"s all point inside the file.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("validate.py: the jsonschema module is missing (apt-get install python3-jsonschema)", file=sys.stderr)
    sys.exit(2)


def pointer(path):
    return "/" + "/".join(str(p) for p in path)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            schema = json.load(f)
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
    except (OSError, ValueError, jsonschema.SchemaError) as e:
        print(f"validate.py: cannot use the schema {argv[1]}: {e}", file=sys.stderr)
        return 2
    validator = cls(schema)
    bad = 0
    for name in argv[2:]:
        try:
            with open(name, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            print(f"{name}: not JSON: {e}")
            bad += 1
            continue
        for err in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
            print(f"{name}: {pointer(err.absolute_path)}: {err.message}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
