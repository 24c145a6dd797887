"""Where a wire's numbers sit, in plain floats: beside one of its drawn segments, clear of the
gates and their names, of every other source's wires and of the numbers already placed.

A canvas keeps one :class:`LabelBoard` (with its gate index): the drawn segments of every wire,
trunk and stub, and the boxes of the numbers placed so far, by the item that owns them, on a
coarse grid. A wire places its numbers when they are first needed (:func:`place`), trying the
middle of its longest level segment first, then other places along its segments, and keeps the
first place that touches nothing; a wire whose new segments run over numbers placed before
sends those numbers to be placed again (:meth:`LabelBoard.set_segments`). So whatever order the
wires are placed in, each number stands clear of every number, gate and foreign wire on the
canvas whenever a clear place along its wire exists; the layout leaves room for one where wires
cross (core.layout.columns)."""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from .gate_index import Box, Cell, GateIndex, Point, cell_rect
from .geometry import hits, label_boxes

CELL = 120.0
# fractions along a segment, in turn: the middle, then further out on either side
PLACES = (0.5, *(0.5 + s * k / 20 for k in range(1, 9) for s in (-1, 1)))
WIRE = 1000.0  # the cost of a foreign wire through a number (per wire)
NUMBER = 1000.0  # the cost of a number over another (per number), beyond the area covered
SHORT = 0.6  # a segment shorter than this many numbers' widths is tried last
PILE = 40  # more gates than this in one cell of the gate index (200 units square) is a pile
BUDGET = 3000  # pieces (segments, numbers) a wire's search for a place looks at, at most
OVERLAP = 0.25  # square units two boxes may share (touching edges) without overlapping
Segment = tuple[Point, Point]
Spot = tuple[int, float]  # a segment (by its first point's index) and how far along it


class _Grid:
    """Pieces (segments or boxes) by owner and source, on a coarse grid."""

    def __init__(self) -> None:
        self.of: dict[Hashable, tuple[str, list]] = {}
        self.cells: dict[Cell, set[tuple[Hashable, int]]] = {}

    def put(self, owner: Hashable, source: str, pieces: list) -> None:
        self.drop(owner)
        self.of[owner] = (source, pieces)
        for i, piece in enumerate(pieces):
            for k in _cells_of(piece):
                self.cells.setdefault(k, set()).add((owner, i))

    def drop(self, owner: Hashable) -> None:
        entry = self.of.pop(owner, None)
        if entry is not None:
            for i, piece in enumerate(entry[1]):
                for k in _cells_of(piece):
                    self.cells.get(k, set()).discard((owner, i))

    def near(self, piece) -> Iterable[tuple[Hashable, str, Any]]:
        """The pieces in the cells ``piece`` (a box or a segment) passes: (owner, source,
        piece)."""
        found: set[tuple[Hashable, int]] = set()
        for k in _cells_of(piece):
            found.update(self.cells.get(k, ()))
        for owner, i in found:
            source, pieces = self.of[owner]
            yield owner, source, pieces[i]


