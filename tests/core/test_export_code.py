"""Circuits back to code: the code runs and gives the engine's numbers, and reading its forward
pass back gives the same circuit (up to ids, positions and generated names)."""

import math
import random
import re

import networkx as nx
import pytest

import circuit_editor as ce
from circuit_editor import files, resources
from circuit_editor.core.export import to_code


def run_code(code: str, inputs: dict) -> dict:
    """Run exported code with the inputs set as variables (w[0] as the list w)."""
    namespace: dict = {}
    lists: dict[str, dict[int, float]] = {}
    for name, x in inputs.items():
        m = re.fullmatch(r"(\w+)\[(\d+)\]", name)
        if m:
            lists.setdefault(m.group(1), {})[int(m.group(2))] = x
        else:
            namespace[name] = x
    for base, items in lists.items():
        namespace[base] = [items.get(i, 0.0) for i in range(max(items) + 1)]
    exec(compile(code, "<exported>", "exec"), namespace)  # our own generated code
    return namespace


def grad_var(label: str) -> str:
    return "d" + re.sub(r"\W", "", label)


def structure(c: ce.Circuit) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for gate in c.gates:
        key = (
            gate.kind,
            gate.c,
            gate.label if gate.kind == "input" else None,
            gate.value if gate.kind == "const" else None,
        )
        g.add_node(gate.id, key=key)
    for w in c.wires:
        g.add_edge(w.source, w.target, key=w.port, port=w.port)
    return g


def same_structure(a: ce.Circuit, b: ce.Circuit) -> bool:
    return nx.is_isomorphic(
        structure(a),
        structure(b),
        node_match=lambda x, y: x["key"] == y["key"],
        edge_match=lambda x, y: (
            sorted(d["port"] for d in x.values()) == sorted(d["port"] for d in y.values())
        ),
    )


def check(c: ce.Circuit, inputs: dict) -> None:
    inputs = {k: v for k, v in inputs.items() if c.input_named(k) is not None}
    r = ce.evaluate(c, inputs)
    code = to_code(c)
    ns = run_code(code, {**c.input_values(), **inputs})
    out = c.gate(r.output_id)
    assert math.isclose(ns[out.label] if out.label else r.output, r.output, rel_tol=1e-12)
    for g in c.gates:
        if g.label and g.kind == "input":
            assert math.isclose(
                ns[grad_var(g.label)], r.grad[g.label], rel_tol=1e-9, abs_tol=1e-12
            ), (g.label, code)
    back = ce.from_code(code)
    used = c.copy()  # an input nothing reads has no line in code: it cannot come back
    for g in c.inputs():
        if not c.wires_from(g.id):
            used.remove_gate(g.id)
    assert same_structure(used, back), code


@pytest.mark.parametrize("path", resources.examples(), ids=lambda p: p.stem)
def test_every_example_round_trips_through_code(path):
    c = files.load(path)
    for values in c.input_sets.values():
        check(c, values)


def test_the_staged_example_reads_like_the_worksheet():
    code = to_code(ce.from_code("g = x + y\nh = g * z\nf = h + x"))
    assert "## forward pass\ng = x + y  # add\nh = g * z  # multiply\nf = h + x  # add\n" in code
    back = code.split("## backward pass\n", 1)[1]
    assert back.splitlines()[0] == "df = 1.0"
    assert "dg = dh * z" in back and "dz = dh * g" in back
    assert back.count("dx = ") == 1 and back.count("dx += ") == 1  # x fans out


def test_constants_and_parameters_round_trip():
    for src in [
        "k = 3\nf = x * k + 2",
        "f = (x - 1) ** 3 / (2 - y)",
        "f = -x * 0.1 + neg(y)",
        "f = relu(x) + abs(y) - min(x, y) + max(x, 1) + log(exp(x)) + tanh(sin(cos(y)))",
    ]:
        check(ce.from_code(src), {"x": 0.7, "y": -1.3})


def test_gates_without_labels_get_names_that_never_clash():
    c = ce.Circuit()
    with pytest.raises(ce.NameClashError, match="form of the names given"):
        c.add_gate("input", label="mul2", value=2)  # kept for the mul gate n2
    x = c.add_gate("input", label="mul", value=2).id
    m = c.add_gate("mul").id
    c.connect(x, m, 0)
    c.connect(x, m, 1)
    e = c.add_gate("exp").id
    c.connect(m, e, 0)
    check(c, {"mul": 0.5})


def test_random_circuits_run_and_read_back():
    rnd = random.Random(1234)
    kinds = [k for k, s in ce.GATES.items() if not s.is_leaf]
    ran = 0
    for _ in range(150):
        c = ce.Circuit()
        ids = [c.add_gate("input", label=n, value=rnd.uniform(0.5, 1.5)).id for n in "abc"]
        for _ in range(rnd.randint(1, 12)):
            kind = rnd.choice(kinds)
            params = {"c": rnd.choice([2.0, 3.0, -1.0, 0.5])} if ce.GATES[kind].params else None
            g = c.add_gate(kind, params=params).id
            for port in range(ce.GATES[kind].arity):
                c.connect(rnd.choice(ids), g, port)
            ids.append(g)
        c.set_setting("output", ids[-1])
        r = ce.evaluate(c)
        if r.nonfinite or r.kinks or any(abs(v) > 1e6 for v in r.value.values()):
            continue  # out of the code's plain-float domain; counted below
        try:
            check(c, {})
        except (ZeroDivisionError, OverflowError, ValueError, TypeError):
            continue
        ran += 1
    assert ran >= 100, ran
