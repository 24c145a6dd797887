"""Lecture mode: full screen, editing locked, docks hidden, a projector's fonts and lines in the
high-contrast theme, and the keys a presentation clicker sends.

F5 enters, Esc leaves. PageDown/PageUp (and the arrows) step, Space plays, Home/End jump. R
reveals the circuit in stages: structure only, then forward values, then gradients. A click on
a wire's number hides it (to ask the class "what goes here?") and another click shows it again.
The number keys 1-9 and [ ] switch between the circuit's input sets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QPointF, Qt

from .theme import Theme

if TYPE_CHECKING:
    from .document import Document
    from .playback import Playback
    from .scene import CircuitScene
    from .view import CircuitView
    from .window import Chrome

PROJECTOR_SCALE = 1.45


class LectureStage(Protocol):
    """What lecture mode needs of the window: its canvas, its document and playback, its theme,
    its status line, and a way to put its menus, bars and panels away and back."""

    document: Document
    scene: CircuitScene
    view: CircuitView
    playback: Playback
    theme: Theme

    def set_theme(self, theme: Theme) -> None: ...
    def show_message(self, text: str) -> None: ...
    def hide_chrome(self, keep: str) -> Chrome: ...
    def restore_chrome(self, chrome: Chrome) -> None: ...
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


class Lecture(QObject):
    def __init__(self, window: LectureStage, parent: QObject | None = None):
        super().__init__(parent)
        self.w = window
        self.active = False
        self._before: _Before | None = None

    def enter(self) -> None:
        if self.active:
            return
        w = self.w
        w.playback.stop()
        self.active = True
        w.view.locked = True
        w.scene.clearSelection()
        self._before = _Before(
            theme=w.theme,
            # the panel that follows the step stays
            chrome=w.hide_chrome(keep="explain"),
            maximized=w.isMaximized(),
            grid=w.scene.show_grid,
        )
        w.scene.set_grid(False)
        w.set_theme(Theme.named("contrast", PROJECTOR_SCALE))
        w.showFullScreen()
        w.view.fit()
        w.view.setFocus()

    def leave(self) -> None:
        before = self._before
        if not self.active or before is None:
            return
        w = self.w
        self.active = False
        w.view.locked = False
        w.scene.reveal.reset()
        w.scene.refresh_numbers()  # every number back on screen
        w.restore_chrome(before.chrome)
        w.scene.set_grid(before.grid)
        w.set_theme(before.theme)
        if before.maximized:
            w.showMaximized()
        else:
            w.showNormal()
        w.view.fit()

    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    # ------------------------------------------------------------ the lecturer's keys
    def reveal_next(self) -> None:
        """structure only -> forward values -> gradients -> structure only ..."""
        scene = self.w.scene
        stage = scene.reveal.advance()
        scene.refresh_numbers()
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
        scene = self.w.scene
        hit = scene.number_at(scene_pos)
        if hit is None:
            return False
        key, gradient = hit
        scene.reveal.toggle(key, gradient=gradient)
        scene.refresh_numbers()
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
