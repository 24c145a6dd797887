"""Engine benchmark: `python tests/bench/bench_engine.py` (add --quick for a smoke run).

Measures, on circuits of 10,000 gates of the six lecture kinds (add, mul, max, exp, 1/x,
sigmoid), wide and deep (depth 1,000):
  * forward + backward of a compiled circuit (``ce.evaluate`` with the plan cached), against
    the practical floor in CPython: a plain Python loop over integer-indexed instructions doing
    the same arithmetic, run in the same process on the same instructions;
  * compiling (topological order + instruction list, from a cold cache);
  * a batch of 1,000 points;
  * a 100,000-gate circuit, end to end.
Prints a table; the README reports a run of it.
"""

from __future__ import annotations

import argparse
import math
import platform
import random
import statistics
import sys
import time

import numpy as np

import circuit_editor as ce
from circuit_editor.core.engine import compile_circuit

# A cycle of kinds that keeps every value bounded however deep the circuit goes:
# values in (0.37, 1) -> mul -> add -> max -> sigmoid -> exp -> 1/x -> back in (0.37, 1).
CYCLE = ("mul", "add", "max", "sigmoid", "exp", "recip")


def layered(width: int, depth: int, seed: int = 0) -> ce.Circuit:
    """``depth`` layers of ``width`` gates, kinds cycling through CYCLE; binary gates read two
    gates of the layer before (every gate is read), then a tree of adds down to one output."""
    rng = random.Random(seed)
    c = ce.Circuit()
    prev = [
        c.add_gate("input", label=f"x{i}", value=rng.uniform(0.4, 1.0)).id for i in range(width)
    ]
    for layer in range(depth):
        kind = CYCLE[layer % len(CYCLE)]
        cur = []
        perm = list(range(width))
        rng.shuffle(perm)
        for i in range(width):
            g = c.add_gate(kind).id
            c.graph.add_edge(prev[i], g, key=0)  # bulk build: skip per-wire checks
            if ce.GATES[kind].arity == 2:
                c.graph.add_edge(prev[perm[i]], g, key=1)
            cur.append(g)
        prev = cur
    while len(prev) > 1:
        nxt = []
        for i in range(0, len(prev) - 1, 2):
            g = c.add_gate("add").id
            c.graph.add_edge(prev[i], g, key=0)
            c.graph.add_edge(prev[i + 1], g, key=1)
            nxt.append(g)
        if len(prev) % 2:
            nxt.append(prev[-1])
        prev = nxt
    c.cache.clear()
    c.structure_version += 1
    return c


def op_count(c: ce.Circuit) -> int:
    return sum(1 for g in c.gates if not g.spec.is_leaf)


# --------------------------------------------------------------------- the baseline
KIND_CODE = {"add": 0, "mul": 1, "max": 2, "exp": 3, "recip": 4, "sigmoid": 5}


def baseline_program(c: ce.Circuit):
    """The same circuit as plain integer-indexed instructions (out, a, b) per kind code."""
    plan = compile_circuit(c)
    instrs = []
    for _, o, a, b in plan.forward:
        kind = c.gate(plan.order[o]).kind
        instrs.append((KIND_CODE[kind], o, a, b))
    leaves = [(i, c.gate(gid).value) for i, gid in plan.leaves]
    return len(plan.order), leaves, instrs, plan.target


def baseline_run(n, leaves, instrs, target):
    """Forward and backward over integer-indexed instructions: the floor in plain CPython."""
    exp = math.exp
    v = [0.0] * n
    for i, x in leaves:
        v[i] = x
    for op, o, a, b in instrs:
        if op == 0:
            v[o] = v[a] + v[b]
        elif op == 1:
            v[o] = v[a] * v[b]
        elif op == 2:
            v[o] = v[a] if v[a] >= v[b] else v[b]
        elif op == 3:
            v[o] = exp(v[a])
        elif op == 4:
            v[o] = 1.0 / v[a]
        else:
            x = v[a]
            if x >= 0.0:
                v[o] = 1.0 / (1.0 + exp(-x))
            else:
                e = exp(x)
                v[o] = e / (1.0 + e)
    g = [0.0] * n
    g[target] = 1.0
    for op, o, a, b in reversed(instrs):
        go = g[o]
        if op == 0:
            g[a] += go
            g[b] += go
        elif op == 1:
            g[a] += go * v[b]
            g[b] += go * v[a]
        elif op == 2:
            g[a] += go * (v[a] >= v[b])
            g[b] += go * (v[b] >= v[a])
        elif op == 3:
            g[a] += go * v[o]
        elif op == 4:
            g[a] += go * (-v[o] * v[o])
        else:
            s = v[o]
            g[a] += go * (s * (1.0 - s))
    return v, g


