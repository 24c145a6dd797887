"""Writes resources/examples/: every circuit of the worksheet, with its input values as input
sets. Run `python tests/tools/make_examples.py`; tests/test_examples.py checks the shipped files
are exactly what this makes."""

from __future__ import annotations

import sys
from pathlib import Path

import circuit_editor as ce
from circuit_editor import files
from circuit_editor.core.commands import ApplyInputSet

OUT = Path(__file__).resolve().parents[2] / "resources" / "examples"

EXAMPLES = [
    (
        "1a-product",
        "1(a) f(x, y) = xy",
        "f = x * y",
        {"worksheet": {"x": 1, "y": -2}},
        "The gradient on each input is the other input: at x = 1, y = -2, df/dx = y = -2 "
        "(nudging x up makes f fall twice as fast) and df/dy = x = 1.",
    ),
    (
        "1b-sum",
        "1(b) f(x, y) = x + y",
        "f = x + y",
        {"x = 1, y = -2": {"x": 1, "y": -2}},
        "Add distributes: each input gets the upstream gradient unchanged (df/dx = df/dy = 1) "
        "wherever it is evaluated. The worksheet gives no point; x = 1, y = -2 is our choice.",
    ),
    (
        "1c-max",
        "1(c) f(x, y) = max(x, y)",
        "f = max(x, y)",
        {"worksheet": {"x": 12, "y": 3}, "a tie": {"x": 4, "y": 4}},
        "Max routes the gradient to the larger input: at x = 12, y = 3, df/dx = 1 and "
        "df/dy = 0. At a tie (the second input set) max has no derivative; the circuit's tie "
        "policy decides (by default both inputs get 1, the worksheet's indicators).",
    ),
    (
        "1d-tanh",
        "1(d) tanh x = 2s(2x) - 1",
        "f = 2 * sigmoid(2 * x) - 1",
        {"x = 0.5": {"x": 0.5}, "x = -1": {"x": -1}},
        "tanh built from a sigmoid: by the chain rule the derivative is 4s'(2x) = "
        "4s(2x)(1 - s(2x)), which equals 1 - tanh(x)^2. The worksheet gives no point; "
        "x = 0.5 and x = -1 are our choice.",
    ),
    (
        "2-staged",
        "2 f(x, y, z) = (x + y)z + x",
        "g = x + y\nh = g * z\nf = h + x",
        {"worksheet": {"x": -2, "y": 5, "z": -4}, "x = 1, y = 2, z = 3": {"x": 1, "y": 2, "z": 3}},
        "Staged computation with intermediate names g = x + y, h = gz, f = h + x. x is used "
        "twice, so its gradient adds up: 1 from f = h + x, then -4 from g = x + y, so -3.",
    ),
    (
        "4abc-neuron",
        "4(a)-(c) a sigmoid neuron",
        "dot = w[0]*x[0] + w[1]*x[1] + w[2]\nf = 1.0 / (1 + math.exp(-dot))",
        {"worksheet": {"w[0]": 2, "w[1]": -3, "w[2]": -3, "x[0]": -1, "x[1]": -2}},
        "f(w, x) = 1 / (1 + e^-(w0 x0 + w1 x1 + w2)), drawn with the gates *-1, exp, +1 and 1/x. "
        "At w = [2, -3, -3], x = [-1, -2]: dot = 1, f = 0.73, and the gradients on w are "
        "[-0.2, -0.39, 0.2], on x [0.39, -0.59].",
    ),
    (
        "4d-staged-function",
        "4(d) f(x, y) = (x + s(y)) / (s(x) + (x + y)^2)",
        "sigy = 1.0 / (1 + math.exp(-y))\nnum = x + sigy\nsigx = 1.0 / (1 + math.exp(-x))\n"
        "xpy = x + y\nxpysqr = xpy**2\nden = sigx + xpysqr\ninvden = 1.0 / den\nf = num * invden",
        {"x = 3, y = -4": {"x": 3, "y": -4}, "x = -1, y = 2": {"x": -1, "y": 2}},
        "The worksheet's staged forward pass, one simple expression per line; x and y are both "
        "used twice, and their gradients accumulate. The worksheet gives no point; x = 3, y = -4 "
        "(as in the CS231n notes) and x = -1, y = 2 are our choice.",
    ),
]


def build(name: str, title: str, code: str, sets: dict, description: str) -> ce.Circuit:
    c = ce.from_code(code, title=title)
    c.settings.description = description
    for set_name, values in sets.items():
        c.set_input_set(set_name, {k: float(v) for k, v in values.items()})
    ApplyInputSet(next(iter(sets))).redo(c)
    return c


def all_examples() -> dict[str, ce.Circuit]:
    return {name: build(name, *rest) for name, *rest in EXAMPLES}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, circuit in all_examples().items():
        files.save(circuit, OUT / f"{name}.circuit")
        print(OUT / f"{name}.circuit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
