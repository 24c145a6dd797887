"""The rules for wires: whether a wire may be drawn (and why not), and every port a wire being
dragged may go to. A circuit flows one way: no wire may close a loop."""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from .parts import Verdict

if TYPE_CHECKING:
    from .circuit import Circuit


def verdict(
    c: Circuit, source: str, target: str, port: int, *, replace_existing: bool = True
) -> Verdict:
    """See :meth:`Circuit.can_connect`."""
    for gid in (source, target):
        if gid not in c:
            return Verdict(False, f"there is no gate {gid!r}", problem="missing")
    t = c.gate(target)
    arity = t.spec.arity
    if arity == 0:
        return Verdict(
            False, f"{t.name} is an {t.spec.name}: nothing can be wired into it", problem="port"
        )
    if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port < arity:
        plural = "s" if arity > 1 else ""
        return Verdict(
            False,
            f"a {t.spec.name} gate has {arity} input{plural}; there is no "
            f"input {port + 1 if isinstance(port, int) else port!r}",
            problem="port",
        )
    old = c.wire_into(target, port)
    if old is not None and not replace_existing:
        return Verdict(
            False, f"input {port + 1} of {t.name} already has a wire", problem="occupied"
        )
    if old is not None and old.source == source:
        return Verdict(False, "that wire is already there", problem="same")
    if source == target or (
        c.dicts().succ[target]  # no readers: no loop
        and nx.has_path(c.graph, target, source)
    ):
        path: list[str] = (
            [source] if source == target else nx.shortest_path(c.graph, target, source)
        )
        names = " \u2192 ".join(c.gate(n).name for n in path + [target])
        return Verdict(
            False,
            f"this wire would make a loop ({names}); a circuit must flow "
            "one way, from inputs to output",
            problem="cycle",
            cycle=tuple(path + [target]),
        )
    return Verdict(True, "", old)


def legal_targets(c: Circuit, source: str) -> list[tuple[str, int]]:
    """See :meth:`Circuit.legal_targets`."""
    blocked = nx.ancestors(c.graph, source) | {source}
    out = []
    for gid, data in c.dicts().nodes.items():
        if gid in blocked:
            continue
        for port in range(data["gate"].spec.arity):
            old = c.wire_into(gid, port)
            if old is None or old.source != source:
                out.append((gid, port))
    return out
