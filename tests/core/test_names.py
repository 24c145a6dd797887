"""One name per gate, everywhere: a label or a name made from the gate's id, unique in the
circuit, stable across edits, undo, save and load, taken wherever an id is. Numbers are worked
out by hand on the worksheet's (x + y) z at x = -2, y = 5, z = -4: q = 3, f = -12,
df/dq = z = -4, df/dz = q = 3, df/dx = df/dy = -4."""

import json

import numpy as np
import pytest

import circuit_editor as ce
from circuit_editor.cli import main
from circuit_editor.core import commands as K
from circuit_editor.core.errors import NameTakenError, NumberError
from circuit_editor.core.explain import Explainer
from circuit_editor.core.names import display_names, generated_name


def unlabelled():
    """(x + y) * z with no labels on its gates: inputs n1..n3, the + is n4, the * is n5."""
    c = ce.Circuit()
    x, y, z = (c.add_gate("input", label=n, value=v).id for n, v in zip("xyz", (-2, 5, -4)))
    q = c.add_gate("add").id
    f = c.add_gate("mul").id
    c.connect(x, q, 0)
    c.connect(y, q, 1)
    c.connect(q, f, 0)
    c.connect(z, f, 1)
    return c


def test_a_gate_without_a_label_is_named_by_its_kind_and_its_ids_number():
    c = unlabelled()
    assert display_names(c) == {"n1": "x", "n2": "y", "n3": "z", "n4": "add4", "n5": "mul5"}
    assert generated_name("n12", "const") == "const12"
    assert generated_name("q", "mul") == "mul_q"  # an id written by hand in a file


def test_results_answer_to_names_and_to_ids_alike():
    c = unlabelled()
    r = ce.evaluate(c)
    assert list(r.value) == ["x", "y", "z", "add4", "mul5"]
    assert r.value["add4"] == r.value["n4"] == 3.0
    assert r.value["mul5"] == r.output == -12.0
    assert r.grad["add4"] == r.grad["n4"] == -4.0
    assert r.grad["x"] == r.grad["n1"] == -4.0
    assert r.local_grads("mul5") == r.local_grads("n5") == (-4.0, 3.0)  # (z, q)
    assert r.local_grads("add4") == (1.0, 1.0)
    assert r.derivative_wrt("x")["mul5"] == -4.0
    with pytest.raises(ce.UnknownGateError, match="no gate or input called 'g'"):
        r.local_grads("g")


def test_names_do_not_move_when_gates_are_added_removed_undone_saved_and_loaded(tmp_path):
    c = unlabelled()
    before = display_names(c)
    g = c.add_gate("mul")  # a new gate, wired in front of the others' places
    c.connect("n1", g.id, 0)
    c.connect("n2", g.id, 1)
    assert g.name == "mul6" and {k: display_names(c)[k] for k in before} == before
    remove = K.RemoveGates(["n4"])
    remove.redo(c)
    assert display_names(c)["n5"] == "mul5" and display_names(c)["n6"] == "mul6"
    remove.undo(c)
    assert display_names(c)["n4"] == "add4"
    ce.save(c, tmp_path / "c.circuit")
    assert display_names(ce.load(tmp_path / "c.circuit")) == display_names(c)


def test_the_model_refuses_a_label_another_gate_goes_by_and_says_why():
    c = unlabelled()
    cases = {
        "x": "already an input called 'x'",
        "mul5": "already the name of a multiply gate",
        "n5": "is the id of another gate",
        "exp9": "form of the names given to gates without one",
    }
    for label, why in cases.items():
        with pytest.raises(NameTakenError, match=why):
            c.set_label("n4", label)
    with pytest.raises(NameTakenError, match="already an input called 'y'"):
        c.add_gate("exp", label="y")
    c.set_label("n4", "add4")  # its own generated name, now a label: still one gate's
    c.set_label("n4", "q")
    assert c.find("q") == "n4" and c.find("n4") == "n4"
    with pytest.raises(ce.UnknownGateError):
        c.find("add4")  # its old name is free again


def test_new_ids_never_take_a_name_a_gate_already_has():
    c = ce.Circuit()
    c.add_gate("input", label="n2")
    assert c.add_gate("mul").id == "n3"


def test_the_explanation_and_the_results_call_every_gate_the_same():
    c = unlabelled()
    r = ce.evaluate(c)
    e = Explainer.of(r)
    assert set(e.names.values()) == set(r.value)
    text = "\n".join(e.explain(i).text() for i in range(len(e.steps)))
    assert "mul5 = add4 * z" in text and "dmul5/dadd4 = -4" in text


def test_two_unlabelled_gates_of_one_kind_are_told_apart_in_messages():
    c = ce.Circuit()
    x = c.add_gate("input", label="x").id
    a, b = c.add_gate("mul").id, c.add_gate("mul").id
    c.connect(x, a, 0)
    c.connect(x, b, 0)
    assert c.missing_inputs() == ["input 2 of the * gate mul2", "input 2 of the * gate mul3"]


def test_a_name_bound_twice_in_code_keeps_x_for_the_input_and_gradcheck_agrees():
    # a = 2x; x_2 = 3a = 6x; f = x_2 + a = 8x: df/dx = 8
    c = ce.from_code("a = x * 2\nx = a * 3\nf = x + a")
    assert sorted(g.label for g in c.gates) == ["a", "f", "x", "x_2"]
    r = ce.evaluate(c, {"x": 1.0})
    assert r.grad["x"] == 8.0 and r.value["x_2"] == 6.0 and r.output == 8.0
    check = ce.gradcheck(c, {"x": 1.0})
    assert check.ok and [k.name for k in check.checks] == ["x"]
    assert check.checks[0].analytic == 8.0 and abs(check.checks[0].numeric - 8.0) < 1e-6


