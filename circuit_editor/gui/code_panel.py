"""The code panel: paste a worksheet's forward pass, get its circuit.

"Replace circuit" swaps the whole circuit for the code's; "Add to circuit" puts the code's gates
to the right of what is there, wiring names the circuit already has (its inputs, or a gate's
name such as ``f``) to the existing gates. Either is one undo step. Code the reader refuses
changes nothing: its message shows under the editor and the cursor goes to the place."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from ..core import commands as cmd
from ..core.circuit import Circuit
from ..core.errors import CodeError
from ..core.layout import COLUMN
from ..core.parse import read_code
from .fields import Message, mono_font, small
from .items import GRID

EXAMPLE = "g = x + y\nh = g * z\nf = h + x"


def _snap(x: float) -> float:
    return round(x / GRID) * GRID


def build_commands(circuit: Circuit, code: Circuit, add: bool) -> tuple[cmd.Macro, list[str]]:
    """The one undo step that puts ``code``'s gates into ``circuit`` (replacing its gates, or
    beside them when ``add``), and the ids of the gates it creates."""
    steps: list[cmd.Command] = []
    ids: dict[str, str] = {}  # code's gate id -> id in the circuit
    dx = dy = 0.0
    if add:
        existing = circuit.gates
        if existing:
            xs = [g.pos[0] for g in existing]
            ys = [g.pos[1] for g in existing]
            new_xs = [g.pos[0] for g in code.gates]
            new_ys = [g.pos[1] for g in code.gates]
            dx = max(xs) + COLUMN - min(new_xs)
            dy = (min(ys) + max(ys)) / 2 - (min(new_ys) + max(new_ys)) / 2
        for g in code.gates:
            if g.kind == "input":
                same = _existing(circuit, g.label)
                if same is not None:
                    ids[g.id] = same
    elif len(circuit):
        steps.append(cmd.RemoveGates([g.id for g in circuit.gates]))
    created = []
    for g in code.gates:
        if g.id in ids:
            continue
        ids[g.id] = circuit.new_id()
        created.append(ids[g.id])
        steps.append(
            cmd.AddGate(
                g.kind,
                g.label,
                g.param or None,
                g.value,
                (_snap(g.pos[0] + dx), _snap(g.pos[1] + dy)),
                id=ids[g.id],
            )
        )
    for w in code.wires:
        steps.append(cmd.Connect(ids[w.source], ids[w.target], w.port))
    out = code.settings.output
    if out is not None:
        steps.append(cmd.SetSetting("output", ids[out]))
    n = len(created)
    label = f"{'add' if add else 'build'} {n} gate{'s' if n != 1 else ''} from code"
    return cmd.Macro(label, steps), created


def _existing(circuit: Circuit, name: str) -> str | None:
    """The gate a name read by new code means in ``circuit``: its input of that name, else the
    last gate with that name (so ``L = f * f`` extends a circuit ending in ``f``)."""
    g = circuit.input_named(name)
    if g is not None:
        return g.id
    named = [g.id for g in circuit.gates if g.label == name]
    if not named:
        return None
    order = {gid: i for i, gid in enumerate(circuit.topological_order())}
    return max(named, key=order.__getitem__)


class CodePanel(QWidget):
    built = Signal(list)  # ids of the gates a build created

    def __init__(self, document, view, parent=None):
        super().__init__(parent)
        self.document = document
        self.view = view
        self._refusal = ""
        theme = view.scene().theme
        self.editor = QPlainTextEdit()
        self.editor.setFont(mono_font())
        self.editor.setPlaceholderText("Paste a forward pass here, e.g.\n\n" + EXAMPLE)
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
        document.refused.connect(self._on_refused)
        self._enable()

    def _on_refused(self, reason: str) -> None:
        self._refusal = reason

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
        macro, created = build_commands(self.document.circuit, imported.circuit, add)
        self._refusal = ""
        if not self.document.push(macro):
            self.error.show_text(self._refusal or "The circuit refused this code.")
            return False
        self.error.clear_text()
        if imported.notes:
            self.notes.setText("\n".join(imported.notes))
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
