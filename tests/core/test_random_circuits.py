"""Random circuits: backprop against central differences of the forward value, forward mode
against backward mode, per-wire gradients against gate gradients, and the trace's shape.

Circuits are built by ``build`` from a *chooser*, so the same generator runs under hypothesis
(``HypothesisChooser``) and from a fixed list of seeds (``RandomChooser``); the seeded run
asserts that most generated circuits really are compared with differences, so the hypothesis
test cannot pass by rejecting everything.
"""

from __future__ import annotations

import math
import random
import sys
from collections import Counter
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

import circuit_editor as ce
from circuit_editor.core.gates import GATES, TIES

EPS = sys.float_info.epsilon
OPS = [k for k, s in GATES.items() if not s.is_leaf]


def _sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


# Forward values written here with math, independent of the registry's templates.
FORWARD = {
    "add": lambda a, b, c: a + b,
    "mul": lambda a, b, c: a * b,
    "max": lambda a, b, c: a if a >= b else b,
    "exp": lambda a, b, c: math.exp(a),
    "recip": lambda a, b, c: 1.0 / a,
    "sigmoid": lambda a, b, c: _sigmoid(a),
    "sub": lambda a, b, c: a - b,
    "neg": lambda a, b, c: -a,
    "div": lambda a, b, c: a / b,
    "pow": lambda a, b, c: a**c,
    "addc": lambda a, b, c: a + c,
    "mulc": lambda a, b, c: a * c,
    "tanh": lambda a, b, c: math.tanh(a),
    "relu": lambda a, b, c: a if a > 0 else 0.0,
    "log": lambda a, b, c: math.log(a),
    "min": lambda a, b, c: a if a <= b else b,
    "abs": lambda a, b, c: abs(a),
    "sin": lambda a, b, c: math.sin(a),
    "cos": lambda a, b, c: math.cos(a),
}


# Where each gate is comfortably smooth and well-conditioned, per port: the generator only
# wires a gate to sources whose current value satisfies this (values stay sane through 40
# gates, and no log(-1) or 1/0 turns most examples into rejects).
def _safe(kind: str, port: int, v: float, c) -> bool:
    if kind == "log":
        return v > 0.05
    if kind == "recip" or (kind == "div" and port == 1):
        return abs(v) > 0.1
    if kind == "exp":
        return v < 4.0
    if kind == "pow":
        if c < 0:
            return abs(v) > 0.1
        if not float(c).is_integer():
            return v > 0.05
        return abs(v) < 20.0
    return True


# The quantity whose sign says which side of its kink a gate is on (kink where it is 0).
KINK_GAP = {
    "max": lambda a, b: a - b,
    "min": lambda a, b: a - b,
    "relu": lambda a, b: a,
    "abs": lambda a, b: a,
}

ALWAYS_OK = [
    k
    for k in OPS
    if all(_safe(k, p, v, 2.0) for p in range(2) for v in (-1e3, -0.01, 0.0, 0.01, 1e3))
]
PARAMS = {
    "pow": (2.0, 3.0, -1.0, 0.5),
    "addc": (2.0, -1.0, 0.5, 3.0, -0.25),
    "mulc": (2.0, -1.0, 0.5, 3.0, -0.25),
}


def test_tables_cover_the_registry():
    assert set(FORWARD) == set(OPS)
    assert set(KINK_GAP) == {k for k in OPS if GATES[k].kink}
    assert {k for k in OPS if GATES[k].params} == set(PARAMS)


# --------------------------------------------------------------------------- generation
class HypothesisChooser:
    def __init__(self, draw):
        self.draw = draw

    def integer(self, lo, hi):
        return self.draw(st.integers(lo, hi))

    def real(self, lo, hi):
        return self.draw(st.floats(lo, hi, allow_nan=False, allow_infinity=False))

    def pick(self, seq):
        return self.draw(st.sampled_from(list(seq)))


class RandomChooser:
    def __init__(self, seed):
        self.rng = random.Random(seed)

    def integer(self, lo, hi):
        return self.rng.randint(lo, hi)

    def real(self, lo, hi):
        return self.rng.uniform(lo, hi)

    def pick(self, seq):
        return self.rng.choice(list(seq))


