"""Every worked example of the worksheet (shared/seed), with its own numbers.

Expected values are worked out here by hand or with plain ``math``, never taken from the engine.
The code blocks are the worksheet's, pasted as written (backward passes included).
"""

import math

import pytest

import circuit_editor as ce

SEED_2B = """\
## forward pass
g = x + y
h = g * z
f = h + x

## backward pass
# backprop through f = h + x first
dfd_h = 1.0
dfd_x = 1.0
# backprop through h = g * z, using chain rule
dfd_g = dfd_h * z
dfd_z = dfd_h * g
# backprop through g = x + y, using chain rule
dfd_x = 1.0 + dfd_g * 1.0
dfd_y = dfd_g * 1.0
"""

SEED_4B = """\
## forward pass
dot = w[0]*x[0] + w[1]*x[1] + w[2]
f = 1.0 / (1 + math.exp(-dot)) # sigmoid function

## backprop
ddot = (1 - f) * f # gradient on dot variable, using the sigmoid gradient
dx0 = w[0] * ddot # backprop into x
dx1 = w[1] * ddot
dw0 = x[0] * ddot # backprop into w
dw1 = x[1] * ddot
dw2 = 1.0 * ddot
"""

SEED_4D = """\
## forward pass
sigy = 1.0 / (1 + math.exp(-y)) # sigmoid in numerator # (1)
num = x + sigy # numerator # (2)
sigx = 1.0 / (1 + math.exp(-x)) # sigmoid in denominator # (3)
xpy = x + y # (4)
xpysqr = xpy**2 # (5)
den = sigx + xpysqr # denominator # (6)
invden = 1.0 / den # (7)
f = num * invden # done! # (8)
"""

SEED_4D_BACKWARD = """\
## backward pass
# backprop f = num * invden
dnum = invden # gradient on numerator # (8)
dinven = num # (8)
# backprop invden = 1.0 / den
dden = (-1.0 / (den**2)) * dinven # (7)
# backprop den = sigx + xpysqr
dsigx = (1) * dden # (6)
d xpysqr = (1) * dden # (6)
"""


def ev(code, **inputs):
    c = ce.from_code(code)
    return c, ce.evaluate(c, inputs)


# ---------------------------------------------------------------- problem 1
def test_1a_product_at_x1_y_minus2():
    _, r = ev("f = x * y", x=1, y=-2)
    assert r.output == -2.0
    assert r.grad["x"] == -2.0  # df/dx = y: nudging x up makes f fall twice as fast
    assert r.grad["y"] == 1.0  # df/dy = x


def test_1b_sum_has_gradient_one_on_each_input():
    for x, y in [(1, -2), (-3.5, 7), (0, 0)]:
        _, r = ev("f = x + y", x=x, y=y)
        assert r.output == x + y
        assert (r.grad["x"], r.grad["y"]) == (1.0, 1.0)


def test_1c_max_routes_the_gradient_to_the_larger_input():
    _, r = ev("f = max(x, y)", x=12, y=3)
    assert r.output == 12.0
    assert (r.grad["x"], r.grad["y"]) == (1.0, 0.0)
    assert not r.kinks


def test_1c_max_tie_follows_the_worksheets_indicators_by_default():
    c, r = ev("f = max(x, y)", x=4, y=4)
    # 1(x >= y) and 1(y >= x): both 1 at a tie
    assert (r.grad["x"], r.grad["y"]) == (1.0, 1.0)
    assert r.kinks == [c.find("f")]


@pytest.mark.parametrize("x", [-2.0, -0.3, 0.0, 0.5, 1.7])
def test_1d_tanh_through_sigmoid(x):
    c, r = ev("f = 2 * sigmoid(2 * x) - 1", x=x)
    assert [g.kind for g in c.gates if not g.spec.is_leaf] == ["mulc", "sigmoid", "mulc", "addc"]
    assert r.output == pytest.approx(math.tanh(x), abs=1e-15)
    s = 1 / (1 + math.exp(-2 * x))
    assert r.grad["x"] == pytest.approx(4 * s * (1 - s), rel=1e-14)  # the worksheet's
    assert r.grad["x"] == pytest.approx(1 - math.tanh(x) ** 2, rel=1e-12)  # and calculus's


