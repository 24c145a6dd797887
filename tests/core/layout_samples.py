"""Random circuits for the layout's tests and benchmark (a module with a name unique across
tests/): ``n`` operations, each reading recent values more often than old ones, as code does."""

from __future__ import annotations

import random

import circuit_editor as ce

KINDS = ("add", "mul", "max", "sigmoid", "exp", "neg", "add", "mul")


def random_circuit(n: int, seed: int) -> ce.Circuit:
    """``n`` operations over about n/6 inputs and a few constants, every value read, one output."""
    rng = random.Random(seed)
    c = ce.Circuit()
    nodes = [
        c.add_gate("input", label=f"x{i}", value=rng.uniform(-1.0, 1.0)).id
        for i in range(max(2, n // 6))
    ]
    unread = set(nodes)
    for _ in range(n):
        if rng.random() < 0.06:
            k = c.add_gate("const", value=round(rng.uniform(-2.0, 2.0), 1)).id
            nodes.append(k)
            unread.add(k)
        kind = rng.choice(KINDS)
        g = c.add_gate(kind).id
        for port in range(ce.GATES[kind].arity):
            pool = sorted(unread) if unread and rng.random() < 0.5 else nodes
            src = pool[-1 - min(len(pool) - 1, int(rng.expovariate(0.25)))]
            if src == g or any(w.source == src for w in c.wires_into(g)):
                src = next(
                    s for s in reversed(nodes) if all(w.source != s for w in c.wires_into(g))
                )
            c.connect(src, g, port)
            unread.discard(src)
        nodes.append(g)
        unread.add(g)
    loose = sorted(unread - {nodes[-1]}, key=nodes.index)
    last = nodes[-1]
    for gid in loose:
        s = c.add_gate("add").id
        c.connect(last, s, 0)
        c.connect(gid, s, 1)
        last = s
    c.set_setting("output", last)
    return c
