"""Code as people write it: the worksheet's blocks, the lecture notes' snippets and micrograd's
README, read verbatim (fixtures/), with their numbers.

Expected numbers come from the code's own text run as plain Python (the notes' and the
worksheet's hand-written backward passes), from the numbers micrograd's README prints, from hand
calculation or from central differences; never from the engine.
"""

import json
import math
import re
from pathlib import Path

import pytest

import circuit_editor as ce
from circuit_editor.cli import main
from circuit_editor.core.codecut import forward_pass, is_gradient_name
from circuit_editor.core.parse import FROM_CODE

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name):
    return (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")


def run_as_python(code, **names):
    """The code's own text run as Python (the fixtures are the notes' and worksheet's)."""
    space = {"math": math, **names}
    exec(code, space)  # the fixture's own text: the independent calculation
    return space


def without_comments(code):
    return "\n".join(line for line in code.split("\n") if not line.lstrip().startswith("#"))


def fd(f, point, name, h=1e-6):
    up, down = dict(point), dict(point)
    up[name] += h
    down[name] -= h
    return (f(up) - f(down)) / (2 * h)


# ------------------------------------------------------------------ the worksheet, verbatim
@pytest.mark.parametrize("markers", [True, False])
def test_worksheet_2b_with_or_without_markers(markers):
    code = fixture("worksheet_2b")
    if not markers:
        code = without_comments(code)  # the backward pass then starts at dfd_h = 1.0
    imp = ce.read_code(code)
    assert len(imp.notes) == 1 and "backward pass was left out" in imp.notes[0]
    assert ("dfd_h is a gradient's name" in imp.notes[0]) != markers
    at = {"x": -2.0, "y": 5.0, "z": -4.0}
    r = ce.evaluate(imp.circuit, at)
    own = run_as_python(fixture("worksheet_2b"), **at)
    assert r.output == own["f"] == -14.0
    assert (r.grad["x"], r.grad["y"], r.grad["z"]) == (own["dfd_x"], own["dfd_y"], own["dfd_z"])
    assert (r.grad["x"], r.grad["y"], r.grad["z"]) == (-3.0, -4.0, 3.0)
    assert (r.grad["h"], r.grad["g"]) == (own["dfd_h"], own["dfd_g"])


def test_worksheet_4b_with_its_weights():
    imp = ce.read_code(fixture("worksheet_4b"))
    w, x = [2, -3, -3], [-1, -2]
    at = {f"w[{i}]": v for i, v in enumerate(w)} | {f"x[{i}]": v for i, v in enumerate(x)}
    r = ce.evaluate(imp.circuit, at)
    own = run_as_python(fixture("worksheet_4b"), w=w, x=x)
    assert r.output == pytest.approx(own["f"], rel=1e-15)
    assert r.output == pytest.approx(1 / (1 + math.exp(-1)), rel=1e-15)  # dot = 1
    for name, want in [("x[0]", "dx0"), ("x[1]", "dx1"), ("w[0]", "dw0"), ("w[1]", "dw1")]:
        assert r.grad[name] == pytest.approx(own[want], rel=1e-12), name
    assert r.grad["w[2]"] == pytest.approx(own["dw2"], rel=1e-12)


def test_worksheet_4d_forward_and_its_unparsable_backward_pass():
    backward = fixture("worksheet_4d_backward")
    assert "d xpysqr" in backward  # as printed: not Python, and left out unread
    for code in (
        fixture("worksheet_4d_forward") + "\n" + backward,
        fixture("worksheet_4d_forward"),
    ):
        c = ce.from_code(code)
        assert c.gate(c.resolve_output()).label == "f"

        def f(p):
            return run_as_python(fixture("worksheet_4d_forward"), **p)["f"]

        at = {"x": 3.0, "y": -4.0}
        r = ce.evaluate(c, at)
        assert r.output == pytest.approx(f(at), rel=1e-15)
        for name in at:
            assert r.grad[name] == pytest.approx(fd(f, at, name), rel=1e-7)


def test_worksheet_4d_without_markers_stops_at_the_first_gradient():
    code = without_comments(fixture("worksheet_4d_forward") + fixture("worksheet_4d_backward"))
    imp = ce.read_code(code)
    assert "(dnum = invden" in imp.notes[0] and "dnum is a gradient's name" in imp.notes[0]
    assert imp.circuit.gate(imp.circuit.resolve_output()).label == "f"


# ------------------------------------------------------------------ the lecture notes
def test_notes_simplest_snippet_pasted_whole():
    code = fixture("notes_simplest")
    imp = ce.read_code(code)
    c = imp.circuit
    assert [g.label for g in c.inputs()] == ["x", "y", "z"]
    assert dict(c.input_sets[FROM_CODE]) == {"x": -2.0, "y": 5.0, "z": -4.0}
    r = ce.evaluate(c)  # the code's own values
    own = run_as_python(code)
    assert r.output == own["f"] == -12.0
    assert c.gate(r.output_id).label == "f"
    assert (r.grad["x"], r.grad["y"], r.grad["z"]) == (own["dfdx"], own["dfdy"], own["dfdz"])
    assert (r.grad["x"], r.grad["y"], r.grad["z"]) == (-4.0, -4.0, 3.0)
    assert imp.notes == [
        "Read the forward pass only: from line 8 (# perform the backward pass (backpropagation) "
        "in reverse ...) on, the backward pass was left out (a comment names it there). "
        "The app works out every gradient itself.",
        "Inputs with the values the code gives them: x = -2, y = 5, z = -4 (kept as the input "
        'set "from code").',
    ]


def test_notes_simplest_without_comments_stops_at_dfdz():
    imp = ce.read_code(without_comments(fixture("notes_simplest")))
    assert "(dfdz = q" in imp.notes[0] and "dfdz is a gradient's name" in imp.notes[0]
    assert ce.evaluate(imp.circuit).output == -12.0


def test_eval_code_sets_an_input_the_code_gave(capsys):
    code = fixture("notes_simplest")
    assert main(["eval", "--code", code, "--set", "x=3", "--json"]) == 0
    out = capsys.readouterr()
    data = json.loads(out.out)
    assert data["output"] == (3 + 5) * -4
    assert (data["grads"]["x"], data["grads"]["y"], data["grads"]["z"]) == (-4.0, -4.0, 8.0)
    assert "note: Read the forward pass only: from line 8" in out.err
    assert main(["eval", "--code", code, "--input-set", FROM_CODE, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["output"] == -12.0


def test_notes_neuron_lists_of_literals_are_inputs():
    code = fixture("notes_neuron")
    c = ce.from_code(code)
    names = ["w[0]", "w[1]", "w[2]", "x[0]", "x[1]"]
    assert [g.label for g in c.inputs()] == names
    assert dict(c.input_sets[FROM_CODE]) == dict(zip(names, [2.0, -3.0, -3.0, -1.0, -2.0]))
    r = ce.evaluate(c)
    own = run_as_python(code)
    assert r.output == pytest.approx(own["f"], rel=1e-15)
    for i in range(2):
        assert r.grad[f"x[{i}]"] == pytest.approx(own["dx"][i], rel=1e-12)
    for i in range(3):
        assert r.grad[f"w[{i}]"] == pytest.approx(own["dw"][i], rel=1e-12)


def test_notes_staged_example_values_become_inputs():
    code = fixture("notes_staged")
    imp = ce.read_code(code)
    c = imp.circuit
    assert dict(c.input_sets[FROM_CODE]) == {"x": 3.0, "y": -4.0}
    assert "(# backprop f = num * invden) on" in imp.notes[0]
    r = ce.evaluate(c)
    own = run_as_python(code)  # the notes' own backward pass, += and all
    assert r.output == pytest.approx(own["f"], rel=1e-15)
    assert r.grad["x"] == pytest.approx(own["dx"], rel=1e-12)
    assert r.grad["y"] == pytest.approx(own["dy"], rel=1e-12)
    for constant in ("1.0", "1"):  # literals inside expressions stay constants
        assert all(g.label != constant for g in c.gates)
    assert {g.label for g in c.inputs()} == {"x", "y"}


# ------------------------------------------------------------------ micrograd
def test_micrograd_readme_gives_the_numbers_it_prints():
    imp = ce.read_code(fixture("micrograd_readme"))
    c = imp.circuit
    r = ce.evaluate(c)
    assert round(r.output, 4) == 24.7041
    assert round(r.grad["a"], 4) == 138.8338
    assert round(r.grad["b"], 4) == 645.5773
    assert dict(c.input_sets[FROM_CODE]) == {"a": -4.0, "b": 2.0}
    labels = [g.label for g in c.gates if g.label]
    assert labels == ["a", "b", "c", "d", "c_2", "c_3", "d_2", "d_3", "e", "f", "g", "g_2"]
    assert c.gate(r.output_id).label == "g_2"
    assert "line 16 (g.backward()) on" in imp.notes[0]
    assert imp.notes[1:] == [
        'Inputs with the values the code gives them: a = -4, b = 2 (kept as the input set "from '
        'code").',
        "Left out print() (line 15): the app shows every value and gradient itself.",
    ]
    assert ce.gradcheck(c, {"a": -4.0, "b": 2.0}).ok


@pytest.mark.parametrize(
    "code,at,value,grad",
    [
        ("f = a.relu()", -2.0, 0.0, 0.0),
        ("f = a.tanh()", 0.5, math.tanh(0.5), 1 - math.tanh(0.5) ** 2),
        ("f = (a * 2).exp()", 0.5, math.e, 2 * math.e),
        ("f = a ** 3", 2.0, 8.0, 12.0),
        ("f = 2 * a", 3.0, 6.0, 2.0),
        ("f = a + 1", 3.0, 4.0, 1.0),
        ("f = 3 - a", 1.0, 2.0, -1.0),
        ("f = 1 / a", 2.0, 0.5, -0.25),
        ("f = a / 2", 3.0, 1.5, 0.5),
        ("f = 10.0 / a", 2.0, 5.0, -2.5),
        ("f = a * Value(3.0)", 2.0, 6.0, 3.0),
    ],
)
def test_micrograd_methods_and_constants_on_either_side(code, at, value, grad):
    r = ce.evaluate(ce.from_code(f"a = Value({at})\n{code}"))
    assert r.output == pytest.approx(value, rel=1e-15)
    assert r.grad["a"] == pytest.approx(grad, rel=1e-15)


def test_an_unknown_method_is_refused_with_the_known_ones():
    with pytest.raises(ce.CodeError, match=r"\.foo is not supported.*\.relu\(\)") as info:
        ce.from_code("a = Value(1.0)\nb = a.foo()")
    assert (info.value.line, info.value.column) == (2, 5)
    with pytest.raises(ce.CodeError, match=r"\.relu\(\) takes no arguments"):
        ce.from_code("b = x.relu(2)")


# ------------------------------------------------------------------ what is an input
def test_a_literal_after_the_forward_pass_starts_is_a_constant():
    c = ce.from_code("x = 2\nq = x * 3\nk = 5\nf = q + k")
    assert [g.label for g in c.inputs()] == ["x"]
    assert c.gate(c.find("k")).kind == "const"
    assert dict(c.input_sets[FROM_CODE]) == {"x": 2.0}
    assert ce.evaluate(c).output == 11.0


def test_a_list_after_the_forward_pass_starts_is_constants():
    c = ce.from_code("q = x * 2\nw = [1, 2]\nf = q * w[0] + w[1]")
    assert [g.label for g in c.inputs()] == ["x"]
    assert [c.gate(c.find(n)).kind for n in ("w[0]", "w[1]")] == ["const", "const"]
    assert ce.evaluate(c, {"x": 3}).output == 3 * 2 * 1 + 2


def test_a_literal_given_again_before_use_is_the_value_used():
    c = ce.from_code("x = 3\nx = 4  # example values\nf = x * x")
    assert [g.value for g in c.inputs()] == [4.0]
    assert ce.evaluate(c).output == 16.0


def test_a_value_anywhere_is_an_input_and_numpy_arrays_are_lists():
    code = "w = np.array([1.5, 2])\na = Value(2.0)\nb = a * 2\nc = Value(-1.0)\nf = b * c * w[1]"
    c = ce.from_code(code)
    assert {g.label: g.value for g in c.inputs()} == {"w[0]": 1.5, "w[1]": 2.0, "a": 2.0, "c": -1.0}
    assert ce.evaluate(c).output == 2.0 * 2 * -1.0 * 2.0


def test_code_that_only_gives_inputs_values_is_refused():
    with pytest.raises(ce.CodeError, match="nothing to compute") as info:
        ce.from_code("x = -2; y = 5; z = -4")
    assert (info.value.line, info.value.column) == (1, 16)


# ------------------------------------------------------------------ where the backward pass starts
@pytest.mark.parametrize(
    "name,assigned,expected",
    [
        ("dfdz", {"f", "z"}, True),
        ("dfd_h", {"f", "h"}, True),
        ("ddot", {"dot"}, True),
        ("dx", {"x"}, True),
        ("dot", {"x", "y"}, False),
        ("den", {"sigx", "xpysqr"}, False),
        ("dfdz", {"f"}, False),
        ("d", {"x"}, False),
        ("dq", set(), False),
    ],
)
def test_gradient_names(name, assigned, expected):
    assert is_gradient_name(name, assigned) is expected


@pytest.mark.parametrize(
    "comment",
    ["## backward pass", "# BACKPROP", "#Backward Pass:", "  # now the back-propagation"],
)
def test_a_comment_naming_the_backward_pass_ends_the_forward_pass(comment):
    cut = forward_pass(f"q = x + y\n{comment}\nf = q * z\n")
    assert cut.forward == "q = x + y\n" and cut.line == 2


def test_forward_names_that_only_look_like_gradients_are_read():
    c = ce.from_code("dot = w * x\nden = dot + 1\nf = 1 / den")
    assert c.gate(c.resolve_output()).label == "f"


def test_a_gradient_name_after_a_semicolon_cuts_mid_line():
    imp = ce.read_code("x = 2\nf = x * x; dfdx = 2 * x")
    assert "(dfdx = 2 * x) on" in imp.notes[0]
    assert ce.evaluate(imp.circuit).output == 4.0


def test_lines_that_do_not_reach_the_output_are_named():
    imp = ce.read_code("x = 3  # example values\ny = 2\nk = x * y\nf = x + 1\nprint(f)")
    assert imp.notes == [
        'Inputs with the values the code gives them: x = 3, y = 2 (kept as the input set "from '
        'code").',
        "Left out print() (line 5): the app shows every value and gradient itself.",
        "Not used by the output f: line 2 (y = 2), line 3 (k = x * y). Their gates are in the "
        "circuit but do not change f.",
    ]


def test_the_readmes_examples_read_as_it_says():
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Circuits from code") : readme.index("## Files")]
    worksheet, notes, micrograd = re.findall(r"```python\n(.*?)```", section, re.S)
    r = ce.evaluate(ce.from_code(worksheet), {"x": -2, "y": 5, "z": -4})
    assert (r.output, r.grad["x"]) == (-14.0, -3.0)
    c = ce.from_code(notes)
    assert dict(c.input_sets[FROM_CODE]) == {"x": -2.0, "y": 5.0, "z": -4.0}
    assert ce.evaluate(c).output == -12.0
    c = ce.from_code(micrograd)
    r = ce.evaluate(c)
    # by hand: c = -4 + 2 = -2, c_2 = c + relu(c) + 1 = -1, g = tanh(2 * -1)^2 / 2
    assert (r.value["c"], r.value["c_2"]) == (-2.0, -1.0)
    assert r.output == pytest.approx(math.tanh(-2.0) ** 2 / 2, rel=1e-15)
    assert ce.gradcheck(c, {"a": -4.0, "b": 2.0}).ok


MICROGRAD_VIDEO = """\
# forward and backward pass of a small expression
a = Value(2.0, label='a')
b = Value(-3.0, label='b')
c = Value(10.0, label='c')
e = a*b; e.label = 'e'
d = e + c; d.label = 'd'
f = Value(-2.0, label='f')
L = d * f; L.label = 'L'
L.grad = 1.0
"""


def test_micrograd_video_style_labels_and_a_gradient_set_by_hand():
    imp = ce.read_code(MICROGRAD_VIDEO)
    assert "from line 9 (L.grad = 1.0) on" in imp.notes[0]  # not cut at the title comment
    r = ce.evaluate(imp.circuit)
    # by hand: e = -6, d = 4, L = -8; dL/da = b * f = 6, dL/db = a * f = -4, dL/dc = f, dL/df = d
    assert r.output == -8.0
    assert (r.grad["a"], r.grad["b"], r.grad["c"], r.grad["f"]) == (6.0, -4.0, -2.0, 4.0)


def test_a_title_comment_above_all_code_does_not_end_the_forward_pass():
    cut = forward_pass("# the forward pass, then backprop\n\nq = x + y\n# backprop\ndq = 1")
    assert cut.line == 4 and cut.forward == "# the forward pass, then backprop\n\nq = x + y\n"
