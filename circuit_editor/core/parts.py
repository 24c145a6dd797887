"""The parts a circuit is made of, as values: a :class:`Gate`, a :class:`Wire`, the document's
:class:`Settings`, the :class:`Verdict` on a wire not yet drawn; and the checks every name and
number passes before the circuit takes it."""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple, TypedDict

from .errors import NameClashError, NumberError, PortError
from .gates import GATES, GateSpec, spec
from .names import generated_name

MAX_ID = 200
NAME_RE = re.compile(r"[A-Za-z_][A-Za-z_0-9]*(\[[0-9]+\])?\Z")


def check_name(name: str) -> None:
    if not NAME_RE.match(name):
        raise NameClashError(
            f"{name!r} is not a valid name: use letters, digits and _, not starting with a digit "
            "(an index such as w[0] is allowed)"
        )


MAX_COORDINATE = 100_000.0
"""How far from the origin a gate may stand, in canvas units, either way (a gate is about 50
across). The model keeps every position within it, so a file can hold every circuit; a file
that puts a gate further out is refused (drawing it would take unbounded memory)."""


def position(pos: tuple[float, float]) -> tuple[float, float]:
    """A gate's position: two finite numbers, each held within ±MAX_COORDINATE (a drag or a
    paste beyond the edge stops at it)."""
    x, y = finite(pos[0], "x"), finite(pos[1], "y")
    return (
        min(MAX_COORDINATE, max(-MAX_COORDINATE, x)),
        min(MAX_COORDINATE, max(-MAX_COORDINATE, y)),
    )


def finite(value: object, what: str) -> float:
    """``value`` as a float, refused unless it is a finite real number (not a bool or text)."""
    if isinstance(value, (bool, str, bytes)) or not isinstance(value, numbers.Real):
        raise NumberError(f"{what} must be a number, not {value!r}")
    x = float(value)
    if not math.isfinite(x):
        raise NumberError(f"{what} must be a finite number, not {value!r}")
    return x


def clean_params(kind: str, params: Mapping[str, object] | None) -> tuple[tuple[str, float], ...]:
    """A gate's parameters: its kind's defaults overridden by ``params``, each checked."""
    s = spec(kind)
    merged = dict(s.defaults)
    for key, val in (params or {}).items():
        if key not in s.params:
            raise PortError(f"a {s.name} gate has no parameter {key!r}")
        merged[key] = finite(val, f"parameter {key}")
    return tuple(sorted(merged.items()))


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
    def spec(self) -> GateSpec:
        gate_spec: GateSpec = GATES[self.kind]  # a plain lookup: compiling reads it per gate
        return gate_spec

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
        """Its one display name: its label, or the name generated from its id (see .names)."""
        return self.label or generated_name(self.id, self.kind)

    @property
    def symbol(self) -> str:
        return self.spec.symbol_for(self.param)


class Wire(NamedTuple):
    source: str
    target: str
    port: int


class NodeData(TypedDict):
    """What the graph stores on a node."""

    gate: Gate
    seq: int  # the gate's place in creation order


class GraphDicts(NamedTuple):
    """networkx's own adjacency dicts, without a copy, for loops that run on every compile:
    read them, never write them (the circuit's methods are the only writers)."""

    nodes: Mapping[str, NodeData]  # gate id -> its data
    pred: Mapping[str, Mapping[str, Mapping[int, object]]]  # target -> source -> port -> {}
    succ: Mapping[str, Mapping[str, Mapping[int, object]]]  # source -> target -> port -> {}


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""
    replaces: Wire | None = None
    problem: str = ""  # "missing", "port", "occupied", "same", "cycle"
    cycle: tuple[str, ...] = ()  # gate ids around the loop the wire would close

    def __bool__(self) -> bool:
        return self.ok


@dataclass
class Settings:
    title: str = ""
    description: str = ""
    tie: str = "both"
    output: str | None = None  # gate id; None: the only gate nothing reads from
    target: str | None = None  # gate id differentiated; None: the output
