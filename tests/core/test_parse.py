"""Reading code into circuits: the subset, the folding rules, the refusals and the limits."""

import json
import subprocess
import sys

import pytest

import circuit_editor as ce
from circuit_editor.core import parse as parse_module
from circuit_editor.core.codesize import MAX_OPERATIONS
from circuit_editor.core.errors import CodeError


def kinds(c):
    return [(g.kind, g.c) if g.params else g.kind for g in c.gates if not g.spec.is_leaf]


def value(code, **inputs):
    return ce.evaluate(ce.from_code(code), inputs)


@pytest.mark.parametrize(
    "code,expected",
    [
        ("f = x + 1", [("addc", 1.0)]),
        ("f = 1 + x", [("addc", 1.0)]),
        ("f = x - 2", [("addc", -2.0)]),
        ("f = 3 * x", [("mulc", 3.0)]),
        ("f = x * -1", [("mulc", -1.0)]),
        ("f = -x", [("mulc", -1.0)]),
        ("f = 1 / x", ["recip"]),
        ("f = 1.0 / x", ["recip"]),
        ("f = x ** 2", [("pow", 2.0)]),
        ("f = pow(x, 3)", [("pow", 3.0)]),
        ("f = x - y", ["sub"]),
        ("f = x / y", ["div"]),
        ("f = 2 / x", ["div"]),
        ("f = neg(x)", ["neg"]),
        ("f = np.maximum(x, y)", ["max"]),
        ("f = max(x, y, z)", ["max", "max"]),
        ("f = math.exp(x) + np.tanh(y)", ["exp", "tanh", "add"]),
        (
            "f = relu(x) * abs(y) + log(z) - sin(x) / cos(y) + min(x, y)",
            ["relu", "abs", "mul", "log", "add", "sin", "cos", "div", "sub", "min", "add"],
        ),
        ("f = 2 * 3 * x", [("mulc", 6.0)]),  # literals fold before they reach a gate
        ("f = x * math.pi", [("mulc", 3.141592653589793)]),
        ("f = exp(0) + x", [("addc", 1.0)]),
    ],
)
def test_folding_into_gates(code, expected):
    assert kinds(ce.from_code(code)) == expected


def test_values_of_folded_gates_are_right():
    r = value("f = 1 / (x - 2) + 3 * -y ** 2", x=4, y=3)
    assert r.output == 1 / (4 - 2) + 3 * -(3**2)


def test_a_name_read_before_assignment_is_an_input_and_the_last_assignment_the_output():
    c = ce.from_code("a = x * y\nb = a + z\nq = b * 2")
    assert [g.label for g in c.inputs()] == ["x", "y", "z"]
    assert c.resolve_output() == c.find("q")
    assert c.gate(c.find("a")).kind == "mul"


def test_rebinding_and_augmented_assignment_work_as_in_python():
    c = ce.from_code("c = x\nc += c + 1\nc = c * 2")
    r = ce.evaluate(c, {"x": 3})
    assert r.output == (3 + (3 + 1)) * 2
    # a name bound again names a new gate c_2: every name is one gate's
    assert r.value["c_2"] == r.output and r.value["c"] == 3 + (3 + 1)
    assert sorted(g.label for g in c.gates if g.label.startswith("c")) == ["c", "c_2"]


def test_an_input_rebound_by_code_keeps_its_input():
    r = value("x = x + 1\nf = x * x", x=3)
    assert r.output == 16.0
    assert r.grad["f"] == 1.0


def test_alias_makes_no_new_gate():
    c = ce.from_code("g = x * y\nf = g")
    assert kinds(c) == ["mul"]
    assert c.gate(c.resolve_output()).label == "g"


def test_subscripted_inputs():
    r = value("f = w[0] * x[0] + w[1]", **{"w[0]": 2, "x[0]": 3, "w[1]": 1})
    assert r.output == 7.0
    assert r.grad["x[0]"] == 2.0


def test_comments_imports_and_blank_lines_are_ignored():
    code = "import math\nimport numpy as np\n\n# a comment\ng = x + y  # trailing\n"
    assert kinds(ce.from_code(code)) == ["add"]


def test_reading_stops_at_the_backward_pass_and_says_so():
    imp = ce.read_code("f = x * y\n\n## backward pass\ndx = y\nthis is not code at all")
    assert kinds(imp.circuit) == ["mul"]
    assert len(imp.notes) == 1 and "line 3" in imp.notes[0]


def test_a_constant_assigned_to_a_name_is_a_constant_gate():
    c = ce.from_code("k = 2 * 3\nf = k * x")
    k = c.gate(c.find("k"))
    assert (k.kind, k.value) == ("const", 6.0)
    assert kinds(c) == ["mul"]


def test_new_circuits_are_laid_out_left_to_right():
    c = ce.from_code("g = x + y\nh = g * z\nf = h + x")
    pos = {g.label: g.pos for g in c.gates}
    # x forks round y (its wire to f passes below y), so it stands a layer further left
    assert pos["x"][0] < pos["y"][0] < pos["g"][0] < pos["h"][0] < pos["f"][0]
    assert pos["g"][0] <= pos["z"][0] < pos["h"][0]  # an input stands by its first reader
    assert len({g.pos for g in c.gates}) == len(c)  # nothing stacked on anything else


