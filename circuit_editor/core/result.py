"""What an evaluation gives back. The passes fill two lists; everything else (names, per-wire
gradients, local gradients, non-finite and kink reports, the trace, forward-mode derivatives)
is worked out from them on demand, so ``evaluate`` itself stays as fast as the loops."""

from __future__ import annotations

import math
from functools import cached_property

import numpy as np

from .circuit import Circuit, Wire
from .interp import GATE_FNS, SCALAR_FNS
from .numerics import ARITHMETIC_ERRORS, is_finite


class Result:
    def __init__(self, circuit: Circuit, plan, values: list, grads: list, shape: tuple):
        from .engine import Values

        self.circuit = circuit
        self.plan = plan
        self.shape = shape  # () for one point, the batch shape otherwise
        self._v, self._g = values, grads
        self.value = Values(plan.names, values, shape)  # name -> value
        self.grad = Values(plan.names, grads, shape)  # name -> d target / d name
        self.value_by_id = Values(plan.slot, values, shape)
        self.grad_by_id = Values(plan.slot, grads, shape)
        self.output_id = plan.order[plan.output] if plan.output >= 0 else None
        self.target_id = plan.order[plan.target] if plan.target >= 0 else None
        self.incomplete = {plan.order[i] for i in plan.incomplete}  # partial: no value yet
        self.problem = plan.problem  # partial: why some numbers are missing

    @property
    def has_gradients(self) -> bool:
        return self.target_id is not None

    @property
    def output(self):
        return self.value_by_id[self.output_id] if self.output_id is not None else float("nan")

    @property
    def tie(self) -> str:
        return self.plan.tie

    # ------------------------------------------------------------ local and per-wire gradients
    def _inputs_of(self, slot: int) -> tuple:
        return tuple(self._v[s] for s in self.plan.sources[slot])

    def _param(self, gid: str):
        return self.circuit.gate(gid).c

    def local_grads(self, gate_id: str) -> tuple:
        """d gate / d input, per input port, at this point."""
        i = self.plan.slot[gate_id]
        g = self.circuit.gate(gate_id)
        if g.spec.is_leaf:
            return ()
        xs = self._inputs_of(i) + (None,)
        c = self._param(gate_id)
        if not self.shape:
            try:  # plain floats first: the common, fast case
                return tuple(
                    float(x)
                    for x in SCALAR_FNS[g.kind].local[self.tie](xs[0], xs[1], self._v[i], c)
                )
            except ARITHMETIC_ERRORS:
                pass
        xs = tuple(_ieee(x) for x in xs[:-1]) + (None,)
        with np.errstate(all="ignore"):  # numpy scalars: 1/0 is inf, never an exception
            loc = GATE_FNS[g.kind].local[self.tie](xs[0], xs[1], _ieee(self._v[i]), c)
        return tuple(_number(x, self.shape) for x in loc)

    @cached_property
    def wire_grads(self) -> dict[Wire, object]:
        """The gradient each wire carries back: its target's gradient times the target's local
        gradient for that port. At a fan-out the branches' shares add up to the source's."""
        out = {}
        local: dict[str, tuple] = {}
        relevant, slot = self.plan.relevant, self.plan.slot
        for u, v, port in self.circuit.graph.edges(keys=True):
            t = slot[v]
            if t in relevant:
                if v not in local:
                    local[v] = self.local_grads(v)
                g, loc = self._g[t], local[v][port]
                if self.shape:
                    with np.errstate(all="ignore"):
                        share = _number(g * loc, self.shape)
                else:
                    share = g * loc  # plain floats multiply to inf or nan, never raise
            else:
                share = _number(0.0, self.shape)
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
            if not (is_finite(self._v[i]) and is_finite(self._g[i]))
        ]

    @cached_property
    def all_finite(self) -> bool:
        """No inf or nan anywhere (one sum of each list tells, in the usual case)."""
        if self.shape:
            return all(is_finite(x) for x in self._v) and all(is_finite(x) for x in self._g)
        return (math.isfinite(sum(self._v)) and math.isfinite(sum(self._g))) or (
            all(math.isfinite(x) for x in self._v) and all(math.isfinite(x) for x in self._g)
        )

    @cached_property
    def produced_nonfinite(self) -> list[str]:
        """Ids of gates that turned finite inputs into a non-finite value (1/0, exp(1000))."""
        if self.all_finite:
            return []
        out = []
        for i, gid in enumerate(self.plan.order):
            if i not in self.plan.sources or is_finite(self._v[i]):
                continue
            if self.shape:  # a batch: at some point, from inputs finite at that point
                fresh = ~np.isfinite(self._v[i])
                for x in self._inputs_of(i):
                    fresh = fresh & np.isfinite(x)
                if np.any(fresh):
                    out.append(gid)
            elif all(is_finite(x) for x in self._inputs_of(i)):
                out.append(gid)
        return out

    @cached_property
    def kinks(self) -> list[str]:
        """Ids of gates sitting at a point where they have no derivative (a max or min tie,
        relu or abs at 0); there the gradient follows the tie policy or is taken as 0."""
        out = []
        order, nodes = self.plan.order, self.circuit.graph._node
        for i in self.plan.kink_slots:
            gid = order[i]
            g = nodes[gid]["gate"]
            fns = GATE_FNS[g.kind]
            xs = tuple(_ieee(x) for x in self._inputs_of(i)) + (None,)
            if np.any(fns.kink(xs[0], xs[1], g.c)):
                out.append(gid)
        return out

    def explain_problems(self) -> list[str]:
        """Plain sentences for the non-finite values and kinks, for messages and tooltips."""
        lines = []
        for gid in self.produced_nonfinite:
            g = self.circuit.gate(gid)
            value = self._fmt(self._v[self.plan.slot[gid]])
            lines.append(
                f"{g.name} ({g.spec.name}) gives {value} from finite inputs: {g.spec.why_nonfinite}"
            )
        for gid in self.kinks:
            g = self.circuit.gate(gid)
            lines.append(f"{g.name} ({g.spec.name}) is at {g.spec.kink_doc}")
        return lines

    @staticmethod
    def _fmt(x) -> str:
        if np.ndim(x):
            return "a non-finite value at some points"
        if np.isnan(x):
            return "nan"
        return "inf" if x > 0 else "-inf"

    # ------------------------------------------------------------ trace, forward mode
    def trace(self):
        """The ordered steps of both passes (see :mod:`.trace`)."""
        from .trace import build_trace

        return build_trace(self)

    def derivative_wrt(self, name: str):
        """Forward mode: d gate / d ``name`` for every gate, as a name -> value mapping."""
        from .engine import Values
        from .trace import tangents

        slot = self.plan.input_slot.get(name)
        if slot is None:
            slot = self.plan.slot.get(self.circuit.find(name))
        return Values(self.plan.names, tangents(self, slot), self.shape)


def _ieee(x):
    """Plain floats raise on 1/0; numpy's float64 gives inf, as the engine does."""
    return np.float64(x) if isinstance(x, float) else x


def _number(x, shape):
    if shape:
        return np.broadcast_to(np.asarray(x, dtype=float), shape).copy()
    return float(x)