class LabelBoard:
    """The drawn segments and placed numbers of a canvas's wires, by owner (an item), with the
    source each belongs to (a wire does not avoid its own source's other wires)."""

    def __init__(self) -> None:
        self._segments = _Grid()
        self._labels = _Grid()
        # segments not yet on the grid: a canvas lays every wire on open and on Tidy Layout,
        # and numbers are placed only once they can be read, so the grid is filled then
        self._pending: dict[Hashable, tuple[str, list[Segment]]] = {}

    def set_segments(self, owner: Hashable, source: str, points: Sequence[Point]) -> set:
        """``owner`` is drawn along ``points`` now. Returns the other owners whose numbers those
        segments run over (to be placed again)."""
        segs = list(itertools.pairwise(points))
        self._pending[owner] = (source, segs)
        if not self._labels.of:
            return set()
        return {
            other
            for a, b in segs
            for other, src, r in self._labels.near((a, b))
            if src != source and hits(a, b, r)
        }

    def set_labels(self, owner: Hashable, source: str, boxes: list[Box]) -> set:
        """``owner``'s numbers stand in ``boxes`` now. Returns the other owners whose numbers
        they cover (to be placed again: fixed numbers, a trunk's, claim their room)."""
        self._labels.put(owner, source, boxes)
        return {
            other
            for r in boxes
            for other, _, s in self._labels.near(r)
            if other is not owner and _area(r, s) > OVERLAP
        }

    def forget_labels(self, owner: Hashable) -> None:
        self._labels.drop(owner)

    def cost(self, owner: Hashable, source: str, box: Box, live, budget: list[int]) -> float:
        """What standing in ``box`` costs ``owner``'s number: foreign wires through it and other
        numbers under it (``live`` tells whether an owner is still on the canvas). Each piece
        looked at is taken off ``budget``."""
        if self._pending:
            for other, (src, segs) in self._pending.items():
                self._segments.put(other, src, segs)
            self._pending.clear()
        total = 0.0
        for other, src, (a, b) in self._segments.near(box):
            budget[0] -= 1
            if src != source and hits(a, b, box) and live(other):
                total += WIRE
        for other, _, s in self._labels.near(box):
            budget[0] -= 1
            if other is not owner:
                area = _area(box, s)
                if area > OVERLAP and live(other):
                    total += NUMBER + area
        return total


_boards: weakref.WeakKeyDictionary[GateIndex, LabelBoard] = weakref.WeakKeyDictionary()


def board_of(index: GateIndex) -> LabelBoard:
    """The label board of the canvas whose gates ``index`` holds (a new canvas, a new board)."""
    board = _boards.get(index)
    if board is None:
        board = _boards[index] = LabelBoard()
    return board


def place(
    points: Sequence[Point],
    size: tuple[float, float, float],
    index: GateIndex,
    owner: Hashable,
    source: str,
    live,
) -> tuple[Spot, Spot, float]:
    """Where the value and the gradient of the wire drawn along ``points`` sit (``size``: the
    value's width, 0 for a wire that never shows one, the gradient's, and their height): for
    each, the segment (by its first point's index) and how far along it. Together, value above
    and gradient below, at the first candidate clear of gates, foreign wires and placed
    numbers; when none is clear for both, each at the place that costs it least, if that
    costs less (still on its wire, on its side). Last, what the place found costs (0: clear)."""
    if _piled(index, points):  # a pile of gates (a circuit not laid out yet): no clear place
        return (0, 0.5), (0, 0.5), 1.0  # to search for, and searching is quadratic there
    board = board_of(index)
    budget = [BUDGET]

    def cost(boxes: list[Box], bound: float) -> float:
        total = _gate_cost(index, boxes, budget)
        if total < bound and budget[0] > 0:
            total += sum(board.cost(owner, source, r, live, budget) for r in boxes)
        return total

    wv, wg, h = size
    both, least = _cheapest(points, size, cost, budget)
    if least == 0 or not (wv and wg):
        return both, both, least
    value, cv = _cheapest(points, (wv, 0.0, h), cost, budget)
    grad, cg = _cheapest(points, (0.0, wg, h), cost, budget)
    apart = label_boxes_of(*_ends(points, value), (wv, 0.0, h), value[1])
    apart += label_boxes_of(*_ends(points, grad), (0.0, wg, h), grad[1])
    if cv + cg < least and not _overlap(*apart):
        return value, grad, cv + cg
    return both, both, least


def _piled(index: GateIndex, points: Sequence[Point]) -> bool:
    """Whether the wire's ends stand among more than PILE gates of one cell of the index (a
    circuit whose gates all sit at the origin): one look per end, whatever the pile's size."""
    for x, y in (points[0], points[-1]):
        cx, cy, _, _ = cell_rect((x, y, x, y))
        if len(index.cells.get((cx, cy), ())) > PILE:
            return True
    return False


