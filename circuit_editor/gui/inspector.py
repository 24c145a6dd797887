"""The inspector: everything about the selected gate, at full precision, and its fields.

It follows the scene's selection and the document's evaluations. Edits become commands: a name
(``SetLabel``), a built-in constant (``SetParams``), a value typed and confirmed (one undo step
of its own), or scrubbed with the slider (one undo step per drag, however many moves)."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSlider,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..core import commands as cmd
from ..core.circuit import Gate
from ..core.names import generated_name
from ..core.numbers import full
from ..core.problems import describe
from ..core.result import Result
from .fields import Message, parse_number, readable, small, sync_text
from .theme import Theme

SCRUB_TICKS = 100  # the slider runs -100..100 around the value it started from


@dataclass
class ScrubValue(cmd.SetValue):
    """A value set by a scrub gesture: the moves of one gesture merge into one undo step, and
    only with each other (a new drag, or a typed value, starts a new step)."""

    gesture: int = 0

    def merge(self, other: cmd.Command) -> bool:
        return (
            isinstance(other, ScrubValue) and other.gesture == self.gesture and super().merge(other)
        )


def scrub_step(base: float) -> float:
    """How much one slider tick changes a value near ``base``: 0.05 below 10, then 0.5..."""
    return 0.05 * 10.0 ** math.floor(math.log10(max(abs(base), 1.0)))


def _tidy(x: float) -> float:
    return float(f"{x:.12g}")  # -2 + 3 * 0.05 is -1.85, not -1.8499999999999999


class Scrubber(QSlider):
    """A centre-sprung slider: drag away from the middle to change a value, let go and it
    springs back. Arrow keys nudge by one step, Page Up/Down by ten."""

    started = Signal()
    scrubbed = Signal(int)  # ticks from the middle
    nudged = Signal(int)  # ticks, from the keyboard or a click on the groove

    def __init__(self, parent=None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setRange(-SCRUB_TICKS, SCRUB_TICKS)
        self.setValue(0)
        self.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.setTickInterval(SCRUB_TICKS)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.sliderPressed.connect(self.started)
        self.sliderMoved.connect(self.scrubbed)
        self.sliderReleased.connect(self._spring_back)
        self.valueChanged.connect(self._jumped)

    def _spring_back(self) -> None:
        self.blockSignals(True)
        self.setValue(0)
        self.blockSignals(False)

    def _jumped(self, v: int) -> None:
        if not self.isSliderDown() and v:
            self._spring_back()
            self.nudged.emit(1 if v > 0 else -1)

    def keyPressEvent(self, event) -> None:
        steps = {
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Up: 1,
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Down: -1,
            Qt.Key.Key_PageUp: 10,
            Qt.Key.Key_PageDown: -10,
        }
        if event.key() in steps:
            self.nudged.emit(steps[event.key()])
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:
        self.started.emit()  # a run of key nudges is one undo step
        super().focusInEvent(event)


class Inspector(QWidget):
    def __init__(self, document, scene, parent=None):
        super().__init__(parent)
        self.document = document
        self.scene = scene
        self.gate_id: str | None = None
        self._gesture = 0
        self._scrub_base = 0.0
        self._shown = document.circuit  # the circuit gate_id belongs to
        self._build()
        document.evaluated.connect(self.refresh)
        document.replaced.connect(self.follow_selection)
        scene.selectionChanged.connect(self.follow_selection)
        self.follow_selection()

    # ------------------------------------------------------------ building
    def _build(self) -> None:
        theme = self.scene.theme
        self.pages = QStackedWidget(self)
        self.hint = QLabel(
            "Select a gate on the canvas to see its value, its gradient and its "
            "local gradients here."
        )
        self.many = QLabel()
        for label in (self.hint, self.many):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            label.setContentsMargins(6, 6, 6, 6)
        self.gate_page = self._build_gate_page(theme)
        self.pages.addWidget(self.hint)
        self.pages.addWidget(self.many)
        self.pages.addWidget(self.gate_page)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.pages)
        self._connect_edits()

    def _build_gate_page(self, theme: Theme) -> QScrollArea:
        """One gate's page: what it is, the fields that edit it, and its numbers."""
        page = QWidget()
        self.form = QFormLayout(page)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.kind = QLabel()
        self.kind.setWordWrap(True)
        self.kind.setTextFormat(Qt.TextFormat.RichText)
        self.form.addRow(self.kind)
        self.label_edit = QLineEdit()
        self.label_edit.setToolTip("The gate's name, as code and the canvas show it.")
        self.label_msg = Message(theme)
        self.form.addRow("Name", self.label_edit)
        self.form.addRow(self.label_msg)
        self.param_edit = QLineEdit()
        self.param_edit.setToolTip("The gate's built-in constant c. Type a number and press Enter.")
        self.param_msg = Message(theme)
        self.form.addRow("Constant c", self.param_edit)
        self.form.addRow(self.param_msg)
        self.value_edit = QLineEdit()
        self.value_edit.setToolTip("Type a number and press Enter.")
        self.value_msg = Message(theme)
        self.scrub = Scrubber()
        self.scrub.setToolTip(
            "Drag to change the value continuously (one undo step per drag); arrow keys nudge it."
        )
        self.form.addRow("Value", self.value_edit)
        self.form.addRow(self.value_msg)
        self.form.addRow("Scrub", self.scrub)
        self._add_numbers(theme)
        scroll = QScrollArea()
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return scroll

    def _add_numbers(self, theme: Theme) -> None:
        """Below a rule: the forward value, the gradient, the local gradients, any problem."""
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        self.form.addRow(line)
        self.value_label = self._number_label()
        self.grad_label = self._number_label()
        self.grad_title = QLabel("Gradient")
        self.form.addRow("Forward value", self.value_label)
        self.form.addRow(self.grad_title, self.grad_label)
        self.local_label = QLabel()
        self.local_label.setWordWrap(True)
        self.local_label.setTextFormat(Qt.TextFormat.RichText)
        self.local_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.local_doc = small(QLabel())
        self.local_doc.setWordWrap(True)
        self.form.addRow(self.local_label)
        self.form.addRow(self.local_doc)
        self.problem = Message(theme)
        self.form.addRow(self.problem)

    def _connect_edits(self) -> None:
        self.label_edit.editingFinished.connect(self._commit_label)
        self.label_edit.textEdited.connect(lambda _: self.label_msg.clear_text())
        self.param_edit.editingFinished.connect(self._commit_param)
        self.param_edit.textEdited.connect(lambda _: self.param_msg.clear_text())
        self.value_edit.editingFinished.connect(self._commit_value)
        self.value_edit.textEdited.connect(lambda _: self.value_msg.clear_text())
        self.scrub.started.connect(self._scrub_start)
        self.scrub.scrubbed.connect(self._scrub_to)
        self.scrub.nudged.connect(self._nudge)

    @staticmethod
    def _number_label() -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    # ------------------------------------------------------------ following
    def follow_selection(self) -> None:
        if not shiboken6.isValid(self.scene):  # the scene went first (closing down)
            return
        ids = [gid for gid in self.scene.selected_ids() if gid in self.document.circuit]
        if self._shown is not self.document.circuit:  # another document: start afresh
            self.gate_id = None
            self._shown = self.document.circuit
        if (
            self.gate_id is not None
            and self.gate_id in self.document.circuit
            and (ids != [self.gate_id])
        ):
            self._commit_all()  # what was typed for the gate being left is kept
        if len(ids) == 1:
            if ids[0] != self.gate_id:
                self.gate_id = ids[0]
                for msg in (self.label_msg, self.param_msg, self.value_msg):
                    msg.clear_text()
                self._fill(force=True)
            self.pages.setCurrentWidget(self.gate_page)
            return
        self.gate_id = None
        if ids:
            self.many.setText(
                f"{len(ids)} gates selected.\nSelect one gate to see its numbers and edit it."
            )
            self.pages.setCurrentWidget(self.many)
        else:
            self.pages.setCurrentWidget(self.hint)

    def refresh(self, result=None) -> None:
        """The circuit changed: show its new numbers, keeping what the user is typing."""
        if self.gate_id is not None and (
            self._shown is not self.document.circuit or self.gate_id not in self.document.circuit
        ):
            self.follow_selection()
            return
        if self.gate_id is not None:
            self._fill(force=False)

    def focus_label(self) -> None:
        """Put the cursor in the name field (a double-click on a gate asks for this)."""
        if self.gate_id is not None:
            self.label_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            self.label_edit.selectAll()

    # ------------------------------------------------------------ showing one gate
    def _fill(self, force: bool) -> None:
        c = self.document.circuit
        g = c.gate(self.gate_id)
        s = g.spec
        theme = self.scene.theme
        for msg in (self.label_msg, self.param_msg, self.value_msg, self.problem):
            msg.set_theme(theme)
        e = html.escape
        head = f"<b>{e(s.name)}</b>"
        if g.symbol and g.symbol != s.name:
            head += f" &nbsp;<code>{e(g.symbol)}</code>"
        lines = [head, e(s.doc)]
        if s.formula:
            lines.append(f"<i>{e(s.formula)}</i>")
        self.kind.setText("<br>".join(lines))
        sync_text(self.label_edit, g.label, force)
        # a gate without a label goes by the name made from its id: shown, greyed, until typed
        self.label_edit.setPlaceholderText(
            generated_name(g.id, g.kind) if g.kind != "input" else ""
        )
        has_c = "c" in s.params
        self.form.setRowVisible(self.param_edit, has_c)
        if has_c:
            sync_text(self.param_edit, full(g.c), force)
        leaf = s.is_leaf
        self.form.setRowVisible(self.value_edit, leaf)
        self.form.setRowVisible(self.scrub, leaf)
        if leaf:
            sync_text(self.value_edit, full(g.value), force)
        self._numbers(g)

    def _numbers(self, g) -> None:
        r = self.document.result
        c = self.document.circuit
        if r is None or g.id not in r.plan.slot:
            self.value_label.setText("")
            self.grad_label.setText("")
            self.local_label.setText("")
            self.local_doc.setText("")
            self.problem.clear_text()
            return
        missing = g.id in r.incomplete
        value = r.value_by_id[g.id]
        self.value_label.setText(f"not computed yet: {r.problem}" if missing else full(value))
        target = c.gate(r.target_id).name if r.has_gradients else "f"
        self.grad_title.setText(f"Gradient \u2202{target}/\u2202{g.name}")
        relevant = r.has_gradients and r.plan.slot[g.id] in r.plan.relevant
        if not r.has_gradients:
            why = r.problem or "the circuit is not finished"
            self.grad_label.setText(f"no gradients yet: {why}")
        elif not relevant:
            self.grad_label.setText(f"0.0 (not on any path to {target})")
        else:
            self.grad_label.setText(full(r.grad_by_id[g.id]))
        self._local(g, r, target, missing, relevant)
        self._problems(g, r, missing)

    def _local(self, g, r, target: str, missing: bool, relevant: bool) -> None:
        s = g.spec
        if s.is_leaf:
            self.local_label.setText("")
            self.local_doc.setText("")
            self.form.setRowVisible(self.local_label, False)
            self.form.setRowVisible(self.local_doc, False)
            return
        self.form.setRowVisible(self.local_label, True)
        self.form.setRowVisible(self.local_doc, True)
        self.local_doc.setText(s.local_doc)
        c, e = self.document.circuit, html.escape
        name = e(g.name)
        rows = ["<b>Local gradients</b>"]
        if missing:
            rows.append("not computed yet: an input has no value")
            self.local_label.setText("<br>".join(rows))
            return
        local = r.local_grads(g.id)  # IEEE numbers: 1/0 is inf, never an exception
        grad_color = readable(self.scene.theme, "grad", self).name()
        upstream = r.grad_by_id[g.id] if relevant else None
        if upstream is not None:
            rows.append(
                f"upstream \u2202{e(target)}/\u2202{name} = "
                f"<span style='color:{grad_color}'>{full(upstream)}</span>"
            )
        for port, x in enumerate(local):
            wire = c.wire_into(g.id, port)
            src = e(c.gate(wire.source).name) if wire is not None else f"input {port + 1}"
            row = f"\u2202{name}/\u2202{src} = {full(x)}"
            if upstream is not None and wire is not None:
                down = r.wire_grads.get(wire)
                row += (
                    f"<br>&nbsp;&nbsp;\u2192 {src} gets {full(upstream)} \u00d7 {full(x)} = "
                    f"<span style='color:{grad_color}'>{full(down)}</span>"
                )
            rows.append(row)
        if upstream is not None:
            rows.append("<small>upstream \u00d7 local = downstream</small>")
        self.local_label.setText("<br>".join(rows))

    def _problems(self, g: Gate, r: Result, missing: bool) -> None:
        p = None if missing else r.problem_of(g.id)
        if p is None:
            self.problem.clear_text()
        else:
            self.problem.show_text(describe(p, on_gate=g.name), p.kind.severity)

    # ------------------------------------------------------------ edits
    def _push(self, command) -> str:
        """Push ``command``; the refusal's reason, or "" when the circuit took it."""
        return self.document.push(command).reason

    def _commit_all(self) -> None:
        for edit, commit in (
            (self.label_edit, self._commit_label),
            (self.param_edit, self._commit_param),
            (self.value_edit, self._commit_value),
        ):
            if edit.isModified() and not edit.isHidden():
                commit()

    def _commit_label(self) -> None:
        edit = self.label_edit
        if self.gate_id is None or not edit.isModified():
            return
        gate = self.document.circuit.gate(self.gate_id)
        text = edit.text().strip()
        if text == gate.label:
            sync_text(edit, gate.label, force=True)
            return
        reason = self._push(cmd.SetLabel(self.gate_id, text))
        gate = self.document.circuit.gate(self.gate_id)
        sync_text(edit, gate.label, force=True)  # refused: the old name comes back
        self.label_msg.show_text(reason)

    def _commit_param(self) -> None:
        edit = self.param_edit
        if self.gate_id is None or not edit.isModified():
            return
        try:
            x = parse_number(edit.text())
        except ValueError as e:
            self.param_msg.show_text(str(e))
            return
        if x != self.document.circuit.gate(self.gate_id).c:
            self.param_msg.show_text(self._push(cmd.SetParams(self.gate_id, {"c": x})))
        sync_text(edit, full(self.document.circuit.gate(self.gate_id).c), force=True)

    def _commit_value(self) -> None:
        edit = self.value_edit
        if self.gate_id is None or not edit.isModified():
            return
        try:
            x = parse_number(edit.text())
        except ValueError as e:
            self.value_msg.show_text(str(e))
            return
        if x != self.document.circuit.gate(self.gate_id).value:
            # wrapped, so it is an undo step of its own (a bare SetValue would merge with the
            # value edit before it)
            reason = self._push(cmd.Macro("change value", [cmd.SetValue(self.gate_id, x)]))
            self.value_msg.show_text(reason)
        sync_text(edit, full(self.document.circuit.gate(self.gate_id).value), force=True)

    def _scrub_start(self) -> None:
        self._gesture += 1
        if self.gate_id is not None:
            self._scrub_base = self.document.circuit.gate(self.gate_id).value

    def _scrub_to(self, ticks: int) -> None:
        if self.gate_id is None:
            return
        base = self._scrub_base
        self._set_scrubbed(_tidy(base + ticks * scrub_step(base)))

    def _nudge(self, ticks: int) -> None:
        if self.gate_id is None:
            return
        value = self.document.circuit.gate(self.gate_id).value
        self._set_scrubbed(_tidy(value + ticks * scrub_step(value)))

    def _set_scrubbed(self, x: float) -> None:
        gid = self.gate_id
        if gid is None:
            return
        if math.isfinite(x) and x != self.document.circuit.gate(gid).value:
            self.value_msg.show_text(self._push(ScrubValue(gid, x, gesture=self._gesture)))
            sync_text(
                self.value_edit,
                full(self.document.circuit.gate(gid).value),
                force=not self.value_edit.hasFocus(),
            )
