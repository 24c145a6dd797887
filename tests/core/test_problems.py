"""Problems with a result's numbers as values (Result.problems, problem_of), and the one
formatter that puts them in words, checked against sentences written out by hand."""

from __future__ import annotations

import numpy as np
import pytest

import circuit_editor as ce
from circuit_editor.core.problems import Problem, ProblemKind, describe

ONE_OVER_ZERO = "f (reciprocal) gives inf from finite inputs: 1/0 is infinite."
RELU_AT_ZERO = "y (ReLU) is at x = 0: relu has a corner here; its gradient is taken as 0"


def _recip_at_zero():
    c = ce.from_code("f = 1 / x")
    return c, ce.evaluate(c, {"x": 0.0})


def _relu_at_zero():
    c = ce.from_code("y = relu(x)\nf = y * 2")
    return c, ce.evaluate(c, {"x": 0.0})


def test_one_over_zero_is_a_structured_problem():
    c, r = _recip_at_zero()
    f = c.find("f")
    assert r.problems == (Problem(f, ProblemKind.PRODUCED_NONFINITE, "f", "recip", np.inf),)
    assert r.problems_by_gate == {f: r.problems[0]}
    assert r.problem_of(f) is r.problems[0]
    assert r.problems[0].kind.severity == "warn"


def test_one_over_zero_in_words():
    _c, r = _recip_at_zero()
    (p,) = r.problems
    assert describe(p) == ONE_OVER_ZERO
    assert describe(p, on_gate="1/x") == "1/x gives inf from finite inputs: 1/0 is infinite."
    assert r.explain_problems() == [ONE_OVER_ZERO]


def test_a_kink_is_a_structured_problem_and_in_words():
    c, r = _relu_at_zero()
    y = c.find("y")
    assert r.problems == (Problem(y, ProblemKind.KINK, "y", "relu", 0.0),)
    (p,) = r.problems
    assert p.kind.severity == "kink"
    assert describe(p) == RELU_AT_ZERO
    assert describe(p, on_gate="y") == (
        "Not differentiable here: x = 0: relu has a corner here; its gradient is taken as 0."
    )
    assert r.explain_problems() == [RELU_AT_ZERO]


def test_no_problems_away_from_them():
    c = ce.from_code("y = relu(x)\nf = 1 / y")
    r = ce.evaluate(c, {"x": 2.0})
    assert r.problems == () and r.explain_problems() == []
    assert all(r.problem_of(gid) is None for gid in r.plan.order)


def test_a_gate_after_the_one_at_fault_inherits_its_problem():
    c = ce.from_code("f = (1 / x) + y")
    r = ce.evaluate(c, {"x": 0.0})
    f = c.find("f")
    assert f not in r.problems_by_gate  # not its own fault: not in the list of problems
    p = r.problem_of(f)
    assert p == Problem(f, ProblemKind.INHERITED_NONFINITE, "f", "add", np.inf)
    assert p.kind.severity == "warn"
    assert describe(p, on_gate="f") == (
        "Its value or gradient is not a finite number, because a gate before it gives inf or nan."
    )
    assert describe(p) == (
        "f (add) has a value or gradient that is not a finite number, "
        "because a gate before it gives inf or nan."
    )
    assert r.problem_of(c.find("y")) is None  # its gradient is 1: nothing wrong


def test_in_a_batch_the_value_is_a_non_finite_value_at_some_points():
    c = ce.from_code("f = 1 / x")
    r = ce.evaluate(c, {"x": np.array([0.0, 1.0])})
    assert r.explain_problems() == [
        "f (reciprocal) gives a non-finite value at some points from finite inputs: "
        "1/0 is infinite."
    ]


@pytest.mark.parametrize("x,word", [(-1.0, "nan"), (0.0, "-inf")], ids=["log of -1", "log of 0"])
def test_nan_and_minus_inf_are_named(x, word):
    c = ce.from_code("f = log(x)")
    r = ce.evaluate(c, {"x": x})
    (p,) = r.problems
    assert describe(p, on_gate="f") == (
        f"f gives {word} from finite inputs: "
        "log is only defined for positive numbers (log 0 = -inf)."
    )


def test_problems_are_frozen_values():
    _c, r = _recip_at_zero()
    with pytest.raises(AttributeError):
        r.problems[0].value = 1.0
    assert ProblemKind.KINK == "kink"  # a str enum: comparisons with text keep working
