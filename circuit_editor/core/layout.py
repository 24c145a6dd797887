"""A layered, left-to-right layout in the style of the worksheet's drawings (Sugiyama's method).

:mod:`.layering` puts gates in layers and gives long wires dummy nodes in the layers they cross;
:mod:`.ordering` orders the layers to reduce crossings. Here, step four: each layer's heights
are assigned so wires run straight where they can. Every node wants to stand level with its
neighbours (a wire into a gate's upper or lower port wants the gate offset by that port), the
wants weighted so that long wires (dummy to dummy) straighten first, as in Gansner et al.; a
layer then takes the heights nearest its wants (least squares) that keep its order and spacing,
found exactly by pooling adjacent violators. Sweeps go down and up until the heights settle.

Dummy nodes leave a free lane in their layer: the canvas's router finds it (gui.geometry.route)
and bends the wire through it, so nothing is stored beyond the gates' positions."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .circuit import Circuit
from .layering import LARGE, Layered, port_key
from .ordering import ordered
from .parts import MAX_COORDINATE

COLUMN = 170.0  # horizontal distance between layers, in scene units
ROOM_PER_CROSSING = 40.0  # more of it for each crossing between two layers...
MAX_ROOM = 120.0  # ...up to so much
GATE_RADIUS = 24.0  # a gate's circle as the canvas draws it
PORT_ANGLE = 32.0  # degrees above and below the left end where a binary gate's inputs sit
PORT_DY = GATE_RADIUS * math.sin(math.radians(PORT_ANGLE))  # those ports' height off centre
GAP = 36.0  # free room between two neighbours in a layer (a wire's numbers need it)
GATE_HALF = 30.0  # a gate's circle and margin, above and below its centre
NAME_ROOM = 16.0  # a named gate's name, above its circle
TAG_HALF = 17.0  # an input's or constant's tag
LANE_HALF = 12.0  # a long wire passing through a layer
SWEEPS = 10
LARGE_SWEEPS = 6  # for a graph of LARGE nodes or more
WEIGHTS = (1.0, 2.0, 8.0)  # gate-gate, gate-dummy, dummy-dummy


@dataclass
class Plan:
    """Where everything goes: gates by id, and the bend points of each long wire, by
    (source, target, port), one per layer it crosses."""

    positions: dict[str, tuple[float, float]]
    bends: dict[tuple[str, str, int], list[tuple[float, float]]]
    crossings: int  # between layers, counting ports


def plan(circuit: Circuit, origin: tuple[float, float] = (0.0, 0.0)) -> Plan:
    """The layout of ``circuit``, without moving anything."""
    if not len(circuit):
        return Plan({}, {}, 0)
    g = ordered(circuit)
    top, bottom = _extents(circuit, g)
    ys = _heights(g, top, bottom)
    xs = columns(g)
    ox, oy = origin
    mid = (min(ys) + max(ys)) / 2

    def at(n: int) -> tuple[float, float]:
        return (ox + xs[g.layer[n]], round(oy + ys[n] - mid, 1))

    positions = {gid: at(n) for n, gid in enumerate(g.ids)}
    bends = {wire: [at(d) for d in chain] for wire, chain in g.chains.items() if chain}
    return Plan(positions, bends, g.crossings())


def layout(
    circuit: Circuit, origin: tuple[float, float] = (0.0, 0.0)
) -> dict[str, tuple[float, float]]:
    """Place every gate of ``circuit`` (moving it) and return the new positions."""
    positions = within_limit(plan(circuit, origin).positions)
    for gid, pos in positions.items():
        circuit.move(gid, pos)
    return positions


def within_limit(positions: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """``positions`` kept within ±MAX_COORDINATE: a drawing longer or taller than the room is
    squeezed along that axis (a chain of thousands of gates), then shifted inside it."""
    if not positions:
        return positions
    axes = list(zip(*positions.values()))
    moves = []
    for values in axes:
        lo, hi = min(values), max(values)
        squeeze = min(1.0, 2 * MAX_COORDINATE / (hi - lo)) if hi > lo else 1.0
        shift = 0.0
        if lo + (hi - lo) * squeeze > MAX_COORDINATE or lo < -MAX_COORDINATE:
            shift = -(lo + (hi - lo) * squeeze / 2)  # centred on the origin
        moves.append((lo, squeeze, shift))
    if all(squeeze == 1.0 and shift == 0.0 for _, squeeze, shift in moves):
        return positions
    (x0, sx, dx), (y0, sy, dy) = moves
    return {
        gid: (x0 + (x - x0) * sx + dx, y0 + (y - y0) * sy + dy) for gid, (x, y) in positions.items()
    }


def columns(g: Layered) -> list[float]:
    """Each layer's distance from the first: ``COLUMN`` apart, and wider where wires cross
    between two layers, by the crossings of the most crossed wire there (each crossing takes
    room from the numbers of the wires it crosses: a wider gap spreads the crossings out and
    leaves the numbers room between them). The worksheet's drawings cross nothing: they keep
    ``COLUMN``."""
    if len(g.layer) >= LARGE:  # a circuit read from afar: evenly spaced, laid out quickly
        return [i * COLUMN for i in range(len(g.layers))]
    pos = g.positions()
    out = [0.0]
    for i in range(len(g.layers) - 1):
        extra = min(MAX_ROOM, ROOM_PER_CROSSING * _most_crossed(g, i, pos))
        out.append(out[-1] + COLUMN + extra)
    return out


def _most_crossed(g: Layered, i: int, pos: list[int]) -> int:
    """How many other wires between layers ``i`` and ``i + 1`` the most crossed one crosses."""
    ends = [(pos[u], port_key(pos[v], p, g.arity[v])) for u in g.layers[i] for v, p in g.outs[u]]
    if len(ends) < 2:
        return 0
    a, b = np.array(ends).T
    above = (a[:, None] < a) & (b[:, None] > b)  # leaves above, ends below the other
    return int((above | above.T).sum(axis=1).max())


def _extents(circuit: Circuit, g: Layered) -> tuple[list[float], list[float]]:
    """How far each node reaches above and below its centre."""
    top = [LANE_HALF] * len(g.layer)
    bottom = [LANE_HALF] * len(g.layer)
    for n, gid in enumerate(g.ids):
        gate = circuit.gate(gid)
        if gate.spec.is_leaf:
            top[n] = bottom[n] = TAG_HALF
        else:
            top[n] = GATE_HALF + (NAME_ROOM if gate.label else 0.0)
            bottom[n] = GATE_HALF
    return top, bottom


def port_dy(g: Layered, n: int, port: int) -> float:
    """How far below node ``n``'s centre its input ``port`` stands."""
    return 0.0 if g.arity[n] < 2 else (-PORT_DY if port == 0 else PORT_DY)


