"""Undoable edits. Every change the editor makes is one of these, run forwards by ``redo`` and
backwards by ``undo``; the Qt layer wraps them for ``QUndoStack``. A command checks everything
before its first change, so a refused command leaves the circuit as it was."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from .circuit import Circuit, Gate, Wire
from .names import free_name

T = TypeVar("T")


class Command(ABC):
    @property
    def text(self) -> str:
        """What the edit is called in the Edit menu ("undo <text>")."""
        return "edit"

    @property
    def empty(self) -> bool:
        """Whether its run changed nothing (then it is no undo step)."""
        return False

    @abstractmethod
    def redo(self, c: Circuit) -> None: ...

    @abstractmethod
    def undo(self, c: Circuit) -> None: ...

    def merge(self, other: Command) -> bool:
        """Absorb ``other`` (a later edit of the same thing, e.g. a slider drag)."""
        return False


def _ran(x: T | None) -> T:
    """What a command's first ``redo`` recorded for its ``undo``."""
    if x is None:
        raise RuntimeError("a command is undone before it ran")
    return x


@dataclass
class AddGate(Command):
    kind: str
    label: str = ""
    params: Mapping[str, float] | None = None
    value: float | None = None
    pos: tuple[float, float] = (0.0, 0.0)
    id: str | None = None  # fixed at the first redo, so redo brings back the same id
    seq: int | None = None

    @property
    def text(self) -> str:
        return f"add {self.label or self.kind}"

    def redo(self, c: Circuit) -> None:
        if self.id is None:
            self.id = c.new_id()
        g = c.add_gate(
            self.kind,
            id=self.id,
            label=self.label,
            params=self.params,
            value=self.value,
            pos=self.pos,
            seq=self.seq,
        )
        self.seq = c.seq(g.id)

    def undo(self, c: Circuit) -> None:
        c.remove_gate(_ran(self.id))


@dataclass
class RemoveGates(Command):
    """Delete gates with every wire touching them; undo restores gates, wires and settings."""

    ids: list[str]
    _gates: list[tuple[Gate, int]] = field(default_factory=list)
    _wires: list[Wire] = field(default_factory=list)
    _settings: dict[str, str | None] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return f"delete {len(self.ids)} gate{'s' if len(self.ids) != 1 else ''}"

    def redo(self, c: Circuit) -> None:
        for gid in self.ids:
            c.gate(gid)
        self._gates = [(c.gate(gid), c.seq(gid)) for gid in self.ids]
        wires = {w for gid in self.ids for w in c.wires_into(gid) + c.wires_from(gid)}
        self._wires = sorted(wires)
        self._settings = {
            k: getattr(c.settings, k)
            for k in ("output", "target")
            if getattr(c.settings, k) in self.ids
        }
        for gid in self.ids:
            c.remove_gate(gid)

    def undo(self, c: Circuit) -> None:
        for g, seq in sorted(self._gates, key=lambda p: p[1]):
            c.add_gate(
                g.kind, id=g.id, label=g.label, params=g.param, value=g.value, pos=g.pos, seq=seq
            )
        for w in self._wires:
            c.connect(w.source, w.target, w.port)
        for k, v in self._settings.items():
            c.set_setting(k, v)


@dataclass
class Connect(Command):
    """A wire; an occupied port has its old wire replaced (and given back on undo)."""

    source: str
    target: str
    port: int
    _replaced: Wire | None = None

    @property
    def text(self) -> str:
        return "connect"

    def redo(self, c: Circuit) -> None:
        self._replaced = c.wire_into(self.target, self.port)
        c.connect(self.source, self.target, self.port, replace_existing=True)

    def undo(self, c: Circuit) -> None:
        c.disconnect(self.target, self.port)
        if self._replaced is not None:
            c.connect(self._replaced.source, self.target, self.port)


@dataclass
class Disconnect(Command):
    target: str
    port: int
    _wire: Wire | None = None

    @property
    def text(self) -> str:
        return "disconnect"

    def redo(self, c: Circuit) -> None:
        self._wire = c.disconnect(self.target, self.port)

    def undo(self, c: Circuit) -> None:
        c.connect(_ran(self._wire).source, self.target, self.port)


@dataclass
class SetValue(Command):
    id: str
    value: float
    _old: float | None = None  # the value before the first of merged edits

    @property
    def text(self) -> str:
        return "change value"

    def redo(self, c: Circuit) -> None:
        old = c.gate(self.id).value
        c.set_value(self.id, self.value)
        if self._old is None:
            self._old = old

    def undo(self, c: Circuit) -> None:
        c.set_value(self.id, _ran(self._old))

    def merge(self, other: Command) -> bool:
        if isinstance(other, SetValue) and other.id == self.id:
            self.value = other.value
            return True
        return False


@dataclass
class SetLabel(Command):
    id: str
    label: str
    _old: str = ""

    @property
    def text(self) -> str:
        return "rename"

    def redo(self, c: Circuit) -> None:
        self._old = c.gate(self.id).label
        c.set_label(self.id, self.label)

    def undo(self, c: Circuit) -> None:
        c.set_label(self.id, self._old)


@dataclass
class SetParams(Command):
    id: str
    params: Mapping[str, float]
    _old: dict[str, float] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "change constant"

    def redo(self, c: Circuit) -> None:
        self._old = c.gate(self.id).param
        c.set_params(self.id, self.params)

    def undo(self, c: Circuit) -> None:
        c.set_params(self.id, self._old)


