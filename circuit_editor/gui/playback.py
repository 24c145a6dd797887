"""Playing the passes: the trace step by step, with pulses travelling along the wires.

Where the step-through stands belongs to the document (:meth:`Document.set_position`); this
class drives it and animates the canvas. A step starts at once: the position moves, so the
label, the explanation and the lit gate show the step, while pulses travel along the gate's
input wires (left to right in the forward pass, right to left in the backward pass); when they
arrive, the step's numbers appear. Another step asked for during the pulses completes the step
at once and starts the next (n presses, n steps). A step's pulses take
:data:`MIN_STEP_S`..:data:`MAX_STEP_S` at speed 1, every pulse of a step at one speed, never
faster for a larger gradient. Stepping back shows exactly what the screen showed at that step
(``core.reveal``). Any edit of the circuit ends the step-through (the document does)."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

from PySide6.QtCore import QObject, QPointF, QRectF, QTimer, QVariantAnimation, Signal
from PySide6.QtGui import QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem

from ..core.reveal import step_view
from ..core.trace import Step

BASE_SPEED = 260.0  # scene units per second at speed 1, before the clamp below
MIN_STEP_S = 0.3  # the shortest a step's pulses take at speed 1
MAX_STEP_S = 1.0  # the longest, however long its wires
DWELL_MS = 450  # pause between steps while playing, at speed 1
PULSE_Z = 0.5  # under the wires (z 1) and so under every number they write
HALO = 2.0  # the room a pulse leaves around a number, in scene units


def step_duration_ms(longest: float, speed: float) -> int:
    """How long a step's pulses travel: their longest wire at :data:`BASE_SPEED`, clamped to
    :data:`MIN_STEP_S`..:data:`MAX_STEP_S`, divided by the playback speed."""
    seconds = min(MAX_STEP_S, max(MIN_STEP_S, longest / BASE_SPEED))
    return max(1, round(1000 * seconds / speed))


class PulseItem(QGraphicsItem):
    """A dot travelling along a wire; its size grows (boundedly) with the gradient's size and
    a negative number is drawn as a ring."""

    def __init__(self, scene, points: list[QPointF], direction: str, magnitude: float):
        super().__init__()
        self.cscene = scene
        self.points = points
        self.direction = direction
        self.radius = 5.0 + 3.0 * math.tanh(abs(magnitude)) if math.isfinite(magnitude) else 8.0
        self.negative = magnitude < 0
        self.lengths = [
            math.hypot(b.x() - a.x(), b.y() - a.y()) for a, b in itertools.pairwise(points)
        ]
        self.length = sum(self.lengths) or 1.0
        self.setZValue(PULSE_Z)
        self.set_progress(0.0)

    def set_progress(self, t: float) -> None:
        d = max(0.0, min(1.0, t)) * self.length
        last = len(self.lengths) - 1
        for i, seg in enumerate(self.lengths):
            if d <= seg or i == last:  # on this segment (the last takes any rounding)
                a, b = self.points[i], self.points[i + 1]
                f = d / seg if seg else 1.0
                self.setPos(a + (b - a) * min(1.0, f))
                return
            d -= seg

    def boundingRect(self) -> QRectF:
        r = self.radius + 2
        return QRectF(-r, -r, 2 * r, 2 * r)

    def number_boxes(self) -> list[QRectF]:
        """The boxes of the numbers under this pulse, in its own coordinates, with a margin."""
        here = self.mapRectToScene(self.boundingRect())
        boxes = []
        for item in self.cscene.items(here):
            rects = getattr(item, "label_rects", None)
            if rects is None:
                continue
            for r in rects():
                if not r.isEmpty() and r.intersects(here):
                    box = item.mapRectToScene(r).adjusted(-HALO, -HALO, HALO, HALO)
                    boxes.append(self.mapRectFromScene(box))
        return boxes

    def paint(self, painter: QPainter, option, widget=None) -> None:
        t = self.cscene.theme
        color = t.color("pulse_" + self.direction)
        painter.save()  # the view does not save the painter's state for each item
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        boxes = self.number_boxes()
        if boxes:  # a number stays readable: the pulse is not drawn where one is written
            keep = QPainterPath()
            keep.addRect(self.boundingRect())
            for box in boxes:
                cut = QPainterPath()
                cut.addRect(box)
                keep = keep.subtracted(cut)
            painter.setClipPath(keep)
        if self.negative:
            painter.setPen(QPen(color, 2.5))
            painter.setBrush(t.color("background"))
        else:
            painter.setPen(QPen(t.color("background"), 1.0))
            painter.setBrush(color)
        painter.drawEllipse(QPointF(0, 0), self.radius, self.radius)
        painter.restore()


class Playback(QObject):
    playingChanged = Signal(bool)

    def __init__(self, document, scene, parent=None):
        super().__init__(parent)
        self.document, self.scene = document, scene
        self.playing = False
        self.speed = 1.0
        self.pulses: list[PulseItem] = []
        self.anim = QVariantAnimation(self)
        self.anim.setStartValue(0.0)
        self.anim.setEndValue(1.0)
        self.anim.valueChanged.connect(self._frame)
        self.anim.finished.connect(self._arrived)
        self._target: int | None = None  # the position whose pulses are travelling
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._next)
        self._durations: dict[int, float] = {}
        document.positionChanged.connect(self._on_position)

    # ------------------------------------------------------------ state (the document's)
    @property
    def position(self) -> int | None:
        return self.document.position

    @property
    def count(self) -> int:
        trace = self.document.trace
        return trace.count if trace is not None else 0

    def _on_position(self, p: int) -> None:
        """The document moved: animate the step this playback started, else show the place."""
        if p != self._target:
            self._halt()
        if p < 0:
            self._set_playing(False)
            self.scene.set_step_view(None)
        elif p == self._target:
            self._animate(p - 1)
        else:
            self._show(p)

    def _show(self, p: int) -> None:
        trace = self.document.trace
        if trace is not None:
            self.scene.set_step_view(step_view(self.document.circuit, trace.steps, p))

    def _halt(self) -> None:
        """No pulses, no step under way."""
        self.timer.stop()
        if self.anim.state() == QVariantAnimation.State.Running:
            self.anim.blockSignals(True)
            self.anim.stop()
            self.anim.blockSignals(False)
        self._clear_pulses()
        self._target = None

    def _complete(self) -> None:
        """Finish the step under way at once: its numbers, no pulses."""
        if self._target is not None:
            self._halt()
            if self.position is not None:
                self._show(self.position)

    def _set_playing(self, on: bool) -> None:
        if on != self.playing:
            self.playing = on
            self.playingChanged.emit(on)

    # ------------------------------------------------------------ controls
    def set_position(self, p: int) -> None:
        """Show the screen as it is after the first ``p`` steps (no animation)."""
        self._complete()
        self.document.set_position(p)

    def stop(self) -> None:
        """Leave the step-through: full numbers, no pulses."""
        self._halt()
        self._set_playing(False)
        self.document.set_position(None)

    def step_forward(self) -> None:
        """The next step, now (a step under way is completed first)."""
        self._complete()
        if not self.document.set_position(0 if self.position is None else self.position):
            return
        p = self.position
        if p is None or p >= self.count:
            self._set_playing(False)
            return
        self._target = p + 1
        self.document.set_position(p + 1)

    def step_back(self) -> None:
        self._set_playing(False)
        self._complete()
        p = self.position
        self.document.set_position(self.count if p is None else p - 1)

    def to_start(self) -> None:
        self._set_playing(False)
        self.set_position(0)

    def to_end(self) -> None:
        self._set_playing(False)
        self.set_position(self.count)

    def toggle(self) -> None:
        if self.playing:
            self._set_playing(False)
            self.timer.stop()
            return
        p = self.position
        if (p is None or p >= self.count) and not self.document.set_position(0):
            return
        self._set_playing(True)
        if self._target is None:
            self._next()

    def set_speed(self, speed: float) -> None:
        self.speed = max(0.1, min(10.0, speed))

    # ------------------------------------------------------------ animation
    def _animate(self, index: int) -> None:
        """The screen before step ``index`` with its gate lit, and its pulses on their way."""
        trace = self.document.trace
        if trace is None:
            return
        step = trace.steps[index]
        before = step_view(self.document.circuit, trace.steps, index)
        self.scene.set_step_view(replace(before, active=step.gate, direction=step.direction))
        self._clear_pulses()
        self.pulses = [p for p in (self._pulse(step, w) for w in step.wires) if p is not None]
        longest = max([1.0] + [p.length for p in self.pulses])
        self.anim.stop()
        self.anim.setDuration(step_duration_ms(longest, self.speed))
        self._durations = {id(p): p.length / longest for p in self.pulses}
        self.anim.start()

    def _pulse(self, step: Step, w) -> PulseItem | None:
        item = self.scene.wires.get(w)
        if item is None:
            return None
        pts = list(item.points)
        if w.source in self.scene.junctions:
            pts.insert(0, self.scene.junctions[w.source].start)
        if step.direction == "backward":
            pts.reverse()
            share = step.downstream[step.wires.index(w)]
        else:
            share = step.inputs[step.wires.index(w)]
        pulse = PulseItem(self.scene, pts, step.direction, float(share))
        self.scene.addItem(pulse)
        return pulse

    def _frame(self, t) -> None:
        for p in self.pulses:
            share = self._durations.get(id(p), 1.0)  # every pulse at the same speed
            p.set_progress(min(1.0, float(t) / share) if share else 1.0)

    def _arrived(self) -> None:
        if self._target is None:
            return
        self._complete()
        if self.playing and self.position is not None:
            if self.position >= self.count:
                self._set_playing(False)
            else:
                self.timer.start(round(DWELL_MS / self.speed))

    def _next(self) -> None:
        if self.playing and self.position is not None and self.position < self.count:
            self.step_forward()

    def _clear_pulses(self) -> None:
        for p in self.pulses:
            if p.scene() is not None:
                self.scene.removeItem(p)
        self.pulses = []
