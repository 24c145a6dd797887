"""The canvas driven with the mouse and keys: building the worksheet's (x + y)z + x circuit,
refused and replaced wires, deleting and undoing, moving as one undo step."""

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

import circuit_editor as ce
from circuit_editor.core import commands as cmd
from circuit_editor.gui.document import Document
from circuit_editor.gui.scene import CircuitScene
from circuit_editor.gui.view import CircuitView

from .helpers import click, drag, drop_gate, labels, wire


@pytest.fixture
def canvas(qtbot):
    doc = Document()
    scene = CircuitScene(doc)
    view = CircuitView(scene, doc)
    messages = []
    view.message.connect(messages.append)
    doc.refused.connect(messages.append)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    view.centerOn(300, 0)
    return doc, scene, view, messages


def build_staged(doc, scene, view):
    """Drop the gates of (x + y)z + x from the palette and wire them port to port."""
    spots = {
        "x": (0, -80),
        "y": (0, 40),
        "z": (180, 120),
        "g": (180, -20),
        "h": (360, 40),
        "f": (540, 0),
    }
    kinds = {"x": "input", "y": "input", "z": "input", "g": "add", "h": "mul", "f": "add"}
    ids = {}
    for name in ["x", "y", "z", "g", "h", "f"]:
        before = set(scene.gates)
        drop_gate(view, kinds[name], QPointF(*spots[name]))
        (new,) = set(scene.gates) - before
        ids[name] = new
    assert [doc.circuit.gate(ids[n]).label for n in "xyz"] == ["x", "y", "z"]  # fresh names
    for src, dst, port in [
        ("x", "g", 0),
        ("y", "g", 1),
        ("g", "h", 0),
        ("z", "h", 1),
        ("h", "f", 0),
        ("x", "f", 1),
    ]:
        wire(view, ids[src], ids[dst], port)
    for name, value in [("x", -2), ("y", 5), ("z", -4)]:
        doc.push(cmd.SetValue(ids[name], value))
    for name in "ghf":
        doc.push(cmd.SetLabel(ids[name], name))
    return ids


def test_build_the_worksheet_circuit_by_hand_and_read_its_numbers(canvas):
    doc, scene, view, messages = canvas
    build_staged(doc, scene, view)
    assert len(doc.circuit.wires) == 6
    shown = labels(scene)
    # x fans out: the trunk carries its value and summed gradient, each branch its share
    assert shown[("x", "junction")] == ("-2", "-3")
    assert shown[("x", "g", 0)] == ("", "-4")
    assert shown[("x", "f", 1)] == ("", "1")
    assert shown[("y", "g", 1)] == ("5", "-4")
    assert shown[("g", "h", 0)] == ("3", "-4")
    assert shown[("z", "h", 1)] == ("-4", "3")
    assert shown[("h", "f", 0)] == ("-12", "1")
    assert shown[("f", "out")] == ("-14", "1")
    assert not messages


def test_a_wire_that_would_make_a_loop_is_refused_with_the_reason(canvas):
    doc, scene, view, messages = canvas
    ids = build_staged(doc, scene, view)
    before = doc.circuit.wires
    depth = doc.undo_stack.count()
    wire(view, ids["f"], ids["g"], 0)
    assert doc.circuit.wires == before
    assert doc.undo_stack.count() == depth
    assert any("loop" in m for m in messages)


def test_legal_targets_light_up_while_dragging(canvas):
    doc, scene, view, _messages = canvas
    ids = build_staged(doc, scene, view)
    from .helpers import move, press, release

    start = scene.gates[ids["g"]].scene_output_port()
    press(view, start)
    move(view, start + QPointF(30, 30))
    lit = {(gid, p) for gid, item in scene.gates.items() for p in item.port_state}
    assert (ids["h"], 1) in lit and (ids["f"], 0) in lit  # occupied ports replace: legal
    assert (ids["g"], 0) not in lit  # its own input: a loop
    assert (ids["h"], 0) not in lit  # the wire is already there
    release(view, start + QPointF(30, 30))
    assert not any(item.port_state for item in scene.gates.values())


def test_dropping_on_an_occupied_input_replaces_its_wire(canvas):
    doc, scene, view, _messages = canvas
    ids = build_staged(doc, scene, view)
    wire(view, ids["z"], ids["g"], 0)
    c = doc.circuit
    assert c.wire_into(ids["g"], 0).source == ids["z"]
    assert len(c.wires) == 6
    doc.undo_stack.undo()
    assert c.wire_into(ids["g"], 0).source == ids["x"]


