"""How numbers are written, in three precisions named for what they are for.

- :func:`literal`: exact, as a person writes a literal in code (``1`` not ``1.0``): exported code,
  the constants drawn in gate symbols, formulas filled from the registry's templates.
- :func:`short`: rounded to about four significant digits, for the canvas and the explanations.
- :func:`full`: every digit that matters, for the inspector and tooltips.
"""

from __future__ import annotations

import math
from typing import SupportsFloat


def literal(x: SupportsFloat | None) -> str:
    """A literal as a person writes it: 1 not 1.0, -0.5, 2.5e-08; ``?`` when there is none."""
    if x is None:
        return "?"
    v = float(x)
    if math.isfinite(v) and v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def short(x: SupportsFloat | None) -> str:
    """-14, 0.7311, -0.1966, 1.5e-05, inf, nan: short and never misleading."""
    if x is None:
        return ""
    v = float(x)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0:
        return "0"
    text = f"{v:.4g}"
    if "e" in text:
        mant, exp = text.split("e")
        text = f"{mant}e{int(exp)}"
    return text


def full(x: SupportsFloat | None) -> str:
    """Every digit that matters (the shortest text that reads back as the same float)."""
    if x is None:
        return ""
    return repr(float(x))
