"""Name -> number views over a result's lists."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from .numerics import Number, as_number


class Values(Mapping[str, Number]):
    """A read-only view ``name -> number`` over one of a result's lists (indexed by slot).

    In a batch every number comes out with the batch's shape, also where it does not vary.
    ``aliases``: other keys it also answers to (gate ids beside names), never listed."""

    def __init__(
        self,
        keys: Mapping[str, int],
        data: Sequence[Number],
        shape: tuple[int, ...],
        aliases: Mapping[str, int] | None = None,
    ):
        self._keys, self._data, self._shape = keys, data, shape
        self._aliases: Mapping[str, int] = aliases or {}

    def __getitem__(self, name: str) -> Number:
        at = self._keys.get(name)
        if at is None:
            at = self._aliases[name]
        return self.at(at)

    def at(self, slot: int) -> Number:
        """The number in ``slot`` (a gate's place in the plan), as ``self[name]`` gives it."""
        x = self._data[slot]
        if self._shape and np.shape(x) != self._shape:
            return as_number(x, self._shape)
        return x

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{k!r}: {self[k]!r}" for k in self) + "}"
