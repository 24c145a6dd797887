"""Hypothesis strategies for the file tests: valid circuits, random documents, damage."""

from __future__ import annotations

import json

from hypothesis import strategies as st

from circuit_editor.core.circuit import Circuit
from circuit_editor.core.gates import GATES, TIES
from circuit_editor.core.names import free_name, generated_name
from circuit_editor.core.parts import MAX_COORDINATE

KINDS = list(GATES)
FLOATS = st.floats(allow_nan=False, allow_infinity=False)
ANY_FLOATS = st.floats()  # NaN and infinities too
POSITIONS = st.floats(-MAX_COORDINATE, MAX_COORDINATE)  # a file holds no gate further out
NAMES = st.from_regex(r"[A-Za-z_][A-Za-z_0-9]{0,5}(\[[0-9]{1,2}\])?", fullmatch=True)
# Strategies made once: building them inside a composite on every draw is slow.
_KIND = st.sampled_from(KINDS)
_ID = st.none() | st.text(min_size=1, max_size=6)
_LABEL = st.just("") | NAMES
_TIE = st.sampled_from(TIES)
_POS = POSITIONS | FLOATS
_SETS = st.dictionaries(
    st.text(min_size=1, max_size=6).filter(str.strip),
    st.dictionaries(st.text(max_size=4), FLOATS, max_size=3),
    max_size=3,
)


def _pick(draw, items: list):
    return items[draw(st.integers(0, len(items) - 1))]


@st.composite
def circuits(draw, max_gates: int = 10) -> Circuit:
    """A valid circuit made through the model's own methods: any kinds, ids, labels, floats,
    wires in and out of creation order, settings and input sets."""
    c = Circuit(title=draw(st.text(max_size=12)), description=draw(st.text(max_size=24)))
    inputs: set[str] = set()
    ids: list[str] = []
    for i in range(draw(st.integers(0, max_gates))):
        kind = draw(_KIND)
        spec = GATES[kind]
        gid = draw(_ID)
        if gid in c or (gid is not None and c.named(gid) is not None):
            gid = None
        label = draw(NAMES if kind == "input" else _LABEL)
        if kind == "input" and label in inputs:
            label = f"in_{i}"
        if label:  # every name is one gate's, and no other gate's id
            label = free_name(c, label, {gid} if gid is not None else ())
        elif gid is not None and c.named(generated_name(gid, kind)) is not None:
            gid = None
        inputs.add(label)
        g = c.add_gate(
            kind,
            id=gid,
            label=label,
            params={p: draw(FLOATS) for p in spec.params} or None,
            value=draw(FLOATS) if spec.is_leaf else None,
            pos=(draw(POSITIONS), draw(POSITIONS)),
        )
        for port in range(spec.arity):
            if ids and draw(st.booleans()):
                c.connect(_pick(draw, ids), g.id, port)
        ids.append(g.id)
    if ids:
        for _ in range(draw(st.integers(0, 3))):  # wires that may run against creation order
            source, target = _pick(draw, ids), _pick(draw, ids)
            port = draw(st.integers(0, 1))
            if c.can_connect(source, target, port, replace_existing=False):
                c.connect(source, target, port)
        c.set_setting("output", _pick(draw, ids) if draw(st.booleans()) else None)
        c.set_setting("target", _pick(draw, ids) if draw(st.booleans()) else None)
    c.set_setting("tie", draw(_TIE))
    for name, values in draw(_SETS).items():
        c.set_input_set(name, values)
    return c


# ------------------------------------------------------------------ documents of the right shape
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | ANY_FLOATS | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
ID_POOL = ["a", "b", "c", "d", "e", "n1", "n2"]
_IDS = st.lists(st.sampled_from(ID_POOL), unique=True, max_size=6)
_SHORT = st.text(max_size=8)
_DOC_SETS = st.dictionaries(
    st.text(max_size=5), st.dictionaries(st.text(max_size=3), FLOATS, max_size=3), max_size=2
)
_FAULT = st.sampled_from(["replace", "swap type", "delete key", "add key"])
_HOW = st.sampled_from(
    ["flip", "truncate", "insert", "cut", "duplicate key"]
    + ["delete key", "replace", "swap type"] * 2
)
_JUNK = st.binary(min_size=1, max_size=8)


