"""One name per gate on screen: two unlabelled * gates are mul4 and mul5 on the canvas, in the
inspector, in the Explanation and in the status line, never "the * gate" twice or "add".
Numbers by hand: a = x y = -10, b = a z = 40, f = b + x = 38 at x = -2, y = 5, z = -4;
df/da = z = -4, da/dx = y = 5, da/dy = x = -2, db/da = z = -4, db/dz = a = -10."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

import circuit_editor as ce
from circuit_editor.core import commands as cmd
from circuit_editor.core.layout import layout

from .helpers import click


def two_products() -> ce.Circuit:
    c = ce.Circuit()
    x, y, z = (c.add_gate("input", label=n, value=v).id for n, v in zip("xyz", (-2, 5, -4)))
    a, b = c.add_gate("mul").id, c.add_gate("mul").id  # n4, n5: no labels
    f = c.add_gate("add", label="f").id
    for src, dst, port in ((x, a, 0), (y, a, 1), (a, b, 0), (z, b, 1), (b, f, 0), (x, f, 1)):
        c.connect(src, dst, port)
    layout(c)
    return c


def click_gate(w, gid: str) -> None:
    item = w.scene.gates[gid]
    click(w.view.viewport(), w.view.mapFromScene(item.scenePos()))


def test_the_canvas_and_the_inspector_call_an_unlabelled_gate_by_one_name(window, qtbot):
    w = window
    w.document.replace(two_products(), None)
    first, second = w.scene.gates["n4"], w.scene.gates["n5"]
    assert first.shown_name() == second.shown_name() == ""  # no clutter while not looked at
    click_gate(w, "n4")
    qtbot.waitUntil(lambda: first.isSelected())
    assert first.shown_name() == "mul4" and second.shown_name() == ""
    assert first.boundingRect().contains(first.name_box())  # drawn inside what it repaints
    ins = w.inspector
    qtbot.waitUntil(lambda: ins.value_label.text() == "-10.0")
    assert ins.label_edit.text() == "" and ins.label_edit.placeholderText() == "mul4"
    assert (
        ins.grad_title.text() == "Gradient \u2202f/\u2202mul4" and ins.grad_label.text() == "-4.0"
    )
    local = ins.local_label.text()
    assert "\u2202mul4/\u2202x = 5.0" in local and "\u2202mul4/\u2202y = -2.0" in local
    assert "add" not in local and "multiply" not in local
    click_gate(w, "n5")
    qtbot.waitUntil(lambda: second.isSelected() and not first.isSelected())
    assert second.shown_name() == "mul5" and first.shown_name() == ""
    assert "\u2202mul5/\u2202mul4 = -4.0" in ins.local_label.text()
    assert "\u2202mul5/\u2202z = -10.0" in ins.local_label.text()


def test_a_step_shows_on_the_canvas_the_name_the_explanation_uses(window, qtbot):
    w = window
    w.document.replace(two_products(), None)
    w.playback.set_speed(4.0)
    QTest.keyClick(w.view.viewport(), Qt.Key.Key_Home)
    QTest.keyClick(w.view.viewport(), Qt.Key.Key_PageDown)  # forward 1: a = x * y
    qtbot.waitUntil(lambda: w.explanation.toPlainText().startswith("Forward 1 of"))
    text = w.explanation.toPlainText()
    assert "mul4 = x * y" in text and "mul4 = -10" in text
    assert w.scene.gates["n4"].shown_name() == "mul4"
    assert w.scene.gates["n5"].shown_name() == ""
    for _ in range(3):  # forward 2, forward 3, backward 1
        QTest.keyClick(w.view.viewport(), Qt.Key.Key_PageDown)
    QTest.keyClick(w.view.viewport(), Qt.Key.Key_PageDown)  # backward 2: through b = a * z
    qtbot.waitUntil(lambda: w.explanation.toPlainText().startswith("Backward 2 of"))
    text = w.explanation.toPlainText()
    assert "through mul5 = mul4 * z" in text and "df/dmul4 = upstream" in text
    assert w.scene.gates["n5"].shown_name() == "mul5"  # the gate stepped through
    assert w.scene.gates["n4"].shown_name() == "mul4"  # and the gate it names as its input


def test_a_refused_name_says_why_and_changes_nothing(window, qtbot):
    w = window
    w.document.replace(two_products(), None)
    reasons: list[str] = []
    w.document.refused.connect(reasons.append)
    outcome = w.document.push(cmd.SetLabel("n4", "x"))
    assert not outcome and "already an input called 'x'" in outcome.reason
    assert reasons and w.document.circuit.gate("n4").label == ""
    assert w.document.push(cmd.SetLabel("n4", "a"))
    assert w.scene.gates["n4"].shown_name() == "a"  # a label shows always
    assert w.document.result.value["a"] == -10.0


def test_a_constant_the_explanation_names_shows_that_name_beside_its_value(window, qtbot):
    w = window
    w.document.replace(ce.from_code("f = max(x, 0)"), None)  # the 0 is constant n3
    const = w.scene.gates["n3"]
    assert const.tag_text() == "0" and const.shown_name() == ""
    QTest.keyClick(w.view.viewport(), Qt.Key.Key_Home)
    QTest.keyClick(w.view.viewport(), Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: w.explanation.toPlainText().startswith("Forward 1 of"))
    assert "f = max(x, const3)" in w.explanation.toPlainText()
    assert const.shown_name() == "const3"
    assert const.boundingRect().contains(const.name_box())
    assert w.scene.gates["n1"].shown_name() == ""  # an input's tag is its name already
