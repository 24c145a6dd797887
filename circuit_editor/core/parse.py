"""Reading straight-line code (the worksheet's forward passes) into a circuit.

The code is parsed with :mod:`ast` and never executed. A name read before it is assigned is an
input (``w[0]`` included); assignments label the gate they create; the last assignment is the
output. Literals fold into the CS231n constant gates as the registry says (``x + 1`` is ``+1``,
``-x`` is ``*-1``, ``1 / x`` is ``1/x``, ``x ** 2`` is ``**2``). Anything outside the subset is a
:class:`CodeError` naming line, column and construct.
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass, field

from .circuit import Circuit
from .codesize import TOO_LONG, check_length, check_nesting, check_operations
from .errors import CodeError
from .gates import CALL_ALIASES, CALLS, FOLDS, GATES, OPERATORS
from .layout import layout
from .names import free_name

MAX_GATES = 500_000
DEFAULT_INPUT = 1.0
MODULES = ("math", "np", "numpy")
KNOWN_DEFS = frozenset(CALLS) | {"sign"}  # helpers exported code defines for plain Python
STOP_RE = re.compile(r"^\s*#+\s*(backward|backprop)", re.IGNORECASE)

_OP_NAMES = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.BitXor: "^",
}


@dataclass
class CodeImport:
    circuit: Circuit
    notes: list[str] = field(default_factory=list)  # what the reader left out, and why


@dataclass(frozen=True)
class _Const:
    value: float


_Ref = str | _Const  # what an expression reads as: a gate's id, or a literal not yet in a gate
_SUPPORTED = " ".join(op for op in _OP_NAMES.values() if op in OPERATORS or op in FOLDS)


def read_code(text: str, *, title: str = "") -> CodeImport:
    """Read ``text`` into a laid-out circuit, with notes on anything left out."""
    if not isinstance(text, str):
        raise CodeError("the code must be text")
    check_length(text)
    notes = []
    lines = text.splitlines()
    for n, line in enumerate(lines, 1):
        if STOP_RE.match(line):
            notes.append(
                f"Read the forward pass only: from line {n} ({line.strip()}) on, the "
                "backward pass was left out. The app works out every gradient itself."
            )
            text = "\n".join(lines[: n - 1])
            break
    check_nesting(text)
    check_operations(text)
    try:
        tree = ast.parse(text, mode="exec")
    except SyntaxError as e:
        raise CodeError(_syntax_message(e), e.lineno, e.offset) from None
    except (MemoryError, RecursionError, ValueError):  # a guard: the checks above come first
        raise CodeError(TOO_LONG) from None
    reader = _Reader(Circuit(title=title))
    reader.program(tree)
    layout(reader.circuit)
    return CodeImport(reader.circuit, notes + reader.notes)


def from_code(text: str, *, title: str = "") -> Circuit:
    """The circuit that ``text`` computes (see :func:`read_code`)."""
    return read_code(text, title=title).circuit


def _syntax_message(e: SyntaxError) -> str:
    msg = e.msg or "invalid syntax"
    if "digits" in msg:
        return "a number with that many digits is too large"
    return f"this is not valid code ({msg})"


class _Reader:
    def __init__(self, circuit: Circuit):
        self.circuit = circuit
        self.bound: dict[str, str] = {}  # variable -> gate id
        self.inputs: dict[str, str] = {}  # input name -> gate id
        self.named: set[str] = set()  # gate ids that carry a name already
        self.notes: list[str] = []
        self.last: _Ref | None = None

    # ------------------------------------------------------------ statements
    def program(self, tree: ast.Module) -> None:
        body = tree.body
        if not body:
            raise CodeError(
                "there is no code to read: write an expression such as (x + y) * z "
                "or a few assignments such as g = x + y"
            )
        for i, stmt in enumerate(body):
            self.statement(stmt, last=(i == len(body) - 1))
        out = self.last
        if isinstance(out, _Const):
            raise CodeError(
                "the result is a plain number: there is nothing to differentiate", body[-1].lineno
            )
        self.circuit.settings.output = out

    def statement(self, stmt: ast.stmt, last: bool) -> None:
        if isinstance(stmt, ast.Assign):
            if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
                raise self.error(
                    stmt.targets[0] if len(stmt.targets) == 1 else stmt,
                    "assign to one plain name at a time, as in g = x + y",
                )
            self.bind(stmt.targets[0].id, self.expr(stmt.value), stmt)
        elif isinstance(stmt, ast.AugAssign):
            if not isinstance(stmt.target, ast.Name):
                raise self.error(stmt.target, "assign to one plain name at a time, as in c += x")
            value = ast.BinOp(ast.Name(stmt.target.id, ast.Load()), stmt.op, stmt.value)
            ast.copy_location(value, stmt)
            ast.copy_location(value.left, stmt.target)
            self.bind(stmt.target.id, self.expr(value), stmt)
        elif isinstance(stmt, ast.Expr) and last:
            self.last = self.expr(stmt.value)
        elif isinstance(stmt, ast.Expr):
            raise self.error(
                stmt,
                "this line computes a value but does not name it; write "
                "name = ... (only the last line may be a bare expression)",
            )
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            mods = (
                [a.name for a in stmt.names]
                if isinstance(stmt, ast.Import)
                else [stmt.module or ""]
            )
            bad = [m for m in mods if m not in ("math", "numpy")]
            if bad:
                raise self.error(
                    stmt,
                    f"importing {bad[0]!r} is not supported (math and numpy "
                    "functions can be used without importing)",
                )
        elif isinstance(stmt, ast.Pass):
            pass
        elif isinstance(stmt, ast.FunctionDef) and stmt.name in KNOWN_DEFS:
            self.notes.append(
                f"Line {stmt.lineno}: skipped the definition of {stmt.name}(); "
                f"the app's own {stmt.name} is used."
            )
        else:
            raise self.error(
                stmt, f"{_describe(stmt)} is not supported: only assignments of arithmetic are read"
            )

    def bind(self, name: str, ref: _Ref, stmt: ast.stmt) -> None:
        """``name = ref``: a gate this line made takes the name as its label; a name that only
        refers to an existing value (``f = g``, ``f = x``) makes no new gate."""
        label = free_name(self.circuit, name)  # a name bound again: its new gate is x_2
        if isinstance(ref, _Const):
            ref = self.circuit.add_gate("const", label=label, value=ref.value).id
        elif ref not in self.named and self.circuit.gate(ref).kind != "input":
            self.circuit.set_label(ref, label)
        self.named.add(ref)
        self.bound[name] = ref
        self.last = ref

    # ------------------------------------------------------------ expressions
    def expr(self, root: ast.expr) -> _Ref:
        """Post-order walk with an explicit stack, so long sums never hit Python's recursion
        limit."""
        results: dict[int, _Ref] = {}
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
            return list(node.args)
        return []

    def build(self, node: ast.expr, args: list[_Ref]) -> _Ref:
        if isinstance(node, ast.Constant):
            return self.literal(node)
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
            raise self.error(node, f"the operator {_unary_name(node.op)!r} is not supported")
        if isinstance(node, ast.BinOp):
            return self.binop(node, *args)
        if isinstance(node, ast.Call):
            return self.call(node, args)
        raise self.error(node, f"{_describe(node)} is not supported in a circuit")

    def literal(self, node: ast.Constant) -> _Const:
        v = node.value
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise self.error(node, f"{_describe(node)} is not a number")
        try:
            x = float(v)
        except OverflowError:
            x = math.inf
        if not math.isfinite(x):
            raise self.error(node, "this number is too large")
        return _Const(x)

    def read_name(self, name: str, node: ast.AST) -> str:
        if name in self.bound:
            return self.bound[name]
        if name in MODULES:
            raise self.error(
                node, f"{name!r} can only be used to call a function, as in {name}.exp(x)"
            )
        if name in CALLS:
            raise self.error(node, f"{name!r} is a function: call it, as in {name}(x)")
        return self.input(name)

    def input(self, name: str) -> str:
        if name not in self.inputs:
            self.inputs[name] = self.circuit.add_gate("input", label=name, value=DEFAULT_INPUT).id
        return self.inputs[name]

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
            raise self.error(
                node,
                "only an input name with a whole-number index, such as w[0], can be subscripted",
            )
        if base.id in self.bound:
            raise self.error(node, f"{base.id!r} is a value computed above, not a list of inputs")
        return self.read_name(f"{base.id}[{index.value}]", node)

    def read_attribute(self, node: ast.Attribute) -> _Const:
        if (
            isinstance(node.value, ast.Name)
            and node.value.id in MODULES
            and node.attr in ("pi", "e")
        ):
            return _Const(getattr(math, node.attr))
        raise self.error(
            node,
            f"{_describe(node)} is not supported (only math.pi and math.e, "
            "and calls such as math.exp(x))",
        )

    def binop(self, node: ast.BinOp, a: _Ref, b: _Ref) -> _Ref:
        """``a op b`` as the registry says: two literals are one literal; a literal a gate's
        fold takes goes into that gate (``x + 1`` is ``+1``); else the operator's own gate."""
        sym = _OP_NAMES.get(type(node.op), "?")
        if isinstance(a, _Const) and isinstance(b, _Const):
            return self.fold(node, sym, a.value, b.value)
        folds = FOLDS.get(sym, ())
        for kind, f in folds:
            if isinstance(a, _Const) and f.takes(a.value, on_left=True):
                return self.gate(kind, node, [b], c=f.constant(a.value))
            if isinstance(b, _Const) and f.takes(b.value, on_left=False):
                return self.gate(kind, node, [a], c=f.constant(b.value))
        if sym in OPERATORS:
            return self.gate(OPERATORS[sym], node, [a, b])
        advice = next((f.advice for _, f in folds if f.advice), "")
        raise self.error(
            node, advice or f"the operator {sym!r} is not supported (use {_SUPPORTED})"
        )

    def negate(self, node: ast.UnaryOp, x: _Ref) -> _Ref:
        """``-x``: a literal's negative, or the gate the registry folds ``-x`` into (``*-1``)."""
        if isinstance(x, _Const):
            return _Const(-x.value)
        for kind, f in FOLDS.get("-", ()):
            if f.side == "unary":
                return self.gate(kind, node, [x], c=f.factor)
        raise self.error(node, "the operator '-' on a value is not supported")

    def fold(self, node: ast.AST, sym: str, a: float, b: float) -> _Const:
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
                raise self.error(node, f"the operator {sym!r} is not supported (use + - * / **)")
        except ZeroDivisionError:
            raise self.error(node, "this divides a number by zero") from None
        except (OverflowError, ValueError):
            raise self.error(node, "this number is too large, or not a real number") from None
        if not math.isfinite(x):
            raise self.error(node, "this number is too large")
        return _Const(x)

    def call_kind(self, node: ast.Call) -> str:
        f = node.func
        if isinstance(f, ast.Name):
            name = f.id
        elif (
            isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in MODULES
        ):
            name = f.attr
        else:
            raise self.error(node, f"calling {_describe(f)} is not supported")
        if name in CALL_ALIASES:
            return CALL_ALIASES[name]
        if name not in CALLS:
            known = ", ".join(sorted(CALLS))
            raise self.error(node, f"the function {name!r} is not known (known: {known})")
        if node.keywords:
            raise self.error(node.keywords[0], f"{name}() takes no keyword arguments")
        return CALLS[name]

    def call(self, node: ast.Call, args: list[_Ref]) -> _Ref:
        kind = self.call_kind(node)
        name = _call_name(node)
        arity = GATES[kind].arity
        if kind == "pow":
            if len(args) != 2 or not isinstance(args[1], _Const):
                raise self.error(node, "pow(x, c) takes a value and a constant exponent")
            if isinstance(args[0], _Const):
                return self.fold(node, "**", args[0].value, args[1].value)
            return self.gate("pow", node, [args[0]], c=args[1].value)
        if arity == 2:
            if len(args) < 2:
                raise self.error(node, f"{name}() needs at least two values")
            acc = args[0]
            for x in args[1:]:
                acc = self.gate(kind, node, [acc, x])
            return acc
        if len(args) != 1:
            raise self.error(node, f"{name}() takes exactly one value, not {len(args)}")
        return self.gate(kind, node, args)

    def gate(self, kind: str, node: ast.AST, args: list[_Ref], c: float | None = None) -> _Ref:
        literals = [a.value for a in args if isinstance(a, _Const)]
        if len(literals) == len(args) and not GATES[kind].params:
            import numpy as np

            from .interp import GATE_FNS  # fold a function of literals: exp(0) is 1

            with np.errstate(all="ignore"):
                xs = [*literals, None]
                x = float(GATE_FNS[kind].forward(xs[0], xs[1], c))
            if not math.isfinite(x):
                raise self.error(node, "this gives an infinite or undefined number")
            return _Const(x)
        circuit = self.circuit
        if len(circuit) >= MAX_GATES:
            raise self.error(node, f"the circuit would have more than {MAX_GATES:,} gates")
        g = circuit.add_gate(kind, params={"c": c} if c is not None else None)
        for port, a in enumerate(args):
            src = circuit.add_gate("const", value=a.value).id if isinstance(a, _Const) else a
            circuit.connect(src, g.id, port)
        return g.id

    def error(self, node: ast.AST, message: str) -> CodeError:
        return CodeError(
            message,
            getattr(node, "lineno", None),
            getattr(node, "col_offset", -1) + 1 if hasattr(node, "col_offset") else None,
        )


