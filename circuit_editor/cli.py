"""The command line.

    circuit-editor [FILE]                   the app (on FILE, or on the worksheet's example)
    circuit-editor eval FILE|--code CODE    values and gradients, as a table or --json
    circuit-editor code FILE                the circuit as a Python file that runs on its own
    circuit-editor check FILE...            validate files: exit 0 all valid, 1 some not, 2 usage
    circuit-editor export FILE -o OUT       the canvas as PNG, SVG or PDF (no display needed)
    circuit-editor examples                 the bundled examples, each usable as example:NAME

Wherever a FILE goes, ``example:NAME`` names a bundled example (``example:4d``). ``eval``,
``code``, ``check`` and ``examples`` never import Qt. Every error is one line on stderr and a
non-zero exit code (2 for a usage error), never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__
from .core.export import STYLES

if TYPE_CHECKING:
    from .core.circuit import Circuit

COMMANDS = ("eval", "code", "check", "export", "examples")
EXAMPLE = "example:"
USAGE = "%(prog)s [FILE]\n       %(prog)s COMMAND [OPTIONS]"


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse, with every usage error on one line (not the usage and the error on five)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {' '.join(message.split())}\n")


def _add_inputs_and_target(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an input's value (repeatable)",
    )
    p.add_argument("--input-set", metavar="NAME", help="use one of the file's input sets")
    p.add_argument("--target", metavar="NAME", help="the gate differentiated (default: output)")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="circuit-editor",
        usage=USAGE,
        description="Build computational circuits and watch backpropagation flow through them. "
        "With no COMMAND, open the app on FILE (or on the worksheet's example). Wherever a "
        "FILE goes, example:NAME names a bundled example.",
        epilog="Run 'circuit-editor COMMAND --help' for a command's options.",
    )
    p.add_argument("--version", action="version", version=f"circuit-editor {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", prog="circuit-editor")
    e = sub.add_parser("eval", help="print every value and gradient")
    e.add_argument("file", nargs="?", type=Path, help="a .circuit file")
    e.add_argument(
        "--code",
        help="a circuit written as code instead of a file: the code itself, a .py file that "
        "holds it, or - to read it from standard input",
    )
    _add_inputs_and_target(e)
    e.add_argument("--wrt", metavar="NAME", help="also d gate / d NAME for every gate")
    e.add_argument("--tie", choices=("both", "split", "first"), help="max/min tie policy")
    e.add_argument("--json", action="store_true", help="print JSON")
    c = sub.add_parser(
        "code", help="print the circuit as a Python file: inputs, forward and backward pass"
    )
    c.add_argument("file", type=Path)
    _add_inputs_and_target(c)
    c.add_argument(
        "--style",
        choices=STYLES,
        default="python",
        help="python: plain floats (default); numpy: a batch of the current values and "
        "every input set",
    )
    k = sub.add_parser("check", help="validate circuit files")
    k.add_argument("files", nargs="+", type=Path)
    x = sub.add_parser("export", help="draw the canvas to a PNG, SVG or PDF file")
    x.add_argument("file", type=Path)
    x.add_argument("-o", "--output", type=Path, required=True, help="OUT.png, OUT.svg or OUT.pdf")
    x.add_argument("--input-set", metavar="NAME")
    x.add_argument("--scale", type=float, default=2.0, help="pixels per unit for PNG (2)")
    x.add_argument("--theme", default="light", help="light, dark, colorblind, contrast, cs231n")
    x.add_argument(
        "--steps",
        action="store_true",
        help="a PDF step deck: a title page, then one page per step of both passes",
    )
    sub.add_parser("examples", help="list the bundled examples (open one as example:NAME)")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _never_fail_to_print()
    if not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-")):
        return _open_app(argv)
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return 0
    commands = {
        "eval": cmd_eval,
        "code": cmd_code,
        "check": cmd_check,
        "export": cmd_export,
        "examples": cmd_examples,
    }
    try:
        return commands[args.command](args)
    except UsageError as e:
        print(f"circuit-editor {args.command}: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (| head): stop quietly, as other tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (ValueError, KeyError, OSError) as e:
        print(f"circuit-editor {args.command}: {_one_line(e)}", file=sys.stderr)
        return 1


def _open_app(argv: list[str]) -> int:
    """The app, on the one FILE given (or on none); a word that cannot be meant as a file (no
    such file, no path separator, no .circuit suffix) is a usage error, not a file dialog."""
    try:
        if len(argv) > 1:
            raise UsageError("give one file to open")
        path = _file(Path(argv[0])) if argv else None
        word = argv[0] if argv else ""
        if path is not None and not word.startswith(EXAMPLE) and not _may_be_a_file(word):
            raise UsageError(
                f"{word!r} is neither a command ({', '.join(COMMANDS)}) nor a file; "
                "run 'circuit-editor --help'"
            )
    except UsageError as e:
        print(f"circuit-editor: error: {e}", file=sys.stderr)
        return 2
    from .gui.app import run_app

    return run_app(path)


def _may_be_a_file(word: str) -> bool:
    seps = [s for s in (os.sep, os.altsep) if s]
    return Path(word).exists() or any(s in word for s in seps) or word.endswith(".circuit")


def _never_fail_to_print() -> None:
    """A character the terminal cannot show (a file name's stray byte, a title in another
    script) is printed as an escape, never raised as an error halfway through the output."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _one_line(e: Exception) -> str:
    if isinstance(e, OSError) and e.strerror:
        return f"{e.filename or ''}: {e.strerror}".lstrip(": ")
    text = str(e.args[0]) if isinstance(e, KeyError) and e.args else str(e)
    return " ".join(text.split())


