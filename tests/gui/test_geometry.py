"""Wire routing and number placement, on plain boxes."""

import itertools

from circuit_editor.gui.gate_index import GateIndex
from circuit_editor.gui.geometry import hits, label_boxes, route


def test_a_segment_hits_a_box_it_crosses_but_not_one_it_starts_in_or_misses():
    box = (10, -5, 20, 5)
    assert hits((0, 0), (30, 0), box)
    assert hits((0, -20), (30, 20), box)
    assert not hits((0, 10), (30, 10), box)  # passes below
    assert not hits((15, 0), (30, 0), box)  # starts inside: its own gate
    assert not hits((0, 0), (9, 0), box)  # stops short


def test_a_wire_goes_around_gates_in_its_way_on_the_shorter_side():
    index = GateIndex()
    index.set("g", (100, -30, 160, 30), None)
    index.set("h", (300, -10, 360, 50), None)
    pts = route((0, -10), (500, -10), index)
    assert all(y < -10 for _, y in pts[1:-1])  # above both: the shorter detour
    assert pts[0] == (0, -10) and pts[-1] == (500, -10)
    for a, b in itertools.pairwise(pts):
        for box in ((100, -30, 160, 30), (300, -10, 360, 50)):
            assert not hits(a, b, box)


def test_a_clear_wire_stays_straight_and_its_own_gates_do_not_count():
    index = GateIndex()
    index.set("a", (-20, -20, 20, 20), None)
    index.set("b", (180, -20, 220, 20), None)
    assert route((20, 0), (180, 0), index, ("a", "b")) == [(20, 0), (180, 0)]


def test_numbers_sit_beside_the_wire():
    up, down = label_boxes((0, 0), (200, 0), 40, 30, 14, 0.5)
    assert up[3] <= 0 <= down[1]  # value above, gradient below
    assert abs((up[0] + up[2]) / 2 - 100) < 1e-9


def test_a_pulse_follows_a_bent_wire_whose_segments_are_equal(qapp):
    from PySide6.QtCore import QPointF

    from circuit_editor.gui.playback import PulseItem

    pts = [QPointF(0, 0), QPointF(100, 0), QPointF(100, 100), QPointF(200, 100)]

    class Scene:
        theme = None

    pulse = PulseItem(Scene(), pts, "backward", 1.0)
    for t, want in [
        (0.0, (0, 0)),
        (1 / 6, (50, 0)),
        (0.5, (100, 50)),
        (5 / 6, (150, 100)),
        (1.0, (200, 100)),
    ]:
        pulse.set_progress(t)
        assert (round(pulse.pos().x(), 6), round(pulse.pos().y(), 6)) == want, t
