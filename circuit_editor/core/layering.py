"""The layered graph behind the layout (Sugiyama's method, steps one to three).

1. Layers: every operation stands one layer right of its furthest input; inputs and constants
   stand just left of their first reader. A fanned-out leaf whose wires would cross is moved
   further left (a staircase, as a person draws it) when that removes crossings.
2. Dummy nodes: a wire spanning several layers gets one dummy node in each layer it crosses,
   so that it can bend there instead of running through a gate (but the longest wires of a
   huge circuit, say one input read by every step of a 10,000-line loop, get none: they would
   need millions).
3. Order: barycenter sweeps, down and up, each followed by adjacent transpositions, repeated
   while the number of crossings falls (Gansner et al., "A technique for drawing directed
   graphs", 1993). Crossings count ports: two wires into the same gate cross when the upper
   one comes from below.

Nodes are numbered: gates first (in topological order), then dummies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .circuit import Circuit

MAX_ROUNDS = 12  # sweeps (down and up) while crossings still fall
LARGE, LARGE_ROUNDS = 8000, 3  # above so many nodes (dummies included), fewer sweeps
TRANSPOSE_PASSES = 8
DUMMY_BUDGET = 8  # dummy nodes per gate at most: longer wires get none
STAIRCASE_LIMIT = 80  # gates: above this, leaves stay just left of their first reader


@dataclass
class Layered:
    """Gates and dummy nodes in layers, with the edges between consecutive layers."""

    ids: list[str]  # gate ids; node n < len(ids) is a gate
    arity: list[int]  # per node (dummies: 1)
    layer: list[int]  # per node
    layers: list[list[int]] = field(default_factory=list)  # nodes in order, top to bottom
    ins: list[list[tuple[int, int]]] = field(default_factory=list)  # (source, port) per node
    outs: list[list[tuple[int, int]]] = field(default_factory=list)  # (target, port) per node
    chains: dict[tuple[str, str, int], list[int]] = field(default_factory=dict)  # wire -> dummies

    def is_dummy(self, n: int) -> bool:
        return n >= len(self.ids)

    def positions(self) -> list[int]:
        pos = [0] * len(self.layer)
        for layer in self.layers:
            for i, n in enumerate(layer):
                pos[n] = i
        return pos

    def crossings(self) -> int:
        pos = self.positions()
        return sum(self.crossings_between(i, pos) for i in range(len(self.layers) - 1))

    def crossings_between(self, i: int, pos: Sequence[int]) -> int:
        """Crossings between layers ``i`` and ``i + 1``: inversions of the lower ends when the
        edges are sorted by their upper ends (a Fenwick tree, O(E log E))."""
        keys = sorted(
            (pos[u], port_key(pos[v], p, self.arity[v]))
            for u in self.layers[i]
            for v, p in self.outs[u]
        )
        if len(keys) < 2:
            return 0
        ranks = {k: r + 1 for r, k in enumerate(sorted({k for _, k in keys}))}
        tree = [0] * (len(ranks) + 1)
        total = 0
        for seen, (_, k) in enumerate(keys):
            r = ranks[k]
            below = 0  # how many seen so far have a key <= k
            j = r
            while j > 0:
                below += tree[j]
                j -= j & -j
            total += seen - below
            while r < len(tree):
                tree[r] += 1
                r += r & -r
        return total


def port_key(position: int, port: int, arity: int) -> float:
    """Where on a node's left side a wire ends: its ports, top to bottom, within its slot."""
    return position + (port - (arity - 1) / 2) * 0.25


def layers_of(circuit: Circuit) -> dict[str, int]:
    """Each gate's layer: operations one right of their furthest input, leaves just left of
    their first reader."""
    order = circuit.topological_order()
    _, pred, succ = circuit.dicts()
    col: dict[str, int] = {}
    for gid in order:
        if circuit.gate(gid).spec.is_leaf:
            continue
        col[gid] = 1 + max((col[p] for p in pred[gid] if p in col), default=0)
    for gid in order:
        if gid not in col:
            readers = [col[s] for s in succ[gid] if s in col]
            col[gid] = max(0, min(readers) - 1) if readers else 0
    return col


def build(circuit: Circuit, col: dict[str, int]) -> Layered:
    """The layered graph for these layers, with dummy nodes, in a first order (the circuit's
    topological order, which keeps code's line order)."""
    ids = circuit.topological_order()
    index = {gid: n for n, gid in enumerate(ids)}
    low = min(col.values())
    g = Layered(
        ids=ids,
        arity=[max(1, circuit.gate(gid).spec.arity) for gid in ids],
        layer=[col[gid] - low for gid in ids],
    )
    g.ins = [[] for _ in ids]
    g.outs = [[] for _ in ids]
    wires = sorted(circuit.wires, key=lambda w: (index[w.source], index[w.target], w.port))
    spans = sorted(g.layer[index[w.target]] - g.layer[index[w.source]] for w in wires)
    room, longest = DUMMY_BUDGET * len(ids), 1
    for span in spans:  # the longest span whose dummies, with all shorter ones', fit the room
        room -= span - 1
        if room < 0:
            break
        longest = span
    for w in wires:
        u, v = index[w.source], index[w.target]
        if g.layer[v] - g.layer[u] > longest:
            continue  # left to the router: one wire read by a whole long chain
        chain = []
        for layer in range(g.layer[u] + 1, g.layer[v]):
            d = len(g.layer)
            g.layer.append(layer)
            g.arity.append(1)
            g.ins.append([])
            g.outs.append([])
            _link(g, u, d, 0)
            chain.append(d)
            u = d
        _link(g, u, v, w.port)
        g.chains[(w.source, w.target, w.port)] = chain
    g.layers = [[] for _ in range(max(g.layer) + 1)]
    for n in _first_order(g):
        g.layers[g.layer[n]].append(n)
    return g


def _link(g: Layered, u: int, v: int, port: int) -> None:
    g.outs[u].append((v, port))
    g.ins[v].append((u, port))


def _first_order(g: Layered) -> list[int]:
    """Depth first from the sources in topological order: a wire's dummies follow their
    source, so a chain starts out straight."""
    seen = [False] * len(g.layer)
    out: list[int] = []
    for start in range(len(g.ids)):
        if seen[start] or g.ins[start]:
            continue
        stack = [start]
        while stack:
            n = stack.pop()
            if seen[n]:
                continue
            seen[n] = True
            out.append(n)
            stack.extend(v for v, _ in reversed(g.outs[n]) if not seen[v])
    out += [n for n in range(len(g.layer)) if not seen[n]]
    return out
