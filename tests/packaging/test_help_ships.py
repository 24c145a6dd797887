"""The offline help ships in the wheel: every file of resources/help/ and every picture the
guide shows match the package-data patterns of pyproject.toml."""

import re
from fnmatch import fnmatch
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pytest brings tomli
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"


def shipped_patterns() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert config["package-dir"]["circuit_editor._resources"] == "resources"
    return config["package-data"]["circuit_editor._resources"]


def ships(path: Path) -> bool:
    rel = path.relative_to(RESOURCES).as_posix()
    return any(fnmatch(rel, pattern) for pattern in shipped_patterns())


def test_every_help_file_and_every_picture_of_the_guide_ships():
    guide = RESOURCES / "help" / "guide.html"
    help_files = [p for p in (RESOURCES / "help").rglob("*") if p.is_file()]
    assert guide in help_files
    for p in help_files:
        assert ships(p), p
    pictures = re.findall(r'<img src="([^"]+)"', guide.read_text(encoding="utf-8"))
    assert pictures
    for src in pictures:
        picture = (guide.parent / src).resolve()
        assert picture.is_file() and picture.is_relative_to(RESOURCES), src
        assert ships(picture), src