CLASH = {
    "format": "circuit-editor",
    "version": 1,
    "title": "",
    "description": "",
    "settings": {"tie": "both"},
    "output": None,
    "target": None,
    "gates": [
        {"id": "n1", "kind": "input", "label": "x", "params": {}, "value": -2, "pos": [0, 0]},
        {"id": "n2", "kind": "input", "label": "y", "params": {}, "value": 5, "pos": [0, 50]},
        {"id": "n3", "kind": "input", "label": "z", "params": {}, "value": -4, "pos": [0, 99]},
        {"id": "n4", "kind": "add", "label": "x", "params": {}, "pos": [99, 0]},
        {"id": "n5", "kind": "mul", "label": "", "params": {}, "pos": [200, 0]},
        {"id": "n6", "kind": "add", "label": "n5", "params": {}, "pos": [300, 0]},
    ],
    "wires": [
        {"source": "n1", "target": "n4", "port": 0},
        {"source": "n2", "target": "n4", "port": 1},
        {"source": "n4", "target": "n5", "port": 0},
        {"source": "n3", "target": "n5", "port": 1},
        {"source": "n5", "target": "n6", "port": 0},
        {"source": "n1", "target": "n6", "port": 1},
    ],
    "input_sets": {},
}


def test_an_old_file_with_clashing_names_is_renamed_on_load_with_a_note():
    # (x + y) z + x: df/dx = z + 1 = -3, df/d(x + y) = z = -4
    c = ce.loads(json.dumps(CLASH))
    assert c.gate("n4").label == "x_2" and c.gate("n6").label == "n5_2"
    assert c.notes == [
        "gates[3] was called 'x', which is an input's name: it is now 'x_2'.",
        "gates[5] was called 'n5', which is the id of another gate: it is now 'n5_2'.",
    ]
    r = ce.evaluate(c)
    assert r.grad["x"] == -3.0 and r.grad["x_2"] == -4.0 and r.output == -12.0 + -2.0


def test_eval_lists_the_input_once_and_says_what_was_renamed(tmp_path, capsys):
    path = tmp_path / "old.circuit"
    path.write_text(json.dumps(CLASH))
    assert main(["eval", str(path)]) == 0
    out, err = capsys.readouterr()
    rows = [line.split() for line in out.splitlines()[1:] if line.strip()]
    assert ["x", "-2", "-3"] in rows and ["mul5", "-12", "1"] in rows
    assert sum(row[0] == "x" for row in rows) == 1
    assert "now 'x_2'" in err


def test_x_to_the_power_0_has_gradient_0_at_0_everywhere():
    c = ce.from_code("f = x ** 0")
    assert ce.evaluate(c, {"x": 0.0}).grad["x"] == 0.0
    batch = ce.evaluate(c, {"x": np.array([0.0, 2.0])})
    assert list(batch.grad["x"]) == [0.0, 0.0]
    assert ce.evaluate(c, {"x": 0.0}).local_grads("f") == (0.0,)
    namespace: dict[str, float] = {"x": 0.0}
    exec(ce.to_code(c), namespace)  # the exported code agrees: d/dx of x**0 is 0
    assert namespace["dx"] == 0.0
    square = ce.evaluate(ce.from_code("f = x ** 2"), {"x": 3.0})
    assert square.grad["x"] == 6.0  # 2 x


@pytest.mark.parametrize(
    "inputs, why",
    [
        ({"x": 10**400}, "too large for a number"),
        ({"x": [1, 10**400]}, "too large for a number"),
        ([1.0, 2.0], "must map input names to values"),
    ],
)
def test_inputs_that_are_no_numbers_get_the_projects_own_error(inputs, why):
    c = ce.from_code("f = x * 2")
    for partial in (False, True):
        with pytest.raises(NumberError, match=why):
            ce.evaluate(c, inputs, partial=partial)


def test_an_old_input_named_like_a_generated_name_is_renamed_with_its_input_sets():
    doc = json.loads(json.dumps(CLASH))
    doc["gates"][0]["label"] = "exp7"  # the form kept for an unlabelled exp gate n7
    doc["gates"][3]["label"] = "s"
    doc["input_sets"] = {"lecture": {"exp7": 1.0, "y": 2.0}}
    c = ce.loads(json.dumps(doc))
    assert c.gate("n1").label == "exp7_2" and c.input_sets["lecture"] == {"exp7_2": 1.0, "y": 2.0}
    assert c.notes == [
        "gates[0] was called 'exp7', which has the form of a name given to gates without one: "
        "it is now 'exp7_2'.",
        "gates[5] was called 'n5', which is the id of another gate: it is now 'n5_2'.",
    ]


def test_code_added_beside_a_circuit_gives_a_name_it_reuses_to_a_new_gate():
    from circuit_editor.core.codepaste import build_commands

    c = ce.from_code("f = x * y")
    macro, created = build_commands(c, ce.from_code("f = x + 1"), True, 10.0)
    macro.redo(c)
    assert sorted(c.gate(g).label for g in created) == ["f_2"]
    r = ce.evaluate(c, {"x": 3.0, "y": 2.0}, target="f_2")
    assert r.value["f"] == 6.0 and r.value["f_2"] == 4.0 and r.grad["x"] == 1.0
