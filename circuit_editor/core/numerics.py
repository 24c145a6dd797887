"""The functions gate templates call, bound twice.

``SCALAR`` works on plain floats and is the fast path; it may raise on 1/0, exp(1000) or
log(-1). ``VECTOR`` works on numpy arrays and numpy scalars and follows IEEE rules
(inf, nan) instead of raising; the engine falls back to it when the fast path raises, and
uses it for batches. Where the fast path does not raise, both give the same numbers: to the last
bit for arithmetic, and within a few units in the last place for exp, log, tanh, pow and the like
(math and numpy round those differently).

:func:`plain_then_ieee` is the one switch between the two, used by the engine's passes and by
every number a result works out afterwards.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
Number = float | FloatArray
"""A number in a result: a float for one point (numpy's float64 is one), an array for a batch."""

_T = TypeVar("_T")
_P = ParamSpec("_P")


def _sigmoid(x: float) -> float:
    # Never overflows: exp only ever sees a non-positive argument.
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _relu(x: float) -> float:
    return x if x > 0.0 else 0.0


def _sign(x: float) -> float:
    return 1.0 if x > 0.0 else (-1.0 if x < 0.0 else 0.0 * x)


def _neg(x: float) -> float:
    return -x


def _np_sigmoid(x: Number) -> npt.NDArray[np.float64]:
    a = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(a))  # in (0, 1]: never overflows
    out: npt.NDArray[np.float64] = np.where(a >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))
    return out


def _np_relu(x: Number) -> Number:
    return np.maximum(x, 0.0)


SCALAR: dict[str, Callable[..., float]] = {
    "exp": math.exp,
    "log": math.log,
    "sin": math.sin,
    "cos": math.cos,
    "tanh": math.tanh,
    "sigmoid": _sigmoid,
    "relu": _relu,
    "sign": _sign,
    "neg": _neg,
    "pow": math.pow,
    "max": max,
    "min": min,
    "abs": abs,
}

VECTOR: dict[str, Callable[..., Number]] = {
    "exp": np.exp,
    "log": np.log,
    "sin": np.sin,
    "cos": np.cos,
    "tanh": np.tanh,
    "sigmoid": _np_sigmoid,
    "relu": _np_relu,
    "sign": np.sign,
    "neg": np.negative,
    "pow": np.power,
    "max": np.maximum,
    "min": np.minimum,
    "abs": np.abs,
}

ARITHMETIC_ERRORS = (ZeroDivisionError, OverflowError, ValueError)
"""What the scalar path raises where IEEE arithmetic gives inf or nan."""


def is_finite(x: Number) -> bool:
    if isinstance(x, float):
        return math.isfinite(x)
    return bool(np.all(np.isfinite(x)))


class NotFinite(ArithmeticError):
    """Raised by a plain-float computation whose numbers came out inf or nan without an exception
    (1e200 * 1e200 is inf): :func:`plain_then_ieee` then computes them again in IEEE arithmetic."""


def plain_then_ieee(
    plain: Callable[_P, _T] | None,
    ieee: Callable[_P, _T],
    *args: _P.args,
    **kwargs: _P.kwargs,
) -> _T:
    """``plain(*args, **kwargs)``, computed on plain floats (the fast path), unless it raises one
    of :data:`ARITHMETIC_ERRORS` or :class:`NotFinite`: then ``ieee(*args, **kwargs)``, the same
    computation in numpy's IEEE arithmetic (values made numpy's with :func:`as_ieee`), where 1/0
    is inf and log(-1) is nan, with numpy's warnings silenced.

    ``plain`` is None where only numpy will do: a batch, or numbers that must agree bit for bit
    with a batch's."""
    if plain is not None:
        try:
            return plain(*args, **kwargs)
        except (*ARITHMETIC_ERRORS, NotFinite):
            pass
    with np.errstate(all="ignore"):
        return ieee(*args, **kwargs)


def as_ieee(x: Number) -> Number:
    """``x`` in numpy's arithmetic: a plain float becomes numpy's float64 (the same number, but
    1/0 gives inf instead of raising); arrays are numpy's already."""
    return np.float64(x) if isinstance(x, float) else x


def as_number(x: Number | bool, shape: tuple[int, ...]) -> Number:
    """``x`` as a result gives it: a float for one point (``shape`` ()), else a new array of the
    batch's shape (a number that does not vary across the batch is repeated)."""
    if shape:
        out: npt.NDArray[np.float64] = np.broadcast_to(np.asarray(x, dtype=float), shape).copy()
        return out
    return float(x)
