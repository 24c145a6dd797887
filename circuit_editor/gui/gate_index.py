"""Where the gates stand, for the router (geometry.route, channels.channel_route) and the
numbers' places, in plain floats; and which wires' routes looked where.

Boxes are ``(x0, y0, x1, y1)`` in scene coordinates. The index files each gate by the cells of
a coarse grid that its box (body and name) touches: a look at a box finds the gates filed in
the cells that box touches. A look at a few cells reads their sets; a look at many (a long
wire's way) tests every gate's cells at once in arrays built when first needed after a change,
which finds the same gates."""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable

import numpy as np

from ..core.layout import PORT_DY

Box = tuple[float, float, float, float]
Point = tuple[float, float]
Cell = tuple[int, int]
CellRect = tuple[int, int, int, int]  # the cells (cx0..cx1, cy0..cy1), ends included
Cells = set[Cell]
Ids = set[str]

CELL = 200.0
FEW_CELLS = 32  # a look at no more cells than this reads their sets
GRID_LIMIT = 1 << 22  # the most cells Readers.looked_at lays out in one grid
FAR = 1 << 40  # cells, far beyond any drawing (the arrays hold them as 64-bit integers)


class GateIndex:
    """Gate boxes (body, and name if any) by cells of a coarse grid, updated gate by gate; and,
    given the circuit (anything with ``dicts()`` and ``structure_version``), the wires between
    them, so a wire's route can keep clear of the others.

    A route reads the index only through the cells it looks at: while ``reads`` is a list,
    every look appends the cells it covers. The index also keeps which gates changed since
    :meth:`take_changes` was last called, and the cells where that can change what a route
    reads, so the wires that looked there (and only those) can be laid again."""

    def __init__(self, circuit=None):
        self.circuit = circuit
        self.boxes: dict[str, tuple[Box, Box | None]] = {}
        self.cells: dict[Cell, set[str]] = {}
        self._where: dict[str, CellRect] = {}
        self.reads: list[CellRect] | None = None  # the cells looked at, while a route records
        self._changed: Ids = set()
        self._stale: Cells = set()
        self._gates: _Gates | None = None  # the arrays, built when first needed after a change
        self._wires: _Wires | None = None

    def set(self, gid: str, body: Box, name: Box | None) -> None:
        if self.boxes.get(gid) == (body, name):
            return
        self.remove(gid)
        self.boxes[gid] = (body, name)
        rect = cell_rect(body if name is None else _union(body, name))
        self._where[gid] = rect
        keys = cells_in(rect)
        for k in keys:
            self.cells.setdefault(k, set()).add(gid)
        self._changed.add(gid)
        self._stale.update(keys)
        self._gates = self._wires = None

    def remove(self, gid: str) -> None:
        rect = self._where.pop(gid, None)
        keys = cells_in(rect) if rect is not None else []
        for k in keys:
            cell = self.cells.get(k)
            if cell is not None:
                cell.discard(gid)
        if self.boxes.pop(gid, None) is not None:
            self._changed.add(gid)
            self._stale.update(keys)
            self._gates = self._wires = None

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
                    rect = self._where.get(n)
                    if rect is not None:
                        cells.update(cells_in(rect))
        return changed, cells

    def _look(self, box: Box) -> CellRect | None:
        """The cells ``box`` touches (None when it is empty), noted in ``reads``."""
        rect = cell_rect(box)
        if rect[2] < rect[0] or rect[3] < rect[1]:
            return None
        if self.reads is not None:
            self.reads.append(rect)
        return rect

    def near(self, box: Box, skip=()) -> list[tuple[Box, Box | None]]:
        """The boxes of the gates filed in the cells ``box`` touches (but those in ``skip``)."""
        rect = self._look(box)
        if rect is None:
            return []
        x0, y0, x1, y1 = rect
        if (x1 - x0 + 1) * (y1 - y0 + 1) <= FEW_CELLS:
            found: set[str] = set()
            cells = self.cells
            for k in itertools.product(range(x0, x1 + 1), range(y0, y1 + 1)):
                cell = cells.get(k)
                if cell:
                    found |= cell
            return [self.boxes[g] for g in found if g not in skip]
        gates, boxes = self.gates(), self.boxes
        met = [gates.ids[i] for i in np.flatnonzero(gates.meet(rect)).tolist()]
        return [boxes[g] for g in met if g not in skip]

    def wires_near(self, box: Box, source: str) -> np.ndarray:
        """The wires into and out of the gates near ``box`` (not those from ``source``), each
        as a straight line from its source's port to its target's port: rows (x0, y0, x1, y1)."""
        rect = self._look(box)
        if self.circuit is None or rect is None:
            return np.empty((0, 4))
        gates, wires = self.gates(), self.wires()
        met = gates.meet(rect)
        keep = met[wires.source] | met[wires.target]
        src = gates.row.get(source)
        if src is not None:
            keep &= wires.source != src
        return wires.lines[keep]

    def gates(self) -> _Gates:
        if self._gates is None:
            self._gates = _Gates(self._where)
        return self._gates

    def wires(self) -> _Wires:
        version = self.circuit.structure_version
        if self._wires is None or self._wires.version != version:
            self._wires = _Wires(self.circuit, self.boxes, self.gates().row, version)
        return self._wires


