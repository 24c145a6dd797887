"""Functions generated once, at import, from the gate registry's templates.

* ``forward(v, instrs)`` / ``backward(v, g, instrs)``: the engine's loops over integer-indexed
  instructions ``(op, out, a, b)``, one ``if`` branch per opcode, made for plain floats
  (``SCALAR``) and for numpy values (``VECTOR``).
* ``GATE_FNS[kind]``: per-gate ``forward(x0, x1, c)``, ``local[tie](x0, x1, out, c)`` and
  ``kink(x0, x1, c)`` on numpy values, for the trace, forward-mode and reports (``kink`` only
  compares, so it takes plain floats as well); ``SCALAR_FNS``, the same on plain floats.

Only the registry's own template text is compiled here: nothing a user typed or a file
contained ever reaches it (parameters are passed in as values, never written into source).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
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


def opcode(kind: str, tie: str) -> int:
    return OPCODES[(kind, tie if GATES[kind].local_by_tie else "both")]


def opcode_table(tie: str) -> dict[str, int]:
    """kind -> opcode under tie policy ``tie``, for every operation kind."""
    return {kind: opcode(kind, tie) for kind in OPS}


def _sub(template: str, a: str, b: str, out: str, c: str) -> str:
    return template.format(a, b, out=out, c=c)


def _loop_source(fast: bool) -> str:
    """Instructions are ``(op, out, a, b)``; a one-input gate with a constant carries the
    constant in place of ``b``."""
    fwd = ["def forward(v, instrs):", "    for op, o, a, b in instrs:"]
    bwd = ["def backward(v, g, instrs):", "    for op, o, a, b in instrs:", "        go = g[o]"]
    for n, ((kind, tie), code) in enumerate(OPCODES.items()):
        s = GATES[kind]
        head = f"        {'if' if n == 0 else 'elif'} op == {code}:"
        value = s.fast if fast and s.fast else s.forward
        fwd += [head, "            v[o] = " + _sub(value, "v[a]", "v[b]", "v[o]", "b")]
        bwd.append(head)
        for port, local in enumerate(s.local_templates(tie)):
            slot = "ab"[port]
            term = _sub(local, "v[a]", "v[b]", "v[o]", "b")
            share = "go" if term == "1.0" else f"go * ({term})"
            # numpy: a new array, never in place (a gradient may need to grow to the batch's
            # shape, and arrays may be shared between slots)
            bwd.append(
                f"            g[{slot}] += {share}"
                if fast
                else f"            g[{slot}] = g[{slot}] + {share}"
            )
    return "\n".join(fwd + bwd) + "\n"


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


_scalar = _build(_loop_source(fast=True), SCALAR)
_vector = _build(_loop_source(fast=False), VECTOR)
scalar_forward: Callable[[list[float], list[Instruction]], None] = _scalar["forward"]
scalar_backward: Callable[[list[float], list[float], list[Instruction]], None] = _scalar["backward"]
vector_forward: Callable[[list[Number], list[Instruction]], None] = _vector["forward"]
vector_backward: Callable[[list[Number], list[Number], list[Instruction]], None] = _vector[
    "backward"
]


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
