"""What a circuit tells its listeners: after every change, one event of a typed kind with a
typed payload. A gate event carries the gate before and after, a wire event the wire, a settings
event the setting's key and its old and new values.

``EventKind`` is a ``str`` enum, so ``event.kind == "gate-added"`` keeps working."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import ClassVar, TypeAlias, TypeVar

from .parts import Gate, Wire


class EventKind(str, Enum):
    GATE_ADDED = "gate-added"
    GATE_REMOVED = "gate-removed"
    GATE_CHANGED = "gate-changed"
    GATE_MOVED = "gate-moved"
    WIRE_ADDED = "wire-added"
    WIRE_REMOVED = "wire-removed"
    SETTINGS_CHANGED = "settings-changed"

    def __str__(self) -> str:  # the plain string, in messages and f-strings alike
        return self.value


GATE_KINDS = frozenset(
    {EventKind.GATE_ADDED, EventKind.GATE_REMOVED, EventKind.GATE_CHANGED, EventKind.GATE_MOVED}
)
WIRE_KINDS = frozenset({EventKind.WIRE_ADDED, EventKind.WIRE_REMOVED})

SettingValue: TypeAlias = str | Mapping[str, float] | None
"""A setting's value: text (title, description, tie), a gate id or None (output, target); for
the input sets, a set's values or None (created, replaced, deleted), or its old and new name."""


@dataclass(frozen=True)
class GateEvent:
    """A gate added (``old`` is None), removed (``new`` is None), changed or moved."""

    kind: EventKind
    old: Gate | None
    new: Gate | None
    key: ClassVar[str] = ""  # only settings events have a key

    def __post_init__(self) -> None:
        if self.kind not in GATE_KINDS or (self.old is None and self.new is None):
            raise ValueError(f"not a gate event: {self.kind}, {self.old}, {self.new}")

    @property
    def gate(self) -> Gate:
        """The gate as it is now; for gate-removed, as it was."""
        if self.new is not None:
            return self.new
        assert self.old is not None  # __post_init__ saw to it
        return self.old


@dataclass(frozen=True)
class WireEvent:
    """A wire added (``old`` is None) or removed (``new`` is None)."""

    kind: EventKind
    old: Wire | None
    new: Wire | None
    key: ClassVar[str] = ""

    def __post_init__(self) -> None:
        if self.kind not in WIRE_KINDS or (self.old is None) == (self.new is None):
            raise ValueError(f"not a wire event: {self.kind}, {self.old}, {self.new}")

    @property
    def wire(self) -> Wire:
        """The wire added or removed."""
        if self.new is not None:
            return self.new
        assert self.old is not None  # __post_init__ saw to it
        return self.old


@dataclass(frozen=True)
class SettingsEvent:
    """A setting changed: ``key`` is a field of ``Settings``, or "input_sets"."""

    key: str
    old: SettingValue
    new: SettingValue
    kind: EventKind = field(default=EventKind.SETTINGS_CHANGED, init=False)


Event: TypeAlias = GateEvent | WireEvent | SettingsEvent
Listener: TypeAlias = Callable[[Event], None]

E = TypeVar("E", GateEvent, WireEvent, SettingsEvent)


def listener_for(payload: type[E], handler: Callable[[E], None]) -> Listener:
    """``handler`` as a listener that hears only the events of class ``payload``."""

    def listener(event: Event) -> None:
        if isinstance(event, payload):
            handler(event)

    return listener
