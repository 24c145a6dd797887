"""The README's promises: CI runs its test command, and its API example prints what it says."""

import re
from importlib.metadata import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def shell_blocks():
    return re.findall(r"```sh\n(.*?)```", README, re.S)


def test_the_first_screen_has_the_two_commands():
    first_screen = "\n".join(README.splitlines()[:30])
    commands = [
        line
        for block in re.findall(r"```sh\n(.*?)```", first_screen, re.S)
        for line in block.splitlines()
        if line and not line.startswith("#")
    ]
    assert any("circuit-editor" in c and "pip install" in c for c in commands)
    assert any("pytest" in c and "pip install" in c for c in commands)


def test_ci_runs_exactly_the_readme_test_command():
    """CI runs the README's command as it stands, only with the interpreter of each version
    ("$python" for python3) and a temporary folder of its own ("$venv" for .venv)."""
    test_cmd = next(
        line
        for block in shell_blocks()
        for line in block.splitlines()
        if "pytest" in line and not line.startswith("#")
    )
    assert test_cmd.startswith("python3 -m venv .venv && . .venv/bin/activate && ")
    in_ci = test_cmd.replace("python3 -m venv .venv", '"$python" -m venv "$venv"').replace(
        ". .venv/bin/activate", '. "$venv/bin/activate"'
    )
    assert in_ci in [line.strip() for line in CI.splitlines()]
    commands = [line for line in CI.splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in commands if ".venv" in line]  # the developer's, not CI's


def test_ci_tests_every_python_the_package_declares():
    (versions,) = re.findall(r'^VERSIONS="(.*)"$', CI, re.M)
    meta = metadata("circuit-editor")
    declared = [
        c.rpartition(" :: ")[2]
        for c in meta.get_all("Classifier") or []
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    assert versions.split() == declared
    assert meta["Requires-Python"] == ">=" + declared[0]
    assert f"Python {declared[0]} or newer" in README


def test_the_api_example_gives_the_numbers_it_shows():
    block = re.search(r"```python\n(import circuit_editor as ce.*?)```", README, re.S).group(1)
    import circuit_editor as ce

    namespace = {"ce": ce}
    checked = 0
    for line in block.splitlines():
        code, _, comment = line.partition("#")
        code = code.strip()
        if not code:
            continue
        m = re.match(r"\s*(-?[\d.]+|True|False)\b", comment)
        if m and "=" not in code.split("(")[0]:
            assert eval(code, namespace) == eval(m.group(1)), line  # the README's own text
            checked += 1
        else:
            exec(code, namespace)  # the README's own text
    assert checked >= 4
