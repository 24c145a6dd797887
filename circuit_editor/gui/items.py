"""The canvas items. They draw the circuit and report where things are; they never change the
circuit. Numbers sit on wires (value above, gradient below), never inside gates."""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (QBrush, QFontMetricsF, QPainter, QPainterPath, QPainterPathStroker,
                           QPen)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from ..core.circuit import Gate
from ..core.numbers import fmt

RADIUS = 24.0            # gate circle
PORT = 4.5               # drawn port radius
PORT_HIT = 11.0          # how near the pointer must be to grab a port
TAG_H = 26.0             # input/constant tag height
JUNCTION_DX = 64.0       # a fan-out's trunk, from the port to the junction dot
STUB = 74.0              # the output's own short wire
GRID = 10.0
LOD_TEXT = 0.45          # below this zoom, numbers are too small to read: not drawn


def lod(painter: QPainter) -> float:
    return QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())


class GateItem(QGraphicsItem):
    """A gate: a circle with its symbol; an input or constant: a tag at the start of a wire."""

    def __init__(self, scene, gate: Gate):
        super().__init__()
        self.cscene = scene
        self.gate = gate
        self.is_output = False
        self.problem = ""            # non-finite or kink explanation, shown as a badge
        self.problem_kind = ""       # "warn" | "kink" | ""
        self.port_state: dict[int, str] = {}   # input port -> "legal" | "hover"
        self.active = ""             # "forward"/"backward" while its step is on screen
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setAcceptHoverEvents(True)
        self.setZValue(2)
        self.set_gate(gate)

    # ------------------------------------------------------------ geometry
    @property
    def theme(self):
        return self.cscene.theme

    @property
    def is_leaf(self) -> bool:
        return self.gate.spec.is_leaf

    def tag_text(self) -> str:
        if self.gate.kind == "input":
            return self.gate.label
        return self.gate.label or fmt(self.gate.value)

    def half_width(self) -> float:
        if not self.is_leaf:
            return RADIUS
        fm = QFontMetricsF(self.theme.font("name", bold=self.gate.kind == "input"))
        return max(18.0, fm.horizontalAdvance(self.tag_text()) / 2 + 10)

    def set_gate(self, gate: Gate) -> None:
        self.prepareGeometryChange()
        self.gate = gate
        self.setPos(QPointF(*gate.pos))
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
        if self.is_leaf or not self.gate.label:
            return QRectF()
        fm = QFontMetricsF(self.theme.font("label"))
        w = fm.horizontalAdvance(self.gate.label) + 4
        return QRectF(-w / 2, -RADIUS - 3 - fm.height(), w, fm.height())

    def body_rect(self) -> QRectF:
        """What a wire must not cross, in item coordinates."""
        if self.is_leaf:
            w = self.half_width()
            return QRectF(-w - 4, -TAG_H / 2 - 4, 2 * w + 8, TAG_H + 8)
        return QRectF(-RADIUS - 6, -RADIUS - 6, 2 * RADIUS + 12, 2 * RADIUS + 12)

    def boundingRect(self) -> QRectF:
        w = self.half_width()
        if self.is_leaf:
            return QRectF(-w - 4, -TAG_H / 2 - 4, 2 * w + 8 + PORT_HIT, TAG_H + 8)
        top = RADIUS + 22                                   # room for the gate's name
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
        border = QPen(t.color("selection") if selected else t.color("gate_border"),
                      t.pen_width("selection" if selected else "gate"))
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
        painter.setBrush(QBrush(t.color("input_fill" if self.gate.kind == "input" else "const_fill")))
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
        painter.drawText(QRectF(-RADIUS, -RADIUS, 2 * RADIUS, 2 * RADIUS),
                         Qt.AlignmentFlag.AlignCenter, symbol)
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
            painter.drawText(QRectF(c.x() - 7, c.y() - 7, 14, 14), Qt.AlignmentFlag.AlignCenter,
                             "!" if self.problem_kind == "warn" else "\u2227")

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
    numbers sit on the longest segment."""

    def __init__(self, scene, wire):
        super().__init__()
        self.cscene = scene
        self.wire = wire
        self.points: list[QPointF] = [QPointF(), QPointF()]
        self.value_text = ""
        self.grad_text = ""
        self.tooltip_value = ""
        self._rect = QRectF()
        self._t_key, self._t = None, 0.5
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

    def set_points(self, points: list[QPointF]) -> None:
        if points == self.points:
            return
        self.prepareGeometryChange()
        self.points = [QPointF(p) for p in points]
        self._rect = QRectF()

    def set_numbers(self, value: str, grad: str, tooltip: str = "") -> None:
        if (value, grad) != (self.value_text, self.grad_text):
            self.prepareGeometryChange()
            self.value_text, self.grad_text = value, grad
            self._rect = QRectF()
            self.update()
        if tooltip != self.tooltip_value:
            self.tooltip_value = tooltip
            self.setToolTip(tooltip)

    def label_segment(self) -> tuple[QPointF, QPointF]:
        pairs = list(zip(self.points, self.points[1:]))
        return max(pairs, key=lambda p: abs(p[1].x() - p[0].x()) + 0.5 * abs(p[1].y() - p[0].y()))

    def label_rects(self) -> tuple[QRectF, QRectF]:
        """Where the value (above) and the gradient (below) are drawn."""
        a, b = self.label_segment()
        return label_rects(a, b, self.value_text, self.grad_text, self.theme, self.label_t())

    def label_t(self) -> float:
        """How far along its segment the numbers sit: the middle, unless a gate or its name is
        in the way there; then the nearest place along the wire that is clear."""
        key = (tuple((p.x(), p.y()) for p in self.points), self.value_text, self.grad_text)
        if self._t_key == key:
            return self._t
        a, b = self.label_segment()
        best, best_overlap = 0.5, math.inf
        for t in LABEL_PLACES:
            above, below = label_rects(a, b, self.value_text, self.grad_text, self.theme, t)
            overlap = self.cscene.label_overlap(above, self.wire) + \
                self.cscene.label_overlap(below, self.wire)
            if overlap < best_overlap - 1e-6:
                best, best_overlap = t, overlap
            if overlap == 0:
                break
        self._t_key, self._t = key, best
        return best

    def boundingRect(self) -> QRectF:
        if self._rect.isNull():
            r = _bounds(self.points).adjusted(-4, -4, 4, 4)
            above, below = self.label_rects()
            self._rect = r.united(above).united(below)
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
        t = self.theme
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(t.color("wire"), t.pen_width("wire")))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPolyline(self.points)
        paint_arrow(painter, t, self.points[-2], self.points[-1])
        if lod(painter) >= LOD_TEXT and (self.value_text or self.grad_text):
            a, b = self.label_segment()
            paint_labels(painter, t, a, b, self.value_text, self.grad_text, self.label_t())


def route(start: QPointF, end: QPointF, obstacles) -> list[QPointF]:
    """A straight wire, or, when gates stand in its way, one that runs along a lane just above or
    below them (whichever is the shorter detour) and comes back into its port.

    ``obstacles(area)`` gives the gate bodies (scene rectangles) within ``area``."""
    straight = [start, end]
    blocking = _blocked(straight, obstacles)
    if not blocking:
        return straight
    best, best_cost = None, math.inf
    for above in (True, False):
        found = list(blocking)
        for _ in range(8):
            lane = (min(r.top() for r in found) - LANE_GAP if above
                    else max(r.bottom() for r in found) + LANE_GAP)
            dx = end.x() - start.x()
            x0 = start.x() + max(12.0, min(24.0, dx / 4))
            x1 = end.x() - max(12.0, min(44.0, dx / 4))
            pts = [start, QPointF(x0, lane), QPointF(x1, lane), end]
            more = [r for r in _blocked(pts, obstacles) if r not in found]
            if not more:
                cost = abs(start.y() - lane) + abs(end.y() - lane)
                if cost < best_cost:
                    best, best_cost = pts, cost
                break
            found += more
    return best or straight


def _blocked(points: list[QPointF], obstacles) -> list[QRectF]:
    segments = [QLineF(a, b) for a, b in zip(points, points[1:])]
    return [r for r in obstacles(_bounds(points).adjusted(-2, -2, 2, 2))
            if any(_hits(s, r) for s in segments)]


def _bounds(points: list[QPointF]) -> QRectF:
    """The rectangle around ``points`` (QRectF.united skips empty rectangles: not usable here)."""
    xs = [p.x() for p in points]
    ys = [p.y() for p in points]
    return QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


LANE_GAP = 22.0
LABEL_PLACES = (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78)


def _hits(line: QLineF, rect: QRectF) -> bool:
    """Whether the segment passes through the rectangle."""
    if rect.contains(line.p1()) or rect.contains(line.p2()):
        return False                      # an end inside: it is the wire's own gate
    edges = [QLineF(rect.topLeft(), rect.topRight()), QLineF(rect.topRight(), rect.bottomRight()),
             QLineF(rect.bottomRight(), rect.bottomLeft()), QLineF(rect.bottomLeft(), rect.topLeft())]
    return any(line.intersects(e)[0] == QLineF.IntersectionType.BoundedIntersection
               for e in edges)


class JunctionItem(QGraphicsItem):
    """A fan-out: the trunk from a source's port to a dot, carrying the value and the summed
    gradient; the branches (WireItems) leave from the dot."""

    def __init__(self, scene, source_id: str):
        super().__init__()
        self.cscene = scene
        self.source_id = source_id
        self.start = QPointF()
        self.dot = QPointF()
        self.value_text = ""
        self.grad_text = ""
        self.show_value = True
        self.show_grad = True
        self._rect = QRectF()
        self.setZValue(1.5)

    @property
    def theme(self):
        return self.cscene.theme

    def set_ends(self, start: QPointF) -> None:
        dot = QPointF(start.x() + JUNCTION_DX, start.y())
        if start == self.start and dot == self.dot:
            return
        self.prepareGeometryChange()
        self.start, self.dot = QPointF(start), dot
        self._rect = QRectF()

    def set_numbers(self, value: str, grad: str) -> None:
        if (value, grad) != (self.value_text, self.grad_text):
            self.prepareGeometryChange()
            self.value_text, self.grad_text = value, grad
            self._rect = QRectF()
            self.update()

    def label_rects(self) -> tuple[QRectF, QRectF]:
        return label_rects(self.start, self.dot, self.value_text, self.grad_text, self.theme)

    def boundingRect(self) -> QRectF:
        if self._rect.isNull():
            above, below = self.label_rects()
            self._rect = QRectF(self.start, self.dot).normalized().adjusted(-6, -6, 6, 6) \
                .united(above).united(below)
        return self._rect

    def paint(self, painter: QPainter, option, widget=None) -> None:
        paint_wire(painter, self.theme, self.start, self.dot,
                   self.value_text if self.show_value else "",
                   self.grad_text if self.show_grad else "", arrow=False)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.theme.color("wire"))
        painter.drawEllipse(self.dot, 3.5, 3.5)


class StubItem(JunctionItem):
    """The output's own short wire: its value, and its gradient 1 (d output / d output)."""

    def set_ends(self, start: QPointF) -> None:
        end = QPointF(start.x() + STUB, start.y())
        if start == self.start and end == self.dot:
            return
        self.prepareGeometryChange()
        self.start, self.dot = QPointF(start), end
        self._rect = QRectF()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        paint_wire(painter, self.theme, self.start, self.dot,
                   self.value_text if self.show_value else "",
                   self.grad_text if self.show_grad else "", arrow=True)


