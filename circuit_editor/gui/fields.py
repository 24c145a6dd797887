"""Small helpers the docks share: reading a number a person typed, keeping a field in step with
the circuit without trampling the user's typing, a message line, and colours that stay readable
on the dock's own background."""

from __future__ import annotations

import math

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QLabel, QLineEdit, QSizePolicy, QWidget

from .theme import Theme


def parse_number(text: str) -> float:
    """The finite number in ``text`` ("-2", "0.5", "1e-3", "−3" with a typographic minus);
    a ValueError with a sentence for the user otherwise."""
    clean = text.strip().replace("\u2212", "-").replace("\u2009", "").replace(" ", "")
    if not clean:
        raise ValueError("Type a number, such as -2 or 0.5.")
    try:
        x = float(clean)
    except ValueError:
        raise ValueError(
            f"{text.strip()!r} is not a number: type one such as -2, 0.5 or 1e-3."
        ) from None
    if not math.isfinite(x):
        raise ValueError("The value must be a finite number: nan and inf are not allowed.")
    return x


def sync_text(edit: QLineEdit, text: str, force: bool = False) -> None:
    """Show ``text`` in ``edit`` unless the user is typing there (focus and unsaved changes);
    a focused field keeps its cursor."""
    if edit.text() == text:
        if force:
            edit.setModified(False)
        return
    if not force and edit.hasFocus() and edit.isModified():
        return
    pos = edit.cursorPosition()
    edit.setText(text)
    if edit.hasFocus():
        edit.setCursorPosition(min(pos, len(text)))


def readable(theme: Theme, role: str, widget: QWidget) -> QColor:
    """``theme``'s colour for ``role``, taken from its light or dark sibling when the dock's
    background is the other way round (a dark canvas theme beside light docks)."""
    background = widget.palette().color(QPalette.ColorRole.Window)
    dock_dark = background.lightness() < 128
    if theme.dark != dock_dark:
        theme = Theme.named("dark" if dock_dark else "light")
    return theme.color(role)


class Message(QLabel):
    """A line of feedback under a field: hidden while empty, word-wrapped, coloured by role."""

    def __init__(self, theme: Theme, parent=None):
        super().__init__(parent)
        self.theme = theme
        self.role = "warn"
        self.setWordWrap(True)
        self.setTextFormat(self.textFormat().PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.hide()

    def show_text(self, text: str, role: str = "warn") -> None:
        self.role = role
        self.setText(text)
        self._color()
        self.setVisible(bool(text))

    def clear_text(self) -> None:
        self.show_text("")

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._color()

    def _color(self) -> None:
        pal = self.palette()
        if self.role in ("warn", "kink", "grad", "value"):
            pal.setColor(QPalette.ColorRole.WindowText, readable(self.theme, self.role, self))
        else:
            parent = self.parentWidget()
            pal.setColor(
                QPalette.ColorRole.WindowText,
                (parent.palette() if parent is not None else pal).color(
                    QPalette.ColorRole.WindowText
                ),
            )
        self.setPalette(pal)


def mono_font() -> QFont:
    f = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    f.setStyleHint(QFont.StyleHint.Monospace)
    return f


def small(label: QLabel) -> QLabel:
    """A secondary line: a little smaller than the dock's text."""
    f = label.font()
    f.setPointSizeF(max(7.0, f.pointSizeF() * 0.9))
    label.setFont(f)
    return label
