"""Where a wire's numbers sit (gui.labels), on plain geometry: clear of gates, of other
sources' wires and of numbers placed before, each beside its own wire."""

from circuit_editor.gui.gate_index import GateIndex
from circuit_editor.gui.geometry import hits
from circuit_editor.gui.labels import board_of, label_boxes_of, place

SIZE = (40.0, 40.0, 14.0)  # value's width, gradient's width, height


def always(_owner) -> bool:
    return True


def boxes_at(points, spots, size=SIZE):
    (i, t), (j, u) = spots
    wv, wg, h = size
    return label_boxes_of(points[i], points[i + 1], (wv, 0.0, h), t) + label_boxes_of(
        points[j], points[j + 1], (0.0, wg, h), u
    )


def overlap(r, s) -> bool:
    return min(r[2], s[2]) > max(r[0], s[0]) and min(r[3], s[3]) > max(r[1], s[1])


def test_numbers_sit_in_the_middle_of_a_clear_wire():
    index = GateIndex()
    *spots, cost = place([(0, 0), (200, 0)], SIZE, index, "w", "a", always)
    assert spots == [(0, 0.5), (0, 0.5)] and cost == 0
    up, down = boxes_at([(0, 0), (200, 0)], spots)
    assert up[3] <= 0 <= down[1]  # value above, gradient below


def test_numbers_move_off_a_gate_name():
    index = GateIndex()
    index.set("g", (80, -40, 120, -1), None)  # something right above the middle
    *spots, cost = place([(0, 0), (200, 0)], SIZE, index, "w", "a", always)
    assert cost == 0
    up, _ = boxes_at([(0, 0), (200, 0)], spots)
    assert up[2] <= 80 or up[0] >= 120


def test_numbers_keep_clear_of_a_foreign_wire_but_not_of_their_own_sources():
    index = GateIndex()
    board = board_of(index)
    crossing = [(100, -60), (100, 60)]  # a wire from another source, crossing the middle
    board.set_segments("other", "b", crossing)
    line = [(0, 0), (200, 0)]
    *spots, cost = place(line, SIZE, index, "w", "a", always)
    assert cost == 0 and spots[0] != (0, 0.5)
    for r in boxes_at(line, spots):
        assert not hits(*crossing, r)
    board.set_segments("other", "a", crossing)  # the same source's branch: no matter
    assert place(line, SIZE, index, "w", "a", always)[:2] == ((0, 0.5), (0, 0.5))


def test_numbers_keep_clear_of_numbers_placed_before():
    index = GateIndex()
    board = board_of(index)
    line = [(0, 0), (200, 0)]
    first = place(line, SIZE, index, "w1", "a", always)[:2]
    board.set_labels("w1", "a", boxes_at(line, first))
    lower = [(0, 30), (200, 30)]  # a parallel wire just below: its value would touch
    second = place(lower, SIZE, index, "w2", "b", always)[:2]
    assert not any(overlap(r, s) for r in boxes_at(lower, second) for s in boxes_at(line, first))


def test_a_bent_wire_puts_its_numbers_on_a_clear_segment():
    index = GateIndex()
    index.set("g", (0, -60, 400, -2), None)  # over the whole first level run
    bent = [(0, 0), (400, 0), (420, 100), (700, 100)]
    (i, _), (j, _), cost = place(bent, SIZE, index, "w", "a", always)
    assert cost == 0 and i == j == 2


def test_a_wire_drawn_over_placed_numbers_sends_them_to_be_placed_again():
    index = GateIndex()
    board = board_of(index)
    line = [(0, 0), (200, 0)]
    spots = place(line, SIZE, index, "w", "a", always)[:2]
    board.set_labels("w", "a", boxes_at(line, spots))
    assert board.set_segments("other", "b", [(100, -60), (100, 60)]) == {"w"}
    assert board.set_segments("mine", "a", [(100, -60), (100, 60)]) == set()


def test_a_branch_without_a_value_needs_room_below_only():
    index = GateIndex()
    index.set("g", (0, -60, 200, -1), None)  # no room above anywhere
    line = [(0, 0), (200, 0)]
    assert place(line, SIZE, index, "w", "a", always)[2] > 0
    assert place(line, (0.0, 40.0, 14.0), index, "w", "a", always)[2] == 0


def test_where_nothing_is_clear_for_both_each_number_takes_its_own_clear_place():
    index = GateIndex()
    index.set("above", (0, -60, 100, -1), None)  # above the left half
    index.set("below", (100, 1, 200, 60), None)  # below the right half
    line = [(0, 0), (200, 0)]
    (_, t), (_, u), cost = place(line, SIZE, index, "w", "a", always)
    assert cost == 0 and t > 0.5 > u
