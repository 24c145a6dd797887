"""Drawing circuits with no window: for ``circuit-editor export`` and the screenshot scripts.
Uses Qt's offscreen platform, so it works on a machine with no display."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from ..core.circuit import Circuit
    from .scene import CircuitScene


def application() -> QApplication:
    """The running QApplication, or a new one on the offscreen platform."""
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = QApplication(["circuit-editor"])
    from .theme import load_fonts

    load_fonts()
    return app


def scene_for(circuit: Circuit, theme: str = "light") -> CircuitScene:
    application()
    from .document import Document
    from .scene import CircuitScene
    from .theme import THEMES, Theme

    if theme not in THEMES:
        raise ValueError(f"there is no theme {theme!r} (known: {', '.join(THEMES)})")
    return CircuitScene(Document(circuit), Theme.named(theme))


def export_file(
    circuit: Circuit, out: str | Path, scale: float = 2.0, theme: str = "light"
) -> Path:
    from .export import export_scene

    return export_scene(scene_for(circuit, theme), Path(out), scale)
