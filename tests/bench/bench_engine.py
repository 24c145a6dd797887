"""Engine benchmark: `python tests/bench/bench_engine.py` (--quick: a smoke run; --json: one JSON
object of every measure; --sizes 10k: only the 10,000-gate circuits).

Forward + backward of a compiled circuit (``ce.evaluate`` with its plan cached) against the
practical floor in CPython: a plain Python loop over integer opcodes whose if/elif dispatch is
ordered by how often each kind occurs in that program, written by hand below (not from the
registry), run in the same process on the same instructions, the two timed alternately (median
of 5 interleaved runs: the machine is shared). For every mix of kinds (the six of the lecture;
all kinds; micrograd's add, mul, x c, relu, pow; each kind alone), at 10k and 100k gates, in
three shapes (wide: 6 layers; deep: 10 or 100 gates a layer; fan-out: 1,000 gates a layer, each
reading one of two hubs of the layer before), at one point (scalar) and on a batch of points.

A gate whose value or local gradient would leave [-1000, 1000] reads inputs instead of the
gates its shape gives it (an exp of an exp of ... overflows within six steps), so every program
stays finite; the sinks are summed by a tree of adds into the one output. Also: compiling from
a cold cache, ``ce.load`` and ``trace()`` of 100k gates, ``from_code`` of 100k statements.

Measured before choosing the engine's design (10k gates, micrograd's kinds, this machine):
straight-line Python generated per plan compiled in 430 ms and ran slower than the loop
(1.6 ms against 1.0 ms); a loop whose branches follow the plan costs under 1 ms to make.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable

import numpy as np

import circuit_editor as ce
from circuit_editor.core.engine import compile_circuit
from circuit_editor.core.interp import SCALAR_FNS

LECTURE = ("add", "mul", "max", "exp", "recip", "sigmoid")
MICROGRAD = ("add", "mul", "mulc", "relu", "pow")
OPS = tuple(k for k, s in ce.GATES.items() if not s.is_leaf)
MIXES: dict[str, tuple[str, ...]] = {"lecture": LECTURE, "all": OPS, "micrograd": MICROGRAD}
MIXES.update({k: (k,) for k in OPS})
PARAMS = {"pow": (2.0, 0.5, 3.0), "mulc": (2.0, 0.5, -1.0), "addc": (1.0, -1.0, 0.5)}
SIZES = {"10k": 10_000, "100k": 100_000}
SHAPES = ("wide", "deep", "fanout")
BATCH = 64  # points in a batch


# --------------------------------------------------------------------- the programs
def _width(shape: str, n: int) -> int:
    return {"wide": n // 6, "deep": n // 1000, "fanout": 1000}[shape]


def program(mix: tuple[str, ...], shape: str, n: int, seed: int = 0):
    """Inputs and about ``n`` gates ``(kind, c, sources)`` in layers (ids are list indices)."""
    rng = random.Random(seed)
    width = _width(shape, n)
    values = [rng.uniform(0.5, 1.5) for _ in range(width)]
    gates: list[tuple[str, float | None, tuple[int, ...]]] = [("input", None, ())] * width
    prev = list(range(width))
    while len(gates) < n + width:
        perm = prev[:]
        rng.shuffle(perm)
        cur = []
        for i in range(width):
            kind = rng.choice(mix)
            c = rng.choice(PARAMS[kind]) if kind in PARAMS else None
            fan = shape == "fanout"  # one of two hubs, or a gate of the layer before
            wanted = (prev[rng.randrange(2)], prev[i]) if fan else (prev[i], perm[i])
            fallback = (rng.randrange(width), rng.randrange(width))
            for srcs in (wanted, (wanted[0], fallback[1]), fallback):
                arity = ce.GATES[kind].arity
                x = _try(kind, c, [values[s] for s in srcs[:arity]])
                if x is not None:
                    break
            else:
                raise AssertionError(f"{kind} finds no inputs in range")
            cur.append(len(gates))
            gates.append((kind, c, srcs[:arity]))
            values.append(x)
        prev = cur
    return values[:width], gates


def _try(kind: str, c: float | None, xs: list[float]) -> float | None:
    fns = SCALAR_FNS[kind]
    x0, x1 = (xs + [0.0])[:2]
    try:
        out = fns.forward(x0, x1, c)
        local = fns.local["both"](x0, x1, out, c)
    except (ValueError, OverflowError, ZeroDivisionError):
        return None
    ok = abs(out) <= 1e3 and all(abs(d) <= 1e3 for d in local)
    return float(out) if ok else None


def build(inputs: list[float], gates) -> ce.Circuit:
    """The circuit of a program, its sinks summed by a tree of adds into one output."""
    c = ce.Circuit()
    ids: list[str] = []
    read: set[int] = set()
    for i, (kind, k, srcs) in enumerate(gates):
        if kind == "input":
            ids.append(c.add_gate("input", label=f"x{i}", value=inputs[i]).id)
            continue
        ids.append(c.add_gate(kind, params={"c": k} if k is not None else None).id)
        for port, s in enumerate(srcs):
            c.graph.add_edge(ids[s], ids[-1], key=port)  # bulk build: skip per-wire checks
            read.add(s)
    sinks = [ids[i] for i in range(len(gates)) if i not in read and gates[i][0] != "input"]
    while len(sinks) > 1:
        nxt = []
        for i in range(0, len(sinks) - 1, 2):
            g = c.add_gate("add").id
            c.graph.add_edge(sinks[i], g, key=0)
            c.graph.add_edge(sinks[i + 1], g, key=1)
            nxt.append(g)
        sinks = nxt + sinks[len(sinks) - len(sinks) % 2 :]
    c.cache.clear()
    c.structure_version += 1
    return c


# --------------------------------------------------------------------- the floor
# Each kind as a plain loop writes it: (forward, backward), over v[a], v[b], v[o] and b (the
# constant), written here by hand with the same arithmetic as the registry's formulas (x + go *
# -1.0 written x - go, the same to the last bit); in numpy, gradients are new arrays
# (g[a] = g[a] + ...), never updated in place.
SCALAR = {
    "add": ("v[o] = v[a] + v[b]", "g[a] += go; g[b] += go"),
    "sub": ("v[o] = v[a] - v[b]", "g[a] += go; g[b] -= go"),
    "mul": ("v[o] = v[a] * v[b]", "g[a] += go * v[b]; g[b] += go * v[a]"),
    "max": (
        "x = v[a]; y = v[b]; v[o] = x if x >= y else y",
        "x = v[a]; y = v[b]; g[a] += go * (x >= y); g[b] += go * (y >= x)",
    ),
    "min": (
        "x = v[a]; y = v[b]; v[o] = x if x <= y else y",
        "x = v[a]; y = v[b]; g[a] += go * (x <= y); g[b] += go * (y <= x)",
    ),
    "exp": ("v[o] = exp(v[a])", "g[a] += go * v[o]"),
    "recip": ("v[o] = 1.0 / v[a]", "z = v[o]; g[a] += go * (-z * z)"),
    "sigmoid": (
        "x = v[a]\n"
        "if x >= 0.0: v[o] = 1.0 / (1.0 + exp(-x))\n"
        "else: e = exp(x); v[o] = e / (1.0 + e)",
        "z = v[o]; g[a] += go * (z * (1.0 - z))",
    ),
    "neg": ("v[o] = -v[a]", "g[a] -= go"),
    "div": ("v[o] = v[a] / v[b]", "y = v[b]; g[a] += go * (1.0 / y); g[b] += go * (-v[o] / y)"),
    "pow": ("v[o] = pow(v[a], b)", "g[a] += go * (b * pow(v[a], b - 1.0))"),
    "addc": ("v[o] = v[a] + b", "g[a] += go"),
    "mulc": ("v[o] = v[a] * b", "g[a] += go * b"),
    "tanh": ("v[o] = tanh(v[a])", "z = v[o]; g[a] += go * (1.0 - z * z)"),
    "relu": ("x = v[a]; v[o] = x if x > 0.0 else 0.0", "g[a] += go * (v[a] > 0.0)"),
    "log": ("v[o] = log(v[a])", "g[a] += go * (1.0 / v[a])"),
    "abs": (
        "v[o] = abs(v[a])",
        "x = v[a]; g[a] += go * (1.0 if x > 0.0 else -1.0 if x < 0.0 else 0.0)",
    ),
    "sin": ("v[o] = sin(v[a])", "g[a] += go * cos(v[a])"),
    "cos": ("v[o] = cos(v[a])", "g[a] += go * (-sin(v[a]))"),
}
NUMPY = {
    "add": ("v[o] = v[a] + v[b]", "g[a] = g[a] + go; g[b] = g[b] + go"),
    "sub": ("v[o] = v[a] - v[b]", "g[a] = g[a] + go; g[b] = g[b] - go"),
    "mul": ("v[o] = v[a] * v[b]", "g[a] = g[a] + go * v[b]; g[b] = g[b] + go * v[a]"),
    "max": (
        "v[o] = np.maximum(v[a], v[b])",
        "x = v[a]; y = v[b]; g[a] = g[a] + go * (x >= y); g[b] = g[b] + go * (y >= x)",
    ),
    "min": (
        "v[o] = np.minimum(v[a], v[b])",
        "x = v[a]; y = v[b]; g[a] = g[a] + go * (x <= y); g[b] = g[b] + go * (y <= x)",
    ),
    "exp": ("v[o] = np.exp(v[a])", "g[a] = g[a] + go * v[o]"),
    "recip": ("v[o] = 1.0 / v[a]", "z = v[o]; g[a] = g[a] + go * (-z * z)"),
    "sigmoid": (
        "x = v[a]; e = np.exp(-np.abs(x))\n"
        "v[o] = np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))",
        "z = v[o]; g[a] = g[a] + go * (z * (1.0 - z))",
    ),
    "neg": ("v[o] = -v[a]", "g[a] = g[a] - go"),
    "div": (
        "v[o] = v[a] / v[b]",
        "y = v[b]; g[a] = g[a] + go * (1.0 / y); g[b] = g[b] + go * (-v[o] / y)",
    ),
    "pow": ("v[o] = np.power(v[a], b)", "g[a] = g[a] + go * (b * np.power(v[a], b - 1.0))"),
    "addc": ("v[o] = v[a] + b", "g[a] = g[a] + go"),
    "mulc": ("v[o] = v[a] * b", "g[a] = g[a] + go * b"),
    "tanh": ("v[o] = np.tanh(v[a])", "z = v[o]; g[a] = g[a] + go * (1.0 - z * z)"),
    "relu": ("v[o] = np.maximum(v[a], 0.0)", "g[a] = g[a] + go * (v[a] > 0.0)"),
    "log": ("v[o] = np.log(v[a])", "g[a] = g[a] + go * (1.0 / v[a])"),
    "abs": ("v[o] = np.abs(v[a])", "g[a] = g[a] + go * np.sign(v[a])"),
    "sin": ("v[o] = np.sin(v[a])", "g[a] = g[a] + go * np.cos(v[a])"),
    "cos": ("v[o] = np.cos(v[a])", "g[a] = g[a] + go * (-np.sin(v[a]))"),
}


def _chain(kinds: list[str], table: dict[str, tuple[str, str]], which: int, pad: str) -> str:
    lines = []
    for n, kind in enumerate(kinds):
        test = "if" if n == 0 else "elif"
        head = "else:" if n == len(kinds) - 1 and n else f"{test} op == {n}:"
        body = table[kind][which].splitlines()
        if len(kinds) == 1:
            lines += [pad + line for line in body]
        else:
            lines += [pad + head] + [pad + "    " + line for line in body]
    return "\n".join(lines)


def floor_loop(kinds: list[str], batch: bool) -> Callable:
    """The floor's passes for opcodes 0, 1, ... = ``kinds``, tested in that order."""
    table = NUMPY if batch else SCALAR
    src = (
        "def run(v, g, fwd, bwd):\n"
        "    for op, o, a, b in fwd:\n"
        f"{_chain(kinds, table, 0, '        ')}\n"
        "    for op, o, a, b in bwd:\n"
        "        go = g[o]\n"
        f"{_chain(kinds, table, 1, '        ')}\n"
    )
    names = {"np": np, "exp": math.exp, "log": math.log, "tanh": math.tanh}
    names.update(sin=math.sin, cos=math.cos, pow=math.pow)
    exec(compile(src, "<floor>", "exec"), names)  # this script's own text
    return names["run"]


