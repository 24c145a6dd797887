"""The layered layout (core, no Qt): input order, crossings, dummy nodes and bend points,
no overlaps, determinism."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from layout_samples import random_circuit

import circuit_editor as ce
from circuit_editor.core.layering import build, layers_of
from circuit_editor.core.layout import (
    COLUMN,
    GAP,
    GATE_HALF,
    LANE_HALF,
    MAX_ROOM,
    TAG_HALF,
    columns,
    plan,
)
from circuit_editor.core.ordering import ordered, reduce_crossings

STAGED = "g = x + y\nh = g * z\nf = h + x"
FOUR_D = (
    "sigy = 1.0 / (1 + math.exp(-y))\nnum = x + sigy\nsigx = 1.0 / (1 + math.exp(-x))\n"
    "xpy = x + y\nxpysqr = xpy**2\nden = sigx + xpysqr\ninvden = 1.0 / den\nf = num * invden"
)


def named(c: ce.Circuit, positions) -> dict[str, tuple[float, float]]:
    return {c.gate(gid).name: pos for gid, pos in positions.items()}


def test_staged_example_reads_x_y_z_top_to_bottom_with_no_crossing():
    c = ce.from_code(STAGED)
    p = plan(c)
    pos = named(c, p.positions)
    assert pos["x"][1] < pos["y"][1] < pos["z"][1]
    assert p.crossings == 0


def test_tidy_layout_of_a_hand_built_staged_circuit_puts_z_below_g():
    c = ce.Circuit()
    f = c.add_gate("add", label="f").id  # built backwards, in no helpful order
    z = c.add_gate("input", label="z").id
    h = c.add_gate("mul", label="h").id
    y = c.add_gate("input", label="y").id
    g = c.add_gate("add", label="g").id
    x = c.add_gate("input", label="x").id
    for s, t, port in ((x, g, 0), (y, g, 1), (g, h, 0), (z, h, 1), (h, f, 0), (x, f, 1)):
        c.connect(s, t, port)
    p = plan(c)
    pos = named(c, p.positions)
    assert p.crossings == 0
    assert pos["x"][1] < pos["y"][1] < pos["z"][1]
    assert pos["g"][1] < pos["z"][1]


def test_4d_has_the_one_crossing_it_needs():
    """4(d) cannot be drawn without a crossing. The loop y -> sigy -> num -> f <- invden <-
    den <- xpysqr <- xpy <- y is a closed curve with num's path above (num is f's upper
    input). x is num's upper input, above sigy's wire: outside the loop; and xpy's upper input,
    above y's wire, as sigx is den's: inside it. So one of x's wires crosses the loop, wherever
    x stands. One is all it gets (where it is drawn, clear of the forks, is checked on the
    canvas: tests/gui/test_layout_canvas.py)."""
    c = ce.from_code(FOUR_D)
    assert ordered(c).crossings() == 1


def test_no_choice_of_layers_for_4ds_inputs_draws_it_without_a_crossing():
    """The staircase (an input a layer or more left of its first reader) tried every way."""
    c = ce.from_code(FOUR_D)
    col = layers_of(c)
    x, y = c.find("x"), c.find("y")
    for dx, dy in itertools.product(range(4), repeat=2):
        trial = {**col, x: col[x] - dx, y: col[y] - dy}
        assert reduce_crossings(build(c, trial)).crossings() >= 1


def test_layers_without_crossings_stand_a_column_apart_and_crossings_get_room():
    staged = plan(ce.from_code(STAGED))
    assert {x % COLUMN for x, _ in staged.positions.values()} == {0.0}
    c = random_circuit(50, 2)
    g = ordered(c)
    xs = columns(g)
    pos = g.positions()
    for i in range(len(xs) - 1):
        crossed = g.crossings_between(i, pos) > 0
        assert (xs[i + 1] - xs[i] > COLUMN) == crossed
        assert xs[i + 1] - xs[i] <= COLUMN + MAX_ROOM


def test_a_long_wire_gets_a_dummy_node_in_every_layer_it_crosses():
    c = ce.from_code(STAGED)
    g = build(c, layers_of(c))
    x, f = c.find("x"), c.find("f")
    chain = next(ch for (s, t, _), ch in g.chains.items() if (s, t) == (x, f))
    n_x, n_f = g.ids.index(x), g.ids.index(f)
    assert [g.layer[d] for d in chain] == list(range(g.layer[n_x] + 1, g.layer[n_f]))


def test_bend_points_lie_in_the_gaps_between_the_gates_of_their_layers():
    c = random_circuit(50, 2)
    p = plan(c)
    assert p.bends
    columns = {x for x, _ in p.positions.values()}
    for bends in p.bends.values():
        for bx, by in bends:
            assert bx in columns  # in a layer's column...
            for gid, pos in p.positions.items():
                if pos[0] == bx:  # ...clear of every gate standing there
                    half = TAG_HALF if c.gate(gid).spec.is_leaf else GATE_HALF
                    assert abs(pos[1] - by) >= half + LANE_HALF + GAP - 0.1


def test_dummy_nodes_never_share_a_position_with_a_gate():
    c = random_circuit(200, 3)
    p = plan(c)
    gates = set(p.positions.values())
    bends = [b for bs in p.bends.values() for b in bs]
    assert not gates & set(bends)
    assert len(set(bends)) == len(bends)


def test_sweeps_reduce_crossings():
    c = random_circuit(200, 3)
    g = build(c, layers_of(c))
    before = g.crossings()
    assert reduce_crossings(g).crossings() < before / 2


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 60), st.integers(0, 10_000))
def test_random_circuits_are_laid_out_without_gates_overlapping(n, seed):
    c = random_circuit(n, seed)
    p = plan(c)
    assert set(p.positions) == {g.id for g in c.gates}
    for (a, pa), (b, pb) in itertools.combinations(p.positions.items(), 2):
        if pa[0] == pb[0]:
            assert abs(pa[1] - pb[1]) >= 2 * TAG_HALF + GAP - 0.1, (a, b)
    for w in c.wires:  # left to right: every wire runs forward
        assert p.positions[w.source][0] < p.positions[w.target][0]


def test_layout_is_deterministic():
    a, b = random_circuit(120, 5), random_circuit(120, 5)
    assert plan(a).positions == plan(b).positions
    assert plan(a).bends == plan(b).bends


def test_layout_moves_the_gates_to_the_plan():
    c = ce.from_code(STAGED)
    positions = ce.layout(c)
    assert {g.id: g.pos for g in c.gates} == positions == plan(c).positions
