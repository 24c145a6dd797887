"""Reading one expression of code into gates, as the gate registry says.

Literals fold into the CS231n constant gates (``x + 1`` is ``+1``, ``-x`` is ``*-1``, ``1 / x``
is ``1/x``, ``x ** 2`` is ``**2``); functions are called by the registry's names, with or
without ``math.``, ``np.`` or ``numpy.``; micrograd's methods (``a.relu()``, ``(a + b).tanh()``)
are the same gates; ``Value(2.0)`` inside an expression is the number 2. The statements around
the expressions (names, inputs, the output) are :mod:`.parse`'s.
"""

from __future__ import annotations

import ast
import math
from abc import ABC, abstractmethod
from dataclasses import dataclass

from .circuit import Circuit
from .codewords import OP_NAMES, call_name, describe, unary_name
from .errors import CodeError
from .gates import CALL_ALIASES, CALLS, FOLDS, GATES, OPERATORS

MAX_GATES = 500_000
MODULES = ("math", "np", "numpy")
VALUE = "Value"  # micrograd's leaf: Value(2.0) is the number 2.0
_SUPPORTED = " ".join(op for op in OP_NAMES.values() if op in OPERATORS or op in FOLDS)
_METHODS = sorted(
    name for name, kind in {**CALLS, **CALL_ALIASES}.items() if GATES[kind].arity == 1
)


@dataclass(frozen=True)
class Const:
    value: float


Ref = str | Const  # what an expression reads as: a gate's id, or a literal not yet in a gate


def error(node: ast.AST, message: str) -> CodeError:
    """A refusal at ``node``: its line and 1-based column."""
    line = getattr(node, "lineno", None)
    column = getattr(node, "col_offset", None)
    return CodeError(message, line, None if column is None else column + 1)


def number(node: ast.Constant) -> float:
    """The literal's value, refused unless it is a finite real number."""
    v = node.value
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise error(node, f"{describe(node)} is not a number")
    try:
        x = float(v)
    except OverflowError:
        x = math.inf
    if not math.isfinite(x):
        raise error(node, "this number is too large")
    return x


def is_method(f: ast.expr) -> bool:
    """Whether a call's function is a method of a value (``a.relu``), not a module's function
    (``math.exp``)."""
    return isinstance(f, ast.Attribute) and not (
        isinstance(f.value, ast.Name) and f.value.id in MODULES
    )