def floor_program(c: ce.Circuit, batch: bool):
    """The circuit's plan as the floor's instructions, opcodes numbered by frequency."""
    plan = compile_circuit(c)
    kind_of = [c.gate(gid).kind for gid in plan.order]
    counts = Counter(kind_of[o] for _, o, _, _ in plan.forward)
    kinds = [k for k, _ in sorted(counts.items(), key=lambda kv: -kv[1])]
    code = {k: i for i, k in enumerate(kinds)}

    def as_floor(instrs):
        return [(code[kind_of[o]], o, a, b) for _, o, a, b in instrs]

    fwd, bwd = as_floor(plan.forward), as_floor(plan.backward)
    run = floor_loop(kinds, batch)
    leaves = [(i, c.gate(gid).value) for i, gid in plan.leaves]
    return run, len(plan.order), leaves, fwd, bwd, plan.target


def floor_run(prog, arrays: dict[int, np.ndarray] | None = None):
    run, n, leaves, fwd, bwd, target = prog
    if arrays is None:
        v = [0.0] * n
        for i, x in leaves:
            v[i] = x
        g = [0.0] * n
    else:
        v = [np.float64(0.0)] * n
        for i, x in leaves:
            v[i] = np.float64(x)
        for i, x in arrays.items():
            v[i] = x
        g = [np.float64(0.0)] * n
    g[target] = 1.0
    run(v, g, fwd, bwd)
    return v, g


