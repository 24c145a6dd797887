"""How much code the reader takes, and which characters, checked on the text before Python's
parser sees it. Every refusal names a line and a 1-based column.

The checks are linear in the text and refuse the same code with the same advice on every Python:
the parser itself gives up at different sizes (3.11 and 3.12 raise RecursionError near 3,000
nested operations, 3.13 near 10,000) and 3.10 reads on until its C stack breaks.
"""

from __future__ import annotations

import re

from .errors import CodeError

MAX_CHARS = 5_000_000
MAX_NESTING = 100  # brackets, on one line
MAX_OPERATIONS = 2_500  # operators, in one statement
TOO_LONG = (
    "an expression is too long or too deeply nested to read in one piece "
    f"(Python reads about {MAX_OPERATIONS:,} operations per expression); split it over "
    "several lines with intermediate names"
)


_DROP_OPERATORS = str.maketrans("", "", "+-*/%@&|^~<>")
_DROP_OPENERS = str.maketrans("", "", "([{")
_DROP_CLOSERS = str.maketrans("", "", ")]}")


def _count(text: str, drop: dict[int, int | None]) -> int:
    return len(text) - len(text.translate(drop))


_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")


def place(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of ``text[index]``."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def check_length(text: str) -> None:
    if len(text) > MAX_CHARS:
        raise CodeError(
            f"the code is {len(text):,} characters long; the limit is {MAX_CHARS:,}",
            *place(text, MAX_CHARS),
        )


def check_characters(text: str) -> None:
    """Refuse a character no source text can hold: NUL, or half of a surrogate pair (text
    decoded from broken UTF-16)."""
    bad = _NOT_TEXT.search(text)
    if bad is None:
        return
    ch = bad.group()
    what = "a NUL character" if ch == "\x00" else f"half of a character (U+{ord(ch):04X})"
    raise CodeError(
        f"this is {what}, which code cannot hold: delete it or type it again",
        *place(text, bad.start()),
    )


def check_nesting(text: str) -> None:
    """Refuse deep bracket nesting before the parser sees it (cheap and with a clear place)."""
    for n, line in enumerate(text.split("\n"), 1):
        if _count(line, _DROP_OPENERS) <= MAX_NESTING:
            continue  # too few brackets to nest that deep: no need to walk the line
        depth = 0
        for col, ch in enumerate(line.split("#", 1)[0], 1):
            if ch in "([{":
                depth += 1
                if depth > MAX_NESTING:
                    raise CodeError(
                        f"brackets are nested more than {MAX_NESTING} deep; split "
                        "the expression over several lines",
                        n,
                        col,
                    )
            elif ch in ")]}":
                depth -= 1


def check_operations(text: str) -> None:
    """Refuse a statement of more than MAX_OPERATIONS operators. Counts operator characters
    (``**`` twice: an upper bound) per statement, a statement running on while brackets are
    open or a line ends in a backslash."""
    if _count(text, _DROP_OPERATORS) <= MAX_OPERATIONS:
        return  # not even the whole text has that many
    ops = depth = 0
    start = (1, 1)
    for n, line in enumerate(text.split("\n"), 1):
        code = line.split("#", 1)[0]
        many = _count(code, _DROP_OPERATORS) > MAX_OPERATIONS
        column = 1
        for i, part in enumerate(code.split(";") if many else (code,)):
            if i and depth <= 0:  # a statement after a semicolon
                ops, start = 0, (n, column)
            ops += _count(part, _DROP_OPERATORS)
            depth += _count(part, _DROP_OPENERS) - _count(part, _DROP_CLOSERS)
            if ops > MAX_OPERATIONS:
                raise CodeError(TOO_LONG, *start)
            column += len(part) + 1
        if depth <= 0 and not code.rstrip().endswith("\\"):
            ops = depth = 0
            start = (n + 1, 1)