@st.composite
def documents(draw) -> dict:
    """A document with every key the schema asks for, each holding a random value of the
    right type; the references between gates are random (so some point nowhere, some make
    loops or crowd a port); then up to two faults: a value of the wrong type, a key left out
    or a key too many, anywhere."""
    ids = draw(_IDS)
    gates = []
    for gid in ids:
        kind = draw(_KIND)
        spec = GATES[kind]
        gate = {
            "id": gid,
            "kind": kind,
            "label": draw(NAMES if kind == "input" else _LABEL),
            "params": {p: draw(FLOATS) for p in spec.params},
            "pos": [draw(_POS), draw(_POS)],
        }
        if spec.is_leaf:
            gate["value"] = draw(FLOATS)
        gates.append(gate)
    refs = ids or ["a"]
    wires = [
        {"source": _pick(draw, refs), "target": _pick(draw, refs), "port": draw(st.integers(0, 1))}
        for _ in range(draw(st.integers(0, 5)))
    ]
    doc = {
        "format": "circuit-editor",
        "version": 1,
        "title": draw(_SHORT),
        "description": draw(_SHORT),
        "settings": {"tie": draw(_TIE)},
        "output": _pick(draw, refs) if draw(st.booleans()) else None,
        "target": _pick(draw, refs) if draw(st.booleans()) else None,
        "gates": gates,
        "wires": wires,
        "input_sets": draw(_DOC_SETS),
    }
    for _ in range(draw(st.integers(0, 2))):
        trail = _walk(draw, doc, at_least=1)
        parent, key = trail[-1]
        fault = draw(_FAULT)
        if fault == "replace":
            parent[key] = draw(JSON)
        elif fault == "swap type":
            parent[key] = _swap_type(parent[key])
        elif fault == "delete key":
            del parent[key]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=5))] = draw(JSON)
    return doc


# ------------------------------------------------------------------ damage to a valid file
def _walk(draw, doc, at_least: int = 0):
    """A random place in ``doc``: (container, key) pairs from the top down."""
    trail = []
    node = doc
    while (
        isinstance(node, (dict, list))
        and node
        and (len(trail) < at_least or draw(st.integers(0, 3)))
    ):
        key = _pick(draw, list(node) if isinstance(node, dict) else list(range(len(node))))
        trail.append((node, key))
        node = node[key]
    return trail


def _swap_type(x):
    if isinstance(x, bool):
        return int(x)
    if isinstance(x, (int, float)):
        return str(x) if isinstance(x, float) else bool(x)
    if isinstance(x, str):
        return len(x)
    if isinstance(x, list):
        return {str(i): v for i, v in enumerate(x)}
    if isinstance(x, dict):
        return list(x.values())
    return 0


@st.composite
def damaged(draw, text: str) -> bytes:
    """``text`` after one to three random edits, to its bytes or to its JSON structure."""
    data = text.encode()
    for _ in range(draw(st.integers(1, 3))):
        how = draw(_HOW)
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if how == "flip" and data:
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
        elif how == "truncate":
            data = data[:at]
        elif how == "insert":
            data = data[:at] + draw(_JUNK) + data[at:]
        elif how == "cut":
            data = data[:at] + data[at + draw(st.integers(1, 40)) :]
        elif how == "duplicate key":
            start = data.find(b'"', at)
            end = data.find(b'":', start + 1)
            if start >= 0 and end > start:
                key = data[start : end + 2]
                data = data[:start] + key + json.dumps(draw(JSON)).encode() + b", " + data[start:]
        else:
            try:
                doc = json.loads(data)
            except ValueError:
                continue
            trail = _walk(draw, doc, at_least=draw(st.integers(1, 3)))
            if not trail:
                continue
            parent, key = trail[-1]
            if how == "delete key":
                del parent[key]
            elif how == "replace":
                parent[key] = draw(JSON)
            else:
                parent[key] = _swap_type(parent[key])
            data = json.dumps(doc, ensure_ascii=draw(st.booleans())).encode(
                "utf-8", "surrogatepass"
            )
    return data
