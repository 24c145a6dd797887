"""The rules for wires: whether a wire may be drawn (and why not), and every port a wire being
dragged may go to. A circuit flows one way: no wire may close a loop."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import networkx as nx

from .errors import CycleError, PortError, UnknownGateError
from .parts import Verdict, Wire

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


def add_all(c: Circuit, graph: nx.MultiDiGraph, wires: Sequence[Wire]) -> None:
    """Add ``wires`` to ``c``'s ``graph`` at once (a file being read), each checked as
    :meth:`Circuit.connect` checks it, the loop check made once for them all; on any problem,
    the error ``connect`` raises for that wire, and none is added. Events are the caller's."""
    nodes, pred, succ = graph._node, graph._pred, graph._succ
    taken = {(t, k) for t, srcs in pred.items() for keys in srcs.values() for k in keys}
    added: list[Wire] = []
    try:
        for w in wires:
            into = (w.target, w.port)
            if (
                w.target not in nodes
                or w.source not in nodes
                or w.source == w.target
                or type(w.port) is not int
                or not 0 <= w.port < nodes[w.target]["gate"].spec.arity
                or into in taken
            ):
                c.connect(*w)  # refuses it, saying why as it always does
                raise AssertionError(f"connect took the wire {w} that add_all refused")
            # networkx's own layout of a multigraph edge, as its add_edge writes it (without
            # its per-edge bookkeeping): one key dict shared by both directions
            keys = succ[w.source].get(w.target)
            if keys is None:
                keys = succ[w.source][w.target] = pred[w.target][w.source] = {}
            keys[w.port] = {}
            taken.add(into)
            added.append(w)
        nx._clear_cache(graph)
        c.topological_order()  # raises CycleError on a loop
    except (PortError, CycleError, UnknownGateError):
        graph.remove_edges_from(added)
        raise


def missing(graph: nx.MultiDiGraph) -> list[str]:
    """Empty input ports of operation gates, as 'input 2 of g' phrases, each gate named as
    the canvas shows it: by its label, or by its symbol and name ('input 2 of the * gate
    mul3'), never by an id the user never sees."""
    out = []
    pred, nodes = graph._pred, graph._node  # plain dicts: this runs per compile
    for gid, data in nodes.items():
        arity = data["gate"].spec.arity
        if arity:
            taken = {k for keys in pred[gid].values() for k in keys}
            if len(taken) < arity:
                g = data["gate"]
                name = g.label or f"the {g.symbol} gate {g.name}"
                out += [f"input {p + 1} of {name}" for p in range(arity) if p not in taken]
    return out
