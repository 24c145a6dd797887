"""PySide6-Essentials 6.12.0 on CPython 3.11 drops a reference to None on every call of a
void-returning Qt method and aborts with "Fatal Python error: none_dealloc" after a few thousand
calls. The project pins Python 3.11 below 6.12; these tests keep the pin and prove the installed
Qt survives."""

import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

STRESS = """
import sys
from PySide6.QtGui import QPen
before = sys.getrefcount(None)
pen = QPen()
for _ in range(200_000):
    pen.setWidth(2)
    QPen().setWidth(2)
after = sys.getrefcount(None)
print("survived", after - before)
"""


def test_200000_void_qt_calls_do_not_kill_the_process():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-c", STRESS], capture_output=True, text=True, env=env, timeout=300
    )
    assert "none_dealloc" not in proc.stderr
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("survived")


def test_the_installed_pyside6_is_not_the_broken_release():
    version = metadata.version("PySide6-Essentials")
    major, minor = (int(p) for p in version.split(".")[:2])
    if sys.version_info[:2] == (3, 11):
        assert (major, minor) < (6, 12), f"PySide6-Essentials {version} on Python 3.11"


def test_pyproject_keeps_python_311_below_612():
    text = (ROOT / "pyproject.toml").read_text()
    reqs = re.findall(r'"(PySide6-Essentials[^"]*)"', text)
    assert reqs, "PySide6-Essentials is a dependency"
    for req in reqs:
        marker = req.split(";", 1)[1] if ";" in req else ""
        admits_311 = not marker or "< '3.12'" in marker or "<'3.12'" in marker
        if admits_311:
            assert re.search(r"<\s*6\.12(?![.\d])", req), req
    assert any("< '3.12'" in r for r in reqs)
