"""The circuit panel: the settings of the whole circuit (title, description, which gate is the
output and which is differentiated, the max/min tie policy), its named input sets, and the
circuit written as code. Every edit is a command; the panel follows the document."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import astuple

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..core import commands as cmd
from ..core.errors import CircuitError
from ..core.export import to_code
from ..core.gates import TIE_POLICIES
from ..core.numbers import full
from .document import Outcome
from .fields import Message, mono_font, small, sync_text
from .theme import Theme, default_theme

NAME = Qt.ItemDataRole.UserRole


class CircuitPanel(QWidget):
    inputSetApplied = Signal(str)

    def __init__(self, document, theme: Theme | None = None, parent=None):
        super().__init__(parent)
        self.document = document
        self.theme = theme or default_theme()
        self._code_key: tuple[object, ...] | None = None
        self._build()
        document.evaluated.connect(self.refresh)  # also after a replace, once it is evaluated
        document.inputSetChanged.connect(lambda _: self._fill_sets())  # the current one in bold
        self.refresh()

    @property
    def circuit(self):
        return self.document.circuit

    # ------------------------------------------------------------ building
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addLayout(self._build_settings())
        outer.addWidget(self._build_input_sets())
        outer.addWidget(self._build_code(), 1)
        self._connect()

    def _build_settings(self) -> QFormLayout:
        """Title, description, output, target and tie policy, and the panel's message."""
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.title = QLineEdit()
        self.title.setPlaceholderText("Untitled")
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText("What this circuit shows")
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.description.installEventFilter(self)
        self.output = QComboBox()
        self.output.setToolTip(
            "The gate whose value is the circuit's result. Automatic: the "
            "only gate nothing reads from."
        )
        self.target = QComboBox()
        self.target.setToolTip(
            "The gate the gradients are of (d target / d every gate). Automatic: the output."
        )
        for combo in (self.output, self.target):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(8)
        self.tie = QComboBox()
        for i, policy in enumerate(TIE_POLICIES):
            self.tie.addItem(policy, policy)
            self.tie.setItemData(i, TIE_POLICIES[policy], Qt.ItemDataRole.ToolTipRole)
        self.tie_doc = small(QLabel())
        self.tie_doc.setWordWrap(True)
        form.addRow("Title", self.title)
        form.addRow("Description", self.description)
        form.addRow("Output", self.output)
        form.addRow("Differentiate", self.target)
        form.addRow("Ties in max/min", self.tie)
        form.addRow(self.tie_doc)
        self.message = Message(self.theme)
        form.addRow(self.message)
        return form

    def _build_input_sets(self) -> QGroupBox:
        sets = QGroupBox("Input sets")
        self.sets = QListWidget()
        self.sets.setEditTriggers(QListWidget.EditTrigger.EditKeyPressed)
        self.sets.setToolTip("Double-click or press Enter to apply a set; F2 renames it.")
        self.sets.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.sets.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)
        self.sets.setMaximumHeight(self.fontMetrics().lineSpacing() * 6 + 8)
        self.new_set = QPushButton("New from inputs")
        self.new_set.setToolTip("Save the current input values as a new set.")
        self.apply_set = QPushButton("Apply")
        self.apply_set.setToolTip("Set the inputs to this set's values (one undo step).")
        self.rename_set = QPushButton("Rename")
        self.delete_set = QPushButton("Delete")
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        row1.addWidget(self.new_set)
        row1.addWidget(self.apply_set)
        row2.addWidget(self.rename_set)
        row2.addWidget(self.delete_set)
        lay = QVBoxLayout(sets)
        lay.addWidget(self.sets)
        lay.addLayout(row1)
        lay.addLayout(row2)
        return sets

    def _build_code(self) -> QGroupBox:
        code = QGroupBox("As code")
        self.code = QPlainTextEdit()
        self.code.setReadOnly(True)
        self.code.setFont(mono_font())
        self.code.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.code.setMinimumHeight(self.fontMetrics().lineSpacing() * 6)
        self.code_note = Message(self.theme)
        lay = QVBoxLayout(code)
        lay.addWidget(self.code_note)
        lay.addWidget(self.code)
        return code

    def _connect(self) -> None:
        self.title.editingFinished.connect(self._commit_title)
        self.output.activated.connect(lambda _: self._commit_gate("output", self.output))
        self.target.activated.connect(lambda _: self._commit_gate("target", self.target))
        self.tie.activated.connect(self._commit_tie)
        self.tie.currentIndexChanged.connect(self._show_tie_doc)
        self.new_set.clicked.connect(self.create_set)
        self.apply_set.clicked.connect(lambda: self.apply(self.current_set()))
        self.rename_set.clicked.connect(self._start_rename)
        self.delete_set.clicked.connect(self.delete)
        self.sets.itemActivated.connect(lambda item: self.apply(item.data(NAME)))
        self.sets.itemChanged.connect(self._renamed)
        self.sets.currentItemChanged.connect(lambda *_: self._enable())

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.message.set_theme(theme)
        self.code_note.set_theme(theme)

    # ------------------------------------------------------------ following the document
    def refresh(self, result=None) -> None:
        c = self.circuit
        s = c.settings
        sync_text(self.title, s.title)
        if not self.description.hasFocus() and self.description.toPlainText() != s.description:
            self.description.setPlainText(s.description)
        try:
            auto_out = c.gate(c.resolve_output()).name if s.output is None else None
        except CircuitError:  # no clear output (several ends, or none)
            auto_out = "unclear"
        self._fill_gates(
            self.output, s.output, f"automatic ({auto_out})" if auto_out else "automatic"
        )
        self._fill_gates(self.target, s.target, "automatic (the output)")
        self.tie.setCurrentIndex(max(0, self.tie.findData(s.tie)))
        self._show_tie_doc()
        self._fill_sets()
        self._show_code()

    def _fill_gates(self, combo: QComboBox, chosen: str | None, automatic: str) -> None:
        gates = [g for g in self.circuit.gates if not g.spec.is_leaf or g.id == chosen]
        names = Counter(g.name for g in gates)
        entries = [(automatic, None)] + [
            (f"{g.name} ({g.spec.name}" + (f", {g.id})" if names[g.name] > 1 else ")"), g.id)
            for g in gates
        ]
        current = [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]
        combo.blockSignals(True)
        if entries != current:
            combo.clear()
            for text, gid in entries:
                combo.addItem(text, gid)
        combo.setCurrentIndex(
            max(0, next((i for i, (_, gid) in enumerate(entries) if gid == chosen), 0))
        )
        combo.blockSignals(False)

    def _fill_sets(self) -> None:
        c = self.circuit
        names = list(c.input_sets)
        shown = [self.sets.item(i).data(NAME) for i in range(self.sets.count())]
        current = self.current_set()
        self.sets.blockSignals(True)
        if names != shown:
            self.sets.clear()
            for name in names:
                item = QListWidgetItem(name)
                item.setData(NAME, name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                self.sets.addItem(item)
        for i, name in enumerate(names):
            item = self.sets.item(i)
            values = c.input_sets[name]
            item.setToolTip(
                ", ".join(f"{k} = {full(x)}" for k, x in values.items()) or "(no values)"
            )
            font = item.font()
            font.setBold(name == self.document.input_set)
            item.setFont(font)
            if current == name:
                self.sets.setCurrentItem(item)
        if self.sets.currentItem() is None and names:
            self.sets.setCurrentRow(0)
        self.sets.blockSignals(False)
        self._enable()

    def _enable(self) -> None:
        has = self.current_set() is not None
        for b in (self.apply_set, self.rename_set, self.delete_set):
            b.setEnabled(has)
        self.new_set.setEnabled(bool(self.circuit.inputs()))

    def _show_tie_doc(self, *_) -> None:
        self.tie_doc.setText(TIE_POLICIES.get(self.tie.currentData(), ""))

    def _show_code(self) -> None:
        if not self.isVisible():
            self._code_key = None  # worked out when the panel is shown
            return
        c = self.circuit
        leaves = tuple(g.value for g in c.gates if g.spec.is_leaf)  # inputs' and constants'
        key = (id(c), c.structure_version, astuple(c.settings), leaves)  # all the code shows
        if key == self._code_key:
            return
        self._code_key = key
        try:
            text, note = to_code(c), ""
        except ValueError as e:
            text, note = "", "No code yet: " + str(e) + "."
        self.code_note.show_text(note, "hint")
        if self.code.toPlainText() != text:
            bar = self.code.verticalScrollBar().value()
            self.code.setPlainText(text)
            self.code.verticalScrollBar().setValue(bar)
        self.code.setVisible(bool(text))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._show_code()

    # ------------------------------------------------------------ edits
    def _push(self, command: cmd.Command) -> bool:
        return self._edit(lambda: self.document.push(command))

    def _edit(self, edit: Callable[[], Outcome]) -> bool:
        """Run one of the document's edits; show its refusal, or clear the last one."""
        outcome = edit()
        self.message.show_text(outcome.reason)
        return outcome.ok

    def _commit_title(self) -> None:
        if self.title.isModified() and self.title.text() != self.circuit.settings.title:
            self._push(cmd.SetSetting("title", self.title.text()))
        self.title.setModified(False)

    def _commit_description(self) -> None:
        text = self.description.toPlainText()
        if text != self.circuit.settings.description:
            self._push(cmd.SetSetting("description", text))

    def eventFilter(self, obj, event) -> bool:
        if obj is self.description and event.type() == QEvent.Type.FocusOut:
            self._commit_description()
        return super().eventFilter(obj, event)

    def _commit_gate(self, key: str, combo: QComboBox) -> None:
        gid = combo.currentData()
        if gid != getattr(self.circuit.settings, key):
            self._push(cmd.SetSetting(key, gid))

    def _commit_tie(self, _=None) -> None:
        policy = self.tie.currentData()
        if policy != self.circuit.settings.tie:
            self._push(cmd.SetSetting("tie", policy))

    # ------------------------------------------------------------ input sets
    def current_set(self) -> str | None:
        item = self.sets.currentItem()
        return item.data(NAME) if item is not None else None

    def create_set(self) -> str | None:
        """A new set holding the current input values; its name is ready to be typed over."""
        c = self.circuit
        n = len(c.input_sets) + 1
        while f"set {n}" in c.input_sets:
            n += 1
        name = f"set {n}"
        if not self._push(cmd.SetInputSet(name, c.input_values())):
            return None
        for i in range(self.sets.count()):
            if self.sets.item(i).data(NAME) == name:
                self.sets.setCurrentRow(i)
                self.sets.editItem(self.sets.item(i))
        return name

    def apply(self, name: str | None) -> None:
        """Set the inputs to the set's values, as one undo step."""
        if name is None or not self._edit(lambda: self.document.apply_input_set(name)):
            return
        self.inputSetApplied.emit(name)

    def _start_rename(self) -> None:
        item = self.sets.currentItem()
        if item is not None:
            self.sets.setFocus()
            self.sets.editItem(item)

    def _renamed(self, item: QListWidgetItem) -> None:
        old, new = item.data(NAME), item.text().strip()
        if new == old:
            return
        self.sets.blockSignals(True)
        item.setData(NAME, new)  # first, so the refresh the rename causes keeps the list
        self.sets.blockSignals(False)
        if not new or not self._edit(lambda: self.document.rename_input_set(old, new)):
            if not new:
                self.message.show_text("An input set needs a name.")
            self.sets.blockSignals(True)
            item.setData(NAME, old)
            item.setText(old)
            self.sets.blockSignals(False)
            return
        if item.text() != new:
            self.sets.blockSignals(True)
            item.setText(new)
            self.sets.blockSignals(False)

    def delete(self) -> None:
        name = self.current_set()
        if name is not None:
            self._edit(lambda: self.document.delete_input_set(name))
