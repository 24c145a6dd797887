"""What the canvas shows of the numbers, Qt-free (the lecture mode and a quiz use it, and tests
check it without a window).

A step-through: positions run from 0 (nothing computed: only the inputs' values) to 2n (both
passes done); position p shows the effect of the first p steps of the trace, so stepping back
restores exactly what the screen showed.

A reveal: the lecturer shows the circuit in stages (:class:`RevealStage`) and hides single numbers
to ask the class what goes there (:class:`RevealState`, keyed by :data:`NumberKey`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TypeAlias

from .circuit import Circuit, Wire
from .numerics import Number
from .trace import Step


class RevealStage(IntEnum):
    """How much of the numbers the canvas shows; each stage shows all the ones before it."""

    STRUCTURE = 0  # the circuit only
    VALUES = 1  # + the forward values
    GRADIENTS = 2  # + the gradients

    @property
    def title(self) -> str:
        return _STAGE_TITLES[self]

    @property
    def shows_values(self) -> bool:
        return self >= RevealStage.VALUES

    @property
    def shows_gradients(self) -> bool:
        return self >= RevealStage.GRADIENTS

    def next(self) -> RevealStage:
        """The stage after this one; after the gradients, the structure again."""
        return RevealStage((self + 1) % len(RevealStage))


_STAGE_TITLES = {
    RevealStage.STRUCTURE: "Structure only",
    RevealStage.VALUES: "Forward values",
    RevealStage.GRADIENTS: "Values and gradients",
}


@dataclass(frozen=True)
class WireNumber:
    """The numbers written on one wire."""

    wire: Wire


@dataclass(frozen=True)
class JunctionNumber:
    """The numbers on a fan-out's trunk: its source's value and its summed gradient."""

    source: str


@dataclass(frozen=True)
class OutputNumber:
    """The numbers on the output's own short wire (its value, and the gradient 1)."""


# which pair of numbers on the screen
NumberKey: TypeAlias = WireNumber | JunctionNumber | OutputNumber


@dataclass
class RevealState:
    """The stage shown, and the numbers hidden by a click (a value and a gradient apart)."""

    stage: RevealStage = RevealStage.GRADIENTS
    hidden_values: set[NumberKey] = field(default_factory=set)
    hidden_grads: set[NumberKey] = field(default_factory=set)

    def advance(self) -> RevealStage:
        self.stage = self.stage.next()
        return self.stage

    def toggle(self, key: NumberKey, *, gradient: bool) -> None:
        """Hide the value (or the gradient) at ``key``, or show it again."""
        hidden = self.hidden_grads if gradient else self.hidden_values
        hidden.symmetric_difference_update({key})

    def is_hidden(self, key: NumberKey, *, gradient: bool) -> bool:
        return key in (self.hidden_grads if gradient else self.hidden_values)

    def clear_hidden(self) -> None:
        """Every hidden number shown again (the stage stays)."""
        self.hidden_values.clear()
        self.hidden_grads.clear()

    def reset(self) -> None:
        """Everything shown again."""
        self.stage = RevealStage.GRADIENTS
        self.clear_hidden()


def step_title(position: int | None, count: int) -> str:
    """Where a step-through of ``count`` steps (both passes) stands: "Forward 2 of 4",
    "Backward 3 of 4"; empty when not stepping."""
    if position is None or count <= 0:
        return ""
    half = count // 2
    if position == 0:
        return f"Start: 0 of {count} steps"
    if position <= half:
        return f"Forward {position} of {half}"
    return f"Backward {position - half} of {half}"


@dataclass(frozen=True)
class StepView:
    values: frozenset[str]  # gates whose value is on their wires
    grads: frozenset[Wire]  # wires whose gradient has arrived
    totals: dict[str, Number] = field(default_factory=dict)  # each source's gradient so far
    output_grad: bool = False  # the output stub's 1 (forward pass done)
    active: str | None = None  # the gate of the step just taken
    direction: str = ""  # that step's pass


def step_view(circuit: Circuit, steps: Sequence[Step], position: int) -> StepView:
    n = len(steps) // 2
    position = max(0, min(position, len(steps)))
    values = {g.id for g in circuit.gates if g.spec.is_leaf}
    values.update(s.gate for s in steps[: min(position, n)])
    grads: set[Wire] = set()
    totals: dict[str, Number] = {}
    for s in steps[n:position]:
        grads.update(s.wires)
        for w, total in zip(s.wires, s.totals):
            totals[w.source] = total
    last = steps[position - 1] if position else None
    return StepView(
        frozenset(values),
        frozenset(grads),
        totals,
        position >= n,
        last.gate if last else None,
        last.direction if last else "",
    )
