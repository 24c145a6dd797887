"""Numerics: sigmoid at extreme inputs, inf/nan from 1/0, log(-1), exp(1000) without
exceptions and with the right gate blamed, the scalar fast path against its numpy fallback,
and kink reports."""

from __future__ import annotations

import decimal
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import circuit_editor as ce
from circuit_editor.core import interp

INF, NAN = math.inf, math.nan


def _one(kind, params=None, arity=1):
    c = ce.Circuit()
    ins = [c.add_gate("input", label=f"x{i}", value=0.5) for i in range(arity)]
    g = c.add_gate(kind, label="g", params=params)
    for port, x in enumerate(ins):
        c.connect(x.id, g.id, port)
    return c, g.id


SIGMOID, SIGMOID_ID = _one("sigmoid")


def _ref_sigmoid(x: float) -> tuple[float, float]:
    """sigmoid and its derivative at x, computed to 60 digits with decimal, rounded to
    floats. Beyond |x| = 800 both round to exact floats: e^-800 < 1e-347 is below the
    smallest subnormal, so s is 0.0 or 1.0 and s' is 0.0."""
    if x > 800:
        return 1.0, 0.0
    if x < -800:
        return 0.0, 0.0
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        s = 1 / (1 + (-decimal.Decimal(x)).exp())
        return float(s), float(s * (1 - s))


