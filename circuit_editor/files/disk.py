"""Reading and writing ``.circuit`` files on disk.

Saving never leaves a half-written file where the old one was: the text goes to a temporary
file in the same folder, is flushed to the disk, and only then renamed over the old file (a
rename within one folder is atomic). If anything fails, the temporary file is removed and the
old file is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile

from ..core.circuit import Circuit
from .errors import no_gc
from .jsontext import MAX_FILE_BYTES, parse, too_big
from .read import circuit_from_document
from .write import dumps

StrPath = str | os.PathLike[str]
"""A file's path, as text or as a path object."""


def loads(data: str | bytes) -> Circuit:
    """The circuit in the text (or UTF-8 bytes) of a circuit file; raises FileFormatError."""
    with no_gc():
        return circuit_from_document(parse(data))


def load(path: StrPath) -> Circuit:
    """The circuit saved in the file at ``path``.

    Raises FileFormatError for anything wrong with the file's content, and OSError when the
    file cannot be read at all (it does not exist, it is a folder, permission is denied)."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size > MAX_FILE_BYTES:  # refuse before reading any of it
            raise too_big(size)
        data = f.read(MAX_FILE_BYTES + 1)  # the size may lie (a pipe, a growing file)
    if len(data) > MAX_FILE_BYTES:
        raise too_big(len(data))
    return loads(data)


def save(circuit: Circuit, path: StrPath) -> None:
    """Write the circuit to ``path``, replacing any file there only once the new one is
    complete on disk. An existing file keeps its permission bits. Raises OSError on failure,
    with the old file intact, and ValueError, before touching any file, for a circuit a file
    cannot hold (a NaN put straight into ``input_sets``)."""
    data = dumps(circuit).encode("utf-8")
    path = os.path.realpath(os.fspath(path))  # through a symlink, replace the file it names
    folder = os.path.dirname(path)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(
        dir=folder, prefix="." + os.path.basename(path)[:100] + ".", suffix=".tmp"
    )
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, Exception) and not isinstance(e, OSError):
            raise OSError(f"could not save {path}: {e}") from e
        raise
    _sync_folder(folder)


def _sync_folder(folder: str) -> None:
    """Flush the rename itself to disk, where the system allows opening a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
