"""A wire's way through the layers it crosses, in plain floats.

Gates that stand between a wire's ends form vertical bands (a layered layout's columns). In
each band the wire runs level through a free gap, and between bands it runs straight from one
gap to the next, where no gate stands: so it never passes through a gate. The gaps it takes are
the cheapest in vertical travel and bends (a shortest path over the bands), which are the lanes
the layout left for long wires (core.layout): the file stores gate positions only."""

from __future__ import annotations

import itertools
from typing import Protocol

import numpy as np

from .step_costs import Band, Point, StepCosts

Box = tuple[float, float, float, float]

SPAN = 320.0  # how far above and below its ends a wire may look for a gap
CLEAR = 14.0  # a wire keeps this far from a gate's box
JOG = 16.0  # a wire that must cross another turns this far before its next band


class Boxes(Protocol):
    def near(self, box: Box, skip=()) -> list[tuple[Box, Box | None]]: ...

    def wires_near(self, box: Box, source: str) -> np.ndarray: ...


def channel_route(start: Point, end: Point, index: Boxes, skip=()) -> list[Point] | None:
    """The wire from ``start`` to ``end`` through the gaps of the bands between them, or None
    when it runs right to left or finds no way."""
    (sx, sy), (ex, ey) = start, end
    if ex - sx < 4:
        return None
    lo, hi = min(sy, ey) - SPAN, max(sy, ey) + SPAN
    bands = _bands(index, (sx, lo, ex, hi), skip)
    if not bands:
        return None
    layers: list[list[float]] = []
    for x0, x1, gaps in bands:
        if x0 <= sx or x1 >= ex:  # the band holds an end: the wire runs level into it
            y = sy if x0 <= sx else ey
            if not any(g0 <= y <= g1 for g0, g1 in gaps):
                return None
            layers.append([y])
            continue
        line = sy + (ey - sy) * ((x0 + x1) / 2 - sx) / (ex - sx)
        layers.append(_candidates(gaps, (sy, ey, line)))
    wires = index.wires_near((sx, lo, ex, hi), skip[0] if skip else "")
    costs = StepCosts(start, end, bands, layers, wires)
    ys = _cheapest(costs)
    points: list[Point] = [start]
    for (x0, x1, _), y in zip(bands, ys, strict=True):
        if x0 > sx:
            _enter(points, (x0, y), costs)
            points.append((x0, y))
        if x1 < ex:
            points.append((x1, y))
    _enter(points, end, costs)
    points.append(end)
    return _simplified(points)


def _enter(points: list[Point], to: Point, costs: StepCosts) -> None:
    """Where the way from the last point to ``to`` must cross a wire, it runs level and turns
    just before ``to``: the crossing falls near the other wire's port, clear of its numbers
    (which sit in its middle), instead of through them."""
    (xa, ya), (xb, yb) = points[-1], to
    level = abs(ya - yb) <= 0.5 or xb - xa <= 3 * JOG
    if not level and costs.crosses(points[-1], to):
        points += [(xb - JOG, ya), (xb - JOG / 2, yb)]


def _bands(index: Boxes, area: Box, skip) -> list[Band]:
    sx, lo, ex, hi = area
    boxes = []
    for body, name in index.near(area, skip):
        for b in (body,) if name is None else (body, name):
            if b[2] > sx and b[0] < ex:
                boxes.append(b)
    boxes.sort()
    merged: list[tuple[float, float, list[Box]]] = []
    for b in boxes:
        if merged and b[0] <= merged[-1][1]:
            x0, x1, members = merged[-1]
            members.append(b)
            merged[-1] = (x0, max(x1, b[2]), members)
        else:
            merged.append((b[0], b[2], [b]))
    return [(x0, x1, _gaps(members, lo, hi)) for x0, x1, members in merged]


def _gaps(boxes: list[Box], lo: float, hi: float) -> list[tuple[float, float]]:
    """The free heights between ``lo`` and ``hi`` where a wire keeps clear of every box."""
    spans = sorted((b[1] - CLEAR, b[3] + CLEAR) for b in boxes)
    out, y = [], lo
    for a, b in spans:
        if a > y:
            out.append((y, min(a, hi)))
        y = max(y, b)
        if y >= hi:
            break
    if y < hi:
        out.append((y, hi))
    return [(a, b) for a, b in out if b > a]


def _candidates(gaps: list[tuple[float, float]], wants: tuple[float, ...]) -> list[float]:
    out = set()
    for g0, g1 in gaps:
        for w in wants:
            out.add(min(max(w, g0), g1))
    return sorted(out)


def _cheapest(costs: StepCosts) -> list[float]:
    """The heights, one per band, that cost least: crossings of other wires (taken as straight
    lines from port to port), then vertical travel, bends and straying from the straight line.
    A shortest path over the bands (dynamic programming)."""
    cost = np.zeros(1)
    back: list[np.ndarray] = []
    *steps, last = zip(costs.travel, costs.crossing, costs.off_line, strict=True)
    for travel, crossing, off_line in steps:  # tables [to, from]
        total = cost + travel
        total += crossing
        back.append(total.argmin(axis=1))
        cost = total.min(axis=1) + off_line
    travel, crossing, _ = last  # into the end, its only height
    k = int((cost + (travel + crossing)[0]).argmin())
    out = []
    for ys, arg in zip(reversed(costs.heights[1:-1]), reversed(back), strict=True):
        out.append(ys[k])
        k = int(arg[k])
    return out[::-1]


def _simplified(points: list[Point]) -> list[Point]:
    """Without the middle points of straight runs."""
    out = [points[0]]
    for p, q in itertools.pairwise(points[1:]):
        a = out[-1]
        if abs((p[0] - a[0]) * (q[1] - a[1]) - (p[1] - a[1]) * (q[0] - a[0])) > 1e-6:
            out.append(p)
    out.append(points[-1])
    return out
