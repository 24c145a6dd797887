"""Reading code into a circuit, as people write it: the worksheet's pseudocode, the lecture
notes' Python snippets, micrograd's ``Value`` expressions.

The code is parsed with :mod:`ast` and never executed, and only its forward pass is read
(:mod:`.codecut` finds where the backward pass starts). Before the forward pass starts, a name
given a literal (``x = -2``, ``x = 3  # example values``, ``w = [2, -3, -3]``) is an *input*
with that value, as is micrograd's ``a = Value(-4.0)`` anywhere; those values are kept as the
input set "from code". A literal after that, or inside an expression, is a constant. A name read
before it is assigned is an input too (``w[0]`` included), valued 1. Each assignment labels the
gate it makes; a name assigned again labels its new gate ``x_2`` (then ``x_3``), so every gate
has a name of its own and ``x`` always means the input. The last assignment is the output; the
notes say what was left out and which lines do not reach the output. Expressions are read as
the gate registry says (:mod:`.codeexpr`). Anything outside the subset is a :class:`CodeError`
naming the line, the 1-based column and the construct.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeGuard

import networkx as nx

from .circuit import Circuit
from .codecut import forward_pass
from .codeexpr import MODULES, VALUE, Const, ExpressionReader, Ref, error, number
from .codesize import TOO_LONG, check_characters, check_length, check_nesting, check_operations
from .codewords import describe
from .errors import CircuitError, CodeError, NameClashError
from .gates import CALLS
from .layout import layout
from .names import free_variant
from .numbers import literal
from .parts import NAME_RE

FROM_CODE = "from code"  # the input set of the values the code gives its inputs
DEFAULT_INPUT = 1.0
KNOWN_DEFS = frozenset(CALLS) | {"sign"}  # helpers exported code defines for plain Python
IMPORTABLE = ("math", "numpy", "micrograd", "micrograd.engine")
MAX_LISTED = 5  # lines a note lists by name


@dataclass
class CodeImport:
    circuit: Circuit
    notes: list[str] = field(default_factory=list)  # what the reader left out, and why


def read_code(text: str, *, title: str = "") -> CodeImport:
    """Read ``text`` into a laid-out circuit, with notes on anything left out."""
    if not isinstance(text, str):
        raise CodeError("the code must be text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    check_length(text)
    check_characters(text)
    cut = forward_pass(text)
    check_nesting(cut.forward)
    check_operations(cut.forward)
    tree = _parse(cut.forward)
    reader = _Reader(Circuit(title=title), cut.forward, tree)
    reader.program(tree, cut.line)
    layout(reader.circuit)
    return CodeImport(reader.circuit, [n for n in (cut.note, *reader.notes) if n])


def from_code(text: str, *, title: str = "") -> Circuit:
    """The circuit that ``text`` computes (see :func:`read_code`)."""
    return read_code(text, title=title).circuit


def _parse(text: str) -> ast.Module:
    try:
        return ast.parse(text, mode="exec")
    except SyntaxError as e:
        line = e.lineno or 1
        raise CodeError(_syntax_message(e), line, _syntax_column(text, e, line)) from None
    except (MemoryError, RecursionError, ValueError):  # a guard: the checks above come first
        raise CodeError(TOO_LONG, 1, 1) from None


def _syntax_message(e: SyntaxError) -> str:
    msg = e.msg or "invalid syntax"
    if "digits" in msg:
        return "a number with that many digits is too large"
    return f"this is not valid code ({msg})"


def _syntax_column(text: str, e: SyntaxError, line: int) -> int:
    """Python's 1-based column; for a number with too many digits (which Python places at
    column 0), where that number starts."""
    if "digits" in (e.msg or ""):
        source = text.split("\n")[line - 1] if line <= text.count("\n") + 1 else ""
        runs = list(re.finditer(r"[0-9_]+", source))
        if runs:
            return max(runs, key=lambda m: m.end() - m.start()).start() + 1
    return max(1, e.offset or 1)


def _literal(node: ast.expr) -> float | list[float] | None:
    """The number or numbers a literal assignment gives (``3``, ``-2.5``, ``Value(-4.0)``,
    ``[2, -3, -3]``, ``np.array([-1, -2])``); None for anything else."""
    if _is_call(node, VALUE) and len(node.args) == 1:
        return _scalar(node.args[0])
    if isinstance(node, ast.Call) and _is_array(node.func) and len(node.args) == 1:
        node = node.args[0]
    if isinstance(node, (ast.List, ast.Tuple)):
        xs = [_scalar(e) for e in node.elts]
        return [x for x in xs if x is not None] if xs and None not in xs else None
    return _scalar(node)


def _scalar(node: ast.expr) -> float | None:
    sign = 1.0
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign = -sign if isinstance(node.op, ast.USub) else sign
        node = node.operand
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return sign * number(node)
    return None


def _is_label(stmt: ast.Assign) -> bool:
    target = stmt.targets[0]
    return (
        isinstance(target, ast.Attribute)
        and target.attr == "label"
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


def _is_call(node: ast.expr, name: str) -> TypeGuard[ast.Call]:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name


def _is_array(f: ast.expr) -> bool:
    return (
        isinstance(f, ast.Attribute)
        and f.attr == "array"
        and isinstance(f.value, ast.Name)
        and f.value.id in MODULES[1:]
    )


class _Reader(ExpressionReader):
    def __init__(self, circuit: Circuit, text: str, tree: ast.Module):
        self.circuit = circuit
        self.text = text
        self.code_names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        self.bound: dict[str, str] = {}  # variable (or input name) -> gate id
        self.labels: set[str] = set()  # labels given so far
        self.suffix: dict[str, int] = {}  # name -> the next n to try for name_n
        self.named: set[str] = set()  # gate ids that carry a label already
        self.given: dict[str, None] = {}  # ids of inputs a literal gave a value, in order
        self.started = False  # whether the forward pass has started
        self.made: list[tuple[ast.stmt, str]] = []  # each assignment and the gate it names
        self.printed: list[int] = []  # lines of print() calls left out
        self.notes: list[str] = []
        self.last: Ref | None = None

    # ------------------------------------------------------------ the program
    def program(self, tree: ast.Module, cut_line: int) -> None:
        body = tree.body
        if not body and cut_line:
            raise CodeError(
                f"the backward pass starts on line {cut_line}, with no forward pass above it "
                "to read",
                cut_line,
                1,
            )
        if not body:
            raise CodeError(
                "there is no code to read: write an expression such as (x + y) * z "
                "or a few assignments such as g = x + y",
                1,
                1,
            )
        for i, stmt in enumerate(body):
            self.statement(stmt, last=(i == len(body) - 1))
        out = self.last
        if isinstance(out, Const):
            raise error(body[-1], "the result is a plain number: there is nothing to differentiate")
        if out is None or not self.started:
            raise error(
                body[-1],
                "there is nothing to compute here: write the forward pass that uses the "
                "inputs, as in q = x + y",
            )
        self.circuit.settings.output = out
        if self.given:
            self.keep_values()
        self.notes += self.left_out(out)

    def keep_values(self) -> None:
        """The values the code gave its inputs, as the input set "from code", and a note."""
        values = {}
        for gid in self.given:
            g = self.circuit.gate(gid)
            if g.value is not None:
                values[g.label] = g.value
        self.circuit.set_input_set(FROM_CODE, values)
        shown = ", ".join(f"{k} = {literal(v)}" for k, v in list(values.items())[:MAX_LISTED])
        more = len(values) - MAX_LISTED
        self.notes.insert(
            0,
            f"Inputs with the values the code gives them: {shown}"
            + (f" and {more} more" if more > 0 else "")
            + f' (kept as the input set "{FROM_CODE}").',
        )

    def left_out(self, out: str) -> list[str]:
        """Notes on the print() calls left out and the lines that do not reach ``out``."""
        notes = []
        if self.printed:
            lines = ", ".join(str(n) for n in self.printed[:MAX_LISTED])
            more = len(self.printed) - MAX_LISTED
            notes.append(
                f"Left out print() (line{'s' if len(self.printed) > 1 else ''} {lines}"
                + (f" and {more} more" if more > 0 else "")
                + "): the app shows every value and gradient itself."
            )
        reach = nx.ancestors(self.circuit.graph, out) | {out}
        missed = list(dict.fromkeys(stmt for stmt, gid in self.made if gid not in reach))
        if missed:
            name = self.circuit.gate(out).name
            shown = ", ".join(f"line {s.lineno} ({self.snippet(s)})" for s in missed[:MAX_LISTED])
            more = len(missed) - MAX_LISTED
            notes.append(
                f"Not used by the output {name}: {shown}"
                + (f" and {more} more" if more > 0 else "")
                + f". Their gates are in the circuit but do not change {name}."
            )
        return notes

    def snippet(self, stmt: ast.stmt) -> str:
        text = (ast.get_source_segment(self.text, stmt) or "").split("\n")[0].strip()
        return text if len(text) <= 40 else text[:37] + "..."

    # ------------------------------------------------------------ statements
    def statement(self, stmt: ast.stmt, last: bool) -> None:
        try:
            self.read_statement(stmt, last)
        except CircuitError as e:  # the circuit refused what the line asks: say where
            raise error(stmt, str(e)) from None

    def read_statement(self, stmt: ast.stmt, last: bool) -> None:
        if isinstance(stmt, ast.Assign):
            self.assign(stmt)
        elif isinstance(stmt, ast.AugAssign):
            if not isinstance(stmt.target, ast.Name):
                raise error(stmt.target, "assign to one plain name at a time, as in c += x")
            value = ast.BinOp(ast.Name(stmt.target.id, ast.Load()), stmt.op, stmt.value)
            ast.copy_location(value, stmt)
            ast.copy_location(value.left, stmt.target)
            self.started = True
            self.bind(stmt.target.id, self.expr(value), stmt, stmt.target)
        elif isinstance(stmt, ast.Expr) and _is_call(stmt.value, "print"):
            self.printed.append(stmt.lineno)
        elif isinstance(stmt, ast.Expr) and last:
            self.started = True
            self.last = self.expr(stmt.value)
        elif isinstance(stmt, ast.Expr):
            raise error(
                stmt,
                "this line computes a value but does not name it; write "
                "name = ... (only the last line may be a bare expression)",
            )
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            self.check_import(stmt)
        elif isinstance(stmt, ast.Pass):
            pass
        elif isinstance(stmt, ast.FunctionDef) and stmt.name in KNOWN_DEFS:
            self.notes.append(
                f"Line {stmt.lineno}: skipped the definition of {stmt.name}(); "
                f"the app's own {stmt.name} is used."
            )
        else:
            raise error(
                stmt, f"{describe(stmt)} is not supported: only assignments of arithmetic are read"
            )

    def assign(self, stmt: ast.Assign) -> None:
        target = stmt.targets[0]
        if _is_label(stmt):
            return  # micrograd's e.label = 'e': the gate is named by its variable already
        if len(stmt.targets) != 1 or not isinstance(target, ast.Name):
            raise error(
                target if len(stmt.targets) == 1 else stmt,
                "assign to one plain name at a time, as in g = x + y",
            )
        values = _literal(stmt.value)
        if values is not None and (not self.started or _is_call(stmt.value, VALUE)):
            if isinstance(values, list):
                for i, x in enumerate(values):
                    self.literal_input(f"{target.id}[{i}]", x, stmt, target)
            else:
                self.literal_input(target.id, values, stmt, target)
            return
        self.started = True
        if isinstance(values, list):  # a list of literals after the forward pass: constants
            for i, x in enumerate(values):
                self.bind(f"{target.id}[{i}]", Const(x), stmt, target)
            return
        self.bind(target.id, self.expr(stmt.value), stmt, target)

    def literal_input(self, name: str, x: float, stmt: ast.stmt, target: ast.Name) -> None:
        """``name = x`` before the forward pass: an input with that value (given again before
        it is used, the input takes the new value)."""
        gid = self.bound.get(name)
        if gid is not None and gid in self.given and not self.started:
            self.circuit.set_value(gid, x)
        else:
            gid = self.input(name, target, x)
            self.given[gid] = None
        self.last = gid
        self.made.append((stmt, gid))

    def bind(self, name: str, ref: Ref, stmt: ast.stmt, target: ast.AST) -> None:
        """``name = ref``: a gate this line made takes the name as its label (``name_2`` when
        a gate has it already); a name that only refers to an existing value (``f = g``,
        ``f = x``) makes no new gate."""
        self.check_name(name, target)
        if isinstance(ref, Const):
            self.check_room(target)
            x = ref.value
            ref = self.labelled(name, lambda label: self.const(x, label))
        elif ref not in self.named:
            gid = ref
            self.labelled(name, lambda label: self.circuit.set_label(gid, label).id)
        self.named.add(ref)
        self.bound[name] = ref
        self.last = ref
        self.made.append((stmt, ref))

    def check_import(self, stmt: ast.Import | ast.ImportFrom) -> None:
        mods = [a.name for a in stmt.names] if isinstance(stmt, ast.Import) else [stmt.module or ""]
        bad = [m for m in mods if m not in IMPORTABLE]
        if bad:
            raise error(
                stmt,
                f"importing {bad[0]!r} is not supported (math and numpy functions can be "
                "used without importing, and micrograd's Value is understood)",
            )

    # ------------------------------------------------------------ names
    def read_name(self, name: str, node: ast.AST) -> str:
        if name in self.bound:
            return self.bound[name]
        base = name.partition("[")[0]
        if base != name and base in self.bound:
            raise error(node, f"{base!r} is a value computed above, not a list of inputs")
        if name in MODULES:
            raise error(node, f"{name!r} can only be used to call a function, as in {name}.exp(x)")
        if name in CALLS or name == VALUE:
            raise error(node, f"{name!r} is a function: call it, as in {name}(x)")
        return self.input(name, node, DEFAULT_INPUT)

    def input(self, name: str, node: ast.AST, value: float) -> str:
        self.check_name(name, node)
        self.check_room(node)
        gid = self.labelled(
            name,
            lambda label: (
                self.circuit.add_gate("input", id=self.new_id(), label=label, value=value).id
            ),
        )
        self.named.add(gid)
        self.bound[name] = gid
        return gid

    def check_name(self, name: str, node: ast.AST) -> None:
        if not NAME_RE.match(name):
            raise error(
                node,
                f"{name!r} cannot name a gate: a name is ASCII letters, digits and _, "
                "not starting with a digit",
            )

    def labelled(self, name: str, make: Callable[[str], str]) -> str:
        """``make(label)`` with the label :meth:`label_for` gives ``name``; should the circuit
        refuse that label as a name (one of the form it keeps for gates without a label), the
        next, ``name_2``."""
        label = self.label_for(name)
        try:
            return make(label)
        except NameClashError:
            if label != name:
                raise
            return make(self.label_for(name))

    def label_for(self, name: str) -> str:
        """``name``, or, when a gate has that label already, the first free ``name_2``,
        ``name_3``... that the code does not use itself (``w_2[0]`` for ``w[0]``)."""
        if name not in self.labels:
            self.labels.add(name)
            return name
        label = free_variant(name, self.taken, self.suffix)
        self.labels.add(label)
        return label

    def taken(self, label: str) -> bool:
        """A label a gate of this code has, or whose name (``w_2`` of ``w_2[0]``) the code uses."""
        return label in self.labels or label.partition("[")[0] in self.code_names

    def new_id(self) -> str:
        gid = self.circuit.new_id()
        while gid in self.code_names:  # a name in the code is no gate's id
            gid = self.circuit.new_id()
        return gid
