"""Circuits back to code: the exported file runs on its own in a fresh Python, prints the engine's
numbers (and the worksheet's, worked out here by hand), reads back as the same circuit, and no
text from a file (title, description, labels) ever becomes code."""

import ast
import json
import math
import random
import re
import subprocess
import sys

import networkx as nx
import numpy as np
import pytest

import circuit_editor as ce
from circuit_editor import files, resources
from circuit_editor.core.export import (
    BUILTINS,
    HEADER,
    HELPERS,
    MATH,
    NUMPY_CALLS,
    NUMPY_HELPERS,
    RESERVED,
    Namer,
    to_code,
)
from circuit_editor.core.names import display_names

TIMEOUT = 120


def run_file(code: str, tmp_path, name: str = "exported.py") -> dict[str, float]:
    """Run exported code as its own program; what it printed, ``label = number`` per line."""
    path = tmp_path / name
    path.write_text(code, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-I", str(path)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr + code
    return printed(proc.stdout)


def run_many(codes: list[str], tmp_path) -> list[dict[str, float]]:
    """Run many exported files, each as ``__main__`` in a namespace of its own, in one fresh
    Python (one process for all: a process each would make the test slow)."""
    paths = []
    for i, code in enumerate(codes):
        paths.append(tmp_path / f"exported{i}.py")
        paths[-1].write_text(code, encoding="utf-8")
    driver = (
        "import contextlib, io, json, runpy, sys\n"
        "outs = []\n"
        "for p in sys.argv[1:]:\n"
        "    buf = io.StringIO()\n"
        "    with contextlib.redirect_stdout(buf):\n"
        "        runpy.run_path(p, run_name='__main__')\n"
        "    outs.append(buf.getvalue())\n"
        "print(json.dumps(outs))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-I", "-c", driver, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert proc.returncode == 0, proc.stderr
    return [printed(text) for text in json.loads(proc.stdout)]


def printed(stdout: str) -> dict[str, float]:
    out = {}
    for line in stdout.splitlines():
        label, _, number = line.rpartition(" = ")
        out[label] = float(number)
    return out


def numbers(c: ce.Circuit) -> dict[str, float]:
    """What the exported code should print: the engine's output and input gradients."""
    r = ce.evaluate(c)
    shown, slot = display_names(c), ce.compile_circuit(c).slot
    out, target = shown[r.output_id], shown[r.target_id]
    want = {out: r.output}
    for g in c.inputs():
        want[f"d{target}/d{g.label}"] = r.grads_by_slot[slot[g.id]]
    return want


def close(got: dict[str, float], want: dict[str, float], rel: float = 1e-12) -> bool:
    return got.keys() == want.keys() and all(
        math.isclose(got[k], want[k], rel_tol=rel, abs_tol=1e-12) for k in want
    )


def with_values(c: ce.Circuit, values: dict) -> ce.Circuit:
    c = c.copy()
    for name, x in values.items():
        g = c.input_named(name)
        if g is not None:
            c.set_value(g.id, x)
    return c


# ------------------------------------------------------------------ it runs: the engine's numbers
@pytest.mark.parametrize("path", resources.examples(), ids=lambda p: p.stem)
def test_every_example_runs_and_prints_the_engines_numbers(path, tmp_path):
    c = files.load(path)
    for values in [{}, *c.input_sets.values()]:
        at = with_values(c, values)
        assert close(run_file(to_code(at), tmp_path), numbers(at)), values


def test_the_staged_example_by_hand(tmp_path):
    """f = (x + y)z + x at x = -2, y = 5, z = -4: f = -14; df/dx = z + 1 = -3, df/dy = z = -4,
    df/dz = x + y = 3 (the worksheet's numbers)."""
    c = files.load(resources.path("examples", "2-staged.circuit"))
    got = run_file(to_code(with_values(c, {"x": -2, "y": 5, "z": -4})), tmp_path)
    assert got == {"f": -14.0, "df/dx": -3.0, "df/dy": -4.0, "df/dz": 3.0}


T = math.tanh(0.5)


@pytest.mark.parametrize(
    "stem,values,want",
    [
        # f = xy: df/dx = y, df/dy = x
        ("1a-product", {"x": 1, "y": -2}, {"f": -2.0, "df/dx": -2.0, "df/dy": 1.0}),
        # f = x + y: df/dx = df/dy = 1
        ("1b-sum", {"x": 1, "y": -2}, {"f": -1.0, "df/dx": 1.0, "df/dy": 1.0}),
        # f = max(x, y): the larger input gets the gradient; at a tie both do (1(x >= y))
        ("1c-max", {"x": 12, "y": 3}, {"f": 12.0, "df/dx": 1.0, "df/dy": 0.0}),
        ("1c-max", {"x": 4, "y": 4}, {"f": 4.0, "df/dx": 1.0, "df/dy": 1.0}),
        # tanh x = 2s(2x) - 1, whose derivative 4s'(2x) is 1 - tanh(x)^2
        ("1d-tanh", {"x": 0.5}, {"f": T, "df/dx": 1 - T * T}),
    ],
)
def test_the_simple_gradients_by_hand(stem, values, want, tmp_path):
    c = with_values(files.load(resources.path("examples", f"{stem}.circuit")), values)
    assert close(run_file(to_code(c), tmp_path), want, rel=1e-14)


def test_the_neuron_by_hand(tmp_path):
    """f = s(w0 x0 + w1 x1 + w2) at w = [2, -3, -3], x = [-1, -2]: dot = 1, and
    df/dwi = xi s(1)(1 - s(1)), df/dxi = wi s(1)(1 - s(1)), df/dw2 = s(1)(1 - s(1))."""
    c = files.load(resources.path("examples", "4abc-neuron.circuit"))
    code = to_code(c)
    assert "w = [2.0, -3.0, -3.0]\nx = [-1.0, -2.0]\n" in code
    s = 1 / (1 + math.exp(-1.0))
    ddot = s * (1 - s)
    want = {"f": s, "df/dw[2]": ddot}
    want |= {"df/dw[0]": -1 * ddot, "df/dw[1]": -2 * ddot}
    want |= {"df/dx[0]": 2 * ddot, "df/dx[1]": -3 * ddot}
    assert close(run_file(code, tmp_path), want, rel=1e-14)


@pytest.mark.parametrize("x,y", [(3.0, -4.0), (-1.0, 2.0)])
def test_the_staged_function_by_hand(x, y, tmp_path):
    """f = (x + s(y)) / (s(x) + (x + y)^2), differentiated by the quotient rule."""

    def s(t):
        return 1 / (1 + math.exp(-t))

    num, den = x + s(y), s(x) + (x + y) ** 2
    want = {
        "f": num / den,
        "df/dx": (den - num * (s(x) * (1 - s(x)) + 2 * (x + y))) / den**2,
        "df/dy": (s(y) * (1 - s(y)) * den - num * 2 * (x + y)) / den**2,
    }
    c = files.load(resources.path("examples", "4d-staged-function.circuit"))
    c = with_values(c, {"x": x, "y": y})
    assert close(run_file(to_code(c), tmp_path), want, rel=1e-12)


def test_the_staged_example_reads_like_the_worksheet():
    code = to_code(ce.from_code("g = x + y\nh = g * z\nf = h + x"))
    assert code.startswith("\n".join(HEADER) + "\n")
    assert "## inputs\nx = 1.0\ny = 1.0\nz = 1.0\n" in code
    assert "## forward pass\ng = x + y  # add\nh = g * z  # multiply\nf = h + x  # add\n" in code
    back = code.split("## backward pass\n", 1)[1]
    assert back.splitlines()[0] == "df = 1.0"
    assert "dg = dh * z" in back and "dz = dh * g" in back
    assert back.count("dx = ") == 1 and back.count("dx += ") == 1  # x fans out


def test_a_target_other_than_the_output_is_named_in_what_it_prints(tmp_path):
    c = ce.from_code("g = x + y\nh = g * z\nf = h + x")
    c.set_value(c.input_named("z").id, -4.0)
    c.set_setting("target", c.find("g"))
    got = run_file(to_code(c), tmp_path)
    assert got == {"f": -7.0, "dg/dx": 1.0, "dg/dy": 1.0, "dg/dz": 0.0}


def test_random_circuits_run_and_print_the_engines_numbers(tmp_path):
    rnd = random.Random(1234)
    kinds = [k for k, s in ce.GATES.items() if not s.is_leaf]
    circuits = []
    while len(circuits) < 150:
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
        values = [*r.value.values(), *r.grad.values()]
        if r.nonfinite or r.kinks or any(abs(v) > 1e6 for v in values):
            continue  # outside plain Python floats' domain (1/0 raises, log(-1) too)
        circuits.append(c)
    results = run_many([to_code(c) for c in circuits], tmp_path)
    for c, got in zip(circuits, results, strict=True):
        assert close(got, numbers(c), rel=1e-9), to_code(c)


# ------------------------------------------------------------------ it reads back
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


def reads_back(c: ce.Circuit) -> None:
    """The forward pass of the code reads back as the circuit (an input nothing reads has no
    line there: it cannot come back)."""
    code = to_code(c)
    back = ce.from_code(code.split("## forward pass\n", 1)[1])
    used = c.copy()
    for g in c.inputs():
        if not c.wires_from(g.id):
            used.remove_gate(g.id)
    assert same_structure(used, back), code


@pytest.mark.parametrize("path", resources.examples(), ids=lambda p: p.stem)
def test_every_example_reads_back(path):
    reads_back(files.load(path))


@pytest.mark.parametrize("path", resources.examples(), ids=lambda p: p.stem)
def test_the_whole_exported_file_reads_back_with_its_input_values(path):
    """The reader takes the exported file whole: its inputs come back as inputs with their
    values (the set "from code"), so the output and every gradient are the file's."""
    c = files.load(path)
    back = ce.from_code(to_code(c))
    assert same_structure(c, back)
    want, got = ce.evaluate(c), ce.evaluate(back)
    assert got.output == want.output
    for g in c.inputs():
        assert got.grad[g.label] == want.grad[g.label], g.label


def test_constants_and_parameters_round_trip(tmp_path):
    sources = [
        "k = 3\nf = x * k + 2",
        "f = (x - 1) ** 3 / (2 - y)",
        "f = -x * 0.1 + neg(y)",
        "f = relu(x) + abs(y) - min(x, y) + max(x, 1) + log(exp(x)) + tanh(sin(cos(y)))",
    ]
    circuits = [with_values(ce.from_code(src), {"x": 0.7, "y": -1.3}) for src in sources]
    for c in circuits:
        reads_back(c)
    for c, got in zip(circuits, run_many([to_code(c) for c in circuits], tmp_path)):
        assert close(got, numbers(c), rel=1e-12)


# ------------------------------------------------------------------ nothing from a file is code
PAYLOAD = "import pathlib; pathlib.Path('ran').write_text('ran')"
BREAKS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1e", "\x85", "\u2028", "\u2029"]


def staged() -> ce.Circuit:
    c = files.load(resources.path("examples", "2-staged.circuit"))
    c.set_setting("title", "")
    c.set_setting("description", "")
    return c


@pytest.mark.parametrize("brk", BREAKS, ids=repr)
def test_no_title_or_description_becomes_code(brk, tmp_path):
    c = staged()
    plain = ast.dump(ast.parse(to_code(c)))
    c.set_setting("title", f"Worksheet 2{brk}{PAYLOAD}{brk}# backward pass")
    c.set_setting("description", f"{brk}{PAYLOAD}{brk}\x00 \u202e \ud800 -*- coding: utf-7 -*-")
    code = to_code(c)
    assert ast.dump(ast.parse(code)) == plain  # what the title added are comments, nothing else
    lines = code.splitlines()
    assert lines[:2] == list(HEADER)  # where Python looks for an encoding, nothing of the file's
    assert "# title: Worksheet 2" in lines and f"# | {PAYLOAD}" in lines
    assert "# | # backward pass" in lines  # quoted: no reader takes it for the marker
    assert "\\x00 \\u202e \\ud800" in code  # control, format and lone surrogate: escaped
    assert all(ch in "\t" or ch.isprintable() for ch in code.replace("\n", ""))
    assert run_file(code, tmp_path) == {"f": -14.0, "df/dx": -3.0, "df/dy": -4.0, "df/dz": 3.0}
    assert not (tmp_path / "ran").exists()


def assigned_names(code: str) -> set[str]:
    return {
        node.id
        for node in ast.walk(ast.parse(code))
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }


def awkward_circuit() -> ce.Circuit:
    """Inputs and gates named like keywords, soft keywords, builtins the code calls and its
    helpers, beside lists of inputs: plain, with a gap, clashing with a plain input."""
    c = ce.Circuit()
    labels = ["sign", "pow", "lambda", "True", "print", "max", "math", "exp", "match", "_"]
    labels += ["w", "w[0]", "w[1]", "v[0]", "v[3]", "k[01]", "k[1]", "sigmoid", "dsign"]
    ins = {
        name: c.add_gate("input", label=name, value=0.25 + i / 8).id
        for i, name in enumerate(labels)
    }

    def gate(kind, *sources, label="", c_=None):
        g = c.add_gate(kind, label=label, params={"c": c_} if c_ is not None else None).id
        for port, s in enumerate(sources):
            c.connect(s, g, port)
        return g

    parts = [
        gate("abs", ins["sign"], label="None"),  # the sign helper, in its local gradient
        gate("pow", ins["pow"], label="abs", c_=3.0),  # pow, in its local gradient
        gate("sigmoid", ins["lambda"], label="relu"),
        gate("max", ins["True"], ins["print"], label="def"),
        gate("mul", ins["max"], ins["math"], label="type"),
        gate("tanh", ins["exp"], label="sigmoid_"),
        gate("add", ins["match"], ins["_"], label="case"),
        gate("mul", ins["w"], ins["w[0]"]),
        gate("mul", ins["w[1]"], ins["v[0]"]),
        gate("add", ins["v[3]"], ins["k[01]"]),
        gate("relu", ins["k[1]"]),
        gate("neg", ins["sigmoid"]),
        gate("exp", ins["dsign"]),
    ]
    total = parts[0]
    for p in parts[1:]:
        total = gate("add", total, p)
    return c


def test_names_that_python_or_the_code_reserves_are_renamed(tmp_path):
    c = awkward_circuit()
    code = to_code(c)
    assert not assigned_names(code) & RESERVED, code
    for line in ["lambda_ = 0.5", "True_ = 0.625", "sign_ = 0.25", "pow_ = 0.375", "__ = 1.375"]:
        assert any(ln.startswith(line) for ln in code.splitlines()), (line, code)
    assert "w = 1.5\n" in code and "w_2 = [1.625, 1.75]\n" in code  # the plain w keeps its name
    assert "v = {0: 1.875, 3: 2.0}\n" in code and "k_01_ = 2.125\nk = {1: 2.25}" in code
    assert (
        "None_ = abs(sign_)" in code and "abs_ = pow_**3" in code and "type_ = max_ * math_" in code
    )
    assert close(run_file(code, tmp_path), numbers(c), rel=1e-12)


def test_naming_does_constant_work_per_name():
    namer = Namer()
    names = [namer.fresh("x") for _ in range(10_000)]
    assert len(set(names)) == 10_000 and names[:3] == ["x", "x_2", "x_3"]
    assert namer.tried <= 2 * 10_000
    namer = Namer()
    taken = [namer.fresh(f"x_{i}") for i in range(2, 5_000)]  # the numbered names taken first
    names = [namer.fresh("x") for _ in range(5_000)]
    assert not set(names) & set(taken) and len(set(names)) == 5_000
    assert namer.tried <= 3 * 10_000


def test_code_that_rebinds_one_name_exports_distinct_names(tmp_path):
    lines = ["a = x * 2"] + ["a = a * 1.5 + x" for _ in range(300)]
    c = ce.from_code("\n".join(lines))
    c.set_value(c.input_named("x").id, 0.5)
    code = to_code(c)
    assigns = [n.targets[0].id for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Assign)]
    assert len(assigns) == len(set(assigns)) == 2 * (1 + 601)  # x and 601 gates, and gradients
    assert close(run_file(code, tmp_path), numbers(c), rel=1e-9)


# ------------------------------------------------------------------ the numpy style: a batch
def run_batch(code: str, tmp_path) -> dict[str, list[float]]:
    """Run numpy-style code as its own program; what it printed, ``label = [numbers]``."""
    path = tmp_path / "batch.py"
    path.write_text(code, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-I", "-W", "ignore", str(path)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert proc.returncode == 0, proc.stderr + code
    out = {}
    for line in proc.stdout.splitlines():
        label, _, text = line.partition(" = ")
        out[label] = [float(x) for x in text.strip("[]").split(", ")]
    return out


def batch_numbers(c: ce.Circuit) -> dict[str, list[float]]:
    """The engine's numbers over the batch: the current values, then each input set."""
    sets = [c.input_set_values(name) for name in c.input_sets]
    inputs = {
        g.label: np.array([g.value, *(v.get(g.label, g.value) for v in sets)]) for g in c.inputs()
    }
    r = ce.evaluate(c, inputs)
    shown, slot = display_names(c), ce.compile_circuit(c).slot
    out, target = shown[r.output_id], shown[r.target_id]
    want = {out: np.broadcast_to(r.output, (len(sets) + 1,)).tolist()}
    for g in c.inputs():
        grad = np.broadcast_to(r.grads_by_slot[slot[g.id]], (len(sets) + 1,))
        want[f"d{target}/d{g.label}"] = grad.tolist()
    return want


def test_numpy_style_is_a_batch_of_the_current_values_and_every_input_set(tmp_path):
    """f = (x + y)z + x over (x, y, z) = (-2, 5, -4) now, then the sets (-2, 5, -4) and
    (1, 2, 3): f = [-14, -14, 10]; df/dx = z + 1, df/dy = z, df/dz = x + y."""
    c = files.load(resources.path("examples", "2-staged.circuit"))
    code = to_code(c, style="numpy")
    assert "x = np.array([-2.0, -2.0, 1.0])" in code and "df = np.ones_like(f)" in code
    assert run_batch(code, tmp_path) == {
        "f": [-14.0, -14.0, 10.0],
        "df/dx": [-3.0, -3.0, 4.0],
        "df/dy": [-4.0, -4.0, 3.0],
        "df/dz": [3.0, 3.0, 3.0],
    }


@pytest.mark.parametrize("path", resources.examples(), ids=lambda p: p.stem)
def test_numpy_style_gives_the_engines_batch(path, tmp_path):
    c = files.load(path)
    got, want = run_batch(to_code(c, style="numpy"), tmp_path), batch_numbers(c)
    assert got.keys() == want.keys()
    for k in want:
        assert np.allclose(got[k], want[k], rtol=1e-12, atol=1e-12, equal_nan=True), k


def test_numpy_style_with_awkward_names_and_every_kind_of_gate(tmp_path):
    c = awkward_circuit()
    c.set_input_set("low", {"sign": -1.0, "True": -2.0, "k[1]": -0.5})
    code = to_code(c, style="numpy")
    assert not assigned_names(code) & (RESERVED | {"np"})
    got, want = run_batch(code, tmp_path), batch_numbers(c)
    for k in want:
        assert np.allclose(got[k], want[k], rtol=1e-12, atol=1e-12), k


def test_every_function_a_gate_template_calls_is_defined_in_both_styles():
    """A gate added to the registry whose code calls a new function fails here until the export
    imports or defines it, for plain Python and numpy alike."""
    called = set()
    for spec in ce.GATES.values():
        templates = [spec.code_template, *spec.local]
        templates += [t for ts in spec.local_by_tie.values() for t in ts]
        for t in templates:
            called |= set(re.findall(r"([A-Za-z_]\w*)\(", t))
    assert called, "the templates call functions"
    assert called <= set(HELPERS) | set(MATH) | set(BUILTINS)
    assert called <= set(NUMPY_HELPERS) | set(NUMPY_CALLS)
