"""The JSON Schema (draft 2020-12) of the current format, built from the gate registry.

``resources/circuit.schema.json`` is its output; after adding a gate kind, regenerate it:

    python -m circuit_editor.files.schema > resources/circuit.schema.json

The schema says what each value must look like. What it cannot say is checked by the loader:
ids are unique, wires join existing gates through ports the target has, a port takes one wire,
wires make no loop, input names are unique, "output" and "target" name existing gates.
"""

from __future__ import annotations

import json

from ..core.circuit import NAME_RE
from ..core.gates import GATES, TIES
from ..core.parts import MAX_COORDINATE
from .migrate import CURRENT_VERSION, FORMAT, REQUIRED_GATE_KEYS, TOP_KEYS
from .read import MAX_FILE_GATES

SCHEMA_ID = f"urn:circuit-editor:circuit-file:{CURRENT_VERSION}"


def _name_pattern() -> str:
    pattern = NAME_RE.pattern
    assert pattern.endswith("\\Z")
    return "^" + pattern[:-2] + "$"


Schema = dict[str, object]
"""A JSON Schema, or a part of one, as plain JSON data."""


def _number() -> Schema:
    """A finite number (a new dict each time: the schema built is the caller's to change)."""
    return {"$ref": "#/$defs/number"}


def build_schema() -> Schema:
    """The schema of a circuit file, as ``resources/circuit.schema.json`` holds it."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"circuit-editor circuit file, format version {CURRENT_VERSION}",
        "description": (
            "A computational circuit saved by circuit-editor. Beyond this schema, a file must "
            "have unique gate ids; wires between existing gates, into a port the target gate "
            "has (a one-input gate has port 0 only), one wire per port, and no loop; unique "
            "input names; and 'output' and 'target' naming existing gates."
        ),
        "type": "object",
        "required": list(TOP_KEYS),
        "additionalProperties": False,
        "properties": _document_properties(),
        "$defs": {
            "number": {"type": "number", "description": "finite; NaN and Infinity are refused"},
            "coordinate": {
                "type": "number",
                "minimum": -MAX_COORDINATE,
                "maximum": MAX_COORDINATE,
                "description": "a position on the canvas",
            },
            "id": {"type": "string", "minLength": 1},
            "gateRef": {"anyOf": [{"$ref": "#/$defs/id"}, {"type": "null"}]},
            "name": {"type": "string", "pattern": _name_pattern()},
            "gate": _gate(),
            "wire": _wire(),
        },
    }


def _document_properties() -> Schema:
    """The keys at the top of a file."""
    return {
        "format": {"const": FORMAT},
        "version": {"const": CURRENT_VERSION},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "settings": {
            "type": "object",
            "required": ["tie"],
            "additionalProperties": False,
            "properties": {
                "tie": {
                    "enum": list(TIES),
                    "description": "where max and min send the gradient on a tie",
                }
            },
        },
        "output": {
            "$ref": "#/$defs/gateRef",
            "description": "the output gate's id; null: the only gate nothing reads from",
        },
        "target": {
            "$ref": "#/$defs/gateRef",
            "description": "the id of the gate differentiated; null: the output",
        },
        "gates": {
            "type": "array",
            "items": {"$ref": "#/$defs/gate"},
            "maxItems": MAX_FILE_GATES,
            "description": "in the order they were added",
        },
        "wires": {"type": "array", "items": {"$ref": "#/$defs/wire"}},
        "input_sets": {
            "type": "object",
            "description": "named sets of input values: set name -> input name -> value",
            "additionalProperties": {"type": "object", "additionalProperties": _number()},
        },
    }


def _gate() -> Schema:
    """One gate: its keys, then the rules that depend on its kind."""
    leaves = [k for k, s in GATES.items() if s.is_leaf]
    return {
        "type": "object",
        "required": list(REQUIRED_GATE_KEYS),
        "additionalProperties": False,
        "properties": {
            "id": {"$ref": "#/$defs/id"},
            "kind": {"enum": list(GATES)},
            "label": {"anyOf": [{"const": ""}, {"$ref": "#/$defs/name"}]},
            "params": {
                "type": "object",
                "description": "the gate's constants: "
                "exactly the parameters its kind has (only c, today)",
            },
            "value": _number(),
            "pos": {
                "type": "array",
                "prefixItems": [{"$ref": "#/$defs/coordinate"}, {"$ref": "#/$defs/coordinate"}],
                "items": False,
                "minItems": 2,
            },
        },
        "allOf": [
            {
                "if": {"required": ["kind"], "properties": {"kind": {"enum": leaves}}},
                "then": {"required": ["value"]},
                "else": {"not": {"required": ["value"]}},
            },
            {
                "if": {"required": ["kind"], "properties": {"kind": {"const": "input"}}},
                "then": {"properties": {"label": {"$ref": "#/$defs/name"}}},
            },
            *_params_rules(),
        ],
    }


def _params_rules() -> list[Schema]:
    """For each set of parameter names, the kinds that have exactly those."""
    by_params: dict[tuple[str, ...], list[str]] = {}  # parameter names -> the kinds with them
    for kind, s in GATES.items():
        by_params.setdefault(tuple(sorted(s.params)), []).append(kind)
    rules: list[Schema] = []
    for names, kinds in by_params.items():
        rule: Schema = (
            {
                "required": list(names),
                "additionalProperties": False,
                "properties": {p: _number() for p in names},
            }
            if names
            else {"maxProperties": 0}
        )
        rules.append(
            {
                "if": {"required": ["kind"], "properties": {"kind": {"enum": kinds}}},
                "then": {"properties": {"params": rule}},
            }
        )
    return rules


def _wire() -> Schema:
    max_arity = max(s.arity for s in GATES.values())
    return {
        "type": "object",
        "required": ["source", "target", "port"],
        "additionalProperties": False,
        "properties": {
            "source": {"$ref": "#/$defs/id"},
            "target": {"$ref": "#/$defs/id"},
            "port": {"type": "integer", "minimum": 0, "maximum": max_arity - 1},
        },
    }


def schema_text() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