class _Gates:
    """Every indexed gate's cells, as arrays: row i is gate ``ids[i]``."""

    def __init__(self, where: dict[str, CellRect]):
        self.ids = list(where)
        self.row = {gid: i for i, gid in enumerate(self.ids)}
        self.rects = np.array(list(where.values()), dtype=np.int64).reshape(-1, 4)

    def meet(self, rect: CellRect) -> np.ndarray:
        """Which gates are filed in some cell of ``rect``."""
        x0, y0, x1, y1 = rect
        r = self.rects
        return (r[:, 0] <= x1) & (r[:, 2] >= x0) & (r[:, 1] <= y1) & (r[:, 3] >= y0)


class _Wires:
    """Every wire between indexed gates, as arrays: its source's and target's rows in
    :class:`_Gates`, and its straight line from port to port."""

    def __init__(self, circuit, boxes, row: dict[str, int], version: int):
        self.version = version
        nodes, pred, _ = circuit.dicts()
        rows, lines = [], []
        for v, sources in pred.items():
            if v not in boxes:
                continue
            b = boxes[v][0]
            two = nodes[v]["gate"].spec.arity >= 2
            for u, ports in sources.items():
                if u not in boxes:
                    continue
                a = boxes[u][0]
                out = (a[2] - 5, (a[1] + a[3]) / 2)
                for port in ports:
                    cy = (b[1] + b[3]) / 2
                    if two:
                        cy += PORT_DY if port else -PORT_DY
                    rows.append((row[u], row[v]))
                    lines.append((*out, b[0] + 8, cy))
        ends = np.array(rows, dtype=np.int64).reshape(-1, 2)
        self.source, self.target = ends[:, 0], ends[:, 1]
        self.lines = np.array(lines, dtype=float).reshape(-1, 4)


class Readers:
    """Which wires' routes looked at which cells of a :class:`GateIndex` (their ``reads``), so
    that a change in some cells lays again only the wires that looked there."""

    def __init__(self) -> None:
        self._of: dict[Hashable, list[CellRect]] = {}
        self._all: tuple[list[Hashable], np.ndarray, np.ndarray] | None = None

    def record(self, wire: Hashable, reads: list[CellRect]) -> None:
        self._of[wire] = reads
        self._all = None

    def forget(self, wire: Hashable) -> None:
        if self._of.pop(wire, None) is not None:
            self._all = None

    def looked_at(self, cells: Iterable[Cell]) -> set[Hashable]:
        """The wires whose routes looked at any of ``cells``: a count of those cells in each
        read (a table of sums over the grid of the cells' rows and columns)."""
        at = np.array(list(cells), dtype=np.int64).reshape(-1, 2)
        if not len(at) or not self._of:
            return set()
        xs, ys = np.unique(at[:, 0]), np.unique(at[:, 1])
        wires, owner, rects = self._reads()
        if len(xs) * len(ys) > GRID_LIMIT:  # too spread to lay out: lay every wire again
            return set(wires)
        grid = np.zeros((len(xs) + 1, len(ys) + 1), dtype=np.int64)
        grid[np.searchsorted(xs, at[:, 0]) + 1, np.searchsorted(ys, at[:, 1]) + 1] = 1
        sums = grid.cumsum(axis=0).cumsum(axis=1)  # sums[i, j]: cells in columns < i, rows < j
        i0, i1 = np.searchsorted(xs, rects[:, 0]), np.searchsorted(xs, rects[:, 2], "right")
        j0, j1 = np.searchsorted(ys, rects[:, 1]), np.searchsorted(ys, rects[:, 3], "right")
        inside = sums[i1, j1] - sums[i0, j1] - sums[i1, j0] + sums[i0, j0]
        return {wires[i] for i in np.unique(owner[inside > 0])}

    def _reads(self) -> tuple[list[Hashable], np.ndarray, np.ndarray]:
        """Every wire, and every read as a row (cx0, cy0, cx1, cy1) with its wire's place."""
        if self._all is None:
            wires = list(self._of)
            reads = list(self._of.values())
            owner = np.repeat(np.arange(len(wires)), [len(r) for r in reads])
            rects = np.array([r for rs in reads for r in rs], dtype=np.int64).reshape(-1, 4)
            self._all = (wires, owner, rects)
        return self._all


def cell_rect(box: Box) -> CellRect:
    """The cells ``box`` touches (the grid ends FAR cells out: beyond, a cell runs on)."""
    x0, y0, x1, y1 = (min(max(int(v // CELL), -FAR), FAR) for v in box)
    return (x0, y0, x1, y1)


def cells_in(rect: CellRect) -> list[Cell]:
    x0, y0, x1, y1 = rect
    return list(itertools.product(range(x0, x1 + 1), range(y0, y1 + 1)))


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