# ---------------------------------------------------------------- problem 2
def test_2_staged_computation_at_x_minus2_y5_z_minus4():
    c, r = ev(SEED_2B, x=-2, y=5, z=-4)
    assert [g.label for g in c.gates if not g.spec.is_leaf] == ["g", "h", "f"]
    assert (r.value["g"], r.value["h"], r.value["f"]) == (3.0, -12.0, -14.0)
    assert r.output == -14.0
    assert r.grad["f"] == 1.0
    assert r.grad["h"] == 1.0  # dfd_h = 1.0
    assert r.grad["g"] == -4.0  # dfd_g = dfd_h * z
    assert r.grad["z"] == 3.0  # dfd_z = dfd_h * g
    assert r.grad["x"] == -3.0  # dfd_x = 1.0 + dfd_g * 1.0
    assert r.grad["y"] == -4.0  # dfd_y = dfd_g * 1.0


def test_2_the_fork_on_x_adds_its_branches():
    c, r = ev(SEED_2B, x=-2, y=5, z=-4)
    x = c.find("x")
    shares = sorted(g for w, g in r.wire_grads.items() if w.source == x)
    assert shares == [-4.0, 1.0]
    back = [s for s in r.trace() if s.direction == "backward"]
    running = [t for s in back for w, t in zip(s.wires, s.totals) if w.source == x]
    assert running == [1.0, -3.0]  # dx = 1 from f = h + x, then dx += -4 from g = x + y


def test_2_single_expression_is_the_same_circuit():
    _, r = ev("(x + y) * z + x", x=-2, y=5, z=-4)
    assert r.output == -14.0
    assert (r.grad["x"], r.grad["y"], r.grad["z"]) == (-3.0, -4.0, 3.0)


# ---------------------------------------------------------------- problem 4
W, X = [2.0, -3.0, -3.0], [-1.0, -2.0]
NEURON = {"w[0]": W[0], "w[1]": W[1], "w[2]": W[2], "x[0]": X[0], "x[1]": X[1]}


def test_4b_code_reads_as_the_cs231n_gates():
    imp = ce.read_code(SEED_4B)
    c = imp.circuit
    assert any("backward pass was left out" in n for n in imp.notes)
    f = c.find("f")
    chain = []
    gid = f
    while c.gate(gid).kind != "add":
        chain.append(c.gate(gid).symbol)
        (w,) = c.wires_into(gid)
        gid = w.source
    assert chain[::-1] == ["*-1", "exp", "+1", "1/x"]
    assert c.gate(gid).label == "dot"
    assert sorted(g.label for g in c.inputs()) == ["w[0]", "w[1]", "w[2]", "x[0]", "x[1]"]


def test_4c_neuron_values_and_gradients():
    c = ce.from_code(SEED_4B)
    r = ce.evaluate(c, NEURON)
    dot = W[0] * X[0] + W[1] * X[1] + W[2]
    assert dot == 1.0
    f = 1 / (1 + math.exp(-dot))
    assert r.value["dot"] == 1.0
    assert r.output == pytest.approx(f, rel=1e-15)
    assert round(r.output, 2) == 0.73
    ddot = (1 - f) * f
    expected = {
        "x[0]": W[0] * ddot,
        "x[1]": W[1] * ddot,
        "w[0]": X[0] * ddot,
        "w[1]": X[1] * ddot,
        "w[2]": 1.0 * ddot,
        "dot": ddot,
    }
    for name, want in expected.items():
        assert r.grad[name] == pytest.approx(want, rel=1e-12), name
    # the worksheet's diagram, to two decimals
    assert [round(r.grad[n], 2) for n in ("w[0]", "x[0]", "w[1]", "x[1]", "w[2]")] == [
        -0.2,
        0.39,
        -0.39,
        -0.59,
        0.2,
    ]


