"""Lecture mode: full screen, editing locked, docks hidden, a projector's fonts and lines in the
high-contrast theme, and the keys a presentation clicker sends.

F5 enters, Esc leaves. PageDown/PageUp (and the arrows) step, Space plays, Home/End jump. R
reveals the circuit in stages: structure only, then forward values, then gradients. A click on
a wire's number hides it (to ask the class "what goes here?") and another click shows it again.
The number keys 1-9 and [ ] switch between the circuit's input sets."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRectF, Qt

from .theme import Theme

PROJECTOR_SCALE = 1.45


class Lecture(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.w = window
        self.active = False
        self._saved: dict = {}

    def enter(self) -> None:
        if self.active:
            return
        w = self.w
        w.playback.stop()
        self._saved = {
            "theme": w.theme,
            "docks": {k: d.isVisible() for k, d in w.docks.items()},
            "maximized": w.isMaximized(),
            "menubar": w.menuBar().isVisible(),
            "toolbars": [t for t in w.toolbars() if t.isVisible()],
            "statusbar": w.statusBar().isVisible(),
            "grid": w.scene.show_grid,
        }
        self.active = True
        w.view.locked = True
        w.scene.clearSelection()
        for dock in w.docks.values():
            dock.hide()
        w.docks["explain"].show()  # the panel that follows the step stays
        for tb in self._saved["toolbars"]:
            tb.hide()
        w.menuBar().hide()
        w.statusBar().hide()
        w.scene.show_grid = False
        w.set_theme(Theme.named("contrast", PROJECTOR_SCALE))
        w.showFullScreen()
        w.view.fit()
        w.view.setFocus()

    def leave(self) -> None:
        if not self.active:
            return
        w, s = self.w, self._saved
        self.active = False
        w.view.locked = False
        w.scene.reveal = 2
        w.scene.hidden_values.clear()
        w.scene.hidden_grads.clear()
        for key, visible in s["docks"].items():
            w.docks[key].setVisible(visible)
        for tb in s["toolbars"]:
            tb.show()
        w.menuBar().setVisible(s["menubar"])
        w.statusBar().setVisible(s["statusbar"])
        w.scene.show_grid = s["grid"]
        w.set_theme(s["theme"])
        if s["maximized"]:
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
        scene.reveal = (scene.reveal + 1) % 3
        scene.show_result(scene.result)
        self.w.show_message(
            ["Structure only", "Forward values", "Values and gradients"][scene.reveal]
        )

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

    def click(self, scene_pos) -> bool:
        """A click on a wire's number hides it; a click where it was shows it again."""
        from .items import JunctionItem, WireItem

        scene = self.w.scene
        spot = QRectF(scene_pos.x() - 1, scene_pos.y() - 1, 2, 2)
        for item in scene.items(spot, Qt.ItemSelectionMode.IntersectsItemBoundingRect):
            if isinstance(item, (WireItem, JunctionItem)):
                above, below = item.label_rects()
                key = (
                    item.wire
                    if isinstance(item, WireItem)
                    else ("stub" if item is scene.stub else item.source_id)
                )
                for rect, hidden in ((above, scene.hidden_values), (below, scene.hidden_grads)):
                    if rect.adjusted(-6, -6, 6, 6).contains(scene_pos):
                        hidden.symmetric_difference_update({key})
                        scene.show_result(scene.result)
                        return True
        return False

    def key(self, key) -> bool:
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
