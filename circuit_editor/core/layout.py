"""A layered, left-to-right layout in the style of the worksheet's drawings.

Every gate stands one column right of its furthest input (the longest-path layering that
networkx's topological generations give); inputs and constants stand just left of the first gate
that reads them, so their wires stay short and their numbers readable. Within a column, gates
are ordered by alternating barycenter sweeps to reduce crossings, then each column is centred
on the middle line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .circuit import Circuit

COLUMN = 170.0  # horizontal distance between columns, in scene units
ROW = 110.0  # vertical distance between gates of a column
SWEEPS = 4


def columns(circuit: Circuit) -> dict[str, int]:
    order = circuit.topological_order()
    _, pred, succ = circuit.dicts()
    col: dict[str, int] = {}
    for gid in order:
        if circuit.gate(gid).spec.is_leaf:
            continue
        col[gid] = 1 + max((col[p] for p in pred[gid] if p in col), default=0)
    for gid in order:
        if gid not in col:  # leaves: just left of their first reader
            readers = [col[s] for s in succ[gid] if s in col]
            col[gid] = max(0, min(readers) - 1) if readers else 0
    return col


def layout(
    circuit: Circuit, origin: tuple[float, float] = (0.0, 0.0)
) -> dict[str, tuple[float, float]]:
    """Place every gate of ``circuit`` (moving it) and return the new positions."""
    if not len(circuit):
        return {}
    col = columns(circuit)
    ncols = max(col.values()) + 1
    layers: list[list[str]] = [[] for _ in range(ncols)]
    for gid in circuit.topological_order():
        layers[col[gid]].append(gid)
    _, pred, succ = circuit.dicts()
    rank = {gid: i for layer in layers for i, gid in enumerate(layer)}

    def sweep(layer_ids: Iterable[list[str]], neighbours: Mapping[str, Iterable[str]]) -> None:
        for layer in layer_ids:

            def key(gid: str) -> tuple[float, int]:
                ns = [rank[n] for n in neighbours[gid]]
                return (sum(ns) / len(ns) if ns else rank[gid], rank[gid])

            layer.sort(key=key)
            for i, gid in enumerate(layer):
                rank[gid] = i

    for _ in range(SWEEPS):
        sweep(layers[1:], pred)  # left to right: follow the inputs
        sweep(layers[-2::-1], succ)  # right to left: follow the readers
    sweep(layers[1:], pred)
    positions: dict[str, tuple[float, float]] = {}
    ox, oy = origin
    for c, layer in enumerate(layers):
        top = -(len(layer) - 1) * ROW / 2
        for i, gid in enumerate(layer):
            positions[gid] = (ox + c * COLUMN, oy + top + i * ROW)
    for gid, pos in positions.items():
        circuit.move(gid, pos)
    return positions
