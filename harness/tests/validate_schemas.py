#!/usr/bin/env python3
"""Validates vector files and report.json files against their JSON Schemas (python3-jsonschema).
usage: validate_schemas.py VECTORS_SCHEMA REPORT_SCHEMA FILE...  (report.json files by name)"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("validate_schemas: python3-jsonschema not installed, skipped")
    sys.exit(0)

vs, rs = (jsonschema.Draft202012Validator(json.load(open(p))) for p in sys.argv[1:3])
bad = 0
for path in sys.argv[3:]:
    v = rs if path.endswith("report.json") else vs
    for e in v.iter_errors(json.load(open(path))):
        bad += 1
        print(f"{path}: {'/'.join(map(str, e.absolute_path))}: {e.message[:200]}")
print(f"validate_schemas: {len(sys.argv) - 3} files, {bad} errors")
sys.exit(1 if bad else 0)
