"""Checking a circuit document place by place, and building the Circuit it describes.

Every check names the place (``gates[3].kind``) and says what is wrong there. What the
circuit model refuses (a bad name, a loop) is caught too, and reported with its place.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import NoReturn

from ..core.circuit import Circuit, Gate, Wire
from ..core.errors import CircuitError, NameClashError
from ..core.gates import GATES, TIES, GateSpec
from ..core.names import GENERATED, free_variant, generated_name
from ..core.parts import MAX_COORDINATE, NAME_RE
from .errors import FileFormatError, a, describe, key_path, short
from .jsontext import Bad, Duplicated
from .migrate import GATE_KEYS, REQUIRED_GATE_KEYS, TOP_KEYS, upgrade

WIRE_KEYS = ("source", "target", "port")

MAX_FILE_GATES = 200_000
"""The most gates a circuit file may hold. A file of this many takes about 17 MB, under
:data:`~.jsontext.MAX_FILE_BYTES`, which alone would let 450,000 in."""


def _fail_if_bad(x: object, path: str) -> None:
    if isinstance(x, Bad):
        raise FileFormatError(x.reason, path)


def _object(x: object, path: str, what: str) -> dict[str, object]:
    if type(x) is dict:
        return x
    _fail_if_bad(x, path)
    if not isinstance(x, dict):
        raise FileFormatError(f"should be {what}, not {describe(x)}", path)
    if isinstance(x, Duplicated):
        raise FileFormatError(f"the key {short(x.duplicate)} appears twice here", path)
    return x


def _keys(
    obj: dict[str, object],
    path: str,
    what: str,
    allowed: tuple[str, ...],
    required: tuple[str, ...],
) -> None:
    for key in obj:
        if key not in allowed:
            raise FileFormatError(
                f"{short(key)} is not something {what} has; it has " + ", ".join(allowed), path
            )
    for key in required:
        if key not in obj:
            raise FileFormatError(f"the key {short(key)} is missing", path)


def _list(x: object, path: str, what: str) -> list[object]:
    _fail_if_bad(x, path)
    if not isinstance(x, list):
        raise FileFormatError(f"should be {what}, not {describe(x)}", path)
    return x


def _text(x: object, path: str, *, nonempty: bool = False) -> str:
    if type(x) is str and (x or not nonempty):
        return x
    _fail_if_bad(x, path)
    if not isinstance(x, str):
        raise FileFormatError(f"should be text in double quotes, not {describe(x)}", path)
    if nonempty and not x:
        raise FileFormatError("should not be empty", path)
    return x


def _number(x: object, path: str) -> float:
    if type(x) is float and math.isfinite(x):
        return x
    _fail_if_bad(x, path)
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise FileFormatError(f"should be a number, not {describe(x)}", path)
    x = float(x)
    if not math.isfinite(x):  # json never gives these; a migration might
        raise FileFormatError("should be a finite number", path)
    return x


def _whole(x: object, path: str) -> int:
    if type(x) is int:
        return x
    if isinstance(x, float) and x.is_integer():
        return int(x)
    _fail_if_bad(x, path)
    if isinstance(x, bool) or not isinstance(x, int):
        raise FileFormatError(f"should be a whole number such as 0 or 1, not {describe(x)}", path)
    return x


def _words(gate: Gate) -> str:
    if gate.kind == "input":
        return f"the input {gate.label}"
    return f"the {gate.spec.name} gate {short(gate.id)}"


# ------------------------------------------------------------------------------- the document
def circuit_from_document(doc: object) -> Circuit:
    """The circuit a parsed document describes, or a :class:`FileFormatError`."""
    doc = upgrade(doc)
    _keys(doc, "", "a circuit file", TOP_KEYS, TOP_KEYS)
    c = Circuit(
        title=_text(doc["title"], "title"), description=_text(doc["description"], "description")
    )
    settings = _object(doc["settings"], "settings", 'an object such as {"tie": "both"}')
    _keys(settings, "settings", "the settings", ("tie",), ("tie",))
    tie = settings["tie"]
    if not isinstance(tie, str) or tie not in TIES:
        raise FileFormatError(
            f"the tie policy should be one of {', '.join(TIES)}, not {describe(tie)}",
            "settings.tie",
        )
    c.set_setting("tie", tie)
    gates = _list(doc["gates"], "gates", "a list of gates [...]")
    if len(gates) > MAX_FILE_GATES:
        raise FileFormatError(
            f"the file has {len(gates):,} gates; a circuit file holds at most {MAX_FILE_GATES:,}",
            "gates",
        )
    labels = _unique_labels(gates, c.notes)
    specs = _add_gates(c, gates, labels)
    _add_wires(c, _list(doc["wires"], "wires", "a list of wires [...]"), specs)
    for key in ("output", "target"):
        gid = doc[key]
        if gid is not None:
            gid = _text(gid, key)
            if gid not in specs:
                raise FileFormatError(
                    f"there is no gate with id {short(gid)}; use the id of a gate, or null", key
                )
        c.set_setting(key, gid)
    renamed_inputs = {
        old: labels[i] for i, old in _input_labels(gates) if labels.get(i, old) != old
    }
    _add_input_sets(c, doc["input_sets"], renamed_inputs)
    return c


def _input_labels(gates: list[object]) -> list[tuple[int, str]]:
    return [
        (i, g["label"])
        for i, g in enumerate(gates)
        if isinstance(g, dict) and g.get("kind") == "input" and isinstance(g.get("label"), str)
    ]


def _unique_labels(gates: list[object], notes: list[str]) -> dict[int, str]:
    """A file saved before every name had to be one gate's may hold a clash: a gate labelled
    like an input, two gates with one label, a label that is another gate's id or has the form
    of a generated name (mul3). The later gate takes a free name (``x_2``), inputs first keep
    theirs, and ``notes`` says so. Returns gate index -> its new label, for those renamed."""
    ids, taken, inputs, order = set(), set(), set(), []
    for i, g in enumerate(gates):
        if not (isinstance(g, dict) and isinstance(g.get("id"), str) and g.get("kind") in GATES):
            continue
        ids.add(g["id"])
        label = g.get("label")
        if label == "":
            taken.add(generated_name(g["id"], str(g["kind"])))
        elif isinstance(label, str) and NAME_RE.match(label):
            order.append((g["kind"] != "input", i, g["id"], str(g["kind"]), label))
    renamed: dict[int, str] = {}
    for not_input, i, gid, kind, label in sorted(order):
        why = ""
        if label in taken:
            why = "is an input's name" if label in inputs else "is another gate's name"
        elif label != gid and label in ids:
            why = "is the id of another gate"
        elif GENERATED.match(label) and label != generated_name(gid, kind):
            why = "has the form of a name given to gates without one"
        if why and (not_input or label not in inputs):  # two inputs with one name: refused
            new = free_variant(label, lambda n: n in taken or n in ids)
            notes.append(f"gates[{i}] was called {label!r}, which {why}: it is now {new!r}.")
            renamed[i] = label = new
        taken.add(label)
        if not not_input:
            inputs.add(label)
    return renamed


def _add_gates(c: Circuit, gates: list[object], labels: dict[int, str]) -> dict[str, GateSpec]:
    """Add the gates in file order; returns each gate id's kind."""
    where: dict[str, int] = {}  # gate id -> its index in the list
    specs: dict[str, GateSpec] = {}
    inputs: dict[str, int] = {}  # input name -> index
    for i, x in enumerate(gates):
        path = f"gates[{i}]"
        g = _object(x, path, 'a gate: an object {"id": ..., "kind": ..., ...}')
        _keys(g, path, "a gate", GATE_KEYS, REQUIRED_GATE_KEYS)
        gid = _text(g["id"], path + ".id", nonempty=True)
        if gid in where:
            raise FileFormatError(
                f"the id {short(gid)} is already the id of gates[{where[gid]}];"
                " every gate needs its own",
                path + ".id",
            )
        spec = _kind(g["kind"], path + ".kind")
        label = labels.get(i) or _text(g["label"], path + ".label")
        if spec.kind == "input":
            _check_input_name(label, inputs, path + ".label")
            inputs[label] = i
        params = _params(g["params"], spec, path + ".params")
        value = _value(g, spec, path)
        pos = _pos(g["pos"], path + ".pos")
        try:
            c.add_gate(spec.kind, id=gid, label=label, params=params, value=value, pos=pos)
        except (CircuitError, ValueError) as e:
            place = path + ".label" if isinstance(e, NameClashError) else path
            raise FileFormatError(str(e), place) from None
        where[gid] = i
        specs[gid] = spec
    return specs


