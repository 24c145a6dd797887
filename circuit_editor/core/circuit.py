"""The circuit: the document the app edits, kept in a networkx MultiDiGraph.

Nodes are gate ids (stable strings) carrying a :class:`Gate`; an edge ``(source, target, port)``
is a wire from the source's output to input ``port`` of the target (the edge key is the port,
so ``x * x`` is two edges between the same nodes). The model enforces its own rules and says
why it refuses; views follow it through events and never change it behind its back.
"""

from __future__ import annotations

import heapq
import itertools
import math
import numbers
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any, NamedTuple

import networkx as nx

from .errors import CycleError, NameClashError, OutputError, PortError, UnknownGateError
from .gates import GATES, TIES, spec

MAX_ID = 200
NAME_RE = re.compile(r"[A-Za-z_][A-Za-z_0-9]*(\[[0-9]+\])?\Z")


def check_name(name: str) -> None:
    if not NAME_RE.match(name):
        raise NameClashError(
            f"{name!r} is not a valid name: use letters, digits and _, not starting with a digit "
            "(an index such as w[0] is allowed)"
        )


@dataclass(frozen=True)
class Gate:
    """One gate of the document. Frozen: a change replaces it (events carry old and new)."""

    id: str
    kind: str
    label: str = ""
    params: tuple[tuple[str, float], ...] = ()
    value: float | None = None  # inputs and constants only
    pos: tuple[float, float] = (0.0, 0.0)

    @property
    def spec(self):
        return GATES[self.kind]

    @property
    def param(self) -> dict[str, float]:
        return dict(self.params)

    @property
    def c(self) -> float | None:
        """The built-in constant of a +c, *c or **c gate."""
        for key, x in self.params:
            if key == "c":
                return x
        return None

    @property
    def name(self) -> str:
        """How results and messages refer to it: its label, or its id when it has none."""
        return self.label or self.id

    @property
    def symbol(self) -> str:
        return self.spec.symbol_for(self.param)


class GraphDicts(NamedTuple):
    """networkx's own adjacency dicts, without a copy, for loops that run on every compile:
    read them, never write them (the circuit's methods are the only writers)."""

    nodes: Mapping[str, Mapping[str, Any]]  # gate id -> {"gate": Gate, "seq": int}
    pred: Mapping[str, Mapping[str, Mapping[int, Any]]]  # target -> source -> port -> {}
    succ: Mapping[str, Mapping[str, Mapping[int, Any]]]  # source -> target -> port -> {}


class Wire(NamedTuple):
    source: str
    target: str
    port: int


@dataclass(frozen=True)
class Event:
    """``kind`` is one of: gate-added, gate-removed, gate-changed, gate-moved, wire-added,
    wire-removed, settings-changed. ``old``/``new`` are Gates, Wires or setting values."""

    kind: str
    old: object = None
    new: object = None
    key: str = ""


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""
    replaces: Wire | None = None
    problem: str = ""  # "missing", "port", "occupied", "same", "cycle"
    cycle: tuple[str, ...] = ()  # gate ids around the loop the wire would close

    def __bool__(self) -> bool:
        return self.ok


def _clean_params(kind: str, params: dict | None) -> tuple[tuple[str, float], ...]:
    s = spec(kind)
    merged = dict(s.defaults)
    for key, val in (params or {}).items():
        if key not in s.params:
            raise PortError(f"a {s.name} gate has no parameter {key!r}")
        merged[key] = _finite(val, f"parameter {key}")
    return tuple(sorted(merged.items()))


