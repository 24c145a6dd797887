"""What can be wrong with a result's numbers, as values, and the one place they become words.

A result finds its problems (:attr:`Result.problems`); every view (gate tooltips, the inspector,
the command line's notes) turns them into sentences with :func:`describe`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

from .gates import GATES
from .numerics import Number


class ProblemKind(str, Enum):
    PRODUCED_NONFINITE = "produced-nonfinite"  # finite inputs, inf or nan out: 1/0, exp(1000)
    KINK = "kink"  # at a point with no derivative: a max tie, relu or abs at 0
    INHERITED_NONFINITE = "inherited-nonfinite"  # inf or nan because a gate before it gives one

    @property
    def severity(self) -> str:
        """ "kink": the numbers are right and the gradient follows a convention; "warn": a
        number is inf or nan."""
        return "kink" if self is ProblemKind.KINK else "warn"


@dataclass(frozen=True)
class Problem:
    gate: str  # gate id
    kind: ProblemKind
    name: str  # how results refer to the gate: its label, or its id
    gate_kind: str  # the gate's kind in the registry ("div", "max", ...)
    value: Number  # the gate's value at this point (or at each point of a batch)


def describe(problem: Problem, *, on_gate: str | None = None) -> str:
    """The problem in one plain sentence.

    A sentence that stands on its own (a list of notes) names the gate and its kind. A view that
    shows it on the gate itself (the gate's tooltip, the inspector) passes ``on_gate``: the name
    the view calls the gate by; there a kink is simply "here"."""
    spec = GATES[problem.gate_kind]
    who = on_gate if on_gate is not None else f"{problem.name} ({spec.name})"
    if problem.kind is ProblemKind.PRODUCED_NONFINITE:
        value = _nonfinite_text(problem.value)
        return f"{who} gives {value} from finite inputs: {spec.why_nonfinite}"
    if problem.kind is ProblemKind.KINK:
        if on_gate is not None:
            return f"Not differentiable here: {spec.kink_doc}."
        return f"{who} is at {spec.kink_doc}"
    because = "because a gate before it gives inf or nan."
    if on_gate is not None:
        return f"Its value or gradient is not a finite number, {because}"
    return f"{who} has a value or gradient that is not a finite number, {because}"


def _nonfinite_text(x: Number) -> str:
    """A non-finite value in words: inf, -inf, nan, or, in a batch, that some points have one."""
    if np.ndim(x):
        return "a non-finite value at some points"
    if np.isnan(x):
        return "nan"
    return "inf" if x > 0 else "-inf"
