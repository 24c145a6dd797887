"""A circuit's input sets: named values for its inputs ("worksheet": x = -2, y = 5, z = -4), in
the order the author gave them. Checked on the way in, read-only on the way out; the circuit
announces every change (see ``Circuit.set_input_set``)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .errors import InputSetError, UnknownInputSetError
from .parts import finite


class InputSets:
    def __init__(self) -> None:
        self._sets: dict[str, dict[str, float]] = {}

    def view(self) -> Mapping[str, Mapping[str, float]]:
        """Every set, read-only."""
        return MappingProxyType({k: MappingProxyType(v) for k, v in self._sets.items()})

    def get(self, name: str) -> dict[str, float] | None:
        return self._sets.get(name)

    def named(self, name: str) -> Mapping[str, float]:
        """The named set's values; an unknown name is refused, naming the sets there are."""
        values = self._sets.get(name)
        if values is None:
            known = ", ".join(self._sets) or "none"
            raise UnknownInputSetError(f"there is no input set called {name!r} (known: {known})")
        return MappingProxyType(values)

    def put(self, name: str, values: Mapping[str, float] | None) -> bool:
        """Create or replace the named set (``None`` deletes it). Whether anything changed."""
        if not isinstance(name, str) or not name.strip():
            raise InputSetError("an input set needs a name")
        if values is None:
            return self._sets.pop(name, None) is not None
        clean = {}
        for k, x in values.items():
            if not isinstance(k, str):
                raise InputSetError(f"input set {name!r}: {k!r} is not an input name")
            clean[k] = finite(x, f"{k} in input set {name!r}")
        if self._sets.get(name) == clean:
            return False
        self._sets[name] = clean
        return True

    def move(self, name: str, index: int) -> None:
        """Put the named set at ``index`` in their order."""
        items = [(k, v) for k, v in self._sets.items() if k != name]
        items.insert(index, (name, self._sets[name]))
        self._sets = dict(items)

    def rename(self, old: str, new: str) -> None:
        self.named(old)
        if new in self._sets and new != old:
            raise InputSetError(f"there is already an input set called {new!r}")
        if not new.strip():
            raise InputSetError("an input set needs a name")
        self._sets = {(new if k == old else k): v for k, v in self._sets.items()}

    def copy(self) -> InputSets:
        other = InputSets()
        other._sets = self.as_dict()
        return other

    def as_dict(self) -> dict[str, dict[str, float]]:
        """Every set, as plain data (a copy)."""
        return {k: dict(v) for k, v in self._sets.items()}
