"""The gate registry: every kind of gate, defined once.

Each entry states its forward value and its local gradients side by side, as expression
templates over its inputs ``{0}``, ``{1}``, its output ``{out}`` and its parameter ``{c}``.
The engine's interpreter, the trace, code export and the palette all read these entries, so
adding a gate is adding one entry here.

Templates are trusted text written in this file; user text never reaches them. The names a
template may call (``exp``, ``sigmoid``, ``max``, ...) are bound by :mod:`.numerics` once for
plain floats and once for numpy arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

TIES = ("both", "split", "first")
"""Tie policies for max/min: the worksheet's 1(x >= y) on both inputs, half each, first wins."""


@dataclass(frozen=True)
class GateSpec:
    kind: str
    name: str  # what the palette calls it
    symbol: str  # drawn in the circle; may use {c}
    arity: int
    doc: str  # one line: what it computes
    formula: str = ""  # f(x, y) = ...
    local_doc: str = ""  # its local gradients, in words a learner reads
    forward: str = ""  # value template
    fast: str = ""  # the same value for plain floats, faster; may raise where
    # IEEE gives inf/nan (the engine then re-runs with numpy)
    local: tuple[str, ...] = ()  # d out / d input_i templates
    local_by_tie: dict = field(default_factory=dict)  # tie policy -> local templates (max/min)
    params: tuple[str, ...] = ()  # parameter names (only "c" today)
    defaults: dict = field(default_factory=dict)
    code: str = ""  # how it is written as code (default: forward)
    kink: str = ""  # condition on inputs where it is not differentiable
    kink_doc: str = ""
    domain: tuple[float, float] | None = None  # inputs where the gate is smooth, for tests
    category: str = "basic"
    # How the code reader folds literals into this gate: ("+", "either") means "x + 1" and
    # "1 + x" become this gate with c = 1; ("/", "left=1") means "1 / x".
    folds: tuple[str, str] | None = None
    call: str = ""  # function name when written as a call: exp(x)
    nonfinite_doc: str = ""  # why it can give inf or nan, for the warning on its gate

    @property
    def why_nonfinite(self) -> str:
        return self.nonfinite_doc or "the result is too large to represent, or undefined."

    @property
    def is_leaf(self) -> bool:
        return self.arity == 0

    def symbol_for(self, params: dict) -> str:
        if "{c}" not in self.symbol:
            return self.symbol
        c = params.get("c", self.defaults.get("c"))
        text = format_number(c)
        if self.kind == "addc" and c is not None and c < 0:
            return text  # "+-1" reads badly; "-1" is what CS231n draws
        return self.symbol.replace("{c}", text)

    def local_templates(self, tie: str = "both") -> tuple[str, ...]:
        if self.local_by_tie:
            return self.local_by_tie[tie]
        return self.local

    @property
    def code_template(self) -> str:
        return self.code or self.forward


def format_number(x) -> str:
    """A literal as a person writes it: 1 not 1.0, -0.5, 2.5e-08."""
    if x is None:
        return "?"
    x = float(x)
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def _tie(first_ge: str, second_ge: str, first_gt: str, second_gt: str, eq: str) -> dict:
    return {
        "both": (first_ge, second_ge),
        "split": (f"{first_gt} + 0.5 * {eq}", f"{second_gt} + 0.5 * {eq}"),
        "first": (first_ge, second_gt),
    }


