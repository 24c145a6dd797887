"""The engine's fast loops (one per plan, branches in the plan's own order) against the plain
reference path that reads each gate's formula off the registry, and both against central
differences; the ties and kinks of max, min, relu and abs as the registry says; the loops'
generated text; the bulk wiring of a file being read; the benchmark's smoke run."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import circuit_editor as ce
from circuit_editor.core import interp
from circuit_editor.core.engine import compile_circuit
from circuit_editor.core.errors import CycleError, PortError, UnknownGateError
from circuit_editor.core.gates import GATES, TIES
from circuit_editor.core.parts import Wire

OPS = [k for k, s in GATES.items() if not s.is_leaf]
PARAMS = {"pow": (2.0, 3.0, 0.5), "mulc": (-1.5, 0.5), "addc": (1.0, -0.25)}


def random_circuit(seed: int, gates: int = 40, kinds: list[str] = OPS) -> ce.Circuit:
    """Gates of random ``kinds``, each wired to earlier gates whose values (tracked here with
    math) keep it finite and away from its kinks, so differences can check it."""
    rng = random.Random(seed)
    c = ce.Circuit()
    ids, vals = [], []
    for i in range(3):
        x = rng.uniform(0.3, 1.5)
        ids.append(c.add_gate("input", label=f"x{i}", value=x).id)
        vals.append(x)
    while len(ids) < gates + 3:
        kind = rng.choice(kinds)
        k = rng.choice(PARAMS[kind]) if kind in PARAMS else None
        srcs = [rng.randrange(len(ids)) for _ in range(GATES[kind].arity)]
        got = _value(kind, k, [vals[s] for s in srcs])
        if got is None:
            continue
        g = c.add_gate(kind, params={"c": k} if k is not None else None)
        for port, s in enumerate(srcs):
            c.connect(ids[s], g.id, port)
        ids.append(g.id)
        vals.append(got)
    sinks = [gid for gid in ids[3:] if not c.wires_from(gid)]
    total = sinks[0]
    for gid in sinks[1:]:  # every gate feeds the output, so every gate has a gradient
        s = c.add_gate("add")
        c.connect(total, s.id, 0)
        c.connect(gid, s.id, 1)
        total = s.id
    c.set_setting("output", total)
    return c


def _value(kind: str, k: float | None, xs: list[float]) -> float | None:
    """The gate's value, or None where it would be huge, non-finite, or at or near a kink."""
    x0, x1 = (xs + [0.0])[:2]
    if kind in ("max", "min") and abs(x0 - x1) < 1e-3:
        return None
    if kind in ("relu", "abs") and abs(x0) < 1e-3:
        return None
    fns = interp.SCALAR_FNS[kind]
    try:
        out = fns.forward(x0, x1, k)
        local = fns.local["both"](x0, x1, out, k)
    except (ValueError, OverflowError, ZeroDivisionError):
        return None
    if abs(out) > 50 or any(abs(d) > 50 for d in local) or (kind == "pow" and x0 < 0.05):
        return None
    return float(out)


def reference(c: ce.Circuit, arrays: dict[str, np.ndarray] | None = None, tie: str = "both"):
    """Values and gradients by slot from the registry's formulas, gate by gate."""
    plan = compile_circuit(c, tie=tie)
    v: list = [0.0] * len(plan.order)
    for i, gid in plan.leaves:
        v[i] = c.gate(gid).value
    fns = interp.SCALAR_FNS
    if arrays is not None:
        fns = interp.GATE_FNS
        v = [np.float64(x) for x in v]
        for name, x in arrays.items():
            v[plan.input_slot[name]] = x
    g: list = [0.0] * len(v)
    g[plan.target] = 1.0
    with np.errstate(all="ignore"):
        interp.reference_forward(v, plan.forward, fns)
        interp.reference_backward(v, g, plan.backward, fns)
    return v, g


@pytest.mark.parametrize("seed", range(40))
def test_fast_path_is_the_reference_path_and_the_differences(seed):
    c = random_circuit(seed)
    r = ce.evaluate(c)
    v, g = reference(c)
    # the same formulas on the same floats: the same numbers to the last bit
    assert list(r.values_by_slot) == v
    assert list(r.grads_by_slot) == g
    assert not r.kinks and not r.nonfinite
    for x in c.inputs():
        h = 1e-6 * max(1.0, abs(x.value))
        up = ce.evaluate(c, {x.label: x.value + h}).output
        down = ce.evaluate(c, {x.label: x.value - h}).output
        fd = (up - down) / (2 * h)
        assert math.isclose(r.grad[x.label], fd, rel_tol=1e-5, abs_tol=1e-6), x.label


