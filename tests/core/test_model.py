"""The circuit model: its rules, its refusals (with reasons), its events and the plan cache."""

import pytest

import circuit_editor as ce
from circuit_editor.core.engine import compile_circuit
from circuit_editor.core.events import GateEvent, SettingsEvent, WireEvent


def staged():
    """(x + y) * z + x, built gate by gate."""
    c = ce.Circuit()
    x = c.add_gate("input", label="x", value=-2).id
    y = c.add_gate("input", label="y", value=5).id
    z = c.add_gate("input", label="z", value=-4).id
    g = c.add_gate("add", label="g").id
    h = c.add_gate("mul", label="h").id
    f = c.add_gate("add", label="f").id
    for s, t, p in [(x, g, 0), (y, g, 1), (g, h, 0), (z, h, 1), (h, f, 0), (x, f, 1)]:
        c.connect(s, t, p)
    return c, dict(x=x, y=y, z=z, g=g, h=h, f=f)


def test_a_cycle_is_refused_and_the_error_names_it():
    c, n = staged()
    before = c.wires
    with pytest.raises(ce.CycleError) as info:
        c.connect(n["f"], n["g"], 0, replace_existing=True)
    assert info.value.cycle == [n["g"], n["h"], n["f"], n["g"]]
    assert "g \u2192 h \u2192 f \u2192 g" in str(info.value)
    assert c.wires == before


def test_a_gate_cannot_feed_itself():
    c = ce.Circuit()
    e = c.add_gate("exp").id
    v = c.can_connect(e, e, 0)
    assert not v and v.problem == "cycle"


def test_one_wire_per_input_port():
    c, n = staged()
    with pytest.raises(ce.PortError, match="already has a wire"):
        c.connect(n["z"], n["g"], 0)
    assert c.wire_into(n["g"], 0).source == n["x"]


def test_replacing_a_wire_checks_the_cycle_without_the_old_wire():
    c = ce.Circuit()
    x = c.add_gate("input", label="x").id
    a = c.add_gate("exp").id
    b = c.add_gate("exp").id
    c.connect(x, a, 0)
    c.connect(a, b, 0)
    # b -> a is a loop whatever a's old input was
    assert c.can_connect(b, a, 0).problem == "cycle"
    # replacing a's input with x again: the same wire, nothing to do
    assert c.can_connect(x, a, 0).problem == "same"
    y = c.add_gate("input", label="y").id
    v = c.can_connect(y, a, 0)
    assert v and v.replaces == ce.Wire(x, a, 0)
    c.connect(y, a, 0, replace_existing=True)
    assert c.wire_into(a, 0).source == y


def test_ports_must_exist():
    c, n = staged()
    for port in (2, -1, "0", True):
        v = c.can_connect(n["x"], n["g"], port)
        assert not v and v.problem == "port", port
    with pytest.raises(ce.PortError, match="nothing can be wired into it"):
        c.connect(n["g"], n["x"], 0)
    with pytest.raises(ce.UnknownGateError):
        c.connect("nope", n["g"], 0)


def test_fan_out_is_unlimited_and_x_times_x_uses_both_ports():
    c = ce.Circuit()
    x = c.add_gate("input", label="x", value=3).id
    m = c.add_gate("mul").id
    c.connect(x, m, 0)
    c.connect(x, m, 1)
    for _ in range(5):
        e = c.add_gate("exp").id
        c.connect(x, e, 0)
    c.set_setting("output", m)
    r = ce.evaluate(c)
    assert r.output == 9.0 and r.grad["x"] == 6.0  # d(x^2)/dx = 2x


def test_input_names_are_unique_and_valid():
    c = ce.Circuit()
    c.add_gate("input", label="x")
    with pytest.raises(ce.NameClashError, match="already an input called 'x'"):
        c.add_gate("input", label="x")
    with pytest.raises(ce.NameClashError, match="not a valid name"):
        c.add_gate("input", label="2x")
    with pytest.raises(ce.NameClashError, match="needs a name"):
        c.add_gate("input")
    y = c.add_gate("input", label="y").id
    with pytest.raises(ce.NameClashError):
        c.set_label(y, "x")
    with pytest.raises(ce.NameClashError, match="already an input called 'x'"):
        c.add_gate("add", label="x")  # one name, one gate: r.grad["x"] is the input's
    assert c.gate(y).label == "y"


def test_values_must_be_finite_numbers():
    c = ce.Circuit()
    x = c.add_gate("input", label="x").id
    for bad in (float("nan"), float("inf"), "3", None):
        with pytest.raises(ValueError):
            c.set_value(x, bad)
    with pytest.raises(ce.PortError, match="computed"):
        c.set_value(c.add_gate("add").id, 1.0)


def test_unclear_output_is_a_clear_error_and_choosing_one_fixes_it():
    c, n = staged()
    c.add_gate("exp")
    e2 = c.add_gate("sigmoid").id
    c.connect(n["f"], e2, 0)
    e3 = c.add_gate("tanh").id
    c.connect(n["f"], e3, 0)
    with pytest.raises(ce.OutputError, match="which gate is the output"):
        c.resolve_output()
    with pytest.raises(ce.CircuitError):
        ce.evaluate(c)
    c.set_setting("output", e3)
    c2 = c.copy()
    c2.remove_gate(e2)


def test_an_unused_input_does_not_make_the_output_unclear():
    c, n = staged()
    c.add_gate("input", label="w")
    assert c.resolve_output() == n["f"]