@dataclass
class Case:
    circuit: ce.Circuit
    inputs: dict
    ref: dict  # gate id -> value by the formulas above
    ops: list = field(default_factory=list)
    target: str | None = None  # a label, or None for the output

    def __repr__(self):  # readable falsifying examples
        lines = [f"inputs={self.inputs!r} target={self.target!r}"]
        for g in self.circuit.gates:
            if not g.spec.is_leaf:
                srcs = [w.source for w in self.circuit.wires_into(g.id)]
                lines.append(f"  {g.id} {g.label} = {g.kind}{g.param or ''}({', '.join(srcs)})")
            elif g.kind == "const":
                lines.append(f"  {g.id} {g.label} = const {g.value!r}")
        return "\n".join(lines)


def build(ch, max_gates: int = 40, max_inputs: int = 5) -> Case:
    c = ce.Circuit()
    ref: dict[str, float] = {}
    nodes: list[str] = []
    inputs = {}
    for i in range(ch.integer(1, max_inputs)):
        x = ch.real(-2.0, 2.0)
        g = c.add_gate("input", label=f"x{i}", value=x)
        inputs[g.label] = x
        ref[g.id] = x
        nodes.append(g.id)
    ops: list[str] = []
    for j in range(ch.integer(1, max_gates)):
        if ch.integer(0, 11) == 0:
            k = c.add_gate("const", label=f"k{j}", value=ch.real(-2.0, 2.0))
            ref[k.id] = k.value
            nodes.append(k.id)
            continue
        kind = ch.pick(OPS)
        cval = ch.pick(PARAMS[kind]) if kind in PARAMS else None
        arity = GATES[kind].arity
        eligible = [[n for n in nodes if _safe(kind, p, ref[n], cval)] for p in range(arity)]
        if not all(eligible):
            kind = ch.pick(ALWAYS_OK)
            cval = ch.pick(PARAMS[kind]) if kind in PARAMS else None
            arity = GATES[kind].arity
            eligible = [list(nodes)] * arity
        srcs = [_recent(ch, e) for e in eligible]
        if kind in KINK_GAP and _gap(kind, ref, srcs) == 0.0:
            # at a kink (max(x, x), relu(0)): rewire the last port to a source off the kink
            # if there is one, else use a gate without kinks
            others = [n for n in eligible[-1] if _gap(kind, ref, srcs[:-1] + [n]) != 0.0]
            if others:
                srcs[-1] = _recent(ch, others)
            else:
                kind, cval = ("add" if arity == 2 else "sin"), None
        a = ref[srcs[0]]
        b = ref[srcs[1]] if arity == 2 else None
        value = FORWARD[kind](a, b, cval)
        if not math.isfinite(value) or abs(value) > 1e4:
            continue  # keep values moderate: skip this gate
        g = c.add_gate(kind, label=f"g{j}", params={"c": cval} if cval is not None else None)
        for port, s in enumerate(srcs):
            c.connect(s, g.id, port)
        ref[g.id] = value
        nodes.append(g.id)
        ops.append(g.id)
    if not ops:
        g = c.add_gate("neg", label="g_last")
        c.connect(nodes[-1], g.id, 0)
        ref[g.id] = -ref[nodes[-1]]
        ops.append(g.id)
    # Most of the circuit should matter to the output: fold the gates nothing reads into it.
    if ch.integer(0, 3):
        loose = [g for g in ops[:-1] if not c.wires_from(g)]
        for j, gid in enumerate(loose):
            last = ops[-1]
            kind = ch.pick(["add", "mul", "sub", "max", "min"])
            value = FORWARD[kind](ref[gid], ref[last], None)
            if abs(value) > 1e4 or (kind in KINK_GAP and _gap(kind, ref, [gid, last]) == 0.0):
                kind, value = "add", ref[gid] + ref[last]
            g = c.add_gate(kind, label=f"f{j}")
            c.connect(gid, g.id, 0)
            c.connect(last, g.id, 1)
            ref[g.id] = value
            ops.append(g.id)
    c.set_setting("output", ops[-1])
    c.set_setting("tie", ch.pick(TIES))
    target = None
    if ch.integer(0, 3) == 0:
        target = c.gate(ch.pick(ops)).label
    return Case(c, inputs, ref, ops, target)


def _gap(kind: str, ref: dict, srcs: list) -> float:
    xs = [ref[s] for s in srcs] + [None]
    return KINK_GAP[kind](xs[0], xs[1])


