"""The bundled examples as the canvas draws them, as stored and laid out again: no crossing,
no wire through a gate, no number over another mark (4(d): the one crossing it cannot avoid,
away from its forks; tests/core/test_layout.py says why). Random circuits laid out: no wire
through a gate and no number over another mark either."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import circuit_editor as ce
from circuit_editor import files, resources
from circuit_editor.core.layout import COLUMN

from .canvas_marks import counts, crossing_points, drawn

EXAMPLES = {p.stem: p for p in resources.examples()}


@pytest.mark.parametrize("name", sorted(set(EXAMPLES) - {"4d-staged-function"}))
def test_every_worksheet_example_is_drawn_without_crossings_or_overlaps(qapp, name):
    assert counts(files.load(EXAMPLES[name])) == (0, 0, 0)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_example_laid_out_again_is_drawn_as_clean(qapp, name):
    c = files.load(EXAMPLES[name])
    ce.layout(c)
    assert counts(c) == ((1, 0, 0) if name == "4d-staged-function" else (0, 0, 0))


@pytest.mark.parametrize("laid_out", [False, True])
def test_4d_crosses_once_and_not_at_its_forks(qapp, laid_out):
    c = files.load(EXAMPLES["4d-staged-function"])
    if laid_out:
        ce.layout(c)
    _, segs, _ = drawn(c)
    points = crossing_points(segs)
    assert len(points) == 1
    for name in ("x", "y"):
        fork_x = c.gate(c.find(name)).pos[0]
        assert not any(fork_x <= px <= fork_x + COLUMN for px, _ in points)
    assert counts(c)[1:] == (0, 0)  # nothing through a gate, no number over another mark


def test_the_staged_example_reads_x_y_z_top_to_bottom(qapp):
    c = files.load(EXAMPLES["2-staged"])
    ys = [c.gate(c.find(n)).pos[1] for n in ("x", "y", "z")]
    assert ys == sorted(ys) and len(set(ys)) == 3


def test_tidy_layout_of_a_hand_built_staged_circuit_draws_no_crossing(window, tmp_path):
    """Built backwards, every gate stacked at the origin: Tidy Layout (the menu action) reads
    x, y, z top to bottom, puts z below g, and the canvas draws it clean."""
    c = ce.Circuit()
    f = c.add_gate("add", label="f").id
    z = c.add_gate("input", label="z", value=-4.0).id
    h = c.add_gate("mul", label="h").id
    y = c.add_gate("input", label="y", value=5.0).id
    g = c.add_gate("add", label="g").id
    x = c.add_gate("input", label="x", value=-2.0).id
    for s, t, port in ((x, g, 0), (y, g, 1), (g, h, 0), (z, h, 1), (h, f, 0), (x, f, 1)):
        c.connect(s, t, port)
    c.set_setting("output", f)
    path = tmp_path / "hand-built.circuit"
    files.save(c, path)
    w = window
    w.files.open_example(path)
    depth = w.document.undo_stack.count()
    w.actions_.by_name["tidy"].trigger()
    c = w.document.circuit
    ys = {n: c.gate(c.find(n)).pos[1] for n in ("x", "y", "z", "g")}
    assert ys["x"] < ys["y"] < ys["z"] and ys["g"] < ys["z"]
    assert counts(c, w.scene) == (0, 0, 0)
    assert w.document.undo_stack.count() == depth + 1


def _random_circuit(n: int, seed: int) -> ce.Circuit:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
    from layout_samples import random_circuit

    return random_circuit(n, seed)


def test_tidy_layout_of_50_random_operations_leaves_every_number_clear(window):
    """Tidy Layout (the menu action) on a random circuit of 50 operations, with its numbers
    shown: no number over another number, a gate or its name, or a wire from another source;
    no wire through a gate; each number beside its own wire."""
    w = window
    w.document.replace(_random_circuit(50, 2), None)
    w.actions_.by_name["tidy"].trigger()
    c = w.document.circuit
    _, through, overlaps = counts(c, w.scene)
    assert (through, overlaps) == (0, 0)
    for wire, item in w.scene.wires.items():
        above, below = item.label_rects()
        (a, b, _), (p, q, _) = item.label_place()
        assert item.points.count(a) and item.points.count(p)  # on a segment of its own wire
        for r, (s, e) in ((above, (a, b)), (below, (p, q))):
            if not r.isEmpty():
                assert _near(r, s, e), wire
    w.document.undo_stack.setClean()


def _near(r, a, b) -> bool:
    """Whether the box ``r`` stands beside the segment a-b (touching it, within 3 units)."""
    from circuit_editor.gui.geometry import hits

    grown = (r.left() - 3, r.top() - 3, r.right() + 3, r.bottom() + 3)
    return hits((a.x(), a.y()), (b.x(), b.y()), grown)
