"""Code as people write it, pasted whole into the real Code panel: the canvas circuit, its numbers
(checked by hand), the input set the code gave and the notes under the editor."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

import circuit_editor as ce
from circuit_editor.core.parse import FROM_CODE
from circuit_editor.gui.code_panel import CodePanel

from .test_docks import make, paste, show

FIXTURES = Path(__file__).parents[1] / "core" / "fixtures"


def fixture(name):
    return (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")


def build(qtbot, code, button="replace"):
    doc, scene, view = make(qtbot, "f = exp(w0) * w1", {"w0": 0.5})
    panel = CodePanel(doc, view)
    show(qtbot, panel)
    paste(panel.editor, code)
    steps = doc.undo_stack.count()
    target = panel.replace_button if button == "replace" else panel.add_button
    QTest.mouseClick(target, Qt.MouseButton.LeftButton)
    assert doc.undo_stack.count() == steps + 1  # one undo step, whatever the code gave
    return doc, scene, panel


def test_the_notes_simplest_snippet_pasted_whole(qtbot):
    doc, scene, panel = build(qtbot, fixture("notes_simplest"))
    c = doc.circuit
    assert [g.label for g in c.inputs()] == ["x", "y", "z"]
    assert {g.label: g.value for g in c.inputs()} == {"x": -2.0, "y": 5.0, "z": -4.0}
    assert len(scene.gates) == len(c) == 5  # x, y, z, q, f: no gate for the backward pass
    r = doc.result
    # by hand: q = -2 + 5 = 3, f = 3 * -4 = -12; df/dz = q = 3, df/dq = z = -4 = df/dx = df/dy
    assert c.gate(r.output_id).label == "f" and r.output == -12.0
    assert (r.value["q"], r.grad["q"]) == (3.0, -4.0)
    assert (r.grad["x"], r.grad["y"], r.grad["z"]) == (-4.0, -4.0, 3.0)
    assert doc.input_set == FROM_CODE
    assert dict(c.input_sets[FROM_CODE]) == {"x": -2.0, "y": 5.0, "z": -4.0}
    assert not panel.notes.isHidden()
    assert "from line 8 (# perform the backward pass" in panel.notes.text()
    assert panel.error.isHidden()
    doc.undo_stack.undo()
    assert FROM_CODE not in doc.circuit.input_sets and len(doc.circuit) == 4


def test_the_notes_staged_function_pasted_whole(qtbot):
    doc, _scene, panel = build(qtbot, fixture("notes_staged"))
    r = doc.result

    def s(t):
        return 1 / (1 + math.exp(-t))

    x, y = 3.0, -4.0  # the code's example values
    num, den = x + s(y), s(x) + (x + y) ** 2
    assert r.output == pytest.approx(num / den, rel=1e-15)
    # by hand: df/dx = (1 / den) - num (s'(x) + 2(x + y)) / den^2, df/dy = ...
    dx = 1 / den - num * (s(x) * (1 - s(x)) + 2 * (x + y)) / den**2
    dy = s(y) * (1 - s(y)) / den - num * 2 * (x + y) / den**2
    assert r.grad["x"] == pytest.approx(dx, rel=1e-12)
    assert r.grad["y"] == pytest.approx(dy, rel=1e-12)
    assert "(# backprop f = num * invden) on" in panel.notes.text()


def test_micrograd_pasted_whole_names_each_rebinding(qtbot):
    doc, scene, panel = build(qtbot, fixture("micrograd_readme"))
    r = doc.result
    assert round(r.output, 4) == 24.7041  # as micrograd's README prints
    assert (round(r.grad["a"], 4), round(r.grad["b"], 4)) == (138.8338, 645.5773)
    c = doc.circuit
    labels = [g.label for g in c.gates if g.label]
    assert len(labels) == len(set(labels)) and "c_3" in labels and "g_2" in labels
    shown = {scene.gates[c.find(n)].gate.label for n in ("c", "c_2", "c_3")}
    assert shown == {"c", "c_2", "c_3"}  # distinct names on the canvas
    assert "Left out print() (line 15)" in panel.notes.text()


def test_unused_lines_are_named_in_the_notes(qtbot):
    doc, _scene, panel = build(qtbot, "x = 3  # example values\ny = 2\nk = x * y\nf = x + 1")
    assert doc.result.output == 4.0
    assert "Not used by the output f: line 2 (y = 2), line 3 (k = x * y)" in panel.notes.text()


def test_adding_code_adds_its_values_to_the_set(qtbot):
    doc, _scene, _panel = build(qtbot, "u = 2\nL = f * u", button="add")
    c = doc.circuit
    assert c.input_named("u").value == 2.0
    assert dict(c.input_sets[FROM_CODE]) == {"u": 2.0}
    assert doc.input_set is None  # adding does not change the current set
    assert doc.result.value["L"] == math.exp(0.5) * 1.0 * 2.0


def test_a_refusal_points_at_its_line_and_column(qtbot):
    doc, _scene, view = make(qtbot)
    panel = CodePanel(doc, view)
    show(qtbot, panel)
    paste(panel.editor, "g = x + y\nf = α * g")
    QTest.mouseClick(panel.replace_button, Qt.MouseButton.LeftButton)
    assert panel.error.text().startswith("line 2, column 5: 'α' cannot name a gate")
    cur = panel.editor.textCursor()
    assert (cur.blockNumber(), cur.positionInBlock()) == (1, 4)
    assert ce.evaluate(doc.circuit, {"x": 1, "y": 1, "z": 1}).output == 3.0  # unchanged