Want = list[tuple[int, float, float]]  # neighbour, weight, offset: n wants ys[nb] + offset


def _wants(g: Layered) -> tuple[list[Want], list[Want]]:
    """What each node wants from the layer before (through its wires in) and after."""
    left: list[Want] = [[] for _ in g.layer]
    right: list[Want] = [[] for _ in g.layer]
    for n in range(len(g.layer)):
        for u, p in g.ins[n]:
            left[n].append((u, _weight(g, u, n), -port_dy(g, n, p)))
        for v, p in g.outs[n]:
            right[n].append((v, _weight(g, n, v), port_dy(g, v, p)))
    return left, right


def _heights(g: Layered, top: list[float], bottom: list[float]) -> list[float]:
    ys = [0.0] * len(g.layer)
    offsets = []
    for layer in g.layers:
        off = _offsets(layer, top, bottom)
        offsets.append(off)
        for n, y in zip(layer, off, strict=True):
            ys[n] = y
    left, right = _wants(g)
    order = list(range(len(g.layers)))
    sweeps = SWEEPS if len(g.layer) < LARGE else LARGE_SWEEPS
    for sweep in range(sweeps):
        down = sweep % 2 == 0
        both = sweep >= sweeps - 2
        for i in order if down else order[::-1]:
            layer = g.layers[i]
            wants = [
                _want(ys, left[n] if down or both else [], right[n] if not down or both else [])
                or (ys[n] * 1e-3, 1e-3)
                for n in layer
            ]
            off = offsets[i]
            pooled = _pool([(t / w - o, w) for (t, w), o in zip(wants, off, strict=True)])
            for n, z, o in zip(layer, pooled, off, strict=True):
                ys[n] = z + o
    return ys


def _want(ys: list[float], left: Want, right: Want) -> tuple[float, float] | None:
    """A node's wanted height times its weight, and the weight (None: it has no wires).
    A fork stands level with its upper middle branch (the worksheet's inputs run straight into
    their first reader); anything else level with the mean of its wires' other ends."""
    total = weight = 0.0
    for nb, w, off in left:
        total += w * (ys[nb] + off)
        weight += w
    if len(right) > 1:
        ends = sorted(ys[nb] + off for nb, _, off in right)
        w = sum(w for _, w, _ in right)
        total += w * ends[(len(ends) - 1) // 2]
        weight += w
    elif right:
        nb, w, off = right[0]
        total += w * (ys[nb] + off)
        weight += w
    return (total, weight) if weight else None


def _offsets(layer: list[int], top: list[float], bottom: list[float]) -> list[float]:
    out, offset = [], 0.0
    for i, n in enumerate(layer):
        if i:
            offset += bottom[layer[i - 1]] + top[n] + GAP
        out.append(offset)
    return out


def _weight(g: Layered, u: int, v: int) -> float:
    return WEIGHTS[g.is_dummy(u) + g.is_dummy(v)]


def _pool(wants: list[tuple[float, float]]) -> list[float]:
    """The non-decreasing sequence nearest the wants (weighted least squares): pool adjacent
    violators."""
    blocks: list[list[float]] = []  # [mean, weight, count]
    for value, weight in wants:
        blocks.append([value, weight, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            v2, w2, c2 = blocks.pop()
            v1, w1, c1 = blocks[-1]
            blocks[-1] = [(v1 * w1 + v2 * w2) / (w1 + w2), w1 + w2, c1 + c2]
    out: list[float] = []
    for value, _, count in blocks:
        out += [value] * int(count)
    return out
