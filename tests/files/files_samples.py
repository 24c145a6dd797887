"""Circuits the file tests save and load (a module with a name unique across tests/)."""

from __future__ import annotations

import random

from circuit_editor.core.circuit import Circuit
from circuit_editor.core.gates import GATES

OPS = [k for k, s in GATES.items() if not s.is_leaf]


def sample_circuit() -> Circuit:
    """Every kind of gate, parameters, labels, input sets, odd floats and text: what the v1
    fixture holds."""
    c = Circuit(
        title="Every gate \u03c3 \u2014 fixture",
        description='Line one.\nLine "two"\twith a tab, a backslash \\ and \u00e9.',
    )
    x = c.add_gate("input", id="x", label="x", value=-2.0, pos=(0.0, -110.0))
    y = c.add_gate("input", id="y", label="w[0]", value=0.1, pos=(0.0, 0.0))
    k = c.add_gate("const", id="k", value=1e-300, pos=(0.0, 110.0))
    z = c.add_gate("const", id="z", label="z_1", value=-0.0, pos=(0.0, 220.0))
    leaves = [x.id, y.id, k.id, z.id]
    params = {"pow": {"c": 3.0}, "addc": {"c": -1.5}, "mulc": {"c": 1e16}}
    prev = x.id  # the first gate reads x twice: two wires, one pair of gates
    for i, kind in enumerate(OPS):
        g = c.add_gate(
            kind,
            id=f"g{i}",
            label=f"{kind}_{i}" if i % 2 else "",
            params=params.get(kind),
            pos=(170.0 * (i + 1), 12345.6789 * (i % 3)),
        )
        c.connect(prev, g.id, 0)
        if g.spec.arity == 2:
            c.connect(leaves[i % 4], g.id, 1)
        prev = g.id
    c.set_setting("tie", "split")
    c.set_setting("output", prev)
    c.set_setting("target", "g3")
    c.set_input_set("lecture", {"x": -2.0, "w[0]": 5.0})
    c.set_input_set("tie \u00e0 z\u00e9ro", {"x": 0.0, "w[0]": 0.0})
    c.set_input_set("none", {})
    return c


def big_circuit(n: int, seed: int = 0, inputs: int = 100) -> Circuit:
    """About ``n`` gates: ``inputs`` inputs, then a mix of constants and operations, each
    reading from gates made before it."""
    rnd = random.Random(seed)
    c = Circuit(title=f"{n} gates")
    ids = []
    for i in range(inputs):
        ids.append(
            c.add_gate("input", label=f"x{i}", value=rnd.uniform(-1, 1), pos=(0.0, 110.0 * i)).id
        )
    for i in range(n - inputs):
        pos = (170.0 * (1 + i // 500), 110.0 * (i % 500))
        if rnd.random() < 0.1:
            ids.append(c.add_gate("const", value=round(rnd.uniform(-5, 5), 3), pos=pos).id)
            continue
        kind = rnd.choice(OPS)
        spec = GATES[kind]
        g = c.add_gate(
            kind,
            params={"c": 2.0} if spec.params else None,
            pos=pos,
            label=f"h{i}" if i % 7 == 0 else "",
        )
        for port in range(spec.arity):
            c.connect(ids[-1 - rnd.randrange(min(len(ids), 50))], g.id, port)
        ids.append(g.id)
    return c


def sample_text() -> str:
    from circuit_editor.files import dumps

    return dumps(sample_circuit())


def sample_doc() -> dict:
    """The sample circuit's file as plain JSON data, to damage in tests."""
    import json

    return json.loads(sample_text())
