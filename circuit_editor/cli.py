"""The command line.

    circuit-editor [FILE]                   the app (on FILE, or on the worksheet's example)
    circuit-editor eval FILE|--code CODE    values and gradients, as a table or --json
    circuit-editor code FILE                the worksheet-style forward and backward code
    circuit-editor check FILE...            validate files: exit 0 all valid, 1 some not, 2 usage
    circuit-editor export FILE -o OUT       the canvas as PNG, SVG or PDF (no display needed)

``eval``, ``code`` and ``check`` never import Qt. Every error is one line on stderr and a
non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__

if TYPE_CHECKING:
    from .core.circuit import Circuit

COMMANDS = ("eval", "code", "check", "export")


class UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="circuit-editor",
        description="Build computational circuits and watch backpropagation flow through them.",
        epilog="Run 'circuit-editor COMMAND --help' for a command's options.",
    )
    p.add_argument("--version", action="version", version=f"circuit-editor {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    e = sub.add_parser("eval", help="print every value and gradient")
    e.add_argument("file", nargs="?", type=Path, help="a .circuit file")
    e.add_argument("--code", help="a circuit written as code instead of a file")
    e.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an input's value (repeatable)",
    )
    e.add_argument("--input-set", metavar="NAME", help="use one of the file's input sets")
    e.add_argument("--target", metavar="NAME", help="the gate differentiated (default: output)")
    e.add_argument("--wrt", metavar="NAME", help="also d gate / d NAME for every gate")
    e.add_argument("--tie", choices=("both", "split", "first"), help="max/min tie policy")
    e.add_argument("--json", action="store_true", help="print JSON")
    c = sub.add_parser("code", help="print the circuit as forward- and backward-pass code")
    c.add_argument("file", type=Path)
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
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-")):
        if len(argv) > 1:
            print("circuit-editor: error: give one file to open", file=sys.stderr)
            return 2
        from .gui.app import run_app

        return run_app(Path(argv[0]) if argv else None)
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return 0
    try:
        return {"eval": cmd_eval, "code": cmd_code, "check": cmd_check, "export": cmd_export}[
            args.command
        ](args)
    except UsageError as e:
        print(f"circuit-editor {args.command}: error: {e}", file=sys.stderr)
        return 2
    except (ValueError, KeyError, OSError) as e:
        print(f"circuit-editor {args.command}: {_one_line(e)}", file=sys.stderr)
        return 1


def _one_line(e: Exception) -> str:
    if isinstance(e, OSError) and e.strerror:
        return f"{e.filename or ''}: {e.strerror}".lstrip(": ")
    text = str(e.args[0]) if isinstance(e, KeyError) and e.args else str(e)
    return " ".join(text.split())


def _load(path: Path):
    from . import files

    circuit = files.load(path)
    for note in circuit.notes:  # an old file's clashing names, renamed
        print(f"note: {note}", file=sys.stderr)
    return circuit


def _circuit(args):
    from .core.parse import from_code

    if args.code is not None and args.file is not None:
        raise UsageError("give a FILE or --code, not both")
    if args.code is not None:
        return from_code(args.code)
    if args.file is None:
        raise UsageError("give a FILE or --code")
    return _load(args.file)


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
    print("  ".join(h.ljust(w) for h, w in zip(head, widths)).rstrip())
    for row in rows:
        print(
            "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths)))
        )
    print(f"\noutput {circuit.gate(r.output_id).name} = {r.output:.10g}")
    for line in r.explain_problems():
        print(f"note: {line}")
    return 0


def cmd_code(args) -> int:
    from .core.export import to_code

    print(to_code(_load(args.file)), end="")
    return 0


def cmd_check(args) -> int:
    from . import files

    bad = 0
    for path in args.files:
        try:
            c = files.load(path)
        except files.FileFormatError as e:
            print(f"{path}: invalid: {_one_line(e)}")
            bad += 1
        except OSError as e:
            print(f"{path}: cannot read: {e.strerror or e}")
            bad += 1
        else:
            print(f"{path}: ok ({len(c)} gates, {len(c.wires)} wires)")
    return 1 if bad else 0


def cmd_export(args) -> int:
    circuit = _load(args.file)
    inputs = _inputs(circuit, args)
    for name, x in inputs.items():
        g = circuit.input_named(name)
        if g is not None:
            circuit.set_value(g.id, x)
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
