"""A long wire's way through the bands of gates between its ends, checked by hand on small
cases; the crossing counts and the gate index's fast paths against plain pairwise counts."""

import itertools
import random

import numpy as np

from circuit_editor.gui.channels import channel_route
from circuit_editor.gui.gate_index import CELL, FEW_CELLS, GateIndex, Readers
from circuit_editor.gui.step_costs import _crossed


def test_a_wire_runs_through_the_nearer_gap_of_a_band_just_clear_of_its_gate():
    index = GateIndex()
    index.set("g", (180, -10, 220, 50), None)  # mostly below the wire's line
    # the gap above ends 14 (CLEAR) above the box: up 24 and down 24 cost less than 64 twice
    assert channel_route((0, 0), (400, 0), index) == [
        (0, 0),
        (180, -24.0),
        (220, -24.0),
        (400, 0),
    ]


def test_a_wire_between_two_gates_of_a_band_keeps_clear_of_both():
    index = GateIndex()
    index.set("g", (180, -30, 220, 30), None)
    index.set("h", (180, -130, 220, -60), None)
    # the gaps: above h (to -144), between them (-46 to -44) and below g (from 44); the two
    # nearest cost the same, and the upper one is taken
    assert channel_route((0, 0), (400, 0), index) == [
        (0, 0),
        (180, -44.0),
        (220, -44.0),
        (400, 0),
    ]


def test_a_wire_level_with_a_free_band_runs_straight_and_one_that_runs_back_finds_none():
    index = GateIndex()
    index.set("g", (180, 100, 220, 160), None)
    assert channel_route((0, 0), (400, 0), index) == [(0, 0), (400, 0)]
    assert channel_route((400, 0), (0, 0), index) is None


def pairwise(steps, at_a, at_b, prev, cur):
    """Crossings counted one wire and one pair of heights at a time."""
    out = np.zeros((prev.shape[0], cur.shape[1], prev.shape[1]), dtype=int)
    for s, a, b in zip(steps, at_a, at_b, strict=True):
        for i, j in itertools.product(range(prev.shape[1]), range(cur.shape[1])):
            out[s, j, i] += (prev[s, i] - a) * (cur[s, j] - b) < 0
    return out


def test_crossings_counted_from_ranks_are_those_counted_pair_by_pair():
    rng = random.Random(5)
    for _ in range(40):
        n, size = rng.randint(1, 4), rng.randint(1, 6)
        # heights on a coarse grid, so wires often pass exactly through one (no crossing)
        prev = np.sort([[rng.randint(-5, 5) * 10.0 for _ in range(size)] for _ in range(n)])
        cur = np.sort([[rng.randint(-5, 5) * 10.0 for _ in range(size)] for _ in range(n)])
        wires = rng.randint(0, 12)
        steps = np.sort(np.array([rng.randrange(n) for _ in range(wires)], dtype=int))
        at_a = np.array([rng.randint(-6, 6) * 10.0 for _ in range(wires)])
        at_b = np.array([rng.randint(-6, 6) * 10.0 for _ in range(wires)])
        got = _crossed(steps, at_a, at_b, prev, cur)
        assert (got == pairwise(steps, at_a, at_b, prev, cur)).all()


def cells_of(box):
    return {
        (cx, cy)
        for cx in range(int(box[0] // CELL), int(box[2] // CELL) + 1)
        for cy in range(int(box[1] // CELL), int(box[3] // CELL) + 1)
    }


def test_a_look_at_many_cells_finds_the_gates_filed_in_them_as_a_look_at_few_does():
    rng = random.Random(3)
    index, boxes = GateIndex(), {}
    for k in range(300):
        x, y = rng.uniform(-3000, 3000), rng.uniform(-3000, 3000)
        boxes[f"g{k}"] = (x, y, x + rng.uniform(20, 300), y + rng.uniform(20, 300))
        index.set(f"g{k}", boxes[f"g{k}"], None)
    for _ in range(30):
        x, y = rng.uniform(-3500, 3500), rng.uniform(-3500, 3500)
        look = (x, y, x + rng.uniform(0, 2500), y + rng.uniform(0, 2500))
        want = sorted(boxes[g] for g in boxes if cells_of(boxes[g]) & cells_of(look))
        assert sorted(body for body, _ in index.near(look)) == want
    assert len(cells_of((0, 0, 2000, 2000))) > FEW_CELLS  # the arrays were read


def test_the_wires_that_looked_at_changed_cells_are_found():
    readers = Readers()
    readers.record("a", [(0, 0, 3, 0)])
    readers.record("b", [(5, 5, 5, 5), (-2, -2, -1, 9)])
    readers.record("c", [(10, -4, 12, -1)])
    assert readers.looked_at({(3, 0)}) == {"a"}
    assert readers.looked_at({(4, 0), (5, 6)}) == set()
    assert readers.looked_at({(-1, 7), (11, -1), (2, 0)}) == {"a", "b", "c"}
    readers.forget("b")
    assert readers.looked_at({(-1, 7), (5, 5)}) == set()
    assert readers.looked_at(set()) == set()


def test_a_gate_far_beyond_the_drawing_is_found_and_its_wire_laid():
    """Positions in a file are any finite numbers: the grid ends far out, and a look that
    spans it finds the gates there."""
    index = GateIndex()
    index.set("far", (1e300, 0, 1e300, 40), None)
    index.set("g", (180, -10, 220, 50), None)
    assert sorted(index.near((0, -100, 1e301, 100))) == [
        ((180, -10, 220, 50), None),
        ((1e300, 0, 1e300, 40), None),
    ]
    assert channel_route((0, 0), (1e300, 20), index, ("far",)) is not None
