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
from dataclasses import dataclass

import numpy as np

from . import interp
from .circuit import Circuit
from .errors import CircuitError, UnknownGateError
from .gates import GATES, TIES
from .numerics import ARITHMETIC_ERRORS


@dataclass
class Plan:
    order: list[str]  # gate ids, topological
    slot: dict[str, int]  # gate id -> index into the value lists
    names: dict[str, int]  # label (last binding) or id -> index
    leaves: list[tuple[int, str]]  # (slot, gate id) of inputs and constants
    input_slot: dict[str, int]  # input name -> slot
    forward: list[tuple]  # (op, out, a, b or c), topological
    backward: list[tuple]  # reversed, only gates the target depends on
    sources: dict[int, tuple[int, ...]]  # slot -> slots feeding its ports, in port order
    output: int
    target: int
    relevant: frozenset[int]  # the target and every gate it depends on
    tie: str
    structure_version: int
    incomplete: frozenset[int] = frozenset()  # partial plans: gates with no value yet
    problem: str = ""  # partial plans: why some numbers are missing
    kink_slots: tuple[int, ...] = ()  # gates that can sit at a kink (max, min, relu, abs)


def compile_circuit(
    circuit: Circuit, target: str | None = None, tie: str | None = None, partial: bool = False
) -> Plan:
    """The plan for ``circuit`` (cached until its structure changes).

    A circuit still being built (an empty port, no clear output) is an error, unless
    ``partial``: then the gates that can be computed are, the rest are listed as incomplete,
    and gradients are left out (``target`` -1) while the target has no value."""
    tie = tie or circuit.settings.tie
    if tie not in TIES:
        raise ValueError(f"the tie policy must be one of {', '.join(TIES)}, not {tie!r}")
    key = ("plan", target, tie, partial)
    plan = circuit.cache.get(key)
    if plan is not None:
        return plan
    order = circuit.topological_order()
    slot = {gid: i for i, gid in enumerate(order)}
    nodes = circuit.graph._node  # plain dicts: compiling is on the editing hot path
    pred = circuit.graph._pred
    opcodes = interp.opcode_table(tie)
    sources: dict[int, tuple[int, ...]] = {}
    forward = []
    leaves = []
    names: dict[str, int] = {}
    inputs: dict[str, int] = {}
    incomplete: set[int] = set()
    for i, gid in enumerate(order):
        g = nodes[gid]["gate"]
        names[g.label or gid] = i
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
        forward.append((op, i, ins[0], g.c if g.params else ins[1]))
    problem = ""
    if incomplete:
        missing = circuit.missing_inputs()
        more = f" (and {len(missing) - 3} more)" if len(missing) > 3 else ""
        problem = "the circuit is not finished: " + ", ".join(missing[:3]) + more + " has no wire"
        if not partial:
            raise CircuitError(problem)
    try:
        out = slot[circuit.resolve_output()]
        t = slot[circuit.find(target) if target is not None else circuit.resolve_target()]
    except CircuitError as e:
        if not partial:
            raise
        out = t = -1
        problem = problem or str(e)
    if t in incomplete:
        t = -1
    relevant = _ancestors(forward, sources, t) if t >= 0 else frozenset()
    backward = [ins for ins in reversed(forward) if ins[1] in relevant]
    kinky = {kind for kind, spec in GATES.items() if spec.kink}
    kink_slots = tuple(
        i for i in sources if i not in incomplete and nodes[order[i]]["gate"].kind in kinky
    )
    plan = Plan(
        order,
        slot,
        names,
        leaves,
        inputs,
        forward,
        backward,
        sources,
        out,
        t,
        relevant,
        tie,
        circuit.structure_version,
        frozenset(incomplete),
        problem,
        kink_slots,
    )
    circuit.cache[key] = plan
    return plan


def _ancestors(forward: list, sources: dict, t: int) -> frozenset[int]:
    """Slots of the gate at ``t`` and of every gate it depends on (one sweep back through the
    topological order marks them all)."""
    seen = {t}
    for ins in reversed(forward):
        if ins[1] in seen:
            seen.update(sources[ins[1]])
    return frozenset(seen)


class _Redo(Exception):
    pass


def _as_value(name: str, x):
    if isinstance(x, (bool, np.bool_)) or x is None:
        raise ValueError(f"the value of {name} must be a number, not {x!r}")
    if isinstance(x, (int, float, np.integer, np.floating)):
        return float(x)
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            f"the value of {name} must be a number or an array of numbers, not {x!r}"
        ) from None
    return float(arr) if arr.ndim == 0 else arr


