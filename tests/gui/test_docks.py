"""The docks: palette, inspector, circuit panel and code panel, driven with real key and mouse
events; assertions are on the circuit, the undo stack and what the widgets show."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QDrag, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

import circuit_editor as ce
from circuit_editor.core.gates import GATES
from circuit_editor.gui.circuit_panel import CircuitPanel
from circuit_editor.gui.code_panel import CodePanel
from circuit_editor.gui.document import Document
from circuit_editor.gui.gate_item import GRID
from circuit_editor.gui.inspector import Inspector
from circuit_editor.gui.palette import Palette
from circuit_editor.gui.scene import CircuitScene
from circuit_editor.gui.theme import Theme
from circuit_editor.gui.view import GATE_MIME, CircuitView

from .helpers import double_click, drag

WORKSHEET = "g = x + y\nh = g * z\nf = h + x"


def make(qtbot, code=WORKSHEET, values=None):
    c = ce.from_code(code)
    for name, x in (values or {}).items():
        c.set_value(c.input_named(name).id, x)
    doc = Document(c)
    scene = CircuitScene(doc, Theme.named("light"))
    view = CircuitView(scene, doc)
    qtbot.addWidget(view)
    return doc, scene, view


@pytest.fixture
def staged(qtbot):
    return make(qtbot, values={"x": -2, "y": 5, "z": -4})


def select(scene, *names):
    scene.clearSelection()
    for name in names:
        scene.gates[scene.circuit.find(name)].setSelected(True)


def type_into(widget, text, enter=True):
    widget.setFocus()
    widget.selectAll()
    QTest.keyClick(widget, Qt.Key.Key_Delete)
    QTest.keyClicks(widget, text)
    if enter:
        QTest.keyClick(widget, Qt.Key.Key_Return)


def show(qtbot, widget):
    """Shown and active, so that focus (and hasFocus) behave as on a desktop."""
    qtbot.addWidget(widget)
    widget.show()
    assert QTest.qWaitForWindowExposed(widget)
    widget.windowHandle().requestActivate()
    assert QTest.qWaitForWindowActive(widget)
    return widget


def value(doc, name):
    return doc.circuit.input_named(name).value


# ------------------------------------------------------------------------------ palette
def test_palette_lists_every_registry_gate_with_its_docs(qtbot):
    p = Palette(Theme.named("light"))
    qtbot.addWidget(p)
    assert sorted(p.visible_kinds()) == sorted(GATES)
    for kind, spec in GATES.items():
        item = p.item_for(kind)
        assert item.text(0) == spec.name
        assert not item.icon(0).isNull()
        tip = item.toolTip(0)
        assert spec.doc in tip
        if spec.local_doc:
            assert spec.formula.replace("<", "&lt;") in tip and "Local gradient" in tip


def test_palette_filter_matches_name_kind_symbol_and_doc(qtbot):
    p = Palette(Theme.named("light"))
    show(qtbot, p)
    QTest.keyClicks(p.filter, "MULT")
    assert p.visible_kinds() == ["mul", "mulc"]
    p.filter.clear()
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):  # the sigmoid's symbol, σ
        QApplication.sendEvent(
            p.filter, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, "\u03c3")
        )
    assert p.visible_kinds() == ["sigmoid"]
    p.filter.clear()
    QTest.keyClicks(p.filter, "recip")  # its kind
    assert p.visible_kinds() == ["recip"]
    p.filter.clear()
    QTest.keyClicks(p.filter, "logistic")  # its doc
    assert p.visible_kinds() == ["sigmoid"]
    p.filter.clear()
    QTest.keyClicks(p.filter, "no such gate")
    assert p.visible_kinds() == []
    p.filter.clear()
    assert len(p.visible_kinds()) == len(GATES)


def test_palette_places_with_enter_and_double_click(qtbot, staged):
    doc, _scene, view = staged
    p = Palette(Theme.named("light"))
    p.placeRequested.connect(view.place)
    p.resize(260, 500)
    show(qtbot, p)
    before = len(doc.circuit)
    QTest.keyClicks(p.filter, "tanh")
    with qtbot.waitSignal(p.placeRequested) as sig:
        QTest.keyClick(p.filter, Qt.Key.Key_Return)  # Enter places the first match
    assert sig.args == ["tanh"]
    assert len(doc.circuit) == before + 1 and doc.circuit.gates[-1].kind == "tanh"
    p.filter.clear()
    # keyboard only: Down from the filter into the list, move, Enter
    p.filter.setFocus()
    QTest.keyClick(p.filter, Qt.Key.Key_Down)
    assert p.tree.hasFocus()
    p.tree.setCurrentItem(p.item_for("add"))
    QTest.keyClick(p.tree, Qt.Key.Key_Down)
    with qtbot.waitSignal(p.placeRequested) as sig:
        QTest.keyClick(p.tree, Qt.Key.Key_Return)
    assert sig.args == ["mul"]
    p.tree.scrollToItem(p.item_for("exp"))
    rect = p.tree.visualItemRect(p.item_for("exp"))
    with qtbot.waitSignal(p.placeRequested) as sig:
        double_click(p.tree.viewport(), rect.center())
    assert sig.args == ["exp"]
    assert [g.kind for g in doc.circuit.gates[-3:]] == ["tanh", "mul", "exp"]


def test_palette_drag_carries_the_kind(qtbot, monkeypatch):
    p = Palette(Theme.named("light"))
    show(qtbot, p)
    started = []

    def fake_exec(self, *args):
        started.append(bytes(self.mimeData().data(GATE_MIME)).decode())
        return Qt.DropAction.CopyAction

    monkeypatch.setattr(QDrag, "exec", fake_exec)
    p.tree.scrollToItem(p.item_for("sigmoid"))
    rect = p.tree.visualItemRect(p.item_for("sigmoid"))
    far = QPoint(QApplication.startDragDistance() * 4, 0)
    drag(p.tree.viewport(), rect.center(), rect.center() + far)
    assert started == ["sigmoid"]


# ------------------------------------------------------------------------------ inspector
def test_inspector_follows_the_selection(qtbot, staged):
    doc, scene, _view = staged
    ins = Inspector(doc, scene)
    show(qtbot, ins)
    assert ins.pages.currentWidget() is ins.hint
    select(scene, "x", "y")
    assert ins.pages.currentWidget() is ins.many and "2 gates" in ins.many.text()
    select(scene, "h")
    assert ins.pages.currentWidget() is ins.gate_page
    assert ins.value_label.text() == "-12.0" and ins.grad_label.text() == "1.0"
    assert "multiply" in ins.kind.text() and "f = x * y" in ins.kind.text()
    text = ins.local_label.text()
    assert "\u2202h/\u2202g = -4.0" in text and "\u2202h/\u2202z = 3.0" in text
    assert ins.local_doc.text() == GATES["mul"].local_doc
    assert ins.value_edit.isHidden() and ins.param_edit.isHidden()
    select(scene, "x")
    assert ins.value_edit.text() == "-2.0" and ins.grad_label.text() == "-3.0"
    assert ins.local_label.isHidden()
    doc.push(ce.core.commands.RemoveGates([doc.circuit.find("x")]))
    assert ins.pages.currentWidget() is ins.hint


def test_inspector_typed_value_is_one_undo_step(qtbot, staged):
    doc, scene, _view = staged
    ins = Inspector(doc, scene)
    show(qtbot, ins)
    select(scene, "x")
    type_into(ins.value_edit, "3.25")
    assert value(doc, "x") == 3.25
    assert ins.value_label.text() == "3.25"
    type_into(ins.value_edit, "-1")
    assert value(doc, "x") == -1
    doc.undo_stack.undo()
    assert value(doc, "x") == 3.25  # typed edits do not merge
    doc.undo_stack.undo()
    assert value(doc, "x") == -2
    assert ins.value_edit.text() == "-2.0"


@pytest.mark.parametrize("bad", ["abc", "nan", "inf", "-inf", "1e999", ""])
def test_inspector_refuses_bad_numbers(qtbot, staged, bad):
    doc, scene, _view = staged
    ins = Inspector(doc, scene)
    show(qtbot, ins)
    select(scene, "x")
    steps = doc.undo_stack.count()
    type_into(ins.value_edit, bad)
    assert value(doc, "x") == -2 and doc.undo_stack.count() == steps
    assert not ins.value_msg.isHidden() and ins.value_msg.text()
    type_into(ins.value_edit, "4")  # the message goes once it works
    assert value(doc, "x") == 4 and ins.value_msg.isHidden()


def test_inspector_rename_and_refused_rename(qtbot, staged):
    doc, scene, _view = staged
    ins = Inspector(doc, scene)
    show(qtbot, ins)
    select(scene, "x")
    xid = doc.circuit.find("x")
    type_into(ins.label_edit, "y")  # y is taken
    assert doc.circuit.gate(xid).label == "x"
    assert ins.label_edit.text() == "x"
    assert "already an input called 'y'" in ins.label_msg.text()
    assert not ins.label_msg.isHidden()
    type_into(ins.label_edit, "w[0]")
    assert doc.circuit.gate(xid).label == "w[0]" and ins.label_msg.isHidden()
    doc.undo_stack.undo()
    assert doc.circuit.gate(xid).label == "x" and ins.label_edit.text() == "x"


def test_inspector_edits_the_constant_of_a_constant_gate(qtbot):
    doc, scene, _view = make(qtbot, "f = (x * y) ** 2", {"x": 3, "y": 1})
    ins = Inspector(doc, scene)
    show(qtbot, ins)
    select(scene, "f")
    assert not ins.param_edit.isHidden() and ins.param_edit.text() == "2.0"
    type_into(ins.param_edit, "3")
    f = doc.circuit.gate(doc.circuit.find("f"))
    assert f.c == 3 and ins.value_label.text() == "27.0"
    doc.undo_stack.undo()
    assert doc.circuit.gate(f.id).c == 2 and ins.param_edit.text() == "2.0"
    type_into(ins.param_edit, "two")
    assert doc.circuit.gate(f.id).c == 2 and "not a number" in ins.param_msg.text()
    assert ins.param_edit.text() == "two"  # kept, to be corrected


def test_inspector_scrub_drag_is_one_undo_step(qtbot, staged):
    doc, scene, _view = staged
    ins = Inspector(doc, scene)
    ins.resize(320, 600)
    show(qtbot, ins)
    select(scene, "x")
    steps = doc.undo_stack.count()
    s = ins.scrub
    centre = s.rect().center()
    seen = []
    doc.evaluated.connect(lambda r: seen.append(value(doc, "x")))
    drag(s, centre, QPoint(s.rect().right() - 2, centre.y()), steps=8)
    assert value(doc, "x") > -2 and len(set(seen)) >= 3  # it moved continuously
    assert doc.undo_stack.count() == steps + 1
    assert s.value() == 0  # sprung back
    assert ins.value_edit.text() == repr(value(doc, "x"))
    first = value(doc, "x")
    drag(s, centre, QPoint(s.rect().left() + 2, centre.y()), steps=4)  # a second drag
    assert value(doc, "x") < first and doc.undo_stack.count() == steps + 2
    doc.undo_stack.undo()
    assert value(doc, "x") == first
    doc.undo_stack.undo()
    assert value(doc, "x") == -2
    s.setFocus()
    QTest.keyClick(s, Qt.Key.Key_Right)
    QTest.keyClick(s, Qt.Key.Key_Right)
    assert value(doc, "x") == pytest.approx(-1.9) and doc.undo_stack.count() == steps + 1


def test_inspector_refresh_keeps_what_the_user_is_typing(qtbot, staged):
    doc, scene, _view = staged
    ins = Inspector(doc, scene)
    show(qtbot, ins)
    select(scene, "x")
    ins.value_edit.setFocus()
    ins.value_edit.selectAll()
    QTest.keyClicks(ins.value_edit, "12")
    QTest.keyClick(ins.value_edit, Qt.Key.Key_Left)
    assert ins.value_edit.hasFocus()
    doc.push(ce.core.commands.SetValue(doc.circuit.find("y"), 7.0))  # the circuit changes
    assert ins.value_edit.text() == "12" and ins.value_edit.cursorPosition() == 1
    assert ins.value_edit.hasFocus()
    assert ins.grad_label.text() == "-3.0"  # the numbers did refresh
    assert ins.value_label.text() == "-2.0"


def test_inspector_keeps_typing_when_the_selection_moves_on(qtbot, staged):
    doc, scene, _view = staged
    ins = Inspector(doc, scene)
    show(qtbot, ins)
    select(scene, "x")
    xid = doc.circuit.find("x")
    type_into(ins.label_edit, "a", enter=False)
    select(scene, "y")  # e.g. a click on the canvas: the name is kept
    assert doc.circuit.gate(xid).label == "a" and ins.label_edit.text() == "y"
    type_into(ins.label_edit, "b", enter=False)
    other = ce.from_code(WORKSHEET)  # the same ids, another document
    doc.replace(other, None)
    assert [g.label for g in other.inputs()] == ["x", "y", "z"]
    assert ins.pages.currentWidget() is ins.hint


def test_inspector_explains_kinks_and_infinities(qtbot):
    doc, scene, _view = make(qtbot, "f = max(x, y)", {"x": 1, "y": 1})
    ins = Inspector(doc, scene)
    show(qtbot, ins)
    select(scene, "f")
    assert not ins.problem.isHidden() and "tie" in ins.problem.text()
    doc2, scene2, _ = make(qtbot, "f = 1 / x", {"x": 0})
    ins2 = Inspector(doc2, scene2)
    show(qtbot, ins2)
    select(scene2, "f")
    assert ins2.value_label.text() == "inf" and "1/0" in ins2.problem.text()


def test_inspector_at_a_point_where_a_local_gradient_divides_by_zero(qtbot):
    doc, scene, _view = make(qtbot, "f = log(x) * y", {"x": 0, "y": 2})
    ins = Inspector(doc, scene)
    show(qtbot, ins)
    select(scene, next(g.id for g in doc.circuit.gates if g.kind == "log"))
    assert ins.value_label.text() == "-inf"
    text = ins.local_label.text()
    assert "\u2202log2/\u2202x = inf" in text  # d log x / dx = 1/x; the gate by its name


def test_inspector_on_an_unfinished_circuit(qtbot, staged):
    doc, scene, view = staged
    ins = Inspector(doc, scene)
    show(qtbot, ins)
    gid = view.place("mul")
    select(scene, gid)
    assert "not computed yet" in ins.value_label.text()
    assert "not computed yet" in ins.local_label.text()


# ------------------------------------------------------------------------------ circuit panel
def test_circuit_panel_settings_are_commands(qtbot, staged):
    doc, _scene, _view = staged
    panel = CircuitPanel(doc, Theme.named("light"))
    show(qtbot, panel)
    type_into(panel.title, "Worksheet 1")
    assert doc.circuit.settings.title == "Worksheet 1"
    assert "# title: Worksheet 1" in panel.code.toPlainText()
    panel.description.setFocus()
    QTest.keyClicks(panel.description, "Fan-out at x")
    panel.title.setFocus()  # leaving the field commits it
    assert doc.circuit.settings.description == "Fan-out at x"
    # output: "automatic" first, then the operation gates by name
    texts = [panel.output.itemText(i) for i in range(panel.output.count())]
    assert texts[0].startswith("automatic") and "g (add)" in texts
    panel.output.setFocus()
    QTest.keyClick(panel.output, Qt.Key.Key_Home)
    assert doc.circuit.settings.output is None
    panel.target.setFocus()
    QTest.keyClick(panel.target, Qt.Key.Key_Down)  # the first gate: g
    assert doc.circuit.settings.target == doc.circuit.find("g")
    assert doc.result.grad["x"] == 1.0  # d g / d x
    panel.tie.setFocus()
    QTest.keyClick(panel.tie, Qt.Key.Key_Down)
    assert doc.circuit.settings.tie == "split"
    assert "half" in panel.tie_doc.text()
    for _ in range(5):
        doc.undo_stack.undo()
    s = doc.circuit.settings
    assert (s.title, s.description, s.target, s.tie) == ("", "", None, "both")
    assert panel.title.text() == "" and panel.tie.currentData() == "both"
    assert panel.target.currentIndex() == 0


def test_circuit_panel_input_sets(qtbot, staged):
    doc, _scene, _view = staged
    panel = CircuitPanel(doc, Theme.named("light"))
    show(qtbot, panel)
    QTest.mouseClick(panel.new_set, Qt.MouseButton.LeftButton)
    assert doc.circuit.input_sets == {"set 1": {"x": -2, "y": 5, "z": -4}}
    editor = QApplication.focusWidget()  # its name is ready to type over
    assert editor is not None and editor.parent() is panel.sets.viewport()
    editor.selectAll()
    QTest.keyClicks(editor, "worksheet")
    QTest.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits it queued
    qtbot.waitUntil(lambda: list(doc.circuit.input_sets) == ["worksheet"])
    for name, x in {"x": 1.0, "y": 2.0}.items():
        doc.push(
            ce.core.commands.Macro("v", [ce.core.commands.SetValue(doc.circuit.find(name), x)])
        )
    steps = doc.undo_stack.count()
    with qtbot.waitSignal(panel.inputSetApplied) as sig:
        QTest.mouseClick(panel.apply_set, Qt.MouseButton.LeftButton)
    assert sig.args == ["worksheet"] and doc.input_set == "worksheet"
    assert (value(doc, "x"), value(doc, "y"), doc.result.output) == (-2, 5, -14)
    assert doc.undo_stack.count() == steps + 1  # one step for all the inputs
    doc.undo_stack.undo()
    assert (value(doc, "x"), value(doc, "y")) == (1.0, 2.0)
    panel.sets.setFocus()
    panel.sets.setCurrentRow(0)
    QTest.keyClick(panel.sets, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()
    QTest.keyClicks(editor, "lecture")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: list(doc.circuit.input_sets) == ["lecture"])
    assert doc.input_set == "lecture"
    QTest.mouseClick(panel.delete_set, Qt.MouseButton.LeftButton)
    assert doc.circuit.input_sets == {} and panel.sets.count() == 0
    assert not panel.apply_set.isEnabled()
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert list(doc.circuit.input_sets) == ["worksheet"]
    assert panel.sets.item(0).text() == "worksheet"


def test_circuit_panel_code_view_and_unfinished_circuit(qtbot, staged):
    doc, _scene, view = staged
    panel = CircuitPanel(doc, Theme.named("light"))
    show(qtbot, panel)
    assert "## forward pass" in panel.code.toPlainText()
    assert "h = g * z" in panel.code.toPlainText() and panel.code_note.isHidden()
    view.place("mul")
    assert panel.code.isHidden() and "not finished" in panel.code_note.text()
    doc.undo_stack.undo()
    assert not panel.code.isHidden() and panel.code_note.isHidden()
    doc.replace(ce.Circuit(), None)
    assert "empty" in panel.code_note.text() and panel.output.count() == 1


# ------------------------------------------------------------------------------ code panel
def paste(editor, text):
    QGuiApplication.clipboard().setText(text)
    editor.setFocus()
    editor.selectAll()
    QTest.keySequence(editor, QKeySequence(QKeySequence.StandardKey.Paste))
    assert editor.toPlainText() == text


def test_code_panel_replaces_the_circuit_in_one_undo_step(qtbot):
    doc, scene, view = make(qtbot, "f = exp(w0) * w1", {"w0": 0.5})
    before = doc.circuit.copy()
    panel = CodePanel(doc, view)
    show(qtbot, panel)
    paste(panel.editor, WORKSHEET)
    QTest.mouseClick(panel.replace_button, Qt.MouseButton.LeftButton)
    c = doc.circuit
    assert sorted(g.label for g in c.gates) == ["f", "g", "h", "x", "y", "z"]
    assert [c.gate(c.find(n)).kind for n in "ghf"] == ["add", "mul", "add"]
    assert c.gate(c.resolve_output()).label == "f" and len(scene.gates) == 6
    assert doc.result.output == 3.0  # every input is 1 by default
    assert panel.error.isHidden()
    laid_out = {g.label: g.pos for g in ce.from_code(WORKSHEET).gates}
    for g in c.gates:  # as read_code lays it out, on
        assert g.pos == pytest.approx(laid_out[g.label], abs=GRID / 2)  # the canvas's grid
    doc.undo_stack.undo()
    assert doc.circuit == before and len(scene.gates) == len(before)
    doc.undo_stack.redo()
    assert len(doc.circuit) == 6


def test_code_panel_adds_beside_and_reuses_names(qtbot, staged):
    doc, scene, view = staged
    before = doc.circuit.copy()
    panel = CodePanel(doc, view)
    show(qtbot, panel)
    paste(panel.editor, "L = f * x\nM = L + q")
    QTest.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    c = doc.circuit
    assert len(c) == len(before) + 3  # L, M and the new input q
    assert [g.label for g in c.inputs()] == ["x", "y", "z", "q"]
    L = c.find("L")
    assert [w.source for w in c.wires_into(L)] == [c.find("f"), c.find("x")]
    assert c.gate(c.resolve_output()).label == "M"
    right = max(g.pos[0] for g in before.gates)
    assert all(c.gate(gid).pos[0] > right for gid in (L, c.find("M")))
    assert doc.result.value["L"] == -14 * -2
    assert set(scene.selected_ids()) == {L, c.find("M"), c.find("q")}
    doc.undo_stack.undo()
    assert doc.circuit == before


def test_code_panel_error_moves_the_cursor_and_changes_nothing(qtbot, staged):
    doc, _scene, view = staged
    before = doc.circuit.copy()
    panel = CodePanel(doc, view)
    show(qtbot, panel)
    paste(panel.editor, "g = x + y\nh = foo(g)\nf = h")
    steps = doc.undo_stack.count()
    QTest.mouseClick(panel.replace_button, Qt.MouseButton.LeftButton)
    assert doc.circuit == before and doc.undo_stack.count() == steps
    assert panel.error.text().startswith("line 2, column 5:") and not panel.error.isHidden()
    cur = panel.editor.textCursor()
    assert (cur.blockNumber(), cur.positionInBlock()) == (1, 4)
    assert panel.editor.hasFocus()
    paste(panel.editor, "g = x + y\n\nh = g *")
    QTest.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert doc.circuit == before and panel.editor.textCursor().blockNumber() == 2


def test_code_panel_shows_the_readers_notes(qtbot, staged):
    doc, _scene, view = staged
    panel = CodePanel(doc, view)
    show(qtbot, panel)
    paste(panel.editor, WORKSHEET + "\n# backward pass\ndf = 1.0")
    QTest.mouseClick(panel.replace_button, Qt.MouseButton.LeftButton)
    assert len(doc.circuit) == 6
    assert not panel.notes.isHidden() and "backward pass was left out" in panel.notes.text()


# ------------------------------------------------------------------------------ pictures
def test_render_docks_to_png(qtbot, staged, tmp_path):
    """Pictures to look at (not compared), in the test's temporary folder: run with
    ``--basetemp=DIR`` to find them in DIR/test_render_docks_to_png0."""
    doc, scene, view = staged
    doc.circuit.set_input_set("worksheet", {"x": -2, "y": 5, "z": -4})
    doc.refresh()
    widgets = {}
    for theme in ("light", "dark"):
        widgets[f"palette_{theme}"] = Palette(Theme.named(theme))
    ins = widgets["inspector_op"] = Inspector(doc, scene)
    select(scene, "h")
    widgets["circuit_panel"] = CircuitPanel(doc, Theme.named("light"))
    code = widgets["code_panel"] = CodePanel(doc, view)
    code.editor.setPlainText("g = x + y\nh = g *\nf = h + x")
    code.build(add=False)
    kdoc, kscene, _ = make(qtbot, "f = max(x, y) * z", {"x": 1, "y": 1, "z": 3})
    kink = widgets["inspector_kink"] = Inspector(kdoc, kscene)
    select(kscene, "x")
    kink.value_edit.setText("abc")
    kink.value_edit.setModified(True)
    kink._commit_value()
    sizes = {
        "palette": (240, 620),
        "inspector": (280, 520),
        "circuit": (300, 700),
        "code": (300, 380),
    }
    for name, w in widgets.items():
        qtbot.addWidget(w)
        w.resize(*sizes[name.split("_")[0]])
        w.show()
    qtbot.waitExposed(widgets["code_panel"])
    assert kink.value_msg.text()
    assert kink.grab().save(str(tmp_path / "inspector_input_bad.png"))
    select(kscene, next(g.id for g in kscene.circuit.gates if g.kind == "max"))
    assert "tie" in kink.problem.text()
    for name, w in widgets.items():
        assert w.grab().save(str(tmp_path / f"{name}.png"))
    assert ins.pages.currentWidget() is ins.gate_page
