"""Compile a circuit into a plan, then run forward and backward passes over it.

A plan is made once per structural change (and per target and tie policy) and kept in the
circuit's cache; changing only input values re-runs the same plan. The passes run over
integer-indexed instructions with plain floats; where plain floats raise (1/0, exp(1000),
log(-1)) or produce non-finite values, the pass is re-run with numpy's IEEE arithmetic, so the
common case pays nothing for the rare one. Inputs given as arrays evaluate a whole batch at once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from . import interp
from .circuit import Circuit
from .errors import CircuitError, NumberError, SettingError, UnknownGateError
from .gates import GATES, TIES
from .numerics import FloatArray, NotFinite, Number, plain_then_ieee
from .plan import Instruction, Plan
from .result import Result

Inputs = Mapping[str, npt.ArrayLike]
"""Input name -> a number, or an array of numbers (a batch)."""


def compile_circuit(
    circuit: Circuit, target: str | None = None, tie: str | None = None, partial: bool = False
) -> Plan:
    """The plan for ``circuit`` (cached until its structure changes).

    A circuit still being built (an empty port, no clear output) is an error, unless
    ``partial``: then the gates that can be computed are, the rest are listed as incomplete,
    and gradients are left out (``target`` -1) while the target has no value."""
    tie = tie or circuit.settings.tie
    if tie not in TIES:
        raise SettingError(f"the tie policy must be one of {', '.join(TIES)}, not {tie!r}")
    key = ("plan", target, tie, partial)
    cached = circuit.cache.get(key)
    if isinstance(cached, Plan):
        return cached
    plan = _make_plan(circuit, target, tie, partial)
    circuit.cache[key] = plan
    return plan


def _make_plan(circuit: Circuit, target: str | None, tie: str, partial: bool) -> Plan:
    order = circuit.topological_order()
    nodes = circuit.dicts().nodes
    slot = {gid: i for i, gid in enumerate(order)}
    code = _translate(circuit, order, slot, tie)
    problem = _unfinished(circuit, code.incomplete, partial)
    try:
        out = slot[circuit.resolve_output()]
        t = slot[circuit.find(target) if target is not None else circuit.resolve_target()]
    except CircuitError as e:
        if not partial:
            raise
        out = t = -1
        problem = problem or str(e)
    if t in code.incomplete:
        t = -1
    relevant = _ancestors(code.forward, code.sources, t) if t >= 0 else frozenset()
    backward = [ins for ins in reversed(code.forward) if ins[1] in relevant]
    return Plan(
        order=order,
        slot=slot,
        leaves=code.leaves,
        leaf_nodes=[(i, nodes[gid]) for i, gid in code.leaves],
        input_slot=code.inputs,
        forward=code.forward,
        backward=backward,
        sources=code.sources,
        output=out,
        target=t,
        relevant=relevant,
        tie=tie,
        incomplete=frozenset(code.incomplete),
        problem=problem,
        kink_slots=code.kink_slots,
        forward_order=interp.dispatch_order(code.forward),
        backward_order=interp.dispatch_order(backward),
    )


class _Code(NamedTuple):
    """The instructions for a circuit's gates, and what the plan keeps beside them."""

    forward: list[Instruction]
    sources: dict[int, tuple[int, ...]]
    leaves: list[tuple[int, str]]
    inputs: dict[str, int]
    incomplete: set[int]
    kink_slots: tuple[int, ...]