def _call_name(node: ast.Call) -> str:
    f = node.func
    if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
        return f"{f.value.id}.{f.attr}"
    return f.id if isinstance(f, ast.Name) else _describe(f)


def _unary_name(op: ast.unaryop) -> str:
    return {ast.Not: "not", ast.Invert: "~"}.get(type(op), "?")


_CONSTRUCTS = {
    "If": "an if statement",
    "For": "a for loop",
    "While": "a while loop",
    "FunctionDef": "defining a function",
    "ClassDef": "defining a class",
    "Return": "return",
    "Compare": "a comparison",
    "BoolOp": "and/or",
    "IfExp": "x if c else y",
    "Lambda": "lambda",
    "List": "a list",
    "Tuple": "a tuple",
    "Dict": "a dict",
    "Set": "a set",
    "ListComp": "a list comprehension",
    "GeneratorExp": "a generator",
    "Await": "await",
    "JoinedStr": "an f-string",
    "Starred": "*args",
    "NamedExpr": ":=",
    "With": "with",
    "Try": "try",
    "Raise": "raise",
    "Delete": "del",
    "Global": "global",
    "Nonlocal": "nonlocal",
    "Assert": "assert",
    "AnnAssign": "an annotated assignment",
    "Slice": "a slice",
    "Attribute": "an attribute",
    "Subscript": "a subscript",
}


def _describe(node: ast.AST) -> str:
    name = type(node).__name__
    if isinstance(node, ast.Constant):
        return f"the literal {node.value!r}"[:60]
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"
    if isinstance(node, ast.Name):
        return repr(node.id)
    return _CONSTRUCTS.get(name, name)
