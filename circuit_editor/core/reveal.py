"""What the canvas shows at each position of a step-through: Qt-free, so stepping back can
restore exactly what the screen showed, and tests can check it without a window.

Positions run from 0 (nothing computed: only the inputs' values) to 2n (both passes done):
position p shows the effect of the first p steps of the trace."""

from __future__ import annotations

from dataclasses import dataclass, field

from .circuit import Wire
from .trace import Step


@dataclass(frozen=True)
class StepView:
    values: frozenset[str]  # gates whose value is on their wires
    grads: frozenset[Wire]  # wires whose gradient has arrived
    totals: dict[str, float] = field(default_factory=dict)  # each source's gradient so far
    output_grad: bool = False  # the output stub's 1 (forward pass done)
    active: str | None = None  # the gate of the step just taken
    direction: str = ""  # that step's pass


def step_view(circuit, steps: list[Step], position: int) -> StepView:
    n = len(steps) // 2
    position = max(0, min(position, len(steps)))
    values = {g.id for g in circuit.gates if g.spec.is_leaf}
    values.update(s.gate for s in steps[: min(position, n)])
    grads: set[Wire] = set()
    totals: dict[str, float] = {}
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
