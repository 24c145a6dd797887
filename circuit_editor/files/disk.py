"""Reading and writing ``.circuit`` files on disk.

Only ordinary files are read: a named pipe, a device or a socket is refused at once, before
anything waits on it or reads from it for ever (:func:`open_regular`, the one place every entry
point opens a circuit file through).

Saving never leaves a half-written file where the old one was: the text goes to a temporary
file in the same folder, is flushed to the disk, and only then renamed over the old file (a
rename within one folder is atomic). If anything fails, the temporary file is removed and the
old file is left as it was; the error names the user's file, never the temporary one. A file
whose permissions forbid writing is not replaced. Temporary files that an interrupted save of
the same file left behind are removed by the next save of it, once they are
:data:`STALE_TEMP_SECONDS` old (younger ones may belong to another copy of the app, saving now).

Each read and each save gives a :class:`FileStamp`, so a caller can notice that another
program changed the file since.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import time
from dataclasses import dataclass
from typing import BinaryIO

from ..core.circuit import Circuit
from .errors import no_gc
from .jsontext import MAX_FILE_BYTES, parse, too_big
from .read import circuit_from_document
from .write import dumps

StrPath = str | os.PathLike[str]
"""A file's path, as text or as a path object."""

STALE_TEMP_SECONDS = 600.0
"""How old a temporary file left by an interrupted save must be before a later save of the
same file removes it: ten minutes, far longer than any save takes."""

_NOT_FILES = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)
_TEMP_TAIL = re.compile(r"[a-z0-9_]{8}\.tmp\Z")  # what tempfile.mkstemp adds after our prefix


@dataclass(frozen=True)
class FileStamp:
    """How a file looked on disk when it was read or written. When another program changes
    the file, or puts another file in its place, its stamp changes."""

    size: int
    mtime_ns: int
    inode: int
    device: int

    @classmethod
    def of(cls, st: os.stat_result) -> FileStamp:
        return cls(st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)


def stamp(path: StrPath) -> FileStamp | None:
    """The stamp of the file at ``path`` now, or None when there is none (or it cannot be
    looked at)."""
    try:
        return FileStamp.of(os.stat(path))
    except (OSError, ValueError):
        return None


def _refuse_unless_regular(mode: int, path: StrPath) -> None:
    """An OSError saying what ``path`` is, unless it is an ordinary file."""
    for test, what in _NOT_FILES:
        if test(mode):
            code = errno.EISDIR if what == "a folder" else errno.EINVAL
            raise OSError(code, f"this is {what}, not a file", path)


def open_regular(path: StrPath) -> BinaryIO:
    """The file at ``path``, open for reading, if it is an ordinary file. Anything else is
    refused at once with an OSError saying what it is: opening a named pipe waits for a
    writer, and a device can be read for ever."""
    _refuse_unless_regular(os.stat(path).st_mode, path)  # a socket cannot even be opened
    # It may have been swapped for a pipe since: never wait while opening, and look again.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    try:
        _refuse_unless_regular(os.fstat(fd).st_mode, path)
        return open(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def loads(data: str | bytes) -> Circuit:
    """The circuit in the text (or UTF-8 bytes) of a circuit file; raises FileFormatError."""
    with no_gc():
        return circuit_from_document(parse(data))


def load(path: StrPath) -> Circuit:
    """The circuit saved in the file at ``path``.

    Raises FileFormatError for anything wrong with the file's content, and OSError when the
    file cannot be read at all (it does not exist, it is not an ordinary file, permission is
    denied)."""
    return load_stamped(path)[0]


def load_stamped(path: StrPath) -> tuple[Circuit, FileStamp]:
    """The circuit saved at ``path``, and the stamp of the file it was read from."""
    with open_regular(path) as f:
        st = os.fstat(f.fileno())
        if st.st_size > MAX_FILE_BYTES:  # refuse before reading any of it
            raise too_big(st.st_size)
        data = f.read(MAX_FILE_BYTES + 1)  # the size may lie (a growing file)
    if len(data) > MAX_FILE_BYTES:
        raise too_big(len(data))
    return loads(data), FileStamp.of(st)


def is_read_only(st: os.stat_result) -> bool:
    """Whether the file's permission bits forbid this process to write it: the owner's bits
    for its owner, the group's for its group, the others' for anyone else (replacing the
    file needs only the folder's permission, so the file's own must be checked here). An
    administrator may write any file that has a write bit at all, but not one made
    read-only for everyone."""
    anyone = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    if not hasattr(os, "geteuid"):
        return not st.st_mode & anyone
    if os.geteuid() == 0:
        return not st.st_mode & anyone
    if st.st_uid == os.geteuid():
        return not st.st_mode & stat.S_IWUSR
    if st.st_gid in {os.getegid(), *os.getgroups()}:
        return not st.st_mode & stat.S_IWGRP
    return not st.st_mode & stat.S_IWOTH


def save(circuit: Circuit, path: StrPath) -> FileStamp:
    """Write the circuit to ``path``, replacing any file there only once the new one is
    complete on disk; returns the stamp of the file written. An existing file keeps its
    permission bits. Raises OSError naming ``path`` on failure, with the old file intact
    (PermissionError for a read-only file, which is left alone), and ValueError, before
    touching any file, for a circuit a file cannot hold (a NaN put straight into
    ``input_sets``)."""
    data = dumps(circuit).encode("utf-8")
    shown = os.fspath(path)
    path = os.path.realpath(shown)  # through a symlink, replace the file it names
    try:
        st = os.stat(path)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    else:
        _refuse_unless_regular(st.st_mode, shown)
        if is_read_only(st):
            raise PermissionError(errno.EACCES, "the file is read-only", shown)
        mode = stat.S_IMODE(st.st_mode)
    written = _write_and_replace(data, path, mode, shown)
    _sync_folder(os.path.dirname(path))
    _remove_stale_temps(path)
    return written


def _temp_prefix(path: str) -> str:
    return "." + os.path.basename(path)[:100] + "."


def _write_and_replace(data: bytes, path: str, mode: int, shown: str) -> FileStamp:
    """Write ``data`` to a new temporary file beside ``path`` and rename it over ``path``."""
    try:
        fd, tmp = tempfile.mkstemp(
            dir=os.path.dirname(path), prefix=_temp_prefix(path), suffix=".tmp"
        )
    except OSError as e:
        raise _about(e, shown) from e
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
            os.chmod(tmp, mode)
            written = FileStamp.of(os.fstat(f.fileno()))
        os.replace(tmp, path)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise _about(e, shown) from e
        if isinstance(e, Exception):
            raise OSError(f"could not save {shown}: {e}") from e
        raise
    return written


def _about(e: OSError, shown: str) -> OSError:
    """The same error, about the user's file rather than the temporary one."""
    if e.errno is None:
        return OSError(f"could not save {shown}: {e.strerror or e}")
    return OSError(e.errno, e.strerror or os.strerror(e.errno), shown)


def _remove_stale_temps(path: str) -> None:
    """Remove what interrupted saves of ``path`` left, once it is old enough to be sure no
    save is still writing it."""
    prefix = _temp_prefix(path)
    cutoff = time.time() - STALE_TEMP_SECONDS
    try:
        entries = list(os.scandir(os.path.dirname(path)))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and _TEMP_TAIL.match(name, len(prefix))):
            continue
        with contextlib.suppress(OSError):
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(st.st_mode) and st.st_mtime < cutoff:
                os.unlink(entry.path)


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
