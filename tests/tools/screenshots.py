"""Makes the README's pictures offscreen: `python tests/tools/screenshots.py [OUT_DIR]`.

window-light.png     the window on the worksheet's (x + y)z + x, light theme
window-dark.png      the window on the sigmoid neuron, dark theme, a gate selected
backward-1..4.png    frames of the backward pass on the sigmoid neuron, pulses in flight
lecture-4d.png       lecture mode on the worksheet's 4(d) at 1920x1080, a backward step shown
window-200.png       a random circuit of 200 operations, laid out by Tidy Layout, as it opens
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from circuit_editor import resources

OUT = Path(__file__).resolve().parents[2] / "resources" / "screenshots"


def _projector_screen() -> str:
    """Qt's offscreen platform with one 1920x1080 screen (its default is 800x800): lecture mode
    goes full screen, so the picture shows what a projector shows."""
    screen = {"name": "projector", "x": 0, "y": 0, "width": 1920, "height": 1080}
    config = Path(tempfile.mkdtemp()) / "screen.json"
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpiX": 96, "logicalDpiY": 96}]}))
    return f"offscreen:configfile={config}"


def settle(app, rounds: int = 8) -> None:
    for _ in range(rounds):
        app.processEvents()


def window_shot(app, example: str, theme: str, out: Path, select: str | None = None) -> None:
    from circuit_editor.gui.theme import Theme
    from circuit_editor.gui.window import MainWindow

    w = MainWindow(theme=Theme.named(theme))
    w.files.open_example(resources.path("examples", example))
    w.resize(1440, 860)
    w.show()
    settle(app)
    w.view.fit()
    if select:
        c = w.document.circuit
        w.scene.gates[c.find(select)].setSelected(True)
    settle(app)
    w.grab().save(str(out))
    w.document.undo_stack.setClean()
    w.close()


def lecture_shot(app, out: Path) -> None:
    """Lecture mode on 4(d) as a 1920x1080 projector shows it, at the third backward step."""
    from circuit_editor.gui.theme import Theme
    from circuit_editor.gui.window import MainWindow

    w = MainWindow(theme=Theme.named("light"))
    w.files.open_example(resources.path("examples", "4d-staged-function.circuit"))
    w.show()
    settle(app)
    w.lecture.toggle()
    settle(app)
    trace = w.document.trace
    assert trace is not None
    w.playback.set_position(trace.count // 2 + 3)
    settle(app)
    w.grab().save(str(out))
    w.lecture.toggle()
    w.document.undo_stack.setClean()
    w.close()


def big_window_shot(app, out: Path) -> None:
    """The window on a 200-operation random circuit, laid out as Tidy Layout lays it out."""
    from circuit_editor.core.layout import layout
    from circuit_editor.gui.theme import Theme
    from circuit_editor.gui.window import MainWindow

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
    from layout_samples import random_circuit

    c = random_circuit(200, seed=2)  # a seed whose numbers are all finite
    c.set_setting("title", "200 random operations")
    layout(c)
    w = MainWindow(theme=Theme.named("light"))
    w.document.replace(c, None)
    w.resize(1440, 860)
    w.show()
    settle(app)
    w.view.fit()  # as it opens: legible, from the inputs on
    settle(app)
    w.grab().save(str(out))
    w.document.undo_stack.setClean()
    w.close()


def backward_frames(app, out_dir: Path) -> list[Path]:
    """Four moments of the backward pass on the neuron, each with its pulses half-way."""
    from circuit_editor.gui.export import render_image
    from circuit_editor.gui.theme import Theme
    from circuit_editor.gui.window import MainWindow

    w = MainWindow(theme=Theme.named("light"))
    w.files.open_example(resources.path("examples", "4abc-neuron.circuit"))
    w.resize(1440, 860)
    w.show()
    settle(app)
    pb = w.playback
    n = len(w.document.result.trace()) // 2
    paths = []
    for i, k in enumerate([n, n + 3, n + 5, n + 7], 1):
        pb.set_position(k)
        pb.step_forward()  # starts the step's pulses
        pb.anim.pause()
        pb._frame(0.5)  # the pulses half-way
        image = render_image(w.scene, scale=1.0)
        path = out_dir / f"backward-{i}.png"
        image.save(str(path))
        paths.append(path)
    pb.stop()
    w.document.undo_stack.setClean()
    w.close()
    return paths


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", _projector_screen())  # read when the app starts
    app = QApplication.instance() or QApplication(["circuit-editor"])
    QCoreApplication.setOrganizationName("circuit-editor-screenshots")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    window_shot(app, "2-staged.circuit", "light", out / "window-light.png")
    window_shot(app, "4abc-neuron.circuit", "dark", out / "window-dark.png", select="dot")
    from circuit_editor.gui.theme import Theme, apply_app_palette

    apply_app_palette(Theme.named("light"))
    lecture_shot(app, out / "lecture-4d.png")
    big_window_shot(app, out / "window-200.png")
    shots = ["window-light.png", "window-dark.png", "lecture-4d.png", "window-200.png"]
    for p in [*(out / s for s in shots), *backward_frames(app, out)]:
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
