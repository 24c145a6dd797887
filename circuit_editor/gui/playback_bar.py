"""The playback bar under the canvas, and the explanation panel: both follow the document's
step-through (its position), and the bar's controls drive the playback."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QStyle,
    QTextBrowser,
    QToolButton,
    QWidget,
)

from ..core.explain import Explanation
from ..core.reveal import step_title

SPEEDS = [
    ("\u00bc\u00d7", 0.25),
    ("\u00bd\u00d7", 0.5),
    ("1\u00d7", 1.0),
    ("2\u00d7", 2.0),
    ("4\u00d7", 4.0),
]


class PlaybackBar(QWidget):
    def __init__(self, playback, parent=None):
        super().__init__(parent)
        self.playback = playback
        self._updating = False  # the slider is being set from the playback, not dragged
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 2, 6, 2)
        self._add_buttons(row)
        self._add_slider(row)
        self._add_speed(row)
        playback.document.positionChanged.connect(self._on_position)
        playback.playingChanged.connect(
            lambda on: self.buttons["play"].setIcon(self.icons["pause" if on else "play"])
        )
        self._on_position(-1)

    def _add_buttons(self, row: QHBoxLayout) -> None:
        """To the start, back, play/pause, forward, to the end."""
        playback = self.playback
        self.buttons: dict[str, QToolButton] = {}
        style = self.style()
        P = QStyle.StandardPixmap
        self.icons = {
            "play": style.standardIcon(P.SP_MediaPlay),
            "pause": style.standardIcon(P.SP_MediaPause),
        }
        for key, icon, tip, slot in [
            ("start", P.SP_MediaSkipBackward, "To the start (Home)", playback.to_start),
            (
                "back",
                P.SP_MediaSeekBackward,
                "Step back (PageUp, or \u2190 with nothing selected)",
                playback.step_back,
            ),
            ("play", P.SP_MediaPlay, "Play / pause (Space)", playback.toggle),
            (
                "forward",
                P.SP_MediaSeekForward,
                "Step forward (PageDown, or \u2192 with nothing selected)",
                playback.step_forward,
            ),
            ("end", P.SP_MediaSkipForward, "To the end (End)", playback.to_end),
        ]:
            b = QToolButton()
            b.setIcon(style.standardIcon(icon))
            b.setToolTip(tip)
            b.setAutoRaise(True)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(slot)
            row.addWidget(b)
            self.buttons[key] = b

    def _add_slider(self, row: QHBoxLayout) -> None:
        """Every step of both passes, and where the playback is."""
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setToolTip("Every step of the forward and backward passes")
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.slider.setRange(0, 0)
        self.slider.valueChanged.connect(self._scrub)
        row.addWidget(self.slider, 1)
        self.label = QLabel()
        self.label.setMinimumWidth(200)
        row.addWidget(self.label)

    def _add_speed(self, row: QHBoxLayout) -> None:
        playback = self.playback
        self.speed = QComboBox()
        self.speed.setToolTip("Playback speed")
        self.speed.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for text, value in SPEEDS:
            self.speed.addItem(text, value)
        self.speed.setCurrentIndex(2)
        self.speed.currentIndexChanged.connect(lambda i: playback.set_speed(self.speed.itemData(i)))
        row.addWidget(self.speed)

    def _on_position(self, p: int) -> None:
        self._updating = True
        if p < 0:
            self.slider.setValue(self.slider.maximum())
            self.label.setText("Press Space to play the passes")
        else:
            n = self.playback.count
            self.slider.setRange(0, n)
            self.slider.setValue(p)
            self.label.setText(step_title(p, n))
        self._updating = False

    def _scrub(self, value: int) -> None:
        if not self._updating:
            self.playback.set_position(value)


class ExplanationPanel(QTextBrowser):
    """The current step in words: a learner who reads only this follows the whole pass."""

    IDLE = (
        "<p><b>Step through the passes</b></p><p>Press <b>Space</b> to play, "
        "<b>PageDown</b> / <b>PageUp</b> to step. Each step of the forward pass computes "
        "one gate's value; each step of the backward pass multiplies the gradient arriving "
        "from above (<i>upstream</i>) by the gate's <i>local</i> gradient and sends the "
        "product down each input wire: <b>upstream \u00d7 local = downstream</b>.</p>"
    )

    START = (
        "<p><b>Start</b></p><p>Only the inputs are known. The forward pass "
        "computes each gate's value, left to right.</p>"
    )

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.circuit_document = document  # (``document()`` is the panel's own text)
        document.positionChanged.connect(self._on_position)
        self._on_position(-1)

    def _on_position(self, p: int) -> None:
        if p < 0:
            self.setHtml(self.IDLE)
        elif p == 0:
            self.setHtml(self.START)
        else:
            self.show_explanation(self.circuit_document.explanation())

    def show_explanation(self, e: Explanation | None) -> None:
        if e is None:
            return
        parts = [f"<p><b>{html.escape(e.title)}</b></p>"]
        parts += [f"<p>{html.escape(line)}</p>" for line in e.lines]
        if e.words:
            parts.append(f"<p><i>{html.escape(e.words)}</i></p>")
        self.setHtml("".join(parts))
