"""Circuits back to code, as the worksheet writes it: a self-contained Python file.

The inputs first, set to the circuit's current values (``w[0]`` as a list ``w``), then a
``## forward pass`` of straight-line assignments, then a ``## backward pass`` with a ``d<name>``
variable per value: one line per wire (upstream × local), ``+=`` where a value fans out, a comment
naming each gate. Run, it prints the output and each input's gradient: the engine's numbers.
Reading its forward pass back gives the same circuit. Gates are written in the plan's order, the
order of the trace.

Nothing a file holds becomes code: its title and description are comments, escaped line by line,
and every name is a plain identifier that is no keyword, no builtin the code calls and no helper
(``lambda`` is written ``lambda_``). Naming is linear in the number of gates, whatever their names.

The numpy style writes the same passes over a batch (see ``STYLES``).
"""

from __future__ import annotations

import keyword
import re
import textwrap
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache

from .circuit import Circuit, Gate
from .engine import compile_circuit
from .gates import fill
from .names import display_names
from .numbers import full

HELPERS = {
    "sigmoid": "def sigmoid(x):\n    return 1.0 / (1.0 + exp(-x))",
    "relu": "def relu(x):\n    return x if x > 0 else 0.0",
    "neg": "def neg(x):\n    return -x",
    "sign": "def sign(x):\n    return (x > 0) - (x < 0)",
}
MATH = ("exp", "log", "sin", "cos", "tanh")
BUILTINS = ("abs", "max", "min", "pow", "print")
"""The builtins exported code calls: no variable may take their names."""
SOFT_KEYWORDS = frozenset({*keyword.softkwlist, "_", "case", "match", "type"})
"""Python's soft keywords, the newer ones too whichever Python exports the code."""
RESERVED = frozenset(
    {*keyword.kwlist, *SOFT_KEYWORDS, *HELPERS, *MATH, *BUILTINS, "math", "__builtins__"}
)
"""Names a variable is never given: Python's keywords and soft keywords, the builtins the code
calls, the helpers it defines or imports, and ``math``."""

NUMPY_HELPERS = {
    "sigmoid": "def sigmoid(x):\n    return 1.0 / (1.0 + np.exp(-x))",
    "relu": "def relu(x):\n    return np.maximum(x, 0.0)",
    "neg": "def neg(x):\n    return -x",
}
NUMPY_CALLS = {
    **{m: f"np.{m}" for m in MATH},
    "max": "np.maximum",
    "min": "np.minimum",
    "abs": "np.abs",
    "pow": "np.power",
    "sign": "np.sign",
}
"""What the numpy style calls in place of a template's function: each works elementwise."""
STYLES = ("python", "numpy")
"""``python``: plain floats, at the circuit's current values. ``numpy``: a batch, each input an
array of its current value and its value in each input set, and every gradient an array."""

_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_CALL = re.compile(r"\b(" + "|".join(NUMPY_CALLS) + r")\(")
_NOT_WORD = re.compile(r"[^A-Za-z0-9_]")
_INDEXED = re.compile(r"([A-Za-z_][A-Za-z_0-9]*)\[([0-9]+)\]")
HEADER = (
    "# circuit-editor: the inputs, the forward pass, the backward pass.",
    "# Run it: it prints the output and each input's gradient.",
)
"""The file's first two lines, always the same: no text of the circuit's can stand where Python
looks for a source encoding."""
COMMENT_WIDTH = 72


class Namer:
    """Fresh identifiers, none used twice: a base name is kept if free, else numbered (``x_2``).

    Each base remembers the last number it handed out, so rebinding one name n times costs O(n)
    in all; ``tried`` counts the candidates looked at, for the tests to check that."""

    def __init__(self, reserved: Iterable[str] = RESERVED):
        self.reserved = frozenset(reserved)
        self.used: set[str] = set(self.reserved)
        self.last: dict[str, int] = {}
        self.tried = 0

    def fresh(self, base: str) -> str:
        base = identifier(base)
        if base in self.reserved:
            base += "_"
        self.tried += 1
        if base not in self.used:
            self.used.add(base)
            return base
        n = self.last.get(base, 1)
        while True:
            n += 1
            self.tried += 1
            name = f"{base}_{n}"
            if name not in self.used:
                break
        self.last[base] = n
        self.used.add(name)
        return name


def identifier(text: str) -> str:
    """``text`` as a plain ASCII identifier: other characters become ``_``; never a digit first."""
    if _WORD.fullmatch(text):
        return text
    name = _NOT_WORD.sub("_", text)
    return name if name and not name[0].isdigit() else f"v{name}"


