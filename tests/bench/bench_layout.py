"""Layout benchmark: `python tests/bench/bench_layout.py` (offscreen).

For every bundled example and for random circuits of 20, 50 and 200 operations (fixed seeds),
lays the circuit out (core.layout), builds the real canvas scene offscreen and counts, from what
the canvas draws (gate boxes, routed wire polylines, junction trunks, the output's stub, and the
boxes of the numbers on them, at the light theme's fonts):

  crossings      two drawn segments from different sources meeting at a point that is not a
                 shared port or junction;
  through gates  a segment passing through the box of a gate that is neither its source nor
                 its target;
  label overlaps a number's box overlapping another number's box, a gate's box or name, or a
                 segment of a wire from another source.

The same counts for grandalf's Sugiyama layout (gate positions from grandalf, the same canvas
routing) when grandalf is installed. Then the time of laying out 2,000 operations, and of Tidy
Layout in the window (the real action: the layout, its one Move command, the wires it reaches
laid again, the view fitted) on 150 and 2,000 operations, and of opening the laid-out 2,000
operations from a file as File > Open does (`--tidy`: only these). Each time is the median of
three runs, in seconds of the clock and of the process's CPU (on a busy machine the clock
runs ahead of the CPU).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "core"))
sys.path.insert(0, str(ROOT / "tests"))
from gui.canvas_marks import counts  # noqa: E402
from layout_samples import random_circuit  # noqa: E402

import circuit_editor as ce  # noqa: E402
from circuit_editor import files, resources  # noqa: E402
from circuit_editor.core.layout import COLUMN, layout  # noqa: E402

SIZES = ((20, 1), (50, 2), (200, 3))  # operations, seed


def grandalf_layout(c: ce.Circuit) -> bool:
    """Place the gates with grandalf's Sugiyama layout; False when grandalf is not installed."""
    try:
        from grandalf.graphs import Edge, Graph, Vertex
        from grandalf.layouts import SugiyamaLayout
    except ImportError:
        return False

    class View:
        w, h = 80.0, 80.0

    vs = {g.id: Vertex(g.id) for g in c.gates}
    for v in vs.values():
        v.view = View()
    g = Graph(list(vs.values()), [Edge(vs[w.source], vs[w.target]) for w in c.wires])
    for comp in g.C:
        sug = SugiyamaLayout(comp)
        sug.init_all()
        sug.draw(3)
    for gid, v in vs.items():  # grandalf lays out top to bottom: turn it to left to right
        x, y = v.view.xy
        c.move(gid, (round(y / 80.0 * COLUMN, 1), round(x * 1.4, 1)))
    return True


def circuits():
    for path in sorted(resources.path("examples").glob("*.circuit")):
        yield path.stem, files.load(path)
    for n, seed in SIZES:
        yield f"random {n} (seed {seed})", random_circuit(n, seed)


def _window():
    from circuit_editor.gui.theme import Theme
    from circuit_editor.gui.window import MainWindow

    w = MainWindow(theme=Theme.named("light"))
    w.resize(1400, 900)
    w.show()
    return w


def _timed(action) -> tuple[float, float]:
    """Seconds of the clock and of the CPU that ``action`` and the events it posts take."""
    t, cpu = time.perf_counter(), time.process_time()
    action()
    QApplication.processEvents()
    return time.perf_counter() - t, time.process_time() - cpu


def tidy_in_window(n: int, seed: int) -> tuple[float, float]:
    """Seconds for Tidy Layout of ``random_circuit(n, seed)`` in the window, end to end."""
    w = _window()
    w.document.replace(random_circuit(n, seed), None)
    QApplication.processEvents()
    took = _timed(w.actions_.by_name["tidy"].trigger)
    w.document.undo_stack.setClean()  # closing asks nothing
    w.close()
    return took


def open_in_window(path: Path) -> tuple[float, float]:
    """Seconds for opening ``path`` in the window as File > Open does, end to end."""
    w = _window()
    QApplication.processEvents()
    took = _timed(lambda: w.files.open_file(path))
    w.close()
    return took


def median_of_3(what: str, run) -> None:
    runs = [run() for _ in range(3)]
    wall, cpu = (statistics.median(r[i] for r in runs) for i in (0, 1))
    print(f"{what}: {wall:.2f} s (CPU {cpu:.2f} s)")


def print_times() -> None:
    for n in (150, 2000):
        median_of_3(f"Tidy Layout in the window, {n:,} operations", partial(tidy_in_window, n, 7))
    big = random_circuit(2000, 7)
    layout(big)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.circuit"
        files.save(big, path)
        median_of_3("Opening the laid-out 2,000 operations", lambda: open_in_window(path))


def main() -> int:
    QApplication.instance() or QApplication([])
    print_times()
    if "--tidy" in sys.argv[1:]:
        return 0
    print(f"{'circuit':28} {'ours: cross / through / labels':>32}   {'grandalf':>22}")
    for name, c in circuits():
        layout(c)
        ours = counts(c)
        theirs = "grandalf not installed"
        g = c.copy()
        if grandalf_layout(g):
            theirs = " / ".join(map(str, counts(g)))
        print(f"{name:28} {' / '.join(map(str, ours)):>32}   {theirs:>22}")
    big = random_circuit(2000, 7)
    t = time.perf_counter()
    layout(big)
    laid = time.perf_counter() - t
    print(f"layout of 2,000 operations ({len(big)} gates): {laid:.2f} s")
    from circuit_editor.gui.document import Document
    from circuit_editor.gui.scene import CircuitScene

    scene = CircuitScene(Document(big))
    t = time.perf_counter()
    scene.reroute_all()
    print(f"... the canvas routing every wire again: {time.perf_counter() - t:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
