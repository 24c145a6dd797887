"""The engine's pieces on their own: the one switch from plain floats to IEEE arithmetic, and
the result's read-only by-slot view of its numbers."""

from __future__ import annotations

import math
from collections.abc import MutableSequence

import numpy as np
import pytest

import circuit_editor as ce
from circuit_editor.core.numerics import (
    ARITHMETIC_ERRORS,
    NotFinite,
    as_ieee,
    as_number,
    plain_then_ieee,
)


def _refuse():
    raise AssertionError("not to be called")


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize(
    "plain,ieee,expected",
    [
        (lambda: 1.0 / 0.0, lambda: as_ieee(1.0) / as_ieee(0.0), math.inf),
        (lambda: -1.0 / 0.0, lambda: as_ieee(-1.0) / as_ieee(0.0), -math.inf),
        (lambda: math.exp(1000.0), lambda: np.exp(as_ieee(1000.0)), math.inf),
        (lambda: math.log(-1.0), lambda: np.log(as_ieee(-1.0)), math.nan),
        (lambda: math.log(0.0), lambda: np.log(as_ieee(0.0)), -math.inf),
    ],
    ids=["1/0", "-1/0", "exp(1000)", "log(-1)", "log(0)"],
)
def test_where_plain_floats_raise_the_answer_is_ieee(plain, ieee, expected):
    with pytest.raises(ARITHMETIC_ERRORS):  # ZeroDivisionError, OverflowError, ValueError
        plain()
    out = plain_then_ieee(plain, ieee)  # and numpy does not warn about it
    assert out == expected or (math.isnan(expected) and math.isnan(out))


def test_plain_floats_answer_when_they_can():
    assert plain_then_ieee(lambda: 1.0 / 4.0, _refuse) == 0.25
    assert type(plain_then_ieee(lambda: 1.0 / 4.0, _refuse)) is float


def test_a_plain_answer_that_is_not_finite_is_computed_again_in_ieee():
    def plain():
        x = 1e300 * 1e300  # plain floats overflow to inf without raising
        if not math.isfinite(x):
            raise NotFinite
        return x

    assert plain_then_ieee(plain, lambda: np.float64(7.0)) == 7.0


def test_arguments_are_passed_to_either_computation():
    assert plain_then_ieee(lambda a, b=0.0: a / b, lambda a, b=0.0: as_ieee(a) / b, 1.0) == math.inf
    assert plain_then_ieee(lambda a, b: a / b, _refuse, 1.0, b=4.0) == 0.25
    assert plain_then_ieee(None, lambda a: a + 1.0, 1.0) == 2.0


@pytest.mark.filterwarnings("error")
def test_without_a_plain_computation_it_is_ieee_at_once():
    out = plain_then_ieee(plain=None, ieee=lambda: np.array([1.0, -1.0, 0.0]) / 0.0)
    assert out[0] == math.inf and out[1] == -math.inf and math.isnan(out[2])


def test_as_ieee_and_as_number():
    x = as_ieee(2.0)
    assert isinstance(x, np.float64) and x == 2.0
    a = np.array([1.0, 2.0])
    assert as_ieee(a) is a
    assert type(as_number(np.float64(2.5), ())) is float
    b = as_number(1.5, (3,))
    assert isinstance(b, np.ndarray) and b.shape == (3,) and list(b) == [1.5, 1.5, 1.5]
    b[0] = 0.0  # a fresh array, not a read-only broadcast
    assert as_number(True, ()) == 1.0


def test_the_engine_takes_the_ieee_path_at_1_over_0():
    c = ce.from_code("f = 1 / x")
    r = ce.evaluate(c, {"x": 0.0})
    assert r.output == math.inf and type(r.output) is float
    assert r.grad["x"] == -math.inf


def _numbers():
    c = ce.from_code("a = x * y\nf = a + sin(x)")
    return c, ce.evaluate(c, {"x": 2.0, "y": -3.0})


def test_the_by_slot_views_match_the_named_views():
    c, r = _numbers()
    assert len(r.values_by_slot) == len(r.grads_by_slot) == len(c.gates)
    for gid, i in r.plan.slot.items():
        assert r.values_by_slot[i] == r.value_by_id[gid]
        assert r.grads_by_slot[i] == r.grad_by_id[gid]
        assert r.plan.order[i] == gid


def test_the_by_slot_views_are_read_only_and_not_copies():
    _c, r = _numbers()
    for view in (r.values_by_slot, r.grads_by_slot):
        assert not isinstance(view, MutableSequence)
        with pytest.raises(TypeError):
            view[0] = 99.0
    assert r.values_by_slot is r.values_by_slot  # the result's own, not a fresh copy
    assert r.grads_by_slot is r.grads_by_slot
    assert r.value["f"] == pytest.approx(-6.0 + math.sin(2.0))  # nothing changed underneath


def test_a_batch_by_slot():
    c = ce.from_code("f = x * y")
    r = ce.evaluate(c, {"x": np.array([1.0, 2.0])})
    f = r.values_by_slot[r.plan.slot[c.find("f")]]
    assert isinstance(f, np.ndarray) and f.shape == (2,)
    with pytest.raises(TypeError):
        r.values_by_slot[0] = f