@pytest.mark.parametrize("seed", range(10))
def test_batch_path_is_the_reference_path(seed):
    c = random_circuit(100 + seed)
    rng = np.random.default_rng(seed)
    arrays = {x.label: x.value * rng.uniform(0.999, 1.001, 5) for x in c.inputs()}
    r = ce.evaluate(c, arrays)
    v, g = reference(c, arrays)
    for mine, theirs in ((r.values_by_slot, v), (r.grads_by_slot, g)):
        for a, b in zip(mine, theirs):
            assert np.array_equal(np.broadcast_to(a, (5,)), np.broadcast_to(b, (5,)))
    for k in range(5):  # each point of the batch is that point alone
        one = ce.evaluate(c, {name: float(x[k]) for name, x in arrays.items()})
        assert math.isclose(one.output, r.output[k], rel_tol=1e-12)


def test_each_kind_alone_is_its_own_loop():
    """A program of one kind runs a loop with no tests at all; still the reference's numbers."""
    for kind in OPS:
        c = random_circuit(7, 12, [kind])
        plan = compile_circuit(c)
        assert {interp.KINDS[op][0] for op in plan.forward_order} <= {kind, "add"}
        r = ce.evaluate(c)
        v, g = reference(c)
        assert list(r.values_by_slot) == v and list(r.grads_by_slot) == g, kind


def _tied(kind: str, x: float, y: float, tie: str) -> ce.Circuit:
    c = ce.Circuit()
    a = c.add_gate("input", label="x", value=x)
    b = c.add_gate("input", label="y", value=y)
    g = c.add_gate(kind, label="f")
    c.connect(a.id, g.id, 0)
    if GATES[kind].arity == 2:
        c.connect(b.id, g.id, 1)
    out = c.add_gate("mulc", params={"c": 3.0}, label="out")
    c.connect(g.id, out.id, 0)
    c.set_setting("tie", tie)
    return c


# d out / d x and d out / d y at a tie (out = 3 f), as each policy is described in the registry
AT_TIE = {"both": (3.0, 3.0), "split": (1.5, 1.5), "first": (3.0, 0.0)}


@pytest.mark.parametrize("tie", TIES)
@pytest.mark.parametrize("kind", ["max", "min"])
def test_ties_follow_the_policy_on_every_path(kind, tie):
    c = _tied(kind, 2.0, 2.0, tie)
    r = ce.evaluate(c)
    assert (r.grad["x"], r.grad["y"]) == AT_TIE[tie]
    assert r.kinks == [c.find("f")]
    _v, g = reference(c, tie=tie)
    assert list(r.grads_by_slot) == g
    batch = ce.evaluate(c, {"x": np.array([2.0, 1.0]), "y": np.array([2.0, 2.0])})
    assert list(batch.grad["x"]) == [AT_TIE[tie][0], 3.0 if kind == "min" else 0.0]


@pytest.mark.parametrize("kind", ["relu", "abs"])
def test_corners_take_gradient_zero(kind):
    for path in ("scalar", "batch"):
        c = _tied(kind, 0.0, 0.0, "both")
        r = ce.evaluate(c) if path == "scalar" else ce.evaluate(c, {"x": np.zeros(2)})
        assert np.all(np.asarray(r.grad["x"]) == 0.0), path
        assert r.kinks == [c.find("f")]


def test_dispatch_order_is_by_frequency_then_opcode():
    instrs = [(5, 0, 0, 0), (2, 0, 0, 0), (5, 0, 0, 0), (9, 0, 0, 0), (2, 0, 0, 0), (1, 0, 0, 0)]
    assert interp.dispatch_order(instrs) == (2, 5, 1, 9)
    assert interp.dispatch_order([]) == ()


def test_loop_text_is_integer_opcodes_and_registry_templates_only():
    code = interp.opcode("mulc", "both")
    src = interp._loop_source("forward", True, (code, interp.opcode("add", "both")))
    assert src.splitlines()[2] == f"        if op == {code}:"
    assert "v[o] = v[a] * b" in src  # the constant is read from the instruction, never written
    assert "else:" in src
    one = interp._loop_source("backward", True, (interp.opcode("neg", "both"),))
    assert "if" not in one and "g[a] -= go" in one
    assert interp.loop("forward", True, (code,)) is interp.loop("forward", True, (code,))


def test_labels_never_reach_generated_text():
    c = random_circuit(3, 10)
    c.set_label(c.inputs()[0].id, "evil")
    ce.evaluate(c)
    texts = [
        interp._loop_source(d, f, compile_circuit(c).forward_order)
        for d in ("forward", "backward")
        for f in (True, False)
    ]
    assert all("evil" not in t for t in texts)


