"""The canvas view: zoom, pan, drops from the palette, and the gestures that become commands.

Each gesture is a small class (wire drag, middle-button pan); a drag-move of gates is pushed
once, on release. Refusals go to ``message`` for the status bar, never silently."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QMarginsF, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QKeySequence, QMouseEvent, QPainter, QPen, QWheelEvent
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsView

from ..core import commands as cmd
from ..core.circuit import Wire
from .gate_item import GRID, GateItem
from .wire_items import JunctionItem, WireItem

if TYPE_CHECKING:
    from .lecture import Lecture
    from .scene import CircuitScene

GATE_MIME = "application/x-circuit-editor-gate"
ZOOM_MIN, ZOOM_MAX = 0.1, 6.0
NUDGES = {  # arrow keys move the selected gates one grid step (Shift: five)
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}
EMPTY_HINT = (
    "To begin, drag a gate here from the Gates palette,\n"
    "paste code into the Code panel,\n"
    "or open an example: File \u203a Examples."
)
# the keys the canvas itself reads (keyPressEvent), for the Help's keyboard map; the menus'
# shortcuts are read from their actions
CANVAS_KEYS = (
    ("Delete, Backspace", "Delete the selected gates and wires"),
    ("Arrow keys", "Move the selected gates a grid step (with Shift: five)"),
    ("Left, Right", "Step back, step forward (with nothing selected)"),
    ("Esc", "Drop the wire being drawn"),
)
FIT_ZOOM_MAX = 1.5  # Fit never blows a small circuit up beyond this
LEGIBLE_PX = 11.2  # Fit never makes a number's line shorter than this on screen (11 px, and a bit)


class WireDrag:
    """From an output port (or an occupied input, picking its wire up) to an input port."""

    def __init__(self, view: CircuitView, source: str, start: QPointF, lifted=None):
        self.view, self.source, self.lifted = view, source, lifted
        scene = view.scene()
        self.legal = set(scene.circuit.legal_targets(source))
        if lifted is not None:
            self.legal.add((lifted.target, lifted.port))
        for gid, port in self.legal:
            scene.gates[gid].port_state[port] = "legal"
            scene.gates[gid].update()
        self.line = QGraphicsLineItem(QLineF(start, start))
        self.line.setPen(
            QPen(
                scene.theme.color("port_legal"), scene.theme.pen_width("wire"), Qt.PenStyle.DashLine
            )
        )
        self.line.setZValue(10)
        scene.addItem(self.line)
        self.hover: tuple[str, int] | None = None

    def move(self, pos: QPointF) -> None:
        line = self.line.line()
        line.setP2(pos)
        self.line.setLine(line)
        hit = self.view.scene().port_at(pos)
        target = (hit[0].gate.id, hit[2]) if hit and hit[1] == "in" else None
        if target != self.hover:
            self._set_state(self.hover, "legal")
            self.hover = target if target in self.legal else None
            self._set_state(self.hover, "hover")

    def _set_state(self, target, state) -> None:
        if target is not None:
            item = self.view.scene().gates.get(target[0])
            if item is not None:
                item.port_state[target[1]] = state
                item.update()

    def finish(self, pos: QPointF) -> None:
        scene, doc = self.view.scene(), self.view.document
        self.cancel()
        hit = scene.port_at(pos)
        if hit is None or hit[1] != "in":
            if self.lifted is not None:
                doc.push(cmd.Disconnect(self.lifted.target, self.lifted.port))
            return
        target, port = hit[0].gate.id, hit[2]
        if self.lifted is not None and (target, port) == (self.lifted.target, self.lifted.port):
            return
        # (a lifted wire leaves its source, so it can never be part of a loop back to it: the
        # verdict is the same with or without it)
        verdict = scene.circuit.can_connect(self.source, target, port)
        if not verdict:
            self.view.message.emit(f"Cannot connect: {verdict.reason}.")
            return
        connect = cmd.Connect(self.source, target, port)
        if self.lifted is not None:
            doc.push(
                cmd.Macro(
                    "move wire", [cmd.Disconnect(self.lifted.target, self.lifted.port), connect]
                )
            )
        else:
            doc.push(connect)

    def cancel(self) -> None:
        scene = self.view.scene()
        for gid, port in self.legal:
            item = scene.gates.get(gid)
            if item is not None:
                item.port_state.pop(port, None)
                item.update()
        if self.line.scene() is not None:
            scene.removeItem(self.line)


class Pan:
    def __init__(self, view: CircuitView, pos):
        self.view, self.last = view, pos
        view.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)

    def move(self, pos) -> None:
        d = pos - self.last
        self.last = pos
        h, v = self.view.horizontalScrollBar(), self.view.verticalScrollBar()
        h.setValue(h.value() - round(d.x()))
        v.setValue(v.value() - round(d.y()))

    def finish(self, pos) -> None:
        self.view.viewport().unsetCursor()

    def cancel(self) -> None:
        self.view.viewport().unsetCursor()


class CircuitView(QGraphicsView):
    message = Signal(str)  # for the status bar
    fileDropped = Signal(object)  # a .circuit file dropped on the canvas
    zoomChanged = Signal(float)
    renameRequested = Signal(str)  # a double-click on a gate: edit its name in place
    stepRequested = Signal(int)  # Right/Left with nothing selected (always in lecture mode)

    def __init__(self, scene: CircuitScene, document, parent=None):
        super().__init__(scene, parent)
        self._circuit_scene = scene
        self.document = document
        self.gesture: Pan | WireDrag | None = None
        self._press_positions: dict[str, tuple] = {}
        self._band = QRectF()  # the rubber band's last extent, in the scene
        self._press_wires: set[Wire] = set()  # wires selected before it
        self.locked = False  # lecture mode: no editing
        self.lecture: Lecture | None = None  # the lecture controller, for its keys and clicks
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        # every item's paint sets the pen, brush and font it uses: no need to save them
        self.setOptimizationFlags(QGraphicsView.OptimizationFlag.DontSavePainterState)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)  # the grid, drawn once
        self.setAcceptDrops(True)
        self.setSceneRect(-20000, -20000, 40000, 40000)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.rubberBandChanged.connect(self._on_rubber_band)
        self._hinted = False  # whether the hint for an empty canvas is on screen
        document.evaluated.connect(self._follow_emptiness)

    # ------------------------------------------------------------ zoom
    def scene(self) -> CircuitScene:
        """The circuit's scene (Qt's own answer is typed as any QGraphicsScene)."""
        return self._circuit_scene

    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float, anchor_view_pos=None) -> None:
        """Zoom to ``factor``, keeping the scene point under ``anchor_view_pos`` (default: the
        view's centre) where it is."""
        factor = max(ZOOM_MIN, min(ZOOM_MAX, factor))
        if anchor_view_pos is None:
            anchor_view_pos = self.viewport().rect().center()
        before = self.mapToScene(anchor_view_pos)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        s = factor / self.zoom
        self.scale(s, s)
        d = self.mapToScene(anchor_view_pos) - before
        self.translate(d.x(), d.y())
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.zoomChanged.emit(self.zoom)

    def zoom_by(self, step: float, anchor_view_pos=None) -> None:
        self.set_zoom(self.zoom * step, anchor_view_pos)

    def fit(self, *, whole: bool = False) -> None:
        """The whole circuit, unless its numbers would be too small to read: then as much of
        it as fits at the smallest legible zoom, from its inputs (its left edge) on (how a
        circuit opens). ``whole``: all of it, however small (View > Fit to Window). Lecture
        mode fits its own way (the whole screen, its fonts grown to be read from afar)."""
        if self.lecture is not None and self.lecture.active:
            self.lecture.fit()
            return
        rect = self.scene().content_rect()
        if rect.isEmpty():
            self.resetTransform()
            self.centerOn(0, 0)
        else:
            self.fitInView(rect.adjusted(-40, -40, 40, 40), Qt.AspectRatioMode.KeepAspectRatio)
            legible = 0.0 if whole else LEGIBLE_PX / self.scene().theme.metrics("label").height()
            zoom = max(legible, min(self.zoom, FIT_ZOOM_MAX))
            if zoom != self.zoom:
                self.set_zoom(zoom)
                self.centerOn(rect.center())
            shown = self.mapToScene(self.viewport().rect()).boundingRect()
            if shown.width() < rect.width() + 80:  # too wide to show whole: from the inputs on
                self.centerOn(rect.left() - 40 + shown.width() / 2, rect.center().y())
        self.zoomChanged.emit(self.zoom)

    def fit_rect(self, rect: QRectF, margins: QMarginsF) -> None:
        """Zoom and scroll so that ``rect`` just fills the viewport less ``margins`` (device
        pixels), at whatever zoom that takes (lecture mode)."""
        area = QRectF(self.viewport().rect()).marginsRemoved(margins)
        if rect.isEmpty() or area.isEmpty():
            return
        self.set_zoom(min(area.width() / rect.width(), area.height() / rect.height()))
        shift = area.center() - QRectF(self.viewport().rect()).center()
        self.centerOn(rect.center() - shift / self.zoom)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            d = event.angleDelta()
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - (d.y() or d.x()))
            return
        if not event.pixelDelta().isNull() and not (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            super().wheelEvent(event)  # a touchpad's two-finger scroll pans
            return
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(1.15**steps, event.position().toPoint())

    # ------------------------------------------------------------ the empty canvas's hint
    def shows_hint(self) -> bool:
        """Whether the canvas holds no gate, so it says how to begin."""
        return not self.scene().gates

    def _follow_emptiness(self, *_: object) -> None:
        if self.shows_hint() != self._hinted:
            self._hinted = not self._hinted
            self.viewport().update()  # the hint spans the view, not just the item that changed

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        super().drawForeground(painter, rect)
        if not self.shows_hint():
            return
        theme = self.scene().theme
        painter.save()
        painter.resetTransform()  # in the view's pixels: the middle of what is shown
        painter.setFont(theme.font("name"))
        painter.setPen(theme.color("port"))
        painter.drawText(
            QRectF(self.viewport().rect()),
            Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
            EMPTY_HINT,
        )
        painter.restore()

    # ------------------------------------------------------------ mouse
    def _scene_pos(self, event) -> QPointF:
        return self.mapToScene(event.position().toPoint())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton:
            self.gesture = Pan(self, event.position())
            return
        if event.button() == Qt.MouseButton.LeftButton and not self.locked:
            pos = self._scene_pos(event)
            hit = self.scene().port_at(pos)
            if hit is not None:
                item, side, port = hit
                if side == "out":
                    self.gesture = WireDrag(self, item.gate.id, item.scene_output_port())
                    return
                wire = self.scene().circuit.wire_into(item.gate.id, port)
                if wire is not None:
                    start = self.scene().gates[wire.source].scene_output_port()
                    self.gesture = WireDrag(self, wire.source, start, lifted=wire)
                    self.gesture.move(pos)
                    return
        if self.locked:
            if event.button() == Qt.MouseButton.LeftButton and self.lecture is not None:
                self.lecture.click(self._scene_pos(event))
            return
        super().mousePressEvent(event)
        self._press_positions = {
            i.gate.id: i.gate.pos for i in self.scene().selectedItems() if isinstance(i, GateItem)
        }
        self._band = QRectF()
        self._press_wires = set(self.scene().selected_wires())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self.gesture is not None:
            self.gesture.move(
                event.position() if isinstance(self.gesture, Pan) else self._scene_pos(event)
            )
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.gesture is not None:
            g, self.gesture = self.gesture, None
            g.finish(event.position() if isinstance(g, Pan) else self._scene_pos(event))
            return
        super().mouseReleaseEvent(event)
        self._keep_wires_inside_band()
        self._push_move()

    def _on_rubber_band(self, rect, start: QPointF, end: QPointF) -> None:
        if not rect.isNull():
            self._band = QRectF(start, end).normalized()

    def _keep_wires_inside_band(self) -> None:
        """A rubber band selects a wire only when it holds the whole wire (one that merely
        crosses it is left alone), as it selects a gate when it touches it."""
        if self._band.isNull():
            return
        for item in self.scene().selectedItems():
            if (
                isinstance(item, WireItem)
                and item.wire not in self._press_wires
                and not self._band.contains(item.path().boundingRect())
            ):
                item.setSelected(False)
        self._band = QRectF()

    def _push_move(self) -> None:
        moves = {}
        scene = self.scene()
        for gid, old in self._press_positions.items():
            item = scene.gates.get(gid)
            if item is not None:
                new = (item.pos().x(), item.pos().y())
                if new != tuple(old):
                    moves[gid] = (tuple(old), new)
        self._press_positions = {}
        if moves:
            self.document.push(cmd.Move(moves))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        item = self.scene().gate_at(self._scene_pos(event))
        if item is not None and not self.locked:
            self.renameRequested.emit(item.gate.id)
            return
        super().mouseDoubleClickEvent(event)

    # ------------------------------------------------------------ keys
    def keyPressEvent(self, event) -> None:
        if self.gesture is not None and event.key() == Qt.Key.Key_Escape:
            self.gesture.cancel()
            self.gesture = None
            return
        if self.lecture is not None and self.lecture.key(event.key()):
            return
        ids = self.scene().selected_ids()
        if (
            event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right)
            and (self.locked or not ids)
            and not event.modifiers()
        ):
            self.stepRequested.emit(1 if event.key() == Qt.Key.Key_Right else -1)
            return
        if event.key() in NUDGES and ids and not self.locked:
            dx, dy = NUDGES[event.key()]
            step = GRID * (5 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
            moves = {}
            for gid in ids:
                x, y = self.scene().circuit.gate(gid).pos
                moves[gid] = ((x, y), (x + dx * step, y + dy * step))
            self.document.push(cmd.Move(moves))
            return
        if (
            event.matches(QKeySequence.StandardKey.Delete) or event.key() == Qt.Key.Key_Backspace
        ) and self.delete_selection():
            return
        super().keyPressEvent(event)

    def delete_selection(self) -> bool:
        """Delete the selected gates (with their wires) and the selected wires, as one undo
        step (a refusal is reported by the document); False when there was nothing to delete
        (or in lecture mode)."""
        scene = self.scene()
        ids = scene.selected_ids()
        gone = set(ids)
        wires = [w for w in scene.selected_wires() if not gone & {w.source, w.target}]
        if self.locked or not (ids or wires):
            return False
        command: cmd.Command = cmd.RemoveGates(ids)
        if wires:
            steps: list[cmd.Command] = [cmd.Disconnect(w.target, w.port) for w in wires]
            what = [_count(len(wires), "wire")]
            if ids:
                steps.append(command)
                what.insert(0, _count(len(ids), "gate"))
            command = cmd.Macro("delete " + " and ".join(what), steps)
        self.document.push(command)
        return True

    # ------------------------------------------------------------ drops
    def dragEnterEvent(self, event) -> None:
        md = event.mimeData()
        if (md.hasFormat(GATE_MIME) and not self.locked) or _circuit_files(md):
            event.acceptProposedAction()
        else:
            event.ignore()

    dragMoveEvent = dragEnterEvent

    def dropEvent(self, event) -> None:
        md = event.mimeData()
        files = _circuit_files(md)
        if files:
            event.acceptProposedAction()
            self.fileDropped.emit(files[0])
            return
        if md.hasFormat(GATE_MIME) and not self.locked:
            kind = bytes(md.data(GATE_MIME)).decode()
            self.place(kind, self.mapToScene(event.position().toPoint()))
            event.acceptProposedAction()

    def place(self, kind: str, pos: QPointF | None = None) -> str | None:
        """Add a ``kind`` gate at ``pos`` (default: the view's centre); returns its id."""
        if pos is None:
            pos = self.mapToScene(self.viewport().rect().center())
        snapped = (round(pos.x() / GRID) * GRID, round(pos.y() / GRID) * GRID)
        c = self.document.circuit
        label = cmd.next_input_name(c) if kind == "input" else ""
        value = 1.0 if kind in ("input", "const") else None
        add = cmd.AddGate(kind, label, None, value, snapped)
        if self.document.push(add):
            return add.id
        return None


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'s' if n != 1 else ''}"


def drawn_rect(scene: CircuitScene) -> QRectF:
    """What the canvas draws of the circuit now: its gates, its wires and the numbers on them
    (tighter than the items' bounding rects, which keep room for numbers to move)."""
    rect = QRectF()
    for item in scene.items():
        if isinstance(item, GateItem):
            rect = rect.united(item.sceneBoundingRect())
        elif isinstance(item, (WireItem, JunctionItem)):
            rect = rect.united(item.drawn_rect())
    return rect


def _circuit_files(md) -> list[Path]:
    if not md.hasUrls():
        return []
    return [
        Path(u.toLocalFile())
        for u in md.urls()
        if u.isLocalFile() and u.toLocalFile().endswith(".circuit")
    ]
