"""No glyph is ever clipped and no symbol leaves its gate: every gate kind and every number of
every bundled example, in every theme, at the canvas's scale and at lecture mode's, and at
several zooms, is drawn alone into an image, and the pixels say where its ink fell.

An item's ink must lie inside its boundingRect (what the view repaints and the gate's pixmap
cache keeps: ink outside it is cut off or left behind). Finer: a gate's symbol inside its circle;
a gate's name inside its name box; a wire's numbers inside their label boxes (what the layout
keeps clear), every other mark of a wire on its line."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPainterPath, QPainterPathStroker
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

import circuit_editor as ce
from circuit_editor import resources
from circuit_editor.core.gates import GATES
from circuit_editor.gui.document import Document
from circuit_editor.gui.gate_item import PORT, RADIUS, GateItem
from circuit_editor.gui.scene import CircuitScene
from circuit_editor.gui.theme import THEMES, Theme, load_fonts
from circuit_editor.gui.wire_items import JunctionItem, WireItem

EXAMPLES = sorted(resources.path("examples").glob("*.circuit"))
# the canvas's own scale, and lecture mode's (its fonts grow with the screen)
SCALES = (1.0, 2.6)
ZOOMS = (1.0, 2.5)
Paint = QGraphicsItem  # an item, or anything with paint(painter, option, widget)


def every_kind() -> ce.Circuit:
    """One gate of every kind, with names and constants that reach high and low (f, y, g, j)."""
    c = ce.Circuit()
    y = 0.0
    for kind, spec in GATES.items():
        params = {"c": -0.0001657} if "{c}" in spec.symbol else None
        value = -0.0001657 if kind == "const" else (1.0 if kind == "input" else None)
        label = "fy" if kind == "input" else ("" if kind == "const" else f"gj_{kind}")
        c.add_gate(kind, label=label, params=params, value=value, pos=(0.0, y))
        y += 120.0
    return c


def ink(paint, area: QRectF, zoom: float) -> np.ndarray:
    """Where ``paint(painter)`` puts ink in ``area`` (item coordinates) at ``zoom``: a mask."""
    image = QImage(
        math.ceil(area.width() * zoom), math.ceil(area.height() * zoom), QImage.Format.Format_ARGB32
    )
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.scale(zoom, zoom)
    painter.translate(-area.topLeft())
    paint(painter)
    painter.end()
    bits = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1)
    alpha = bits[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[:, :, 3]
    return alpha > 0


def region(path: QPainterPath, area: QRectF, zoom: float) -> np.ndarray:
    """The pixels ``path`` covers (grown by a device pixel, for antialiasing)."""
    stroker = QPainterPathStroker()
    stroker.setWidth(2 / zoom)
    grown = path.united(stroker.createStroke(path))

    def fill(painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.fillPath(grown, Qt.GlobalColor.black)

    return ink(fill, area, zoom)


def rect_path(*rects: QRectF) -> QPainterPath:
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)  # overlapping parts add up, never cancel
    for r in rects:
        if not r.isEmpty():
            path.addRect(r)
    return path


def stray(paint, allowed: QPainterPath, room: QRectF, zoom: float) -> int:
    """How many pixels of ink fall outside ``allowed``."""
    area = room.adjusted(-30, -30, 30, 30)
    drawn = ink(paint, area, zoom)
    assert drawn.any()  # something was drawn
    return int((drawn & ~region(allowed, area, zoom)).sum())


def item_paint(item: QGraphicsItem):
    option = QStyleOptionGraphicsItem()
    return lambda painter: item.paint(painter, option, None)


def scene_of(circuit: ce.Circuit, theme: Theme) -> CircuitScene:
    load_fonts()
    return CircuitScene(Document(circuit), theme)


def check_gate(item: GateItem, zoom: float) -> None:
    name = item.gate.label or item.gate.kind
    box = item.boundingRect()
    assert stray(item_paint(item), rect_path(box), box, zoom) == 0, f"{name} leaves its box"
    # the body, the ports, the badge, and the name in its own box: nothing elsewhere
    parts = rect_path(item.body_rect(), item.name_rect())
    reach = PORT + 2.5 + item.theme.pen_width("port")
    for port in range(item.gate.spec.arity):
        parts.addEllipse(item.input_port(port), reach, reach)
    parts.addEllipse(item.output_port(), reach, reach)
    if item.problem_kind:
        parts.addRect(item.badge_rect())
    assert stray(item_paint(item), parts, box, zoom) == 0, f"{name}: a text leaves its place"
    if not item.is_leaf:
        circle = QPainterPath()
        inner = RADIUS - item.theme.pen_width("gate") / 2
        circle.addEllipse(QPointF(0, 0), inner, inner)
        assert stray(item.paint_symbol, circle, box, zoom) == 0, f"{name}: symbol leaves it"


def check_wire(item: WireItem | JunctionItem, zoom: float) -> None:
    box = item.boundingRect()
    what = f"{item.value_text!r}/{item.grad_text!r}"
    assert stray(item_paint(item), rect_path(box), box, zoom) == 0, f"{what} leaves its box"
    line = QPainterPath()
    if isinstance(item, WireItem):
        line = item.path()
    else:
        line.moveTo(item.start)
        line.lineTo(item.dot)
    stroker = QPainterPathStroker()
    stroker.setWidth(max(9.0, item.theme.pen_width("wire") + 2))
    allowed = stroker.createStroke(line).united(rect_path(*item.label_rects()))
    assert stray(item_paint(item), allowed, box, zoom) == 0, f"{what}: a number leaves its box"


THEME_CASES = [(name, scale) for name in THEMES for scale in SCALES]


@pytest.mark.parametrize(("theme", "scale"), THEME_CASES)
def test_every_gate_kind_stays_in_its_box_and_every_symbol_in_its_circle(qapp, theme, scale):
    scene = scene_of(every_kind(), Theme.named(theme, scale))
    for item in scene.gates.values():
        for zoom in ZOOMS:
            check_gate(item, zoom)
        # lit, marked, the output (its inner ring leaves the symbol less room)
        item.is_output = True
        item.set_active(True, "backward")
        item.set_problem("kink", "a kink")
        check_gate(item, ZOOMS[-1])
        item.set_problem("warn", "not finite")
        check_gate(item, ZOOMS[0])


@pytest.mark.parametrize(("theme", "scale"), THEME_CASES)
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_label_of_every_example_stays_in_its_box(qapp, example, theme, scale):
    scene = scene_of(ce.load(example), Theme.named(theme, scale))
    gates = list(scene.gates.values())
    wires = [*scene.wires.values(), *scene.junctions.values()]
    if scene.stub is not None:
        wires.append(scene.stub)
    assert any(w.value_text for w in wires) and any(w.grad_text for w in wires)
    for zoom in ZOOMS:
        for gate in gates:
            check_gate(gate, zoom)
        for wire in wires:
            check_wire(wire, zoom)
    for wire in wires:  # and hidden from the class: a "?" box each
        wire.set_numbers(wire.value_text, wire.grad_text, (True, True))
        check_wire(wire, ZOOMS[-1])
