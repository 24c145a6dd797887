"""The trace: the ordered steps of both passes, and forward-mode tangents.

A step is one gate (never an input or constant) in one pass, so a circuit of n gates has n
forward steps, in topological order, then n backward steps, in reverse. The animation, the
explanation panel, the step deck and code export all read this one list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .circuit import Wire
from .interp import GATE_FNS
from .numerics import Number, as_ieee, as_number, plain_then_ieee

if TYPE_CHECKING:  # the result builds its trace: this module only reads one
    from .result import Result


@dataclass(frozen=True)
class Step:
    index: int
    direction: str  # "forward" or "backward"
    gate: str  # gate id
    kind: str
    wires: tuple[Wire, ...]  # the wires into the gate, in port order
    inputs: tuple[Number, ...]  # the values on those wires
    output: Number  # the gate's value
    local: tuple[Number, ...]  # d output / d input, per port
    upstream: Number | None = None  # backward: d target / d gate
    downstream: tuple[Number, ...] = ()  # backward: upstream * local, sent down each wire
    totals: tuple[Number, ...] = ()  # backward: each source's gradient so far, after this step

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(w.source for w in self.wires)


def build_trace(result: Result) -> list[Step]:
    with np.errstate(all="ignore"):  # inf + -inf is nan here, as in the engine
        return _build_trace(result)


def _build_trace(result: Result) -> list[Step]:
    plan, circuit = result.plan, result.circuit
    shape = result.shape
    fwd: list[Step] = []
    for _op, o, _a, _b in plan.forward:
        gid = plan.order[o]
        wires = tuple(circuit.wires_into(gid))
        fwd.append(
            Step(
                len(fwd),
                "forward",
                gid,
                circuit.gate(gid).kind,
                wires,
                tuple(result.value_by_id[w.source] for w in wires),
                result.value_by_id[gid],
                result.local_grads(gid),
            )
        )
    running: dict[str, Number] = {}
    target = plan.order[plan.target]
    running[target] = _zero(shape) + 1.0
    bwd: list[Step] = []
    for step in reversed(fwd):
        gid = step.gate
        relevant = plan.slot[gid] in plan.relevant
        upstream = running.get(gid, _zero(shape)) if relevant else _zero(shape)
        with np.errstate(all="ignore"):
            down = tuple((upstream * loc) if relevant else _zero(shape) for loc in step.local)
        totals = []
        for w, share in zip(step.wires, down):
            if relevant:
                running[w.source] = running.get(w.source, _zero(shape)) + share
            totals.append(running.get(w.source, _zero(shape)))
        bwd.append(
            Step(
                len(fwd) + len(bwd),
                "backward",
                gid,
                step.kind,
                step.wires,
                step.inputs,
                step.output,
                step.local,
                upstream,
                down,
                tuple(totals),
            )
        )
    return fwd + bwd


def _zero(shape: tuple[int, ...]) -> Number:
    return np.zeros(shape) if shape else 0.0


def tangents(result: Result, wrt_slot: int) -> list[Number]:
    """d gate / d (the gate at ``wrt_slot``) for every gate, by pushing a tangent forward.

    Always in numpy's arithmetic, so that one point agrees bit for bit with a batch."""
    return plain_then_ieee(plain=None, ieee=lambda: _push_tangent(result, wrt_slot))


def _push_tangent(result: Result, wrt_slot: int) -> list[Number]:
    plan, circuit = result.plan, result.circuit
    v = result.values_by_slot
    t: list[Number | None] = [None] * len(v)  # None: does not depend on the chosen gate
    t[wrt_slot] = 1.0
    for _op, o, _a, _b in plan.forward:
        ins = plan.sources[o]
        if all(t[s] is None for s in ins):
            continue
        g = circuit.gate(plan.order[o])
        xs = tuple(as_ieee(v[s]) for s in ins) + (None,)
        loc = GATE_FNS[g.kind].local[plan.tie](xs[0], xs[1], as_ieee(v[o]), g.c)
        t[o] = sum(d * ts for s, d in zip(ins, loc) if (ts := t[s]) is not None)
    return [as_number(0.0 if x is None else x, result.shape) for x in t]