def comment(heading: str, text: str) -> list[str]:
    """``text`` as comment lines after ``heading``: every line of it commented (at every line
    break any editor or Python knows), control and format characters written as escapes, and
    the lines after the first quoted with ``|``, so that none reads as a marker such as
    ``## backward pass``."""
    if not text.strip():
        return []
    lines = [part for line in text.splitlines() for part in _wrapped(_escaped(line))]
    first, *rest = lines
    return [f"# {heading}: {first}".rstrip()] + [f"# | {line}".rstrip() for line in rest]


def _wrapped(line: str) -> list[str]:
    return textwrap.wrap(line, COMMENT_WIDTH, break_on_hyphens=False) or [""]


def _escaped(line: str) -> str:
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if ch != "\t" and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp", "Co", "Cn")
        else ch
        for ch in line
    )


class CodeNames:
    """What the code calls every gate's value and gradient, and how it defines the inputs."""

    def __init__(
        self,
        circuit: Circuit,
        order: list[str],
        namer: Namer | None = None,
        literal: Callable[[Gate], str] = lambda g: full(g.value or 0.0),
    ):
        self.namer = namer or Namer()
        self.literal = literal
        self.value: dict[str, str] = {}
        self.grad: dict[str, str] = {}
        self.definitions: list[tuple[str, str]] = []  # (variable, the literal it is set to)
        self._name_inputs(circuit)
        self.shown = display_names(circuit)
        for gid in order:
            if gid not in self.value:
                self.value[gid] = self.namer.fresh(self.shown[gid])
        for gid in order:
            self.grad[gid] = self.namer.fresh("d" + _NOT_WORD.sub("", self.value[gid]))

    def _name_inputs(self, circuit: Circuit) -> None:
        """Plain inputs keep their names; ``w[0]``, ``w[1]`` are items of a list ``w`` (a dict
        where the indices have gaps); each definition stands where its first input does."""
        lists: dict[str, dict[int, Gate]] = {}
        defined: list[Gate | str] = []  # in gate order: a plain input, or a list's base
        for g in circuit.inputs():
            m = _INDEXED.fullmatch(g.label)
            if m and str(int(m.group(2))) == m.group(2):  # w[01] is no Python: a name of its own
                if m.group(1) not in lists:
                    defined.append(m.group(1))
                lists.setdefault(m.group(1), {})[int(m.group(2))] = g
            else:
                defined.append(g)
        at: dict[int, tuple[str, str]] = {}  # place in ``defined`` -> (variable, literal)
        for n, item in enumerate(defined):  # plain inputs first: a list w gives way to an input w
            if isinstance(item, Gate):
                self.value[item.id] = self.namer.fresh(item.label)
                at[n] = (self.value[item.id], self.literal(item))
        for n, item in enumerate(defined):
            if isinstance(item, str):
                name = self.namer.fresh(item)
                for i, g in lists[item].items():
                    self.value[g.id] = f"{name}[{i}]"
                at[n] = (name, self._collection(lists[item]))
        self.definitions = [at[n] for n in sorted(at)]

    def _collection(self, items: dict[int, Gate]) -> str:
        ordered = sorted(items.items())
        if [i for i, _ in ordered] == list(range(len(ordered))):
            return "[" + ", ".join(self.literal(g) for _, g in ordered) + "]"
        return "{" + ", ".join(f"{i}: {self.literal(g)}" for i, g in ordered) + "}"


def to_code(circuit: Circuit, *, target: str | None = None, style: str = "python") -> str:
    """The circuit as a Python file: inputs, forward pass, backward pass, and the numbers; in
    plain Python at the current input values, or with numpy over a batch (see ``STYLES``)."""
    if style not in STYLES:
        raise ValueError(f"the style must be one of {', '.join(STYLES)}, not {style!r}")
    w = _Writer(circuit, target, numpy=style == "numpy")
    fwd, bwd = w.forward(), w.backward()
    head = [*HEADER, *_about(circuit), *w.preamble()]
    head += ["", "## inputs", *w.batch_note]
    head += [f"{v} = {text}" for v, text in w.names.definitions]
    body = ["", "## forward pass", *fwd, "", "## backward pass", *bwd]
    return "\n".join([*head, *body, "", "## the numbers", *w.prints()]) + "\n"


def _about(circuit: Circuit) -> list[str]:
    s = circuit.settings
    lines = comment("title", s.title) + comment("description", s.description)
    return ["#", *lines] if lines else []


