"""Functions generated from the gate registry's templates, and the plain path they are checked
against.

* ``loop(direction, fast, order)``: the engine's loop over integer-indexed instructions
  ``(op, out, a, b)``, one ``if`` branch per opcode, tested in ``order`` (a plan's own kinds,
  the most frequent first: :func:`dispatch_order`), made for plain floats (``fast``) or numpy
  values; made once per order and kept. ``scalar_forward`` and the like run one.
* ``GATE_FNS[kind]``: per-gate ``forward(x0, x1, c)``, ``local[tie](x0, x1, out, c)`` and
  ``kink(x0, x1, c)`` on numpy values, for the trace, forward-mode and reports (``kink`` only
  compares, so it takes plain floats as well); ``SCALAR_FNS``, the same on plain floats.
* ``reference_forward`` / ``reference_backward``: both passes gate by gate through those
  formulas, reading like the maths: the tests check the loops against them.

Only the registry's own template text and integer opcodes are compiled here: nothing a user
typed or a file contained ever reaches it (constants are read from the instructions as values,
never written into source). Generating straight-line code per plan instead was measured and
rejected (tests/bench/bench_engine.py): it compiled in 430 ms at 10k gates and ran no faster.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from .gates import GATES, OPS, TIES
from .numerics import SCALAR, VECTOR, Number
from .plan import Instruction


def _opcodes() -> dict[tuple[str, str], int]:
    """(kind, tie) -> opcode. The lecture's six kinds come first (the loop tests in order)."""
    codes: dict[tuple[str, str], int] = {}
    for kind in OPS:
        codes[(kind, "both")] = len(codes)
    for kind in OPS:
        if GATES[kind].local_by_tie:
            for tie in TIES[1:]:
                codes[(kind, tie)] = len(codes)
    return codes


OPCODES = _opcodes()
KINDS = {code: kind_tie for kind_tie, code in OPCODES.items()}
"""opcode -> (kind, tie)."""


def opcode(kind: str, tie: str) -> int:
    return OPCODES[(kind, tie if GATES[kind].local_by_tie else "both")]


def opcode_table(tie: str) -> dict[str, int]:
    """kind -> opcode under tie policy ``tie``, for every operation kind."""
    return {kind: opcode(kind, tie) for kind in OPS}


def _sub(template: str, a: str, b: str, out: str, c: str) -> str:
    return template.format(a, b, out=out, c=c)


def _operands(templates: list[str], out: str) -> tuple[list[str], dict[str, str]]:
    """How a branch reads its operands: an operand its templates use more than once is read
    into a local first (``x = v[a]``), one used once is read where it is used."""
    reads = {"{0}": ("x", "v[a]"), "{1}": ("y", "v[b]"), "{out}": ("z", out)}
    prelude, names = [], {}
    for key, (local, place) in reads.items():
        if sum(t.count(key) for t in templates) > 1:
            prelude.append(f"{local} = {place}")
            names[key] = local
        else:
            names[key] = place
    return prelude, names


def _branch(code: int, direction: str, fast: bool) -> list[str]:
    """The statements of one opcode's branch: its registry template, written over the slots
    ``v[a]``, ``v[b]``, ``v[o]`` of one instruction ``(op, o, a, b)``."""
    kind, tie = KINDS[code]
    s = GATES[kind]
    if direction == "forward":
        value = s.fast if fast and s.fast else s.forward
        prelude, n = _operands([value], "v[o]")
        return [*prelude, "v[o] = " + _sub(value, n["{0}"], n["{1}"], n["{out}"], "b")]
    locals_ = list(s.local_templates(tie))
    prelude, n = _operands(locals_, "v[o]")
    body = list(prelude)
    for port, local in enumerate(locals_):
        slot = "ab"[port]
        term = _sub(local, n["{0}"], n["{1}"], n["{out}"], "b")
        # x + go * -1.0 is x - go to the last bit: the local gradients 1 and -1 cost nothing
        sign, share = ("-", "go") if term == "-1.0" else ("+", f"go * ({term})")
        share = "go" if term == "1.0" else share
        # numpy: a new array, never in place (a gradient may need to grow to the batch's
        # shape, and arrays may be shared between slots)
        body.append(
            f"g[{slot}] {sign}= {share}" if fast else f"g[{slot}] = g[{slot}] {sign} {share}"
        )
    return body


def _loop_source(direction: str, fast: bool, order: tuple[int, ...]) -> str:
    """A loop over instructions ``(op, out, a, b)`` whose branches test the opcodes in
    ``order`` (the most frequent first); the last is the ``else``, so the loop must only meet
    opcodes in ``order``. A one-input gate with a constant carries it in place of ``b``."""
    head = ["def run(v, instrs):"] if direction == "forward" else ["def run(v, g, instrs):"]
    head.append("    for op, o, a, b in instrs:")
    if direction == "backward":
        head.append("        go = g[o]")
    if not order:
        return "\n".join([*head, "        pass"]) + "\n"
    body = []
    for n, code in enumerate(order):
        statements = _branch(code, direction, fast)
        if len(order) == 1:
            body += ["        " + line for line in statements]
            continue
        test = "if" if n == 0 else "else" if n == len(order) - 1 else "elif"
        body.append(f"        {test}:" if test == "else" else f"        {test} op == {code}:")
        body += ["            " + line for line in statements]
    return "\n".join(head + body) + "\n"


