"""The core and the file layer never import Qt, and the scripting API works without it."""

import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "circuit_editor"
QT_FREE = ["core", "files"]
QT_IMPORT = re.compile(r"^\s*(from|import)\s+(PySide6|shiboken6|PyQt\d)\b", re.M)


def test_no_qt_import_in_the_qt_free_layers():
    offenders = []
    for layer in QT_FREE:
        for path in (PACKAGE / layer).rglob("*.py"):
            if QT_IMPORT.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(PACKAGE)))
    for path in (PACKAGE / "__init__.py", PACKAGE / "cli.py"):
        if path.exists() and QT_IMPORT.search(path.read_text(encoding="utf-8")):
            offenders.append(path.name)
    assert not offenders


def test_scripting_api_runs_without_importing_qt():
    code = """
import sys
import circuit_editor as ce
import circuit_editor.core.circuit, circuit_editor.core.engine, circuit_editor.core.parse
c = ce.from_code("g = x + y\\nh = g * z\\nf = h + x")
r = ce.evaluate(c, {"x": -2, "y": 5, "z": -4})
assert (r.output, r.value["g"], r.grad["x"]) == (-14.0, 3.0, -3.0)
assert ce.gradcheck(c, {"x": -2, "y": 5, "z": -4}).ok
r.trace(); r.wire_grads; r.kinks
try:
    import circuit_editor.files
except ImportError:
    pass
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
print(bad)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
