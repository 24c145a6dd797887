"""The canvas items. They draw the circuit and report where things are; they never change the
circuit. Numbers sit on wires (value above, gradient below), never inside gates."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from ..core.circuit import Gate
from ..core.numbers import short
from .geometry import bounds, label_boxes, label_place

RADIUS = 24.0  # gate circle
PORT = 4.5  # drawn port radius
PORT_HIT = 11.0  # how near the pointer must be to grab a port
TAG_H = 26.0  # input/constant tag height
JUNCTION_DX = 64.0  # a fan-out's trunk, from the port to the junction dot
STUB = 74.0  # the output's own short wire
GRID = 10.0
LOD_TEXT = 0.45  # below this zoom, numbers are too small to read: not drawn
NOMINAL = "-0.0000"  # as wide as a number on the canvas usually gets
LOD_ARROW = 0.6  # below this zoom, arrow heads are specks: not drawn


def lod(painter: QPainter) -> float:
    return QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())


class GateItem(QGraphicsItem):
    """A gate: a circle with its symbol; an input or constant: a tag at the start of a wire."""

    def __init__(self, scene, gate: Gate):
        super().__init__()
        self.cscene = scene
        self.gate = gate
        self.is_output = False
        self.problem = ""  # non-finite or kink explanation, shown as a badge
        self.problem_kind = ""  # "warn" | "kink" | ""
        self.port_state: dict[int, str] = {}  # input port -> "legal" | "hover"
        self.active = ""  # "forward"/"backward" while its step is on screen
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        )
        self.setAcceptHoverEvents(True)
        self.setZValue(2)
        # gates change rarely and their outlines are costly to draw: keep them as pixmaps
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.set_gate(gate)

    # ------------------------------------------------------------ geometry
    @property
    def theme(self):
        return self.cscene.theme

    def tag_text(self) -> str:
        if self.gate.kind == "input":
            return self.gate.label
        return self.gate.label or short(self.gate.value)

    def half_width(self) -> float:
        return self._half_width

    def _measure(self) -> None:
        """Sizes that depend on the gate's text and the theme's fonts, worked out once."""
        t = self.theme
        self.is_leaf = self.gate.spec.is_leaf
        if self.is_leaf:
            fm = t.metrics("name", bold=self.gate.kind == "input")
            self._half_width = max(18.0, fm.horizontalAdvance(self.tag_text()) / 2 + 10)
            w = self._half_width
            self._body = QRectF(-w - 4, -TAG_H / 2 - 4, 2 * w + 8, TAG_H + 8)
            self._name = QRectF()
        else:
            self._half_width = RADIUS
            self._body = QRectF(-RADIUS - 6, -RADIUS - 6, 2 * RADIUS + 12, 2 * RADIUS + 12)
            if self.gate.label:
                fm = t.metrics("label")
                w = fm.horizontalAdvance(self.gate.label) + 4
                self._name = QRectF(-w / 2, -RADIUS - 3 - fm.height(), w, fm.height())
            else:
                self._name = QRectF()

    def set_gate(self, gate: Gate) -> None:
        self.prepareGeometryChange()
        self.gate = gate
        self._measure()
        self.setPos(QPointF(*gate.pos))
        self.cscene.index_gate(self)
        tip = f"{gate.spec.name}: {gate.spec.doc}"
        if gate.spec.local_doc:
            tip += f"\nLocal gradient: {gate.spec.local_doc}"
        self.base_tooltip = tip
        self._update_tooltip()
        self.update()

    def set_active(self, on: bool, direction: str) -> None:
        state = direction if on else ""
        if state != self.active:
            self.active = state
            self.update()

    def set_problem(self, kind: str, text: str) -> None:
        if (kind, text) != (self.problem_kind, self.problem):
            self.problem_kind, self.problem = kind, text
            self._update_tooltip()
            self.update()

    def _update_tooltip(self) -> None:
        self.setToolTip(self.base_tooltip + (f"\n\n{self.problem}" if self.problem else ""))

    def input_port(self, port: int) -> QPointF:
        """Where wire ``port`` ends, in item coordinates."""
        arity = self.gate.spec.arity
        if arity == 1:
            return QPointF(-RADIUS, 0)
        angle = math.radians(180 - 32 if port == 0 else 180 + 32)
        return QPointF(RADIUS * math.cos(angle), -RADIUS * math.sin(angle))

    def output_port(self) -> QPointF:
        return QPointF(self.half_width(), 0)

    def scene_input_port(self, port: int) -> QPointF:
        return self.mapToScene(self.input_port(port))

    def scene_output_port(self) -> QPointF:
        return self.mapToScene(self.output_port())

    def port_at(self, scene_pos: QPointF) -> tuple[str, int] | None:
        """("in", port) or ("out", 0) when ``scene_pos`` is on one of this gate's ports."""
        p = self.mapFromScene(scene_pos)
        out = self.output_port()
        if math.hypot(p.x() - out.x(), p.y() - out.y()) <= PORT_HIT:
            return ("out", 0)
        for port in range(self.gate.spec.arity):
            q = self.input_port(port)
            if math.hypot(p.x() - q.x(), p.y() - q.y()) <= PORT_HIT:
                return ("in", port)
        return None

    def name_rect(self) -> QRectF:
        """Where the gate's name is written (above the circle), in item coordinates."""
        return self._name

    def body_rect(self) -> QRectF:
        """What a wire must not cross, in item coordinates."""
        return self._body

    def boxes(self):
        """Its body and its name as scene boxes (x0, y0, x1, y1), for the scene's index."""
        p = self.pos()
        x, y = p.x(), p.y()
        b = self._body
        body = (x + b.left(), y + b.top(), x + b.right(), y + b.bottom())
        n = self._name
        name = None if n.isEmpty() else (x + n.left(), y + n.top(), x + n.right(), y + n.bottom())
        return body, name

    def boundingRect(self) -> QRectF:
        w = self.half_width()
        if self.is_leaf:
            return QRectF(-w - 4, -TAG_H / 2 - 4, 2 * w + 8 + PORT_HIT, TAG_H + 8)
        top = RADIUS + 22  # room for the gate's name
        return QRectF(-RADIUS - PORT_HIT, -top, 2 * RADIUS + 2 * PORT_HIT, top + RADIUS + 10)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        if self.is_leaf:
            w = self.half_width()
            path.addRoundedRect(QRectF(-w, -TAG_H / 2, 2 * w, TAG_H), 6, 6)
        else:
            path.addEllipse(QPointF(0, 0), RADIUS + 2, RADIUS + 2)
        for port in range(self.gate.spec.arity):
            path.addEllipse(self.input_port(port), PORT_HIT, PORT_HIT)
        path.addEllipse(self.output_port(), PORT_HIT, PORT_HIT)
        return path

    # ------------------------------------------------------------ painting
    def paint(self, painter: QPainter, option, widget=None) -> None:
        t = self.theme
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = self.isSelected()
        border = QPen(
            t.color("selection") if selected else t.color("gate_border"),
            t.pen_width("selection" if selected else "gate"),
        )
        if self.problem_kind:
            border.setColor(t.color(self.problem_kind if not selected else "selection"))
        painter.setPen(border)
        if self.is_leaf:
            self._paint_tag(painter, border)
        else:
            self._paint_circle(painter, border, lod(painter))
        self._paint_ports(painter)

    def _paint_tag(self, painter: QPainter, border: QPen) -> None:
        t = self.theme
        w = self.half_width()
        rect = QRectF(-w, -TAG_H / 2, 2 * w, TAG_H)
        if self.gate.kind == "const":
            border.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(border)
        painter.setBrush(
            QBrush(t.color("input_fill" if self.gate.kind == "input" else "const_fill"))
        )
        painter.drawRoundedRect(rect, 6, 6)
        painter.setPen(t.color("name"))
        painter.setFont(t.font("name", bold=self.gate.kind == "input"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.tag_text())

    def _paint_circle(self, painter: QPainter, border: QPen, detail: float) -> None:
        t = self.theme
        painter.setBrush(QBrush(t.color("highlight" if self.active else "gate_fill")))
        if self.active:
            lit = QPen(border)
            lit.setColor(t.color("pulse_" + self.active))
            lit.setWidthF(border.widthF() * 1.6)
            painter.setPen(lit)
        painter.drawEllipse(QPointF(0, 0), RADIUS, RADIUS)
        if self.is_output:
            ring = QPen(border)
            ring.setWidthF(t.pen_width("output"))
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), RADIUS - 4, RADIUS - 4)
        symbol = self.gate.symbol
        painter.setPen(t.color("symbol"))
        painter.setFont(t.font("symbol" if len(symbol) <= 3 else "symbol_small", bold=True))
        painter.drawText(
            QRectF(-RADIUS, -RADIUS, 2 * RADIUS, 2 * RADIUS), Qt.AlignmentFlag.AlignCenter, symbol
        )
        if detail >= LOD_TEXT and self.gate.label:
            painter.setPen(t.color("name"))
            painter.setFont(t.font("label"))
            painter.drawText(self.name_rect(), Qt.AlignmentFlag.AlignCenter, self.gate.label)
        if self.problem_kind:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(t.color(self.problem_kind))
            c = QPointF(RADIUS * 0.72, -RADIUS * 0.72)
            painter.drawEllipse(c, 7, 7)
            painter.setPen(t.color("background"))
            painter.setFont(t.font("badge", bold=True))
            painter.drawText(
                QRectF(c.x() - 7, c.y() - 7, 14, 14),
                Qt.AlignmentFlag.AlignCenter,
                "!" if self.problem_kind == "warn" else "\u2227",
            )

    def _paint_ports(self, painter: QPainter) -> None:
        t = self.theme
        painter.setPen(QPen(t.color("port"), t.pen_width("port")))
        for port in range(self.gate.spec.arity):
            state = self.port_state.get(port)
            if state:
                painter.setBrush(t.color("port_hover" if state == "hover" else "port_legal"))
                painter.drawEllipse(self.input_port(port), PORT + 2.5, PORT + 2.5)
            else:
                painter.setBrush(t.color("gate_fill"))
                painter.drawEllipse(self.input_port(port), PORT, PORT)
        painter.setBrush(t.color("port"))
        painter.drawEllipse(self.output_port(), PORT, PORT)

    # ------------------------------------------------------------ moves
    def itemChange(self, change, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionChange:
            return QPointF(round(value.x() / GRID) * GRID, round(value.y() / GRID) * GRID)
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            self.cscene.gate_item_moved(self)
        return super().itemChange(change, value)


class WireItem(QGraphicsItem):
    """A wire with its value above and its gradient below.

    It runs straight from ``start`` (the source's port, or a fan-out's junction) to the target's
    port, or, where a gate stands in the way, along a lane above or below it (``points``). The
    numbers sit on the longest segment. Everything a paint needs is worked out when the wire's
    points or numbers change, never in paint itself."""

    def __init__(self, scene, wire):
        super().__init__()
        self.cscene = scene
        self.wire = wire
        self.points: list[QPointF] = [QPointF(), QPointF()]
        self.value_text = ""
        self.grad_text = ""
        self._t = 0.5  # where along the label segment the numbers sit
        self._segment = None
        self._line = QPolygonF(self.points)
        self._placed = False  # _t worked out for the current points
        self._rects = (QRectF(), QRectF())
        self._rects_ready = False
        self._rect = QRectF()
        self._labels: Labels | None = None
        self._labels_ready = False
        self.setZValue(1)
        self.setAcceptHoverEvents(True)

    @property
    def theme(self):
        return self.cscene.theme

    @property
    def start(self) -> QPointF:
        return self.points[0]

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

    def set_numbers(self, value: str, grad: str) -> None:
        if (value, grad) == (self.value_text, self.grad_text):
            return
        self.value_text, self.grad_text = value, grad
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
        if detail >= LOD_TEXT and (self.value_text or self.grad_text):
            if not self._labels_ready:  # text is prepared only once it can be read
                self._labels = Labels(
                    self.theme, *self.label_rects(), self.value_text, self.grad_text
                )
                self._labels_ready = True
            labels = self._labels
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
        self._rect = QRectF()
        self._drawn = None  # (labels, arrow head), prepared on first paint
        self.setZValue(1.5)

    @property
    def theme(self):
        return self.cscene.theme

    def _changed(self) -> None:
        self.prepareGeometryChange()
        self._rect = QRectF()
        self._drawn = None

    def set_ends(self, start: QPointF) -> None:
        dot = QPointF(start.x() + self.LENGTH, start.y())
        if start == self.start and dot == self.dot:
            return
        self._changed()
        self.start, self.dot = QPointF(start), dot

    def set_numbers(self, value: str, grad: str) -> None:
        if (value, grad) != (self.value_text, self.grad_text):
            self.value_text, self.grad_text = value, grad
            rect = self._rect
            if not rect.isNull() and all(
                r.isEmpty() or rect.contains(r) for r in self.label_rects()
            ):
                self._drawn = None  # new numbers in the old room: a repaint will do
            else:
                self._changed()
            self.update()

    def label_rects(self) -> tuple[QRectF, QRectF]:
        return label_rects(self.start, self.dot, self.value_text, self.grad_text, self.theme)

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
        readable = detail >= LOD_TEXT
        texts = bool(self.value_text or self.grad_text)
        if self._drawn is None or (readable and texts and self._drawn[0] is None):
            labels = (
                Labels(self.theme, *self.label_rects(), self.value_text, self.grad_text)
                if texts and readable
                else None
            )
            head = arrow_head(self.start, self.dot) if self.ARROW else None
            self._drawn = (labels, head, QPolygonF([self.start, self.dot]))
        paint_wire(
            painter,
            self.theme,
            self._drawn[2],
            self._drawn[1],
            self._drawn[0] if readable else None,
            detail,
        )
        if not self.ARROW:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.theme.color("wire"))
            painter.drawEllipse(self.dot, 3.5, 3.5)


