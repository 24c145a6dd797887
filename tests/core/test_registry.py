"""Everything about a gate or a policy is read from the registry: tie policies, the lecture's
sentence for each gate, literal folds, call names; templates filled once, numbers written in
three named precisions."""

import pytest

import circuit_editor as ce
from circuit_editor.core.explain import Explainer
from circuit_editor.core.gates import (
    CALL_ALIASES,
    FOLDS,
    GATES,
    OPERATORS,
    TIE_POLICIES,
    TIES,
    fill,
)
from circuit_editor.core.numbers import full, literal, short


def test_tie_policies_are_named_and_described_once():
    assert TIES == tuple(TIE_POLICIES) == ("both", "split", "first")
    assert all(doc.endswith(".") for doc in TIE_POLICIES.values())


def _one_gate(kind: str, c: float | None = None) -> ce.Circuit:
    circuit = ce.Circuit()
    xs = [circuit.add_gate("input", label=n, value=v).id for n, v in zip("xy", (0.5, 2.0))]
    g = circuit.add_gate(kind, label="f", params={"c": c} if c is not None else None)
    for port in range(GATES[kind].arity):
        circuit.connect(xs[port], g.id, port)
    return circuit


@pytest.mark.parametrize("kind", [k for k, s in GATES.items() if not s.is_leaf])
def test_a_backward_step_ends_with_the_gates_sentence_from_the_registry(kind):
    spec = GATES[kind]
    e = Explainer.of(ce.evaluate(_one_gate(kind), {}))
    words = e.explain(1).words
    assert words == spec.pattern
    assert words == (spec.pattern_doc or f"{spec.name}: {spec.local_doc}.")


def test_the_lectures_sentences_read_as_before():
    assert GATES["add"].pattern == (
        "An add gate distributes: each input gets the upstream gradient unchanged."
    )
    assert GATES["sigmoid"].pattern == (
        "The sigmoid's local gradient is (1 - \u03c3)\u03c3, read off its output."
    )
    assert GATES["tanh"].pattern == "tanh: df/dx = 1 - tanh(x)^2."


def _folds():
    for op, pairs in FOLDS.items():
        for kind, fold in pairs:
            yield op, kind, fold


@pytest.mark.parametrize("op,kind,fold", list(_folds()))
def test_the_code_reader_folds_literals_as_the_registry_says(op, kind, fold):
    k = fold.only if fold.only is not None else 3.0
    code = {
        "left": f"f = {k} {op} x",
        "right": f"f = x {op} {k}",
        "either": f"f = {k} {op} x",
        "unary": f"f = {op}x",
    }[fold.side]
    (gate,) = [g for g in ce.from_code(code).gates if not g.spec.is_leaf]
    assert gate.kind == kind
    assert gate.c == (fold.factor if fold.side == "unary" else fold.constant(k))


def test_the_cs231n_sigmoid_folds_into_its_four_gates():
    c = ce.from_code("f = 1.0 / (1 + math.exp(-dot))")
    gates = [g for g in c.gates if not g.spec.is_leaf]
    assert [g.symbol for g in gates] == ["*-1", "exp", "+1", "1/x"]


@pytest.mark.parametrize("op,kind", list(OPERATORS.items()))
def test_an_operator_without_a_literal_is_its_own_gate(op, kind):
    (gate,) = [g for g in ce.from_code(f"f = x {op} y").gates if not g.spec.is_leaf]
    assert gate.kind == kind


@pytest.mark.parametrize("alias,kind", list(CALL_ALIASES.items()))
def test_call_aliases_read_as_their_gate(alias, kind):
    spec = GATES[kind]
    args = "x, 3" if spec.params else ", ".join("xy"[: spec.arity])
    (gate,) = [g for g in ce.from_code(f"f = np.{alias}({args})").gates if not g.spec.is_leaf]
    assert gate.kind == kind
    assert gate.c == (3.0 if spec.params else None)


def test_an_alias_is_not_a_name_of_its_own():
    c = ce.from_code("f = maximum")  # a name read before assignment: an input, as before
    assert [g.label for g in c.inputs()] == ["maximum"]


def test_fill_writes_names_and_the_constant_in_the_format_given():
    assert fill("{0} + {c}", ["x"], "f", -1.5) == "x - 1.5"
    assert fill("{0} * {c}", ["x"], "f", 1 / 3) == "x * 0.3333333333333333"
    assert fill("{0} * {c}", ["x"], "f", 1 / 3, short) == "x * 0.3333"
    assert fill("{out} * (1.0 - {out})", ["x"], "s", None) == "s * (1.0 - s)"
    assert fill("{0} + {1}", ["a", "b"], "g", None) == "a + b"


def test_explained_local_gradients_keep_every_digit_of_the_constant():
    e = Explainer.of(ce.evaluate(_one_gate("pow", 1.01), {}))
    assert e.local_formula(e.steps[0], 0) == "1.01 * pow(x, 1.01 - 1)"
    assert e.formula(e.steps[0]) == "x**1.01"


def test_the_three_precisions():
    assert [literal(x) for x in (2.0, -0.5, 2.5e-08, None)] == ["2", "-0.5", "2.5e-08", "?"]
    assert literal(float("inf")) == "inf"
    assert [short(x) for x in (1 / 3, -14.0, 1.5e-05, None)] == ["0.3333", "-14", "1.5e-5", ""]
    assert [full(x) for x in (1 / 3, 2, None)] == ["0.3333333333333333", "2.0", ""]
