"""The circuit: the document the app edits, kept in a networkx MultiDiGraph.

Nodes are gate ids (stable strings) carrying a :class:`Gate`; an edge ``(source, target, port)``
is a wire from the source's output to input ``port`` of the target (the edge key is the port,
so ``x * x`` is two edges between the same nodes). The model enforces its own rules and says
why it refuses; views follow it through events and never change it behind its back.

Beside it: the parts as values (``parts``: Gate, Wire, Settings, Verdict), the events it emits
(``events``), its input sets (``input_sets``) and the rules for wires (``wiring``). Import them
from here or from there.
"""

from __future__ import annotations

__all__ = [
    "MAX_ID",
    "NAME_RE",
    "Circuit",
    "Event",
    "EventKind",
    "Gate",
    "GateEvent",
    "GraphDicts",
    "Listener",
    "NodeData",
    "SettingValue",
    "Settings",
    "SettingsEvent",
    "Verdict",
    "Wire",
    "WireEvent",
    "check_name",
]

import heapq
import itertools
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import networkx as nx

from . import wiring
from .errors import (
    CycleError,
    NameClashError,
    NameTakenError,
    OutputError,
    PortError,
    SettingError,
    UnknownGateError,
)
from .events import (
    Event,
    EventKind,
    GateEvent,
    Listener,
    SettingsEvent,
    SettingValue,
    WireEvent,
)
from .gates import TIES, spec
from .input_sets import InputSets
from .names import gate_called, label_problem
from .parts import (
    MAX_ID,
    NAME_RE,
    Gate,
    GraphDicts,
    NodeData,
    Settings,
    Verdict,
    Wire,
    check_name,
    clean_params,
    finite,
    position,
)

if TYPE_CHECKING:
    from .plan import Plan


