"""Playing the passes: the trace step by step, with pulses travelling along the wires.

A step forward lights its gate and sends pulses along the gate's input wires, left to right in
the forward pass and right to left in the backward pass; when they arrive, the step's numbers
appear. Pulses move at a constant speed on screen, never faster for a larger gradient. Stepping
back shows exactly what the screen showed at that step (``core.reveal``). Any edit of the
circuit stops the playback and shows the new circuit's numbers in full."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

from PySide6.QtCore import QObject, QPointF, QRectF, QTimer, QVariantAnimation, Signal
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem

from ..core.explain import Explainer
from ..core.reveal import step_view

BASE_SPEED = 260.0  # scene units per second at speed 1
DWELL_MS = 450  # pause between steps while playing, at speed 1


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
        self.setZValue(20)
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

    def paint(self, painter: QPainter, option, widget=None) -> None:
        t = self.cscene.theme
        color = t.color("pulse_" + self.direction)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.negative:
            painter.setPen(QPen(color, 2.5))
            painter.setBrush(t.color("background"))
        else:
            painter.setPen(QPen(t.color("background"), 1.0))
            painter.setBrush(color)
        painter.drawEllipse(QPointF(0, 0), self.radius, self.radius)


class Playback(QObject):
    positionChanged = Signal(int)  # 0 .. 2n
    playingChanged = Signal(bool)
    stepsChanged = Signal(int)  # the number of steps (2n), 0 when not playable
    explanationChanged = Signal(object)  # core.explain.Explanation or None

    def __init__(self, document, scene, parent=None):
        super().__init__(parent)
        self.document, self.scene = document, scene
        self.position: int | None = None  # None: not stepping, everything shown
        self.playing = False
        self.speed = 1.0
        self.steps: list = []
        self.explainer: Explainer | None = None
        self.pulses: list[PulseItem] = []
        self.anim = QVariantAnimation(self)
        self.anim.setStartValue(0.0)
        self.anim.setEndValue(1.0)
        self.anim.valueChanged.connect(self._frame)
        self.anim.finished.connect(self._arrived)
        self._target: int | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._next)
        self._durations: dict[int, float] = {}
        document.evaluated.connect(self._on_evaluated)

    # ------------------------------------------------------------ state
    @property
    def count(self) -> int:
        return len(self.steps)

    def _prepare(self) -> bool:
        r = self.document.result
        if r is None or r.incomplete or not r.has_gradients or r.shape:
            self.steps, self.explainer = [], None
            self.stepsChanged.emit(0)
            return False
        self.steps = r.trace()
        self.explainer = Explainer.of(r)
        self.stepsChanged.emit(len(self.steps))
        return True

    def _on_evaluated(self, result) -> None:
        """Any change to the circuit (an edit, an undo, another input set) ends a playback."""
        if self.position is not None or self.playing:
            self.stop()

    def stop(self) -> None:
        """Leave the step-through: full numbers, no pulses."""
        self._halt()
        self._set_playing(False)
        self.position = None
        self.scene.set_step_view(None)
        self.positionChanged.emit(-1)
        self.explanationChanged.emit(None)

    def _halt(self) -> None:
        self.timer.stop()
        if self.anim.state() == QVariantAnimation.State.Running:
            self.anim.blockSignals(True)
            self.anim.stop()
            self.anim.blockSignals(False)
        self._clear_pulses()
        self._target = None

    def _set_playing(self, on: bool) -> None:
        if on != self.playing:
            self.playing = on
            self.playingChanged.emit(on)

    def set_position(self, p: int) -> None:
        """Show the screen as it is after the first ``p`` steps (no animation)."""
        if not self.steps and not self._prepare():
            return
        self._halt()
        self.position = max(0, min(p, self.count))
        self.scene.set_step_view(step_view(self.document.circuit, self.steps, self.position))
        self.positionChanged.emit(self.position)
        self.explanationChanged.emit(self.explanation())

    def explanation(self):
        if self.explainer is None or not self.position:
            return None
        return self.explainer.explain(self.position - 1)

    # ------------------------------------------------------------ controls
    def step_forward(self) -> None:
        if self._target is not None:  # finish the step under way at once
            target = self._target
            self.set_position(target)
            return
        if self.position is None:
            if not self._prepare():
                return
            self.set_position(0)
        position = self.position
        if position is None:
            return
        if position >= self.count:
            self._set_playing(False)
            return
        self._animate(position)

    def step_back(self) -> None:
        self._set_playing(False)
        if self.position is None:
            if not self._prepare():
                return
            self.set_position(self.count)
            return
        target = self._target - 1 if self._target is not None else self.position - 1
        self.set_position(max(0, target))

    def to_start(self) -> None:
        self._set_playing(False)
        if self.steps or self._prepare():
            self.set_position(0)

    def to_end(self) -> None:
        self._set_playing(False)
        if self.steps or self._prepare():
            self.set_position(self.count)

    def toggle(self) -> None:
        if self.playing:
            self._set_playing(False)
            self.timer.stop()
            return
        if self.position is None or self.position >= self.count:
            if not self._prepare():
                return
            self.set_position(0)
        self._set_playing(True)
        if self._target is None:
            self._next()

    def set_speed(self, speed: float) -> None:
        self.speed = max(0.1, min(10.0, speed))

    # ------------------------------------------------------------ animation
    def _animate(self, index: int) -> None:
        step = self.steps[index]
        self._target = index + 1
        # show the state before the step, with this step's gate lit
        before = step_view(self.document.circuit, self.steps, index)
        self.scene.set_step_view(replace(before, active=step.gate, direction=step.direction))
        self._clear_pulses()
        longest = 1.0
        for w in step.wires:
            item = self.scene.wires.get(w)
            if item is None:
                continue
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
            self.pulses.append(pulse)
            longest = max(longest, pulse.length)
        self.anim.stop()
        self.anim.setDuration(max(120, round(1000 * longest / (BASE_SPEED * self.speed))))
        self._durations = {id(p): p.length / longest for p in self.pulses}
        self.anim.start()

    def _frame(self, t) -> None:
        for p in self.pulses:
            share = self._durations.get(id(p), 1.0)  # every pulse at the same speed
            p.set_progress(min(1.0, float(t) / share) if share else 1.0)

    def _arrived(self) -> None:
        target, self._target = self._target, None
        if target is None:
            return
        self._clear_pulses()
        self.set_position(target)
        if self.playing and self.position is not None:
            if self.position >= self.count:
                self._set_playing(False)
            else:
                self.timer.start(round(DWELL_MS / self.speed))

    def _next(self) -> None:
        if self.playing and self.position is not None and self.position < self.count:
            self._animate(self.position)

    def _clear_pulses(self) -> None:
        for p in self.pulses:
            if p.scene() is not None:
                self.scene.removeItem(p)
        self.pulses = []
