"""The command line: what it prints, its exit codes, and that errors are one clean line."""

import json
import math
import os
import re
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


def test_eval_numbers_align_under_their_headers(capsys):
    assert main(["eval", str(NEURON), "--input-set", "worksheet", "--wrt", "w[0]"]) == 0
    table = capsys.readouterr().out.split("\n\n")[0].splitlines()

    def ends(line):
        return [m.end() for m in re.finditer(r"\S+", line)][1:]  # after the name column

    head = ends(table[0])
    assert len(head) == 3 and len(table) == 14
    assert all(ends(line) == head for line in table[1:]), "\n".join(table)
    assert any(len(line.split()[1]) > len("value") for line in table[1:])  # wider than it


def test_check_goes_on_past_a_name_the_terminal_cannot_show(tmp_path):
    odd = tmp_path / os.fsdecode(b"caf\xe9.circuit")  # not UTF-8: a surrogate escape in Python
    odd.write_bytes(STAGED.read_bytes())
    accented = tmp_path / "\u00e9t\u00e9.circuit"
    accented.write_bytes(STAGED.read_bytes())
    bad = tmp_path / "bad.circuit"
    bad.write_text("{not json")
    proc = subprocess.run(
        [sys.executable, "-m", "circuit_editor", "check", os.fsencode(odd), accented, bad, STAGED],
        capture_output=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
    )
    lines = proc.stdout.decode("ascii").splitlines()
    assert proc.returncode == 1 and proc.stderr == b"", proc.stderr
    assert len(lines) == 4
    assert lines[0].endswith("caf\\udce9.circuit: ok (6 gates, 6 wires)")
    assert lines[1].endswith("\\xe9t\\xe9.circuit: ok (6 gates, 6 wires)")
    assert ": invalid:" in lines[2] and lines[3].endswith(": ok (6 gates, 6 wires)")


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
        ["frobnicate"],
        ["eval", STAGED, "--tie", "wrong"],
        ["eval", STAGED, "--bogus"],
        ["code"],
        ["examples", "extra"],
        ["eval", "example:nope"],
        ["example:nope"],
        ["--frobnicate"],
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args):
    code, out, err = run(*args)
    assert code == 2, (out, err)
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert err.startswith("circuit-editor") and "error: " in err and out == ""


