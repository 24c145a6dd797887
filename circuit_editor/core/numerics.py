"""The functions gate templates call, bound twice.

``SCALAR`` works on plain floats and is the fast path; it may raise on 1/0, exp(1000) or
log(-1). ``VECTOR`` works on numpy arrays and numpy scalars and follows IEEE rules
(inf, nan) instead of raising; the engine falls back to it when the fast path raises, and
uses it for batches. Where the fast path does not raise, both give the same numbers: to the last
bit for arithmetic, and within a few units in the last place for exp, log, tanh, pow and the like
(math and numpy round those differently).
"""

from __future__ import annotations

import math

import numpy as np


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


def _neg(x):
    return -x


def _np_sigmoid(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))


def _np_relu(x):
    return np.maximum(x, 0.0)


SCALAR = {
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

VECTOR = {
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


def is_finite(x) -> bool:
    if isinstance(x, float):
        return math.isfinite(x)
    return bool(np.all(np.isfinite(x)))