# --------------------------------------------------------------------- timing
def interleaved(fa, fb, rounds: int) -> tuple[float, float]:
    """Medians of two functions timed alternately, so a busy neighbour hits both alike, in
    this process's CPU time (the machine is shared: time spent waiting for a core is not the
    engine's). A run calls its function enough times to last about 20 ms (the same number
    of times for both), so one hiccup weighs little; the times are per call."""
    t = time.process_time()
    fb()
    reps = max(1, math.ceil(0.02 / max(time.process_time() - t, 1e-6)))
    ta, tb = [], []
    for _ in range(rounds):
        for fn, times in ((fa, ta), (fb, tb)):
            t = time.process_time()
            for _ in range(reps):
                fn()
            times.append((time.process_time() - t) / reps)
    return statistics.median(ta), statistics.median(tb)


def _agree(values, grads, r: ce.Result, batch: bool) -> None:
    """The floor computes the engine's numbers, or the comparison means nothing. (A batch
    may meet a nan one point alone never meets, numpy and math rounding apart: both do.)"""
    for mine, theirs in ((values, r.values_by_slot), (grads, r.grads_by_slot)):
        for a, b in zip(mine, theirs):
            assert np.allclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=batch), (a, b)
    assert batch or not r.nonfinite


def bench_program(c: ce.Circuit, rounds: int, batch: bool) -> tuple[float, float]:
    compile_circuit(c)
    prog = floor_program(c, batch)
    if batch:
        # every point at the stored one, where each gate is known to stay in range (numpy's
        # work does not depend on the numbers)
        named = {g.label: np.full(BATCH, g.value) for g in c.inputs()}
        plan = compile_circuit(c)
        arrays = {plan.input_slot[k]: x for k, x in named.items()}
        _agree(*floor_run(prog, arrays), ce.evaluate(c, named), True)
        return interleaved(lambda: ce.evaluate(c, named), lambda: floor_run(prog, arrays), rounds)
    _agree(*floor_run(prog), ce.evaluate(c), False)
    return interleaved(lambda: ce.evaluate(c), lambda: floor_run(prog), rounds)


