"""Every gate of the registry, one at a time: forward values against formulas written here,
local gradients against central differences and hand-derived derivatives, kinks and ties.

The reference table ``REF`` below is written independently of the registry's templates (plain
``math``); a gate added to the registry without an entry here makes ``test_every_op_has_a_
reference`` and its own parametrized cases fail, so new gates cannot go untested.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import circuit_editor as ce
from circuit_editor.core.gates import GATES, TIES

EPS = sys.float_info.epsilon
OPS = [k for k, s in GATES.items() if not s.is_leaf]
CS = (2.0, -1.0, 0.5, 3.0)  # parameters every constant gate is tried with
BASE = (-5.0, 5.0)  # inputs tried where the registry gives no domain

SETTINGS = settings(max_examples=60, deadline=None)


# --------------------------------------------------------------------------- reference table
def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _dsigmoid(x: float) -> float:
    e = math.exp(-abs(x))  # symmetric: s'(x) = e^-|x| / (1 + e^-|x|)^2
    return e / (1.0 + e) ** 2


def _tanh(x: float) -> float:
    e = math.expm1(2.0 * x)  # (e^2x - 1) / (e^2x + 1), accurate near 0 too
    return e / (e + 2.0)


def _is_int(c: float) -> bool:
    return float(c).is_integer()


def _away(lo: float, hi: float, point: float, r: float) -> list[tuple[float, float]]:
    """[lo, hi] without (point - r, point + r)."""
    out = []
    if lo < point - r:
        out.append((lo, min(hi, point - r)))
    if hi > point + r:
        out.append((max(lo, point + r), hi))
    return out


@dataclass(frozen=True)
class Ref:
    forward: Callable  # (xs, c) -> value
    grads: Callable  # (xs, c) -> d value / d x_i, hand-derived
    ports: Callable | None = None  # (c, (lo, hi)) -> one list of intervals per port
    kink: Callable | None = None  # (xs, c) -> True where the gate has no derivative
    margin: Callable | None = None  # (xs, c) -> distance to the kink (steer away from it)


def _both(c, base):
    return [[base], [base]]


def _one(c, base):
    return [[base]]


def _nonzero(c, base):
    return [_away(*base, 0.0, 0.05)]


def _pow_ports(c, base):
    if _is_int(c) and c >= 0:
        return [[base]]
    if _is_int(c):  # negative integer power: singular at 0
        return [_away(*base, 0.0, 0.05)]
    return [[(max(base[0], 0.05), base[1])]]  # fractional power: real only for x > 0


REF: dict[str, Ref] = {
    "add": Ref(lambda x, c: x[0] + x[1], lambda x, c: (1.0, 1.0), _both),
    "mul": Ref(lambda x, c: x[0] * x[1], lambda x, c: (x[1], x[0]), _both),
    "max": Ref(
        lambda x, c: x[0] if x[0] >= x[1] else x[1],
        lambda x, c: (1.0, 0.0) if x[0] > x[1] else (0.0, 1.0),
        _both,
        kink=lambda x, c: x[0] == x[1],
        margin=lambda x, c: abs(x[0] - x[1]),
    ),
    "exp": Ref(lambda x, c: math.exp(x[0]), lambda x, c: (math.exp(x[0]),), _one),
    "recip": Ref(lambda x, c: 1.0 / x[0], lambda x, c: (-1.0 / (x[0] * x[0]),), _nonzero),
    "sigmoid": Ref(lambda x, c: _sigmoid(x[0]), lambda x, c: (_dsigmoid(x[0]),), _one),
    "sub": Ref(lambda x, c: x[0] - x[1], lambda x, c: (1.0, -1.0), _both),
    "neg": Ref(lambda x, c: -x[0], lambda x, c: (-1.0,), _one),
    "div": Ref(
        lambda x, c: x[0] / x[1],
        lambda x, c: (1.0 / x[1], -x[0] / (x[1] * x[1])),
        lambda c, base: [[base], _away(*base, 0.0, 0.05)],
    ),
    "pow": Ref(lambda x, c: x[0] ** c, lambda x, c: (c * x[0] ** (c - 1.0),), _pow_ports),
    "addc": Ref(lambda x, c: x[0] + c, lambda x, c: (1.0,), _one),
    "mulc": Ref(lambda x, c: c * x[0], lambda x, c: (c,), _one),
    "tanh": Ref(lambda x, c: _tanh(x[0]), lambda x, c: (1.0 / math.cosh(x[0]) ** 2,), _one),
    "relu": Ref(
        lambda x, c: x[0] if x[0] > 0 else 0.0,
        lambda x, c: (1.0 if x[0] > 0 else 0.0,),
        _one,
        kink=lambda x, c: x[0] == 0.0,
        margin=lambda x, c: abs(x[0]),
    ),
    "log": Ref(
        lambda x, c: math.log(x[0]),
        lambda x, c: (1.0 / x[0],),
        lambda c, base: [[(max(base[0], 1e-3), base[1])]],
    ),
    "min": Ref(
        lambda x, c: x[0] if x[0] <= x[1] else x[1],
        lambda x, c: (1.0, 0.0) if x[0] < x[1] else (0.0, 1.0),
        _both,
        kink=lambda x, c: x[0] == x[1],
        margin=lambda x, c: abs(x[0] - x[1]),
    ),
    "abs": Ref(
        lambda x, c: x[0] if x[0] >= 0 else -x[0],
        lambda x, c: (1.0 if x[0] > 0 else -1.0,),
        _one,
        kink=lambda x, c: x[0] == 0.0,
        margin=lambda x, c: abs(x[0]),
    ),
    "sin": Ref(lambda x, c: math.sin(x[0]), lambda x, c: (math.cos(x[0]),), _one),
    "cos": Ref(lambda x, c: math.cos(x[0]), lambda x, c: (-math.sin(x[0]),), _one),
}


def _cases():
    out = []
    for kind in OPS:
        spec = GATES[kind]
        if spec.params:
            cs = sorted(set(CS) | {float(spec.defaults["c"])})
            out += [(kind, c) for c in cs] + [(kind, None)]  # None: the registry's default
        else:
            out.append((kind, None))
    return out


CASES = _cases()


def _c_of(kind: str, c):
    if not GATES[kind].params:
        return None
    return float(GATES[kind].defaults["c"]) if c is None else c


_CIRCUITS: dict = {}


def one_gate(kind: str, c=None):
    """A circuit of one ``kind`` gate fed by inputs x0, x1, ... (cached: structure is fixed)."""
    key = (kind, c)
    if key not in _CIRCUITS:
        circuit = ce.Circuit()
        spec = GATES[kind]
        names = [f"x{i}" for i in range(spec.arity)]
        ins = [circuit.add_gate("input", label=n, value=1.0) for n in names]
        params = {"c": c} if c is not None else None
        g = circuit.add_gate(kind, label="g", params=params)
        for port, x in enumerate(ins):
            circuit.connect(x.id, g.id, port)
        _CIRCUITS[key] = (circuit, g.id, names)
    return _CIRCUITS[key]


def _floats_in(intervals):
    return st.one_of(
        *[st.floats(lo, hi, allow_nan=False, allow_infinity=False) for lo, hi in intervals]
    )


def _points(kind: str, c):
    spec = GATES[kind]
    base = spec.domain or BASE
    ports = REF[kind].ports(_c_of(kind, c), base)
    assert len(ports) == spec.arity
    return st.tuples(*[_floats_in(iv) for iv in ports])


def _step(x: float) -> float:
    return 1e-5 * max(abs(x), 1e-3)


def _close_fd(analytic: float, numeric: float, f_scale: float, h: float) -> bool:
    """Relative 1e-6, plus the round-off a central difference of values of size f_scale
    unavoidably carries (~eps |f| / h)."""
    atol = 1e-10 + 50 * EPS * f_scale / h
    return abs(analytic - numeric) <= 1e-6 * max(abs(analytic), abs(numeric)) + atol


# --------------------------------------------------------------------------- coverage
def test_every_op_has_a_reference():
    assert set(REF) == set(OPS), "add a reference entry for each new gate kind"
    assert {k for k, _ in CASES} == set(OPS)
    # the kinks written here are exactly the registry's
    assert {k for k in OPS if GATES[k].kink} == {k for k, r in REF.items() if r.kink}
    # every gate with a parameter is tried with the usual constants
    for kind in OPS:
        if GATES[kind].params:
            tried = {c for k, c in CASES if k == kind}
            assert set(CS) <= tried and None in tried


def test_leaves_are_inputs_and_constants():
    assert {k for k, s in GATES.items() if s.is_leaf} == {"input", "const"}
    c = ce.Circuit()
    x = c.add_gate("input", label="x", value=3.0)
    k = c.add_gate("const", label="k", value=-2.5)
    m = c.add_gate("mul", label="m")
    c.connect(x.id, m.id, 0)
    c.connect(k.id, m.id, 1)
    r = ce.evaluate(c, {"x": 4.0})
    assert r.value["k"] == -2.5 and r.value["x"] == 4.0 and r.output == -10.0
    assert r.grad["k"] == 4.0 and r.grad["x"] == -2.5
    assert r.local_grads(x.id) == () and r.local_grads(k.id) == ()


# --------------------------------------------------------------------------- the main property
@pytest.mark.parametrize("kind,c", CASES, ids=[f"{k}-{c}" for k, c in CASES])
@SETTINGS
@given(data=st.data())
def test_gate_value_and_gradients(kind, c, data):
    ref = REF.get(kind)
    assert ref is not None, f"no reference for gate kind {kind!r}"
    circuit, gid, names = one_gate(kind, c)
    cval = _c_of(kind, c)
    xs = data.draw(_points(kind, c), label="inputs")
    if ref.margin is not None:
        # not at (or within a difference step of) the kink: there is no derivative to check
        assume(ref.margin(xs, cval) > 1e-4 * max(1.0, *map(abs, xs)))
    inputs = dict(zip(names, xs))
    r = ce.evaluate(circuit, inputs)

    # forward value against the formula written above
    expected = ref.forward(xs, cval)
    assert math.isfinite(expected)
    assert r.value["g"] == pytest.approx(expected, rel=1e-12, abs=1e-300)
    assert r.output == r.value["g"]
    assert r.kinks == [] and r.nonfinite == [] and r.produced_nonfinite == []

    local = r.local_grads(gid)
    assert len(local) == len(names)
    hand = ref.grads(xs, cval)
    for i, name in enumerate(names):
        # the gate is the output, so d out / d x_i is the local gradient
        assert r.grad[name] == pytest.approx(hand[i], rel=1e-9, abs=1e-15), name
        assert local[i] == pytest.approx(hand[i], rel=1e-9, abs=1e-15), name
        # central difference of the engine's forward value
        h = _step(xs[i])
        up = ce.evaluate(circuit, {**inputs, name: xs[i] + h}).output
        down = ce.evaluate(circuit, {**inputs, name: xs[i] - h}).output
        numeric = (up - down) / (2 * h)
        scale = max(abs(up), abs(down))
        assert _close_fd(r.grad[name], numeric, scale, h), (name, r.grad[name], numeric)
        assert _close_fd(local[i], numeric, scale, h), (name, local[i], numeric)
        # and of the reference formula (independent of the engine altogether)
        x_up, x_down = list(xs), list(xs)
        x_up[i] += h
        x_down[i] -= h
        ref_numeric = (ref.forward(x_up, cval) - ref.forward(x_down, cval)) / (2 * h)
        assert _close_fd(r.grad[name], ref_numeric, scale, h), (name, r.grad[name], ref_numeric)


# --------------------------------------------------------------------------- kinks and ties
KINKED = [k for k in OPS if GATES[k].kink]


@pytest.mark.parametrize("kind", KINKED)
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_kinks_reported_exactly_at_the_kink(kind, data):
    """.kinks lists the gate exactly where the reference says the gate has no derivative."""
    circuit, gid, names = one_gate(kind)
    v = st.one_of(st.sampled_from([0.0, -0.0, 1.0, -2.5]), st.floats(-5, 5, allow_nan=False))
    xs = tuple(data.draw(v) for _ in names)
    if len(xs) == 2 and data.draw(st.booleans()):
        xs = (xs[0], xs[0])  # make ties common
    r = ce.evaluate(circuit, dict(zip(names, xs)))
    assert (gid in r.kinks) == bool(REF[kind].kink(xs, None))
    assert r.kinks in ([], [gid])


def test_tie_policies_are_the_three_tested():
    assert set(TIES) == {"both", "split", "first"}
    assert {k for k in OPS if GATES[k].local_by_tie} == {"max", "min"}


TIE_EXPECT = {"both": (1.0, 1.0), "split": (0.5, 0.5), "first": (1.0, 0.0)}


@pytest.mark.parametrize("kind", ["max", "min"])
@pytest.mark.parametrize("tie", sorted(TIE_EXPECT))
@settings(max_examples=40, deadline=None)
@given(
    v=st.floats(-1e6, 1e6, allow_nan=False),
    d=st.floats(1e-3, 10, allow_nan=False),
    sign=st.sampled_from([1.0, -1.0]),
)
def test_max_min_tie_policy(kind, tie, v, d, sign):
    circuit, gid, _names = one_gate(kind)
    expected = TIE_EXPECT[tie]
    # the policy chosen per call and the policy stored in the circuit agree
    r_call = ce.evaluate(circuit, {"x0": v, "x1": v}, tie=tie)
    stored = circuit.copy()
    stored.set_setting("tie", tie)
    r_stored = ce.evaluate(stored, {"x0": v, "x1": v})
    for r in (r_call, r_stored):
        assert r.tie == tie
        assert r.output == v
        assert (r.grad["x0"], r.grad["x1"]) == expected
        assert r.local_grads(gid) == expected
        assert r.kinks == [gid]
    # away from the tie, every policy routes the whole gradient to the winner, and no kink
    x0, x1 = v, v + sign * d
    assert x0 != x1  # |v| <= 1e6 and d >= 1e-3: never absorbed
    r = ce.evaluate(circuit, {"x0": x0, "x1": x1}, tie=tie)
    first_wins = (x0 > x1) if kind == "max" else (x0 < x1)
    assert (r.grad["x0"], r.grad["x1"]) == ((1.0, 0.0) if first_wins else (0.0, 1.0))
    assert r.output == (max(x0, x1) if kind == "max" else min(x0, x1))
    assert r.kinks == []


@pytest.mark.parametrize("kind", ["max", "min"])
@pytest.mark.parametrize("tie", sorted(TIE_EXPECT))
def test_max_min_of_one_wire_twice(kind, tie):
    """max(x, x) = x: the policy's two shares add up on x (2 for "both", which over-counts;
    1, the true derivative, for "split" and "first")."""
    c = ce.Circuit()
    x = c.add_gate("input", label="x", value=0.7)
    g = c.add_gate(kind, label="g")
    c.connect(x.id, g.id, 0)
    c.connect(x.id, g.id, 1)
    r = ce.evaluate(c, tie=tie)
    assert r.output == 0.7
    assert r.grad["x"] == sum(TIE_EXPECT[tie])
    assert r.kinks == [g.id]
    w0, w1 = c.wires_into(g.id)
    assert (r.wire_grads[w0], r.wire_grads[w1]) == TIE_EXPECT[tie]


@pytest.mark.parametrize(
    "kind,x,value", [("relu", 0.0, 0.0), ("relu", -0.0, 0.0), ("abs", 0.0, 0.0), ("abs", -0.0, 0.0)]
)
def test_relu_and_abs_at_zero(kind, x, value):
    circuit, gid, _names = one_gate(kind)
    r = ce.evaluate(circuit, {"x0": x})
    assert r.output == value
    assert r.grad["x0"] == 0.0
    assert r.local_grads(gid) == (0.0,)
    assert r.kinks == [gid]
    assert r.explain_problems()  # the kink is explained in words
    for away in (1e-9, -1e-9, 3.0, -3.0):
        r = ce.evaluate(circuit, {"x0": away})
        assert r.kinks == []
        assert r.grad["x0"] == REF[kind].grads((away,), None)[0]