class StubItem(JunctionItem):
    """The output's own short wire: its value, and its gradient 1 (d output / d output)."""

    LENGTH = STUB
    ARROW = True


# ---------------------------------------------------------------- shared drawing
def label_rects(start: QPointF, end: QPointF, value: str, grad: str, theme, t: float = 0.5):
    """Value above the wire, gradient below (see geometry.label_boxes), as rectangles."""
    wv = theme.text_width(value) + 4 if value else 0.0
    wg = theme.text_width(grad) + 4 if grad else 0.0
    up, down = label_boxes(
        (start.x(), start.y()), (end.x(), end.y()), wv, wg, theme.metrics("label").height(), t
    )
    return (
        QRectF(up[0], up[1], up[2] - up[0], up[3] - up[1]),
        QRectF(down[0], down[1], down[2] - down[0], down[3] - down[1]),
    )


class Labels:
    """A wire's two numbers and where their baselines start."""

    __slots__ = ("at_grad", "at_value", "grad", "value")

    def __init__(self, theme, above: QRectF, below: QRectF, value: str, grad: str):
        ascent = theme.metrics("label").ascent()
        self.value, self.grad = value, grad
        self.at_value = QPointF(above.left() + 2, above.top() + ascent)
        self.at_grad = QPointF(below.left() + 2, below.top() + ascent)

    def draw(self, painter: QPainter, theme) -> None:
        painter.setFont(theme.font("label"))
        if self.value:
            painter.setPen(theme.color("value"))
            painter.drawText(self.at_value, self.value)
        if self.grad:
            painter.setPen(theme.color("grad"))
            painter.drawText(self.at_grad, self.grad)


def arrow_head(start: QPointF, end: QPointF) -> QPolygonF | None:
    d = end - start
    length = math.hypot(d.x(), d.y())
    if length <= 20:
        return None
    ux, uy = d.x() / length, d.y() / length
    tip = end - QPointF(ux * 5, uy * 5)
    back = tip - QPointF(ux * 7, uy * 7)
    n = QPointF(-uy * 3.5, ux * 3.5)
    return QPolygonF([tip, back + n, back - n])


def paint_wire(
    painter: QPainter,
    theme,
    line: QPolygonF,
    head: QPolygonF | None,
    labels: Labels | None,
    detail: float,
) -> None:
    # (antialiasing is on for the whole view: no need to ask for it per wire)
    painter.setPen(theme.pen("wire"))
    painter.drawPolyline(line)
    if head is not None and detail >= LOD_ARROW:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.color("wire"))
        painter.drawPolygon(head)
    if labels is not None:
        labels.draw(painter, theme)