def test_4c_intermediate_wires_of_the_diagram():
    c = ce.from_code(SEED_4B)
    r = ce.evaluate(c, NEURON)
    by_symbol = {
        c.gate(gid).symbol: gid
        for gid in c.graph
        if c.gate(gid).kind in ("mulc", "exp", "addc", "recip")
    }
    v = {s: r.value_by_id[g] for s, g in by_symbol.items()}
    d = {s: r.grad_by_id[g] for s, g in by_symbol.items()}
    e = math.exp(-1)
    assert (v["*-1"], v["exp"], v["+1"]) == (-1.0, pytest.approx(e), pytest.approx(1 + e))
    assert d["1/x"] == 1.0
    assert d["+1"] == pytest.approx(-1 / (1 + e) ** 2)  # -0.53
    assert d["exp"] == pytest.approx(-1 / (1 + e) ** 2)
    assert d["*-1"] == pytest.approx(-e / (1 + e) ** 2)  # -0.20
    assert [round(d[s], 2) for s in ("+1", "exp", "*-1")] == [-0.53, -0.53, -0.2]


def s(t):
    return 1 / (1 + math.exp(-t))


def worksheet_4d_backward(x, y):
    """The worksheet's own backward pass for 4(d), in plain Python."""
    sigy = s(y)
    num = x + sigy
    sigx = s(x)
    xpy = x + y
    xpysqr = xpy**2
    den = sigx + xpysqr
    invden = 1.0 / den
    f = num * invden
    dnum = invden
    dinvden = num
    dden = (-1.0 / den**2) * dinvden
    dsigx = dden
    dxpysqr = dden
    dxpy = (2 * xpy) * dxpysqr
    dx = dxpy
    dy = dxpy
    dx += ((1 - sigx) * sigx) * dsigx
    dx += dnum
    dsigy = dnum
    dy += ((1 - sigy) * sigy) * dsigy
    return f, dx, dy


@pytest.mark.parametrize("x,y", [(3.0, -4.0), (-1.0, 2.0), (0.5, 0.25)])
def test_4d_staged_function(x, y):
    c = ce.from_code(SEED_4D + "\n" + SEED_4D_BACKWARD)
    r = ce.evaluate(c, {"x": x, "y": y})
    f, dx, dy = worksheet_4d_backward(x, y)
    assert r.output == pytest.approx(f, rel=1e-14)
    assert r.grad["x"] == pytest.approx(dx, rel=1e-12)
    assert r.grad["y"] == pytest.approx(dy, rel=1e-12)

    # and central differences of the formula itself, independent of both
    def F(a, b):
        return (a + s(b)) / (s(a) + (a + b) ** 2)

    h = 1e-6
    assert r.grad["x"] == pytest.approx((F(x + h, y) - F(x - h, y)) / (2 * h), rel=1e-7)
    assert r.grad["y"] == pytest.approx((F(x, y + h) - F(x, y - h)) / (2 * h), rel=1e-7)
    assert ce.gradcheck(c, {"x": x, "y": y}).ok


def test_4d_reads_as_written():
    c = ce.from_code(SEED_4D)
    labels = [g.label for g in c.gates if not g.spec.is_leaf and g.label]
    assert labels == ["sigy", "num", "sigx", "xpy", "xpysqr", "den", "invden", "f"]
    sq = c.gate(c.find("xpysqr"))
    assert (sq.kind, sq.c, sq.symbol) == ("pow", 2.0, "**2")
    assert c.gate(c.find("invden")).kind == "recip"
    assert c.gate(c.find("f")).kind == "mul"
    assert c.resolve_output() == c.find("f")
