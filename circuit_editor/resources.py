"""Where the bundled resources (examples, fonts, schema, icons) are: ``resources/`` beside the
package in a checkout or editable install, ``circuit_editor/_resources`` in a wheel."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent
_CANDIDATES = (_HERE.parent / "resources", _HERE / "_resources")


def root() -> Path:
    for p in _CANDIDATES:
        if (p / "examples").is_dir():
            return p
    raise FileNotFoundError("the bundled resources folder is missing from this installation")


def path(*parts: str) -> Path:
    return root().joinpath(*parts)


def examples() -> list[Path]:
    """The bundled example circuits, in the worksheet's order."""
    return sorted(path("examples").glob("*.circuit"))