class _Writer:
    """The forward and backward lines of one circuit, each gate's expression written once."""

    def __init__(self, circuit: Circuit, target: str | None, numpy: bool = False):
        self.plan = plan = compile_circuit(circuit, target)
        self.numpy = numpy
        self.batch_note: list[str] = []
        if numpy:
            rows = batch(circuit)
            names = ", ".join(repr(n) for n in circuit.input_sets)
            self.batch_note = comment("a batch: the current values, then the input sets", names)
            literal = _numpy_literal(rows)
            self.names = CodeNames(circuit, plan.order, Namer(RESERVED | {"np"}), literal)
        else:
            self.names = CodeNames(circuit, plan.order)
        by_id = {g.id: g for g in circuit.gates}
        self.gates = [by_id[gid] for gid in plan.order]
        self.inputs = [plan.slot[g.id] for g in circuit.inputs()]  # as the inputs are defined
        self.calls: set[str] = set()  # the functions the code calls (their templates' words)
        self.value = [self.names.value[gid] for gid in plan.order]
        self.grad = [self.names.grad[gid] for gid in plan.order]
        self.expr: dict[int, str] = {}

    def _args(self, i: int) -> list[str]:
        return [self.value[s] for s in self.plan.sources[i]]

    def forward(self) -> list[str]:
        lines = []
        for i, g in enumerate(self.gates):
            if g.kind == "const":
                lines.append(f"{self.value[i]} = {full(g.value)}  # constant")
            if g.spec.is_leaf:
                continue
            template = g.spec.code_template
            self.calls.update(_words(template))
            self.expr[i] = expr = self._fill(template, self._args(i), i)
            lines.append(f"{self.value[i]} = {expr}  # {g.spec.name}")
        return lines

    def backward(self) -> list[str]:
        plan, v, d = self.plan, self.value, self.grad
        t = plan.target
        lines = [f"{d[t]} = np.ones_like({v[t]})" if self.numpy else f"{d[t]} = 1.0"]
        assigned = {plan.target}
        for _op, o, _a, _b in plan.backward:
            g = self.gates[o]
            args = self._args(o)
            lines.append(f"# backprop through {v[o]} = {self.expr[o]}  ({g.spec.name})")
            for port, local in enumerate(g.spec.local_templates(plan.tie)):
                self.calls.update(_words(local))
                src = plan.sources[o][port]
                term = self._fill(local, args, o)
                op_text = "+=" if src in assigned else "="
                assigned.add(src)
                lines.append(f"{d[src]} {op_text} {d[o]} * {_paren(term)}")
        rest = [i for i in range(len(self.gates)) if i not in assigned]
        if rest:
            lines.append("# not on any path to the output: no gradient")
            zero = f"np.zeros_like({v[t]})" if self.numpy else "0.0"
            lines += [f"{d[i]} = {zero}" for i in rest]
        return lines

    def _fill(self, template: str, args: list[str], i: int) -> str:
        text = fill(template, args, self.value[i], self.gates[i].c)
        return _CALL.sub(lambda m: NUMPY_CALLS[m.group(1)] + "(", text) if self.numpy else text

    def preamble(self) -> list[str]:
        """The imports and helper definitions the code's calls need."""
        if not self.numpy:
            return _imports(self.calls)
        lines = ["", "import numpy as np"]
        for h in NUMPY_HELPERS:
            if h in self.calls:
                lines += ["", NUMPY_HELPERS[h]]
        return lines

    def prints(self) -> list[str]:
        """Lines printing the output, then d target / d input for each input."""
        shown = [self.names.shown[g.id] for g in self.gates]
        out, target = self.plan.output, self.plan.target

        def number(var: str) -> str:
            return f"np.asarray({var}).tolist()" if self.numpy else var

        lines = [f"print({shown[out] + ' ='!r}, {number(self.value[out])})"]
        for i in self.inputs:
            label = f"d{shown[target]}/d{shown[i]} ="
            lines.append(f"print({label!r}, {number(self.grad[i])})")
        return lines


def batch(circuit: Circuit) -> dict[str, list[float]]:
    """Each input's values in the numpy style's batch: its current value, then its value in
    each input set (its current one where a set has none)."""
    sets = [circuit.input_set_values(name) for name in circuit.input_sets]
    return {
        g.id: [g.value or 0.0, *(values.get(g.label, g.value or 0.0) for values in sets)]
        for g in circuit.inputs()
    }


def _numpy_literal(rows: dict[str, list[float]]) -> Callable[[Gate], str]:
    return lambda g: "np.array([" + ", ".join(full(x) for x in rows[g.id]) + "])"


@cache
def _words(template: str) -> frozenset[str]:
    return frozenset(_WORD.findall(template))


def _imports(calls: set[str]) -> list[str]:
    helpers = [h for h in HELPERS if h in calls]
    from_math = sorted({m for m in MATH if m in calls} | ({"exp"} if "sigmoid" in calls else set()))
    lines = [f"from math import {', '.join(from_math)}"] if from_math else []
    for h in helpers:
        lines += ["", HELPERS[h]]
    return ["", *lines] if lines else []


_ATOM = re.compile(
    r"[A-Za-z_]\w*(\[\d+\])?|-?[\d.]+|\w*\([^()]*\)"
)  # x, w[0], 2.5, (x >= y), sign(y)


def _paren(term: str) -> str:
    return term if _ATOM.fullmatch(term) else f"({term})"
