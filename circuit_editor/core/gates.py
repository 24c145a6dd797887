"""The gate registry: every kind of gate, defined once.

Each entry states its forward value and its local gradients side by side, as expression
templates over its inputs ``{0}``, ``{1}``, its output ``{out}`` and its parameter ``{c}``,
and how code writes it (operator, call names, literal folds) and how a learner reads it. The
engine's interpreter, the trace, the explanations, code export, the code reader and the palette
all read these entries, so adding a gate is adding one entry here. The tie policies of max and
min are named and described here too.

Templates are trusted text written in this file; user text never reaches them. The names a
template may call (``exp``, ``sigmoid``, ``max``, ...) are bound by :mod:`.numerics` once for
plain floats and once for numpy arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, SupportsFloat

from .errors import UnknownKindError
from .numbers import literal

TIE_POLICIES: Mapping[str, str] = MappingProxyType(
    {
        "both": "Each tied input gets the whole gradient, as the worksheet's 1(x >= y).",
        "split": "Tied inputs share the gradient: half each.",
        "first": "The first input gets the whole gradient, the second none.",
    }
)
"""The tie policies for max/min, by name, each with what it does (the circuit panel shows it)."""
TIES = tuple(TIE_POLICIES)


@dataclass(frozen=True)
class Fold:
    """A way code writes a gate with a literal, which the code reader folds into that gate:
    ``x + 1`` is ``+1``, ``x - 2`` is ``+-2``, ``-x`` is ``*-1``, ``1 / x`` is ``1/x``."""

    op: str  # the operator as code writes it: "+", "-", "*", "/", "**"
    side: Literal["left", "right", "either", "unary"] = "either"  # where the literal stands
    factor: float = 1.0  # the gate's c is factor * the literal; for a unary fold, c is factor
    only: float | None = None  # only this literal folds, and the gate takes no c (1 / x)
    advice: str = ""  # what the reader says when op has no literal to fold and no gate of its own

    def constant(self, value: float) -> float | None:
        """The gate's c for a literal ``value`` this fold takes, or None if it takes no c."""
        return None if self.only is not None else self.factor * value

    def takes(self, value: float, on_left: bool) -> bool:
        """Whether a binary ``op`` with this literal on this side folds into the gate."""
        side = "left" if on_left else "right"
        return self.side in (side, "either") and self.only in (None, value)


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
    # tie policy -> local templates (max/min)
    local_by_tie: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    params: tuple[str, ...] = ()  # parameter names (only "c" today)
    defaults: Mapping[str, float] = field(default_factory=dict)
    code: str = ""  # how it is written as code (default: forward)
    kink: str = ""  # condition on inputs where it is not differentiable
    kink_doc: str = ""
    domain: tuple[float, float] | None = None  # inputs where the gate is smooth, for tests
    category: str = "basic"
    operator: str = ""  # the binary operator code writes it with: "+" for x + y
    folds: tuple[Fold, ...] = ()  # how the code reader folds literals into this gate
    call: str = ""  # function name when written as a call: exp(x)
    call_aliases: tuple[str, ...] = ()  # other names code calls it by: np.maximum(x, y)
    nonfinite_doc: str = ""  # why it can give inf or nan, for the warning on its gate
    pattern_doc: str = ""  # how it passes the gradient back, in the lecture's words

    @property
    def why_nonfinite(self) -> str:
        return self.nonfinite_doc or "the result is too large to represent, or undefined."

    @property
    def pattern(self) -> str:
        """The sentence that ends the explanation of its backward step."""
        return self.pattern_doc or f"{self.name}: {self.local_doc}."

    @property
    def is_leaf(self) -> bool:
        return self.arity == 0

    def symbol_for(self, params: Mapping[str, float]) -> str:
        if "{c}" not in self.symbol:
            return self.symbol
        c = params.get("c", self.defaults.get("c"))
        text = literal(c)
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


