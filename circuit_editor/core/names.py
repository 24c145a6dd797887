"""Every gate's one display name: its label, or a short generated one (``mul3``, ``exp7``).

The one home of the names people see: the canvas, the inspector, the Explanation, the step
deck, status messages, the code export, ``eval`` and a result's ``value``/``grad`` all read
them from here, and every place that takes a name takes the gate's id as well.

A generated name is worked out from the gate's id and kind alone: the kind and the number of
the id (gate ``n7``, a multiply, is ``mul7``). Ids never change (not by editing other gates,
not by undo, not by saving and loading), so neither do these names; a count in topological
order would renumber gates whenever one is added before them. Names stay unique because the
circuit refuses a label that is another gate's name or id, or that has the form kept for
generated names (a kind and digits, ``mul12``).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from .errors import UnknownGateError
from .gates import GATES

if TYPE_CHECKING:
    from .circuit import Circuit
    from .parts import Gate

STEMS = {kind: kind for kind in GATES if kind != "input"}  # inputs always have a label
_APP_ID = re.compile(r"n([0-9]+)\Z")  # the ids the app hands out
_PLAIN_ID = re.compile(r"[A-Za-z_][A-Za-z_0-9]*\Z")
GENERATED = re.compile("(?:" + "|".join(sorted(STEMS, key=len, reverse=True)) + r")[0-9]+\Z")
"""The form of the names generated for gates the app made; no label may take it."""


def generated_name(gate_id: str, kind: str) -> str:
    """The name of a gate without a label: ``mul7`` for gate ``n7``; for an id written by hand
    in a file, the kind and the id (``mul_q``), or a short fingerprint of an id that is not a
    word."""
    stem = STEMS.get(kind, kind)
    m = _APP_ID.match(gate_id)
    if m:
        return stem + m.group(1)
    if _PLAIN_ID.match(gate_id):
        return f"{stem}_{gate_id}"
    return f"{stem}_{zlib.crc32(gate_id.encode('utf-8', 'surrogatepass')):08x}"


def display_names(circuit: Circuit) -> dict[str, str]:
    """Gate id -> display name, for every gate; no two gates share a name."""
    return {g.id: g.name for g in circuit.gates}


def label_problem(
    label: str,
    gate_id: str,
    kind: str,
    owner: Callable[[str], Gate | None],
    is_gate_id: Callable[[str], bool],
) -> str:
    """Why gate ``gate_id`` (of ``kind``) cannot be called ``label``, or "" when it can.
    ``owner(name)``: the gate that has that name now; ``is_gate_id(text)``: whether some gate
    has that id. (Whether it is a valid variable name is checked apart.)"""
    other = owner(label)
    if other is not None and other.id != gate_id:
        if other.kind == "input":
            return f"there is already an input called {label!r}"
        return f"{label!r} is already the name of a {other.spec.name} gate: names must differ"
    if label != gate_id and is_gate_id(label):
        return f"{label!r} is the id of another gate: choose another name"
    if GENERATED.match(label) and label != generated_name(gate_id, kind):
        return (
            f"{label!r} has the form of the names given to gates without one "
            "(mul3, exp7): choose another name"
        )
    return ""


def free_variant(
    label: str, taken: Callable[[str], bool], memo: dict[str, int] | None = None
) -> str:
    """``label`` with the first suffix ``_2``, ``_3``, ... that gives a name not ``taken``
    (before an index: ``w_2[0]``). With ``memo``, the search starts where the last one for
    ``label`` ended and notes where this one did: linear over many, not quadratic."""
    stem, bracket, index = label.partition("[")
    n = memo.get(label, 2) if memo is not None else 2
    while taken(f"{stem}_{n}{bracket}{index}"):
        n += 1
    if memo is not None:
        memo[label] = n + 1
    return f"{stem}_{n}{bracket}{index}"


def free_name(circuit: Circuit, label: str, also_taken: Collection[str] = ()) -> str:
    """``label`` if no gate has it as its name or id (nor ``also_taken``), else its first free
    variant ``label_2``, ``label_3``...: for a gate that arrives with a name already in use
    (a pasted copy, an old file)."""

    def taken(name: str) -> bool:
        return circuit.named(name) is not None or name in circuit or name in also_taken

    if not (taken(label) or GENERATED.match(label)):
        return label
    return free_variant(label, taken, circuit.suffixes)


def gate_called(circuit: Circuit, name: str) -> str:
    """The id of the gate whose display name or id is ``name`` (names first)."""
    gid = circuit.named(name)
    if gid is not None:
        return gid
    if name in circuit:
        return name
    raise UnknownGateError(f"there is no gate or input called {name!r}")