def compile_ms(c: ce.Circuit) -> float:
    times = []
    for _ in range(5):
        c.cache.clear()
        t = time.process_time()
        compile_circuit(c)
        times.append(time.process_time() - t)
    return statistics.median(times) * 1e3


# --------------------------------------------------------------------- whole-program measures
def end_to_end(n: int, rounds: int) -> dict[str, float]:
    """ce.load and trace() of ``n`` gates, from_code of ``n`` statements (seconds, medians)."""
    inputs, gates = program(LECTURE, "deep", n)
    c = build(inputs, gates)
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "big.json")
        ce.save(c, path)
        out["load_s"] = _median(lambda: ce.load(path), rounds)
    r = ce.evaluate(c)
    out["trace_s"] = _median(lambda: ce.evaluate(c).trace(), rounds)
    assert len(r.trace()) == 2 * sum(1 for g in c.gates if not g.spec.is_leaf)
    code = lecture_code(gates)
    out["from_code_s"] = _median(lambda: ce.from_code(code), 1)
    out["from_code_statements"] = code.count("\n")
    return out


CODE = {"add": "{} + {}", "mul": "{} * {}", "max": "max({}, {})", "exp": "exp({})"}
CODE.update(recip="1 / {}", sigmoid="sigmoid({})")


def lecture_code(gates) -> str:
    """A program of the lecture's kinds as code: one statement a gate, inputs free names."""
    lines = []
    for i, (kind, _c, srcs) in enumerate(gates):
        if kind != "input":
            lines.append(f"g{i} = " + CODE[kind].format(*(f"g{s}" for s in srcs)))
    return "\n".join(lines) + "\n"