def _translate(circuit: Circuit, order: list[str], slot: dict[str, int], tie: str) -> _Code:
    """One instruction per operation gate whose inputs all have values, in topological order."""
    nodes, pred, _succ = circuit.dicts()  # plain dicts: compiling is on the editing hot path
    opcodes = interp.opcode_table(tie)
    sources: dict[int, tuple[int, ...]] = {}
    forward: list[Instruction] = []
    leaves: list[tuple[int, str]] = []
    inputs: dict[str, int] = {}
    incomplete: set[int] = set()
    for i, gid in enumerate(order):
        g = nodes[gid]["gate"]
        op = opcodes.get(g.kind)
        if op is None:  # an input or a constant
            leaves.append((i, gid))
            if g.kind == "input":
                inputs[g.label] = i
            continue
        ins = [0, 0]
        arity = 0
        for src, keys in pred[gid].items():
            for port in keys:
                ins[port] = slot[src]
                arity += 1
        sources[i] = tuple(ins[:arity])
        if arity != GATES[g.kind].arity or (incomplete and not incomplete.isdisjoint(ins[:arity])):
            incomplete.add(i)
            continue
        c = g.c  # a one-input gate with a constant carries it in place of a second input
        forward.append((op, i, ins[0], c if c is not None else ins[1]))
    kinky = {kind for kind, spec in GATES.items() if spec.kink}
    kink_slots = tuple(
        i for i in sources if i not in incomplete and nodes[order[i]]["gate"].kind in kinky
    )
    return _Code(forward, sources, leaves, inputs, incomplete, kink_slots)


def _unfinished(circuit: Circuit, incomplete: set[int], partial: bool) -> str:
    """Why some gates have no value ("" when all have one); an error unless ``partial``."""
    if not incomplete:
        return ""
    missing = circuit.missing_inputs()
    more = f" (and {len(missing) - 3} more)" if len(missing) > 3 else ""
    verb = "has" if len(missing) == 1 else "have"
    problem = f"the circuit is not finished: {', '.join(missing[:3])}{more} {verb} no wire"
    if not partial:
        raise CircuitError(problem)
    return problem


def _ancestors(
    forward: list[Instruction], sources: dict[int, tuple[int, ...]], t: int
) -> frozenset[int]:
    """Slots of the gate at ``t`` and of every gate it depends on (one sweep back through the
    topological order marks them all)."""
    seen = {t}
    for ins in reversed(forward):
        if ins[1] in seen:
            seen.update(sources[ins[1]])
    return frozenset(seen)


def _as_value(name: str, x: npt.ArrayLike) -> Number:
    if isinstance(x, (bool, np.bool_)) or x is None:
        raise NumberError(f"the value of {name} must be a number, not {x!r}")
    try:
        if isinstance(x, (int, float, np.integer, np.floating)):
            return float(x)
        arr = np.asarray(x, dtype=float)
    except OverflowError:
        raise NumberError(f"the value of {name} is too large for a number: {x!r:.40}") from None
    except (TypeError, ValueError):
        raise NumberError(
            f"the value of {name} must be a number or an array of numbers, not {x!r}"
        ) from None
    return float(arr) if arr.ndim == 0 else arr


def evaluate(
    circuit: Circuit,
    inputs: Inputs | None = None,
    *,
    target: str | None = None,
    tie: str | None = None,
    partial: bool = False,
) -> Result:
    """Forward and backward pass: the value of every gate and the gradient of the target
    (default: the output) with respect to every gate. ``inputs`` maps input names to numbers or
    arrays (an array means a batch); inputs not given take their stored values. With
    ``partial``, a circuit still being built gives what can be computed (the rest is nan)."""
    if inputs is not None and not isinstance(inputs, Mapping):
        raise NumberError(
            f"the inputs must map input names to values, such as {{'x': 1.0}}, not {inputs!r:.40}"
        )
    plan = compile_circuit(circuit, target, tie, partial)
    if plan.incomplete or plan.target < 0:
        return _evaluate_partial(circuit, plan, inputs)
    v, arrays = _start_values(circuit, plan, inputs)
    if not arrays:
        return Result(circuit, plan, *_point_passes(plan, v), ())
    shape = _batch_shape([x.shape for x in arrays.values()])
    # plain floats left among the arrays would raise on 1/0: make every value numpy's (the
    # passes write every gate's slot, so only the leaves need it)
    values: list[Number] = list(v)
    for i, _ in plan.leaves:
        values[i] = np.float64(v[i])
    for i, x in arrays.items():
        values[i] = x
    return Result(circuit, plan, *_batch_passes(plan, values), shape)