def _finite(value, what: str) -> float:
    if isinstance(value, (bool, str, bytes)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{what} must be a number, not {value!r}")
    x = float(value)
    if not math.isfinite(x):
        raise ValueError(f"{what} must be a finite number, not {value!r}")
    return x


@dataclass
class Settings:
    title: str = ""
    description: str = ""
    tie: str = "both"
    output: str | None = None  # gate id; None: the only gate nothing reads from
    target: str | None = None  # gate id differentiated; None: the output


class Circuit:
    """A DAG of gates. Every change goes through a method that checks it and emits an event."""

    def __init__(self, title: str = "", description: str = ""):
        self.graph = nx.MultiDiGraph()
        self.settings = Settings(title=title, description=description)
        self._input_sets: dict[str, dict[str, float]] = {}
        self._listeners: list[Callable[[Event], None]] = []
        self._next = 1
        self._seq = 0
        self._input_ids: dict[str, str] = {}  # input name -> gate id
        self.structure_version = 0  # gates, wires, kinds, params, labels, output, tie
        self.values_version = 0  # input and constant values
        self.cache: dict = {}  # the engine's compiled plans; cleared on structure change

    # ---------------------------------------------------------------- reading
    def __len__(self) -> int:
        return self.graph.number_of_nodes()

    def __contains__(self, gate_id: str) -> bool:
        return gate_id in self.graph

    def gate(self, gate_id: str) -> Gate:
        try:
            return self.graph.nodes[gate_id]["gate"]
        except KeyError:
            raise UnknownGateError(f"there is no gate {gate_id!r}") from None

    @property
    def gates(self) -> list[Gate]:
        """All gates, in creation order (undo puts a gate back in its old place)."""
        data = list(self.graph._node.values())
        if any(a["seq"] > b["seq"] for a, b in itertools.pairwise(data)):
            data.sort(key=lambda d: d["seq"])
        return [d["gate"] for d in data]

    @property
    def wires(self) -> list[Wire]:
        return sorted(Wire(u, v, k) for u, v, k in self.graph.edges(keys=True))

    def inputs(self) -> list[Gate]:
        return [g for g in self.gates if g.kind == "input"]

    def input_values(self) -> dict[str, float]:
        return {g.label: g.value for g in self.inputs()}

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
        """The id of the gate called ``name`` (an id, or a label; the last gate bound to it)."""
        if name in self.graph:
            return name
        found = [g.id for g in self.gates if g.label == name]
        if not found:
            raise UnknownGateError(f"there is no gate or input called {name!r}")
        if len(found) == 1:
            return found[0]
        order = {gid: i for i, gid in enumerate(self.topological_order())}
        return max(found, key=order.__getitem__)

    def input_named(self, name: str) -> Gate | None:
        gid = self._input_ids.get(name)
        return None if gid is None else self.gate(gid)

    def dicts(self) -> GraphDicts:
        """The graph's adjacency as plain dicts (no copy): the compiler's fast read path."""
        g = self.graph
        return GraphDicts(g._node, g._pred, g._succ)

    def seq(self, gate_id: str) -> int:
        """The gate's place in creation order."""
        return self.graph.nodes[gate_id]["seq"]

    def missing_inputs(self) -> list[str]:
        """Empty input ports of operation gates, as 'input 2 of g' phrases."""
        out = []
        pred, nodes = self.graph._pred, self.graph._node  # plain dicts: this runs per compile
        for gid, data in nodes.items():
            arity = data["gate"].spec.arity
            if arity:
                taken = {k for keys in pred[gid].values() for k in keys}
                if len(taken) < arity:
                    name = data["gate"].name
                    out += [f"input {p + 1} of {name}" for p in range(arity) if p not in taken]
        return out

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
    def subscribe(self, listener: Callable[[Event], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _emit(self, event: Event, structural: bool) -> None:
        if structural:
            self.structure_version += 1
            self.cache.clear()
        else:
            self.values_version += 1
        for listener in list(self._listeners):
            listener(event)

    # ---------------------------------------------------------------- gates
    def new_id(self) -> str:
        while f"n{self._next}" in self.graph:
            self._next += 1
        gid = f"n{self._next}"
        self._next += 1
        return gid

    def add_gate(
        self,
        kind: str,
        *,
        id: str | None = None,
        label: str = "",
        params: dict | None = None,
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
        if label:
            check_name(label)
        if kind == "input":
            if not label:
                raise NameClashError("an input needs a name")
            if label in self._input_ids:
                raise NameClashError(f"there is already an input called {label!r}")
        if s.is_leaf:
            value = _finite(0.0 if value is None else value, f"the value of {label or gid}")
        elif value is not None:
            raise PortError(f"a {s.name} gate computes its value; it cannot be set")
        gate = Gate(
            gid,
            kind,
            label,
            _clean_params(kind, params),
            value,
            (_finite(pos[0], "x"), _finite(pos[1], "y")),
        )
        if seq is None:
            self._seq += 1
            seq = self._seq
        else:
            self._seq = max(self._seq, seq)
        self.graph.add_node(gid, gate=gate, seq=seq)
        if kind == "input":
            self._input_ids[label] = gid
        self._emit(Event("gate-added", None, gate), True)
        return gate

    def remove_gate(self, gate_id: str) -> tuple[Gate, list[Wire]]:
        """Remove a gate and its wires (wire-removed events first). Returns both, for undo."""
        gate = self.gate(gate_id)
        wires = self.wires_into(gate_id) + self.wires_from(gate_id)
        for w in wires:
            self.disconnect(w.target, w.port)
        self.graph.remove_node(gate_id)
        if gate.kind == "input":
            del self._input_ids[gate.label]
        if self.settings.output == gate_id:
            self.settings.output = None
        if self.settings.target == gate_id:
            self.settings.target = None
        self._emit(Event("gate-removed", gate, None), True)
        return gate, wires

    def _replace(self, new: Gate, structural: bool, kind: str = "gate-changed") -> Gate:
        old = self.gate(new.id)
        if old == new:
            return old
        self.graph.nodes[new.id]["gate"] = new
        self._emit(Event(kind, old, new), structural)
        return new

    def set_label(self, gate_id: str, label: str) -> Gate:
        g = self.gate(gate_id)
        if label:
            check_name(label)
        if g.kind == "input":
            if not label:
                raise NameClashError("an input needs a name")
            other = self.input_named(label)
            if other is not None and other.id != gate_id:
                raise NameClashError(f"there is already an input called {label!r}")
            del self._input_ids[g.label]
            self._input_ids[label] = gate_id
        return self._replace(replace(g, label=label), True)

    def set_value(self, gate_id: str, value: float) -> Gate:
        g = self.gate(gate_id)
        if not g.spec.is_leaf:
            raise PortError(f"{g.name} is a {g.spec.name} gate: its value is computed")
        return self._replace(replace(g, value=_finite(value, f"the value of {g.name}")), False)

    def set_params(self, gate_id: str, params: dict) -> Gate:
        g = self.gate(gate_id)
        merged = {**g.param, **params}
        return self._replace(replace(g, params=_clean_params(g.kind, merged)), True)

    def move(self, gate_id: str, pos: tuple[float, float]) -> Gate:
        g = self.gate(gate_id)
        pos = (_finite(pos[0], "x"), _finite(pos[1], "y"))
        old = self.gate(gate_id)
        if old.pos == pos:
            return old
        new = replace(g, pos=pos)
        self.graph.nodes[gate_id]["gate"] = new
        for listener in list(self._listeners):  # positions change neither structure nor values
            listener(Event("gate-moved", old, new))
        return new

    # ---------------------------------------------------------------- wires
    def can_connect(
        self, source: str, target: str, port: int, *, replace_existing: bool = True
    ) -> Verdict:
        """Whether a wire from ``source``'s output to ``target``'s input ``port`` is legal.

        With ``replace_existing`` an occupied port is legal: the wire would replace the old one,
        and the cycle check treats the old wire as gone."""
        for gid in (source, target):
            if gid not in self.graph:
                return Verdict(False, f"there is no gate {gid!r}", problem="missing")
        t = self.gate(target)
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
        old = self.wire_into(target, port)
        if old is not None and not replace_existing:
            return Verdict(
                False, f"input {port + 1} of {t.name} already has a wire", problem="occupied"
            )
        if old is not None and old.source == source:
            return Verdict(False, "that wire is already there", problem="same")
        if source == target or (
            self.graph._succ[target]  # no readers: no loop
            and nx.has_path(self.graph, target, source)
        ):
            path = [source] if source == target else nx.shortest_path(self.graph, target, source)
            names = " \u2192 ".join(self.gate(n).name for n in path + [target])
            return Verdict(
                False,
                f"this wire would make a loop ({names}); a circuit must flow "
                "one way, from inputs to output",
                problem="cycle",
                cycle=tuple(path + [target]),
            )
        return Verdict(True, "", old)

    def legal_targets(self, source: str) -> list[tuple[str, int]]:
        """Every (gate, port) a wire from ``source`` may go to, an occupied port included (the
        wire would replace the old one): the same answers as :meth:`can_connect`, in one sweep
        for highlighting while a wire is dragged."""
        blocked = nx.ancestors(self.graph, source) | {source}
        out = []
        for gid, data in self.graph._node.items():
            if gid in blocked:
                continue
            arity = data["gate"].spec.arity
            for port in range(arity):
                old = self.wire_into(gid, port)
                if old is None or old.source != source:
                    out.append((gid, port))
        return out

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
        self._emit(Event("wire-added", None, wire), True)
        return wire

    def disconnect(self, target: str, port: int) -> Wire:
        wire = self.wire_into(target, port)
        if wire is None:
            raise PortError(f"input {port + 1} of {self.gate(target).name} has no wire")
        self.graph.remove_edge(wire.source, target, key=port)
        self._emit(Event("wire-removed", wire, None), True)
        return wire

    # ---------------------------------------------------------------- settings
    def set_setting(self, key: str, value) -> None:
        old = getattr(self.settings, key)
        if key == "tie" and value not in TIES:
            raise ValueError(f"the tie policy must be one of {', '.join(TIES)}, not {value!r}")
        if key in ("output", "target") and value is not None:
            self.gate(value)
        if key in ("title", "description") and not isinstance(value, str):
            raise ValueError(f"the {key} must be text")
        if old == value:
            return
        setattr(self.settings, key, value)
        self._emit(Event("settings-changed", old, value, key), key in ("tie", "output", "target"))

    def set_input_set(self, name: str, values: dict[str, float] | None) -> None:
        """Create or replace the named input set (``None`` deletes it)."""
        if not isinstance(name, str) or not name.strip():
            raise ValueError("an input set needs a name")
        old = self._input_sets.get(name)
        if values is None:
            if name not in self._input_sets:
                return
            del self._input_sets[name]
        else:
            clean = {}
            for k, x in values.items():
                if not isinstance(k, str):
                    raise ValueError(f"input set {name!r}: {k!r} is not an input name")
                clean[k] = _finite(x, f"{k} in input set {name!r}")
            if old == clean:
                return
            self._input_sets[name] = clean
        self._emit(Event("settings-changed", old, values, "input_sets"), False)

    def move_input_set(self, name: str, index: int) -> None:
        """Put the named input set at ``index`` in their order (undo keeps places)."""
        items = [(k, v) for k, v in self._input_sets.items() if k != name]
        items.insert(index, (name, self._input_sets[name]))
        self._input_sets = dict(items)
        self._emit(Event("settings-changed", None, None, "input_sets"), False)

    @property
    def input_sets(self) -> Mapping[str, Mapping[str, float]]:
        """Named input values (read-only: change them with set_input_set)."""
        return MappingProxyType({k: MappingProxyType(v) for k, v in self._input_sets.items()})

    def rename_input_set(self, old: str, new: str) -> None:
        if old not in self.input_sets:
            raise ValueError(f"there is no input set called {old!r}")
        if new in self.input_sets and new != old:
            raise ValueError(f"there is already an input set called {new!r}")
        if not new.strip():
            raise ValueError("an input set needs a name")
        self._input_sets = {(new if k == old else k): v for k, v in self._input_sets.items()}
        self._emit(Event("settings-changed", old, new, "input_sets"), False)

    def apply_input_set(self, name: str) -> None:
        """Set the inputs to the named set's values (inputs it does not name keep theirs)."""
        for label, x in self._input_sets[name].items():
            g = self.input_named(label)
            if g is not None:
                self.set_value(g.id, x)

    # ---------------------------------------------------------------- whole document
    def copy(self) -> Circuit:
        other = Circuit()
        other.settings = replace(self.settings)
        other._input_sets = {k: dict(v) for k, v in self._input_sets.items()}
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

    def document(self) -> dict:
        """Everything that makes up the document, as plain data: equal documents, equal dicts."""
        return {
            "settings": self.settings,
            "input_sets": self._input_sets,
            "gates": sorted(self.gates, key=lambda g: g.id),
            "wires": self.wires,
        }

    def __eq__(self, other) -> bool:
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