@dataclass
class Move(Command):
    """Gates moved, as one step however long the drag: ``moves`` maps id -> (old, new)."""

    moves: dict[str, tuple[tuple[float, float], tuple[float, float]]]
    text: str = "move"  # "tidy layout" for a whole new layout

    def redo(self, c: Circuit) -> None:
        for gid, (_, new) in self.moves.items():
            c.move(gid, new)

    def undo(self, c: Circuit) -> None:
        for gid, (old, _) in self.moves.items():
            c.move(gid, old)


@dataclass
class SetSetting(Command):
    key: str  # a field of Settings
    value: str | None
    _old: str | None = None

    @property
    def text(self) -> str:
        return "change setting"

    def redo(self, c: Circuit) -> None:
        self._old = getattr(c.settings, self.key)
        c.set_setting(self.key, self.value)

    def undo(self, c: Circuit) -> None:
        c.set_setting(self.key, self._old)


@dataclass
class SetInputSet(Command):
    """Create, replace (``values``) or delete (``None``) a named input set."""

    name: str
    values: Mapping[str, float] | None
    _old: dict[str, float] | None = None
    _index: int = -1

    @property
    def text(self) -> str:
        return "edit input set"

    def redo(self, c: Circuit) -> None:
        names = list(c.input_sets)
        old = c.input_sets.get(self.name)
        self._old = None if old is None else dict(old)
        self._index = names.index(self.name) if self.name in names else -1
        c.set_input_set(self.name, self.values)

    def undo(self, c: Circuit) -> None:
        c.set_input_set(self.name, self._old)
        if self._old is not None and self._index >= 0:  # back in its old place
            c.move_input_set(self.name, self._index)


@dataclass
class RenameInputSet(Command):
    old: str
    new: str

    @property
    def text(self) -> str:
        return "rename input set"

    def redo(self, c: Circuit) -> None:
        c.rename_input_set(self.old, self.new)

    def undo(self, c: Circuit) -> None:
        c.rename_input_set(self.new, self.old)


@dataclass
class ApplyInputSet(Command):
    """Set the inputs to the named input set's values (those it gives: see
    ``Circuit.input_set_values``; the others keep theirs), as one step. An unknown set is
    refused, and a refused apply changes nothing."""

    name: str
    _old: dict[str, float] = field(default_factory=dict)  # gate id -> value, of those it set

    @property
    def text(self) -> str:
        return f"apply input set {self.name}"

    @property
    def empty(self) -> bool:
        return not self._old

    def redo(self, c: Circuit) -> None:
        self._old = {}
        try:
            for label, x in c.input_set_values(self.name).items():
                g = c.input_named(label)
                if g is not None and g.value is not None and g.value != x:
                    c.set_value(g.id, x)
                    self._old[g.id] = g.value
        except Exception:
            self.undo(c)  # all or nothing
            raise

    def undo(self, c: Circuit) -> None:
        for gid, x in self._old.items():
            c.set_value(gid, x)


@dataclass
class Macro(Command):
    """Several commands as one undo step (paste, duplicate, tidy layout, build from code)."""

    label: str
    commands: Sequence[Command]

    @property
    def text(self) -> str:
        return self.label

    def redo(self, c: Circuit) -> None:
        done: list[Command] = []
        try:
            for cmd in self.commands:
                cmd.redo(c)
                done.append(cmd)
        except Exception:
            for cmd in reversed(done):  # all or nothing
                cmd.undo(c)
            raise

    def undo(self, c: Circuit) -> None:
        for cmd in reversed(self.commands):
            cmd.undo(c)


def paste(
    c: Circuit, gates: list[Gate], wires: list[Wire], offset: tuple[float, float] = (40.0, 40.0)
) -> Macro:
    """The command that adds copies of ``gates`` (new ids, inputs renamed where taken) and the
    ``wires`` among them."""
    new_ids: dict[str, str] = {}
    taken = {g.label for g in c.inputs()}
    labels: set[str] = set()  # the names the copies take
    cmds: list[Command] = []
    for g, new_id in zip(gates, c.free_ids(len(gates))):
        label = g.label
        if g.kind == "input":
            label = unique_name(label, taken)
            taken.add(label)
        if label:  # every name is one gate's: a copy of q is q_2
            label = free_name(c, label, labels)
            labels.add(label)
        new_ids[g.id] = new_id
        cmds.append(
            AddGate(
                g.kind,
                label,
                g.param or None,
                g.value,
                (g.pos[0] + offset[0], g.pos[1] + offset[1]),
                id=new_ids[g.id],
            )
        )
    for w in wires:
        if w.source in new_ids and w.target in new_ids:
            cmds.append(Connect(new_ids[w.source], new_ids[w.target], w.port))
    return Macro(f"paste {len(gates)} gate{'s' if len(gates) != 1 else ''}", cmds)


def unique_name(base: str, taken: set[str]) -> str:
    """``base`` if free, else the first free of ``base2``, ``base3``... (digits and an index
    are dropped first: a second ``x1`` is ``x2``, a second ``w[0]`` is ``w2``)."""
    if base not in taken:
        return base
    stem = base.split("[")[0].rstrip("0123456789") or "x"
    n = 2
    while f"{stem}{n}" in taken:
        n += 1
    return f"{stem}{n}"


INPUT_NAMES = ["x", "y", "z", "w", "u", "v", "a", "b"]


def next_input_name(c: Circuit) -> str:
    """A fresh input name: x, y, z, then w0, w1, ..."""
    taken = {g.label for g in c.inputs()}
    for name in INPUT_NAMES[:3]:
        if name not in taken:
            return name
    n = 0
    while f"w{n}" in taken:
        n += 1
    return f"w{n}"
