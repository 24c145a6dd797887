"""The circuit panel's view of the circuit as code follows every change it shows: input values
typed or nudged in the inspector, a constant, a name, the title and description, the gate
differentiated, undo. Driven through the real widgets."""

from __future__ import annotations

import ast

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QHBoxLayout, QWidget

import circuit_editor as ce
from circuit_editor.gui.circuit_panel import CircuitPanel
from circuit_editor.gui.document import Document
from circuit_editor.gui.inspector import Inspector
from circuit_editor.gui.scene import CircuitScene
from circuit_editor.gui.theme import Theme
from circuit_editor.gui.view import CircuitView


def setup(qtbot, code: str, values: dict[str, float]):
    c = ce.from_code(code)
    for name, x in values.items():
        c.set_value(c.input_named(name).id, x)
    doc = Document(c)
    scene = CircuitScene(doc, Theme.named("light"))
    view = CircuitView(scene, doc)
    qtbot.addWidget(view)
    window = QWidget()
    lay = QHBoxLayout(window)
    ins = Inspector(doc, scene)
    panel = CircuitPanel(doc, Theme.named("light"))
    lay.addWidget(ins)
    lay.addWidget(panel)
    qtbot.addWidget(window)
    window.resize(900, 700)
    window.show()
    assert QTest.qWaitForWindowExposed(window)
    window.windowHandle().requestActivate()
    assert QTest.qWaitForWindowActive(window)
    return doc, scene, ins, panel, window


def select(scene, name):
    scene.clearSelection()
    scene.gates[scene.circuit.find(name)].setSelected(True)


def type_into(widget, text):
    widget.setFocus()
    widget.selectAll()
    QTest.keyClick(widget, Qt.Key.Key_Delete)
    QTest.keyClicks(widget, text)
    QTest.keyClick(widget, Qt.Key.Key_Return)


def lines(panel) -> list[str]:
    return panel.code.toPlainText().splitlines()


def test_the_code_follows_input_values_names_and_settings(qtbot):
    doc, scene, ins, panel, _window = setup(
        qtbot, "g = x + y\nh = g * z\nf = h + x", {"x": -2, "y": 5, "z": -4}
    )
    assert "x = -2.0" in lines(panel) and "print('df/dx =', dx)" in lines(panel)
    select(scene, "x")
    type_into(ins.value_edit, "3.25")  # typed in the inspector
    assert doc.circuit.input_named("x").value == 3.25
    assert "x = 3.25" in lines(panel) and "x = -2.0" not in lines(panel)
    ins.scrub.setFocus()
    QTest.keyClick(ins.scrub, Qt.Key.Key_Right)  # nudged
    nudged = doc.circuit.input_named("x").value
    assert nudged != 3.25 and f"x = {nudged!r}" in lines(panel)
    select(scene, "g")
    type_into(ins.label_edit, "total")  # a new name
    assert "total = x + y  # add" in lines(panel) and "dtotal = dh * z" in lines(panel)
    type_into(panel.title, "Staged")  # the title
    assert "# title: Staged" in lines(panel)
    panel.target.setFocus()
    QTest.keyClick(panel.target, Qt.Key.Key_Down)  # differentiate the first gate: total
    assert doc.circuit.settings.target == doc.circuit.find("total")
    assert "print('dtotal/dx =', dx)" in lines(panel)
    for _ in range(5):
        doc.undo_stack.undo()
    assert "x = -2.0" in lines(panel) and "g = x + y  # add" in lines(panel)
    assert not any(line.startswith("# title") for line in lines(panel))


def test_the_code_follows_a_constant_and_a_description_that_cannot_run(qtbot):
    # k is given after the forward pass starts, so it is a constant (before it, an input)
    doc, scene, ins, panel, _window = setup(qtbot, "h = x + 1\nk = 3\nf = h * k + 2", {"x": 0.5})
    assert "k = 3.0  # constant" in lines(panel)
    select(scene, "k")
    type_into(ins.value_edit, "4.5")
    assert "k = 4.5  # constant" in lines(panel)
    panel.description.setFocus()
    QTest.keyClicks(panel.description, "Scaled")
    QTest.keyClick(panel.description, Qt.Key.Key_Return)
    QTest.keyClicks(panel.description, "import os; os.system('echo ran')")
    panel.title.setFocus()  # leaving the description commits it
    assert doc.circuit.settings.description == "Scaled\nimport os; os.system('echo ran')"
    text = panel.code.toPlainText()
    assert "# description: Scaled" in lines(panel)
    assert "# | import os; os.system('echo ran')" in lines(panel)
    tree = ast.parse(text)
    assert not [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert [n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call)] == ["print", "print"]
