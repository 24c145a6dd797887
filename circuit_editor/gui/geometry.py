"""Where wires run and where their numbers sit, in plain floats (it runs for every wire on every
open and every move, so it avoids Qt objects in its inner loops).

Boxes are ``(x0, y0, x1, y1)`` in scene coordinates. A :class:`GateIndex` finds the gates near a
place; :func:`route` runs a wire straight, or along a lane above or below the gates in its way;
:func:`label_boxes` is where a wire's numbers stand beside it (gui.labels chooses where along
it)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Iterable

from ..core.layout import PORT_DY
from .channels import channel_route

Box = tuple[float, float, float, float]
Point = tuple[float, float]
Cell = tuple[int, int]
Cells = set[Cell]
Ids = set[str]

CELL = 200.0
LANE_GAP = 22.0


class GateIndex:
    """Gate boxes (body, and name if any) by cells of a coarse grid, updated gate by gate; and,
    given the circuit (anything with ``dicts()``), the wires between them, so a wire's route can
    keep clear of the others.

    A route reads the index only through the cells it looks at: while ``reads`` is a set, every
    cell looked at is added to it. The index also keeps which gates changed since
    :meth:`take_changes` was last called, and the cells where that can change what a route
    reads, so the wires that looked there (and only those) can be laid again."""

    def __init__(self, circuit=None):
        self.circuit = circuit
        self.boxes: dict[str, tuple[Box, Box | None]] = {}
        self.cells: dict[Cell, set[str]] = {}
        self._where: dict[str, list[Cell]] = {}
        self.reads: Cells | None = None  # the cells looked at, while a route records them
        self._changed: Ids = set()
        self._stale: Cells = set()

    def set(self, gid: str, body: Box, name: Box | None) -> None:
        if self.boxes.get(gid) == (body, name):
            return
        self.remove(gid)
        self.boxes[gid] = (body, name)
        keys = _cells(body if name is None else _union(body, name))
        self._where[gid] = keys
        for k in keys:
            self.cells.setdefault(k, set()).add(gid)
        self._changed.add(gid)
        self._stale.update(keys)

    def remove(self, gid: str) -> None:
        keys = self._where.pop(gid, ())
        for k in keys:
            cell = self.cells.get(k)
            if cell is not None:
                cell.discard(gid)
        if self.boxes.pop(gid, None) is not None:
            self._changed.add(gid)
            self._stale.update(keys)

    def take_changes(self) -> tuple[Ids, Cells]:
        """The gates whose boxes changed (moved, grew, came or went) since the last call, and
        the cells where a route may now read something else: theirs, before and after, and
        their neighbours' (a route reads the wires of the gates it looks at)."""
        changed, cells = self._changed, self._stale
        self._changed, self._stale = set(), set()
        if self.circuit is not None and changed:
            _, pred, succ = self.circuit.dicts()
            for gid in changed:
                for n in itertools.chain(pred.get(gid, ()), succ.get(gid, ())):
                    cells.update(self._where.get(n, ()))
        return changed, cells

    def _look(self, box: Box) -> list[Cell]:
        keys = _cells(box)
        if self.reads is not None:
            self.reads.update(keys)
        return keys

    def near(self, box: Box, skip=()) -> list[tuple[Box, Box | None]]:
        found: set[str] = set()
        for k in self._look(box):
            cell = self.cells.get(k)
            if cell:
                found |= cell
        return [self.boxes[g] for g in found if g not in skip]

    def wires_near(self, box: Box, source: str) -> list[tuple[Point, Point]]:
        """The wires into and out of the gates near ``box`` (not those from ``source``), each
        as a straight line from its source's port to its target's port."""
        if self.circuit is None:
            return []
        nodes, pred, succ = self.circuit.dicts()
        found: set[str] = set()
        for k in self._look(box):
            found |= self.cells.get(k, set())
        out = []
        seen: set[tuple[str, str, int]] = set()
        for gid in found:
            for u, v in [(gid, t) for t in succ.get(gid, ())] + [
                (s, gid) for s in pred.get(gid, ())
            ]:
                if u == source or u not in self.boxes or v not in self.boxes:
                    continue
                for port in pred[v][u]:
                    if (u, v, port) not in seen:
                        seen.add((u, v, port))
                        out.append((self._out_port(u), self._in_port(v, port, nodes)))
        return out

    def _out_port(self, gid: str) -> Point:
        b = self.boxes[gid][0]
        return (b[2] - 5, (b[1] + b[3]) / 2)

    def _in_port(self, gid: str, port: int, nodes) -> Point:
        b = self.boxes[gid][0]
        cy = (b[1] + b[3]) / 2
        if nodes[gid]["gate"].spec.arity >= 2:
            cy += PORT_DY if port else -PORT_DY
        return (b[0] + 8, cy)