def test_a_word_that_is_no_command_and_no_file_never_opens_the_app():
    script = (
        "import sys\n"
        "from circuit_editor.cli import main\n"
        "code = main(['frobnicate'])\n"
        "print(code, sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert proc.stdout.strip() == "2 []", proc.stderr
    assert "'frobnicate' is neither a command" in proc.stderr


def test_the_help_shows_how_to_open_a_file():
    code, out, _ = run("--help")
    assert code == 0 and out.startswith("usage: circuit-editor [FILE]\n")
    assert "examples" in out and "example:NAME" in out


def test_code_prints_the_worksheet_style(capsys):
    assert main(["code", str(STAGED)]) == 0
    out = capsys.readouterr().out
    assert "## forward pass" in out and "## backward pass" in out and "dx += dg * 1.0" in out


def run_python(path, cwd):
    proc = subprocess.run(
        [sys.executable, "-I", str(path)], capture_output=True, text=True, timeout=120, cwd=cwd
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_code_runs_on_its_own_and_prints_the_worksheets_numbers(tmp_path):
    """The neuron at w = [2, -3, -3], x = [-1, -2]: dot = 1, f = s(1), and with
    s'(1) = s(1)(1 - s(1)): df/dw = x s'(1) (1 for w[2]), df/dx = w s'(1)."""
    code, out, err = run("code", "example:4abc")
    assert code == 0, err
    (tmp_path / "neuron.py").write_text(out)
    printed = dict(
        line.rsplit(" = ", 1) for line in run_python("neuron.py", tmp_path).split("\n")[:-1]
    )
    s = 1 / (1 + math.exp(-1))
    ds = s * (1 - s)
    want = {"f": s, "df/dw[0]": -ds, "df/dx[0]": 2 * ds, "df/dw[1]": -2 * ds}
    want |= {"df/dx[1]": -3 * ds, "df/dw[2]": ds}
    assert printed.keys() == want.keys()
    for name, x in want.items():
        assert math.isclose(float(printed[name]), x, rel_tol=1e-14), name


def test_code_of_a_hostile_file_runs_nothing_of_the_file(tmp_path):
    import circuit_editor as ce

    c = ce.load(STAGED)
    c.set_setting("title", "Staged\nimport pathlib; pathlib.Path('ran').write_text('ran')")
    c.set_setting("description", "\r__import__('os').system('touch ran2')")
    ce.save(c, tmp_path / "hostile.circuit")
    code, out, err = run("code", tmp_path / "hostile.circuit")
    assert code == 0, err
    (tmp_path / "hostile.py").write_text(out)
    assert run_python("hostile.py", tmp_path).splitlines()[0] == "f = -14.0"
    assert not (tmp_path / "ran").exists() and not (tmp_path / "ran2").exists()


def test_examples_are_listed_and_usable_by_name(tmp_path):
    code, out, err = run("examples")
    assert code == 0, err
    names = [line.split()[0] for line in out.splitlines()]
    assert names == ["example:1a", "example:1b", "example:1c", "example:1d", "example:2"] + [
        "example:4abc",
        "example:4d",
    ]
    assert "4(d) f(x, y) = (x + s(y)) / (s(x) + (x + y)^2)" in out
    code, out, err = run("eval", "example:4d", "--set", "x=3", "--set", "y=-4", "--json")
    assert code == 0, err
    s = 1 / (1 + math.exp(4))  # s(y) at y = -4; f = (x + s(y)) / (s(x) + (x + y)^2)
    assert math.isclose(json.loads(out)["output"], (3 + s) / (1 / (1 + math.exp(-3)) + 1))
    code, out, err = run("check", "example:2", "example:2-staged")
    assert code == 0 and out.count(": ok (6 gates, 6 wires)") == 2, (out, err)


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


def test_code_takes_the_input_values_and_target_given(tmp_path):
    """f = (x + y)z + x at x = 1, y = 2, z = 3: f = 10, df/dx = z + 1 = 4, df/dy = z = 3,
    df/dz = x + y = 3; and g = x + y differentiated: dg/dx = dg/dy = 1, dg/dz = 0."""
    code, out, err = run("code", "example:2", "--input-set", "x = 1, y = 2, z = 3")
    assert code == 0, err
    (tmp_path / "a.py").write_text(out)
    printed = run_python("a.py", tmp_path)
    assert printed == "f = 10.0\ndf/dx = 4.0\ndf/dy = 3.0\ndf/dz = 3.0\n"
    code, out, err = run("code", "example:2", "--set", "x=1", "--set", "y=2", "--target", "g")
    assert code == 0, err
    (tmp_path / "b.py").write_text(out)
    assert run_python("b.py", tmp_path) == "f = -11.0\ndg/dx = 1.0\ndg/dy = 1.0\ndg/dz = 0.0\n"


def test_code_in_the_numpy_style_runs_a_batch(tmp_path):
    """The staged example now (x, y, z) = (-2, 5, -4), then its sets: the worksheet's point
    and (1, 2, 3): f = (x + y)z + x = [-14, -14, 10], df/dx = z + 1 = [-3, -3, 4]."""
    code, out, err = run("code", "example:2", "--style", "numpy")
    assert code == 0, err
    (tmp_path / "batch.py").write_text(out)
    lines = run_python("batch.py", tmp_path).splitlines()
    assert lines[:2] == ["f = [-14.0, -14.0, 10.0]", "df/dx = [-3.0, -3.0, 4.0]"]
    code, _, err = run("code", "example:2", "--style", "fortran")
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_a_reader_that_goes_away_is_no_error():
    """``circuit-editor examples | head -0``: the pipe is closed before anything is written."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "circuit_editor", "examples"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert err == b"" and proc.returncode in (0, 1)


NOTES_SNIPPET = """x = -2; y = 5; z = -4
q = x + y
f = q * z
# perform the backward pass (backpropagation) in reverse order:
dfdz = q
dfdq = z
dfdx = 1.0 * dfdq
dfdy = 1.0 * dfdq
"""


def test_eval_code_reads_a_py_file_or_standard_input(tmp_path):
    """--code takes the code, a .py file holding it, or - for standard input: the notes'
    snippet gives f = (x + y)z = -12, df/dx = df/dy = z = -4, df/dz = x + y = 3."""
    path = tmp_path / "notes.py"
    path.write_text(NOTES_SNIPPET, encoding="utf-8")
    want = {"x": -4.0, "y": -4.0, "z": 3.0, "q": -4.0, "f": 1.0}
    code, out, err = run("eval", "--code", path, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["output"] == -12.0 and data["grads"] == want
    proc = subprocess.run(
        [sys.executable, "-m", "circuit_editor", "eval", "--code", "-", "--set", "x=3", "--json"],
        input=NOTES_SNIPPET,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["output"] == (3 + 5) * -4
    (tmp_path / "bad.py").write_bytes(b"\xff\xfe f = x")
    code, out, err = run("eval", "--code", tmp_path / "bad.py")
    assert code == 2 and err.strip().endswith("bad.py is not UTF-8 text (byte 1)")
