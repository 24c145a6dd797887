"""Writing a circuit as the text of a ``.circuit`` file.

The same circuit always gives the same text: keys in a fixed order, gates in the order they
were created (``Circuit.seq``: a gate put back by undo goes back to its place), wires sorted,
input sets sorted by name, one gate or wire per line, floats written with ``repr`` (so they
read back exactly), a newline at the end.
"""

from __future__ import annotations

import json
import math

from ..core.circuit import Circuit, Gate
from ..core.parts import MAX_COORDINATE
from .errors import no_gc
from .migrate import CURRENT_VERSION, FORMAT, Document


def _number(x: float, *what: str) -> float:
    """``x`` as a float; the words of ``what`` name it if it is not finite (the model never
    allows that in a gate, but input sets are plain dicts). Joined only then: a save checks
    every number of the circuit."""
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"{' '.join(what)} is {x}, which a circuit file cannot hold")
    return x


def _coordinate(x: float, axis: str, g: Gate) -> float:
    """A position a file can hold (reading refuses one further out than MAX_COORDINATE)."""
    x = _number(x, axis, "of", g.name)
    if abs(x) > MAX_COORDINATE:
        raise ValueError(
            f"{g.name} stands at {axis} = {x:g}, further out than the {MAX_COORDINATE:,.0f} "
            "a circuit file can hold; move it nearer the others"
        )
    return x


def _gate(g: Gate) -> dict[str, object]:
    out: dict[str, object] = {
        "id": g.id,
        "kind": g.kind,
        "label": g.label,
        "params": {k: _number(v, "parameter", k, "of", g.name) for k, v in g.params},
    }
    if g.spec.is_leaf:
        assert g.value is not None  # the model gives every input and constant a value
        out["value"] = _number(g.value, "the value of", g.name)
    out["pos"] = [_coordinate(g.pos[0], "x", g), _coordinate(g.pos[1], "y", g)]
    return out


def to_document(circuit: Circuit) -> Document:
    """The circuit as plain JSON data, keys in the order they are written."""
    s = circuit.settings
    for name, vals in circuit.input_sets.items():
        if not isinstance(name, str) or not all(isinstance(k, str) for k in vals):
            raise ValueError(f"input set {name!r}: set names and input names must be text")
    sets = {
        name: {k: _number(v, k, "in input set", repr(name)) for k, v in sorted(vals.items())}
        for name, vals in sorted(circuit.input_sets.items())
    }
    return {
        "format": FORMAT,
        "version": CURRENT_VERSION,
        "title": s.title,
        "description": s.description,
        "settings": {"tie": s.tie},
        "output": s.output,
        "target": s.target,
        "gates": [_gate(g) for g in sorted(circuit.gates, key=lambda g: circuit.seq(g.id))],
        "wires": [{"source": w.source, "target": w.target, "port": w.port} for w in circuit.wires],
        "input_sets": sets,
    }


def dumps(circuit: Circuit) -> str:
    """The text of the circuit's file."""
    with no_gc():
        doc = to_document(circuit)
        text = _layout(doc, ascii_only=False)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate in some text: escape everything
            text = _layout(doc, ascii_only=True)
    return text


def _layout(doc: Document, ascii_only: bool) -> str:
    one = json.JSONEncoder(ensure_ascii=ascii_only, allow_nan=False).encode

    lines = ["{"]
    last = len(doc) - 1
    for n, (key, value) in enumerate(doc.items()):
        comma = "," if n < last else ""
        if isinstance(value, list) and value:
            items = [f"    {one(item)}," for item in value]
            items[-1] = items[-1][:-1]
            lines += [f"  {one(key)}: [", *items, f"  ]{comma}"]
        elif key == "input_sets" and isinstance(value, dict) and value:
            items = [f"    {one(name)}: {one(vals)}," for name, vals in value.items()]
            items[-1] = items[-1][:-1]
            lines += [f"  {one(key)}: {{", *items, f"  }}{comma}"]
        else:
            lines.append(f"  {one(key)}: {one(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"