# --------------------------------------------------------------------- timing
def best_of(fn, repeat: int) -> float:
    """Median of ``repeat`` runs, in seconds (the median resists a busy neighbour)."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def interleaved(fa, fb, rounds: int) -> tuple[float, float]:
    """Medians of two functions timed alternately, so drift hits both alike."""
    ta, tb = [], []
    for _ in range(rounds):
        t = time.perf_counter()
        fa()
        ta.append(time.perf_counter() - t)
        t = time.perf_counter()
        fb()
        tb.append(time.perf_counter() - t)
    return statistics.median(ta), statistics.median(tb)


def bench_shape(name: str, c: ce.Circuit, rounds: int) -> dict:
    t0 = time.perf_counter()
    compile_circuit(c)
    compile_s = time.perf_counter() - t0
    compiles = []
    for _ in range(5):
        c.cache.clear()
        t = time.perf_counter()
        compile_circuit(c)
        compiles.append(time.perf_counter() - t)
    prog = baseline_program(c)
    r = ce.evaluate(c)
    v, g = baseline_run(*prog)
    # the two must compute the same numbers, or the comparison means nothing
    assert abs(v[prog[3]] - r.output) <= 1e-12 * max(1.0, abs(r.output)), (v[prog[3]], r.output)
    worst = max(abs(a - b) / max(1.0, abs(a)) for a, b in zip(g, r.grads_by_slot))
    assert worst < 1e-9, worst
    assert not r.nonfinite
    engine_s, base_s = interleaved(lambda: ce.evaluate(c), lambda: baseline_run(*prog), rounds)
    inputs = {gg.label: np.random.default_rng(1).uniform(0.4, 1.0, 1000) for gg in c.inputs()}
    batch_s = best_of(lambda: ce.evaluate(c, inputs), max(3, rounds // 10))
    return {
        "name": name,
        "gates": op_count(c),
        "engine": engine_s,
        "baseline": base_s,
        "ratio": engine_s / base_s,
        "compile": statistics.median(compiles),
        "first_compile": compile_s,
        "batch": batch_s,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small circuits, few rounds")
    args = ap.parse_args(argv)
    scale = 10 if args.quick else 1
    rounds = 5 if args.quick else 41
    print(
        f"circuit-editor {ce.__version__}, Python {platform.python_version()}, "
        f"numpy {np.__version__}, {platform.machine()}"
    )
    shapes = [
        ("wide (1,500 x 6)", layered(1500 // scale, 6)),
        ("deep (10 x 1,000)", layered(10, 1000 // scale)),
    ]
    rows = [bench_shape(n, c, rounds) for n, c in shapes]
    print(
        f"\n{'circuit':<20}{'gates':>7}{'evaluate':>11}{'loop':>9}{'ratio':>7}"
        f"{'compile':>9}{'batch 1000':>12}"
    )
    for r in rows:
        print(
            f"{r['name']:<20}{r['gates']:>7}{r['engine'] * 1e3:>9.2f}ms"
            f"{r['baseline'] * 1e3:>7.2f}ms{r['ratio']:>6.2f}x{r['compile'] * 1e3:>7.1f}ms"
            f"{r['batch'] * 1e3:>10.1f}ms"
        )
    big = layered(100, 1000 // scale)
    t = time.perf_counter()
    res = ce.evaluate(big)
    first = time.perf_counter() - t
    t = time.perf_counter()
    ce.evaluate(big)
    again = time.perf_counter() - t
    print(
        f"\n100,000-gate circuit ({op_count(big):,} gates, depth {1000 // scale}): "
        f"compile + evaluate {first * 1e3:.0f} ms, evaluate again {again * 1e3:.0f} ms, "
        f"output {res.output:.6g}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
