"""Reading JSON text from a file nobody vouches for.

``parse`` turns bytes or text into plain JSON data, or raises :class:`FileFormatError`. It refuses
what ``json.loads`` would otherwise accept or choke on: a file over the size cap, bytes that are
not UTF-8, nesting so deep it would exhaust the stack, and numbers that are too long to convert
cheaply. Things JSON allows but a circuit never holds (NaN, Infinity, a key given twice, a
number beyond the float range) come back as markers that the reader reports with their path.
"""

from __future__ import annotations

import json
import math

from .errors import FileFormatError

MAX_FILE_BYTES = 40_000_000
"""The largest file read. A saved 100,000-gate circuit takes about a quarter of it."""

MAX_NUMBER_CHARS = 100
"""The longest number literal read; a float written with repr never needs more than 24."""

_BOM = "\ufeff"


class Bad:
    """A value in the file that no circuit can hold; ``reason`` says why, in words."""

    __slots__ = ("reason", "text")

    def __init__(self, text: str, reason: str):
        self.text = text
        self.reason = reason

    def __repr__(self) -> str:
        return f"Bad({self.text[:20]!r})"


class Duplicated(dict[str, object]):
    """An object in which some key appears more than once (the last value is kept)."""

    duplicate: str = ""


def _pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    seen = set()
    for key, _ in pairs:
        if key in seen:
            break
        seen.add(key)
    marked = Duplicated(obj)
    marked.duplicate = key
    return marked


def _constant(name: str) -> Bad:
    return Bad(name, f"{name} is not a number a circuit can hold; write a finite number")


def _too_long(text: str) -> Bad:
    return Bad(
        text,
        f"the number {text[:12]}... is {len(text)} characters long; "
        f"a number may have at most {MAX_NUMBER_CHARS}",
    )


def _int(text: str) -> int | Bad:
    if len(text) > MAX_NUMBER_CHARS:
        return _too_long(text)
    return int(text)


def _float(text: str) -> float | Bad:
    if len(text) > MAX_NUMBER_CHARS:
        return _too_long(text)
    x = float(text)
    if not math.isfinite(x):
        return Bad(
            text, f"the number {text} is too large: numbers must lie between -1.7e308 and 1.7e308"
        )
    return x


def too_big(size: int) -> FileFormatError:
    return FileFormatError(
        f"the file is {size / 1e6:.1f} MB, but a circuit file may be at most "
        f"{MAX_FILE_BYTES / 1e6:.0f} MB; it is probably not a circuit file"
    )


def decode(data: bytes) -> str:
    """UTF-8 bytes to text (a leading byte-order mark is allowed), or a located error."""
    if len(data) > MAX_FILE_BYTES:
        raise too_big(len(data))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        before = data[: e.start]
        line = before.count(b"\n") + 1
        start = before.rfind(b"\n") + 1
        column = len(before[start:].decode("utf-8", "replace")) + 1
        raise FileFormatError(
            f"the file is not UTF-8 text (byte 0x{data[e.start]:02x} cannot be read); "
            "it is probably not a circuit file, or it is damaged",
            line=line,
            column=column,
        ) from None
    return text[1:] if text.startswith(_BOM) else text


# json's messages, said plainly; the key is how its message starts.
_SYNTAX = {
    "Expecting value": "a value (text, a number, a list or an object) was expected here",
    "Expecting property name enclosed in double quotes": (
        "a key in double quotes was expected here (is there a comma too many?)"
    ),
    "Expecting ':' delimiter": "a colon ':' was expected here, between a key and its value",
    "Expecting ',' delimiter": "a comma ',' (or a closing bracket) was expected here",
    "Unterminated string": (
        'this text in quotes never ends: a closing " is missing, or the file is cut off'
    ),
    "Invalid control character": "text in quotes cannot contain a line break or tab as such",
    "Invalid \\escape": "this backslash escape is not valid JSON",
    "Invalid \\u": "this \\u escape is not valid JSON",
    "Extra data": "there is more after the end of the document",
    "Illegal trailing comma": "a comma before a closing bracket is not allowed in JSON",
}


def parse(data: bytes | bytearray | memoryview | str) -> object:
    """The JSON data in ``data``, with the markers described above (plain dicts, lists, text,
    numbers, booleans and None, to be checked by whoever reads it: hence ``object``)."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        if len(data) > MAX_FILE_BYTES:
            raise too_big(len(data))
        text = decode(bytes(data))
    elif isinstance(data, str):
        if len(data) > MAX_FILE_BYTES:
            raise too_big(len(data))
        text = data[1:] if data.startswith(_BOM) else data
    else:
        raise TypeError(f"a circuit file is read from text or bytes, not {type(data).__name__}")
    if not text.strip():
        raise FileFormatError("the file is empty")
    try:
        return json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_constant=_constant,
            parse_int=_int,
            parse_float=_float,
        )
    except json.JSONDecodeError as e:
        body = text.strip()
        if not text[e.pos :].strip() and not e.msg.startswith("Extra data"):
            reason = "the file ends too early: it looks cut off (truncated)"
        else:
            reason = next((said for msg, said in _SYNTAX.items() if e.msg.startswith(msg)), e.msg)
            if body.startswith("{") and not body.endswith("}") and "cut off" not in reason:
                reason += "; the file also seems cut off, as it does not end with }"
        raise FileFormatError(
            f"this is not valid JSON: {reason}", line=e.lineno, column=e.colno
        ) from None
    except RecursionError:
        raise FileFormatError(
            "the file nests lists or objects too deeply to be a circuit file"
        ) from None