def _cheapest(
    points: Sequence[Point], size: tuple[float, float, float], cost, budget: list[int]
) -> tuple[Spot, float]:
    """The first candidate that costs nothing, or else the one that costs least."""
    best, best_cost = (0, 0.5), float("inf")
    segs = list(itertools.pairwise(points))
    for i, t in _candidates(points, max(size[0], size[1])):
        boxes = label_boxes_of(points[i], points[i + 1], size, t)
        c = cost(boxes, best_cost)
        # the wire's other segments through its numbers would leave them beside two lines
        c += WIRE * sum(
            1 for j, (a, b) in enumerate(segs) if j != i for r in boxes if hits(a, b, r)
        )
        if c < best_cost - 1e-6:
            best, best_cost = (i, t), c
            if c == 0:
                break
        if budget[0] <= 0:
            break
    return best, best_cost


def _ends(points: Sequence[Point], spot: Spot) -> tuple[Point, Point]:
    return points[spot[0]], points[spot[0] + 1]


def _candidates(points: Sequence[Point], w: float) -> Iterable[tuple[int, float]]:
    """Segments by preference (level length counts double, short ones last), places along
    each from the middle out."""

    def merit(i: int) -> float:
        (ax, ay), (bx, by) = points[i], points[i + 1]
        length = abs(bx - ax) + 0.5 * abs(by - ay)
        return length if length >= SHORT * w else length - 1e6

    order = sorted(range(len(points) - 1), key=merit, reverse=True)
    return ((i, t) for i in order for t in PLACES)


def label_boxes_of(a: Point, b: Point, size: tuple[float, float, float], t: float) -> list[Box]:
    """The room numbers up to ``size`` take at ``t`` along a-b (none for a width of 0): the
    box of the widest and everything between it and the line, where a narrower number stands
    (geometry.label_boxes: a number stands just clear of its line)."""
    wv, wg, h = size
    widest = label_boxes(a, b, wv, wg, h, t)
    thinnest = label_boxes(a, b, 0.0, 0.0, h, t)
    return [_union(widest[side], thinnest[side]) for side, w in enumerate((wv, wg)) if w > 0]


def _gate_cost(index: GateIndex, boxes: list[Box], budget: list[int]) -> float:
    if not boxes:
        return 0.0
    area = (
        min(r[0] for r in boxes),
        min(r[1] for r in boxes),
        max(r[2] for r in boxes),
        max(r[3] for r in boxes),
    )
    total = 0.0
    near = index.near(area)
    budget[0] -= len(near)
    for body, name in near:
        for g in (body,) if name is None else (body, name):
            a = sum(_area(r, g) for r in boxes)
            if a > 0:
                total += NUMBER + a
    return total


def _area(r: Box, s: Box) -> float:
    w = min(r[2], s[2]) - max(r[0], s[0])
    h = min(r[3], s[3]) - max(r[1], s[1])
    return w * h if w > 0 and h > 0 else 0.0


def _overlap(r: Box, s: Box) -> bool:
    return _area(r, s) > OVERLAP


def _union(r: Box, s: Box) -> Box:
    return (min(r[0], s[0]), min(r[1], s[1]), max(r[2], s[2]), max(r[3], s[3]))


def _bounds(piece) -> Box:
    """A box's own, or a segment's bounding box."""
    if len(piece) == 4:
        return piece
    (ax, ay), (bx, by) = piece
    return (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))


def _cells_of(piece) -> list[Cell]:
    """The cells a box touches, or those a segment passes through."""
    if len(piece) == 4:
        return _cells(piece)
    (ax, ay), (bx, by) = sorted(piece)
    if bx - ax < 1e-9:
        return _cells(_bounds(piece))
    out = []
    for cx in range(int(ax // CELL), int(bx // CELL) + 1):
        x0, x1 = max(ax, cx * CELL), min(bx, (cx + 1) * CELL)
        y0 = ay + (by - ay) * (x0 - ax) / (bx - ax)
        y1 = ay + (by - ay) * (x1 - ax) / (bx - ax)
        out += [(cx, cy) for cy in range(int(min(y0, y1) // CELL), int(max(y0, y1) // CELL) + 1)]
    return out


def _cells(box: Box) -> list[Cell]:
    x0, y0, x1, y1 = box
    return [
        (cx, cy)
        for cx in range(int(x0 // CELL), int(x1 // CELL) + 1)
        for cy in range(int(y0 // CELL), int(y1 // CELL) + 1)
    ]