def _kind(x: object, path: str) -> GateSpec:
    kind = _text(x, path)
    if kind not in GATES:
        raise FileFormatError(
            f"{short(kind)} is not a kind of gate; the kinds are " + ", ".join(GATES), path
        )
    spec: GateSpec = GATES[kind]
    return spec


def _check_input_name(label: str, inputs: dict[str, int], path: str) -> None:
    if not label:
        raise FileFormatError("an input needs a name", path)
    if label in inputs:
        raise FileFormatError(
            f"gates[{inputs[label]}] is already an input called "
            f"{short(label)}; inputs need different names",
            path,
        )


def _params(x: object, spec: GateSpec, path: str) -> dict[str, float]:
    """A gate's constants: exactly the parameters its kind has."""
    params = _object(x, path, 'an object such as {"c": 2.0}')
    for name in params:
        if name not in spec.params:
            has = (
                ("its parameter is " + ", ".join(spec.params))
                if spec.params
                else 'it has none, so write "params": {}'
            )
            raise FileFormatError(
                f"{a(spec.name)} gate has no parameter {short(name)}; " + has, path
            )
    for name in spec.params:
        if name not in params:
            raise FileFormatError(
                f"the key {short(name)} is missing: {a(spec.name)} gate needs its constant {name}",
                path,
            )
    return {name: _number(v, key_path(path, name)) for name, v in params.items()}


