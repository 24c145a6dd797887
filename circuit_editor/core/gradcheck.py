"""Checking the engine's gradients against central differences."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .circuit import Circuit
from .engine import evaluate


@dataclass(frozen=True)
class Check:
    name: str
    analytic: float
    numeric: float
    error: float  # relative error, |a - n| / max(1, |a|, |n|)
    kink: bool  # the point is non-differentiable for some gate: a mismatch is expected


@dataclass(frozen=True)
class GradCheck:
    checks: tuple[Check, ...]
    tolerance: float

    @property
    def max_error(self) -> float:
        return max((c.error for c in self.checks if not c.kink), default=0.0)

    @property
    def ok(self) -> bool:
        return all(c.error <= self.tolerance for c in self.checks if not c.kink)

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        rows = [f"{'input':>10} {'backprop':>14} {'numeric':>14} {'rel. error':>10}"]
        for c in self.checks:
            note = "  (at a kink)" if c.kink else ""
            rows.append(
                f"{c.name:>10} {c.analytic:>14.8g} {c.numeric:>14.8g} {c.error:>10.2e}{note}"
            )
        return "\n".join(rows)


def gradcheck(
    circuit: Circuit,
    inputs: Mapping[str, float] | None = None,
    *,
    target: str | None = None,
    tie: str | None = None,
    step: float = 1e-6,
    tolerance: float = 1e-5,
) -> GradCheck:
    """Compare d target / d input from backprop with central differences, for every input.

    The step is relative to each input's size. Inputs where some gate sits at a kink (a max tie,
    relu or abs at 0) are marked: there backprop follows the tie policy and differences cannot
    agree with it."""
    base = {**circuit.input_values(), **(inputs or {})}
    r = evaluate(circuit, base, target=target, tie=tie)
    kink = bool(r.kinks)
    checks = []
    for name, x in base.items():
        h = step * max(1.0, abs(float(x)))
        up = evaluate(circuit, {**base, name: x + h}, target=target, tie=tie)
        down = evaluate(circuit, {**base, name: x - h}, target=target, tie=tie)
        t = r.plan.target  # the same plan, cached, for all three
        numeric = (float(up.values_by_slot[t]) - float(down.values_by_slot[t])) / (2 * h)
        # the very input that was moved, by slot: never a gate that only shares its name
        analytic = float(r.grads_by_slot[r.plan.input_slot[name]])
        scale = max(1.0, abs(analytic), abs(numeric))
        near_kink = kink or bool(up.kinks) or bool(down.kinks) or set(up.kinks) != set(down.kinks)
        checks.append(Check(name, analytic, numeric, abs(analytic - numeric) / scale, near_kink))
    return GradCheck(tuple(checks), tolerance)
