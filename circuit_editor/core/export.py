"""Circuits back to code, as the worksheet writes it.

A ``## forward pass`` of straight-line assignments, then a ``## backward pass`` with a
``d<name>`` variable per value: one line per wire (upstream × local), ``+=`` where a value fans
out, a comment naming each gate. The code is valid Python: run with the inputs set as variables
it reproduces the engine's values and gradients, and reading its forward pass back gives the
same circuit. Gates are written in the plan's order, the order of the trace.
"""

from __future__ import annotations

import re

from .circuit import Circuit
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
_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")


class _Names:
    """Variable names for every gate's value and gradient, none used twice."""

    def __init__(self, circuit: Circuit, order: list[str]):
        self.used: set[str] = set(HELPERS) | set(MATH) | {"math", "max", "min", "abs", "pow"}
        self.value: dict[str, str] = {}
        self.grad: dict[str, str] = {}
        for g in circuit.gates:  # inputs keep their names, w[0] included
            if g.kind == "input":
                self.value[g.id] = g.label
                self.used.add(g.label.split("[")[0])
        shown = display_names(circuit)
        for gid in order:
            if circuit.gate(gid).kind != "input":
                self.value[gid] = self.fresh(shown[gid])
        for gid in order:
            self.grad[gid] = self.fresh("d" + re.sub(r"\W", "", self.value[gid]))

    def fresh(self, base: str) -> str:
        name, n = base, 1
        while name in self.used:
            n += 1
            name = f"{base}_{n}"
        self.used.add(name)
        return name


def to_code(circuit: Circuit, *, target: str | None = None) -> str:
    """The circuit as worksheet-style Python: forward pass, then backward pass."""
    plan = compile_circuit(circuit, target)
    order = plan.order
    names = _Names(circuit, order)
    v, d = names.value, names.grad
    fwd: list[str] = []
    helpers: set[str] = set()
    for i, gid in enumerate(order):
        g = circuit.gate(gid)
        if g.kind == "const":
            fwd.append(f"{v[gid]} = {full(g.value)}  # constant")
        if g.spec.is_leaf:
            continue
        args = [v[plan.order[s]] for s in plan.sources[i]]
        expr = fill(g.spec.code_template, args, v[gid], g.c)
        helpers.update(w for w in _WORD.findall(expr) if w in HELPERS or w in MATH)
        fwd.append(f"{v[gid]} = {expr}  # {g.spec.name}")
    bwd = [f"{d[plan.order[plan.target]]} = 1.0"]
    assigned = {plan.order[plan.target]}
    for _op, o, _a, _b in plan.backward:
        gid = order[o]
        g = circuit.gate(gid)
        args = [v[order[s]] for s in plan.sources[o]]
        bwd.append(
            f"# backprop through {v[gid]} = "
            f"{fill(g.spec.code_template, args, v[gid], g.c)}  ({g.spec.name})"
        )
        for port, local in enumerate(g.spec.local_templates(plan.tie)):
            src = order[plan.sources[o][port]]
            term = fill(local, args, v[gid], g.c)
            helpers.update(w for w in _WORD.findall(term) if w in HELPERS or w in MATH)
            op_text = "+=" if src in assigned else "="
            assigned.add(src)
            bwd.append(f"{d[src]} {op_text} {d[gid]} * {_paren(term)}")
    rest = [gid for gid in order if gid not in assigned]
    if rest:
        bwd.append("# not on any path to the output: no gradient")
        bwd += [f"{d[gid]} = 0.0" for gid in rest]
    head = []
    title = circuit.settings.title
    if title:
        head.append(f"# {title}")
    used_math = sorted(h for h in helpers if h in MATH) or []
    if "sigmoid" in helpers and "exp" not in used_math:
        used_math = sorted(used_math + ["exp"])
    if used_math:
        head.append(f"from math import {', '.join(used_math)}")
    for h in ("sigmoid", "relu", "neg", "sign"):
        if h in helpers:
            head += ["", HELPERS[h]]
    head += ["", "## forward pass"]
    return "\n".join(head + fwd + ["", "## backward pass"] + bwd).lstrip("\n") + "\n"


def _paren(term: str) -> str:
    if (
        _WORD.fullmatch(term)
        or re.fullmatch(r"-?[\d.]+", term)
        or re.fullmatch(r"[A-Za-z_]\w*\[\d+\]", term)
    ):
        return term
    if re.fullmatch(r"\w*\([^()]*\)", term):  # (x >= y), sign(y)
        return term
    return f"({term})"