def _value(g: dict[str, object], spec: GateSpec, path: str) -> float | None:
    """The value of an input or a constant; nothing for a gate that computes its own."""
    if spec.is_leaf:
        if "value" not in g:
            raise FileFormatError(f'the key "value" is missing: {a(spec.name)} needs a value', path)
        return _number(g["value"], path + ".value")
    if "value" in g:
        raise FileFormatError(
            f"{a(spec.name)} gate computes its value, so it cannot have one in the file",
            path + ".value",
        )
    return None


def _pos(x: object, path: str) -> tuple[float, float]:
    pos = _list(x, path, "a list of two numbers [x, y]")
    if len(pos) != 2:
        raise FileFormatError(f"should be two numbers [x, y], not {len(pos)}", path)
    return (_coordinate(pos[0], path + "[0]"), _coordinate(pos[1], path + "[1]"))


def _coordinate(x: object, path: str) -> float:
    x = _number(x, path)
    if abs(x) > MAX_COORDINATE:
        raise FileFormatError(
            f"{describe(x)} puts the gate too far away: a position lies between "
            f"{-MAX_COORDINATE:,.0f} and {MAX_COORDINATE:,.0f}",
            path,
        )
    return x


def _add_wires(c: Circuit, wires: list[object], specs: dict[str, GateSpec]) -> None:
    into: dict[tuple[str, int], int] = {}  # (target, port) -> index of its wire
    edges: list[tuple[str, str, int, int]] = []
    for i, w in enumerate(wires):
        path = f"wires[{i}]"
        w = _object(w, path, 'a wire: an object {"source": ..., "target": ..., "port": ...}')
        _keys(w, path, "a wire", WIRE_KEYS, WIRE_KEYS)
        ends = []
        for key in ("source", "target"):
            gid = _text(w[key], f"{path}.{key}")
            if gid not in specs:
                raise FileFormatError(f"there is no gate with id {short(gid)}", f"{path}.{key}")
            ends.append(gid)
        source, target = ends
        port = _whole(w["port"], path + ".port")
        if not 0 <= port < specs[target].arity or (target, port) in into or source == target:
            _refuse(c.gate(target), port, into.get((target, port)), path)
        into[target, port] = i
        edges.append((source, target, port, i))
    rank = _flow_order(c, specs, edges)
    # Every wire is checked above, each problem located; the model checks them again, at once
    # (in flow order, so the graph is built as wire by wire).
    try:
        c.connect_all([Wire(s, t, p) for s, t, p, _ in sorted(edges, key=lambda e: rank[e[1]])])
    except (CircuitError, ValueError) as e:
        raise FileFormatError(str(e), "wires") from None


