"""Driving the canvas like a person: real mouse events with their buttons set, sent to the
view's viewport (QTest.mouseMove carries no button, so drags are built by hand)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication

from circuit_editor.gui.view import GATE_MIME

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.MouseButton.NoButton


def _send(
    view, kind, scene_pos: QPointF, button, buttons, modifiers=Qt.KeyboardModifier.NoModifier
):
    local = QPointF(view.mapFromScene(scene_pos))
    glob = QPointF(view.viewport().mapToGlobal(local.toPoint()))
    event = QMouseEvent(kind, local, glob, button, buttons, modifiers)
    QApplication.sendEvent(view.viewport(), event)


def press(view, pos, button=LEFT, modifiers=Qt.KeyboardModifier.NoModifier):
    _send(view, QEvent.Type.MouseButtonPress, pos, button, button, modifiers)


def move(view, pos, buttons=LEFT):
    _send(view, QEvent.Type.MouseMove, pos, NONE, buttons)


def release(view, pos, button=LEFT, modifiers=Qt.KeyboardModifier.NoModifier):
    _send(view, QEvent.Type.MouseButtonRelease, pos, button, NONE, modifiers)


def drag(view, start: QPointF, end: QPointF, steps: int = 6, button=LEFT) -> None:
    press(view, start, button)
    for i in range(1, steps + 1):
        move(view, start + (end - start) * (i / steps), button)
    release(view, end, button)


def click(view, pos, modifiers=Qt.KeyboardModifier.NoModifier):
    press(view, pos, LEFT, modifiers)
    release(view, pos, LEFT, modifiers)


def drop_gate(view, kind: str, scene_pos: QPointF) -> None:
    """What a drag from the palette delivers: a drop with the gate's kind."""
    md = QMimeData()
    md.setData(GATE_MIME, kind.encode())
    local = QPointF(view.mapFromScene(scene_pos))
    for kind_ in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
        from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent

        cls = QDragEnterEvent if kind_ == QEvent.Type.DragEnter else QDragMoveEvent
        ev = cls(
            local.toPoint(), Qt.DropAction.CopyAction, md, LEFT, Qt.KeyboardModifier.NoModifier
        )
        QApplication.sendEvent(view.viewport(), ev)
    ev = QDropEvent(local, Qt.DropAction.CopyAction, md, LEFT, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), ev)


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
    "drag",
    "drop_gate",
    "labels",
    "move",
    "point",
    "press",
    "release",
    "wire",
]
