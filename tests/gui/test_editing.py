"""Editing gaps, through the main window: Edit > Delete on a wire, a status line that follows
the circuit and names gates as the canvas does, the New canvas's hint, the palette's order and
the title of an example."""

import re

from PySide6.QtCore import QPointF

import circuit_editor as ce
from circuit_editor import files, resources
from circuit_editor.core import commands as cmd
from circuit_editor.core.gates import GATES
from circuit_editor.gui.palette import Palette
from circuit_editor.gui.theme import Theme

from .helpers import click, drop_gate, wire

NEURON = resources.path("examples", "4abc-neuron.circuit")


def dropped(w, kind, x, y):
    before = set(w.scene.gates)
    drop_gate(w.view, kind, QPointF(x, y))
    (new,) = set(w.scene.gates) - before
    return new


def test_edit_delete_removes_a_clicked_wire_and_undo_brings_it_back(window):
    w = window
    w.files.open_example(resources.path("examples", "2-staged.circuit"))
    c = w.document.circuit
    zh = c.wire_into(c.find("h"), 1)
    click(w.view, w.scene.wires[zh].path().pointAtPercent(0.4))
    w.actions_.by_name["delete"].trigger()
    assert c.wire_into(c.find("h"), 1) is None
    assert "not finished" in w.circuit_state.text()
    w.actions_.by_name["undo"].trigger()
    assert c.wire_into(c.find("h"), 1) == zh and w.circuit_state.text() == ""


def test_the_status_line_names_what_is_missing_until_the_circuit_is_complete(window):
    w = window
    w.view.centerOn(150, 0)
    x, y = dropped(w, "input", 0, -60), dropped(w, "input", 0, 60)
    mul = dropped(w, "mul", 200, 0)
    state = w.circuit_state
    assert state.isVisible()
    assert state.text() == (
        "Not every number can be worked out yet: the circuit is not finished: "
        "input 1 of the * gate mul3, input 2 of the * gate mul3 have no wire."
    )  # the name the canvas shows above it
    wire(w.view, x, mul, 0)
    assert "input 2 of the * gate mul3 has no wire" in state.text()
    assert not re.search(r"\bn\d+\b", state.text())  # no id the canvas never shows
    wire(w.view, y, mul, 1)
    assert state.text() == ""  # complete: nothing left to say
    w.actions_.by_name["undo"].trigger()  # the last wire goes again: so does the message
    assert "input 2 of the * gate mul3 has no wire" in state.text()


def test_a_label_names_the_gate_in_the_status_line(window):
    w = window
    w.document.replace(ce.from_code("q = x * y"), None)
    c = w.document.circuit
    c_q = c.find("q")
    w.document.push(cmd.Disconnect(c_q, 1))
    assert "input 2 of q has no wire" in w.circuit_state.text()


def test_a_new_canvas_shows_a_hint_until_it_has_a_gate(window):
    w = window
    assert w.view.shows_hint()
    centre = w.view.viewport().rect().center()
    ink = w.scene.theme.color("port")

    def hint_drawn() -> bool:
        image = w.view.viewport().grab().toImage()
        return any(
            image.pixelColor(x, centre.y() + dy) == ink
            for x in range(0, image.width(), 1)
            for dy in range(-30, 31, 3)
        )

    assert hint_drawn()
    drop_gate(w.view, "exp", w.view.mapToScene(centre) + QPointF(0, 200))  # clear of the text
    assert not w.view.shows_hint() and not hint_drawn()
    w.actions_.by_name["undo"].trigger()
    assert w.view.shows_hint() and hint_drawn()
    w.files.open_example(NEURON)
    assert not w.view.shows_hint()
    w.actions_.by_name["new"].trigger()
    assert w.view.shows_hint() and hint_drawn()


def test_inputs_and_constants_head_the_palette(qtbot):
    p = Palette(Theme.named("light"))
    qtbot.addWidget(p)
    kinds = p.visible_kinds()
    assert kinds[:2] == ["input", "const"]
    assert sorted(kinds) == sorted(GATES)
    assert list(GATES)[-2:] == ["input", "const"]  # the registry's own order is untouched
    top = p.tree.topLevelItem(0)
    assert top.text(0) == "Inputs and constants" and top.child(0).text(0) == "input"
    assert p.tree.currentItem() is p.item_for("input")


def test_the_title_names_an_example_by_its_title_and_a_file_by_its_name(window, tmp_path):
    w = window
    assert w.windowTitle().startswith("Untitled[*]")
    w.files.open_example(NEURON)
    assert w.windowTitle() == "4(a)-(c) a sigmoid neuron (example)[*] \u2014 circuit-editor"
    w.view.place("exp")
    assert w.isWindowModified()
    w.files.ask_save_path = lambda: tmp_path / "neuron.circuit"
    assert w.files.save()
    assert w.windowTitle().startswith("neuron.circuit[*]")
    w.files.new_file()
    assert w.windowTitle().startswith("Untitled[*]")
    mine = files.load(NEURON)
    mine.set_setting("title", "my own neuron")
    w.document.replace(mine, None)
    assert w.windowTitle().startswith("my own neuron[*]")  # a title, but not an example's


def test_a_passing_message_about_the_last_circuit_goes_with_it(window):
    w = window
    w.files.open_example(NEURON)
    assert "4(a)-(c)" in w.statusBar().currentMessage()
    w.actions_.by_name["new"].trigger()
    assert w.statusBar().currentMessage() == ""
