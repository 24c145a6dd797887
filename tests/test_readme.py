"""The README's promises: CI runs its test command, and its API example prints what it says."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


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
    test_cmd = next(
        line
        for block in shell_blocks()
        for line in block.splitlines()
        if "pytest" in line and not line.startswith("#")
    )
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_cmd.strip() in [line.strip() for line in ci.splitlines()]


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
