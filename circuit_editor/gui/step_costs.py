"""What the steps of a wire's way through the bands cost (channels.channel_route), in arrays.

A route through the bands of gates between a wire's ends takes one height in each band. Step k
runs from one of ``heights[k]`` (the start, or a height in band k - 1) to one of
``heights[k + 1]`` (a height in band k, or the end), over ``spans[k]`` (from x to x). For each
pair of heights a step costs its vertical travel and bends, and CROSS for every other wire it
crosses; each height it reaches in a band costs its distance from the straight line.

The costs of all the steps are worked out at once for the steps of like size (their lists of
heights padded to one length): few array operations per route, whatever its length."""

from __future__ import annotations

import itertools

import numpy as np

Point = tuple[float, float]
Band = tuple[float, float, list[tuple[float, float]]]  # x0, x1, free (lo, hi) gaps

BEND = 6.0  # the cost of a bend, in units of vertical travel
OFF_LINE = 0.05  # the cost of straying from the straight line, per unit
CROSS = 400.0  # the cost of crossing another wire
PAD = 1e300  # above every height: lists of heights padded to one length end with it
FEW = 4  # steps between no more than 1 << FEW heights are worked out together, whatever size


class StepCosts:
    """The costs of the steps of a route from ``start`` to ``end`` through ``bands``, at the
    candidate heights ``layers`` (one rising list per band), beside ``wires`` (rows x0, y0, x1,
    y1: every other wire, straight from port to port).

    A wire is taken as straight, and level beyond its ends; a step crosses it when the wire
    passes between the step's ends on opposite sides. Each count of crossings is kept, so the
    route laid through the chosen heights asks again for free (:meth:`crosses`)."""

    def __init__(self, start: Point, end: Point, bands: list[Band], layers, wires: np.ndarray):
        (sx, sy), (ex, ey) = start, end
        self.spans = _spans(start, end, bands)
        self.heights: list[list[float]] = [[sy], *layers, [ey]]
        n = len(self.spans)
        self.travel: list[np.ndarray] = [np.empty(0)] * n
        self.crossing: list[np.ndarray] = [np.empty(0)] * n  # CROSS per wire crossed
        self.crossed: list[np.ndarray] = [np.empty(0)] * n  # the wires crossed
        self.off_line: list[np.ndarray] = [np.empty(0)] * n
        self._step = {span: k for k, span in enumerate(self.spans)}
        w = wires[(wires[:, 0] < ex) & (wires[:, 2] > sx)]  # the wires the route runs beside
        self.px, self.py, self.qx, qy = w.T
        self.rise = qy - self.py
        span = self.qx - self.px
        self.span = np.where(span > 1e-9, span, 1.0)
        lines = [sy + (ey - sy) * ((x0 + x1) / 2 - sx) / (ex - sx) for x0, x1, _ in bands]
        self._work_out(np.array([*lines, 0.0]))

    def _meets(self, xa: np.ndarray, xb: np.ndarray) -> np.ndarray:
        """Which wires run beside each step (xa[k] to xb[k]): rows of steps, one per wire."""
        wide = (xb - xa >= 1e-9)[:, None]
        return wide & (self.px < xb[:, None]) & (self.qx > xa[:, None])

    def _at(self, x: np.ndarray, wire: np.ndarray) -> np.ndarray:
        """The height of each wire ``wire[e]`` at ``x[e]``."""
        t = np.minimum(np.maximum((x - self.px[wire]) / self.span[wire], 0.0), 1.0)
        return self.py[wire] + self.rise[wire] * t

    def _work_out(self, lines: np.ndarray) -> None:
        """Every step's costs, for the steps of each size at once (``lines``: where the
        straight line crosses each band)."""
        xa, xb = np.array(self.spans).T
        steps, wire = np.nonzero(self._meets(xa, xb))  # each step, by each wire it meets
        at_a, at_b = self._at(xa[steps], wire), self._at(xb[steps], wire)
        sizes = np.array([len(h) for h in self.heights])
        first = np.concatenate([[0], np.cumsum(sizes)])  # where each list begins in `flat`
        flat = np.fromiter(itertools.chain.from_iterable(self.heights), float, first[-1])
        most = np.maximum(sizes[:-1], sizes[1:])
        kind = np.full_like(most, FEW)  # steps of like size: the power of two their size
        while (small := (1 << kind) < most).any():  # rounds up to (but no less than 1 << FEW)
            kind += small
        for size in np.unique(kind).tolist():
            ks = np.flatnonzero(kind == size)
            row = np.full(len(self.spans), -1)
            row[ks] = np.arange(len(ks))
            mine = row[steps] >= 0
            prev = _padded(flat, first, sizes, ks, 1 << size)
            cur = _padded(flat, first, sizes, ks + 1, 1 << size)
            d = np.abs(cur[:, :, None] - prev[:, None, :])
            travel = d + BEND * (d > 0.5)
            crossed = _crossed(row[steps[mine]], at_a[mine], at_b[mine], prev, cur)
            off_line = OFF_LINE * np.abs(cur - lines[ks][:, None])
            self._keep(ks.tolist(), sizes.tolist(), travel, crossed, CROSS * crossed, off_line)

    def _keep(self, ks: list[int], sizes: list[int], travel, crossed, crossing, off_line):
        """Each step's part of its kind's tables."""
        for r, k in enumerate(ks):
            p, q = sizes[k], sizes[k + 1]
            self.travel[k] = travel[r, :q, :p]
            self.crossed[k] = crossed[r, :q, :p]
            self.crossing[k] = crossing[r, :q, :p]
            self.off_line[k] = off_line[r, :q]

    def crosses(self, a: Point, b: Point) -> bool:
        """Whether the step from ``a`` to ``b`` crosses a wire."""
        (xa, ya), (xb, yb) = a, b
        k = self._step.get((xa, xb))
        if k is not None and ya in self.heights[k] and yb in self.heights[k + 1]:
            i, j = self.heights[k].index(ya), self.heights[k + 1].index(yb)
            return bool(self.crossed[k][j, i] > 0)
        steps, wire = np.nonzero(self._meets(np.array([xa]), np.array([xb])))
        at_a, at_b = self._at(np.full(len(wire), xa), wire), self._at(np.full(len(wire), xb), wire)
        crossed = _crossed(steps, at_a, at_b, np.array([[ya]]), np.array([[yb]]))
        return bool(crossed[0, 0, 0] > 0)


