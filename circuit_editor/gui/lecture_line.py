"""The slim line in lecture mode, between the canvas and the explanation (it is the explanation
panel's title bar): what the class is looking at (the
circuit's title), with which numbers (the input set), how much of them (the reveal stage) and
where the step-through stands ("Backward 3 of 8"). It is redrawn from the document's signals
and never changes it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics, QPalette, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from .theme import Theme

if TYPE_CHECKING:
    from .document import Document

SEPARATOR = "   \u00b7   "


class LectureLine(QLabel):
    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.setAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        # as wide as the screen lets it be: a long title is shortened, never widens the window
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.words = ""
        self.hide()
        document.replaced.connect(self.refresh)
        document.pathChanged.connect(self.refresh)
        document.evaluated.connect(self.refresh)
        document.revealChanged.connect(self.refresh)
        document.positionChanged.connect(self.refresh)
        document.inputSetChanged.connect(self.refresh)

    def describe(self) -> str:
        """The line's words."""
        doc = self.document
        parts = [doc.circuit.settings.title or doc.display_name]
        if doc.input_set:
            parts.append(f"Input set: {doc.input_set}")
        parts.append(doc.reveal.stage.title)
        step = doc.step_title()
        if step:
            parts.append(step)
        return SEPARATOR.join(parts)

    def refresh(self, *_: object) -> None:
        if self.isVisible():
            self.words = self.describe()
            self._fit_words()

    def _fit_words(self) -> None:
        room = self.contentsRect().width()
        self.setText(
            QFontMetrics(self.font()).elidedText(self.words, Qt.TextElideMode.ElideMiddle, room)
        )

    def sizeHint(self) -> QSize:
        # (a dock asks its title bar's hint for its own least width: ask for none)
        return QSize(0, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_words()

    def restyle(self, text_px: int, theme: Theme) -> None:
        """Its text ``text_px`` pixels high, in ``theme``'s colours."""
        font = theme.font("name", bold=True)
        font.setPixelSize(text_px)
        self.setFont(font)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Window, theme.color("highlight"))
        pal.setColor(QPalette.ColorRole.WindowText, theme.color("name"))
        self.setPalette(pal)
        pad = max(3, text_px // 8)
        self.setContentsMargins(2 * pad, pad, 2 * pad, pad)
        self.setFixedHeight(QFontMetrics(font).height() + 2 * pad)
        self.words = self.describe()
        self._fit_words()
