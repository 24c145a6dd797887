"""Playing the passes: pulses in the trace's order, exact step-back, the fork's running sum,
lecture keys, edits stopping playback, and the step deck's pages."""

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

import circuit_editor as ce
from circuit_editor import resources
from circuit_editor.core import commands as cmd

from .helpers import labels

STAGED = resources.path("examples", "2-staged.circuit")
NEURON = resources.path("examples", "4abc-neuron.circuit")


@pytest.fixture
def staged(window):
    window.files.open_example(STAGED)
    window.playback.set_speed(10.0)
    return window


def finish(qtbot, pb):
    qtbot.waitUntil(lambda: pb._target is None, timeout=5000)


def test_pulses_follow_the_trace_in_order(staged, qtbot):
    w, pb = staged, staged.playback
    trace = w.document.result.trace()
    seen = []
    for k in range(len(trace)):
        pb.step_forward()
        step = trace[k]
        assert pb._target == k + 1
        assert len(pb.pulses) == len(step.wires)
        lit = [gid for gid, item in w.scene.gates.items() if item.active]
        seen.append((step.direction, lit))
        ends = [p.points[-1] for p in pb.pulses]
        for wire in step.wires:
            port = w.scene.gates[wire.target].scene_input_port(wire.port)
            if step.direction == "forward":
                assert port in ends  # forward pulses arrive at the gate
            else:
                assert port not in ends  # backward pulses leave it
        finish(qtbot, pb)
        assert pb.position == k + 1
    assert seen == [(s.direction, [s.gate]) for s in trace]


def test_pulses_move_at_one_speed_whatever_the_gradient(staged, qtbot):
    w, pb = staged, staged.playback
    pb.set_position(4)  # backward through f: shares 1 and 1, short and long
    pb.step_forward()  # backward through h: shares -4 and 3
    speeds = [p.length / max(pb._durations[id(p)], 1e-9) for p in pb.pulses]
    assert max(speeds) == pytest.approx(min(speeds))
    duration_one = pb.anim.duration()
    pb.stop()
    doc = w.document
    doc.push(cmd.SetValue(doc.circuit.find("z"), -4000.0))  # 1000x the gradient on g
    pb.set_speed(10.0)
    pb.set_position(4)
    pb.step_forward()
    assert pb.anim.duration() == duration_one


def test_stepping_forward_then_back_restores_the_screen(staged, qtbot):
    w, pb = staged, staged.playback
    n = len(w.document.result.trace())
    for p in range(n):
        pb.set_position(p)
        before = labels(w.scene)
        pb.step_forward()
        finish(qtbot, pb)
        assert labels(w.scene) != before or p == n
        pb.step_back()
        assert labels(w.scene) == before


def test_the_fork_on_x_shows_1_then_minus_3(staged, qtbot):
    w, pb = staged, staged.playback
    n = len(w.document.result.trace()) // 2
    pb.set_position(n)  # forward done, no gradient yet
    assert labels(w.scene)[("x", "junction")] == ("-2", "")
    pb.step_forward()
    finish(qtbot, pb)  # back through f = h + x
    assert labels(w.scene)[("x", "junction")] == ("-2", "1")
    pb.step_forward()
    finish(qtbot, pb)  # back through h: x not touched
    assert labels(w.scene)[("x", "junction")] == ("-2", "1")
    pb.step_forward()
    finish(qtbot, pb)  # back through g = x + y
    assert labels(w.scene)[("x", "junction")] == ("-2", "-3")
    assert "1 + -4 = -3" in w.explanation.toPlainText()


def test_the_start_shows_only_inputs_and_the_end_everything(staged):
    w, pb = staged, staged.playback
    full = labels(w.scene)
    pb.to_start()
    shown = labels(w.scene)
    assert shown[("y", "g", 1)] == ("5", "") and shown[("g", "h", 0)] == ("", "")
    assert shown[("f", "out")] == ("", "")
    pb.to_end()
    assert labels(w.scene) == full


def test_play_runs_to_the_end_by_itself(staged, qtbot):
    w, pb = staged, staged.playback
    QTest.keyClick(w.view.viewport(), Qt.Key.Key_Space)
    assert pb.playing
    qtbot.waitUntil(lambda: not pb.playing, timeout=15000)
    assert pb.position == pb.count


def test_editing_during_playback_stops_it_and_shows_the_new_numbers(staged, qtbot):
    w, pb = staged, staged.playback
    pb.toggle()
    assert pb.playing and pb.pulses
    doc = w.document
    doc.push(cmd.SetValue(doc.circuit.find("x"), 1.0))
    assert not pb.playing and pb.position is None and not pb.pulses
    assert not any(p.scene() for p in w.scene.items() if type(p).__name__ == "PulseItem")
    assert labels(w.scene)[("f", "out")] == ("-23", "1")  # (1 + 5) * -4 + 1


