"""How numbers read on screen: about four significant digits on the canvas, full precision in
the inspector and tooltips."""

from __future__ import annotations

import math


def fmt(x) -> str:
    """-14, 0.7311, -0.1966, 1.5e-05, inf, nan: short and never misleading."""
    if x is None:
        return ""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0"
    text = f"{x:.4g}"
    if "e" in text:
        mant, exp = text.split("e")
        text = f"{mant}e{int(exp)}"
    return text


def full(x) -> str:
    """Every digit that matters (the shortest text that reads back as the same float)."""
    if x is None:
        return ""
    return repr(float(x))
