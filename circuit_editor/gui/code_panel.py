"""The code panel: paste a worksheet's pseudocode, a lecture-notes snippet or micrograd code,
get its circuit (see :mod:`..core.parse` for what is read, and :mod:`..core.codecut` for where
the backward pass is cut off). The reader's notes (what was left out, which lines do not reach
the output) show under the editor.

"Replace circuit" swaps the whole circuit for the code's; "Add to circuit" puts the code's gates
to the right of what is there, wiring names the circuit already has (its inputs, or a gate's
name such as ``f``) to the existing gates (:mod:`..core.codepaste` builds the step). Either is one
undo step. Code the reader refuses changes nothing: its message shows under the editor and the
cursor goes to the place."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from ..core.codepaste import build_commands
from ..core.errors import CodeError
from ..core.parse import FROM_CODE, read_code
from .fields import Message, mono_font, small
from .gate_item import GRID

EXAMPLE = "x = -2; y = 5; z = -4\ng = x + y\nh = g * z\nf = h + x"


class CodePanel(QWidget):
    built = Signal(list)  # ids of the gates a build created

    def __init__(self, document, view, parent=None):
        super().__init__(parent)
        self.document = document
        self.view = view
        theme = view.scene().theme
        self.editor = QPlainTextEdit()
        self.editor.setFont(mono_font())
        self.editor.setPlaceholderText(
            "Paste code here (a backward pass after it is left out), e.g.\n\n" + EXAMPLE
        )
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.editor.setTabChangesFocus(True)
        self.replace_button = QPushButton("Replace circuit")
        self.replace_button.setToolTip(
            "Build the circuit this code computes, in place of the current one (one undo step)."
        )
        self.add_button = QPushButton("Add to circuit")
        self.add_button.setToolTip(
            "Add the code's gates to the right of the circuit; names it "
            "already has are wired to the existing gates."
        )
        self.error = Message(theme)
        self.notes = small(QLabel())
        self.notes.setWordWrap(True)
        self.notes.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.replace_button)
        buttons.addWidget(self.add_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.editor, 1)
        lay.addWidget(self.error)
        lay.addWidget(self.notes)
        lay.addLayout(buttons)
        self.replace_button.clicked.connect(lambda: self.build(add=False))
        self.add_button.clicked.connect(lambda: self.build(add=True))
        self.editor.textChanged.connect(self._enable)
        self._enable()

    def _enable(self) -> None:
        has = bool(self.editor.toPlainText().strip())
        self.replace_button.setEnabled(has)
        self.add_button.setEnabled(has)

    def set_theme(self, theme) -> None:
        self.error.set_theme(theme)

    def build(self, add: bool) -> bool:
        """Read the code and change the circuit as one undo step; False if nothing changed."""
        self.notes.hide()
        try:
            imported = read_code(self.editor.toPlainText())
        except CodeError as e:
            self.error.show_text(str(e))
            self._go_to(e.line, e.column)
            return False
        macro, created = build_commands(self.document.circuit, imported.circuit, add, GRID)
        outcome = self.document.push(macro)
        if not outcome:
            self.error.show_text(outcome.reason)
            return False
        self.error.clear_text()
        if not add and FROM_CODE in imported.circuit.input_sets:
            self.document.apply_input_set(FROM_CODE)  # the code's values are the current set
        if imported.notes:
            self.notes.setText("\n\n".join(imported.notes))
            self.notes.show()
        scene = self.view.scene()
        scene.clearSelection()
        if add:
            for gid in created:
                item = scene.gates.get(gid)
                if item is not None:
                    item.setSelected(True)
        self.view.fit()
        self.built.emit(created)
        return True

    def _go_to(self, line: int | None, column: int | None) -> None:
        if line is None:
            return
        doc = self.editor.document()
        block = doc.findBlockByLineNumber(max(0, line - 1))
        if not block.isValid():
            block = doc.lastBlock()
        cursor = QTextCursor(block)
        col = max(0, (column or 1) - 1)
        cursor.movePosition(
            QTextCursor.MoveOperation.Right,
            QTextCursor.MoveMode.MoveAnchor,
            min(col, max(0, block.length() - 1)),
        )
        self.editor.setTextCursor(cursor)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        self.editor.centerCursor()
