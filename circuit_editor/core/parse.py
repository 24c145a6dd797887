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
from .errors import CodeError
from .gates import CALLS, GATES
from .layout import layout

MAX_CHARS = 5_000_000
MAX_NESTING = 100
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


def read_code(text: str, *, title: str = "") -> CodeImport:
    """Read ``text`` into a laid-out circuit, with notes on anything left out."""
    if not isinstance(text, str):
        raise CodeError("the code must be text")
    if len(text) > MAX_CHARS:
        raise CodeError(f"the code is {len(text):,} characters long; the limit is {MAX_CHARS:,}")
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
    _check_nesting(text)
    try:
        tree = ast.parse(text, mode="exec")
    except SyntaxError as e:
        raise CodeError(_syntax_message(e), e.lineno, e.offset) from None
    except (MemoryError, RecursionError, ValueError):
        raise CodeError(
            "an expression is too long or too deeply nested to read in one piece "
            "(Python reads about 2,500 operations per expression); split it over "
            "several lines with intermediate names"
        ) from None
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


def _check_nesting(text: str) -> None:
    """Refuse deep bracket nesting before the parser sees it (cheap and with a clear place)."""
    for n, line in enumerate(text.splitlines(), 1):
        depth = 0
        for col, ch in enumerate(line.split("#", 1)[0], 1):
            if ch in "([{":
                depth += 1
                if depth > MAX_NESTING:
                    raise CodeError(
                        f"brackets are nested more than {MAX_NESTING} deep; split "
                        "the expression over several lines",
                        n,
                        col,
                    )
            elif ch in ")]}":
                depth -= 1


class _Reader:
    def __init__(self, circuit: Circuit):
        self.circuit = circuit
        self.bound: dict[str, object] = {}  # variable -> gate id or _Const
        self.inputs: dict[str, str] = {}  # input name -> gate id
        self.named: set[str] = set()  # gate ids that carry a name already
        self.notes: list[str] = []
        self.last = None

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

    def bind(self, name: str, ref, stmt: ast.stmt) -> None:
        """``name = ref``: a gate this line made takes the name as its label; a name that only
        refers to an existing value (``f = g``, ``f = x``) makes no new gate."""
        if isinstance(ref, _Const):
            ref = self.circuit.add_gate("const", label=name, value=ref.value).id
        elif ref not in self.named and self.circuit.gate(ref).kind != "input":
            self.circuit.set_label(ref, name)
        self.named.add(ref)
        self.bound[name] = ref
        self.last = ref

    # ------------------------------------------------------------ expressions
    def expr(self, root: ast.expr):
        """Post-order walk with an explicit stack, so long sums never hit Python's recursion
        limit."""
        results: dict[int, object] = {}
        stack = [(root, False)]
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

    def build(self, node: ast.expr, args: list):
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
                return (
                    _Const(-x.value)
                    if isinstance(x, _Const)
                    else self.gate("mulc", node, [x], c=-1.0)
                )
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

    def read_name(self, name: str, node: ast.AST):
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

    def read_subscript(self, node: ast.Subscript):
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

    def read_attribute(self, node: ast.Attribute):
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

    def binop(self, node: ast.BinOp, a, b):
        op = type(node.op)
        sym = _OP_NAMES.get(op, "?")
        if isinstance(a, _Const) and isinstance(b, _Const):
            return self.fold(node, sym, a.value, b.value)
        if op is ast.Add:
            if isinstance(a, _Const) or isinstance(b, _Const):
                k, x = (a, b) if isinstance(a, _Const) else (b, a)
                return self.gate("addc", node, [x], c=k.value)
            return self.gate("add", node, [a, b])
        if op is ast.Sub:
            if isinstance(b, _Const):
                return self.gate("addc", node, [a], c=-b.value)
            return self.gate("sub", node, [a, b])
        if op is ast.Mult:
            if isinstance(a, _Const) or isinstance(b, _Const):
                k, x = (a, b) if isinstance(a, _Const) else (b, a)
                return self.gate("mulc", node, [x], c=k.value)
            return self.gate("mul", node, [a, b])
        if op is ast.Div:
            if isinstance(a, _Const) and a.value == 1.0:
                return self.gate("recip", node, [b])
            return self.gate("div", node, [a, b])
        if op is ast.Pow:
            if isinstance(b, _Const):
                return self.gate("pow", node, [a], c=b.value)
            raise self.error(
                node,
                "only a constant exponent is supported, as in x ** 2; for "
                "other powers use exp and log",
            )
        raise self.error(node, f"the operator {sym!r} is not supported (use + - * / **)")

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
        if name in ("pow", "maximum", "minimum"):
            return {"pow": "pow", "maximum": "max", "minimum": "min"}[name]
        if name not in CALLS:
            known = ", ".join(sorted(CALLS))
            raise self.error(node, f"the function {name!r} is not known (known: {known})")
        if node.keywords:
            raise self.error(node.keywords[0], f"{name}() takes no keyword arguments")
        return CALLS[name]

    def call(self, node: ast.Call, args: list):
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

    def gate(self, kind: str, node: ast.AST, args: list, c: float | None = None):
        if all(isinstance(a, _Const) for a in args) and kind not in ("addc", "mulc", "pow"):
            import numpy as np

            from .interp import GATE_FNS  # fold a function of literals: exp(0) is 1

            with np.errstate(all="ignore"):
                xs = [a.value for a in args] + [None]
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
    return f.id if isinstance(f, ast.Name) else f"{f.value.id}.{f.attr}"


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
