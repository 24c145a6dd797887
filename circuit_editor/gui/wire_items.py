"""The wires on the canvas: a wire with its value above and its gradient below, a fan-out's
trunk to its junction dot, and the output's own short wire. Numbers sit on wires, never inside
gates; the items draw them and never change the circuit."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem

from ..core.circuit import Wire
from ..core.reveal import JunctionNumber, NumberKey, OutputNumber, WireNumber
from .geometry import bounds, label_place
from .wire_paint import (
    NO_HIDING,
    NOMINAL,
    Labels,
    arrow_head,
    label_rects,
    paint_wire,
    readable,
)

JUNCTION_DX = 64.0  # a fan-out's trunk, from the port to the junction dot
STUB = 74.0  # the output's own short wire


class WireItem(QGraphicsItem):
    """A wire with its value above and its gradient below.

    It runs straight from ``start`` (the source's port, or a fan-out's junction) to the target's
    port, or, where a gate stands in the way, along a lane above or below it (``points``). The
    numbers sit on the longest segment. Everything a paint needs is worked out when the wire's
    points or numbers change, never in paint itself."""

    def __init__(self, scene, wire: Wire):
        super().__init__()
        self.cscene = scene
        self.wire = wire
        self.points: list[QPointF] = [QPointF(), QPointF()]
        self.value_text = ""
        self.grad_text = ""
        self.hidden = NO_HIDING  # (value, gradient) hidden from the class
        self._t = 0.5  # where along the label segment the numbers sit
        self._segment: tuple[QPointF, QPointF] | None = None
        self._line = QPolygonF(self.points)
        self._placed = False  # _t worked out for the current points
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
        self._rect = QRectF()
        self._rects_ready = False
        self._labels_ready = False

    def set_points(self, points: list[QPointF]) -> None:
        if points == self.points:
            return
        self.points = [QPointF(p) for p in points]
        self._line = QPolygonF(self.points)
        self._segment = None
        self.invalidate()

    def set_numbers(self, value: str, grad: str, hidden: tuple[bool, bool] = NO_HIDING) -> None:
        if (value, grad, hidden) == (self.value_text, self.grad_text, self.hidden):
            return
        self.value_text, self.grad_text, self.hidden = value, grad, hidden
        room = self.theme.text_width(NOMINAL)
        if (
            not self._rect.isNull()
            and self.theme.text_width(value) <= room
            and self.theme.text_width(grad) <= room
        ):
            # the usual case: the new numbers fit the room kept for them, wherever they sit
            # along the wire; no change of geometry for the scene to index, just a repaint
            self._rects_ready = False
            self._labels_ready = False
        else:
            self.invalidate(placement=False)
        self.update()

    def _measure_labels(self, value: str, grad: str, t: float) -> tuple[QRectF, QRectF]:
        a, b = self.label_segment()
        return label_rects(a, b, value, grad, self.theme, t)

    def label_segment(self) -> tuple[QPointF, QPointF]:
        """The segment the numbers sit on: the longest, counting horizontal length double."""
        if self._segment is None:
            pairs = list(zip(self.points, self.points[1:]))
            self._segment = max(
                pairs, key=lambda p: abs(p[1].x() - p[0].x()) + 0.5 * abs(p[1].y() - p[0].y())
            )
        return self._segment

    def label_t(self) -> float:
        """How far along its segment the numbers sit (see geometry.label_place). Worked out for
        numbers of the usual greatest width, so it depends on the wire alone: the numbers stay
        put while they change. Worked out only when first needed: a wire drawn too small to
        read its numbers never needs it."""
        if not self._placed and self.points[0] != self.points[-1]:
            a, b = self.label_segment()
            fm = self.theme.metrics("label")
            self._t = label_place(
                (a.x(), a.y()),
                (b.x(), b.y()),
                self.theme.text_width(NOMINAL) + 4,
                fm.height(),
                self.cscene.index,
            )
            self._placed = True
        return self._t

    def label_rects(self) -> tuple[QRectF, QRectF]:
        """Where the value (above) and the gradient (below) are drawn."""
        if not self._rects_ready:
            self._rects = self._measure_labels(self.value_text, self.grad_text, self.label_t())
            self._rects_ready = True
        return self._rects

    def boundingRect(self) -> QRectF:
        """The wire, and room for its numbers anywhere they may be placed along it (so placing
        them, or changing them, never changes the wire's geometry): the label segment's box
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
        # (labels, arrow head, line), prepared on first paint
        self._drawn: tuple[Labels | None, QPolygonF | None, QPolygonF] | None = None
        self.setZValue(1.5)

    @property
    def theme(self):
        return self.cscene.theme

    def number_key(self) -> NumberKey:
        return JunctionNumber(self.source_id)

    def invalidate(self) -> None:
        """Ends, numbers or fonts changed: measure again."""
        self.prepareGeometryChange()
        self._rect = QRectF()
        self._drawn = None

    def set_ends(self, start: QPointF) -> None:
        dot = QPointF(start.x() + self.LENGTH, start.y())
        if start == self.start and dot == self.dot:
            return
        self.invalidate()
        self.start, self.dot = QPointF(start), dot

    def set_numbers(self, value: str, grad: str, hidden: tuple[bool, bool] = NO_HIDING) -> None:
        if (value, grad, hidden) != (self.value_text, self.grad_text, self.hidden):
            self.value_text, self.grad_text, self.hidden = value, grad, hidden
            rect = self._rect
            if not rect.isNull() and all(
                r.isEmpty() or rect.contains(r) for r in self.label_rects()
            ):
                self._drawn = None  # new numbers in the old room: a repaint will do
            else:
                self.invalidate()
            self.update()

    def label_rects(self) -> tuple[QRectF, QRectF]:
        return label_rects(self.start, self.dot, self.value_text, self.grad_text, self.theme)

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


def _drawn(line: QRectF, labels: tuple[QRectF, QRectF]) -> QRectF:
    r = line
    for extra in labels:
        if not extra.isEmpty():
            r = r.united(extra)
    return r
