"""The ``.circuit`` file format: loading untrusted files safely, saving atomically.

    from circuit_editor.files import load, save
    save(circuit, "lecture.circuit")
    circuit = load("lecture.circuit")     # a Circuit, or FileFormatError saying where and what

No Qt here. The format is JSON, described by ``resources/circuit.schema.json``.
"""

from .disk import load, loads, save
from .errors import FileFormatError
from .jsontext import MAX_FILE_BYTES
from .migrate import CURRENT_VERSION, FORMAT, MIGRATIONS
from .write import dumps

__all__ = [
    "CURRENT_VERSION",
    "FORMAT",
    "MAX_FILE_BYTES",
    "MIGRATIONS",
    "FileFormatError",
    "dumps",
    "load",
    "loads",
    "save",
]