class ExpressionReader(ABC):
    circuit: Circuit

    @abstractmethod
    def read_name(self, name: str, node: ast.AST) -> str:
        """The gate a name read in an expression means (an input, if it is new)."""

    @abstractmethod
    def new_id(self) -> str:
        """An id for a new gate that no name in the code is."""

    def expr(self, root: ast.expr) -> Ref:
        """Post-order walk with an explicit stack, so long sums never hit Python's recursion
        limit."""
        results: dict[int, Ref] = {}
        stack: list[tuple[ast.expr, bool]] = [(root, False)]
        while stack:
            node, done = stack.pop()
            kids = self.children(node)
            if not done:
                stack.append((node, True))
                stack.extend((k, False) for k in reversed(kids))
                continue
            results[id(node)] = self.build(node, [results.pop(id(k)) for k in kids])
        return results[id(root)]

    def children(self, node: ast.expr) -> list[ast.expr]:
        if isinstance(node, ast.BinOp):
            return [node.left, node.right]
        if isinstance(node, ast.UnaryOp):
            return [node.operand]
        if isinstance(node, ast.Call):
            self.call_kind(node)  # refuse unknown functions before reading their arguments
            receiver = [node.func.value] if isinstance(node.func, ast.Attribute) else []
            return receiver + list(node.args) if is_method(node.func) else list(node.args)
        return []

    def build(self, node: ast.expr, args: list[Ref]) -> Ref:
        if isinstance(node, ast.Constant):
            return Const(number(node))
        if isinstance(node, ast.Name):
            return self.read_name(node.id, node)
        if isinstance(node, ast.Subscript):
            return self.read_subscript(node)
        if isinstance(node, ast.Attribute):
            return self.read_attribute(node)
        if isinstance(node, ast.UnaryOp):
            (x,) = args
            if isinstance(node.op, ast.UAdd):
                return x
            if isinstance(node.op, ast.USub):
                return self.negate(node, x)
            raise error(node, f"the operator {unary_name(node.op)!r} is not supported")
        if isinstance(node, ast.BinOp):
            return self.binop(node, *args)
        if isinstance(node, ast.Call):
            return self.call(node, args)
        raise error(node, f"{describe(node)} is not supported in a circuit")

    def read_subscript(self, node: ast.Subscript) -> str:
        base, index = node.value, node.slice
        if (
            not isinstance(base, ast.Name)
            or not isinstance(index, ast.Constant)
            or isinstance(index.value, bool)
            or not isinstance(index.value, int)
            or index.value < 0
            or index.value > 1_000_000
        ):
            raise error(
                node,
                "only an input name with a whole-number index, such as w[0], can be subscripted",
            )
        return self.read_name(f"{base.id}[{index.value}]", node)

    def read_attribute(self, node: ast.Attribute) -> Const:
        if (
            isinstance(node.value, ast.Name)
            and node.value.id in MODULES
            and node.attr in ("pi", "e")
        ):
            return Const(getattr(math, node.attr))
        raise error(
            node,
            f"{describe(node)} is not supported (only math.pi and math.e, "
            "and calls such as math.exp(x))",
        )

    def binop(self, node: ast.BinOp, a: Ref, b: Ref) -> Ref:
        """``a op b`` as the registry says: two literals are one literal; a literal a gate's
        fold takes goes into that gate (``x + 1`` is ``+1``); else the operator's own gate."""
        sym = OP_NAMES.get(type(node.op), "?")
        if isinstance(a, Const) and isinstance(b, Const):
            return self.fold(node, sym, a.value, b.value)
        folds = FOLDS.get(sym, ())
        for kind, f in folds:
            if isinstance(a, Const) and f.takes(a.value, on_left=True):
                return self.gate(kind, node, [b], c=f.constant(a.value))
            if isinstance(b, Const) and f.takes(b.value, on_left=False):
                return self.gate(kind, node, [a], c=f.constant(b.value))
        if sym in OPERATORS:
            return self.gate(OPERATORS[sym], node, [a, b])
        advice = next((f.advice for _, f in folds if f.advice), "")
        raise error(node, advice or f"the operator {sym!r} is not supported (use {_SUPPORTED})")

    def negate(self, node: ast.UnaryOp, x: Ref) -> Ref:
        """``-x``: a literal's negative, or the gate the registry folds ``-x`` into (``*-1``)."""
        if isinstance(x, Const):
            return Const(-x.value)
        for kind, f in FOLDS.get("-", ()):
            if f.side == "unary":
                return self.gate(kind, node, [x], c=f.factor)
        raise error(node, "the operator '-' on a value is not supported")

    def fold(self, node: ast.AST, sym: str, a: float, b: float) -> Const:
        try:
            if sym == "+":
                x = a + b
            elif sym == "-":
                x = a - b
            elif sym == "*":
                x = a * b
            elif sym == "/":
                x = a / b
            elif sym == "**":
                x = math.pow(a, b)
            else:
                raise error(node, f"the operator {sym!r} is not supported (use + - * / **)")
        except ZeroDivisionError:
            raise error(node, "this divides a number by zero") from None
        except (OverflowError, ValueError):
            raise error(node, "this number is too large, or not a real number") from None
        if not math.isfinite(x):
            raise error(node, "this number is too large")
        return Const(x)

    def call_kind(self, node: ast.Call) -> str:
        """The kind of gate a call makes (``VALUE`` for micrograd's ``Value(...)``)."""
        f = node.func
        if isinstance(f, ast.Name) and f.id == VALUE:
            if len(node.args) != 1 or any(k.arg != "label" for k in node.keywords):
                raise error(node, "Value() takes one number, as in Value(2.0)")
            return VALUE
        if is_method(f):
            return self.method_kind(node)
        if isinstance(f, ast.Name):
            name = f.id
        elif isinstance(f, ast.Attribute):
            name = f.attr
        else:
            raise error(node, f"calling {describe(f)} is not supported")
        kind = CALL_ALIASES.get(name) or CALLS.get(name)
        if kind is None:
            known = ", ".join(sorted(CALLS))
            raise error(node, f"the function {name!r} is not known (known: {known})")
        if node.keywords:
            raise error(node.keywords[0], f"{name}() takes no keyword arguments")
        return kind

    def method_kind(self, node: ast.Call) -> str:
        """``v.relu()``: a one-input gate called as a method of the value, micrograd's way."""
        f = node.func
        assert isinstance(f, ast.Attribute)
        kind = CALL_ALIASES.get(f.attr) or CALLS.get(f.attr)
        if kind is None or GATES[kind].arity != 1:
            known = ", ".join(f".{m}()" for m in _METHODS)
            raise error(node, f"calling {describe(f)} is not supported (known methods: {known})")
        if node.args or node.keywords:
            raise error(node, f".{f.attr}() takes no arguments")
        return kind

    def call(self, node: ast.Call, args: list[Ref]) -> Ref:
        kind = self.call_kind(node)
        name = call_name(node)
        if kind == VALUE:
            return args[0]
        arity = GATES[kind].arity
        if kind == "pow":
            if len(args) != 2 or not isinstance(args[1], Const):
                raise error(node, "pow(x, c) takes a value and a constant exponent")
            if isinstance(args[0], Const):
                return self.fold(node, "**", args[0].value, args[1].value)
            return self.gate("pow", node, [args[0]], c=args[1].value)
        if arity == 2:
            if len(args) < 2:
                raise error(node, f"{name}() needs at least two values")
            acc = args[0]
            for x in args[1:]:
                acc = self.gate(kind, node, [acc, x])
            return acc
        if len(args) != 1:
            raise error(node, f"{name}() takes exactly one value, not {len(args)}")
        return self.gate(kind, node, args)

    def gate(self, kind: str, node: ast.AST, args: list[Ref], c: float | None = None) -> Ref:
        literals = [a.value for a in args if isinstance(a, Const)]
        if len(literals) == len(args) and not GATES[kind].params:
            import numpy as np

            from .interp import GATE_FNS  # fold a function of literals: exp(0) is 1

            with np.errstate(all="ignore"):
                xs = [*literals, None]
                x = float(GATE_FNS[kind].forward(xs[0], xs[1], c))
            if not math.isfinite(x):
                raise error(node, "this gives an infinite or undefined number")
            return Const(x)
        circuit = self.circuit
        self.check_room(node)
        g = circuit.add_gate(kind, id=self.new_id(), params={"c": c} if c is not None else None)
        for port, a in enumerate(args):
            src = self.const(a.value) if isinstance(a, Const) else a
            circuit.connect(src, g.id, port)
        return g.id

    def check_room(self, node: ast.AST) -> None:
        """Refuse a gate more than MAX_GATES (a list of a million literals, say)."""
        if len(self.circuit) >= MAX_GATES:
            raise error(node, f"the circuit would have more than {MAX_GATES:,} gates")

    def const(self, value: float, label: str = "") -> str:
        """A new constant gate."""
        return self.circuit.add_gate("const", id=self.new_id(), label=label, value=value).id