# --------------------------------------------------------------------------- sigmoid
EXTREMES = [
    1e300,
    -1e300,
    710.0,
    -710.0,
    1000.0,
    -1000.0,
    745.0,
    -745.0,
    746.0,
    -746.0,
    1.7976931348623157e308,
    -1.7976931348623157e308,
    36.0,
    -36.0,
    0.0,
    -0.0,
    5e-324,
    -5e-324,
]


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("x", EXTREMES)
def test_sigmoid_extremes_no_overflow(x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = ce.evaluate(SIGMOID, {"x0": x})
        s, ds = _ref_sigmoid(x)
        assert type(r.output) is float
        assert r.output == pytest.approx(s, rel=1e-14, abs=1e-320)
        assert 0.0 <= r.output <= 1.0
        # s (1 - s) carries s's rounding error (about 1e-16) for large positive x
        assert r.grad["x0"] == pytest.approx(ds, rel=1e-12, abs=2e-16)
        assert r.nonfinite == [] and r.produced_nonfinite == []
        if abs(x) >= 710:
            assert r.output == (1.0 if x > 0 else pytest.approx(0.0, abs=1e-300))
        # and the same numbers in a batch
        b = ce.evaluate(SIGMOID, {"x0": np.array([x, -x, 0.0])})
        # (numpy computes e/(1+e) where the fast path computes 1/(1+1/e): last bits may differ)
        assert b.output[0] == pytest.approx(r.output, rel=1e-15, abs=1e-320)
        assert b.grad["x0"][0] == pytest.approx(r.grad["x0"], rel=1e-14, abs=1e-320)
        assert b.nonfinite == []
        b.trace()
        r.trace()


@pytest.mark.parametrize("x", EXTREMES)
def test_sigmoid_fast_path_does_not_overflow(x, monkeypatch):
    """The fast path computes sigmoid itself at any finite input: no overflow inside it
    sends the pass to the numpy fallback (it used to, for x < -709.78, with the template
    1/(1 + exp(-x)))."""
    calls = _spy(monkeypatch)
    r = ce.evaluate(SIGMOID, {"x0": x})
    assert r.output == pytest.approx(_ref_sigmoid(x)[0], rel=1e-14, abs=1e-320)
    assert calls == [], "the fast path overflowed and fell back to numpy"


@pytest.mark.filterwarnings("error")
@settings(max_examples=200, deadline=None)
@given(x=st.floats(allow_nan=False, allow_infinity=False))
def test_sigmoid_any_finite_input(x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = ce.evaluate(SIGMOID, {"x0": x})
    s, ds = _ref_sigmoid(x)
    assert 0.0 <= r.output <= 1.0
    assert r.output == pytest.approx(s, rel=1e-14, abs=1e-320)
    assert r.grad["x0"] == pytest.approx(ds, rel=1e-12, abs=2e-16)
    assert 0.0 <= r.grad["x0"] <= 0.25


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("x,expected", [(INF, 1.0), (-INF, 0.0)])
def test_sigmoid_of_infinity(x, expected):
    r = ce.evaluate(SIGMOID, {"x0": x})
    assert r.output == expected and r.grad["x0"] == 0.0
    assert r.produced_nonfinite == []  # the input was already infinite


# --------------------------------------------------------------------------- inf and nan
# (kind, params, inputs of the bad gate, its value, d value / d input_i by hand)
BAD = [
    ("recip", None, (0.0,), INF, (-INF,)),  # -1/x^2
    ("div", None, (1.0, 0.0), INF, (INF, -INF)),  # 1/y, -x/y^2
    ("div", None, (0.0, 0.0), NAN, (INF, NAN)),
    ("log", None, (-1.0,), NAN, (-1.0,)),  # 1/x: finite!
    ("log", None, (0.0,), -INF, (INF,)),
    ("exp", None, (1000.0,), INF, (INF,)),
    ("exp", None, (710.0,), INF, (INF,)),
    ("pow", {"c": 0.5}, (-8.0,), NAN, (NAN,)),  # sqrt of a negative
    ("pow", {"c": 1.5}, (-4.0,), NAN, (NAN,)),
    ("pow", {"c": -1.0}, (0.0,), INF, (-INF,)),  # -1 * 0^-2
    ("mul", None, (1e200, 1e200), INF, (1e200, 1e200)),  # overflow, finite locals
    ("sub", None, (-1e308, 1e308), -INF, (1.0, -1.0)),
]
BAD_IDS = [f"{k}{'' if p is None else p['c']}{xs}" for k, p, xs, *_ in BAD]


def _same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


def _bad_circuit(kind, params, n):
    """x_i -> bad -> d1 (+1) -> d2 (*2) -> out = d2 + side, side = sin(z)."""
    c = ce.Circuit()
    xs = [c.add_gate("input", label=f"x{i}", value=1.0) for i in range(n)]
    z = c.add_gate("input", label="z", value=0.5)
    bad = c.add_gate(kind, label="bad", params=params)
    d1 = c.add_gate("addc", label="d1", params={"c": 1.0})
    d2 = c.add_gate("mulc", label="d2", params={"c": 2.0})
    side = c.add_gate("sin", label="side")
    out = c.add_gate("add", label="out")
    for port, x in enumerate(xs):
        c.connect(x.id, bad.id, port)
    c.connect(bad.id, d1.id, 0)
    c.connect(d1.id, d2.id, 0)
    c.connect(z.id, side.id, 0)
    c.connect(d2.id, out.id, 0)
    c.connect(side.id, out.id, 1)
    ids = {g.label: g.id for g in c.gates}
    return c, ids


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("kind,params,xs,value,local", BAD, ids=BAD_IDS)
def test_nonfinite_without_exception_and_blamed_on_its_gate(kind, params, xs, value, local):
    c, ids = _bad_circuit(kind, params, len(xs))
    inputs = {f"x{i}": x for i, x in enumerate(xs)}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = ce.evaluate(c, inputs)
    assert _same(r.value["bad"], value)
    assert _same(r.output, 2.0 * (value + 1.0) + math.sin(0.5))
    # the gradient reaching each input: local * d out / d bad (= 2), by hand
    for i, loc in enumerate(local):
        assert _same(r.grad[f"x{i}"], 2.0 * loc), (i, r.grad[f"x{i}"])
    assert r.grad["side"] == 1.0 and r.grad["z"] == math.cos(0.5)
    # the gate that produced it, and only it
    assert r.produced_nonfinite == [ids["bad"]]
    # every gate whose value or gradient is not finite: bad and everything downstream, plus
    # the inputs whose gradient came back non-finite; not the healthy side branch
    expected = {ids["bad"], ids["d1"], ids["d2"], ids["out"]}
    expected |= {ids[f"x{i}"] for i, loc in enumerate(local) if not math.isfinite(loc)}
    assert set(r.nonfinite) == expected
    assert any("bad" in line for line in r.explain_problems())
    # a batch blames the same gate
    b = ce.evaluate(c, {k: np.array([v, 0.5]) for k, v in inputs.items()})
    assert b.produced_nonfinite == [ids["bad"]]
    assert set(b.nonfinite) == expected
    assert _same(b.value["bad"][0], value) and math.isfinite(b.value["bad"][1])


# Result accessors at those points (a div or log gate with a 0 divisor used to make them raise
# ZeroDivisionError: the local-gradient templates divided plain floats).
@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("kind,params,xs,value,local", BAD, ids=BAD_IDS)
def test_result_accessors_at_nonfinite_points(kind, params, xs, value, local):
    c, ids = _bad_circuit(kind, params, len(xs))
    r = ce.evaluate(c, {f"x{i}": x for i, x in enumerate(xs)})
    loc = r.local_grads(ids["bad"])
    assert all(_same(a, b) for a, b in zip(loc, local)), (loc, local)
    for i, _x in enumerate(xs):
        w = c.wire_into(ids["bad"], i)
        assert _same(r.wire_grads[w], 2.0 * local[i])
        assert _same(r.derivative_wrt(f"x{i}")["bad"], local[i])
    steps = r.trace()
    assert len(steps) == 10


@pytest.mark.filterwarnings("error")
def test_batch_reports_at_nonfinite_points_do_not_warn():
    """inf + -inf meets in x's gradient at x = 0; no accessor may warn about it (the trace
    used to: 'invalid value encountered in add')."""
    c = ce.from_code("a = 1/x\nn = neg(x)\nb = 1/n\nf = a + b")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = ce.evaluate(c, {"x": np.array([0.0, 1.0])})
        r.kinks, r.nonfinite, r.produced_nonfinite, r.explain_problems(), r.wire_grads
        r.derivative_wrt("x")
        assert np.isnan(r.grad["x"][0]) and r.grad["x"][1] == 0.0  # -1/x^2 + 1/x^2
        steps = r.trace()
        assert np.isnan(steps[-1].totals[0][0])
        ce.evaluate(c, {"x": 0.0}).trace()


def test_batch_produced_nonfinite_is_union_of_points():
    """A gate that makes a new inf at one point is blamed even when its input is already
    non-finite at another point of the batch."""
    c = ce.from_code("a = 1/x\nt = a * 1000\nb = exp(t)\nf = b + 1")
    xs = np.array([0.0, 1.0])  # point 0: 1/0 at a;  point 1: exp(1000) at b
    per_point = set()
    for x in xs:
        per_point |= set(ce.evaluate(c, {"x": float(x)}).produced_nonfinite)
    assert per_point == {c.find("a"), c.find("b")}
    assert set(ce.evaluate(c, {"x": xs}).produced_nonfinite) == per_point


# --------------------------------------------------------------------------- fast path
def _spy(monkeypatch):
    """Count the engine's numpy passes (the fallback of a one-point evaluation)."""
    calls = []
    real = interp.vector_forward

    def spy(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(interp, "vector_forward", spy)
    return calls


def _fallback_circuit(kinds):
    """Gates of ``kinds`` on inputs x, y (each on both, or on the previous gate), then
    out = last + 1/z: z = 0 sends the whole pass to numpy, and only 1/z is non-finite."""
    c = ce.Circuit()
    x = c.add_gate("input", label="x", value=1.0)
    y = c.add_gate("input", label="y", value=1.0)
    z = c.add_gate("input", label="z", value=1.0)
    prev, main = x, []
    for i, (kind, params, deep) in enumerate(kinds):
        g = c.add_gate(kind, label=f"m{i}", params=params)
        srcs = [prev, y] if deep else [x, y]
        for port in range(g.spec.arity):
            c.connect(srcs[port].id, g.id, port)
        main.append(g)
        prev = g
    total = c.add_gate("add", label="total")
    c.connect(main[0].id, total.id, 0)
    c.connect(main[-1].id, total.id, 1)
    r = c.add_gate("recip", label="r")
    c.connect(z.id, r.id, 0)
    out = c.add_gate("add", label="out")
    c.connect(total.id, out.id, 0)
    c.connect(r.id, out.id, 1)
    c.set_setting("output", out.id)
    return c, [g.label for g in main] + ["total", "x", "y"]


# IEEE basic operations only: the same correctly rounded result on both paths, everywhere.
# (recip reads max(., y) >= y >= 0.5: the fast path never meets 1/0 in this chain.)
ARITH = [
    ("mul", None, True),
    ("add", None, True),
    ("max", None, True),
    ("recip", None, True),
    ("div", None, True),
    ("sub", None, True),
    ("abs", None, True),
    ("mulc", {"c": 0.5}, True),
    ("min", None, True),
    ("relu", None, True),
    ("addc", {"c": -0.25}, True),
    ("neg", None, True),
]


@settings(max_examples=150, deadline=None)
@given(x=st.floats(-3, 3, allow_nan=False), y=st.floats(0.5, 3, allow_nan=False))
def test_fast_path_and_fallback_identical(x, y):
    """The same circuit at z = 1 (fast path) and z = 0 (1/z = inf: numpy fallback): every
    gate away from 1/z has bit-identical value and gradient."""
    c, names = _fallback_circuit(ARITH)
    mp = pytest.MonkeyPatch()
    try:
        calls = _spy(mp)
        fast = ce.evaluate(c, {"x": x, "y": y, "z": 1.0})
        assert calls == [], "z = 1 should not need the fallback"
        slow = ce.evaluate(c, {"x": x, "y": y, "z": 0.0})
        assert calls == [1], "z = 0 should take the fallback"
    finally:
        mp.undo()
    assert all(math.isfinite(fast.value[n]) and math.isfinite(fast.grad[n]) for n in names)
    assert slow.produced_nonfinite == [c.find("r")]
    for n in names:
        assert type(slow.value[n]) is float and type(slow.grad[n]) is float
        assert fast.value[n] == slow.value[n], n
        assert fast.grad[n] == slow.grad[n], n


TRANSCENDENTAL = [
    ("exp", None, False),
    ("sin", None, False),
    ("cos", None, False),
    ("tanh", None, False),
    ("sigmoid", None, False),
    ("pow", {"c": 3.0}, False),
    ("pow", {"c": 0.5}, False),
    ("pow", {"c": -1.0}, False),
]


@settings(max_examples=150, deadline=None)
@given(x=st.floats(0.1, 3, allow_nan=False))
def test_fast_path_and_fallback_transcendental(x):
    """exp, tanh, pow, ...: libm on the fast path, numpy's kernels on the fallback. They may
    differ in the last bit (here tanh and pow do), so: values within 4 ulp, gradients close.
    (numerics.py says the two paths give "the same numbers": not bit for bit for these.)"""
    c, names = _fallback_circuit(TRANSCENDENTAL)
    fast = ce.evaluate(c, {"x": x, "y": 1.0, "z": 1.0})
    slow = ce.evaluate(c, {"x": x, "y": 1.0, "z": 0.0})
    for n in names:
        np.testing.assert_array_max_ulp(fast.value[n], slow.value[n], maxulp=4)
        assert fast.grad[n] == pytest.approx(slow.grad[n], rel=1e-9, abs=1e-15), n


# --------------------------------------------------------------------------- kinks
def test_max_tie_reported_in_kinks():
    c = ce.from_code("m = max(x, y)\nh = m * z\ns = relu(z)\nf = h + s")
    r = ce.evaluate(c, {"x": 2.0, "y": 2.0, "z": 3.0})
    assert r.kinks == [c.find("m")]
    assert any("tie" in line for line in r.explain_problems())
    r = ce.evaluate(c, {"x": 2.0, "y": 2.0 + 1e-12, "z": 3.0})
    assert r.kinks == []
    r = ce.evaluate(c, {"x": 2.0, "y": 2.0, "z": 0.0})  # the tie and relu(0)
    assert r.kinks == [c.find("m"), c.find("s")]
    # a batch lists a gate tied at any of its points
    r = ce.evaluate(c, {"x": np.array([1.0, 2.0]), "y": 2.0, "z": 3.0})
    assert r.kinks == [c.find("m")]
    # and gradcheck marks the point instead of failing on it
    check = ce.gradcheck(c, {"x": 2.0, "y": 2.0, "z": 3.0})
    assert all(ch.kink for ch in check.checks) and check.ok
