"""The open document: a circuit, its undo stack, its file, and its latest numbers.

Every edit is a core command pushed here; after each step (do, undo or redo) the circuit is
re-evaluated at once and ``evaluated`` is emitted, so the numbers on screen are always those of
the circuit on screen. Refusals come back as ``refused(message)`` for the status bar.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..core import commands as cmd
from ..core.circuit import Circuit
from ..core.engine import evaluate
from ..core.result import Result
from ..core.reveal import NumberKey, RevealStage, RevealState


class UndoCommand(QUndoCommand):
    """A core command on the Qt undo stack."""

    MERGE_ID = 1

    def __init__(self, document: Document, command: cmd.Command):
        super().__init__(command.text)
        self.document = document
        self.command = command
        self._done = True  # pushed after it ran: the stack's first redo only refreshes

    def redo(self) -> None:
        if self._done:
            self._done = False
        else:
            self.command.redo(self.document.circuit)
        self.document.refresh()

    def undo(self) -> None:
        self.command.undo(self.document.circuit)
        self.document.refresh()

    def id(self) -> int:
        return self.MERGE_ID if isinstance(self.command, cmd.SetValue) else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        return isinstance(other, UndoCommand) and self.command.merge(other.command)


class Document(QObject):
    evaluated = Signal(object)  # the Result (partial while the circuit is unfinished)
    refused = Signal(str)  # an edit the circuit refused, with its reason
    pathChanged = Signal(object)
    replaced = Signal()  # a different circuit now (new, open, revert)
    revealChanged = Signal()  # the numbers shown to the class changed (see ``reveal``)

    def __init__(
        self,
        circuit: Circuit | None = None,
        path: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.circuit = circuit if circuit is not None else Circuit()
        self.path: Path | None = path
        self.undo_stack = QUndoStack(self)
        self.result: Result | None = None
        self.input_set: str | None = None  # the input set last applied (only this class sets it)
        # the stage the class is shown and the numbers hidden from it (lecture mode, a quiz)
        self.reveal = RevealState()
        self.replaced.connect(self._forget_hidden)
        self.refresh()

    # ------------------------------------------------------------ editing
    def push(self, command: cmd.Command) -> bool:
        """Run ``command`` as one undo step (none if it changed nothing). A refusal is
        reported, and changes nothing."""
        try:
            command.redo(self.circuit)
        except (ValueError, KeyError) as e:
            self.refused.emit(_sentence(e))
            self.refresh()
            return False
        if not command.empty:
            self.undo_stack.push(UndoCommand(self, command))
        return True

    # ------------------------------------------------------------ input sets
    def apply_input_set(self, name: str) -> bool:
        """Set the inputs to the named set's values (one undo step); it becomes the current
        input set, unless the circuit refused."""
        if not self.push(cmd.ApplyInputSet(name)):
            return False
        self.input_set = name
        return True

    def rename_input_set(self, old: str, new: str) -> bool:
        if not self.push(cmd.RenameInputSet(old, new)):
            return False
        if self.input_set == old:
            self.input_set = new
        return True

    def delete_input_set(self, name: str) -> bool:
        if not self.push(cmd.SetInputSet(name, None)):
            return False
        if self.input_set == name:
            self.input_set = None
        return True

    def refresh(self) -> None:
        self.result = evaluate(self.circuit, partial=True) if len(self.circuit) else None
        self.evaluated.emit(self.result)

    # ------------------------------------------------------------ whole documents
    def replace(self, circuit: Circuit, path: Path | None) -> None:
        self.circuit = circuit
        self.path = path
        self.input_set = next(iter(circuit.input_sets), None)
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.replaced.emit()
        self.pathChanged.emit(path)
        self.refresh()

    # ------------------------------------------------------------ what the class is shown
    def advance_reveal(self) -> RevealStage:
        """Show the next stage: structure only, forward values, gradients, and round again."""
        stage = self.reveal.advance()
        self.revealChanged.emit()
        return stage

    def toggle_hidden(self, key: NumberKey, *, gradient: bool) -> None:
        """Hide the value (or the gradient) at ``key`` from the class, or show it again."""
        self.reveal.toggle(key, gradient=gradient)
        self.revealChanged.emit()

    def reset_reveal(self) -> None:
        """Every number shown again."""
        self.reveal.reset()
        self.revealChanged.emit()

    def _forget_hidden(self) -> None:
        # another circuit: its numbers are other numbers (everything is redrawn on `replaced`)
        self.reveal.clear_hidden()

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def display_name(self) -> str:
        return self.path.name if self.path else "Untitled"


def _sentence(e: Exception) -> str:
    text = str(e.args[0]) if e.args else str(e)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
