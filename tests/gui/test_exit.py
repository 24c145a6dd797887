"""The app quits cleanly (exit code 0) after using the clipboard on the offscreen platform."""

import os
import subprocess
import sys

SCRIPT = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from circuit_editor.gui.app import run_app
from circuit_editor.gui.window import MainWindow
app = QApplication([])


def copy_paste_quit():
    (w,) = [t for t in QApplication.topLevelWidgets() if isinstance(t, MainWindow)]
    for item in w.scene.gates.values():
        item.setSelected(True)
    w.actions_.copy()
    w.actions_.paste()
    w.document.undo_stack.setClean()
    app.quit()


QTimer.singleShot(200, copy_paste_quit)
print("exit", run_app())
"""


def test_quitting_after_a_copy_exits_cleanly(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().endswith("exit 0")