def _spans(start: Point, end: Point, bands: list[Band]) -> list[tuple[float, float]]:
    """Where the steps of a route through ``bands`` run, from x to x: into each band, from
    the last one (or the start), then on to the end."""
    (sx, _), (ex, _) = start, end
    out, xa = [], sx
    for x0, x1, _ in bands:
        out.append((xa, max(x0, xa)))
        xa = min(x1, ex)
    out.append((xa, ex))
    return out


def _padded(
    flat: np.ndarray, first: np.ndarray, sizes: np.ndarray, which: np.ndarray, size: int
) -> np.ndarray:
    """The lists ``which`` (list i is flat[first[i]:first[i] + sizes[i]]) as rows of ``size``,
    padded above every height (with PAD)."""
    col = np.arange(size)
    on = col < sizes[which][:, None]
    at = np.where(on, first[which][:, None] + col, 0)
    return np.where(on, flat[at], PAD)


def _crossed(
    steps: np.ndarray, at_a: np.ndarray, at_b: np.ndarray, prev: np.ndarray, cur: np.ndarray
) -> np.ndarray:
    """For each step r, how many wires pass between (xa, prev[r, i]) and (xb, cur[r, j]) on
    opposite sides, at [r, j, i]; given the wires it meets: wire e beside step ``steps[e]``, at
    height ``at_a[e]`` at xa and ``at_b[e]`` at xb. The rows of ``prev`` and ``cur`` rise
    (padded with PAD) and are as long.

    Wire e is crossed where prev_i > a_e and cur_j < b_e, or prev_i < a_e and cur_j > b_e.
    In rising rows, the first holds for i from the count of prev <= a_e on, and j below the
    count of cur < b_e: each wire adds one to a table at those two counts, and its sums over
    j' > j and i' <= i count the wires crossed at (j, i). The second the same way round (the
    tables are laid out so that every sum runs forwards)."""
    n, size = prev.shape
    p, c = prev[steps], cur[steps]
    a, b = at_a[:, None], at_b[:, None]
    edge = size + 1

    def summed(j: np.ndarray, i: np.ndarray) -> np.ndarray:
        at = (steps * edge + j) * edge + i
        table = np.bincount(at, minlength=n * edge * edge).reshape(n, edge, edge)
        return table.cumsum(axis=1).cumsum(axis=2)

    def count(holds: np.ndarray) -> np.ndarray:
        return np.count_nonzero(holds, axis=1)

    # over[size - 1 - j, i]: cur < b counted above j, prev <= a counted at i' <= i
    over = summed(size - count(c < b), count(p <= a))
    # under[j, size - 1 - i]: cur <= b counted at j' <= j, prev < a counted above i
    under = summed(count(c <= b), size - count(p < a))
    return over[:, size - 1 :: -1, :size] + under[:, :size, size - 1 :: -1]