def _median(fn: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return statistics.median(times)


# --------------------------------------------------------------------- the report
TARGETS = {"ratio": 1.2, "compile_ms_10k": 100.0, "load_s": 1.5, "from_code_s": 3.0, "trace_s": 0.5}


def run_all(sizes: dict[str, int], mixes: list[str], shapes: list[str], rounds: int, log):
    out: dict[str, float] = {}
    for size, n in sizes.items():
        for shape in shapes:
            for mix in mixes:
                c = build(*program(MIXES[mix], shape, n))
                if mix == "lecture":
                    out[f"compile_ms_{shape}_{size}"] = compile_ms(c)
                    c.cache.clear()
                    t = time.process_time()
                    ce.evaluate(c)
                    out[f"first_evaluate_ms_{shape}_{size}"] = (time.process_time() - t) * 1e3
                row = []
                for point in ("scalar", "batch"):
                    e, f = bench_program(c, rounds, point == "batch")
                    key = f"{mix}_{shape}_{size}_{point}"
                    out[f"engine_ms_{key}"], out[f"floor_ms_{key}"] = e * 1e3, f * 1e3
                    out[f"ratio_{key}"] = e / f
                    row.append(f"{e * 1e3:9.2f}ms{f * 1e3:9.2f}ms{e / f:6.2f}x")
                log(f"{mix:<10}{shape:<8}{size:>6}" + "".join(row))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small circuits, few mixes, few rounds")
    ap.add_argument("--json", action="store_true", help="print one JSON object of the measures")
    ap.add_argument("--sizes", default="10k,100k", help="which sizes: 10k, 100k or both")
    ap.add_argument("--shapes", default=",".join(SHAPES), help="only these shapes")
    ap.add_argument("--mixes", default="", help="only these mixes, comma-separated (all, lecture)")
    args = ap.parse_args(argv)
    quiet = args.json
    log = (lambda s: None) if quiet else print
    if args.quick:
        sizes, rounds = {"1k": 1000}, 1
        mixes = ["lecture", "all", "micrograd", "relu"]
    else:
        sizes, rounds = {s: SIZES[s] for s in args.sizes.split(",")}, 5
        mixes = args.mixes.split(",") if args.mixes else list(MIXES)
    log(
        f"circuit-editor {ce.__version__}, Python {platform.python_version()}, "
        f"numpy {np.__version__}, {platform.machine()}; batch of {BATCH} points; "
        f"medians of {rounds} interleaved runs"
    )
    log(
        f"\n{'mix':<10}{'shape':<8}{'gates':>6}{'scalar: engine   floor  ratio':>31}"
        f"{'batch: engine    floor  ratio':>31}"
    )
    out = run_all(sizes, mixes, args.shapes.split(","), rounds, log)
    big = max(sizes.values())
    whole = end_to_end(big, 1 if args.quick else 3)
    out.update({f"{k}_{max(sizes, key=sizes.get)}": v for k, v in whole.items()})
    ratios = [v for k, v in out.items() if k.startswith("ratio_")]
    out["worst_ratio"] = max(ratios)
    out["target_ratio"] = TARGETS["ratio"]
    if args.json:
        print(json.dumps(out, sort_keys=True))
        return 0
    worst = max((k for k in out if k.startswith("ratio_")), key=out.__getitem__)
    print(f"\nworst ratio {out['worst_ratio']:.2f}x ({worst[6:]}); target <= {TARGETS['ratio']}x")
    for k, v in out.items():
        if k.startswith(("compile_ms", "first_evaluate")):
            print(f"{k}: {v:.1f} ms (target: compile <= 100 ms at 10k)")
    size = max(sizes, key=sizes.get)
    print(
        f"{big:,} gates: ce.load {whole['load_s']:.2f} s (target <= 1.5 s), trace() "
        f"{whole['trace_s']:.2f} s (target <= 0.5 s); from_code of "
        f"{whole['from_code_statements']:,.0f} statements {whole['from_code_s']:.2f} s "
        f"(target <= 3 s) [{size}]"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
