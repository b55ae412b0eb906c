"""Checks undex's OpenAPI document and real answers of the API against it.

Usage: check_openapi.py DOC.json CASES.jsonl

DOC.json is what GET /api/openapi.json answered. Each line of CASES.jsonl is one real answer:
{"uri", "path" (the document's path template), "status", "content_type", "body" (the body as
text)}. The script
1. validates DOC as an OpenAPI 3.1 document (openapi-spec-validator);
2. for each answer, looks up paths[path].get.responses[status] (the status must be documented)
   and the media type of its Content-Type (must be documented), and validates a JSON body
   against that media type's schema (JSON Schema 2020-12, the dialect of OpenAPI 3.1) with the
   components resolved and every object schema closed: `allOf` of objects merged into one
   object, and `additionalProperties: false` on each object that lists its properties, so that
   a field the API sends but the document lacks fails.
Prints one line per problem and exits 1 if there is any; prints a summary and exits 0 if not.
"""

import copy
import json
import sys

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

REF = "#/components/schemas/"


def resolve(schema, components):
    """The component a `$ref` points at, or the schema itself."""
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if ref and ref.startswith(REF):
        return components[ref[len(REF):]]
    return schema


def merge_all_of(schema, components):
    """`allOf` of object schemas (references resolved) as one object schema."""
    props, required = {}, []
    for part in schema["allOf"]:
        part = resolve(part, components)
        if "allOf" in part:
            part = merge_all_of(part, components)
        if part.get("type") not in (None, "object") or not isinstance(part.get("properties"), dict):
            return None
        props.update(part["properties"])
        required += part.get("required", [])
    merged = {k: v for k, v in schema.items() if k != "allOf"}
    merged.update(type="object", properties={**props, **schema.get("properties", {})},
                  required=sorted(set(required + schema.get("required", []))))
    return merged


def close(schema, components):
    """A copy of `schema` with its objects closed (see the module's docstring)."""
    if isinstance(schema, list):
        return [close(s, components) for s in schema]
    if not isinstance(schema, dict):
        return schema
    if "allOf" in schema:
        merged = merge_all_of(schema, components)
        if merged is not None:
            schema = merged
    out = {}
    for key, value in schema.items():
        if key in ("properties", "patternProperties", "$defs"):
            out[key] = {k: close(v, components) for k, v in value.items()}
        elif key in ("items", "additionalProperties", "not", "contains", "allOf", "oneOf",
                     "anyOf", "prefixItems"):
            out[key] = close(value, components)
        else:
            out[key] = value
    types = out.get("type")
    is_object = types == "object" or (isinstance(types, list) and "object" in types)
    if is_object and "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


def media_base(content_type):
    return content_type.split(";")[0].strip().lower()


def main():
    doc = json.load(open(sys.argv[1]))
    validate(doc)  # raises on an invalid document; detects 3.1 from `openapi`
    assert doc["openapi"].startswith("3.1"), doc["openapi"]
    components = doc.get("components", {}).get("schemas", {})
    closed = {name: close(s, components) for name, s in components.items()}
    problems, checked, validated = [], 0, 0
    for line in open(sys.argv[2]):
        case = json.loads(line)
        where = f"{case['uri']} ({case['status']})"
        op = doc["paths"].get(case["path"], {}).get("get")
        if op is None:
            problems.append(f"{where}: no GET {case['path']} in the document")
            continue
        response = op["responses"].get(str(case["status"]))
        if response is None:
            problems.append(f"{where}: status {case['status']} not documented for {case['path']}")
            continue
        checked += 1
        content = response.get("content", {})
        media = {media_base(k): v for k, v in content.items()}
        base = media_base(case["content_type"])
        if base not in media:
            problems.append(f"{where}: Content-Type {case['content_type']!r} not documented "
                            f"(documented: {sorted(content)})")
            continue
        if base != "application/json" and not base.endswith("+json"):
            continue
        schema = close(media[base].get("schema", {}), components)
        root = dict(schema)
        root["components"] = {"schemas": closed}
        body = json.loads(case["body"])
        errors = sorted(Draft202012Validator(root).iter_errors(body), key=lambda e: list(e.path))
        for e in errors[:5]:
            path = "/".join(str(p) for p in e.absolute_path)
            problems.append(f"{where}: at /{path}: {e.message[:300]}")
        validated += 1
    for p in problems:
        print(p)
    if problems:
        sys.exit(1)
    print(f"openapi: document valid; {checked} answers documented, {validated} JSON bodies "
          f"valid against their schemas")


if __name__ == "__main__":
    main()
