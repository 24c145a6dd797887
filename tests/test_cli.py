"""The command line: what it prints, its exit codes, and that errors are one clean line."""

import json
import os
import subprocess
import sys

import pytest

from circuit_editor import __version__, resources
from circuit_editor.cli import main

STAGED = resources.path("examples", "2-staged.circuit")
NEURON = resources.path("examples", "4abc-neuron.circuit")


def run(*args, env=None):
    """The real console command, as a user runs it."""
    proc = subprocess.run(
        [sys.executable, "-m", "circuit_editor", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )
    return proc.returncode, proc.stdout, proc.stderr


def test_eval_json_at_the_worksheet_point():
    code, out, err = run("eval", STAGED, "--set", "x=-2", "--set", "y=5", "--set", "z=-4", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["output"] == -14.0
    assert data["values"]["g"] == 3.0 and data["values"]["h"] == -12.0
    assert data["grads"] == {"x": -3.0, "y": -4.0, "g": -4.0, "z": 3.0, "h": 1.0, "f": 1.0}
    assert "nonfinite" not in data


def test_eval_code_with_wrt_gives_forward_mode():
    code, out, err = run(
        "eval",
        "--code",
        "f = (x + y) * z",
        "--set",
        "x=-2",
        "--set",
        "y=5",
        "--set",
        "z=-4",
        "--wrt",
        "x",
        "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["output"] == -12.0
    assert data["forward"]["f"] == -4.0 and data["forward"]["x"] == 1.0
    assert data["forward"]["z"] == 0.0


def test_eval_input_set_and_target():
    assert main(["eval", str(NEURON), "--input-set", "worksheet", "--target", "dot", "--json"]) == 0


def test_eval_table_is_readable(capsys):
    assert main(["eval", str(STAGED), "--input-set", "worksheet"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["name", "value", "df/dname"]
    row = {line.split()[0]: line.split()[1:] for line in lines[1:7]}
    assert row["x"] == ["-2", "-3"] and row["h"] == ["-12", "1"]
    assert "output f = -14" in out


def test_nonfinite_numbers_are_null_and_listed():
    code, out, err = run("eval", "--code", "f = 1 / x + y", "--set", "x=0", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["output"] is None and data["values"]["f"] is None
    assert "f" in data["nonfinite"] and "x" in data["nonfinite"]  # its gradient is inf


@pytest.mark.parametrize(
    "args,words",
    [
        (["eval", "nope.circuit"], "No such file"),
        (["eval", "--code", "f = x +"], "line 1"),
        (["eval", "--code", "f = x", "--set", "q=1"], "no input called 'q'"),
        (["eval", "--code", "f = x", "--input-set", "a"], "no input set called 'a'"),
        (["eval", "--code", "f = x", "--target", "zz"], "'zz'"),
        (["code", "nope.circuit"], "No such file"),
    ],
)
def test_errors_are_one_line_and_exit_1(args, words):
    code, _out, err = run(*args)
    assert code == 1
    assert words in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    "args",
    [
        ["eval"],
        ["eval", "--code", "f=x", "--set", "x"],
        ["eval", "--code", "f=x", "--set", "x=abc"],
        ["check"],
        ["export", str(STAGED)],
        ["bogus", "a", "b"],
    ],
)
def test_usage_errors_exit_2(args):
    code, out, err = run(*args)
    assert code == 2, (out, err)
    assert "Traceback" not in err


def test_code_prints_the_worksheet_style(capsys):
    assert main(["code", str(STAGED)]) == 0
    out = capsys.readouterr().out
    assert "## forward pass" in out and "## backward pass" in out and "dx += dg * 1.0" in out


def test_check_exit_codes(tmp_path, capsys):
    bad = tmp_path / "bad.circuit"
    bad.write_text("{not json")
    assert main(["check", str(STAGED), str(NEURON)]) == 0
    assert main(["check", str(STAGED), str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}: invalid:" in out


def test_version_and_help():
    code, out, _ = run("--version")
    assert code == 0 and out.strip() == f"circuit-editor {__version__}"
    code, out, _ = run("--help")
    assert code == 0 and "eval" in out and "export" in out


def test_eval_code_and_check_never_import_qt():
    script = (
        "import sys, contextlib, io\n"
        "from circuit_editor.cli import main\n"
        f"p = {str(STAGED)!r}\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['eval', p, '--json']); main(['code', p]); main(['check', p])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "suffix,magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")]
)
def test_export_works_without_a_display(tmp_path, suffix, magic):
    out = tmp_path / f"staged{suffix}"
    env = {"QT_QPA_PLATFORM": "", "DISPLAY": "", "WAYLAND_DISPLAY": ""}
    code, _stdout, err = run("export", STAGED, "-o", out, "--input-set", "worksheet", env=env)
    assert code == 0, err
    assert out.read_bytes().startswith(magic)
    if suffix == ".svg":
        text = out.read_text()
        assert ">-14<" in text and ">-3<" in text  # the numbers are in the drawing


def test_export_refuses_an_unknown_format(tmp_path):
    code, _, err = run("export", STAGED, "-o", tmp_path / "x.gif")
    assert code == 1 and ".gif" in err


def test_an_input_set_gives_the_values_of_the_inputs_the_circuit_has(tmp_path, capsys):
    import circuit_editor as ce

    c = ce.from_code("f = x * y")
    c.set_input_set("old", {"x": 3.0, "deleted": 9.0})  # one of its inputs has gone
    path = tmp_path / "old.circuit"
    ce.save(c, path)
    assert main(["eval", str(path), "--input-set", "old", "--set", "y=2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["output"] == 6.0
