"""File format versions, and the chain of upgrades from each old version to the next.

To change the format: raise ``CURRENT_VERSION`` to N + 1, add ``MIGRATIONS[N]``, a function that
turns a version-N document (plain JSON data, already checked to be an object with the right
"format") into a version-(N + 1) one, and save a new fixture ``tests/files/fixtures/vN+1.circuit``.
Old fixtures stay forever: the tests load every one of them. A migration may meet a damaged old
file, so it raises :class:`FileFormatError` (with a path) for anything it cannot upgrade.
"""

from __future__ import annotations

from collections.abc import Callable

from .errors import FileFormatError, describe, short
from .jsontext import Bad, Duplicated

FORMAT = "circuit-editor"
CURRENT_VERSION = 1

# The keys of a current-version document, in the order they are written: the reader and the JSON
# Schema take them from here.
TOP_KEYS = (
    "format",
    "version",
    "title",
    "description",
    "settings",
    "output",
    "target",
    "gates",
    "wires",
    "input_sets",
)
GATE_KEYS = ("id", "kind", "label", "params", "value", "pos")
REQUIRED_GATE_KEYS = ("id", "kind", "label", "params", "pos")  # "value": inputs, constants only

Document = dict[str, object]
"""A circuit file's JSON object, its values not yet checked."""

MIGRATIONS: dict[int, Callable[[Document], Document]] = {
    # 1: _v1_to_v2,
}
"""version N -> the function upgrading a version-N document to version N + 1."""


def file_version(doc: object) -> int:
    """The version of a document, once it is known to be a circuit file this app can read."""
    if isinstance(doc, Duplicated):
        raise FileFormatError(
            f"the key {short(doc.duplicate)} appears twice at the top of the file"
        )
    if not isinstance(doc, dict):
        kind = "a list" if isinstance(doc, list) else "a single value"
        raise FileFormatError(
            f"this is not a circuit file: it holds {kind}, not an object "
            '{...} with "format": "circuit-editor"'
        )
    fmt = doc.get("format")
    if fmt != FORMAT:
        said = (
            'it has no "format"' if "format" not in doc else 'its "format" is not "circuit-editor"'
        )
        raise FileFormatError(
            f"this is not a circuit-editor file: {said}", "format" if "format" in doc else ""
        )
    version = doc.get("version")
    if "version" not in doc:
        raise FileFormatError(
            'the key "version" is missing: the file does not say which '
            "version of the format it uses"
        )
    if isinstance(version, Bad):
        raise FileFormatError(version.reason, "version")
    if isinstance(version, float) and version.is_integer():
        version = int(version)
    if isinstance(version, bool) or not isinstance(version, int):
        raise FileFormatError(
            f"should be a whole number such as 1, not {describe(version)}", "version"
        )
    if version > CURRENT_VERSION:
        raise FileFormatError(
            f"this file was saved by a newer circuit-editor (format version {version}; this "
            f"version reads up to {CURRENT_VERSION}). Update circuit-editor to open it.",
            "version",
        )
    if version < 1:
        raise FileFormatError(
            f"there is no format version {version}; versions start at 1", "version"
        )
    return version


def upgrade(doc: object) -> Document:
    """The document brought to ``CURRENT_VERSION``, one step at a time."""
    version = file_version(doc)
    assert isinstance(doc, dict)  # file_version refuses anything else
    while version < CURRENT_VERSION:
        try:
            doc = MIGRATIONS[version](doc)
        except FileFormatError:
            raise
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as e:
            raise FileFormatError(
                f"this version {version} file is damaged and cannot be "
                f"upgraded to version {version + 1} ({e})"
            ) from None
        version += 1
        doc["version"] = version
    return doc
