"""The ``.circuit`` file format: loading untrusted files safely, saving atomically.

    from circuit_editor.files import load, save
    save(circuit, "lecture.circuit")
    circuit = load("lecture.circuit")     # a Circuit, or FileFormatError saying where and what

No Qt here. The format is JSON, described by ``resources/circuit.schema.json``.
"""

from ..core.parts import MAX_COORDINATE
from .disk import FileStamp, load, load_stamped, loads, save, stamp
from .errors import FileFormatError
from .jsontext import MAX_FILE_BYTES
from .migrate import CURRENT_VERSION, FORMAT, MIGRATIONS
from .read import MAX_FILE_GATES
from .write import dumps

__all__ = [
    "CURRENT_VERSION",
    "FORMAT",
    "MAX_COORDINATE",
    "MAX_FILE_BYTES",
    "MAX_FILE_GATES",
    "MIGRATIONS",
    "FileFormatError",
    "FileStamp",
    "dumps",
    "load",
    "load_stamped",
    "loads",
    "save",
    "stamp",
]
