"""The document owns the current input set, and the scene follows every kind of model event."""

import pytest

import circuit_editor as ce
from circuit_editor.core import commands as cmd
from circuit_editor.core.errors import (
    CircuitError,
    InputSetError,
    NumberError,
    SettingError,
    UnknownKindError,
)
from circuit_editor.gui.document import Document
from circuit_editor.gui.scene import CircuitScene
from circuit_editor.gui.theme import Theme

WORKSHEET = "g = x + y\nh = g * z\nf = h + x"


def document() -> Document:
    c = ce.from_code(WORKSHEET)
    c.set_input_set("worksheet", {"x": -2.0, "y": 5.0, "z": -4.0})
    c.set_input_set("twos", {"x": 2.0, "y": 2.0})
    doc = Document()
    doc.replace(c, None)
    return doc


def values(doc: Document) -> list[float]:
    return [doc.circuit.input_named(n).value for n in "xyz"]


def test_applying_an_input_set_is_one_step_and_makes_it_current(qtbot):
    doc = document()
    assert doc.input_set == "worksheet"  # the first set, on opening
    assert values(doc) == [1.0, 1.0, 1.0]  # the code's values, not yet the set's
    assert doc.apply_input_set("twos")
    assert doc.input_set == "twos" and values(doc) == [2.0, 2.0, 1.0]  # z keeps its value
    assert doc.undo_stack.count() == 1 and doc.result.output == (2 + 2) * 1 + 2
    doc.undo_stack.undo()
    assert values(doc) == [1.0, 1.0, 1.0]
    assert doc.apply_input_set("worksheet")
    assert doc.result.output == -14.0 and doc.undo_stack.count() == 1  # the redo is gone
    assert doc.apply_input_set("worksheet")  # nothing changes: no undo step
    assert doc.undo_stack.count() == 1 and doc.input_set == "worksheet"


def test_a_refused_apply_leaves_the_current_set_and_the_circuit_alone(qtbot):
    doc = document()
    doc.apply_input_set("twos")
    before, steps = doc.circuit.copy(), doc.undo_stack.count()
    with qtbot.waitSignal(doc.refused) as refused:
        assert not doc.apply_input_set("nowhere")
    assert refused.args == ["There is no input set called 'nowhere' (known: worksheet, twos)."]
    assert doc.input_set == "twos"
    assert doc.circuit == before and doc.undo_stack.count() == steps


def test_renaming_and_deleting_keep_the_current_set_in_step(qtbot):
    doc = document()
    assert doc.rename_input_set("worksheet", "lecture") and doc.input_set == "lecture"
    assert doc.rename_input_set("twos", "threes") and doc.input_set == "lecture"
    assert not doc.rename_input_set("threes", "lecture") and doc.input_set == "lecture"
    assert doc.delete_input_set("threes") and doc.input_set == "lecture"
    assert doc.delete_input_set("lecture") and doc.input_set is None
    assert list(doc.circuit.input_sets) == []


def test_the_scene_follows_every_kind_of_event(qtbot):
    """Edits straight on the circuit (no document refresh): only the events tell the scene."""
    doc = document()
    scene = CircuitScene(doc, Theme.named("light"))
    c = doc.circuit
    seen = set()
    c.subscribe(lambda e: seen.add(e.kind))
    x, f = c.find("x"), c.find("f")
    c.add_gate("exp", pos=(300.0, 0.0), id="e")
    assert scene.gates["e"].gate == c.gate("e")
    c.connect(f, "e", 0)
    assert ce.Wire(f, "e", 0) in scene.wires
    c.move(x, (-500.0, 40.0))
    assert (scene.gates[x].pos().x(), scene.gates[x].pos().y()) == (-500.0, 40.0)
    c.set_label("e", "out")
    assert scene.gates["e"].gate.label == "out"
    assert scene.gates[f].is_output  # the code chose f
    c.set_setting("output", "e")
    assert scene.gates["e"].is_output and not scene.gates[f].is_output
    assert scene.stub.source_id == "e"
    c.disconnect("e", 0)
    assert ce.Wire(f, "e", 0) not in scene.wires
    c.remove_gate("e")
    assert "e" not in scene.gates and scene.gates[f].is_output
    assert seen == set(ce.EventKind)
    assert set(scene.gates) == {g.id for g in c.gates} and set(scene.wires) == set(c.wires)


def test_a_refusal_comes_back_from_the_push_with_its_reason(qtbot):
    doc = document()
    x = doc.circuit.find("x")
    taken = doc.push(cmd.SetValue(x, 3.0))
    assert taken and taken.ok and taken.reason == ""
    refusals = [
        (lambda: cmd.SetValue(x, float("nan")), NumberError, "finite number"),
        (lambda: cmd.SetInputSet(" ", {"x": 1.0}), InputSetError, "needs a name"),
        (lambda: cmd.RenameInputSet("worksheet", "twos"), InputSetError, "already an input set"),
        (lambda: cmd.SetSetting("tie", "coin"), SettingError, "tie policy"),
        (lambda: cmd.SetSetting("title", 3), SettingError, "must be text"),  # type: ignore[arg-type]
    ]
    for make, error, words in refusals:
        with pytest.raises(error):  # the core's own error, a CircuitError ...
            make().redo(doc.circuit.copy())
        assert issubclass(error, CircuitError)
        before, steps = doc.circuit.copy(), doc.undo_stack.count()
        outcome = doc.push(make())  # ... comes back from the push as a refusal
        assert not outcome and words in outcome.reason, outcome
        assert outcome.reason[0].isupper() and outcome.reason.endswith(".")
        assert doc.circuit == before and doc.undo_stack.count() == steps


def test_the_core_raises_its_own_errors_for_what_a_user_can_get_wrong():
    c = ce.from_code(WORKSHEET)
    with pytest.raises(NumberError):
        c.set_value(c.find("x"), float("inf"))
    with pytest.raises(InputSetError):
        c.set_input_set("", {"x": 1.0})
    with pytest.raises(SettingError):
        c.set_setting("tie", "coin")
    with pytest.raises(UnknownKindError):
        c.add_gate("sprocket")
    with pytest.raises(SettingError):
        ce.evaluate(c, tie="coin")


class Broken(cmd.Command):
    """A command with a bug in it."""

    def __init__(self, error: Exception):
        self.error = error

    def redo(self, c: ce.Circuit) -> None:
        raise self.error

    def undo(self, c: ce.Circuit) -> None:
        raise AssertionError("never ran")


@pytest.mark.parametrize("error", [ValueError("a bug"), KeyError("n1"), TypeError("a bug")])
def test_a_programming_error_is_no_refusal_it_propagates(qtbot, error):
    doc = document()
    refused: list[str] = []
    doc.refused.connect(refused.append)
    with pytest.raises(type(error)):
        doc.push(Broken(error))
    assert refused == []


def test_the_current_input_set_is_announced_when_it_changes_and_only_then(qtbot):
    doc = document()
    heard: list[object] = []
    doc.inputSetChanged.connect(heard.append)
    assert doc.apply_input_set("twos") and heard == ["twos"]
    assert doc.apply_input_set("twos") and heard == ["twos"]  # no change, no news
    doc.rename_input_set("twos", "pairs")
    doc.delete_input_set("pairs")
    assert heard == ["twos", "pairs", None]
    assert not doc.apply_input_set("no such set") and heard == ["twos", "pairs", None]