# ------------------------------------------------------------------ bulk wiring (loading)
def _gates_only(c: ce.Circuit) -> ce.Circuit:
    d = ce.Circuit()
    for g in c.gates:
        d.add_gate(g.kind, id=g.id, label=g.label, params=dict(g.params), value=g.value)
    return d


def test_connect_all_builds_what_connect_builds():
    c = random_circuit(11)
    d = _gates_only(c)
    events = []
    d.subscribe(events.append)
    d.connect_all(c.wires)
    assert d.wires == c.wires
    assert len(events) == len(c.wires)
    assert ce.evaluate(d).grads_by_slot == ce.evaluate(c).grads_by_slot


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        (lambda w, c: Wire("nope", w.target, w.port), UnknownGateError),
        (lambda w, c: Wire(w.source, w.target, 7), PortError),
        (lambda w, c: Wire(w.target, w.target, 0), PortError),  # port 0 is taken already
        (lambda w, c: Wire(c.inputs()[1].id, w.target, w.port), PortError),  # port taken
        (lambda w, c: Wire(w.target, c.inputs()[0].id, 0), PortError),  # into an input
    ],
)
def test_connect_all_refuses_as_connect_does_and_adds_nothing(bad, error):
    c = random_circuit(12, 10)
    wires = list(c.wires)
    wrong = bad(wires[-1], c)
    with pytest.raises(error) as said:
        c.connect(*wrong)
    d = _gates_only(c)
    with pytest.raises(error) as also:
        d.connect_all([*wires, wrong])
    assert str(also.value) == str(said.value)
    assert d.wires == []


def test_connect_all_finds_a_loop_and_adds_nothing():
    c = ce.Circuit()
    a, b = c.add_gate("exp"), c.add_gate("exp")
    with pytest.raises(CycleError):
        c.connect_all([Wire(a.id, b.id, 0), Wire(b.id, a.id, 0)])
    assert c.wires == []


def test_bench_smoke_run_prints_its_measures():
    bench = Path(__file__).parents[1] / "bench" / "bench_engine.py"
    out = subprocess.run(
        [sys.executable, str(bench), "--quick", "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    measures = json.loads(out.stdout)
    for key in ("ratio_lecture_wide_1k_scalar", "ratio_micrograd_fanout_1k_batch"):
        assert measures[key] > 0
    assert {"load_s_1k", "trace_s_1k", "from_code_s_1k", "compile_ms_deep_1k"} <= set(measures)


def test_a_new_stored_value_is_read_by_the_same_plan():
    c = ce.from_code("f = x * y + 2")
    x, y = c.find("x"), c.find("y")
    c.set_value(x, 3.0)
    c.set_value(y, 4.0)
    plan = compile_circuit(c)
    assert ce.evaluate(c).output == 14.0
    c.set_value(x, -1.0)
    assert compile_circuit(c) is plan  # a value is not structure: the plan is kept
    r = ce.evaluate(c)
    assert r.output == -2.0 and r.grad["y"] == -1.0
    copy = c.copy()
    copy.set_value(copy.find("x"), 10.0)  # a copy's plans read the copy's own values
    assert ce.evaluate(copy).output == 42.0 and ce.evaluate(c).output == -2.0


@pytest.mark.parametrize("batch", [False, True])
def test_trace_steps_carry_the_passes_numbers(batch):
    c = random_circuit(21, 25)
    arrays = {x.label: np.array([x.value, x.value * 1.0001]) for x in c.inputs()}
    r = ce.evaluate(c, arrays) if batch else ce.evaluate(c)
    steps = r.trace()
    n = len(steps) // 2
    assert [s.gate for s in steps[:n]] == [s.gate for s in reversed(steps[n:])]
    last: dict[str, object] = {}
    for s in steps[n:]:
        assert s.wires == tuple(c.wires_into(s.gate))
        assert np.array_equal(s.upstream, r.grad_by_id[s.gate])  # all its readers came before
        for w, share, total in zip(s.wires, s.downstream, s.totals):
            assert np.array_equal(share, s.upstream * s.local[w.port])
            last[w.source] = total
    for gid, total in last.items():
        assert np.array_equal(total, r.grad_by_id[gid])
    for s in steps[:n]:
        assert np.array_equal(s.output, r.value_by_id[s.gate])
        assert all(np.array_equal(x, r.value_by_id[w.source]) for w, x in zip(s.wires, s.inputs))