def _recent(ch, nodes: list) -> str:
    """A source for a new gate, counting back from the newest node (so shrinking leads to a
    chain); half the time one of the three newest, so circuits grow deep."""
    n = len(nodes)
    k = ch.integer(0, min(2, n - 1)) if ch.integer(0, 1) else ch.integer(0, n - 1)
    return nodes[n - 1 - k]


@st.composite
def cases(draw, max_gates=40):
    return build(HypothesisChooser(draw), max_gates=max_gates)


# --------------------------------------------------------------------------- checks
def _all_finite(r) -> bool:
    return all(
        np.isfinite(r.value_by_id[g.id]) and np.isfinite(r.grad_by_id[g.id])
        for g in r.circuit.gates
    )


def _kink_signs(case: Case, r) -> tuple:
    out = []
    for gid in case.ops:
        kind = case.circuit.gate(gid).kind
        if kind in KINK_GAP:
            xs = [r.value_by_id[w.source] for w in case.circuit.wires_into(gid)] + [None]
            out.append(np.sign(KINK_GAP[kind](xs[0], xs[1])))
    return tuple(out)


def check_structure(case: Case, r) -> None:
    """Properties that hold at every finite point, kinks included (they follow the policy)."""
    c = case.circuit
    tid = r.target_id
    tname = c.gate(tid).name
    ancestors = nx.ancestors(c.graph, tid) | {tid}
    gscale = 1.0 + max(abs(r.grad_by_id[g.id]) for g in c.gates)

    # forward mode agrees with backward mode
    for name in case.inputs:
        fwd = r.derivative_wrt(name)[tname]
        assert fwd == pytest.approx(r.grad[name], rel=1e-9, abs=1e-12 * gscale), name

    # a gate's gradient is what its outgoing wires carry back (the target is seeded with 1)
    wg = r.wire_grads
    assert set(wg) == set(c.wires)
    for g in c.gates:
        out = c.wires_from(g.id)
        total = sum(wg[w] for w in out)
        if g.id == tid:
            assert r.grad_by_id[g.id] == 1.0
        elif g.id in ancestors:
            assert total == pytest.approx(r.grad_by_id[g.id], rel=1e-9, abs=1e-12 * gscale)
        else:
            assert r.grad_by_id[g.id] == 0.0 and all(wg[w] == 0.0 for w in out)
    for w in c.wires:  # each share is the target's gradient times its local one
        if w.target in ancestors:
            share = r.grad_by_id[w.target] * r.local_grads(w.target)[w.port]
            assert wg[w] == pytest.approx(share, rel=1e-12, abs=1e-300)

    # the trace: n forward steps in topological order, then the same n backward, reversed
    steps = r.trace()
    ops = [g.id for g in c.gates if not g.spec.is_leaf]
    n = len(ops)
    assert len(steps) == 2 * n
    assert [s.index for s in steps] == list(range(2 * n))
    fwd, bwd = steps[:n], steps[n:]
    assert all(s.direction == "forward" for s in fwd)
    assert all(s.direction == "backward" for s in bwd)
    order = [s.gate for s in fwd]
    assert sorted(order) == sorted(ops)
    pos = {gid: i for i, gid in enumerate(order)}
    for s in fwd:
        assert s.wires == tuple(c.wires_into(s.gate))
        assert s.kind == c.gate(s.gate).kind
        for w in s.wires:
            if w.source in pos:
                assert pos[w.source] < pos[s.gate], "forward steps out of topological order"
        assert s.inputs == tuple(r.value_by_id[w.source] for w in s.wires)
        assert s.output == r.value_by_id[s.gate]
    assert [s.gate for s in bwd] == order[::-1]
    for s in bwd:
        assert len(s.downstream) == len(s.local) == GATES[s.kind].arity
        for d, loc in zip(s.downstream, s.local):
            assert d == s.upstream * loc
        if s.gate in ancestors:  # by the time a gate is reached, its gradient is complete
            assert s.upstream == pytest.approx(r.grad_by_id[s.gate], rel=1e-9, abs=1e-12 * gscale)
        else:
            assert s.upstream == 0.0 and all(d == 0.0 for d in s.downstream)


