"""A gate on the canvas: a circle with its symbol, or an input's or a constant's tag. It draws the
gate and reports where its ports are; it never changes the circuit."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem

from ..core.circuit import Gate
from ..core.layout import GATE_RADIUS, PORT_ANGLE
from ..core.numbers import short
from .wire_paint import lod, readable

RADIUS = GATE_RADIUS  # gate circle (the layout plans with the same size)
PORT = 4.5  # drawn port radius
PORT_HIT = 11.0  # how near the pointer must be to grab a port
TAG_H = 26.0  # input/constant tag height (taller when its font needs it)
GRID = 10.0  # gates snap to it
BADGE = 7.0  # the problem badge's radius
SYMBOL_ROOM = 3.0  # between a symbol's ink and its circle's pen


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
        self.named = False  # the step on screen names it
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

    def shown_name(self) -> str:
        """The name drawn above the gate: a circle's label, always; a gate without one, the name
        made from its id (mul5, const7: the name the Explanation, the inspector and the results
        use) while it is selected or the step on screen names it. Only a label is kept clear by
        wires and numbers; the other comes and goes with the gate one is looking at. (An input's
        tag is its name; a labelled constant's tag, its label.)"""
        if self.gate.kind == "input" or (self.is_leaf and self.gate.label):
            return ""
        if self.gate.label or self.isSelected() or self.named:
            return self.gate.name
        return ""

    def half_width(self) -> float:
        return self._half_width

    def _measure(self) -> None:
        """Sizes that depend on the gate's text and the theme's fonts, worked out once: every
        text box holds the text's full ascent and descent and its glyphs' true outlines."""
        t = self.theme
        self.is_leaf = self.gate.spec.is_leaf
        self._name = QRectF()  # a label's box: wires and numbers keep clear of it
        self._text_at = QPointF()
        self._name_at = QPointF()  # where the name goes above the circle
        self._name_box = QRectF()
        if self.is_leaf:
            ink = t.ink(self.tag_text(), "name", bold=self.gate.kind == "input")
            self._half_width = max(18.0, ink.width() / 2 + 10)
            self._tag_h = max(TAG_H, ink.height() + 6)
            # the baseline's start, so that the text's line is centred in the tag
            self._text_at = QPointF(-ink.width() / 2 - ink.left(), -ink.height() / 2 - ink.top())
            w, h = self._half_width, self._tag_h
            self._body = QRectF(-w - 4, -h / 2 - 4, 2 * w + 8, h + 8)
            top = h / 2
        else:
            self._half_width = RADIUS
            self._tag_h = TAG_H
            self._body = QRectF(-RADIUS - 6, -RADIUS - 6, 2 * RADIUS + 12, 2 * RADIUS + 12)
            top = RADIUS
        if self.gate.kind != "input":
            ink = t.ink(self.gate.name, "label")
            box = QRectF(-ink.width() / 2, -top - 3 - ink.height(), ink.width(), ink.height())
            self._name_at = QPointF(box.left() - ink.left(), box.top() - ink.top())
            self._name_box = box
            if self.gate.label and not self.is_leaf:
                self._name = box
        self._bounds = self._outline()

    def _outline(self) -> QRectF:
        """Everything paint may draw: the body with its thickest pen, the ports at their
        largest, the name and the problem badge."""
        pen = max(self.theme.pen_width(r) for r in ("selection", "gate")) * 1.6
        r = self._body.adjusted(-pen, -pen, pen, pen)
        reach = PORT + 2.5 + pen
        for port in range(self.gate.spec.arity):
            p = self.input_port(port)
            r = r.united(QRectF(p.x() - reach, p.y() - reach, 2 * reach, 2 * reach))
        out = self.output_port()
        r = r.united(QRectF(out.x() - PORT_HIT, out.y() - PORT_HIT, 2 * PORT_HIT, 2 * PORT_HIT))
        if not self._name_box.isEmpty():
            r = r.united(self._name_box)
        return r.united(self.badge_rect())

    def badge_rect(self) -> QRectF:
        """Where the problem badge is drawn, in item coordinates."""
        c = QPointF(RADIUS * 0.72, -RADIUS * 0.72)
        return QRectF(c.x() - BADGE - 1, c.y() - BADGE - 1, 2 * BADGE + 2, 2 * BADGE + 2)

    def set_gate(self, gate: Gate) -> None:
        self.prepareGeometryChange()
        self.gate = gate
        self._measure()
        self.setPos(QPointF(*gate.pos))
        self.cscene.index_gate(self)
        tip = f"{gate.name} ({gate.spec.name}): {gate.spec.doc}"
        if gate.spec.local_doc:
            tip += f"\nLocal gradient: {gate.spec.local_doc}"
        self.base_tooltip = tip
        self._update_tooltip()
        self.update()

    def set_active(self, on: bool, direction: str, named: bool = False) -> None:
        """``on``: its step is the one on screen; ``named``: that step's explanation names it
        (the active gate and the gates feeding it), so its name is shown."""
        state = direction if on else ""
        if (state, named) != (self.active, self.named):
            self.active, self.named = state, named
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
        angle = math.radians(180 - PORT_ANGLE if port == 0 else 180 + PORT_ANGLE)
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

    def name_box(self) -> QRectF:
        """Where a name above the circle goes, shown or not, in item coordinates."""
        return self._name_box

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
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        if self.is_leaf:
            path.addRoundedRect(self._tag_rect(), 6, 6)
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

    def _tag_rect(self) -> QRectF:
        w, h = self.half_width(), self._tag_h
        return QRectF(-w, -h / 2, 2 * w, h)

    def _paint_tag(self, painter: QPainter, border: QPen) -> None:
        t = self.theme
        rect = self._tag_rect()
        if self.gate.kind == "const":
            border.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(border)
        painter.setBrush(
            QBrush(t.color("input_fill" if self.gate.kind == "input" else "const_fill"))
        )
        painter.drawRoundedRect(rect, 6, 6)
        painter.setPen(t.color("name"))
        painter.setFont(t.font("name", bold=self.gate.kind == "input"))
        painter.drawText(self._text_at, self.tag_text())
        name = self.shown_name()
        if name and readable(lod(painter), t):
            painter.setFont(t.font("label"))
            painter.drawText(self._name_at, name)

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
        self.paint_symbol(painter)
        name = self.shown_name()
        if readable(detail, t) and name:
            painter.setPen(t.color("name"))
            painter.setFont(t.font("label"))
            painter.drawText(self._name_at, name)
        if self.problem_kind:
            self._paint_badge(painter)

    def symbol_room(self) -> float:
        """How far from the centre the symbol's ink may reach: inside the circle's pen (and
        inside the output's inner ring)."""
        t = self.theme
        if self.is_output:
            return RADIUS - 4 - t.pen_width("output") / 2 - SYMBOL_ROOM
        return RADIUS - t.pen_width("gate") * 0.8 - SYMBOL_ROOM

    def paint_symbol(self, painter: QPainter) -> None:
        """The gate's symbol, shrunk to fit its circle."""
        symbol = self.gate.symbol
        role = "symbol" if len(symbol) <= 3 else "symbol_small"
        fit = self.theme.fitted(symbol, role, self.symbol_room(), bold=True)
        painter.setPen(self.theme.color("symbol"))
        painter.setFont(fit.font)
        painter.drawText(QPointF(fit.x, fit.y), symbol)

    def _paint_badge(self, painter: QPainter) -> None:
        t = self.theme
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(t.color(self.problem_kind))
        c = self.badge_rect().center()
        painter.drawEllipse(c, BADGE, BADGE)
        mark = "!" if self.problem_kind == "warn" else "\u2227"
        fit = t.fitted(mark, "badge", BADGE - 1, bold=True)
        painter.setPen(t.color("background"))
        painter.setFont(fit.font)
        painter.drawText(c + QPointF(fit.x, fit.y), mark)

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