def dispatch_order(instrs: list[Instruction]) -> tuple[int, ...]:
    """The opcodes ``instrs`` hold, the most frequent first (ties: the lower opcode first)."""
    counts = Counter(map(itemgetter(0), instrs))
    return tuple(sorted(counts, key=lambda code: (-counts[code], code)))


Loop = Callable[..., None]
"""``run(v, instrs)`` (forward) or ``run(v, g, instrs)`` (backward), filling ``v`` or ``g``."""


@lru_cache(maxsize=256)
def loop(direction: str, fast: bool, order: tuple[int, ...]) -> Loop:
    """The engine's loop in ``direction`` ("forward" or "backward") for plain floats
    (``fast``) or numpy values, testing the opcodes in ``order``. Made once per order: the
    source is the registry's templates and integer opcodes, nothing else."""
    names = SCALAR if fast else VECTOR
    run: Loop = _build(_loop_source(direction, fast, order), names)["run"]
    return run


ALL = tuple(OPCODES.values())
"""Every opcode, in the registry's order."""


def scalar_forward(v: list[float], instrs: list[Instruction], order: tuple[int, ...] = ALL) -> None:
    loop("forward", True, order)(v, instrs)


def scalar_backward(
    v: list[float], g: list[float], instrs: list[Instruction], order: tuple[int, ...] = ALL
) -> None:
    loop("backward", True, order)(v, g, instrs)


def vector_forward(
    v: list[Number], instrs: list[Instruction], order: tuple[int, ...] = ALL
) -> None:
    loop("forward", False, order)(v, instrs)


def vector_backward(
    v: list[Number], g: list[Number], instrs: list[Instruction], order: tuple[int, ...] = ALL
) -> None:
    loop("backward", False, order)(v, g, instrs)


def _gate_source() -> str:
    lines = []
    for kind in OPS:
        s = GATES[kind]
        lines.append(
            f"def {kind}_forward(x0, x1, c):\n    return " + _sub(s.forward, "x0", "x1", "", "c")
        )
        ties = TIES if s.local_by_tie else ("both",)
        for tie in ties:
            terms = ", ".join(_sub(t, "x0", "x1", "out", "c") for t in s.local_templates(tie))
            lines.append(f"def {kind}_local_{tie}(x0, x1, out, c):\n    return ({terms},)")
        if s.kink:
            lines.append(
                f"def {kind}_kink(x0, x1, c):\n    return " + _sub(s.kink, "x0", "x1", "", "c")
            )
    return "\n".join(lines) + "\n"


def _build(source: str, names: Mapping[str, Callable[..., Number]]) -> dict[str, Any]:
    namespace: dict[str, Any] = dict(names)
    exec(compile(source, "<circuit_editor.core.interp>", "exec"), namespace)  # registry text only
    return namespace


Kink = bool | np.bool_ | npt.NDArray[np.bool_]
"""Whether a gate sits at a kink: at one point, or at each point of a batch."""


@dataclass(frozen=True)
class GateFns:
    forward: Callable[..., Number]  # fn(x0, x1, c) -> value
    local: dict[str, Callable[..., tuple[Number, ...]]]  # tie -> fn(x0, x1, out, c) -> per port
    kink: Callable[..., Kink] | None  # fn(x0, x1, c)


def _gate_fns(names: Mapping[str, Callable[..., Number]]) -> dict[str, GateFns]:
    ns = _build(_gate_source(), names)
    out = {}
    for kind in OPS:
        ties = TIES if GATES[kind].local_by_tie else ("both",)
        local = {tie: ns[f"{kind}_local_{tie}"] for tie in ties}
        if len(local) == 1:
            local = {tie: local["both"] for tie in TIES}
        out[kind] = GateFns(ns[f"{kind}_forward"], local, ns.get(f"{kind}_kink"))
    return out


GATE_FNS = _gate_fns(VECTOR)
"""Per-gate functions on numpy values (arrays, or float64 scalars: 1/0 is inf)."""
SCALAR_FNS = _gate_fns(SCALAR)
"""The same on plain floats: faster, but raising where IEEE gives inf or nan."""


# ------------------------------------------------------------------ the reference path
def reference_forward(
    v: list[Number], instrs: list[Instruction], fns: Mapping[str, GateFns] = SCALAR_FNS
) -> None:
    """The forward pass read off the registry, gate by gate: each gate's value is its
    formula of its inputs. Slow and plain: the loops above are checked against it."""
    for op, o, a, b in instrs:
        kind, _tie = KINDS[op]
        x, y, c = _arguments(kind, v, a, b)
        v[o] = fns[kind].forward(x, y, c)


def reference_backward(
    v: list[Number],
    g: list[Number],
    instrs: list[Instruction],
    fns: Mapping[str, GateFns] = SCALAR_FNS,
) -> None:
    """The backward pass read off the registry (``instrs`` in reverse topological order):
    each input of a gate gains the gate's gradient times the local gradient of that port."""
    for op, o, a, b in instrs:
        kind, tie = KINDS[op]
        x, y, c = _arguments(kind, v, a, b)
        local = fns[kind].local[tie](x, y, v[o], c)
        for source, d in zip((a, int(b)), local):
            g[source] = g[source] + g[o] * d


def _arguments(
    kind: str, v: list[Number], a: int, b: float
) -> tuple[Number, Number | None, float | None]:
    """A gate's inputs and constant from its instruction: ``b`` is its second input's slot,
    or its constant, or nothing."""
    s = GATES[kind]
    if s.arity == 2:
        return v[a], v[int(b)], None
    return v[a], None, (b if s.params else None)
