"""Lecture mode's pieces: the numbers under a click, what is put away and brought back, and
the window's parts it reaches through their public operations."""

import circuit_editor as ce
from circuit_editor import resources
from circuit_editor.core.reveal import JunctionNumber, OutputNumber, RevealStage, WireNumber

from .helpers import labels

STAGED = resources.path("examples", "2-staged.circuit")


def test_number_at_names_the_wire_the_junction_and_the_output(window):
    w = window
    w.files.open_example(STAGED)
    scene, c = w.scene, w.document.circuit
    x, g, h = c.find("x"), c.find("g"), c.find("h")
    wire = scene.wires[ce.Wire(g, h, 0)]
    above, below = wire.label_rects()
    assert scene.number_at(above.center()) == (WireNumber(ce.Wire(g, h, 0)), False)
    assert scene.number_at(below.center()) == (WireNumber(ce.Wire(g, h, 0)), True)
    above, _ = scene.junctions[x].label_rects()
    assert scene.number_at(above.center()) == (JunctionNumber(x), False)
    assert scene.stub is not None
    _, below = scene.stub.label_rects()
    assert scene.number_at(below.center()) == (OutputNumber(), True)
    assert scene.number_at(scene.gates[g].pos()) is None


def test_clicks_hide_a_junctions_value_and_the_outputs_gradient(window):
    w = window
    w.files.open_example(STAGED)
    w.lecture.enter()
    scene, c = w.scene, w.document.circuit
    full = labels(scene)
    above, _ = scene.junctions[c.find("x")].label_rects()
    _, below = scene.stub.label_rects()
    assert w.lecture.click(above.center()) and w.lecture.click(below.center())
    shown = labels(scene)
    assert shown[("x", "junction")] == ("", full[("x", "junction")][1])
    assert shown[("f", "out")] == (full[("f", "out")][0], "")
    w.lecture.leave()
    assert scene.reveal.hidden_values == set() and scene.reveal.hidden_grads == set()
    assert labels(scene) == full


def test_reveal_next_moves_through_the_stages_and_says_which(window):
    w = window
    w.files.open_example(STAGED)
    w.lecture.enter()
    messages = []
    w.show_message = messages.append
    w.lecture.reveal_next()
    assert w.scene.reveal.stage is RevealStage.STRUCTURE
    w.lecture.reveal_next()
    assert w.scene.reveal.stage is RevealStage.VALUES
    assert messages == ["Structure only", "Forward values"]
    w.lecture.leave()
    assert w.scene.reveal.stage is RevealStage.GRADIENTS


def test_leaving_brings_back_exactly_the_panels_bars_and_grid_that_were_showing(window):
    w = window
    w.docks["history"].hide()
    w.scene.set_grid(False)
    before = {key: dock.isVisible() for key, dock in w.docks.items()}
    w.lecture.enter()
    assert [k for k, d in w.docks.items() if d.isVisible()] == ["explain"]
    assert not any(t.isVisible() for t in w.toolbars())
    assert not w.menuBar().isVisible() and not w.statusBar().isVisible()
    w.lecture.leave()
    assert {key: dock.isVisible() for key, dock in w.docks.items()} == before
    assert all(t.isVisible() for t in w.toolbars())
    assert w.menuBar().isVisible() and w.statusBar().isVisible()
    assert not w.scene.show_grid


def test_the_gate_palette_leaves_qwidget_palette_alone(window):
    from PySide6.QtGui import QPalette

    from circuit_editor.gui.palette import Palette

    assert isinstance(window.gate_palette, Palette)
    assert isinstance(window.palette(), QPalette)
    assert window.docks["palette"].widget() is window.gate_palette


def test_panel_toggles_show_and_hide_the_docks(window):
    toggles = window.panel_toggles()
    assert len(toggles) == len(window.docks)
    history = window.docks["history"]
    toggle = next(t for t in toggles if t.text() == history.windowTitle())
    was = history.isVisible()
    toggle.trigger()
    assert history.isVisible() != was


def test_select_selects_only_the_given_gates_and_select_all_all(window):
    w = window
    w.files.open_example(STAGED)
    c = w.document.circuit
    w.scene.select_all()
    assert sorted(w.scene.selected_ids()) == sorted(g.id for g in c.gates)
    w.scene.select([c.find("g"), c.find("h")])
    assert sorted(w.scene.selected_ids()) == sorted([c.find("g"), c.find("h")])
