"""No input makes an entry point hang or use memory without bound: every command runs in a real
subprocess under a memory cap (RLIMIT_AS) and a timeout that only a hang would reach."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from circuit_editor import resources

ROOT = Path(__file__).resolve().parent.parent
CAP_MB = 1024  # a command that reads a small file and draws it needs about 400
STAGED = resources.path("examples", "2-staged.circuit")


def capped(*argv: str) -> subprocess.CompletedProcess[str]:
    """``circuit-editor ARGV`` (or ``python -c`` code given as ``-c CODE``) under the memory cap."""
    prelude = (
        "import resource, sys, runpy\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({CAP_MB} << 20, {CAP_MB} << 20))\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
    )
    if argv[0] == "-c":
        code = prelude + argv[1]
    else:
        code = prelude + f"sys.argv = ['circuit-editor', *{list(argv)!r}]\n"
        code += "runpy.run_module('circuit_editor', run_name='__main__')\n"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )


def one_gate_at(tmp_path: Path, x: float) -> Path:
    """A 1 KB file: an input at (x, 0), otherwise valid."""
    doc = json.loads(STAGED.read_text())
    gate = dict(doc["gates"][0], pos=[x, 0.0])
    doc["gates"], doc["wires"], doc["input_sets"] = [gate], [], {}
    doc["output"] = doc["target"] = None
    path = tmp_path / f"far-{x:g}.circuit"
    path.write_text(json.dumps(doc))
    assert path.stat().st_size < 1024
    return path


def one_line_error(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr
    said = (proc.stdout + proc.stderr).strip()
    assert len(said.splitlines()) == 1, said
    for word in words:
        assert word in said, said


@pytest.mark.parametrize(
    "command,x",
    [("export", 1e308), ("export", 1e6), ("check", -1e308), ("check", 100_000.5)]
    + [("eval", 1e6), ("code", 1e6)],
)
def test_a_gate_far_away_is_refused_by_every_command(tmp_path, x, command):
    path = one_gate_at(tmp_path, x)
    out = ["-o", str(tmp_path / "far.png")] if command == "export" else []
    one_line_error(capped(command, str(path), *out), "gates[0].pos[0]", "too far away")
    assert not (tmp_path / "far.png").exists()


def test_the_library_refuses_it_too_under_the_cap(tmp_path):
    path = one_gate_at(tmp_path, 1e308)
    proc = capped(
        "-c",
        "import circuit_editor as ce\n"
        f"try:\n    ce.load({str(path)!r})\n"
        "except ce.FileFormatError as e:\n    print('refused:', e)\n",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("refused: gates[0].pos[0]: the number 1e+308")


def test_a_gate_at_the_limit_opens(tmp_path):
    path = one_gate_at(tmp_path, 100_000.0)
    proc = capped("check", str(path))
    assert proc.returncode == 0 and "ok (1 gates" in proc.stdout, proc.stderr


@pytest.mark.parametrize("command", ["check", "eval", "code", "export"])
def test_a_named_pipe_is_refused_at_once(tmp_path, command):
    fifo = tmp_path / "pipe.circuit"
    os.mkfifo(fifo)
    out = ["-o", str(tmp_path / "pipe.png")] if command == "export" else []
    one_line_error(capped(command, str(fifo), *out), "pipe.circuit", "named pipe (FIFO)")


def test_a_device_is_refused_without_being_read():
    one_line_error(capped("check", "/dev/zero"), "/dev/zero", "a device, not a file")


def test_a_picture_beyond_the_pixel_budget_is_refused_in_one_line(tmp_path):
    doc = json.loads(one_gate_at(tmp_path, -100_000.0).read_text())
    doc["gates"].append(dict(doc["gates"][0], id="far", label="far", pos=[100_000.0, 100_000.0]))
    path = tmp_path / "wide.circuit"
    path.write_text(json.dumps(doc))
    png = tmp_path / "wide.png"
    proc = capped("export", str(path), "-o", str(png), "--scale", "20")
    one_line_error(proc, "would be 4,00", " pixels", "smaller scale", "SVG or PDF")
    assert "QPainter" not in proc.stderr and not png.exists()
    small = capped("export", str(STAGED), "-o", str(png))
    assert small.returncode == 0 and png.read_bytes().startswith(b"\x89PNG"), small.stderr