_SPECS = [
    # ---- the six of the lecture, first: the interpreter tests kinds in this order ----
    GateSpec(
        "add",
        "add",
        "+",
        2,
        "Adds its inputs.",
        "f = x + y",
        "add distributes: each input gets the upstream gradient unchanged (df/dx = df/dy = 1)",
        forward="{0} + {1}",
        local=("1.0", "1.0"),
        folds=None,
    ),
    GateSpec(
        "mul",
        "multiply",
        "*",
        2,
        "Multiplies its inputs.",
        "f = x * y",
        "mul swaps: each input's gradient is the other input's value (df/dx = y, df/dy = x)",
        forward="{0} * {1}",
        local=("{1}", "{0}"),
    ),
    GateSpec(
        "max",
        "max",
        "max",
        2,
        "The larger of its inputs.",
        "f = max(x, y)",
        "max routes: the larger input gets the whole gradient, the other gets 0 "
        "(df/dx = 1(x >= y))",
        forward="max({0}, {1})",
        fast="{0} if {0} >= {1} else {1}",
        local_by_tie=_tie(
            "({0} >= {1})", "({1} >= {0})", "({0} > {1})", "({1} > {0})", "({0} == {1})"
        ),
        kink="{0} == {1}",
        kink_doc="a tie: the inputs are equal, so max has no derivative "
        "here; the circuit's tie policy decides where the gradient goes",
        call="max",
    ),
    GateSpec(
        "exp",
        "exp",
        "exp",
        1,
        "e to the power of its input.",
        "f = e^x",
        "df/dx = e^x: the gradient is the gate's own output",
        forward="exp({0})",
        local=("{out}",),
        call="exp",
        category="function",
        nonfinite_doc="e to this power is too large to represent.",
    ),
    GateSpec(
        "recip",
        "reciprocal",
        "1/x",
        1,
        "One over its input.",
        "f = 1/x",
        "df/dx = -1/x^2",
        forward="1.0 / {0}",
        local=("-{out} * {out}",),
        code="1.0 / {0}",
        folds=("/", "left=1"),
        category="function",
        nonfinite_doc="1/0 is infinite.",
    ),
    GateSpec(
        "sigmoid",
        "sigmoid",
        "\u03c3",
        1,
        "The logistic sigmoid 1/(1+e^-x).",
        "f = \u03c3(x) = 1/(1 + e^-x)",
        "d\u03c3/dx = (1 - \u03c3(x)) \u03c3(x)",
        forward="sigmoid({0})",
        fast="1.0 / (1.0 + exp(-{0})) if {0} >= 0.0 else exp({0}) / (1.0 + exp({0}))",
        local=("{out} * (1.0 - {out})",),
        call="sigmoid",
        category="function",
    ),
    # ---- the rest ----
    GateSpec(
        "sub",
        "subtract",
        "\u2212",
        2,
        "Subtracts its second input from its first.",
        "f = x - y",
        "df/dx = 1, df/dy = -1",
        forward="{0} - {1}",
        local=("1.0", "-1.0"),
    ),
    GateSpec(
        "neg",
        "negate",
        "\u2212x",
        1,
        "Flips the sign of its input.",
        "f = -x",
        "df/dx = -1",
        forward="-{0}",
        local=("-1.0",),
        code="neg({0})",
        call="neg",
    ),
    GateSpec(
        "div",
        "divide",
        "/",
        2,
        "Divides its first input by its second.",
        "f = x / y",
        "df/dx = 1/y, df/dy = -x/y^2",
        forward="{0} / {1}",
        local=("1.0 / {1}", "-{out} / {1}"),
        nonfinite_doc="dividing by 0 gives an infinite or undefined value.",
    ),
    GateSpec(
        "pow",
        "power",
        "**{c}",
        1,
        "Raises its input to a constant power.",
        "f = x^c",
        "df/dx = c x^(c-1)",
        forward="pow({0}, {c})",
        local=("{c} * pow({0}, {c} - 1.0)",),
        params=("c",),
        defaults={"c": 2.0},
        code="{0}**{c}",
        folds=("**", "right"),
        category="constant",
        nonfinite_doc="this power is too large, or not a real number.",
    ),
    GateSpec(
        "addc",
        "add constant",
        "+{c}",
        1,
        "Adds a built-in constant.",
        "f = x + c",
        "df/dx = 1",
        forward="{0} + {c}",
        local=("1.0",),
        params=("c",),
        defaults={"c": 1.0},
        folds=("+", "either"),
        category="constant",
    ),
    GateSpec(
        "mulc",
        "multiply by constant",
        "*{c}",
        1,
        "Multiplies by a built-in constant.",
        "f = c x",
        "df/dx = c",
        forward="{0} * {c}",
        local=("{c}",),
        params=("c",),
        defaults={"c": -1.0},
        folds=("*", "either"),
        category="constant",
    ),
    GateSpec(
        "tanh",
        "tanh",
        "tanh",
        1,
        "The hyperbolic tangent.",
        "f = tanh(x)",
        "df/dx = 1 - tanh(x)^2",
        forward="tanh({0})",
        local=("1.0 - {out} * {out}",),
        call="tanh",
        category="function",
    ),
    GateSpec(
        "relu",
        "ReLU",
        "relu",
        1,
        "Passes positive inputs, zeroes negative ones.",
        "f = max(0, x)",
        "df/dx = 1 if x > 0 else 0 (0 at x = 0)",
        forward="relu({0})",
        fast="{0} if {0} > 0.0 else 0.0",
        local=("({0} > 0.0)",),
        kink="{0} == 0.0",
        kink_doc="x = 0: relu has a corner here; its gradient is taken as 0",
        call="relu",
        category="function",
    ),
    GateSpec(
        "log",
        "log",
        "log",
        1,
        "The natural logarithm.",
        "f = ln x",
        "df/dx = 1/x",
        forward="log({0})",
        local=("1.0 / {0}",),
        domain=(1e-3, 1e3),
        call="log",
        category="function",
        nonfinite_doc="log is only defined for positive numbers (log 0 = -inf).",
    ),
    GateSpec(
        "min",
        "min",
        "min",
        2,
        "The smaller of its inputs.",
        "f = min(x, y)",
        "min routes: the smaller input gets the whole gradient (df/dx = 1(x <= y))",
        forward="min({0}, {1})",
        fast="{0} if {0} <= {1} else {1}",
        local_by_tie=_tie(
            "({0} <= {1})", "({1} <= {0})", "({0} < {1})", "({1} < {0})", "({0} == {1})"
        ),
        kink="{0} == {1}",
        kink_doc="a tie: the inputs are equal, so min has no derivative "
        "here; the circuit's tie policy decides where the gradient goes",
        call="min",
    ),
    GateSpec(
        "abs",
        "absolute value",
        "|x|",
        1,
        "The magnitude of its input.",
        "f = |x|",
        "df/dx = sign(x) (0 at x = 0)",
        forward="abs({0})",
        local=("sign({0})",),
        kink="{0} == 0.0",
        kink_doc="x = 0: |x| has a corner here; its gradient is taken as 0",
        call="abs",
        category="function",
    ),
    GateSpec(
        "sin",
        "sine",
        "sin",
        1,
        "The sine of its input.",
        "f = sin x",
        "df/dx = cos x",
        forward="sin({0})",
        local=("cos({0})",),
        call="sin",
        category="function",
    ),
    GateSpec(
        "cos",
        "cosine",
        "cos",
        1,
        "The cosine of its input.",
        "f = cos x",
        "df/dx = -sin x",
        forward="cos({0})",
        local=("-sin({0})",),
        call="cos",
        category="function",
    ),
    # ---- leaves ----
    GateSpec("input", "input", "", 0, "A named input: a value the learner sets.", category="leaf"),
    GateSpec("const", "constant", "", 0, "A fixed number.", category="leaf"),
]

GATES: MappingProxyType = MappingProxyType({s.kind: s for s in _SPECS})
"""kind -> GateSpec, in palette order."""

OPS = tuple(s.kind for s in _SPECS if not s.is_leaf)
LEAVES = ("input", "const")
CALLS = MappingProxyType({s.call: s.kind for s in _SPECS if s.call})


def spec(kind: str) -> GateSpec:
    try:
        return GATES[kind]
    except KeyError:
        raise KeyError(f"unknown gate kind {kind!r}") from None