def _refuse(gate: Gate, port: int, taken_by: int | None, path: str) -> NoReturn:
    """Say what is wrong with a wire into ``gate``'s ``port``."""
    arity = gate.spec.arity
    if arity == 0:
        raise FileFormatError(
            f"nothing can be wired into {_words(gate)}: inputs and constants have no input ports",
            path + ".target",
        )
    if not 0 <= port < arity:
        ports = (
            "one input port, port 0"
            if arity == 1
            else f"{arity} input ports, numbered 0 to {arity - 1}"
        )
        raise FileFormatError(
            f"{_words(gate)} has {ports}; there is no port {port}", path + ".port"
        )
    if taken_by is not None:
        raise FileFormatError(
            f"port {port} of {_words(gate)} already has a wire "
            f"(wires[{taken_by}]); a port takes one wire",
            path,
        )
    raise FileFormatError(
        f"this wire goes from {_words(gate)} back into itself; a "
        "circuit must flow one way, from inputs to output",
        path,
    )


def _flow_order(
    c: Circuit, ids: Iterable[str], edges: list[tuple[str, str, int, int]]
) -> dict[str, int]:
    """A rank for every gate such that each wire goes to a higher rank, or a located loop."""
    indegree = dict.fromkeys(ids, 0)
    succ: dict[str, list[str]] = {gid: [] for gid in ids}
    for source, target, _, _ in edges:
        succ[source].append(target)
        indegree[target] += 1
    ready = [gid for gid, d in indegree.items() if d == 0]
    rank: dict[str, int] = {}
    while ready:
        gid = ready.pop()
        rank[gid] = len(rank)
        for t in succ[gid]:
            indegree[t] -= 1
            if indegree[t] == 0:
                ready.append(t)
    if len(rank) == len(indegree):
        return rank
    # Every gate left over has a wire in from another one left over: walk those back.
    back = {t: (s, i) for s, t, _, i in edges if s not in rank and t not in rank}
    seen: dict[str, int] = {}
    gid = next(iter(back))
    while gid not in seen:
        seen[gid] = len(seen)
        gid = back[gid][0]
    loop = list(seen)[seen[gid] :][::-1]  # forward order, starting anywhere
    last = max(back[t][1] for t in loop)
    names = [c.gate(g).name for g in loop]
    names = [name if len(name) <= 20 else name[:17] + "..." for name in names]
    if len(names) > 8:
        names = names[:4] + ["..."] + names[-3:]
    raise FileFormatError(
        "this wire closes a loop ("
        + " \u2192 ".join(names + names[:1])
        + "); a circuit must flow one way, from inputs to output",
        f"wires[{last}]",
    )


def _add_input_sets(c: Circuit, x: object, renamed: dict[str, str]) -> None:
    sets = _object(x, "input_sets", 'an object such as {"example": {"x": 1.0}}')
    for name, values in sets.items():
        path = key_path("input_sets", name)
        values = _object(values, path, 'an object such as {"x": 1.0}')
        values = {renamed.get(k, k): _number(v, key_path(path, k)) for k, v in values.items()}
        try:
            c.set_input_set(name, values)
        except (CircuitError, ValueError) as e:
            raise FileFormatError(str(e), path) from None
