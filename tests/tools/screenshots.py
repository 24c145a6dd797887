"""Makes the README's pictures offscreen: `python tests/tools/screenshots.py [OUT_DIR]`.

window-light.png     the window on the worksheet's (x + y)z + x, light theme
window-dark.png      the window on the sigmoid neuron, dark theme, a gate selected
backward-1..4.png    frames of the backward pass on the sigmoid neuron, pulses in flight
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from circuit_editor import resources

OUT = Path(__file__).resolve().parents[2] / "resources" / "screenshots"


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
    app = QApplication.instance() or QApplication(["circuit-editor"])
    QCoreApplication.setOrganizationName("circuit-editor-screenshots")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    window_shot(app, "2-staged.circuit", "light", out / "window-light.png")
    window_shot(app, "4abc-neuron.circuit", "dark", out / "window-dark.png", select="dot")
    from circuit_editor.gui.theme import Theme, apply_app_palette

    apply_app_palette(Theme.named("light"))
    for p in [out / "window-light.png", out / "window-dark.png", *backward_frames(app, out)]:
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
