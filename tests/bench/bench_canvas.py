"""Canvas benchmark: `python tests/bench/bench_canvas.py` (offscreen, raster, 1920x1080 view).

Measures what a user feels:
  * 100 gates at 100% zoom, labels shown: change one input value -> evaluate, update the
    labels, repaint what changed (target < 16 ms, a 60 Hz frame); and a full repaint;
  * 500 gates: open from a file and draw the first frame (< 0.5 s); fitted to the view, a
    full repaint (< 30 ms);
  * 2,000 gates: open, fit, full repaint (numbers are hidden when too small to read);
  * playback frames: pulses moving during a backward step, each frame's update and paint,
    on 100 gates at 100% (< 16 ms) and 500 gates fitted (none over 33 ms).
Each time is the median (and the worst) of repeated runs, printed as a table.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).parent))
from bench_engine import layered

import circuit_editor as ce
from circuit_editor.core import commands as cmd
from circuit_editor.core.layout import layout

W, H = 1920, 1080


def circuit(width: int, depth: int) -> ce.Circuit:
    c = layered(width, depth, seed=3)
    layout(c)
    return c


def make_view(c: ce.Circuit, fit: bool = False):
    from circuit_editor.gui.document import Document
    from circuit_editor.gui.scene import CircuitScene
    from circuit_editor.gui.theme import Theme
    from circuit_editor.gui.view import CircuitView

    doc = Document(c)
    scene = CircuitScene(doc, Theme.named("light"))
    view = CircuitView(scene, doc)
    view.resize(W, H)
    view.show()
    if fit:
        view.fit()  # before the first paint, as the window does
    QApplication.processEvents()  # exposed: only then does a repaint paint
    return doc, scene, view


def paint(view, image: QImage | None = None) -> None:
    """One full, synchronous paint of the view's viewport (raster, offscreen backing store):
    the path a real window's repaint takes, caches included."""
    view.viewport().repaint()


def stats(times: list[float]) -> str:
    ms = [t * 1e3 for t in times]
    return f"{statistics.median(ms):7.2f} ms (worst {max(ms):6.2f})"


def bench_edit(app, rounds: int) -> list[str]:
    """Change one input as a user does; the numbers on most wires change with it."""
    c = circuit(10, 10)
    doc, scene, view = make_view(c)
    view.set_zoom(1.0)
    view.centerOn(scene.content_rect().center())
    app.processEvents()
    x = c.inputs()[0].id
    evals, shown, paints = [], [], []
    for i in range(rounds):
        t0 = time.perf_counter()
        doc.push(cmd.SetValue(x, 0.4 + 0.5 * (i % 7) / 7))
        t1 = time.perf_counter()
        app.processEvents()  # the scene collects what changed...
        app.processEvents()  # ...and the view repaints it: on screen now
        t2 = time.perf_counter()
        paint(view)  # and, for comparison, a full repaint
        t3 = time.perf_counter()
        evals.append(t1 - t0)
        shown.append(t2 - t0)
        paints.append(t3 - t2)
    n = sum(1 for g in c.gates if not g.spec.is_leaf)
    return [
        f"{n} gates, 100%: edit an input -> evaluate + labels   {stats(evals)}",
        f"{n} gates, 100%: edit an input -> on screen           {stats(shown)}",
        f"{n} gates, 100%: a full repaint of the view            {stats(paints)}",
    ]


def bench_open(app, width: int, depth: int, rounds: int) -> list[str]:
    from circuit_editor import files

    c = circuit(width, depth)
    n = sum(1 for g in c.gates if not g.spec.is_leaf)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.circuit"
        files.save(c, path)
        image = QImage(W, H, QImage.Format.Format_ARGB32_Premultiplied)
        opens, repaints = [], []
        for _ in range(max(1, rounds // 10)):
            t0 = time.perf_counter()
            loaded = files.load(path)
            _doc, _scene, view = make_view(loaded, fit=True)
            paint(view, image)
            opens.append(time.perf_counter() - t0)
        for _ in range(rounds):
            t0 = time.perf_counter()
            paint(view, image)
            repaints.append(time.perf_counter() - t0)
        zoom = view.zoom
    return [
        f"{n} gates: open file + build + fit + first paint {stats(opens)}",
        f"{n} gates: fitted ({zoom * 100:.0f}%), full repaint       {stats(repaints)}",
    ]


def bench_frames(app, width: int, depth: int, fitted: bool, frames: int) -> str:
    """Playback frames: move the pulses of a backward step and let the view repaint what
    moved, as the animation's timer does 60 times a second."""
    from circuit_editor.gui.playback import Playback

    c = circuit(width, depth)
    doc, scene, view = make_view(c)
    if fitted:
        view.fit()
    else:
        view.set_zoom(1.0)
    pb = Playback(doc, scene)
    n = len(doc.result.trace()) // 2
    times = []
    step = n
    while len(times) < frames and step < 2 * n:
        pb.set_position(step)
        if not fitted:
            view.centerOn(scene.gates[pb.steps[step].gate])
        app.processEvents()
        pb.step_forward()
        pb.anim.pause()
        app.processEvents()
        for k in range(1, 21):
            t0 = time.perf_counter()
            pb._frame(k / 20)
            app.processEvents()  # the scene collects what moved...
            app.processEvents()  # ...and the view repaints it
            times.append(time.perf_counter() - t0)
        pb.anim.stop()
        step += 1
    gates = sum(1 for g in c.gates if not g.spec.is_leaf)
    where = f"fitted ({view.zoom * 100:.0f}%)" if fitted else "100%"
    return f"{gates} gates, {where}: a playback frame (pulses move, repaint) {stats(times)}"


def main(argv=None) -> int:
    quick = "--quick" in (argv or sys.argv[1:])
    rounds = 5 if quick else 40
    app = QApplication.instance() or QApplication(["bench"])
    from circuit_editor.gui.theme import load_fonts

    load_fonts()
    lines = []
    lines += bench_edit(app, rounds)
    lines += bench_open(app, 25, 20, rounds)
    lines += bench_open(app, 50, 40, max(3, rounds // 4))
    lines.append(bench_frames(app, 10, 10, fitted=False, frames=60 if quick else 200))
    lines.append(bench_frames(app, 25, 20, fitted=True, frames=60 if quick else 200))
    print(
        f"circuit-editor {ce.__version__}, view {W}x{H}, raster, "
        f"Qt platform {QApplication.platformName()}"
    )
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