def check_case(case: Case, structure: bool = True) -> str:
    """Run every check on ``case``; return "checked", or why the difference check was not
    meaningful there (the structural checks run whenever the point is finite)."""
    c = case.circuit
    r = ce.evaluate(c, case.inputs, target=case.target)
    if not _all_finite(r):
        return "non-finite"
    # the engine's forward pass agrees with the formulas above (same math functions; only
    # rounding in a different order can differ)
    for gid, v in case.ref.items():
        assert r.value_by_id[gid] == pytest.approx(v, rel=1e-9, abs=1e-9), gid
    if structure:
        check_structure(case, r)

    # ---- central differences. Skip (and say why) where they cannot agree with backprop:
    # * at a kink (a max/min tie, relu/abs at 0) the function has no derivative; the engine
    #   returns the tie policy's choice, which differences need not reproduce;
    # * NEAR a kink the difference straddles it: the two evaluations sit on different
    #   branches, so the kink's side must be the same at x - h, x, x + h for every kink gate;
    # * where values are huge or the second-order error dominates, differences at step h
    #   and h/2 disagree with each other: the point is ill-conditioned for differences, not
    #   evidence against backprop.
    if r.kinks:
        return "kink"
    if max(abs(r.value_by_id[g.id]) for g in c.gates) > 1e6:
        return "large"
    t = r.target_id
    base_signs = _kink_signs(case, r)
    if any(s == 0 for s in base_signs):
        return "kink"
    for name, x in case.inputs.items():
        h1 = 1e-5 * max(1.0, abs(x))
        h2 = h1 / 2
        vals = {}
        for h in (h1, -h1, h2, -h2):
            rh = ce.evaluate(c, {**case.inputs, name: x + h}, target=case.target)
            if rh.kinks or _kink_signs(case, rh) != base_signs:
                return "near a kink"
            if not math.isfinite(rh.value_by_id[t]):
                return "non-finite nearby"
            vals[h] = rh.value_by_id[t]
        fscale = max(abs(v) for v in vals.values())
        n1 = (vals[h1] - vals[-h1]) / (2 * h1)
        n2 = (vals[h2] - vals[-h2]) / (2 * h2)
        atol = 1e-9 + 100 * EPS * fscale / h2
        if abs(n1 - n2) > 1e-7 * max(abs(n1), abs(n2)) + atol:
            return "ill-conditioned"
        a = r.grad[name]
        assert abs(a - n2) <= 1e-6 * max(abs(a), abs(n2)) + atol, (
            f"d {c.gate(t).name} / d {name}: backprop {a!r}, differences {n2!r} (h={h2})"
        )
    return "checked"


# --------------------------------------------------------------------------- the tests
@settings(max_examples=200, deadline=None)
@given(case=cases())
def test_random_circuit_gradients(case):
    status = check_case(case)
    event(status)
    assume(status == "checked")


@settings(max_examples=100, deadline=None)
@given(case=cases(max_gates=6))
def test_small_random_circuit_gradients(case):
    """Small circuits shrink to readable counterexamples."""
    status = check_case(case)
    event(status)
    assume(status == "checked")


def test_most_random_circuits_are_really_compared():
    """The same generator from fixed seeds: the difference check must run on most circuits,
    including big ones, or the hypothesis tests above would be vacuous."""
    statuses = Counter()
    big = 0
    for seed in range(120):
        case = build(RandomChooser(seed))
        status = check_case(case)
        statuses[status] += 1
        if status == "checked" and len(case.ops) >= 20:
            big += 1
    assert statuses["checked"] >= 0.85 * sum(statuses.values()), statuses
    assert big >= 40, (big, statuses)


def test_difference_check_can_fail(monkeypatch):
    """The checker rejects a wrong gradient: a circuit whose true derivative is known, with
    the engine's gradient tampered with (by 1e-4 relative), must fail the assertion."""
    c = ce.Circuit()
    x = c.add_gate("input", label="x0", value=0.3)
    g = c.add_gate("sin", label="g0")
    c.connect(x.id, g.id, 0)
    c.set_setting("output", g.id)
    case = Case(c, {"x0": 0.3}, {x.id: 0.3, g.id: math.sin(0.3)}, [g.id])
    assert check_case(case) == "checked"
    real = ce.evaluate

    def tampered(*args, **kw):
        r = real(*args, **kw)
        r.grad = {**r.grad, "x0": r.grad["x0"] * (1.0 + 1e-4)}
        return r

    monkeypatch.setattr(ce, "evaluate", tampered)
    with pytest.raises(AssertionError, match="backprop"):
        check_case(case, structure=False)
