"""The main window: files, the modified marker, clipboard, tidy layout, themes."""

from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

import circuit_editor as ce
from circuit_editor import files, resources

from .helpers import click, drag, labels

STAGED = resources.path("examples", "2-staged.circuit")


def action(w, name):
    return w.actions_.by_name[name]


def test_the_title_names_the_file_and_marks_changes(window, tmp_path):
    w = window
    assert w.windowTitle().startswith("Untitled[*]") and not w.isWindowModified()
    w.view.place("exp")
    assert w.isWindowModified()
    w.files.ask_save_path = lambda: tmp_path / "mine.circuit"
    assert w.files.save()
    assert w.windowTitle().startswith("mine.circuit") and not w.isWindowModified()
    w.view.place("exp")
    assert w.isWindowModified()
    w.document.undo_stack.undo()  # back to the saved state: clean again
    assert not w.isWindowModified()


def test_save_reopen_identical(window, tmp_path):
    w = window
    assert w.files.open_example(STAGED)
    assert w.document.path is None  # an example opens as a new document
    target = tmp_path / "staged.circuit"
    w.files.ask_save_path = lambda: target
    assert w.files.save()
    before = target.read_bytes()
    assert w.files.open_file(target)
    assert w.document.circuit == files.load(STAGED)
    w.files.ask_save_path = lambda: tmp_path / "again.circuit"
    assert w.files.save_as()
    assert (tmp_path / "again.circuit").read_bytes() == before
    assert Path(w.files.recent()[0]).name == "again.circuit"


def test_unsaved_changes_prompt_and_cancel_keeps_everything(window, tmp_path):
    w = window
    w.files.open_example(STAGED)
    w.view.place("exp")
    n = len(w.document.circuit)
    w.files.answers = ["cancel"]
    w.files.new_file()
    assert len(w.document.circuit) == n and w.isWindowModified()
    w.files.answers = ["discard"]
    w.files.new_file()
    assert len(w.document.circuit) == 0 and not w.isWindowModified()


def test_a_bad_file_says_why_and_leaves_the_document_alone(window, tmp_path):
    w = window
    w.files.open_example(STAGED)
    before = w.document.circuit.copy()
    bad = tmp_path / "bad.circuit"
    bad.write_text('{"format": "circuit-editor", "version": 99}')
    assert not w.files.open_file(bad)
    assert "newer circuit-editor" in w.files.errors[-1]
    assert w.document.circuit == before


def test_closing_with_changes_asks(window):
    w = window
    w.view.place("exp")
    w.files.answers = ["cancel"]
    assert not w.close()
    w.files.answers = ["discard"]
    assert w.close()


def test_copy_paste_makes_new_gates_with_their_inner_wires(window):
    w = window
    w.files.open_example(STAGED)
    c = w.document.circuit
    for name in ("g", "h"):
        w.scene.gates[c.find(name)].setSelected(True)
    action(w, "copy").trigger()
    action(w, "paste").trigger()
    assert len(c) == 8 and len(c.wires) == 7  # two gates, one wire between them
    pasted = set(w.scene.selected_ids())
    assert len(pasted) == 2 and not pasted & {g.id for g in files.load(STAGED).gates}
    w.document.undo_stack.undo()
    assert len(c) == 6 and len(c.wires) == 6


def test_cut_removes_and_paste_restores_elsewhere(window):
    w = window
    w.files.open_example(STAGED)
    c = w.document.circuit
    w.scene.gates[c.find("z")].setSelected(True)
    action(w, "cut").trigger()
    assert c.input_named("z") is None
    action(w, "paste").trigger()
    assert c.input_named("z") is not None


def test_tidy_layout_is_one_undoable_step(window):
    w = window
    w.files.open_example(STAGED)
    c = w.document.circuit
    positions = {g.id: g.pos for g in c.gates}
    click(w.view, w.scene.gates[c.find("h")].scenePos())
    drag(w.view, w.scene.gates[c.find("h")].scenePos(), QPointF(900, 700))
    depth = w.document.undo_stack.count()
    action(w, "tidy").trigger()
    assert w.document.undo_stack.count() == depth + 1
    assert {g.id: g.pos for g in c.gates} == positions
    w.document.undo_stack.undo()
    assert c.gate(c.find("h")).pos != positions[c.find("h")]


def test_rename_in_place(window):
    w = window
    w.files.open_example(STAGED)
    c = w.document.circuit
    gid = c.find("h")
    w.rename.start(gid)
    assert w.rename.edit.isVisible()
    w.rename.edit.setText("prod")
    QTest.keyClick(w.rename.edit, Qt.Key.Key_Return)
    assert c.gate(gid).label == "prod"
    w.rename.start(c.find("x"))
    w.rename.edit.setText("y")  # taken: refused, with the reason
    QTest.keyClick(w.rename.edit, Qt.Key.Key_Return)
    assert c.gate(c.find("x")).label == "x"
    assert "already an input called 'y'" in w.statusBar().currentMessage()


def test_themes_change_the_canvas_not_the_numbers(window):
    w = window
    w.files.open_example(STAGED)
    before = labels(w.scene)
    for name in ("dark", "colorblind", "contrast", "cs231n", "light"):
        w.findChild(type(action(w, "copy")), f"theme-{name}").trigger()
        assert w.scene.theme.name == name
        assert labels(w.scene) == before


def test_examples_menu_lists_every_example(window):
    titles = [a.text() for a in window.actions_.examples_menu.actions()]
    assert len(titles) == len(resources.examples())
    assert any("(x + y)z + x" in t for t in titles)


def test_a_dropped_circuit_file_opens(window, tmp_path):
    w = window
    path = tmp_path / "dropped.circuit"
    ce.save(ce.from_code("f = x * y"), path)
    w.view.fileDropped.emit(path)
    assert w.document.path == path and len(w.document.circuit) == 3


def _chain(n: int) -> ce.Circuit:
    """x, then n add-one gates in a row: far wider than any window at a legible zoom."""
    c = ce.Circuit(title="a long chain")
    prev = c.add_gate("input", label="x", value=1.0).id
    for i in range(n):
        g = c.add_gate("addc", params={"c": 1.0}, pos=(100.0 * (i + 1), 0.0)).id
        c.connect(prev, g, 0)
        prev = g
    return c


def test_opening_keeps_numbers_legible_but_fit_to_window_shows_the_whole_circuit(window):
    w = window
    w.document.replace(_chain(120), None)
    w.view.fit()  # as a circuit opens: legible, from the inputs on
    content = w.scene.content_rect()
    shown = w.view.mapToScene(w.view.viewport().rect()).boundingRect()
    assert not shown.contains(content) and shown.contains(w.scene.gates["n1"].sceneBoundingRect())
    action(w, "fit").trigger()  # View > Fit to Window: all of it, however small
    shown = w.view.mapToScene(w.view.viewport().rect()).boundingRect()
    assert shown.contains(content)
