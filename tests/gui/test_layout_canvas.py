"""The bundled examples as the canvas draws them after the layout: no crossing, no wire
through a gate, no number over another mark (4(d): the one crossing it cannot avoid, away from
its forks)."""

from __future__ import annotations

import pytest

from circuit_editor import files, resources
from circuit_editor.core.layout import COLUMN

from .canvas_marks import counts, crossing_points, drawn

EXAMPLES = {p.stem: p for p in resources.examples()}


@pytest.mark.parametrize("name", sorted(set(EXAMPLES) - {"4d-staged-function"}))
def test_every_worksheet_example_is_drawn_without_crossings_or_overlaps(qapp, name):
    assert counts(files.load(EXAMPLES[name])) == (0, 0, 0)


def test_4d_crosses_once_and_not_at_its_forks(qapp):
    c = files.load(EXAMPLES["4d-staged-function"])
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