def test_keys_step_without_a_selection_and_nudge_with_one(staged):
    w, pb = staged, staged.playback
    vp = w.view.viewport()
    QTest.keyClick(vp, Qt.Key.Key_PageDown)
    QTest.keyClick(vp, Qt.Key.Key_PageDown)  # the second completes the first and starts its own
    assert pb.position == 2
    QTest.keyClick(vp, Qt.Key.Key_Home)
    assert pb.position == 0
    QTest.keyClick(vp, Qt.Key.Key_End)
    assert pb.position == pb.count
    QTest.keyClick(vp, Qt.Key.Key_Left)
    assert pb.position == pb.count - 1
    c = w.document.circuit
    w.scene.gates[c.find("z")].setSelected(True)
    x, y = c.gate(c.find("z")).pos
    QTest.keyClick(vp, Qt.Key.Key_Right)  # with a selection, arrows move it
    assert c.gate(c.find("z")).pos == (x + 10, y)


def test_lecture_mode_keys(window, qtbot):
    w = window
    w.files.open_example(NEURON)
    w.playback.set_speed(10.0)
    vp = w.view.viewport()
    w.actions_.by_name["lecture"].trigger()
    assert w.lecture.active and w.isFullScreen() and w.view.locked
    assert not w.docks["palette"].isVisible() and not w.menuBar().isVisible()
    assert w.scene.theme.name == "contrast" and w.scene.theme.scale > 1
    QTest.keyClick(vp, Qt.Key.Key_Right)
    QTest.keyClick(vp, Qt.Key.Key_PageDown)
    assert w.playback.position >= 1
    QTest.keyClick(vp, Qt.Key.Key_End)
    full = labels(w.scene)
    QTest.keyClick(vp, Qt.Key.Key_R)  # structure only
    assert all(v == ("", "") for v in labels(w.scene).values())
    QTest.keyClick(vp, Qt.Key.Key_R)  # + values
    assert all(g == "" for _, g in labels(w.scene).values())
    assert any(v for v, _ in labels(w.scene).values())
    QTest.keyClick(vp, Qt.Key.Key_R)  # + gradients
    assert labels(w.scene) == full
    n_before = len(w.document.circuit)
    w.view.place("exp")  # editing is locked
    QTest.keyClick(vp, Qt.Key.Key_Delete)
    assert len(w.document.circuit) in (n_before, n_before + 1)
    QTest.keyClick(vp, Qt.Key.Key_Escape)
    assert not w.lecture.active and not w.view.locked and w.docks["palette"].isVisible()


def test_lecture_switches_input_sets_from_the_keyboard(window):
    w = window
    w.files.open_example(STAGED)
    w.lecture.enter()
    vp = w.view.viewport()
    QTest.keyClick(vp, Qt.Key.Key_2)
    assert w.document.input_set == "x = 1, y = 2, z = 3"
    assert labels(w.scene)[("f", "out")] == ("10", "1")
    QTest.keyClick(vp, Qt.Key.Key_BracketRight)
    assert w.document.input_set == "worksheet"
    assert labels(w.scene)[("f", "out")] == ("-14", "1")
    w.lecture.leave()


def test_a_click_hides_a_number_and_another_shows_it(window):
    w = window
    w.files.open_example(STAGED)
    w.lecture.enter()
    c = w.document.circuit
    item = w.scene.wires[ce.Wire(c.find("g"), c.find("h"), 0)]
    _above, below = item.label_rects()
    assert w.lecture.click(below.center())
    # a "?" box the size of the hidden number
    assert item.hidden == (False, True) and item.value_text == "3" and item.grad_text == "-4"
    assert w.lecture.click(below.center())
    assert item.hidden == (False, False)
    w.lecture.leave()


def test_the_step_deck_has_a_page_per_step_and_a_title_page(tmp_path):
    from circuit_editor.gui.deck import write_deck

    for path in (STAGED, NEURON):
        c = ce.load(path)
        n = sum(1 for g in c.gates if not g.spec.is_leaf)
        out = tmp_path / f"{path.stem}.pdf"
        listeners = len(c._listeners)
        assert write_deck(c, out) == 2 * n + 1
        assert len(c._listeners) == listeners  # no scene left following the document
        pages = re.findall(rb"/Type\s*/Page(?![s\w])", out.read_bytes())
        assert len(pages) == 2 * n + 1


def test_an_unfinished_circuit_has_no_deck(tmp_path):
    from circuit_editor.gui.deck import write_deck

    c = ce.Circuit()
    c.add_gate("input", label="x")
    c.add_gate("mul")
    with pytest.raises(ValueError, match="not finished"):
        write_deck(c, tmp_path / "x.pdf")
