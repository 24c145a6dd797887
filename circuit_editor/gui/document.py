"""The open document: a circuit, its undo stack, its file, its latest numbers, and where a
step-through of its passes stands.

The document is the only writer of what belongs to it; every view redraws from its signals.
Every edit is a core command pushed here; after each step (do, undo or redo) the circuit is
re-evaluated at once and ``evaluated`` is emitted, so the numbers on screen are always those of
the circuit on screen. A refusal comes back from :meth:`Document.push` as an :class:`Outcome`
with its reason (and as ``refused(reason)`` for the status bar). Only the core's own errors
(:class:`CircuitError`, :class:`CodeError`) are refusals: anything else is a bug and propagates.

A step-through is a position in the trace of the current result: 0 (only the inputs) to 2n
(both passes), or None (not stepping: every number shown). Any new result (an edit, an undo,
another input set, another circuit) ends it, before anything of the new result is announced.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..core import commands as cmd
from ..core.circuit import Circuit
from ..core.engine import evaluate
from ..core.errors import CircuitError, CodeError
from ..core.explain import Explainer, Explanation
from ..core.result import Result
from ..core.reveal import NumberKey, RevealStage, RevealState, step_title
from ..core.trace import Step


@dataclass(frozen=True)
class Outcome:
    """What became of an edit: taken (true), or refused (false) with the reason, a sentence."""

    ok: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.ok


TAKEN = Outcome(True)


@dataclass(frozen=True)
class Trace:
    """The steps of both passes of one result, and their explanations."""

    steps: list[Step]
    explainer: Explainer

    @property
    def count(self) -> int:
        return len(self.steps)


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
            with self.document.editing():
                self.command.redo(self.document.circuit)
        self.document.refresh()

    def undo(self) -> None:
        with self.document.editing():
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
    replaced = Signal()  # a different circuit now (new, open, revert), already evaluated
    positionChanged = Signal(int)  # the step-through's position, -1 when not stepping
    inputSetChanged = Signal(object)  # the current input set's name (None: none)
    revealChanged = Signal()  # the numbers shown to the class changed (see ``reveal``)
    # a command is changing the circuit (its events come in between): views may gather them
    editStarted = Signal()
    editFinished = Signal()

    def __init__(
        self,
        circuit: Circuit | None = None,
        path: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.circuit = circuit if circuit is not None else Circuit()
        self.path: Path | None = path
        self.is_example = False  # a bundled example, opened untitled
        self.undo_stack = QUndoStack(self)
        self.result: Result | None = None
        self._input_set: str | None = None  # the input set last applied
        self.position: int | None = None  # where the step-through stands (None: not stepping)
        self._trace: Trace | None = None  # built when first asked for, per result
        # the stage the class is shown and the numbers hidden from it (lecture mode, a quiz)
        self.reveal = RevealState()
        self.refresh()

    # ------------------------------------------------------------ editing
    def push(self, command: cmd.Command) -> Outcome:
        """Run ``command`` as one undo step (none if it changed nothing). A refusal changes
        nothing and comes back with its reason."""
        try:
            with self.editing():
                command.redo(self.circuit)
        except (CircuitError, CodeError) as e:
            reason = _sentence(e)
            self.refused.emit(reason)
            self.refresh()
            return Outcome(False, reason)
        if not command.empty:
            self.undo_stack.push(UndoCommand(self, command))
        return TAKEN

    @contextmanager
    def editing(self) -> Iterator[None]:
        """One step of a command (do, undo or redo) between ``editStarted`` and
        ``editFinished``, however it ends."""
        self.editStarted.emit()
        try:
            yield
        finally:
            self.editFinished.emit()

    # ------------------------------------------------------------ input sets
    @property
    def input_set(self) -> str | None:
        """The input set last applied (only the document sets it)."""
        return self._input_set

    def _set_input_set(self, name: str | None) -> None:
        if name != self._input_set:
            self._input_set = name
            self.inputSetChanged.emit(name)

    def apply_input_set(self, name: str) -> Outcome:
        """Set the inputs to the named set's values (one undo step); it becomes the current
        input set, unless the circuit refused."""
        outcome = self.push(cmd.ApplyInputSet(name))
        if outcome:
            self._set_input_set(name)
        return outcome

    def rename_input_set(self, old: str, new: str) -> Outcome:
        outcome = self.push(cmd.RenameInputSet(old, new))
        if outcome and self.input_set == old:
            self._set_input_set(new)
        return outcome

    def delete_input_set(self, name: str) -> Outcome:
        outcome = self.push(cmd.SetInputSet(name, None))
        if outcome and self.input_set == name:
            self._set_input_set(None)
        return outcome

    def refresh(self) -> None:
        """Evaluate the circuit as it now is, end any step-through, and announce the numbers."""
        self._evaluate()
        stepping = self.position is not None
        self.position = None
        self.evaluated.emit(self.result)
        if stepping:
            self.positionChanged.emit(-1)

    def _evaluate(self) -> None:
        self.result = evaluate(self.circuit, partial=True) if len(self.circuit) else None
        self._trace = None

    # ------------------------------------------------------------ stepping through
    @property
    def trace(self) -> Trace | None:
        """The steps of the current result, or None when it cannot be stepped through (an
        unfinished circuit, no gradients, arrays)."""
        r = self.result
        if r is None or r.incomplete or not r.has_gradients or r.shape:
            return None
        if self._trace is None:
            steps = r.trace()
            self._trace = Trace(steps, Explainer.of(r, steps))
        return self._trace

    def set_position(self, position: int | None) -> bool:
        """Step through to ``position`` (clamped to the trace), or stop stepping (None).
        False when the circuit cannot be stepped through."""
        trace = self.trace
        if position is not None:
            if trace is None:
                return False
            position = max(0, min(position, trace.count))
        if position != self.position:
            self.position = position
            self.positionChanged.emit(-1 if position is None else position)
        return True

    def step_title(self) -> str:
        """Where the step-through stands ("Backward 3 of 8"); empty when not stepping."""
        trace = self.trace if self.position is not None else None
        return step_title(self.position, trace.count if trace is not None else 0)

    def explanation(self) -> Explanation | None:
        """The step just taken in words (None at the start, or when not stepping)."""
        trace = self.trace
        if trace is None or not self.position:
            return None
        return trace.explainer.explain(self.position - 1)

    # ------------------------------------------------------------ whole documents
    def replace(self, circuit: Circuit, path: Path | None, *, example: bool = False) -> None:
        """Open another circuit: the step-through ends on the old one, then the new one is
        evaluated before anything about it is announced (no view sees a mixed state).
        ``example``: a bundled example, opened untitled (saving asks for a file)."""
        self.set_position(None)
        self.circuit = circuit
        self.path = path
        self.is_example = example and path is None
        self._input_set = next(iter(circuit.input_sets), None)  # announced by `replaced`
        self.reveal.clear_hidden()  # another circuit's numbers are other numbers
        self._evaluate()
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.replaced.emit()
        self.pathChanged.emit(path)
        self.evaluated.emit(self.result)

    def mark_saved(self, path: Path) -> None:
        """The circuit as it stands is now the file at ``path``."""
        self.undo_stack.setClean()
        self.is_example = False
        if path != self.path:
            self.path = path
            self.pathChanged.emit(path)

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

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def display_name(self) -> str:
        """How the title bar and the prompts name the document: a saved file by its file name;
        an unsaved circuit by its title (a bundled example says so), else "Untitled"."""
        if self.path is not None:
            return self.path.name
        title = self.circuit.settings.title.strip()
        if not title:
            return "Untitled"
        return f"{title} (example)" if self.is_example else title


def _sentence(e: Exception) -> str:
    text = str(e.args[0]) if e.args else str(e)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
