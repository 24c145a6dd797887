"""The trace: the ordered steps of both passes, and forward-mode tangents.

A step is one gate (never an input or constant) in one pass, so a circuit of n gates has n
forward steps, in topological order, then n backward steps, in reverse. The animation, the
explanation panel, the step deck and code export all read this one list.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
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
    with np.errstate(all="ignore"), _collector_paused():  # inf + -inf is nan, as in the engine
        return _build_trace(result)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the steps are made: they hold no cycles, and made by
    the hundred thousand they would set it sweeping the whole heap again and again."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _build_trace(result: Result) -> list[Step]:
    plan = result.plan
    order, sources, nodes = plan.order, plan.sources, result.circuit.dicts().nodes
    at = result.value_by_id.at  # by slot, each number in the batch's shape
    fwd: list[Step] = []
    for _op, o, _a, _b in plan.forward:
        gid = order[o]
        ins = sources[o]
        fwd.append(
            Step(
                len(fwd),
                "forward",
                gid,
                nodes[gid]["gate"].kind,
                tuple(Wire(order[s], gid, port) for port, s in enumerate(ins)),
                tuple(at(s) for s in ins),
                at(o),
                result.local_grads(gid),
            )
        )
    return fwd + _backward_steps(result, fwd)


def _backward_steps(result: Result, fwd: list[Step]) -> list[Step]:
    """The backward steps, in reverse order of ``fwd``: each gate's upstream gradient, what it
    sends down each wire, and each source's gradient so far (by slot; None: none yet)."""
    plan, shape = result.plan, result.shape
    relevant, sources = plan.relevant, plan.sources
    zero = _zero if shape else lambda _shape: 0.0  # a batch's zeros: never one array shared
    running: list[Number | None] = [None] * len(plan.order)
    running[plan.target] = zero(shape) + 1.0
    bwd: list[Step] = []
    for step, (_op, here, _a, _b) in zip(reversed(fwd), reversed(plan.forward)):
        ins = sources[here]
        if here in relevant:
            up = running[here]
            upstream = zero(shape) if up is None else up
            down = tuple(upstream * loc for loc in step.local)
            for s, share in zip(ins, down):
                before = running[s]
                running[s] = (zero(shape) if before is None else before) + share
        else:
            upstream = zero(shape)
            down = tuple(zero(shape) for _ in step.local)
        totals = tuple(zero(shape) if (t := running[s]) is None else t for s in ins)
        bwd.append(
            Step(
                len(fwd) + len(bwd),
                "backward",
                step.gate,
                step.kind,
                step.wires,
                step.inputs,
                step.output,
                step.local,
                upstream,
                down,
                totals,
            )
        )
    return bwd


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