def _start_values(
    circuit: Circuit, plan: Plan, inputs: Inputs | None
) -> tuple[list[float], dict[int, FloatArray]]:
    """The numbers the passes start from: by slot, the stored values of inputs and constants,
    replaced by those ``inputs`` gives, and apart, by slot, those given as arrays (a batch)."""
    v = [0.0] * len(plan.order)
    for i, node in plan.leaf_nodes:
        stored = node["gate"].value
        if stored is not None:  # always, for an input or a constant
            v[i] = stored
    arrays: dict[int, FloatArray] = {}
    for name, x in (inputs or {}).items():
        at = plan.input_slot.get(name)
        if at is None:
            raise UnknownGateError(f"there is no input called {name!r}")
        value = _as_value(name, x)
        if isinstance(value, float):
            v[at] = value
        else:
            arrays[at] = value
    return v, arrays


def _batch_shape(shapes: list[tuple[int, ...]]) -> tuple[int, ...]:
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        raise NumberError(
            "the input arrays have shapes that do not fit together: "
            + ", ".join(str(s) for s in shapes)
        ) from None


def _point_passes(plan: Plan, v: list[float]) -> tuple[list[float], list[float]]:
    """Both passes at one point, from the values ``v`` starts with (filled in place): on plain
    floats, or, where they raise or give inf or nan, again in IEEE arithmetic."""
    forward, backward, t, n = plan.forward, plan.backward, plan.target, len(v)
    fo, bo = plan.forward_order, plan.backward_order

    def plain() -> tuple[list[float], list[float]]:
        interp.scalar_forward(v, forward, fo)
        if not math.isfinite(sum(v)):
            raise NotFinite
        g = [0.0] * n
        g[t] = 1.0
        interp.scalar_backward(v, g, backward, bo)
        return v, g

    def ieee() -> tuple[list[float], list[float]]:
        w: list[Number] = [np.float64(0.0)] * n
        for i, _ in plan.leaves:  # the passes write gates' slots only: the leaves are as given
            w[i] = np.float64(v[i])
        gw: list[Number] = [np.float64(0.0)] * n
        gw[t] = np.float64(1.0)
        interp.vector_forward(w, forward, fo)
        interp.vector_backward(w, gw, backward, bo)
        return [float(x) for x in w], [float(x) for x in gw]

    return plain_then_ieee(plain, ieee)


def _batch_passes(plan: Plan, v: list[Number]) -> tuple[list[Number], list[Number]]:
    """Both passes over a batch (numpy values only), filling ``v`` in place."""

    def ieee() -> tuple[list[Number], list[Number]]:
        g: list[Number] = [0.0] * len(v)
        g[plan.target] = 1.0
        interp.vector_forward(v, plan.forward, plan.forward_order)
        interp.vector_backward(v, g, plan.backward, plan.backward_order)
        return v, g

    return plain_then_ieee(plain=None, ieee=ieee)


def _evaluate_partial(circuit: Circuit, plan: Plan, inputs: Inputs | None) -> Result:
    """The numbers of a circuit being built: nan where a gate has no value yet, and no
    gradients (nan) while the target has none. Always on the numpy path; these are small."""
    nodes = circuit.dicts().nodes
    v: list[Number] = [np.float64(np.nan)] * len(plan.order)
    for i, gid in plan.leaves:
        v[i] = np.float64(nodes[gid]["gate"].value)
    for name, x in (inputs or {}).items():
        if name in plan.input_slot:
            v[plan.input_slot[name]] = np.float64(_as_value(name, x))
    g: list[Number] = [np.float64(np.nan if plan.target < 0 else 0.0)] * len(v)

    def ieee() -> tuple[list[Number], list[Number]]:
        interp.vector_forward(v, plan.forward, plan.forward_order)
        if plan.target >= 0:
            g[plan.target] = np.float64(1.0)
            interp.vector_backward(v, g, plan.backward, plan.backward_order)
        return v, g

    values, grads = plain_then_ieee(plain=None, ieee=ieee)
    return Result(circuit, plan, [float(x) for x in values], [float(x) for x in grads], ())