def test_picking_up_a_wire_and_dropping_it_on_nothing_removes_it(canvas):
    doc, scene, view, _messages = canvas
    ids = build_staged(doc, scene, view)
    drag(view, scene.gates[ids["h"]].scene_input_port(1), QPointF(250, 300))
    assert doc.circuit.wire_into(ids["h"], 1) is None
    assert labels(scene)[("g", "h", 0)][0] == "3"  # what can be computed still is
    doc.undo_stack.undo()
    assert doc.circuit.wire_into(ids["h"], 1).source == ids["z"]


def test_delete_and_undo_bring_the_gate_back_with_its_wires(canvas):
    doc, scene, view, _messages = canvas
    ids = build_staged(doc, scene, view)
    wires = doc.circuit.wires
    click(view, scene.gates[ids["g"]].scenePos())
    assert scene.selected_ids() == [ids["g"]]
    view.setFocus()
    QTest.keyClick(view.viewport(), Qt.Key.Key_Delete)
    assert ids["g"] not in doc.circuit and len(doc.circuit.wires) == 3
    assert ids["g"] not in scene.gates
    doc.undo_stack.undo()
    assert doc.circuit.wires == wires
    assert labels(scene)[("f", "out")] == ("-14", "1")


def test_moving_with_the_mouse_is_one_undo_step_and_snaps_to_the_grid(canvas):
    doc, scene, view, _messages = canvas
    ids = build_staged(doc, scene, view)
    start = scene.gates[ids["h"]].scenePos()
    depth = doc.undo_stack.count()
    drag(view, start, start + QPointF(83, 47), steps=12)
    assert doc.undo_stack.count() == depth + 1
    assert doc.circuit.gate(ids["h"]).pos == (start.x() + 80, start.y() + 50)
    wire_item = scene.wires[ce.Wire(ids["g"], ids["h"], 0)]
    assert wire_item.end == scene.gates[ids["h"]].scene_input_port(0)  # wires follow
    doc.undo_stack.undo()
    assert doc.circuit.gate(ids["h"]).pos == (start.x(), start.y())
    assert scene.gates[ids["h"]].scenePos() == start


def test_arrow_keys_nudge_the_selection(canvas):
    doc, scene, view, _messages = canvas
    ids = build_staged(doc, scene, view)
    click(view, scene.gates[ids["z"]].scenePos())
    x, y = doc.circuit.gate(ids["z"]).pos
    QTest.keyClick(view.viewport(), Qt.Key.Key_Right)
    QTest.keyClick(view.viewport(), Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert doc.circuit.gate(ids["z"]).pos == (x + 10, y + 50)


def test_rubber_band_and_ctrl_click_select(canvas):
    doc, scene, view, _messages = canvas
    ids = build_staged(doc, scene, view)
    drag(view, QPointF(-80, -160), QPointF(60, 100))  # around x and y only
    assert set(scene.selected_ids()) == {ids["x"], ids["y"]}
    click(view, scene.gates[ids["h"]].scenePos(), Qt.KeyboardModifier.ControlModifier)
    assert set(scene.selected_ids()) == {ids["x"], ids["y"], ids["h"]}


def test_wheel_zooms_toward_the_cursor(canvas, qtbot):
    doc, scene, view, _messages = canvas
    build_staged(doc, scene, view)
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    anchor = QPoint(300, 200)
    before = view.mapToScene(anchor)
    ev = QWheelEvent(
        QPointF(anchor),
        QPointF(view.viewport().mapToGlobal(anchor)),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), ev)
    assert view.zoom == pytest.approx(1.15**2)
    after = view.mapToScene(anchor)
    assert abs(after.x() - before.x()) < 1 and abs(after.y() - before.y()) < 1


def test_every_edit_reevaluates_at_once(canvas):
    doc, scene, view, _messages = canvas
    ids = build_staged(doc, scene, view)
    doc.push(cmd.SetValue(ids["z"], 2))
    assert labels(scene)[("f", "out")] == ("4", "1")  # (-2 + 5) * 2 - 2
    assert labels(scene)[("x", "junction")] == ("-2", "3")  # 1 + z