def examples() -> dict[str, Path]:
    """The bundled examples by short name: ``4d`` for ``4d-staged-function.circuit``."""
    from . import resources

    return {p.stem.split("-")[0]: p for p in resources.examples()}


def _file(path: Path) -> Path:
    """``path``, or the bundled example an ``example:NAME`` names (short name or file stem)."""
    text = str(path)
    if not text.startswith(EXAMPLE):
        return path
    name = text[len(EXAMPLE) :]
    known = examples()
    found = known.get(name) or next((p for p in known.values() if p.stem == name), None)
    if found is None:
        raise UsageError(
            f"there is no example called {name!r} (examples: {', '.join(known)}; "
            "run 'circuit-editor examples')"
        )
    return found


def _load(path: Path):
    from . import files

    circuit = files.load(_file(path))
    for note in circuit.notes:  # an old file's clashing names, renamed
        print(f"note: {note}", file=sys.stderr)
    return circuit


def _circuit(args):
    from .core.parse import read_code

    if args.code is not None and args.file is not None:
        raise UsageError("give a FILE or --code, not both")
    if args.code is not None:
        imported = read_code(_code_text(args.code))
        for note in imported.notes:  # what the reader left out, on stderr beside the numbers
            print(f"circuit-editor {args.command}: note: {note}", file=sys.stderr)
        return imported.circuit
    if args.file is None:
        raise UsageError("give a FILE or --code")
    return _load(args.file)