def test_unfinished_circuit_says_which_ports_are_empty():
    c, n = staged()
    m = c.add_gate("mul", label="m").id
    c.connect(n["f"], m, 0)
    with pytest.raises(ce.CircuitError, match="input 2 of m has no wire"):
        ce.evaluate(c)


def test_any_gate_can_be_the_target():
    c, n = staged()
    r = ce.evaluate(c, target="g")
    assert r.grad["g"] == 1.0 and r.grad["x"] == 1.0 and r.grad["z"] == 0.0
    assert r.grad["f"] == 0.0  # the output does not feed g
    assert r.output == -14.0
    c.set_setting("target", n["h"])
    r = ce.evaluate(c)
    assert r.target_id == n["h"] and r.grad["z"] == 3.0


def test_removing_a_gate_takes_its_wires_and_returns_them():
    c, n = staged()
    gate, wires = c.remove_gate(n["x"])
    assert gate.label == "x"
    assert sorted(wires) == sorted([ce.Wire(n["x"], n["g"], 0), ce.Wire(n["x"], n["f"], 1)])
    assert all(w.source != n["x"] for w in c.wires)


def test_events_announce_every_change():
    c, n = staged()
    seen = []
    unsubscribe = c.subscribe(lambda e: seen.append((e.kind, e.key)))
    c.set_value(n["x"], 1.0)
    c.move(n["x"], (5, 5))
    c.set_label(n["g"], "gg")
    c.set_setting("tie", "split")
    c.remove_gate(n["z"])
    assert seen == [
        ("gate-changed", ""),
        ("gate-moved", ""),
        ("gate-changed", ""),
        ("settings-changed", "tie"),
        ("wire-removed", ""),
        ("gate-removed", ""),
    ]
    unsubscribe()
    c.set_value(n["x"], 2.0)
    assert len(seen) == 6


def test_event_kinds_are_the_old_strings_and_payloads_are_typed():
    c, n = staged()
    seen = []
    c.subscribe(seen.append)
    c.set_label(n["g"], "gg")
    c.disconnect(n["f"], 1)
    c.set_setting("tie", "split")
    c.remove_gate(n["z"])
    c.add_gate("exp", id="e")
    changed, unwired, tie, _, removed, added = seen
    assert [str(e.kind) for e in seen] == [
        "gate-changed",
        "wire-removed",
        "settings-changed",
        "wire-removed",
        "gate-removed",
        "gate-added",
    ]
    assert all(e.kind == str(e.kind) and f"{e.kind}" == e.kind.value for e in seen)
    assert {"gate-changed": 1}[ce.EventKind.GATE_CHANGED] == 1  # hashes as its string
    assert isinstance(changed, GateEvent) and changed.old.label == "g"
    assert changed.new.label == "gg" and changed.gate is changed.new
    assert isinstance(unwired, WireEvent) and unwired.wire == ce.Wire(n["x"], n["f"], 1)
    assert unwired.old == unwired.wire and unwired.new is None
    assert isinstance(tie, SettingsEvent) and (tie.key, tie.old, tie.new) == (
        "tie",
        "both",
        "split",
    )
    assert removed.kind == "gate-removed" and removed.new is None and removed.gate.label == "z"
    assert added.kind == ce.EventKind.GATE_ADDED and added.old is None and added.gate.id == "e"
    assert all(isinstance(e, ce.Event) for e in seen)


def test_an_event_without_its_payload_is_refused():
    with pytest.raises(ValueError):
        GateEvent(ce.EventKind.GATE_ADDED, None, None)
    with pytest.raises(ValueError):
        WireEvent(ce.EventKind.GATE_ADDED, None, ce.Wire("a", "b", 0))


def test_the_plan_is_reused_while_only_values_change():
    c, n = staged()
    p1 = compile_circuit(c)
    c.set_value(n["x"], 10.0)
    c.move(n["x"], (1, 2))
    assert compile_circuit(c) is p1
    assert ce.evaluate(c).value["x"] == 10.0
    c.disconnect(n["f"], 1)
    c.connect(n["y"], n["f"], 1)
    p2 = compile_circuit(c)
    assert p2 is not p1
    assert ce.evaluate(c).output == (10 + 5) * -4 + 5


def test_copy_and_equality():
    c, n = staged()
    d = c.copy()
    assert d == c
    d.set_value(n["x"], 0.5)
    assert d != c
    d.set_value(n["x"], -2)
    assert d == c


def test_missing_inputs_take_their_stored_values_and_unknown_ones_are_refused():
    c, _n = staged()
    assert ce.evaluate(c, {"x": 1}).output == (1 + 5) * -4 + 1
    with pytest.raises(ce.UnknownGateError, match="no input called 'q'"):
        ce.evaluate(c, {"q": 1})
    with pytest.raises(ValueError, match="must be a number"):
        ce.evaluate(c, {"x": "one"})


def test_results_are_keyed_by_label_or_id():
    c, n = staged()
    anon = c.add_gate("exp").id
    c.connect(n["f"], anon, 0)
    r = ce.evaluate(c)
    assert anon in r.value and "f" in r.value


def test_free_ids_skip_taken_ids_and_reserve_nothing():
    c = ce.Circuit()
    c.add_gate("input", label="x")  # n1
    c.add_gate("input", id="n3", label="y")
    assert c.free_ids(3) == ["n2", "n4", "n5"]
    assert c.free_ids(3) == ["n2", "n4", "n5"]  # asking again hands out the same ones
    assert c.new_id() == "n2"
    assert c.free_ids(1) == ["n4"]
