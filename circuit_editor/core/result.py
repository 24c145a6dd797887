"""What an evaluation gives back. The passes fill two lists; everything else (names, per-wire
gradients, local gradients, non-finite and kink reports, the trace, forward-mode derivatives)
is worked out from them on demand, so ``evaluate`` itself stays as fast as the loops."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cached_property

import numpy as np

from .circuit import Circuit, Gate, Wire
from .interp import GATE_FNS, SCALAR_FNS
from .numerics import Number, as_ieee, as_number, is_finite, plain_then_ieee
from .plan import Plan
from .problems import Problem, ProblemKind, describe
from .trace import Step, build_trace, tangents
from .values import Values


class Result:
    def __init__(
        self,
        circuit: Circuit,
        plan: Plan,
        values: Sequence[Number],
        grads: Sequence[Number],
        shape: tuple[int, ...],
    ):
        self.circuit = circuit
        self.plan = plan
        self.shape = shape  # () for one point, the batch shape otherwise
        self._values: tuple[Number, ...] = tuple(values)  # by slot; a tuple: read-only
        self._grads: tuple[Number, ...] = tuple(grads)
        self.value_by_id = Values(plan.slot, self._values, shape)
        self.grad_by_id = Values(plan.slot, self._grads, shape)
        self.output_id = plan.order[plan.output] if plan.output >= 0 else None
        self.target_id = plan.order[plan.target] if plan.target >= 0 else None
        self.incomplete = {plan.order[i] for i in plan.incomplete}  # partial: no value yet
        self.problem = plan.problem  # partial: why some numbers are missing

    @cached_property
    def value(self) -> Values:
        """Display name (or gate id) -> value; listed by display name, in slot order."""
        return Values(self._name_slots, self._values, self.shape, self.plan.slot)

    @cached_property
    def grad(self) -> Values:
        """Display name (or gate id) -> d target / d gate, like :attr:`value`."""
        return Values(self._name_slots, self._grads, self.shape, self.plan.slot)

    @cached_property
    def _name_slots(self) -> dict[str, int]:
        nodes = self.circuit.dicts().nodes
        return {nodes[gid]["gate"].name: i for i, gid in enumerate(self.plan.order)}

    def gate_id(self, name: str) -> str:
        """The id of the gate called ``name`` (its display name or its id)."""
        return self.circuit.find(name)

    @property
    def values_by_slot(self) -> Sequence[Number]:
        """Every gate's value by slot: ``values_by_slot[plan.slot[gate_id]]``. The result's own
        sequence, not a copy, and read-only: for loops over every gate that cannot afford a
        name lookup per gate. In a batch, a value that does not vary may be a single number."""
        return self._values

    @property
    def grads_by_slot(self) -> Sequence[Number]:
        """Every gate's d target / d gate by slot, like :attr:`values_by_slot`."""
        return self._grads

    @property
    def has_gradients(self) -> bool:
        return self.target_id is not None

    @property
    def output(self) -> Number:
        return self.value_by_id[self.output_id] if self.output_id is not None else float("nan")

    @property
    def tie(self) -> str:
        return self.plan.tie

    # ------------------------------------------------------------ local and per-wire gradients
    def _inputs_of(self, slot: int) -> tuple[Number, ...]:
        return tuple(self._values[s] for s in self.plan.sources[slot])

    def local_grads(self, gate: str) -> tuple[Number, ...]:
        """d gate / d input, per input port, at this point (``gate``: its name or its id)."""
        gate_id = gate if gate in self.plan.slot else self.gate_id(gate)
        i = self.plan.slot[gate_id]
        g = self.circuit.gate(gate_id)
        if g.spec.is_leaf:
            return ()
        return plain_then_ieee(None if self.shape else self._plain_local, self._ieee_local, g, i)

    def _plain_local(self, g: Gate, i: int) -> tuple[Number, ...]:
        xs = self._inputs_of(i) + (None,)  # a one-input gate: None in the second place
        local = SCALAR_FNS[g.kind].local[self.plan.tie]
        return tuple(float(x) for x in local(xs[0], xs[1], self._values[i], g.c))

    def _ieee_local(self, g: Gate, i: int) -> tuple[Number, ...]:
        xs = tuple(as_ieee(x) for x in self._inputs_of(i)) + (None,)
        local = GATE_FNS[g.kind].local[self.plan.tie]
        return tuple(
            as_number(x, self.shape) for x in local(xs[0], xs[1], as_ieee(self._values[i]), g.c)
        )

    @cached_property
    def wire_grads(self) -> dict[Wire, Number]:
        """The gradient each wire carries back: its target's gradient times the target's local
        gradient for that port. At a fan-out the branches' shares add up to the source's."""
        out: dict[Wire, Number] = {}
        local: dict[str, tuple[Number, ...]] = {}
        relevant, slot = self.plan.relevant, self.plan.slot
        for u, v, port in self.circuit.graph.edges(keys=True):
            t = slot[v]
            share: Number
            if t in relevant:
                if v not in local:
                    local[v] = self.local_grads(v)
                g, loc = self._grads[t], local[v][port]
                if self.shape:
                    with np.errstate(all="ignore"):
                        share = as_number(g * loc, self.shape)
                else:
                    share = g * loc  # plain floats multiply to inf or nan, never raise
            else:
                share = as_number(0.0, self.shape)
            out[Wire(u, v, port)] = share
        return out

    # ------------------------------------------------------------ reports
    @cached_property
    def nonfinite(self) -> list[str]:
        """Ids of gates whose value or gradient is inf or nan."""
        if self.all_finite:
            return []
        return [
            gid
            for i, gid in enumerate(self.plan.order)
            if not (is_finite(self._values[i]) and is_finite(self._grads[i]))
        ]

    @cached_property
    def all_finite(self) -> bool:
        """No inf or nan anywhere (one sum of each list tells, in the usual case)."""
        v, g = self._values, self._grads
        if self.shape:
            return all(is_finite(x) for x in v) and all(is_finite(x) for x in g)
        return (math.isfinite(sum(v)) and math.isfinite(sum(g))) or (
            all(is_finite(x) for x in v) and all(is_finite(x) for x in g)
        )

    @cached_property
    def produced_nonfinite(self) -> list[str]:
        """Ids of gates that turned finite inputs into a non-finite value (1/0, exp(1000))."""
        if self.all_finite:
            return []
        out = []
        for i, gid in enumerate(self.plan.order):
            x = self._values[i]
            if i not in self.plan.sources or is_finite(x):
                continue
            if self.shape:  # a batch: at some point, from inputs finite at that point
                fresh = ~np.isfinite(x)
                for y in self._inputs_of(i):
                    fresh = fresh & np.isfinite(y)
                if np.any(fresh):
                    out.append(gid)
            elif all(is_finite(y) for y in self._inputs_of(i)):
                out.append(gid)
        return out

    @cached_property
    def kinks(self) -> list[str]:
        """Ids of gates sitting at a point where they have no derivative (a max or min tie,
        relu or abs at 0); there the gradient follows the tie policy or is taken as 0."""
        out = []
        order, nodes = self.plan.order, self.circuit.dicts().nodes
        for i in self.plan.kink_slots:  # comparisons only: plain floats never raise here
            gid = order[i]
            g = nodes[gid]["gate"]
            at_kink = GATE_FNS[g.kind].kink
            xs = self._inputs_of(i) + (None,)
            if at_kink is not None and np.any(at_kink(xs[0], xs[1], g.c)):
                out.append(gid)
        return out

    @cached_property
    def problems(self) -> tuple[Problem, ...]:
        """What is wrong with the numbers: the gates that turned finite inputs into inf or nan,
        then the gates at a kink. :func:`.problems.describe` puts one in words."""
        return tuple(
            self._problem(gid, ProblemKind.PRODUCED_NONFINITE) for gid in self.produced_nonfinite
        ) + tuple(self._problem(gid, ProblemKind.KINK) for gid in self.kinks)

    @cached_property
    def problems_by_gate(self) -> dict[str, Problem]:
        """Gate id -> the gate's own problem (its first in :attr:`problems`)."""
        out: dict[str, Problem] = {}
        for p in self.problems:
            out.setdefault(p.gate, p)
        return out

    def problem_of(self, gate_id: str) -> Problem | None:
        """The gate's own problem; else, when its value or gradient is inf or nan because of a
        gate before it, that; None when its numbers are fine."""
        p = self.problems_by_gate.get(gate_id)
        if p is None and gate_id in self.nonfinite:
            p = self._problem(gate_id, ProblemKind.INHERITED_NONFINITE)
        return p

    def _problem(self, gate_id: str, kind: ProblemKind) -> Problem:
        g = self.circuit.gate(gate_id)
        return Problem(gate_id, kind, g.name, g.kind, self._values[self.plan.slot[gate_id]])

    def explain_problems(self) -> list[str]:
        """The problems in plain sentences, each naming its gate, for messages."""
        return [describe(p) for p in self.problems]

    # ------------------------------------------------------------ trace, forward mode
    def trace(self) -> list[Step]:
        """The ordered steps of both passes (see :mod:`.trace`)."""
        return build_trace(self)

    def derivative_wrt(self, name: str) -> Values:
        """Forward mode: d gate / d ``name`` for every gate, as a name -> value mapping."""
        slot = self.plan.input_slot.get(name)
        if slot is None:
            slot = self.plan.slot[self.gate_id(name)]
        return Values(self._name_slots, tangents(self, slot), self.shape, self.plan.slot)