def _code_text(value: str) -> str:
    """--code's code: the text given, or the text of the .py file it names, or standard
    input for ``-`` (read no further than the reader's limit: it refuses longer code)."""
    from .core.codesize import MAX_CHARS
    from .files.disk import open_regular

    if value == "-":
        return sys.stdin.read(MAX_CHARS + 1)
    if "\n" in value or not value.endswith(".py") or not os.path.exists(value):
        return value
    with open_regular(value) as f:
        data = f.read(4 * MAX_CHARS + 1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UsageError(f"{value} is not UTF-8 text (byte {e.start + 1})") from None


def _inputs(circuit: Circuit, args: argparse.Namespace) -> dict[str, float]:
    """The input values to evaluate with: an --input-set's, then each --set."""
    values = {}
    if getattr(args, "input_set", None):
        values.update(circuit.input_set_values(args.input_set))
    for item in getattr(args, "set", []):
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--set takes NAME=VALUE, not {item!r}")
        try:
            x = float(text)
        except ValueError:
            raise UsageError(f"--set {name.strip()}: {text!r} is not a number") from None
        if not math.isfinite(x):
            raise UsageError(f"--set {name.strip()}: the value must be a finite number")
        values[name.strip()] = x
    return values


def _json_number(x):
    return x if math.isfinite(x) else None


def cmd_eval(args) -> int:
    from .core.engine import evaluate

    circuit = _circuit(args)
    r = evaluate(circuit, _inputs(circuit, args), target=args.target, tie=args.tie)
    forward = r.derivative_wrt(args.wrt) if args.wrt else None
    names = list(r.value)
    if args.json:
        nonfinite = sorted(
            {n for n in names if not (math.isfinite(r.value[n]) and math.isfinite(r.grad[n]))}
            | ({n for n in names if not math.isfinite(forward[n])} if forward else set())
        )
        out = {
            "output": _json_number(r.output),
            "values": {n: _json_number(r.value[n]) for n in names},
            "grads": {n: _json_number(r.grad[n]) for n in names},
        }
        if forward is not None:
            out["forward"] = {n: _json_number(forward[n]) for n in names}
        if nonfinite or not math.isfinite(r.output):
            out["nonfinite"] = nonfinite
        print(json.dumps(out, indent=2, allow_nan=False))
        return 0
    target = circuit.gate(r.target_id).name
    head = ["name", "value", f"d{target}/dname"] + ([f"dname/d{args.wrt}"] if forward else [])
    rows = [
        [n, f"{r.value[n]:.10g}", f"{r.grad[n]:.10g}"] + ([f"{forward[n]:.10g}"] if forward else [])
        for n in names
    ]
    widths = [max(len(row[i]) for row in rows + [head]) for i in range(len(head))]
    for row in [head, *rows]:  # names to the left; numbers, and their headers, to the right
        print(
            "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths)))
        )
    print(f"\noutput {circuit.gate(r.output_id).name} = {r.output:.10g}")
    for line in r.explain_problems():
        print(f"note: {line}")
    return 0


def cmd_code(args) -> int:
    from .core.export import to_code

    print(to_code(_load_with_inputs(args), target=args.target, style=args.style), end="")
    return 0


def cmd_check(args) -> int:
    from . import files

    bad = 0
    for path in args.files:
        try:
            c = _load(path)
        except UsageError as e:
            print(f"{path}: cannot read: {e}")
            bad += 1
        except files.FileFormatError as e:
            print(f"{path}: invalid: {_one_line(e)}")
            bad += 1
        except OSError as e:
            print(f"{path}: cannot read: {e.strerror or e}")
            bad += 1
        else:
            print(f"{path}: ok ({len(c)} gates, {len(c.wires)} wires)")
    return 1 if bad else 0


def cmd_examples(args) -> int:
    from . import files

    known = examples()
    width = max(len(EXAMPLE + name) for name in known)
    for name, path in known.items():
        print(f"{(EXAMPLE + name).ljust(width)}  {files.load(path).settings.title}")
    return 0


def _load_with_inputs(args) -> Circuit:
    """The FILE, its inputs set as ``--input-set`` and then each ``--set`` say."""
    from .core.errors import UnknownGateError

    circuit = _load(args.file)
    for name, x in _inputs(circuit, args).items():
        g = circuit.input_named(name)
        if g is None:
            raise UnknownGateError(f"there is no input called {name!r}")
        circuit.set_value(g.id, x)
    return circuit


def cmd_export(args) -> int:
    circuit = _load_with_inputs(args)
    if args.steps:
        if args.output.suffix.lower() != ".pdf":
            raise UsageError("a step deck is a PDF: give -o NAME.pdf")
        from .gui.deck import write_deck

        pages = write_deck(circuit, args.output, theme=args.theme)
        print(f"wrote {args.output} ({pages} pages)")
        return 0
    from .gui.offscreen import export_file

    export_file(circuit, args.output, scale=args.scale, theme=args.theme)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