# ---------------------------------------------------------------- shared drawing
def label_rects(start: QPointF, end: QPointF, value: str, grad: str, theme, t: float = 0.5):
    """Value above the wire, gradient below: each centred beside the point ``t`` of the way
    along it, on its side of the line and just clear of it, whatever the wire's slope."""
    fm = QFontMetricsF(theme.font("label"))
    mid = start + (end - start) * t
    dx, dy = end.x() - start.x(), end.y() - start.y()
    length = math.hypot(dx, dy) or 1.0
    nx, ny = dy / length, -dx / length          # a unit normal...
    if ny > 0 or (ny == 0 and nx > 0):
        nx, ny = -nx, -ny                       # ...pointing up (or left, for a vertical wire)
    h = fm.height()
    rects = []
    for text, side in ((value, 1), (grad, -1)):
        w = fm.horizontalAdvance(text) + 4 if text else 0.0
        d = abs(nx) * w / 2 + abs(ny) * h / 2 + 2
        cx, cy = mid.x() + side * nx * d, mid.y() + side * ny * d
        rects.append(QRectF(cx - w / 2, cy - h / 2, w, h))
    return rects[0], rects[1]


def paint_wire(painter: QPainter, theme, start: QPointF, end: QPointF, value: str, grad: str,
               arrow: bool) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(theme.color("wire"), theme.pen_width("wire")))
    painter.drawLine(start, end)
    if arrow:
        paint_arrow(painter, theme, start, end)
    if lod(painter) >= LOD_TEXT and (value or grad):
        paint_labels(painter, theme, start, end, value, grad)


def paint_arrow(painter: QPainter, theme, start: QPointF, end: QPointF) -> None:
    d = end - start
    length = math.hypot(d.x(), d.y())
    if length <= 20:
        return
    ux, uy = d.x() / length, d.y() / length
    tip = end - QPointF(ux * 5, uy * 5)
    back = tip - QPointF(ux * 7, uy * 7)
    n = QPointF(-uy * 3.5, ux * 3.5)
    painter.save()
    painter.setBrush(theme.color("wire"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawPolygon([tip, back + n, back - n])
    painter.restore()


def paint_labels(painter: QPainter, theme, start: QPointF, end: QPointF, value: str,
                 grad: str, t: float = 0.5) -> None:
    above, below = label_rects(start, end, value, grad, theme, t)
    painter.setFont(theme.font("label"))
    if value:
        painter.setPen(theme.color("value"))
        painter.drawText(above, Qt.AlignmentFlag.AlignCenter, value)
    if grad:
        painter.setPen(theme.color("grad"))
        painter.drawText(below, Qt.AlignmentFlag.AlignCenter, grad)
