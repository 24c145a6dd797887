"""A wire's numbers always lie inside its bounding rectangle, whatever its slope, so the
canvas repaints them fully."""

import pytest
from PySide6.QtCore import QPointF

import circuit_editor as ce
from circuit_editor.gui.document import Document
from circuit_editor.gui.scene import CircuitScene


@pytest.mark.parametrize(
    "dx,dy", [(200, 0), (200, 60), (60, 200), (5, 300), (120, -250), (-80, 40)]
)
def test_numbers_stay_inside_the_bounding_rect(qapp, dx, dy):
    c = ce.from_code("f = x * y")
    scene = CircuitScene(Document(c))
    item = next(iter(scene.wires.values()))
    for value, grad in [("-0.0001657", "1234567"), ("1", "-2"), ("nan", "-inf")]:
        item.set_points([QPointF(0, 0), QPointF(dx, dy)])
        item.set_numbers(value, grad)
        rect = item.boundingRect()
        above, below = item.label_rects()
        assert rect.contains(above) and rect.contains(below), (value, grad)
