"""Putting code's circuit into the open circuit: one undo step, names wired to what is there."""

import pytest

import circuit_editor as ce
from circuit_editor.core.codepaste import build_commands, existing_gate
from circuit_editor.core.layout import COLUMN

WORKSHEET = "g = x + y\nh = g * z\nf = h + x"


def test_replace_swaps_the_whole_circuit_in_one_step():
    circuit = ce.from_code("f = exp(w0) * w1")
    before = circuit.copy()
    code = ce.from_code(WORKSHEET)
    macro, created = build_commands(circuit, code, add=False, grid=10.0)
    macro.redo(circuit)
    assert sorted(g.label for g in circuit.gates) == ["f", "g", "h", "x", "y", "z"]
    assert sorted(created) == sorted(g.id for g in circuit.gates)
    assert circuit.gate(circuit.resolve_output()).label == "f"
    assert ce.evaluate(circuit, {"x": -2, "y": 5, "z": -4}).output == -14.0
    assert macro.text == "build 6 gates from code"
    macro.undo(circuit)
    assert circuit == before


def test_add_wires_names_the_circuit_has_and_stands_to_its_right_on_the_grid():
    circuit = ce.from_code(WORKSHEET)
    before = circuit.copy()
    macro, created = build_commands(circuit, ce.from_code("L = f * x\nM = L + q"), True, 7.0)
    macro.redo(circuit)
    assert len(created) == 3 and macro.text == "add 3 gates from code"  # L, M and input q
    L = circuit.find("L")
    assert [w.source for w in circuit.wires_into(L)] == [circuit.find("f"), circuit.find("x")]
    right = max(g.pos[0] for g in before.gates)
    for gid in created:
        x, y = circuit.gate(gid).pos
        assert x >= right + COLUMN - 7.0 and x % 7.0 == 0.0 and y % 7.0 == 0.0
    macro.undo(circuit)
    assert circuit == before


def test_a_name_means_the_input_first_then_the_last_gate_so_named():
    circuit = ce.from_code("t = x * 2\nt = t + 1\nx2 = t * t")
    assert existing_gate(circuit, "x") == circuit.input_named("x").id
    last_t = [g.id for g in circuit.gates if g.label == "t"][-1]
    assert existing_gate(circuit, "t") == last_t
    assert existing_gate(circuit, "nothing") is None
    with pytest.raises(ce.NameClashError, match="already an input called 'x'"):
        circuit.set_label(circuit.find("x2"), "x")  # one name, one gate


def test_a_gates_id_is_not_a_name_code_can_use():
    circuit = ce.Circuit()
    gid = circuit.add_gate("mul").id  # no label: code cannot name it
    assert existing_gate(circuit, gid) is None
    macro, created = build_commands(circuit, ce.from_code(f"L = {gid} * 2"), True, 10.0)
    macro.redo(circuit)
    new_input = circuit.input_named(f"{gid}_2")  # a name is never another gate's id
    assert new_input is not None and new_input.id in created