def evaluate(
    circuit: Circuit,
    inputs: Mapping | None = None,
    *,
    target: str | None = None,
    tie: str | None = None,
    partial: bool = False,
) -> Result:
    """Forward and backward pass: the value of every gate and the gradient of the target
    (default: the output) with respect to every gate. ``inputs`` maps input names to numbers or
    arrays (an array means a batch); inputs not given take their stored values. With
    ``partial``, a circuit still being built gives what can be computed (the rest is nan)."""
    plan = compile_circuit(circuit, target, tie, partial)
    if plan.incomplete or plan.target < 0:
        return _evaluate_partial(circuit, plan, inputs)
    nodes = circuit.graph._node
    v: list = [0.0] * len(plan.order)
    for i, gid in plan.leaves:
        v[i] = nodes[gid]["gate"].value
    shapes = []
    for name, x in (inputs or {}).items():
        i = plan.input_slot.get(name)
        if i is None:
            raise UnknownGateError(f"there is no input called {name!r}")
        v[i] = x = _as_value(name, x)
        if type(x) is not float:
            shapes.append(x.shape)
    if shapes:
        try:
            shape = np.broadcast_shapes(*shapes)
        except ValueError:
            raise ValueError(
                "the input arrays have shapes that do not fit together: "
                + ", ".join(str(s) for s in shapes)
            ) from None
        # plain floats left among the arrays would raise on 1/0: make every value numpy's
        v = [np.float64(x) if type(x) is float else x for x in v]
        with np.errstate(all="ignore"):
            g = [0.0] * len(v)
            g[plan.target] = 1.0
            interp.vector_forward(v, plan.forward)
            interp.vector_backward(v, g, plan.backward)
        return Result(circuit, plan, v, g, shape)
    leaf_values = [(i, v[i]) for i, _ in plan.leaves]
    try:
        interp.scalar_forward(v, plan.forward)
        if not math.isfinite(sum(v)):
            raise _Redo
        g = [0.0] * len(v)
        g[plan.target] = 1.0
        interp.scalar_backward(v, g, plan.backward)
    except (_Redo, *ARITHMETIC_ERRORS):
        v = [np.float64(0.0)] * len(v)
        for i, x in leaf_values:
            v[i] = np.float64(x)
        g = [np.float64(0.0)] * len(v)
        g[plan.target] = np.float64(1.0)
        with np.errstate(all="ignore"):
            interp.vector_forward(v, plan.forward)
            interp.vector_backward(v, g, plan.backward)
        v = [float(x) for x in v]
        g = [float(x) for x in g]
    return Result(circuit, plan, v, g, ())


def _evaluate_partial(circuit: Circuit, plan: Plan, inputs: Mapping | None) -> Result:
    """The numbers of a circuit being built: nan where a gate has no value yet, and no
    gradients (nan) while the target has none. Always on the numpy path; these are small."""
    nodes = circuit.graph._node
    v: list = [np.float64(np.nan)] * len(plan.order)
    for i, gid in plan.leaves:
        v[i] = np.float64(nodes[gid]["gate"].value)
    for name, x in (inputs or {}).items():
        if name in plan.input_slot:
            v[plan.input_slot[name]] = np.float64(_as_value(name, x))
    g = [np.float64(np.nan if plan.target < 0 else 0.0)] * len(v)
    with np.errstate(all="ignore"):
        interp.vector_forward(v, plan.forward)
        if plan.target >= 0:
            g[plan.target] = np.float64(1.0)
            interp.vector_backward(v, g, plan.backward)
    return Result(circuit, plan, [float(x) for x in v], [float(x) for x in g], ())


class Values(Mapping):
    """A read-only view ``name -> number`` over one of a result's lists."""

    def __init__(self, keys: dict[str, int], data: list, shape: tuple):
        self._keys, self._data, self._shape = keys, data, shape

    def __getitem__(self, name: str):
        x = self._data[self._keys[name]]
        if self._shape and np.shape(x) != self._shape:
            return np.broadcast_to(np.asarray(x, dtype=float), self._shape).copy()
        return x

    def __iter__(self):
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{k!r}: {self[k]!r}" for k in self) + "}"


from .result import Result  # noqa: E402  (Result needs Values and Plan above)
