"""A small JSON Schema (draft 2020-12) validator for the keywords circuit.schema.json uses.

It refuses a schema with any other keyword, so the published schema cannot quietly grow past
what the tests check. Good enough to test our own documents; not a general validator.
"""

from __future__ import annotations

import re

ANNOTATIONS = {"$schema", "$id", "title", "description", "$comment", "$defs"}
KEYWORDS = {
    "$ref",
    "type",
    "const",
    "enum",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "prefixItems",
    "minItems",
    "maxItems",
    "minLength",
    "pattern",
    "minimum",
    "maximum",
    "maxProperties",
    "allOf",
    "anyOf",
    "not",
    "if",
    "then",
    "else",
}


def same(a, b) -> bool:
    """JSON equality: 1 == 1.0, but true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def is_type(x, name: str) -> bool:
    number = isinstance(x, (int, float)) and not isinstance(x, bool)
    return {
        "object": isinstance(x, dict),
        "array": isinstance(x, list),
        "string": isinstance(x, str),
        "null": x is None,
        "boolean": isinstance(x, bool),
        "number": number,
        "integer": number and (isinstance(x, int) or float(x).is_integer()),
    }[name]


def errors(x, schema, root=None, path="$") -> list[str]:
    """Every way ``x`` breaks ``schema``, as 'path: what' strings (empty: valid)."""
    root = schema if root is None else root
    if schema is True:
        return []
    if schema is False:
        return [f"{path}: nothing is allowed here"]
    unknown = set(schema) - KEYWORDS - ANNOTATIONS
    if unknown:
        raise ValueError(f"the test validator does not know {sorted(unknown)}")
    out: list[str] = []
    if "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/"), ref
        target = root
        for part in ref[2:].split("/"):
            target = target[part]
        out += errors(x, target, root, path)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(is_type(x, t) for t in types):
            return out + [f"{path}: not of type {types}"]
    if "const" in schema and not same(x, schema["const"]):
        out.append(f"{path}: not {schema['const']!r}")
    if "enum" in schema and not any(same(x, e) for e in schema["enum"]):
        out.append(f"{path}: not one of {schema['enum']}")
    if isinstance(x, dict):
        for key in schema.get("required", ()):
            if key not in x:
                out.append(f"{path}: {key!r} is missing")
        props = schema.get("properties", {})
        for key, value in x.items():
            if key in props:
                out += errors(value, props[key], root, f"{path}.{key}")
            elif "additionalProperties" in schema:
                out += errors(value, schema["additionalProperties"], root, f"{path}.{key}")
        if "maxProperties" in schema and len(x) > schema["maxProperties"]:
            out.append(f"{path}: more than {schema['maxProperties']} keys")
    if isinstance(x, list):
        prefix = schema.get("prefixItems", [])
        for i, item in enumerate(x):
            if i < len(prefix):
                out += errors(item, prefix[i], root, f"{path}[{i}]")
            elif "items" in schema:
                out += errors(item, schema["items"], root, f"{path}[{i}]")
        if len(x) < schema.get("minItems", 0):
            out.append(f"{path}: too few items")
        if "maxItems" in schema and len(x) > schema["maxItems"]:
            out.append(f"{path}: too many items")
    if isinstance(x, str):
        if len(x) < schema.get("minLength", 0):
            out.append(f"{path}: too short")
        if "pattern" in schema and not re.search(schema["pattern"], x):
            out.append(f"{path}: does not match {schema['pattern']}")
    if is_type(x, "number"):
        if "minimum" in schema and x < schema["minimum"]:
            out.append(f"{path}: below {schema['minimum']}")
        if "maximum" in schema and x > schema["maximum"]:
            out.append(f"{path}: above {schema['maximum']}")
    for sub in schema.get("allOf", ()):
        out += errors(x, sub, root, path)
    if "anyOf" in schema and all(errors(x, sub, root, path) for sub in schema["anyOf"]):
        out.append(f"{path}: matches none of anyOf")
    if "not" in schema and not errors(x, schema["not"], root, path):
        out.append(f"{path}: matches what 'not' forbids")
    if "if" in schema:
        branch = "then" if not errors(x, schema["if"], root, path) else "else"
        if branch in schema:
            out += errors(x, schema[branch], root, path)
    return out