class Circuit:
    """A DAG of gates. Every change goes through a method that checks it and emits an event."""

    def __init__(self, title: str = "", description: str = "") -> None:
        self.graph = nx.MultiDiGraph()
        self.settings = Settings(title=title, description=description)
        self._input_sets = InputSets()
        self._listeners: list[Listener] = []
        self._next = 1
        self._seq = 0
        self._names: dict[str, str] = {}  # display name -> gate id, for every gate
        self.structure_version = 0  # gates, wires, kinds, params, labels, output, tie
        self.cache: dict[Hashable, Plan] = {}  # the engine's plans; cleared on structure change
        self.notes: list[str] = []  # what was changed in making it (a file's clashing names)
        self.suffixes: dict[str, int] = {}  # label -> the next x_N names.free_name tries

    # ---------------------------------------------------------------- reading
    def __len__(self) -> int:
        return len(self.graph)

    def __contains__(self, gate_id: str) -> bool:
        return gate_id in self.graph

    def gate(self, gate_id: str) -> Gate:
        try:
            gate: Gate = self.graph.nodes[gate_id]["gate"]
        except KeyError:
            raise UnknownGateError(f"there is no gate {gate_id!r}") from None
        return gate

    @property
    def gates(self) -> list[Gate]:
        """All gates, in creation order (undo puts a gate back in its old place)."""
        data: list[NodeData] = list(self.graph._node.values())
        if any(a["seq"] > b["seq"] for a, b in itertools.pairwise(data)):
            data.sort(key=lambda d: d["seq"])
        return [d["gate"] for d in data]

    @property
    def wires(self) -> list[Wire]:
        return sorted(Wire(u, v, k) for u, v, k in self.graph.edges(keys=True))

    def inputs(self) -> list[Gate]:
        return [g for g in self.gates if g.kind == "input"]

    def input_values(self) -> dict[str, float]:
        return {g.label: g.value for g in self.inputs() if g.value is not None}

    def wire_into(self, target: str, port: int) -> Wire | None:
        for u, _, k in self.graph.in_edges(target, keys=True):
            if k == port:
                return Wire(u, target, k)
        return None

    def wires_into(self, target: str) -> list[Wire]:
        return sorted(
            (Wire(u, target, k) for u, _, k in self.graph.in_edges(target, keys=True)),
            key=lambda w: w.port,
        )

    def wires_from(self, source: str) -> list[Wire]:
        return sorted(Wire(source, v, k) for _, v, k in self.graph.out_edges(source, keys=True))

    def find(self, name: str) -> str:
        """The id of the gate called ``name``: its display name (see .names), or its id."""
        return gate_called(self, name)

    def named(self, name: str) -> str | None:
        """The id of the gate whose display name is ``name``, if there is one."""
        return self._names.get(name)

    def _owner(self, name: str) -> Gate | None:
        gid = self._names.get(name)
        return None if gid is None else self.gate(gid)

    def input_named(self, name: str) -> Gate | None:
        gate = self._owner(name)
        return gate if gate is not None and gate.kind == "input" else None

    def dicts(self) -> GraphDicts:
        """The graph's adjacency as plain dicts (no copy): the compiler's fast read path."""
        g = self.graph
        return GraphDicts(g._node, g._pred, g._succ)

    def seq(self, gate_id: str) -> int:
        """The gate's place in creation order."""
        seq: int = self.graph.nodes[gate_id]["seq"]
        return seq

    def missing_inputs(self) -> list[str]:
        """Empty input ports of operation gates, as 'input 2 of g' phrases (wiring.missing)."""
        return wiring.missing(self.graph)

    def topological_order(self) -> list[str]:
        """Gate ids in an order where every gate comes after its inputs; among gates free to go
        in either order, the one added first comes first (so code keeps its line order)."""
        nodes, pred, succ = self.graph._node, self.graph._pred, self.graph._succ
        seq = {n: d["seq"] for n, d in nodes.items()}
        if all(seq[u] < seq[v] for v, srcs in pred.items() for u in srcs):
            # creation order is already topological (the usual case). Nodes are stored in
            # insertion order, which differs from creation order once undo puts a gate back.
            order = list(nodes)
            if any(seq[a] > seq[b] for a, b in itertools.pairwise(order)):
                order.sort(key=seq.__getitem__)
            return order
        indegree = {n: len(pred[n]) for n in nodes}
        ready = [(seq[n], n) for n, d in indegree.items() if d == 0]
        heapq.heapify(ready)
        order = []
        while ready:
            _, n = heapq.heappop(ready)
            order.append(n)
            for m in succ[n]:
                indegree[m] -= 1
                if indegree[m] == 0:
                    heapq.heappush(ready, (seq[m], m))
        if len(order) != len(nodes):  # the model never lets this happen; a guard all the same
            cycle = [u for u, _, _ in nx.find_cycle(self.graph)]
            raise CycleError("the circuit has a loop: " + " \u2192 ".join(cycle), cycle)
        return order

    def sinks(self) -> list[str]:
        return [n for n, out in self.graph._succ.items() if not out]

    def resolve_output(self) -> str:
        """The output gate's id: the chosen one, else the only operation gate nothing reads."""
        out = self.settings.output
        if out is not None:
            return out
        if not len(self):
            raise OutputError("the circuit is empty: add an input and a gate")
        ops = [n for n in self.sinks() if not self.gate(n).spec.is_leaf]
        cands = ops or self.sinks()
        if len(cands) == 1:
            return cands[0]
        names = ", ".join(self.gate(n).name for n in cands)
        raise OutputError(
            f"it is not clear which gate is the output: {names} all end the "
            "circuit; choose one as the output or wire them together"
        )

    def resolve_target(self) -> str:
        return self.settings.target if self.settings.target is not None else self.resolve_output()

    # ---------------------------------------------------------------- events
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _emit(self, event: Event, structural: bool = False) -> None:
        if structural:
            self.structure_version += 1
            self.cache.clear()
        for listener in list(self._listeners):
            listener(event)

    # ---------------------------------------------------------------- gates
    def new_id(self) -> str:
        """A fresh id for a gate about to be added (never handed out twice)."""
        gid = self.free_ids(1)[0]
        self._next = int(gid[1:]) + 1
        return gid

    def free_ids(self, count: int) -> list[str]:
        """The next ``count`` ids that no gate has, without handing them out: for a command
        that must name its gates before it runs (paste)."""
        out: list[str] = []
        n = self._next
        while len(out) < count:
            if f"n{n}" not in self.graph and f"n{n}" not in self._names:
                out.append(f"n{n}")
            n += 1
        return out

    def add_gate(
        self,
        kind: str,
        *,
        id: str | None = None,
        label: str = "",
        params: Mapping[str, float] | None = None,
        value: float | None = None,
        pos: tuple[float, float] = (0.0, 0.0),
        seq: int | None = None,
    ) -> Gate:
        """Add a gate (``seq``: its place in creation order, when undo puts a gate back)."""
        s = spec(kind)
        gid = id if id is not None else self.new_id()
        if not isinstance(gid, str) or not gid or len(gid) > MAX_ID:
            raise PortError(f"a gate id must be text of 1 to {MAX_ID} characters")
        if gid in self.graph:
            raise PortError(f"there is already a gate with id {gid!r}")
        if gid in self._names:
            raise NameTakenError(f"{gid!r} is already the name of a gate: it cannot be an id")
        self._check_label(gid, kind, label)
        if s.is_leaf:
            value = finite(0.0 if value is None else value, f"the value of {label or gid}")
        elif value is not None:
            raise PortError(f"a {s.name} gate computes its value; it cannot be set")
        gate = Gate(
            gid,
            kind,
            label,
            clean_params(kind, params),
            value,
            position(pos),
        )
        if seq is None:
            self._seq += 1
            seq = self._seq
        else:
            self._seq = max(self._seq, seq)
        if gate.name in self._names:  # a generated name a label from a file took first
            raise NameTakenError(f"{gate.name!r} is already the name of another gate")
        self.graph.add_node(gid, gate=gate, seq=seq)
        self._names[gate.name] = gid
        self._emit(GateEvent(EventKind.GATE_ADDED, None, gate), structural=True)
        return gate

    def remove_gate(self, gate_id: str) -> tuple[Gate, list[Wire]]:
        """Remove a gate and its wires (wire-removed events first). Returns both, for undo."""
        gate = self.gate(gate_id)
        wires = self.wires_into(gate_id) + self.wires_from(gate_id)
        for w in wires:
            self.disconnect(w.target, w.port)
        self.graph.remove_node(gate_id)
        del self._names[gate.name]
        if self.settings.output == gate_id:
            self.settings.output = None
        if self.settings.target == gate_id:
            self.settings.target = None
        self._emit(GateEvent(EventKind.GATE_REMOVED, gate, None), structural=True)
        return gate, wires

    def _replace(
        self, new: Gate, structural: bool, kind: EventKind = EventKind.GATE_CHANGED
    ) -> Gate:
        old = self.gate(new.id)
        if old == new:
            return old
        self.graph.nodes[new.id]["gate"] = new
        self._emit(GateEvent(kind, old, new), structural)
        return new

    def set_label(self, gate_id: str, label: str) -> Gate:
        g = self.gate(gate_id)
        self._check_label(gate_id, g.kind, label)
        new = replace(g, label=label)
        del self._names[g.name]
        self._names[new.name] = gate_id
        return self._replace(new, True)

    def _check_label(self, gate_id: str, kind: str, label: str) -> None:
        """Refuse a label that is no variable name, or that would give two gates one name."""
        if not label:
            if kind == "input":
                raise NameClashError("an input needs a name")
            return
        check_name(label)
        why = label_problem(label, gate_id, kind, self._owner, self.graph.__contains__)
        if why:
            raise NameTakenError(why)

    def set_value(self, gate_id: str, value: float) -> Gate:
        g = self.gate(gate_id)
        if not g.spec.is_leaf:
            raise PortError(f"{g.name} is a {g.spec.name} gate: its value is computed")
        return self._replace(replace(g, value=finite(value, f"the value of {g.name}")), False)

    def set_params(self, gate_id: str, params: Mapping[str, float]) -> Gate:
        g = self.gate(gate_id)
        merged = {**g.param, **params}
        return self._replace(replace(g, params=clean_params(g.kind, merged)), True)

    def move(self, gate_id: str, pos: tuple[float, float]) -> Gate:
        g = self.gate(gate_id)
        pos = position(pos)
        return self._replace(replace(g, pos=pos), False, EventKind.GATE_MOVED)

    # ---------------------------------------------------------------- wires
    def can_connect(
        self, source: str, target: str, port: int, *, replace_existing: bool = True
    ) -> Verdict:
        """Whether a wire from ``source``'s output to ``target``'s input ``port`` is legal.

        With ``replace_existing`` an occupied port is legal: the wire would replace the old one,
        and the cycle check treats the old wire as gone."""
        return wiring.verdict(self, source, target, port, replace_existing=replace_existing)

    def legal_targets(self, source: str) -> list[tuple[str, int]]:
        """Every (gate, port) a wire from ``source`` may go to, an occupied port included (the
        wire would replace the old one): the same answers as :meth:`can_connect`, in one sweep
        for highlighting while a wire is dragged."""
        return wiring.legal_targets(self, source)

    def connect(
        self, source: str, target: str, port: int, *, replace_existing: bool = False
    ) -> Wire:
        verdict = self.can_connect(source, target, port, replace_existing=replace_existing)
        if not verdict:
            if verdict.problem == "cycle":
                raise CycleError(verdict.reason, list(verdict.cycle))
            if verdict.problem == "missing":
                raise UnknownGateError(verdict.reason)
            raise PortError(verdict.reason)
        if verdict.replaces is not None:
            self.disconnect(target, port)
        self.graph.add_edge(source, target, key=port)
        wire = Wire(source, target, port)
        self._emit(WireEvent(EventKind.WIRE_ADDED, None, wire), structural=True)
        return wire

    def connect_all(self, wires: Sequence[Wire]) -> None:
        """Add many wires at once: see :func:`.wiring.add_all`."""
        wiring.add_all(self, self.graph, wires)
        for w in wires:
            self._emit(WireEvent(EventKind.WIRE_ADDED, None, w), structural=True)

    def disconnect(self, target: str, port: int) -> Wire:
        wire = self.wire_into(target, port)
        if wire is None:
            raise PortError(f"input {port + 1} of {self.gate(target).name} has no wire")
        self.graph.remove_edge(wire.source, target, key=port)
        self._emit(WireEvent(EventKind.WIRE_REMOVED, wire, None), structural=True)
        return wire

    # ---------------------------------------------------------------- settings
    def set_setting(self, key: str, value: str | None) -> None:
        old = getattr(self.settings, key)
        if key == "tie" and value not in TIES:
            raise SettingError(f"the tie policy must be one of {', '.join(TIES)}, not {value!r}")
        if key in ("output", "target") and value is not None:
            self.gate(value)
        if key in ("title", "description") and not isinstance(value, str):
            raise SettingError(f"the {key} must be text")
        if old == value:
            return
        setattr(self.settings, key, value)
        self._emit(SettingsEvent(key, old, value), key in ("tie", "output", "target"))

    @property
    def input_sets(self) -> Mapping[str, Mapping[str, float]]:
        """Named input values (read-only: change them with set_input_set)."""
        return self._input_sets.view()

    def input_set_values(self, name: str) -> dict[str, float]:
        """The values the named input set gives this circuit: those of the inputs it names that
        the circuit has (the others keep theirs). An unknown set is refused."""
        values = self._input_sets.named(name)
        return {label: x for label, x in values.items() if self.input_named(label) is not None}

    def set_input_set(self, name: str, values: Mapping[str, float] | None) -> None:
        """Create or replace the named input set (``None`` deletes it)."""
        old = self._input_sets.get(name)
        if self._input_sets.put(name, values):
            self._emit(SettingsEvent("input_sets", old, values))

    def move_input_set(self, name: str, index: int) -> None:
        """Put the named input set at ``index`` in their order (undo keeps places)."""
        self._input_sets.move(name, index)
        self._emit(SettingsEvent("input_sets", None, None))

    def rename_input_set(self, old: str, new: str) -> None:
        self._input_sets.rename(old, new)
        self._emit(SettingsEvent("input_sets", old, new))

    # ---------------------------------------------------------------- whole document
    def copy(self) -> Circuit:
        other = Circuit()
        other.settings = replace(self.settings)
        other._input_sets = self._input_sets.copy()
        for g in self.gates:
            other.add_gate(
                g.kind,
                id=g.id,
                label=g.label,
                params=g.param,
                value=g.value,
                pos=g.pos,
                seq=self.seq(g.id),
            )
        for w in self.wires:
            other.graph.add_edge(w.source, w.target, key=w.port)
        other._next = self._next
        return other

    def document(self) -> dict[str, object]:
        """Everything that makes up the document, as plain data: equal documents, equal dicts."""
        return {
            "settings": self.settings,
            "input_sets": self._input_sets.as_dict(),
            "gates": sorted(self.gates, key=lambda g: g.id),
            "wires": self.wires,
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Circuit):
            return NotImplemented
        return self.document() == other.document()

    __hash__ = object.__hash__  # identity: a circuit is a mutable document

    def __repr__(self) -> str:
        return (
            f"<Circuit {self.settings.title!r}: {len(self)} gates, "
            f"{self.graph.number_of_edges()} wires>"
        )

    def __iter__(self) -> Iterator[Gate]:
        return iter(self.gates)
