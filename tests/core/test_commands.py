"""Undoable commands: every edit runs backwards to exactly where it started."""

import contextlib
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import circuit_editor as ce
from circuit_editor.core import commands as K


def staged():
    return ce.from_code("g = x + y\nh = g * z\nf = h + x")


def random_command(c: ce.Circuit, rnd: random.Random):
    """One random edit of ``c``, legal or not (refused ones must change nothing)."""
    gates = [g.id for g in c.gates]
    ops = [g.id for g in c.gates if not g.spec.is_leaf]
    choice = rnd.randrange(11)
    if choice == 0 or not gates:
        kind = rnd.choice(list(ce.GATES))
        label = K.next_input_name(c) if kind == "input" else ""
        value = rnd.uniform(-3, 3) if kind in ("input", "const") else None
        return K.AddGate(kind, label, None, value, (rnd.uniform(-500, 500), 0.0))
    if choice == 1:
        return K.RemoveGates(rnd.sample(gates, rnd.randint(1, min(3, len(gates)))))
    if choice == 2 and ops:
        t = rnd.choice(ops)
        return K.Connect(rnd.choice(gates), t, rnd.randrange(c.gate(t).spec.arity))
    if choice == 3 and c.wires:
        w = rnd.choice(c.wires)
        return K.Disconnect(w.target, w.port)
    if choice == 4:
        leaves = [g.id for g in c.gates if g.spec.is_leaf]
        if leaves:
            return K.SetValue(rnd.choice(leaves), rnd.uniform(-5, 5))
    if choice == 5:
        return K.Move(
            {
                g: (c.gate(g).pos, (rnd.uniform(-9, 9), rnd.uniform(-9, 9)))
                for g in rnd.sample(gates, min(2, len(gates)))
            }
        )
    if choice == 6:
        return K.SetLabel(rnd.choice(gates), rnd.choice(["a", "b", "x", "q1", ""]))
    if choice == 7:
        return K.paste(c, c.gates[:3], c.wires)
    if choice == 8:
        names = [g.label for g in c.inputs()] + ["gone"]  # a set may name a deleted input
        values = {k: rnd.uniform(-5, 5) for k in rnd.sample(names, min(2, len(names)))}
        return K.SetInputSet(rnd.choice(["a", "b"]), values)
    if choice == 9:
        return K.ApplyInputSet(rnd.choice(["a", "b", "nowhere"]))
    return K.SetSetting("tie", rnd.choice(["both", "split", "first"]))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**9), st.integers(1, 25))
def test_random_edits_undo_to_the_start_and_redo_to_the_end(seed, n):
    rnd = random.Random(seed)
    c = staged()
    start = c.copy()
    done = []
    for _ in range(n):
        command = random_command(c, rnd)
        before = c.copy()
        try:
            command.redo(c)
        except (ValueError, KeyError):
            assert c == before  # a refused command changes nothing
            continue
        done.append(command)
    end = c.copy()
    for command in reversed(done):
        command.undo(c)
    assert c == start
    a, b = ce.evaluate(c, partial=True), ce.evaluate(start, partial=True)
    assert (
        {k: repr(v) for k, v in a.value_by_id.items()}  # repr: nan equals nan
        == {k: repr(v) for k, v in b.value_by_id.items()}
    )
    for command in done:
        command.redo(c)
    assert c == end


def test_deleting_a_gate_and_undoing_restores_its_wires_and_output_choice():
    c = staged()
    h = c.find("h")
    c.set_setting("output", c.find("f"))
    wires = c.wires
    cmd = K.RemoveGates([h, c.find("f")])
    cmd.redo(c)
    assert c.settings.output is None and len(c.wires) == 2  # x -> g and y -> g stay
    cmd.undo(c)
    assert c.wires == wires and c.settings.output == c.find("f")


def test_connect_onto_an_occupied_port_replaces_and_undo_gives_the_old_wire_back():
    c = staged()
    g, z = c.find("g"), c.find("z")
    old = c.wire_into(g, 1)
    cmd = K.Connect(z, g, 1)
    cmd.redo(c)
    assert c.wire_into(g, 1).source == z
    cmd.undo(c)
    assert c.wire_into(g, 1) == old


