"""Where the forward pass of pasted code ends.

Worksheets and lecture notes follow the forward pass with a backward pass written by hand. The
app works out every gradient itself, so the code reader takes the forward pass only and says
where it stopped:

- at a comment below some code that names the backward pass or backprop, in any case
  (``## backward pass``, ``## backprop``, ``# perform the backward pass (backpropagation) in
  reverse order:``), or at micrograd's ``g.backward()`` or ``g.grad = 1.0``, whichever comes
  first;
- with neither, at the first assignment to a gradient's name: ``d<v>``, ``d<a>d<b>`` or
  ``d<a>d_<b>``, where ``v``, ``a`` and ``b`` are names assigned above it (``dfdz``, ``dfd_h``,
  ``ddot``, ``dx``; not ``dot`` or ``den`` unless ``ot`` or ``en`` were assigned).

The backward pass is cut off before Python's parser sees it, so it need not be valid code (the
worksheet's has ``d xpysqr = ...``).
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass

BACKWARD_COMMENT = re.compile(r"^[ \t]*#[^\n]*?(backward|backprop|back[ -]propagat)", re.I | re.M)
# a cheap look for anything the token scan could find: a name starting with d before an =
# (a gradient's name), or .backward; most forward passes have neither and skip the scan
_MAYBE = re.compile(r"\bd\w*[ \t]*[^\w\s=]{0,3}=|\.[ \t]*backward\b")
_CODE = re.compile(r"^[ \t]*[^#\s]", re.M)  # a line of code: a comment above all code is a title
_ASSIGN_OPS = frozenset(
    ["=", "+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=", "&=", "|=", "^=", ">>=", "<<="]
)
_SKIPPED = frozenset([tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT])


@dataclass(frozen=True)
class Cut:
    """The forward pass and, when code followed it, the note that says what was left out."""

    forward: str
    note: str = ""
    line: int = 0  # the first line left out (0: nothing was)


def forward_pass(text: str) -> Cut:
    """``text`` up to where its backward pass starts (see the module's docstring)."""
    comment = next(
        (m for m in BACKWARD_COMMENT.finditer(text) if _CODE.search(text, 0, m.start())), None
    )
    head = text[: comment.start()] if comment else text
    found = _first_backward_statement(head, comment is None) if _MAYBE.search(head) else None
    if found is not None:
        line, column, why = found
        offset = _offset(text, line, column)
        return Cut(text[:offset], _note(text, line, column, why), line)
    if comment is not None:
        line = text.count("\n", 0, comment.start()) + 1
        return Cut(head, _note(text, line, 0, "a comment names it there"), line)
    return Cut(text)


def is_gradient_name(name: str, assigned: set[str] | frozenset[str]) -> bool:
    """Whether ``name`` reads as a gradient: ``d<v>``, ``d<a>d<b>`` or ``d<a>d_<b>`` with
    ``v``, ``a``, ``b`` among ``assigned``."""
    if len(name) < 2 or name[0] != "d":
        return False
    rest = name[1:]
    if rest in assigned:
        return True
    for i in range(1, len(rest) - 1):
        if rest[i] == "d" and rest[:i] in assigned:
            b = rest[i + 1 :]
            if b in assigned or (b[0] == "_" and b[1:] in assigned):
                return True
    return False


def _first_backward_statement(head: str, gradient_names: bool) -> tuple[int, int, str] | None:
    """Line, column (0-based) and reason of the first statement that starts the backward pass:
    ``v.backward()``, or (with ``gradient_names``) an assignment to a gradient's name. The scan
    stops quietly where the tokenizer gives up: the parser then reports that place."""
    assigned: set[str] = set()
    words: list[str] = []  # the first tokens of the statement being read
    start = (0, 0)
    try:
        for tok in tokenize.generate_tokens(io.StringIO(head).readline):
            if tok.type == tokenize.NEWLINE or (tok.type == tokenize.OP and tok.string == ";"):
                words = []
                continue
            if tok.type in _SKIPPED or len(words) >= 4:
                continue
            if not words:
                start = tok.start
            words.append(tok.string if tok.type in (tokenize.NAME, tokenize.OP) else "")
            if len(words) == 2 and words[1] in _ASSIGN_OPS and words[0].isidentifier():
                if gradient_names and is_gradient_name(words[0], assigned):
                    return (*start, f"{words[0]} is a gradient's name")
                assigned.add(words[0])
            elif words[1:] == [".", "backward", "("] and words[0].isidentifier():
                return (*start, "micrograd's backward() starts it")
            elif words[1:3] == [".", "grad"] and len(words) == 4 and words[3] in _ASSIGN_OPS:
                return (*start, f"it sets {words[0]}.grad")
    except (tokenize.TokenError, SyntaxError):
        pass
    return None


def _offset(text: str, line: int, column: int) -> int:
    """The index in ``text`` of 1-based ``line`` and 0-based ``column``."""
    start = 0
    for _ in range(line - 1):
        start = text.index("\n", start) + 1
    return start + column


def _note(text: str, line: int, column: int, why: str) -> str:
    start = _offset(text, line, column)
    end = text.find("\n", start)
    shown = text[start : end if end >= 0 else len(text)].strip()
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return (
        f"Read the forward pass only: from line {line} ({shown}) on, the backward pass was "
        f"left out ({why}). The app works out every gradient itself."
    )
