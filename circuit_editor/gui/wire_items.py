"""The wires on the canvas: a wire with its value above and its gradient below, a fan-out's
trunk to its junction dot, and the output's own short wire. Numbers sit on wires, never inside
gates; the items draw them and never change the circuit."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem

from ..core.circuit import Wire
from ..core.reveal import JunctionNumber, NumberKey, OutputNumber, WireNumber
from .gate_index import Point
from .geometry import bounds
from .labels import LabelBoard, board_of, label_boxes_of, place
from .wire_paint import (
    NO_HIDING,
    NOMINAL,
    Labels,
    arrow_head,
    label_rects,
    paint_wire,
    readable,
    room,
)

Place = tuple[QPointF, QPointF, float]  # a segment, and how far along it

JUNCTION_DX = 64.0  # a fan-out's trunk, from the port to the junction dot
STUB = 74.0  # the output's own short wire
CLEAR_OF_GATE = 7.0  # a trunk's numbers start this far right of where it leaves its gate


class WireItem(QGraphicsItem):
    """A wire with its value above and its gradient below.

    It runs straight from ``start`` (the source's port, or a fan-out's junction) to the target's
    port, or, where a gate stands in the way, along a lane above or below it (``points``). The
    numbers sit beside one of its segments, clear of everything else (labels.place). Everything
    a paint needs is worked out when the wire's points or numbers change, never in paint
    itself."""

    def __init__(self, scene, wire: Wire):
        super().__init__()
        self.cscene = scene
        self.wire = wire
        self.points: list[QPointF] = [QPointF(), QPointF()]
        self.value_text = ""
        self.grad_text = ""
        self.hidden = NO_HIDING  # (value, gradient) hidden from the class
        self._at = ((0, 0.5), (0, 0.5))  # the value's and the gradient's segment and place
        self._room = 0.0  # the width they were placed for
        self._line = QPolygonF(self.points)
        self._placed = False  # _at worked out for the current points
        self._rects = (QRectF(), QRectF())
        self._rects_ready = False
        self._rect = QRectF()
        self._labels: Labels | None = None
        self._labels_ready = False
        self.setZValue(1)
        self.setAcceptHoverEvents(True)
        # a click on the line selects it (its shape is the line, not the numbers' room)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)

    @property
    def theme(self):
        return self.cscene.theme

    @property
    def start(self) -> QPointF:
        return self.points[0]

    def number_key(self) -> NumberKey:
        """Which numbers these are, for hiding them in a lecture."""
        return WireNumber(self.wire)

    @property
    def end(self) -> QPointF:
        return self.points[-1]

    def invalidate(self, placement: bool = True) -> None:
        """Points, numbers or fonts changed: measure again."""
        self.prepareGeometryChange()
        if placement:
            self._placed = False
            self.board().forget_labels(self)
        self._rect = QRectF()
        self._rects_ready = False
        self._labels_ready = False

    def set_points(self, points: list[QPointF]) -> None:
        if points == self.points:
            return
        self.points = [QPointF(p) for p in points]
        self._line = QPolygonF(self.points)
        self.invalidate()
        pts = [(p.x(), p.y()) for p in self.points]
        place_again(self.board().set_segments(self, self.wire.source, pts))

    def board(self) -> LabelBoard:
        return board_of(self.cscene.index)

    def set_numbers(self, value: str, grad: str, hidden: tuple[bool, bool] = NO_HIDING) -> None:
        if (value, grad, hidden) == (self.value_text, self.grad_text, self.hidden):
            return
        self.value_text, self.grad_text, self.hidden = value, grad, hidden
        nominal = self.theme.text_width(NOMINAL)
        fits_place = not self._placed or room(self.theme, value, grad) <= self._room
        if (
            fits_place
            and not self._rect.isNull()
            and self.theme.text_width(value) <= nominal
            and self.theme.text_width(grad) <= nominal
        ):
            # the usual case: the new numbers fit the room kept for them, where they sit; no
            # change of geometry for the scene to index, just a repaint
            self._rects_ready = False
            self._labels_ready = False
        else:
            self.invalidate(placement=not fits_place)  # wider: a place with room for them
        self.update()

    def _measure_labels(self, value: str, grad: str) -> tuple[QRectF, QRectF]:
        (a, b, t), (c, d, u) = self.label_place()
        up = label_rects(a, b, value, "", self.theme, t)[0]
        down = label_rects(c, d, "", grad, self.theme, u)[1]
        return up, down

    def label_place(self) -> tuple[Place, Place]:
        """Where the value and the gradient sit: a segment and how far along it, for each
        (see labels.place). Worked out for these numbers, with room for the usual ones
        (wire_paint.room), so the numbers stay put while they change within it. Worked out
        only when first needed: a wire drawn too small to read its numbers never needs it."""
        if not self._placed and self.points[0] != self.points[-1]:
            self._place()
        (i, f), (j, g) = self._at
        p = self.points
        return (p[i], p[i + 1], f), (p[j], p[j + 1], g)

    def _place(self) -> None:
        """Place the numbers with room for the usual ones or, where that room is nowhere free,
        for these numbers alone (then numbers growing wider look for a place again)."""
        pts: list[Point] = [(p.x(), p.y()) for p in self.points]
        src, t = self.wire.source, self.theme
        h = t.metrics("label").height()
        texts = (self.value_text, self.grad_text)
        best = None
        for w in (room(t, *texts), room(t, *texts, least="")):
            # a branch of a fan-out never shows the value: its junction's trunk does
            size = (0.0 if self.from_junction() else w, w, h)
            value, grad, cost = place(pts, size, self.cscene.index, self, src, _on_canvas)
            if best is None or cost < best[0]:
                best = (cost, size, value, grad)
            if cost == 0:
                break
        assert best is not None
        _, (wv, wg, h), (i, f), (j, g) = best
        self._room, self._at = wg, ((i, f), (j, g))
        boxes = label_boxes_of(pts[i], pts[i + 1], (wv, 0.0, h), f)
        boxes += label_boxes_of(pts[j], pts[j + 1], (0.0, wg, h), g)
        self.board().set_labels(self, src, boxes)
        self._placed = True

    def from_junction(self) -> bool:
        return self.wire.source in self.cscene.junctions

    def label_rects(self) -> tuple[QRectF, QRectF]:
        """Where the value (above) and the gradient (below) are drawn."""
        if not self._rects_ready:
            self._rects = self._measure_labels(self.value_text, self.grad_text)
            self._rects_ready = True
        return self._rects

    def boundingRect(self) -> QRectF:
        """The wire, and room for its numbers anywhere they may be placed along it (so placing
        them, or changing them, never changes the wire's geometry): the wire's box
        grown by a number's width and height on every side."""
        if self._rect.isNull():
            x0, y0, x1, y1 = bounds([(p.x(), p.y()) for p in self.points])
            t = self.theme
            w = (
                max(
                    t.text_width(self.value_text),
                    t.text_width(self.grad_text),
                    t.text_width(NOMINAL),
                )
                + 4
            )
            h = t.metrics("label").height()
            # a number's box sits beside the line at most w/2 + h/2 + 2 from it (geometry.
            # label_boxes), and reaches w/2 (across) and h/2 (up and down) beyond its centre
            gx, gy = w + h / 2 + 3, w / 2 + h + 3
            self._rect = QRectF(x0 - gx, y0 - gy, x1 - x0 + 2 * gx, y1 - y0 + 2 * gy)
        return self._rect

    def drawn_rect(self) -> QRectF:
        """What it draws now: its line and its numbers (its boundingRect keeps room for
        numbers anywhere along it)."""
        return _drawn(self._line.boundingRect(), self.label_rects())

    def path(self) -> QPainterPath:
        path = QPainterPath(self.points[0])
        for p in self.points[1:]:
            path.lineTo(p)
        return path

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(8)
        return stroker.createStroke(self.path())

    def paint(self, painter: QPainter, option, widget=None) -> None:
        detail = option.levelOfDetailFromTransform(painter.worldTransform())
        labels = None
        if readable(detail, self.theme) and (self.value_text or self.grad_text):
            if not self._labels_ready:  # text is prepared only once it can be read
                self._labels = Labels(
                    self.theme, *self.label_rects(), self.value_text, self.grad_text, self.hidden
                )
                self._labels_ready = True
            labels = self._labels
        if self.isSelected():  # a band in the selection colour, twice a selected gate's rim
            t = self.theme
            painter.setPen(QPen(t.color("selection"), 2 * t.pen_width("selection")))
            painter.drawPolyline(self._line)
        # no arrow head: circuits read left to right, as in the worksheet's drawings; only the
        # output's stub ends in one
        paint_wire(painter, self.theme, self._line, None, labels, detail)


class JunctionItem(QGraphicsItem):
    """A fan-out: the trunk from a source's port to a dot, carrying the value and the summed
    gradient; the branches (WireItems) leave from the dot."""

    LENGTH = JUNCTION_DX
    ARROW = False

    def __init__(self, scene, source_id: str):
        super().__init__()
        self.cscene = scene
        self.source_id = source_id
        self.start = QPointF()
        self.dot = QPointF()
        self.value_text = ""
        self.grad_text = ""
        self.hidden = NO_HIDING  # (value, gradient) hidden from the class
        self._rect = QRectF()
        self._claimed = 0.0  # the width its numbers claimed on the label board
        # (labels, arrow head, line), prepared on first paint
        self._drawn: tuple[Labels | None, QPolygonF | None, QPolygonF] | None = None
        self.setZValue(1.5)

    @property
    def theme(self):
        return self.cscene.theme

    def number_key(self) -> NumberKey:
        return JunctionNumber(self.source_id)

    def invalidate(self) -> None:
        """Numbers or fonts changed: measure again, and claim their room again."""
        self._forget_measures()
        self._claim()

    def _forget_measures(self) -> None:
        self.prepareGeometryChange()
        self._rect = QRectF()
        self._drawn = None

    def set_ends(self, start: QPointF) -> None:
        dot = QPointF(start.x() + self.LENGTH, start.y())
        if start == self.start and dot == self.dot:
            return
        self._forget_measures()  # and claim room once, where it now stands (not where it was:
        self.start, self.dot = QPointF(start), dot  # every junction stacked at the origin
        self._claim()  # before Tidy Layout would claim against every other there)

    def _claim(self) -> None:
        """Tell the canvas's label board where this line and its numbers stand (they never
        move along it), so the wires' numbers keep clear of them."""
        if self.start == self.dot:
            return
        board = board_of(self.cscene.index)
        a, b = (self.start.x(), self.start.y()), (self.dot.x(), self.dot.y())
        w = self._claimed = room(self.theme, self.value_text, self.grad_text)
        boxes = label_boxes_of(a, b, (w, w, self.theme.metrics("label").height()), self._along(w))
        place_again(board.set_segments(self, self.source_id, [a, b]))
        place_again(board.set_labels(self, self.source_id, boxes))

    def _along(self, width: float) -> float:
        """How far along the line its numbers (``width`` wide) sit: the middle, or further on
        when they would reach back over the source's gate."""
        return max(0.5, (width / 2 + CLEAR_OF_GATE) / self.LENGTH)

    def set_numbers(self, value: str, grad: str, hidden: tuple[bool, bool] = NO_HIDING) -> None:
        if (value, grad, hidden) != (self.value_text, self.grad_text, self.hidden):
            self.value_text, self.grad_text, self.hidden = value, grad, hidden
            rect = self._rect
            if (
                not rect.isNull()
                and room(self.theme, value, grad) == self._claimed
                and all(r.isEmpty() or rect.contains(r) for r in self.label_rects())
            ):
                self._drawn = None  # new numbers in the old room: a repaint will do
            else:
                self.invalidate()
            self.update()

    def label_rects(self) -> tuple[QRectF, QRectF]:
        t = self._along(room(self.theme, self.value_text, self.grad_text))
        return label_rects(self.start, self.dot, self.value_text, self.grad_text, self.theme, t)

    def drawn_rect(self) -> QRectF:
        """What it draws now: its line, its dot or arrow head, and its numbers."""
        line = QRectF(self.start, self.dot).normalized().adjusted(-6, -6, 6, 6)
        return _drawn(line, self.label_rects())

    def boundingRect(self) -> QRectF:
        if self._rect.isNull():
            r = QRectF(self.start, self.dot).normalized().adjusted(-6, -6, 6, 6)
            room = label_rects(self.start, self.dot, NOMINAL, NOMINAL, self.theme)
            for extra in (*self.label_rects(), *room):
                if not extra.isEmpty():
                    r = r.united(extra)
            self._rect = r
        return self._rect

    def paint(self, painter: QPainter, option, widget=None) -> None:
        detail = option.levelOfDetailFromTransform(painter.worldTransform())
        legible = readable(detail, self.theme)
        texts = bool(self.value_text or self.grad_text)
        if self._drawn is None or (legible and texts and self._drawn[0] is None):
            labels = (
                Labels(
                    self.theme, *self.label_rects(), self.value_text, self.grad_text, self.hidden
                )
                if texts and legible
                else None
            )
            head = arrow_head(self.start, self.dot) if self.ARROW else None
            self._drawn = (labels, head, QPolygonF([self.start, self.dot]))
        labels, head, line = self._drawn
        paint_wire(painter, self.theme, line, head, labels if legible else None, detail)
        if not self.ARROW:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.theme.color("wire"))
            painter.drawEllipse(self.dot, 3.5, 3.5)


class StubItem(JunctionItem):
    """The output's own short wire: its value, and its gradient 1 (d output / d output)."""

    LENGTH = STUB
    ARROW = True

    def number_key(self) -> NumberKey:
        return OutputNumber()


def place_again(items) -> None:
    """Numbers that something now covers look for another place (a trunk's stay put)."""
    for item in items:
        if isinstance(item, WireItem) and _on_canvas(item):
            item.invalidate()
            item.update()


def _on_canvas(item: QGraphicsItem) -> bool:
    return item.scene() is not None


def _drawn(line: QRectF, labels: tuple[QRectF, QRectF]) -> QRectF:
    r = line
    for extra in labels:
        if not extra.isEmpty():
            r = r.united(extra)
    return r
