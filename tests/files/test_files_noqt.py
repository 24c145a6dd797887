"""The file layer is Qt-free: importing and using it loads no PySide6."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_files_package_never_imports_pyside6(tmp_path):
    code = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
import circuit_editor.files as files
from circuit_editor.files import schema
c = files.loads(open({str(ROOT / "tests/files/fixtures/v1.circuit")!r}, "rb").read())
files.save(c, {str(tmp_path / "a.circuit")!r})
files.load({str(tmp_path / "a.circuit")!r})
schema.schema_text()
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"))
print(qt)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