@pytest.mark.parametrize(
    "code,line,column,words",
    [
        ("f = x +", 1, None, "not valid code"),
        ("g = x\nif x:\n    f = 1", 2, 1, "an if statement"),
        ("f = print(x)", 1, 5, "'print' is not known"),
        ("f = x % 2", 1, 5, "'%'"),
        ("f = x ** y", 1, 5, "constant exponent"),
        ("f = 'a' + x", 1, 5, "not a number"),
        ("f = x < y", 1, 5, "a comparison"),
        ("a, b = x, y", 1, 1, "one plain name"),
        ("x + y\nf = x", 1, 1, "does not name it"),
        ("f = os.system('rm')", 1, 5, "os.system"),
        ("import os", 1, 1, "'os'"),
        ("f = exp(x, y)", 1, 5, "exactly one value"),
        ("f = max(x)", 1, 5, "at least two"),
        ("f = exp(x=1)", 1, 9, "keyword"),
        ("f = 1e999 * x", 1, 5, "too large"),
        ("f = 2.0 ** 5000 * x", 1, 5, "too large"),
        ("f = 9**9**9", 1, 5, "too large"),
        ("f = x / (1 - 1)", 1, None, None),  # a literal zero is fine as a constant: 1/0 is inf
        ("3 * 4", 1, None, "plain number"),
        ("f = y[x]", 1, 5, "whole-number index"),
        ("f = math", 1, 5, "call a function"),
        ("f = exp", 1, 5, "is a function"),
        ("", None, None, "no code"),
        ("f = x @ y", 1, 5, "'@'"),
        ("f = -(not x)", 1, 7, "'not'"),
    ],
)
def test_refused_code_names_line_column_and_construct(code, line, column, words):
    if words is None:
        ce.from_code(code)  # accepted
        return
    with pytest.raises(CodeError) as info:
        ce.from_code(code)
    e = info.value
    assert words in str(e)
    assert e.line == line
    if column is not None:
        assert e.column == column
        assert str(e).startswith(f"line {line}, column {column}: ")


def test_division_by_a_literal_zero_gives_inf_not_an_exception():
    r = value("f = x / (1 - 1)", x=1)
    assert r.output == float("inf")
    assert r.produced_nonfinite


HOSTILE = [
    "f = " + "(" * 10_000 + "x" + ")" * 10_000,
    "f = " + "-" * 100_000 + "x",
    "f = 9**9**9**9",
    "f = " + "9" * 5000 + " * x",
    "f = [" * 5000,
    "x" * 6_000_000,
]


def test_hostile_input_is_refused():
    for code in HOSTILE:
        with pytest.raises(CodeError):
            ce.from_code(code)


def test_hostile_input_never_hangs_the_reader():
    """A guard against hangs only (the bug would be no answer at all): each input is refused
    by a fresh interpreter well inside a minute."""
    script = (
        "import json, sys, circuit_editor as ce\n"
        "for code in json.load(sys.stdin):\n"
        "    try:\n"
        "        ce.from_code(code)\n"
        "    except ce.CodeError:\n"
        "        continue\n"
        "    sys.exit(f'accepted: {code[:30]}')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(HOSTILE),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    "code",
    [
        "f = " + " + ".join(f"x{i}" for i in range(20_000)),  # 3.10 parses it, 3.11+ cannot
        "f = " + "-" * 100_000 + "x",
        "f = (x0 +\n" + " +\n".join(f"x{i}" for i in range(1, 3000)) + ")",  # over lines
        "g = x\nf = " + " * ".join(["y"] * 3000) + "  # a comment",
    ],
)
def test_too_many_operations_are_refused_before_python_parses_them(code, monkeypatch):
    def parse(*_args, **_kwargs):
        raise AssertionError("the parser saw code the reader should have refused")

    monkeypatch.setattr(parse_module.ast, "parse", parse)
    with pytest.raises(CodeError, match="split it over several lines") as info:
        ce.from_code(code)
    assert info.value.line == code.count("\n", 0, code.index("f =")) + 1


def test_the_operations_bound_counts_statements_not_lines_or_the_whole_text():
    many = "\n".join(f"a{i} = x * y + {i}" for i in range(2000))  # 4,000 operators in all
    assert len(ce.from_code(many)) > 2000
    row = "; ".join(f"a{i} = x * y + {i}" for i in range(2000))  # on one line
    assert len(ce.from_code(row)) > 2000
    under = "f = " + " + ".join(f"x{i}" for i in range(MAX_OPERATIONS + 1))
    assert len(ce.from_code(under).inputs()) == MAX_OPERATIONS + 1
    with pytest.raises(CodeError, match="split it over several lines"):
        ce.from_code(under + " + z")


def test_a_10000_line_program_works():
    lines = ["a0 = x + y"] + [f"a{i} = a{i - 1} * 0.5 + x" for i in range(1, 10_000)]
    c = ce.from_code("\n".join(lines))
    assert len([g for g in c.gates if g.label]) == 10_000 + 2
    r = ce.evaluate(c, {"x": 1.0, "y": 1.0})
    # a_i = a_{i-1}/2 + x converges to 2x; d a_i/dx -> 2, d/dy -> 0
    assert r.output == pytest.approx(2.0)
    assert r.grad["x"] == pytest.approx(2.0)


def test_a_long_flat_sum_does_not_hit_the_recursion_limit():
    code = "f = " + " + ".join(f"x{i}" for i in range(2000))
    r = value(code)
    assert r.output == 2000.0
    assert all(r.grad[f"x{i}"] == 1.0 for i in range(2000))


def test_a_sum_too_long_for_pythons_parser_is_refused_with_advice():
    with pytest.raises(CodeError, match="split it over several lines"):
        ce.from_code("f = " + " + ".join(f"x{i}" for i in range(20_000)))


def test_reading_never_executes_the_code(tmp_path):
    marker = tmp_path / "ran"
    code = f"f = __import__('os').system('touch {marker}')"
    with pytest.raises(CodeError):
        ce.from_code(code)
    assert not marker.exists()