def fill(
    template: str,
    args: Sequence[str],
    out: str,
    c: SupportsFloat | None,
    number: Callable[[SupportsFloat | None], str] = literal,
) -> str:
    """A template written out with its inputs' names, its output's name and its constant, the
    constant in the ``number`` format (see :mod:`.numbers`); ``x + -1`` reads ``x - 1``. A
    template that chooses by its constant, ``A if {c} else B``, is written as the one it
    chooses."""
    if c is not None and _CHOICE in template:
        when, otherwise = template.split(_CHOICE)
        template = when if float(c) else otherwise
    text = template.format(*args, out=out, c=number(c) if c is not None else "")
    return text.replace("+ -", "- ")


_CHOICE = " if {c} else "


def _tie(
    first_ge: str, second_ge: str, first_gt: str, second_gt: str, eq: str
) -> dict[str, tuple[str, ...]]:
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
        operator="+",
        pattern_doc="An add gate distributes: each input gets the upstream gradient unchanged.",
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
        operator="*",
        pattern_doc="A multiply gate swaps: each input's gradient is the upstream gradient times "
        "the other input's value.",
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
        call_aliases=("maximum",),
        pattern_doc="A max gate routes: the larger input gets the whole upstream gradient, the "
        "other gets none.",
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
        pattern_doc="exp's local gradient is its own output.",
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
        folds=(Fold("/", "left", only=1.0),),
        category="function",
        nonfinite_doc="1/0 is infinite.",
        pattern_doc="1/x's local gradient is -1/x\u00b2 = -(output)\u00b2.",
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
        pattern_doc="The sigmoid's local gradient is (1 - \u03c3)\u03c3, read off its output.",
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
        operator="-",
        pattern_doc="A subtract gate passes the upstream gradient to its first input and its "
        "negative to the second.",
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
        operator="/",
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
        local=("{c} * pow({0}, {c} - 1.0) if {c} else 0.0",),  # x**0 is 1: its gradient 0
        params=("c",),
        defaults={"c": 2.0},
        code="{0}**{c}",
        folds=(
            Fold(
                "**",
                "right",
                advice="only a constant exponent is supported, as in x ** 2; for "
                "other powers use exp and log",
            ),
        ),
        call_aliases=("pow", "power"),  # Python's pow(x, 3), numpy's np.power(x, 3)
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
        folds=(Fold("+", "either"), Fold("-", "right", factor=-1.0)),
        category="constant",
        pattern_doc="Adding a constant passes the gradient through unchanged.",
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
        folds=(Fold("*", "either"), Fold("-", "unary", factor=-1.0)),
        category="constant",
        pattern_doc="Multiplying by a constant scales the gradient by that constant.",
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
        pattern_doc="ReLU passes the gradient where its input is positive and blocks it elsewhere.",
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
        call_aliases=("minimum",),
        pattern_doc="A min gate routes: the smaller input gets the whole upstream gradient, the "
        "other gets none.",
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
        call_aliases=("fabs", "absolute"),  # math.fabs(x), np.absolute(x)
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

GATES: Mapping[str, GateSpec] = MappingProxyType({s.kind: s for s in _SPECS})
"""kind -> GateSpec, in palette order."""

OPS = tuple(s.kind for s in _SPECS if not s.is_leaf)
LEAVES = ("input", "const")
CALLS: Mapping[str, str] = MappingProxyType({s.call: s.kind for s in _SPECS if s.call})
"""function name -> kind: the names code calls gates by, and exported code defines or imports."""
CALL_ALIASES: Mapping[str, str] = MappingProxyType(
    {alias: s.kind for s in _SPECS for alias in s.call_aliases}
)
"""other function names the code reader knows (numpy's maximum, Python's pow) -> kind."""
OPERATORS: Mapping[str, str] = MappingProxyType({s.operator: s.kind for s in _SPECS if s.operator})
"""binary operator -> the kind that computes it: "+" -> add."""
FOLDS: Mapping[str, tuple[tuple[str, Fold], ...]] = MappingProxyType(
    {
        op: tuple((s.kind, f) for s in _SPECS for f in s.folds if f.op == op)
        for op in dict.fromkeys(f.op for s in _SPECS for f in s.folds)
    }
)
"""operator -> the (kind, fold) pairs that fold a literal written with it, in registry order."""


def spec(kind: str) -> GateSpec:
    try:
        return GATES[kind]
    except KeyError:
        raise UnknownKindError(f"unknown gate kind {kind!r}") from None
