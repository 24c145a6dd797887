"""Batches: evaluating inputs given as arrays equals evaluating each point on its own.

The per-point reference is ``ce.evaluate`` on that point alone: with plain floats (the scalar
fast path, or its numpy fallback where a point hits 1/0, log(-1), exp(1000)), bit for bit on
the arithmetic gates, and with one-element arrays, bit for bit on every gate. Values,
gradients, wire gradients, tangents and local gradients of every gate must agree, nan
matching nan, the reports (kinks, nonfinite, produced_nonfinite) must be the union over the
points, and every number must have the batch's shape.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import circuit_editor as ce
from circuit_editor.core.gates import GATES, TIES

OPS = [k for k, s in GATES.items() if not s.is_leaf]

# Gates whose value and local gradients are IEEE basic operations (+ - * /, comparisons):
# the scalar path and numpy give bit-identical results for them on every platform. The
# transcendental ones (exp, tanh, pow, ...) go through libm on one side and numpy's own
# kernels on the other, which may differ in the last bit (see test_numerics.py).
EXACT = ["add", "mul", "sub", "neg", "div", "recip", "addc", "mulc", "max", "min", "relu", "abs"]
PARAMS = (2.0, -1.0, 0.5, 3.0)
SPECIAL = [0.0, -0.0, 1.0, -1.0, 1000.0, -1000.0, 710.0, 1e-300, 1e200, -1e200]
VALUES = st.one_of(st.floats(-3, 3, allow_nan=False), st.sampled_from(SPECIAL))


def test_exact_kinds_exist():
    assert set(EXACT) <= set(OPS)


@st.composite
def circuits(draw, kinds=tuple(OPS), max_gates=10):
    c = ce.Circuit()
    names = []
    nodes = []
    for i in range(draw(st.integers(1, 4))):
        g = c.add_gate("input", label=f"x{i}", value=draw(VALUES))
        names.append(g.label)
        nodes.append(g.id)
    ops = []
    for j in range(draw(st.integers(1, max_gates))):
        if draw(st.integers(0, 7)) == 0:
            nodes.append(c.add_gate("const", label=f"k{j}", value=draw(VALUES)).id)
            continue
        kind = draw(st.sampled_from(list(kinds)))
        params = {"c": draw(st.sampled_from(PARAMS))} if GATES[kind].params else None
        g = c.add_gate(kind, label=f"g{j}", params=params)
        for port in range(GATES[kind].arity):
            c.connect(nodes[len(nodes) - 1 - draw(st.integers(0, len(nodes) - 1))], g.id, port)
        nodes.append(g.id)
        ops.append(g.id)
    if not ops:
        g = c.add_gate("neg", label="g_last")
        c.connect(nodes[-1], g.id, 0)
        ops.append(g.id)
    c.set_setting("output", ops[-1])
    c.set_setting("tie", draw(st.sampled_from(TIES)))
    target = draw(st.one_of(st.none(), st.sampled_from(ops)))
    return c, names, (c.gate(target).label if target else None)


@st.composite
def batches(draw, names):
    """Input arrays for ``names``: all (k,), all (k, m), or a mix of scalars and arrays of
    shapes that broadcast to (k, m); at least one array."""
    k = draw(st.integers(1, 4))
    m = draw(st.integers(1, 3))
    layout = draw(st.sampled_from(["vector", "matrix", "mixed"]))
    if layout == "vector":
        shapes = [(k,)] * len(names)
    elif layout == "matrix":
        shapes = [(k, m)] * len(names)
    else:
        shapes = [draw(st.sampled_from([(), (k, m), (m,), (k, 1), (1, m)])) for _ in names]
        if all(s == () for s in shapes):
            shapes[draw(st.integers(0, len(names) - 1))] = (k, m)
    inputs = {}
    for name, shape in zip(names, shapes):
        n = int(np.prod(shape)) if shape else 1
        vals = draw(st.lists(VALUES, min_size=n, max_size=n))
        inputs[name] = vals[0] if shape == () else np.array(vals, dtype=float).reshape(shape)
    return inputs


def describe(circuit) -> str:
    """The circuit as lines of code, for failure messages."""
    lines = []
    for g in circuit.gates:
        if g.kind in ("input", "const"):
            lines.append(f"{g.name} = {g.kind} {g.value!r}")
        else:
            srcs = ", ".join(circuit.gate(w.source).name for w in circuit.wires_into(g.id))
            lines.append(f"{g.name} = {g.kind}{g.param or ''}({srcs})")
    return (
        "; ".join(lines)
        + f"; output={circuit.gate(circuit.resolve_output()).name}"
        + f"; tie={circuit.settings.tie}"
    )


def _same(a, b, exact: bool) -> bool:
    a, b = float(a), float(b)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if exact or math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b)) + 1e-300


def _assert_shape(x, shape, what):
    assert isinstance(x, np.ndarray) and x.shape == shape, (what, x)


def _accessors(res, circuit, names):
    """wire_grads, per-input tangents and local gradients of ``res``."""
    return (
        res.wire_grads,
        {n: res.derivative_wrt(n) for n in names},
        {g.id: res.local_grads(g.id) for g in circuit.gates},
    )


def check_batch(circuit, names, target, inputs, exact, one_point="float"):
    """Evaluate ``inputs`` as one batch, then each of its points on its own: as plain floats
    (``one_point="float"``: the scalar path) or as arrays of one element ("array": numpy on
    one point), and compare every value, gradient, wire gradient, tangent and local gradient;
    ``exact`` asks for bit-identical numbers (nan matching nan)."""
    shape = np.broadcast_shapes(*[np.shape(x) for x in inputs.values()])
    full = {n: np.broadcast_to(np.asarray(x, dtype=float), shape) for n, x in inputs.items()}
    points = [(idx, {n: float(full[n][idx]) for n in names}) for idx in np.ndindex(*shape)]
    r = ce.evaluate(circuit, inputs, target=target)
    assert r.shape == shape
    # every value and gradient has the batch shape: inputs given as scalars, constants,
    # gates the target does not depend on included
    gate_names = list(r.value)
    assert sorted(gate_names) == sorted(g.name for g in circuit.gates)
    for name in gate_names:
        _assert_shape(r.value[name], shape, ("value", name))
        _assert_shape(r.grad[name], shape, ("grad", name))
    for gid in (g.id for g in circuit.gates):
        _assert_shape(r.value_by_id[gid], shape, ("value_by_id", gid))
        _assert_shape(r.grad_by_id[gid], shape, ("grad_by_id", gid))
    _assert_shape(r.output, shape, "output")
    wires, tangents, local = _accessors(r, circuit, names)
    for w, x in wires.items():
        _assert_shape(x, shape, ("wire", w))
    for n in names:
        for name in gate_names:
            _assert_shape(tangents[n][name], shape, ("derivative_wrt", n, name))
    for gid, locs in local.items():
        for loc in locs:
            _assert_shape(loc, shape, ("local", gid))

    # point by point
    kinks, nonfinite, produced = set(), set(), set()
    for idx, point in points:
        if one_point == "float":
            p = ce.evaluate(circuit, point, target=target)
            assert p.shape == () and type(p.output) is float

            def at(x):
                return x
        else:
            p = ce.evaluate(circuit, {n: np.array([x]) for n, x in point.items()}, target=target)
            assert p.shape == (1,)

            def at(x):
                return x[0]

        for name in gate_names:
            assert _same(r.value[name][idx], at(p.value[name]), exact), (
                "value",
                name,
                idx,
                point,
                r.value[name][idx],
                p.value[name],
                describe(circuit),
            )
            assert _same(r.grad[name][idx], at(p.grad[name]), exact), (
                "grad",
                name,
                idx,
                point,
                r.grad[name][idx],
                p.grad[name],
                describe(circuit),
            )
        assert _same(r.output[idx], at(p.output), exact)
        kinks |= set(p.kinks)
        nonfinite |= set(p.nonfinite)
        produced |= set(p.produced_nonfinite)
        p_wires, p_tangents, p_local = _accessors(p, circuit, names)
        for w, x in wires.items():
            assert _same(x[idx], at(p_wires[w]), exact), ("wire", w, idx, point)
        for n in names:
            for name in gate_names:
                assert _same(tangents[n][name][idx], at(p_tangents[n][name]), exact), (
                    "tangent",
                    n,
                    name,
                    idx,
                    point,
                )
        for gid, locs in local.items():
            for a, b in zip(locs, p_local[gid]):
                assert _same(a[idx], at(b), exact), ("local", gid, idx, point)
    # the batch's reports are over all its points
    assert set(r.kinks) == kinks
    assert set(r.nonfinite) == nonfinite
    assert set(r.produced_nonfinite) == produced


@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_batch_equals_pointwise_exactly(data):
    """Arithmetic gates: bit-identical, at ordinary points and at inf / nan ones."""
    circuit, names, target = data.draw(circuits(kinds=EXACT), label="circuit")
    inputs = data.draw(batches(names), label="inputs")
    check_batch(circuit, names, target, inputs, exact=True)


@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_batch_equals_pointwise_all_gates(data):
    """Every gate kind (exp(1000), log(-1), pow of a negative base included), bit-identical
    to evaluating each point on its own on the same (numpy) arithmetic.

    Against plain floats the transcendental gates can only agree to the last bit (libm and
    numpy differ there, see test_numerics.py), and templates like tanh's 1 - out^2 turn
    one bit into a large relative difference (at x = 10, 1 - tanh(x)^2 keeps ~7 digits), so
    the plain-float comparison is made bit for bit on the arithmetic gates only (above)."""
    circuit, names, target = data.draw(circuits(max_gates=10), label="circuit")
    inputs = data.draw(batches(names), label="inputs")
    check_batch(circuit, names, target, inputs, exact=True, one_point="array")


# --------------------------------------------------------------------------- fixed cases
def _chain():
    """r = 1/x, l = log(y), e = exp(z), f = (r + l) * e, plus a constant and a dead gate."""
    c = ce.Circuit()
    x = c.add_gate("input", label="x", value=1.0)
    y = c.add_gate("input", label="y", value=1.0)
    z = c.add_gate("input", label="z", value=0.0)
    k = c.add_gate("const", label="k", value=2.0)
    r = c.add_gate("recip", label="r")
    lg = c.add_gate("log", label="l")
    e = c.add_gate("exp", label="e")
    s = c.add_gate("add", label="s")
    m = c.add_gate("mul", label="m")
    f = c.add_gate("mul", label="f")
    dead = c.add_gate("sin", label="dead")  # nothing reads it: not the output's
    c.connect(x.id, r.id, 0)
    c.connect(y.id, lg.id, 0)
    c.connect(z.id, e.id, 0)
    c.connect(r.id, s.id, 0)
    c.connect(lg.id, s.id, 1)
    c.connect(s.id, m.id, 0)
    c.connect(e.id, m.id, 1)
    c.connect(m.id, f.id, 0)
    c.connect(k.id, f.id, 1)
    c.connect(x.id, dead.id, 0)
    c.set_setting("output", f.id)
    return c


@pytest.mark.parametrize("shape", [(5,), (5, 3)])
def test_batch_with_inf_and_nan_points(shape):
    c = _chain()
    n = int(np.prod(shape))
    xs = np.linspace(-1.0, 1.0, n)
    xs[0] = 0.0  # 1/0
    ys = np.linspace(0.5, 2.0, n)
    ys[1 % n] = -1.0  # log(-1)
    ys[2 % n] = 0.0  # log(0)
    zs = np.linspace(-1.0, 1.0, n)
    zs[3 % n] = 1000.0  # exp(1000)
    inputs = {"x": xs.reshape(shape), "y": ys.reshape(shape), "z": zs.reshape(shape)}
    r = ce.evaluate(c, inputs)
    # the formula, by hand, with numpy
    with np.errstate(all="ignore"):
        x, y, z = inputs["x"], inputs["y"], inputs["z"]
        s = 1.0 / x + np.log(y)
        f = 2.0 * s * np.exp(z)
        df_dx = 2.0 * np.exp(z) * (-1.0 / (x * x))
        df_dy = 2.0 * np.exp(z) / y
        df_dz = 2.0 * s * np.exp(z)
    np.testing.assert_array_equal(r.output, f)  # nan == nan for assert_array_equal
    np.testing.assert_allclose(r.grad["x"], df_dx, rtol=1e-14, equal_nan=True)
    np.testing.assert_allclose(r.grad["y"], df_dy, rtol=1e-14, equal_nan=True)
    np.testing.assert_allclose(r.grad["z"], df_dz, rtol=1e-14, equal_nan=True)
    assert np.isnan(r.output).any() and np.isinf(r.output).any()
    for name in r.value:
        assert r.value[name].shape == shape and r.grad[name].shape == shape
    np.testing.assert_array_equal(r.value["k"], np.full(shape, 2.0))
    np.testing.assert_array_equal(r.grad["dead"], np.zeros(shape))
    check_batch(c, ["x", "y", "z"], None, inputs, exact=False)
    check_batch(c, ["x", "y", "z"], None, inputs, exact=True, one_point="array")


def test_mixed_scalars_and_arrays():
    c = _chain()
    r = ce.evaluate(c, {"x": np.array([1.0, 2.0, 4.0]), "y": 1.0, "z": 0.0})
    assert r.shape == (3,)
    np.testing.assert_array_equal(r.output, [2.0, 1.0, 0.5])
    np.testing.assert_array_equal(r.value["y"], [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(r.grad["z"], [2.0, 1.0, 0.5])
    np.testing.assert_array_equal(r.grad["y"], [2.0, 2.0, 2.0])
    # inputs not given keep their stored (scalar) values and are broadcast too
    r = ce.evaluate(c, {"x": np.array([[1.0], [2.0]])})
    assert r.shape == (2, 1)
    np.testing.assert_array_equal(r.value["z"], [[0.0], [0.0]])


def test_shapes_that_do_not_fit_are_refused():
    c = _chain()
    with pytest.raises(ValueError, match="shapes"):
        ce.evaluate(c, {"x": np.ones(3), "y": np.ones(4)})


# --------------------------------------------------------------------------- regressions
# (a divisor depending on no array input used to stay a plain float, and 1/0 raised)
@pytest.mark.parametrize(
    "code,inputs",
    [
        ("r = 1/y\nf = r * x", {"x": np.array([1.0, 2.0]), "y": 0.0}),
        ("f = x / y", {"x": np.array([1.0, 2.0]), "y": 0.0}),
    ],
)
def test_batch_divisor_without_array_input(code, inputs):
    c = ce.from_code(code)
    r = ce.evaluate(c, inputs)
    point = ce.evaluate(c, {k: float(np.ravel(v)[0]) for k, v in inputs.items()})
    assert math.isinf(point.output)  # one point: inf, no exception
    assert np.isinf(r.output).all()


# ------------------------------------------------------ regression: bug F (in-place += grew)
@pytest.mark.parametrize("x_shape,y_shape", [((3,), (2, 3)), ((3,), (2, 1)), ((1,), (1, 1))])
def test_batch_inputs_of_different_shapes(x_shape, y_shape):
    c = ce.from_code("m = x * y\ne = exp(x)\nf = m + e")
    x = np.linspace(0.5, 1.5, int(np.prod(x_shape))).reshape(x_shape)
    y = np.linspace(-1.0, 2.0, int(np.prod(y_shape))).reshape(y_shape)
    r = ce.evaluate(c, {"x": x, "y": y})
    shape = np.broadcast_shapes(x_shape, y_shape)
    xb, yb = np.broadcast_to(x, shape), np.broadcast_to(y, shape)
    np.testing.assert_allclose(r.output, xb * yb + np.exp(xb), rtol=1e-15)
    np.testing.assert_allclose(r.grad["x"], yb + np.exp(xb), rtol=1e-15)  # d/dx per point
    np.testing.assert_allclose(r.grad["y"], xb, rtol=1e-15)


def test_batch_inputs_of_different_shapes_forward_order():
    """The same circuit with its gates added in the other order happens to work (the first
    gradient reaching x already has the full shape)."""
    c = ce.from_code("e = exp(x)\nm = x * y\nf = m + e")
    x, y = np.array([0.5, 1.0, 1.5]), np.array([[1.0, 2.0, 3.0], [-1.0, 0.0, 1.0]])
    r = ce.evaluate(c, {"x": x, "y": y})
    assert r.shape == (2, 3)
    np.testing.assert_allclose(r.grad["x"], y + np.exp(x), rtol=1e-15)
    np.testing.assert_allclose(r.grad["y"], np.broadcast_to(x, (2, 3)), rtol=1e-15)