def test_paste_gives_new_ids_and_fresh_input_names_and_keeps_inner_wires():
    c = staged()
    before = {g.id for g in c.gates}
    m = K.paste(c, c.gates, c.wires)
    m.redo(c)
    new = [g for g in c.gates if g.id not in before]
    assert len(new) == 6
    assert sorted(g.label for g in c.inputs()) == ["x", "x2", "y", "y2", "z", "z2"]
    assert len(c.wires) == 12
    copy_of_f = next(g.id for g in new if g.label == "f_2")  # a copy of f is f_2
    r = ce.evaluate(c, {"x": 0, "y": 0, "z": 0, "x2": -2, "y2": 5, "z2": -4}, target=copy_of_f)
    assert r.value_by_id[copy_of_f] == -14.0 and r.grad["x2"] == -3.0 and r.grad["x"] == 0.0


def test_value_edits_merge_into_one_step():
    c = staged()
    x = c.find("x")
    a = K.SetValue(x, 1.0)
    a.redo(c)
    b = K.SetValue(x, 2.0)
    b.redo(c)
    assert a.merge(b)
    a.undo(c)
    assert c.gate(x).value == staged().gate(x).value  # back before both edits


def test_a_failing_macro_changes_nothing():
    c = staged()
    before = c.copy()
    bad = K.Macro("two", [K.AddGate("exp"), K.Connect(c.find("f"), c.find("g"), 0)])
    with pytest.raises(ce.CycleError):
        bad.redo(c)
    assert c == before


def test_legal_targets_agree_with_can_connect():
    rnd = random.Random(7)
    for _ in range(30):
        c = staged()
        for _ in range(12):
            with contextlib.suppress(ValueError, KeyError):
                random_command(c, rnd).redo(c)
        for g in c.gates:
            legal = set(c.legal_targets(g.id))
            for t in c.gates:
                for port in range(t.spec.arity):
                    assert bool(c.can_connect(g.id, t.id, port)) == ((t.id, port) in legal)


def test_next_input_names():
    c = ce.Circuit()
    names = []
    for _ in range(5):
        name = K.next_input_name(c)
        c.add_gate("input", label=name)
        names.append(name)
    assert names == ["x", "y", "z", "w0", "w1"]


def test_numbers_after_undoing_a_delete_are_the_numbers_before_it():
    # undo puts the gate back with its old place in creation order, but at the end of the
    # graph's storage: evaluation must follow the wires, not the storage order
    c = staged()
    for name, v in [("x", -2), ("y", 5), ("z", -4)]:
        c.set_value(c.find(name), v)
    before = ce.evaluate(c)
    cmd = K.RemoveGates([c.find("g")])
    cmd.redo(c)
    cmd.undo(c)
    after = ce.evaluate(c)
    assert dict(after.value) == dict(before.value)
    assert dict(after.grad) == dict(before.grad)
    assert c.topological_order().index(c.find("g")) < c.topological_order().index(c.find("h"))


def test_applying_an_input_set_sets_the_inputs_it_names_and_undoes_in_one_step():
    c = staged()
    for name, v in [("x", -2), ("y", 5), ("z", -4)]:
        c.set_value(c.find(name), v)
    c.set_input_set("lecture", {"x": 1.0, "y": 2.0, "gone": 9.0})  # "gone" names no input
    before = c.copy()
    apply = K.ApplyInputSet("lecture")
    apply.redo(c)
    assert [c.gate(c.find(n)).value for n in "xyz"] == [1.0, 2.0, -4.0]  # z keeps its value
    assert not apply.empty and apply.text == "apply input set lecture"
    apply.undo(c)
    assert c == before
    apply.redo(c)
    assert [c.gate(c.find(n)).value for n in "xyz"] == [1.0, 2.0, -4.0]


def test_applying_an_input_set_the_inputs_already_have_is_empty():
    c = staged()
    c.set_input_set("now", c.input_values())
    apply = K.ApplyInputSet("now")
    apply.redo(c)
    assert apply.empty


def test_an_unknown_input_set_is_refused_and_changes_nothing():
    c = staged()
    c.set_input_set("lecture", {"x": 1.0})
    before = c.copy()
    with pytest.raises(ce.UnknownInputSetError) as info:
        K.ApplyInputSet("nowhere").redo(c)
    assert isinstance(info.value, ce.CircuitError)
    assert str(info.value) == "there is no input set called 'nowhere' (known: lecture)"
    assert c == before


def test_input_set_values_are_those_of_inputs_the_circuit_has():
    c = staged()
    c.set_input_set("s", {"x": 1.0, "gone": 2.0})
    assert c.input_set_values("s") == {"x": 1.0}
    c.set_label(c.find("y"), "gone")
    assert c.input_set_values("s") == {"x": 1.0, "gone": 2.0}
    with pytest.raises(ce.UnknownInputSetError, match="known: s"):
        c.input_set_values("t")
