"""Step three of the layered layout: order each layer to reduce crossings.

Barycenter sweeps (a node goes to the mean place of its neighbours in the layer before),
down then up, each followed by transposition (swap two neighbours in a layer while that
removes crossings), repeated while the total falls; the best order seen is kept. Then, for a
small circuit, a fanned-out input may step one layer left (a staircase) when that removes
crossings: a wire can only pass round an input that stands to the right of its fork."""

from __future__ import annotations

from collections.abc import Sequence

from .circuit import Circuit
from .layering import (
    LARGE,
    LARGE_ROUNDS,
    MAX_ROUNDS,
    STAIRCASE_LIMIT,
    TRANSPOSE_PASSES,
    Layered,
    build,
    layers_of,
    port_key,
)


def ordered(circuit: Circuit) -> Layered:
    """The circuit's layered graph, layered and ordered with as few crossings as found."""
    col = layers_of(circuit)
    best = reduce_crossings(build(circuit, col))
    if len(col) > STAIRCASE_LIMIT:
        return best
    best_count = best.crossings()
    leaves = [g.id for g in circuit.gates if g.spec.is_leaf and len(circuit.wires_from(g.id)) > 1]
    improved = True
    while improved and best_count:
        improved = False
        for gid in leaves:
            trial = dict(col)
            trial[gid] -= 1
            g = reduce_crossings(build(circuit, trial))
            count = g.crossings()
            if count < best_count:
                best, best_count, col, improved = g, count, trial, True
    return best


def reduce_crossings(g: Layered) -> Layered:
    best = [list(layer) for layer in g.layers]
    best_count = g.crossings()
    rounds = MAX_ROUNDS if len(g.layer) < LARGE else LARGE_ROUNDS
    for _ in range(rounds):
        if not best_count:
            break
        _sweep(g, down=True)
        _sweep(g, down=False)
        count = g.crossings()
        if count >= best_count:
            break
        best, best_count = [list(layer) for layer in g.layers], count
    g.layers = best
    return g


def _sweep(g: Layered, down: bool) -> None:
    pos = g.positions()
    indices = range(1, len(g.layers)) if down else range(len(g.layers) - 2, -1, -1)
    for i in indices:
        layer = g.layers[i]

        def key(n: int) -> tuple[float, int]:
            if down:
                ks = [float(pos[u]) for u, _ in g.ins[n]]
            else:
                ks = [port_key(pos[v], p, g.arity[v]) for v, p in g.outs[n]]
            return (sum(ks) / len(ks) if ks else float(pos[n]), pos[n])

        layer.sort(key=key)
        for j, n in enumerate(layer):
            pos[n] = j
        _transpose(g, i, pos)


def _transpose(g: Layered, i: int, pos: list[int]) -> None:
    """Swap neighbours in layer ``i`` while a swap removes crossings with both neighbour
    layers (the neighbour layers stay put meanwhile: their places are read once)."""
    layer = g.layers[i]
    left = {n: [pos[u] for u, _ in g.ins[n]] for n in layer}
    right = {n: [port_key(pos[v], p, g.arity[v]) for v, p in g.outs[n]] for n in layer}
    for _ in range(TRANSPOSE_PASSES):
        changed = False
        for j in range(len(layer) - 1):
            a, b = layer[j], layer[j + 1]
            la, lb, ra, rb = left[a], left[b], right[a], right[b]
            if len(la) == len(lb) == len(ra) == len(rb) == 1:  # the usual case, inlined
                swap = (lb[0] > la[0]) + (rb[0] > ra[0]) < (la[0] > lb[0]) + (ra[0] > rb[0])
            elif not ((la and lb) or (ra and rb)):
                continue
            else:
                swap = _inversions(lb, la) + _inversions(rb, ra) < _inversions(
                    la, lb
                ) + _inversions(ra, rb)
            if swap:
                layer[j], layer[j + 1] = b, a
                pos[a], pos[b] = j + 1, j
                changed = True
        if not changed:
            return


def _inversions(above: Sequence[float], below: Sequence[float]) -> int:
    """Crossings between wires ending at ``above`` (from a node standing above) and those
    ending at ``below``: pairs where the upper node's end lies lower."""
    if len(above) == 1 and len(below) == 1:  # the usual case: two dummies, or plain gates
        return 1 if above[0] > below[0] else 0
    return sum(1 for x in above for y in below if x > y)