class Readers:
    """Which wires' routes looked at which cells of a :class:`GateIndex` (their ``reads``), so
    that a change in some cells lays again only the wires that looked there."""

    def __init__(self) -> None:
        self._by_cell: dict[Cell, set[Hashable]] = {}
        self._of: dict[Hashable, set[Cell]] = {}

    def record(self, wire: Hashable, cells: set[Cell]) -> None:
        self.forget(wire)
        self._of[wire] = cells
        for c in cells:
            self._by_cell.setdefault(c, set()).add(wire)

    def forget(self, wire: Hashable) -> None:
        for c in self._of.pop(wire, ()):
            self._by_cell[c].discard(wire)

    def looked_at(self, cells: Iterable[Cell]) -> set[Hashable]:
        """The wires whose routes looked at any of ``cells``."""
        found: set[Hashable] = set()
        for c in cells:
            found |= self._by_cell.get(c, set())
        return found


def _cells(box: Box) -> list[Cell]:
    x0, y0, x1, y1 = box
    return [
        (cx, cy)
        for cx in range(int(x0 // CELL), int(x1 // CELL) + 1)
        for cy in range(int(y0 // CELL), int(y1 // CELL) + 1)
    ]


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def bounds(points) -> Box:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def hits(a, b, box: Box) -> bool:
    """Whether the segment a-b passes through the box (a segment that starts or ends inside it
    belongs to that gate and does not count). Liang-Barsky clipping."""
    x0, y0, x1, y1 = box
    ax, ay = a
    bx, by = b
    if (x0 < ax < x1 and y0 < ay < y1) or (x0 < bx < x1 and y0 < by < y1):
        return False
    dx, dy = bx - ax, by - ay
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, ax - x0), (dx, x1 - ax), (-dy, ay - y0), (dy, y1 - ay)):
        if p == 0:
            if q < 0:
                return False
            continue
        r = q / p
        if p < 0:
            if r > t1:
                return False
            t0 = max(t0, r)
        else:
            if r < t0:
                return False
            t1 = min(t1, r)
    return t0 < t1


def _blocked(points, index: GateIndex, skip) -> list[Box]:
    x0, y0, x1, y1 = bounds(points)
    segs = list(itertools.pairwise(points))
    out = []
    for body, _ in index.near((x0 - 2, y0 - 2, x1 + 2, y1 + 2), skip):
        for a, b in segs:
            if hits(a, b, body):
                out.append(body)
                break
    return out


def route(start, end, index: GateIndex, skip=()) -> list[tuple[float, float]]:
    """A straight wire, or, when gates stand in its way, one that bends through the free lanes
    between them: the gaps a layered layout leaves for its long wires (channels.route)."""
    straight = [start, end]
    blocking = _blocked(straight, index, skip)
    if not blocking:
        return straight
    through = channel_route(start, end, index, skip)
    if through is not None:
        return through
    return _lane_route(start, end, blocking, index, skip)


def _lane_route(start, end, blocking, index: GateIndex, skip) -> list[tuple[float, float]]:
    """A wire that runs along a lane just above or below the gates in its way (whichever is the
    shorter detour) and comes back into its port (for wires that run right to left)."""
    straight = [start, end]
    best, best_cost = None, math.inf
    dx = end[0] - start[0]
    x0 = start[0] + max(12.0, min(24.0, dx / 4))
    x1 = end[0] - max(12.0, min(44.0, dx / 4))
    for above in (True, False):
        found = list(blocking)
        for _ in range(8):
            lane = (
                min(b[1] for b in found) - LANE_GAP
                if above
                else max(b[3] for b in found) + LANE_GAP
            )
            pts = [start, (x0, lane), (x1, lane), end]
            more = [b for b in _blocked(pts, index, skip) if b not in found]
            if not more:
                cost = abs(start[1] - lane) + abs(end[1] - lane)
                if cost < best_cost:
                    best, best_cost = pts, cost
                break
            found += more
    return best or straight


def label_boxes(a, b, w_value: float, w_grad: float, h: float, t: float) -> tuple[Box, Box]:
    """The value's box above the segment a-b and the gradient's below, centred beside the point
    ``t`` of the way along, each just clear of the line whatever its slope."""
    mx, my = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy) or 1.0
    nx, ny = dy / length, -dx / length  # a unit normal...
    if ny > 0 or (ny == 0 and nx > 0):
        nx, ny = -nx, -ny  # ...pointing up (or left, for a vertical wire)
    out = []
    for w, side in ((w_value, 1), (w_grad, -1)):
        d = abs(nx) * w / 2 + abs(ny) * h / 2 + 2
        cx, cy = mx + side * nx * d, my + side * ny * d
        out.append((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
    return out[0], out[1]
