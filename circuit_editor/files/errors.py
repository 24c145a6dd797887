"""The one error a circuit file can cause (where the problem is, and what it is), and small
helpers the reader and the writer share."""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z_0-9]{0,39}\Z")
MAX_REASON = 400


class FileFormatError(ValueError):
    """A file that is not a circuit this version can open.

    ``path`` names the place in the document (``gates[3].kind``), or is empty when the problem
    is the file as a whole or its JSON syntax; then ``line`` and ``column`` may say where.
    ``reason`` is the message without the place."""

    def __init__(
        self, reason: str, path: str = "", line: int | None = None, column: int | None = None
    ):
        if len(reason) > MAX_REASON:  # a message quoting a huge name from the file
            reason = reason[: MAX_REASON // 2] + " ... " + reason[-MAX_REASON // 2 :]
        self.reason = reason
        self.path = path
        self.line = line
        self.column = column
        if path:
            where = path
        elif line is not None:
            where = f"line {line}" + (f", column {column}" if column is not None else "")
        else:
            where = ""
        super().__init__(f"{where}: {reason}" if where else reason)


def key_path(path: str, key: str) -> str:
    """``path`` followed by an object key: ``gates[0].kind``, ``input_sets["my set"]``."""
    if _PLAIN_KEY.match(key):
        return f"{path}.{key}" if path else key
    return f"{path}[{short(key)}]"


def describe(x: object) -> str:
    """What a value read from JSON is, in a few words (never its whole text)."""
    if x is None:
        return "null"
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, (int, float)):
        return f"the number {x!r}" if len(repr(x)) < 30 else "a long number"
    if isinstance(x, str):
        return f"the text {short(x)}"
    if isinstance(x, list):
        return "a list [...]"
    if isinstance(x, dict):
        return "an object {...}"
    text = getattr(x, "text", "?")  # a marker for NaN, Infinity, a too long number
    return str(text)[:20]


def a(noun: str) -> str:
    """``noun`` with "a" or "an" before it."""
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def short(text: str, limit: int = 40) -> str:
    """A string quoted as JSON writes it, cut short if it is long."""
    if len(text) > limit:
        return json.dumps(text[:limit], ensure_ascii=False)[:-1] + '..."'
    return json.dumps(text, ensure_ascii=False)


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a big document is built: it would otherwise
    scan the ever larger heap again and again, for nothing (nothing built here is garbage)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
