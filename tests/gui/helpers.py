"""Driving widgets like a person: real mouse events with their buttons set (QTest.mouseMove
carries no button, so drags are built by hand).

Every helper takes a target and positions on it: a QGraphicsView with positions in scene
coordinates (the events go to its viewport), or any other widget with positions in its own.
"""

from __future__ import annotations

import PySide6
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QGraphicsView, QWidget

from circuit_editor.gui.view import GATE_MIME

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.MouseButton.NoButton
NO_KEYS = Qt.KeyboardModifier.NoModifier
Pos = QPoint | QPointF

# PySide6 6.12 places drag events at a QPointF and deprecates the QPoint form, the only one
# before 6.12.
DRAG_AT_POINTF = PySide6.__version_info__ >= (6, 12)


def _where(target: QWidget, pos: Pos) -> tuple[QWidget, QPointF]:
    """The widget that receives the events, and ``pos`` in its coordinates."""
    if isinstance(target, QGraphicsView):
        return target.viewport(), QPointF(target.mapFromScene(QPointF(pos)))
    return target, QPointF(pos)


def _send(target: QWidget, kind, pos: Pos, button, buttons, modifiers=NO_KEYS) -> None:
    widget, local = _where(target, pos)
    glob = QPointF(widget.mapToGlobal(local.toPoint()))
    QApplication.sendEvent(widget, QMouseEvent(kind, local, glob, button, buttons, modifiers))


def press(target: QWidget, pos: Pos, button=LEFT, modifiers=NO_KEYS) -> None:
    _send(target, QEvent.Type.MouseButtonPress, pos, button, button, modifiers)


def move(target: QWidget, pos: Pos, buttons=LEFT) -> None:
    _send(target, QEvent.Type.MouseMove, pos, NONE, buttons)


def release(target: QWidget, pos: Pos, button=LEFT, modifiers=NO_KEYS) -> None:
    _send(target, QEvent.Type.MouseButtonRelease, pos, button, NONE, modifiers)


def drag(target: QWidget, start: Pos, end: Pos, steps: int = 6, button=LEFT) -> None:
    """Press at ``start``, move to ``end`` in ``steps`` equal steps, release there."""
    start, end = QPointF(start), QPointF(end)
    press(target, start, button)
    for i in range(1, steps + 1):
        move(target, start + (end - start) * (i / steps), button)
    release(target, end, button)


def click(target: QWidget, pos: Pos, modifiers=NO_KEYS) -> None:
    press(target, pos, LEFT, modifiers)
    release(target, pos, LEFT, modifiers)


def double_click(target: QWidget, pos: Pos) -> None:
    """What a real double-click delivers: press, release, press, double-click, release
    (QTest.mouseDClick leaves out the first release, and item views then ignore it)."""
    click(target, pos)
    press(target, pos)
    _send(target, QEvent.Type.MouseButtonDblClick, pos, LEFT, LEFT)
    release(target, pos)


def drop_gate(view: QGraphicsView, kind: str, scene_pos: QPointF) -> None:
    """What a drag from the palette delivers: a drop with the gate's kind."""
    data = QMimeData()
    data.setData(GATE_MIME, kind.encode())
    widget, local = _where(view, scene_pos)
    at = local if DRAG_AT_POINTF else local.toPoint()
    for event in (
        QDragEnterEvent(at, Qt.DropAction.CopyAction, data, LEFT, NO_KEYS),
        QDragMoveEvent(at, Qt.DropAction.CopyAction, data, LEFT, NO_KEYS),
        QDropEvent(local, Qt.DropAction.CopyAction, data, LEFT, NO_KEYS),
    ):
        QApplication.sendEvent(widget, event)


def wire(view, source_id: str, target_id: str, port: int) -> None:
    """Drag from ``source_id``'s output port to ``target_id``'s input ``port``."""
    scene = view.scene()
    start = scene.gates[source_id].scene_output_port()
    end = scene.gates[target_id].scene_input_port(port)
    drag(view, start, end)


def labels(scene) -> dict:
    """What the canvas shows: {(source name, target name, port): (value text, grad text)},
    junctions as (source name, "junction"), the output stub as (name, "out")."""
    c = scene.circuit
    out = {}
    for w, item in scene.wires.items():
        out[(c.gate(w.source).name, c.gate(w.target).name, w.port)] = (
            item.value_text,
            item.grad_text,
        )
    for src, j in scene.junctions.items():
        out[(c.gate(src).name, "junction")] = (j.value_text, j.grad_text)
    if scene.stub is not None:
        out[(c.gate(scene.stub.source_id).name, "out")] = (
            scene.stub.value_text,
            scene.stub.grad_text,
        )
    return out


def point(x: float, y: float) -> QPointF:
    return QPointF(x, y)


__all__ = [
    "QPoint",
    "click",
    "double_click",
    "drag",
    "drop_gate",
    "labels",
    "move",
    "point",
    "press",
    "release",
    "wire",
]
