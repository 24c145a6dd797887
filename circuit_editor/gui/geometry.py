"""Where wires run and where their numbers sit, in plain floats (it runs for every wire on every
open and every move, so it avoids Qt objects in its inner loops).

Boxes are ``(x0, y0, x1, y1)`` in scene coordinates. A :class:`GateIndex` (gate_index) finds
the gates near a place; :func:`route` runs a wire straight, or along a lane above or below the
gates in its way; :func:`label_boxes` is where a wire's numbers stand beside it (gui.labels
chooses where along it)."""

from __future__ import annotations

import itertools
import math

from .channels import channel_route
from .gate_index import Box, GateIndex

LANE_GAP = 22.0


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