def test_nonfinite_and_kinks_are_marked_with_an_explanation(canvas):
    doc, scene, _view, _messages = canvas
    c = ce.from_code("f = 1 / x + max(x, y)")
    doc.replace(c, None)
    doc.push(cmd.SetValue(c.find("x"), 0.0))
    recip = next(g.id for g in c.gates if g.kind == "recip")
    item = scene.gates[recip]
    assert item.problem_kind == "warn" and "1/0" in item.toolTip()
    doc.push(cmd.SetValue(c.find("x"), 1.0))
    doc.push(cmd.SetValue(c.find("y"), 1.0))
    mx = next(g.id for g in c.gates if g.kind == "max")
    assert scene.gates[recip].problem_kind == ""
    assert scene.gates[mx].problem_kind == "kink" and "tie" in scene.gates[mx].toolTip()


def on_wire(scene, wire_key, at=0.4):
    """A point on the drawn wire, clear of its ports."""
    return scene.wires[wire_key].path().pointAtPercent(at)


def test_a_clicked_wire_is_selected_and_delete_removes_it_as_one_undo_step(canvas):
    doc, scene, view, _messages = canvas
    ids = build_staged(doc, scene, view)
    zh = ce.Wire(ids["z"], ids["h"], 1)
    click(view, on_wire(scene, zh))
    assert scene.selected_wires() == [zh] and scene.selected_ids() == []
    depth = doc.undo_stack.count()
    view.setFocus()
    QTest.keyClick(view.viewport(), Qt.Key.Key_Delete)
    assert doc.circuit.wire_into(ids["h"], 1) is None and zh not in scene.wires
    assert len(doc.circuit) == 6  # the gates stay
    assert doc.undo_stack.count() == depth + 1
    doc.undo_stack.undo()
    assert doc.circuit.wire_into(ids["h"], 1) == zh
    assert labels(scene)[("f", "out")] == ("-14", "1")
    # Backspace does the same
    click(view, on_wire(scene, zh))
    QTest.keyClick(view.viewport(), Qt.Key.Key_Backspace)
    assert doc.circuit.wire_into(ids["h"], 1) is None


def test_a_selected_wire_is_drawn_in_the_selection_colour(canvas):
    doc, scene, view, _messages = canvas
    ids = build_staged(doc, scene, view)
    zh = ce.Wire(ids["z"], ids["h"], 1)
    spot = view.mapFromScene(on_wire(scene, zh, 0.3))
    colour = scene.theme.color("selection")

    def orange_near() -> bool:
        image = view.viewport().grab().toImage()
        return any(
            image.pixelColor(spot.x() + dx, spot.y() + dy) == colour
            for dx in range(-3, 4)
            for dy in range(-3, 4)
        )

    assert not orange_near()
    click(view, on_wire(scene, zh, 0.3))
    assert orange_near()


def test_selected_wires_and_gates_delete_together_as_one_step(canvas):
    doc, scene, view, _messages = canvas
    ids = build_staged(doc, scene, view)
    zh = ce.Wire(ids["z"], ids["h"], 1)
    before_wires, before_gates = doc.circuit.wires, len(doc.circuit)
    click(view, scene.gates[ids["g"]].scenePos())
    click(view, on_wire(scene, zh), Qt.KeyboardModifier.ControlModifier)
    assert scene.selected_ids() == [ids["g"]] and scene.selected_wires() == [zh]
    depth = doc.undo_stack.count()
    view.setFocus()
    QTest.keyClick(view.viewport(), Qt.Key.Key_Delete)
    assert ids["g"] not in doc.circuit and doc.circuit.wire_into(ids["h"], 1) is None
    assert len(doc.circuit.wires) == 2  # g's three wires and z -> h are gone
    assert doc.undo_stack.count() == depth + 1
    assert doc.undo_stack.undoText() == "delete 1 gate and 1 wire"
    doc.undo_stack.undo()
    assert doc.circuit.wires == before_wires and len(doc.circuit) == before_gates


def test_a_rubber_band_selects_the_wires_it_holds_not_those_it_crosses(canvas):
    doc, scene, view, _messages = canvas
    ids = build_staged(doc, scene, view)
    # around y, z and g's input side: y -> g lies inside; g -> h and x's branches only cross
    drag(view, QPointF(-60, 20), QPointF(240, 160))
    assert set(scene.selected_ids()) == {ids["y"], ids["z"]}
    held = set(scene.selected_wires())
    assert ce.Wire(ids["y"], ids["g"], 1) not in held  # it runs up to g, outside the band
    drag(view, QPointF(-60, -140), QPointF(250, 160))  # x, y, z and g, whole
    held = set(scene.selected_wires())
    assert {ce.Wire(ids["x"], ids["g"], 0), ce.Wire(ids["y"], ids["g"], 1)} <= held
    assert ce.Wire(ids["h"], ids["f"], 0) not in held
