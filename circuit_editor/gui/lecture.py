"""Lecture mode: full screen, editing locked, docks hidden, a projector's fonts and lines in the
high-contrast theme, and the keys a presentation clicker sends.

F5 enters, Esc leaves. PageDown/PageUp (and the arrows) step, Space plays, Home/End jump. R
reveals the circuit in stages: structure only, then forward values, then gradients. A click on
a wire's number hides it (to ask the class "what goes here?") and another click shows it again.
The number keys 1-9 and [ ] switch between the circuit's input sets."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import QEvent, QMarginsF, QObject, QPointF, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QDockWidget, QTextBrowser, QWidget

from .lecture_line import LectureLine
from .theme import Theme
from .view import drawn_rect

if TYPE_CHECKING:
    from .document import Document
    from .playback import Playback
    from .scene import CircuitScene
    from .view import CircuitView
    from .window import Chrome

LEGIBLE = 0.025  # numbers and the explanation: at least this share of the screen's height
TARGET = LEGIBLE * 1.04  # what the fit aims at (the measure rounds)
MARGIN = 0.006  # around the circuit, a share of the screen's width or height
MAX_SCALE = 2.5  # fonts grow at most this much: beyond, numbers crowd each other (zoom in)
EXPLAIN_LINES = 5  # the explanation panel's height, in lines of its text...
EXPLAIN_MOST = 8  # ...and as many as this where the circuit leaves the room
GATE_ROOM = 80.0  # around a gate's centre, for it, its name and its numbers (scene units)
SEAMS = 12  # pixels between the canvas and the panel (the dock's separator and frame)
# its paragraphs one under the other, with no room between them: a step's lines all show
EXPLAIN_STYLE = "p { margin-top: 0px; margin-bottom: 0px; }"
# the theme each theme becomes on a projector
PROJECTOR_THEME = {"light": "contrast"}


class LectureStage(Protocol):
    """What lecture mode needs of the window: its canvas, its document and playback, its theme,
    its status line, its explanation panel, and a way to put its menus, bars and panels away and
    back."""

    document: Document
    scene: CircuitScene
    view: CircuitView
    playback: Playback
    theme: Theme
    docks: dict[str, QDockWidget]

    @property
    def explanation(self) -> QTextBrowser: ...
    @property
    def playback_bar(self) -> QWidget: ...

    def set_theme(self, theme: Theme) -> None: ...
    def show_message(self, text: str) -> None: ...
    def hide_chrome(self, keep: str) -> Chrome: ...
    def restore_chrome(self, chrome: Chrome) -> None: ...
    def resizeDocks(
        self, docks: list[QDockWidget], sizes: list[int], orientation: Qt.Orientation, /
    ) -> None: ...
    def width(self) -> int: ...
    def height(self) -> int: ...
    def isMaximized(self) -> bool: ...
    def showFullScreen(self) -> None: ...
    def showMaximized(self) -> None: ...
    def showNormal(self) -> None: ...


@dataclass(frozen=True)
class _Before:
    """The window as it was before lecture mode, to go back to."""

    theme: Theme
    chrome: Chrome
    maximized: bool
    grid: bool
    explanation_font: QFont
    explanation_style: str


class Lecture(QObject):
    def __init__(self, window: LectureStage, parent: QObject | None = None):
        super().__init__(parent)
        self.w = window
        self.active = False
        self._before: _Before | None = None
        self.line = LectureLine(window.document)
        self._fitting = False
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self.fit)

    def enter(self) -> None:
        if self.active:
            return
        w = self.w
        self.active = True
        w.view.locked = True
        w.scene.clearSelection()
        self._before = _Before(
            theme=w.theme,
            # the panel that follows the step stays
            chrome=w.hide_chrome(keep="explain"),
            maximized=w.isMaximized(),
            grid=w.scene.show_grid,
            explanation_font=QFont(w.explanation.font()),
            explanation_style=w.explanation.document().defaultStyleSheet(),
        )
        w.explanation.document().setDefaultStyleSheet(EXPLAIN_STYLE)
        w.playback.stop()  # (which writes the explanation again, in that style)
        w.scene.set_grid(False)
        _scroll_bars(w.view, Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        w.playback_bar.hide()  # the keys step; the slim line says where
        self.line.show()
        w.docks["explain"].setTitleBarWidget(self.line)
        w.showFullScreen()
        self.fit()
        w.view.viewport().installEventFilter(self)
        w.view.setFocus()

    def leave(self) -> None:
        before = self._before
        if not self.active or before is None:
            return
        w = self.w
        self.active = False
        w.view.viewport().removeEventFilter(self)
        w.docks["explain"].setTitleBarWidget(cast(QWidget, None))  # (None: the usual title)
        self.line.hide()
        w.playback_bar.show()
        w.view.locked = False
        w.document.reset_reveal()  # every number back on screen
        w.explanation.setFont(before.explanation_font)
        w.explanation.document().setDefaultStyleSheet(before.explanation_style)
        w.restore_chrome(before.chrome)
        w.scene.set_grid(before.grid)
        w.set_theme(before.theme)
        _scroll_bars(w.view, Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        if before.maximized:
            w.showMaximized()
        else:
            w.showNormal()
        w.view.fit()

    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    # ------------------------------------------------------------ the screen
    def screen_height(self) -> int:
        """The height lecture mode reads against: the full-screen window's."""
        return self.w.height()

    def text_px(self) -> int:
        """A pixel size whose line is at least the legible share of the screen's height."""
        font = self.w.theme.font("label")
        font.setPixelSize(100)
        line_per_px = QFontMetricsF(font).height() / 100
        return math.ceil(TARGET * self.screen_height() / line_per_px)

    def fit(self) -> None:
        """The circuit as large as the screen allows, with the numbers, the explanation and
        the slim line all at least the legible share of the screen's height."""
        if not self.active or self._before is None or self._fitting:
            return
        self._fitting = True
        try:
            w, px = self.w, self.text_px()
            explain = QFont(self._before.explanation_font)
            explain.setPixelSize(px)
            w.explanation.setFont(explain)
            self.line.restyle(px, self._lecture_theme(1.0))
            height = self._explanation_height(explain) + self.line.height()
            w.resizeDocks([w.docks["explain"]], [height], Qt.Orientation.Vertical)
            self._fit_circuit()
        finally:
            self._fitting = False

    def _explanation_height(self, font: QFont) -> int:
        """Room for the explanation: five lines at least; more (up to eight) where a wide
        circuit leaves the screen's height to spare."""
        w = self.w
        panel = w.explanation
        spacing = QFontMetricsF(font).lineSpacing()
        frame = 2 * (panel.document().documentMargin() + panel.frameWidth())
        # (a bold line, the title, stands a little taller than the others)
        least = spacing * (EXPLAIN_LINES + 0.25) + frame
        most = spacing * (EXPLAIN_MOST + 0.25) + frame
        gates = [g.pos for g in w.document.circuit.gates]
        if not gates:
            return math.ceil(least)
        # the circuit's height when it fills the screen's width, from where its gates stand
        # (not from what is drawn, which changes with the fit: the panel's height stays put)
        xs, ys = [x for x, _ in gates], [y for _, y in gates]
        wide = max(xs) - min(xs) + 2 * GATE_ROOM
        tall = (max(ys) - min(ys) + 2 * GATE_ROOM) * w.width() * (1 - 2 * MARGIN) / wide
        spare = self.screen_height() * (1 - 2 * MARGIN) - tall - self.line.height() - SEAMS
        return math.ceil(max(least, min(most, spare)))

    def _lecture_theme(self, scale: float) -> Theme:
        name = self._before.theme.name if self._before is not None else "light"
        return Theme.named(PROJECTOR_THEME.get(name, name), scale)

    def _fit_circuit(self) -> None:
        """Fill the canvas; grow the fonts until the numbers, at the
        canvas's zoom, are legible (a larger font widens the circuit's box, so a few rounds)."""
        w = self.w
        viewport = w.view.viewport()
        mx, my = MARGIN * viewport.width(), MARGIN * viewport.height()
        margins = QMarginsF(mx, my, mx, my)
        target = TARGET * self.screen_height()
        scale = 1.0
        for _ in range(6):
            theme = self._lecture_theme(scale)
            if theme != w.theme:
                w.set_theme(theme)
            w.view.fit_rect(drawn_rect(w.scene), margins)
            seen = theme.metrics("label").height() * w.view.zoom
            if seen >= target or scale >= MAX_SCALE:
                return
            scale = min(MAX_SCALE, scale * target / seen * 1.02)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.w.view.viewport():
            # full screen arrives late on some systems, and screens change: fit at once, and
            # once more when the window has laid its panels out for the new size
            self.fit()
            self._refit.start()
        return False

    # ------------------------------------------------------------ the lecturer's keys
    def reveal_next(self) -> None:
        """structure only -> forward values -> gradients -> structure only ..."""
        stage = self.w.document.advance_reveal()
        self.w.show_message(stage.title)

    def input_set(self, index: int) -> None:
        c = self.w.document.circuit
        names = list(c.input_sets)
        if not names:
            self.w.show_message("This circuit has no input sets.")
            return
        name = names[index % len(names)]
        self.apply_input_set(name)

    def cycle_input_set(self, delta: int) -> None:
        names = list(self.w.document.circuit.input_sets)
        if not names:
            return
        current = self.w.document.input_set
        i = names.index(current) if current in names else -1
        self.apply_input_set(names[(i + delta) % len(names)])

    def apply_input_set(self, name: str) -> None:
        if self.w.document.apply_input_set(name):  # a refusal is shown by the document's signal
            self.w.show_message(f"Input set: {name}")

    def click(self, scene_pos: QPointF) -> bool:
        """A click on a wire's number hides it; a click where it was shows it again."""
        hit = self.w.scene.number_at(scene_pos)
        if hit is None:
            return False
        key, gradient = hit
        self.w.document.toggle_hidden(key, gradient=gradient)
        return True

    def key(self, key: int) -> bool:
        """Lecture-only keys; True when handled."""
        if not self.active:
            return False
        if key == Qt.Key.Key_Escape:
            self.leave()
        elif key == Qt.Key.Key_R:
            self.reveal_next()
        elif Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            self.input_set(key - Qt.Key.Key_1)
        elif key == Qt.Key.Key_BracketRight:
            self.cycle_input_set(1)
        elif key == Qt.Key.Key_BracketLeft:
            self.cycle_input_set(-1)
        else:
            return False
        return True


def _scroll_bars(view: CircuitView, policy: Qt.ScrollBarPolicy) -> None:
    view.setHorizontalScrollBarPolicy(policy)
    view.setVerticalScrollBarPolicy(policy)
