"""Autosave: a snapshot of every modified document a few seconds after each edit, so that a
crash, a ``kill -9`` or a logout loses at most those seconds.

Where: the folder named by the environment variable ``CIRCUIT_EDITOR_RECOVERY_DIR``, else
``recovery/`` in the app's data folder (``QStandardPaths.AppDataLocation``). Never next to
the user's file, never over it.

What, per document: ``<instance>.<doc>.circuit``, an ordinary circuit file written by
:func:`files.save` (atomic: a temporary file, flushed, renamed into place), and beside it
``<instance>.<doc>.json``, a small sidecar saying where the circuit came from (its file, or
none), what it was called, when the snapshot was taken, and the pid and instance that took it.
The sidecar is separate because the file format refuses keys it does not know (the schema's
``additionalProperties`` is false), and a snapshot stays a file any copy of the app can open.
It is written first (with ``QSaveFile``, also atomic), so a circuit never lacks its sidecar.

Whose: each running copy holds a ``QLockFile`` ``<instance>.lock`` in the folder. A snapshot
whose instance's lock is free or stale (its process is gone) is orphaned, and the next start
offers it (:mod:`.recovery`); a copy still running keeps its own.

When it goes: a save, an undo back to the saved state, and a window closed after its prompt
remove the snapshot. SIGTERM and SIGHUP (a Python handler, woken by ``signal.set_wakeup_fd``
on a socket that a ``QSocketNotifier`` watches, Python's standard way under a C++ event loop),
the desktop session's ``commitDataRequest`` and ``aboutToQuit`` write the snapshots of modified
documents before the app leaves, and keep them.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import uuid
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QLockFile,
    QObject,
    QSaveFile,
    QSocketNotifier,
    QStandardPaths,
    QTimer,
    Signal,
)

from .. import files
from .document import Document

if TYPE_CHECKING:
    from .window import MainWindow

FOLDER_ENV = "CIRCUIT_EDITOR_RECOVERY_DIR"
DELAY_MS = 3000  # from the last edit to its snapshot
LONGEST_MS = 30_000  # from the first unsaved edit, however busy the editing
SIDECAR_FORMAT = "circuit-editor-recovery"
INSTANCE = re.compile(r"[0-9a-f]{12}")  # a running copy of the app: see RecoveryStore
LEAVE_SIGNALS = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]


def recovery_folder() -> Path:
    """Where snapshots are kept: ``$CIRCUIT_EDITOR_RECOVERY_DIR``, else the app's data folder's
    ``recovery/``."""
    named = os.environ.get(FOLDER_ENV)
    if named:
        return Path(named)
    data = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(data) / "recovery"


@dataclass(frozen=True)
class Origin:
    """What a snapshot's sidecar says: the document's file (None: never saved), its name as
    the title bar showed it, whether it was a bundled example, when the snapshot was taken (ISO
    time, UTC), and the process and instance that took it."""

    path: Path | None
    name: str
    example: bool
    saved_at: str
    pid: int
    instance: str

    def to_json(self) -> bytes:
        data = {
            "format": SIDECAR_FORMAT,
            "original": None if self.path is None else os.fspath(self.path),
            "name": self.name,
            "example": self.example,
            "saved": self.saved_at,
            "pid": self.pid,
            "instance": self.instance,
        }
        # ASCII escapes keep a path that is not UTF-8 (held as surrogates) exactly
        return (json.dumps(data, ensure_ascii=True, indent=1) + "\n").encode("ascii")

    @classmethod
    def from_json(cls, data: bytes) -> Origin:
        """The sidecar's content; ValueError saying what it is instead."""
        try:
            d = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ValueError(f"not JSON ({e})") from e
        if not isinstance(d, dict) or d.get("format") != SIDECAR_FORMAT:
            raise ValueError("not a recovery sidecar")
        original, name, saved = d.get("original"), d.get("name"), d.get("saved")
        pid, instance = d.get("pid"), d.get("instance")
        if not (original is None or isinstance(original, str)) or not isinstance(name, str):
            raise ValueError("incomplete: its file or name is not text")
        if not isinstance(saved, str) or not isinstance(pid, int) or not isinstance(instance, str):
            raise ValueError("incomplete: its time, pid or instance is missing")
        return cls(
            Path(original) if original else None,
            name,
            d.get("example") is True,
            saved,
            pid,
            instance,
        )


class RecoveryStore:
    """The recovery folder as one running copy of the app sees it: its own snapshots, under
    its own lock. Raises OSError when the folder cannot be made or locked."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else recovery_folder()
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # it holds the user's work
        self.instance = uuid.uuid4().hex[:12]
        self._lock = QLockFile(os.fspath(self.lock_path(self.instance)))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
        if not self._lock.tryLock(0):
            raise OSError(f"cannot lock {self.lock_path(self.instance)} ({self._lock.error()})")

    def lock_path(self, instance: str) -> Path:
        return self.folder / f"{instance}.lock"

    def snapshot_path(self, doc: str) -> Path:
        return self.folder / f"{self.instance}.{doc}.circuit"

    def write(self, doc: str, document: Document) -> Path:
        """Snapshot ``document`` as ``doc``: its sidecar, then the circuit, each atomically.
        Raises OSError (or ValueError for a circuit no file can hold)."""
        path = self.snapshot_path(doc)
        origin = Origin(
            document.path,
            document.display_name,
            document.is_example,
            datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            os.getpid(),
            self.instance,
        )
        sidecar = QSaveFile(os.fspath(sidecar_path(path)))
        if not sidecar.open(QSaveFile.OpenModeFlag.WriteOnly):
            raise OSError(sidecar.errorString())
        sidecar.write(origin.to_json())
        if not sidecar.commit():
            raise OSError(sidecar.errorString())
        files.save(document.circuit, path)
        return path

    def remove(self, doc: str) -> None:
        remove_snapshot(self.snapshot_path(doc))

    def is_running(self, instance: str) -> bool:
        """Whether the copy of the app called ``instance`` still runs: its lock is held by a
        live process. A free or stale lock is cleared on the way."""
        if instance == self.instance:
            return True
        path = self.lock_path(instance)
        if not path.exists():
            return False
        probe = QLockFile(os.fspath(path))
        probe.setStaleLockTime(0)
        if probe.tryLock(0):
            probe.unlock()  # removes the file: that copy is gone
            return False
        return True

    def release(self) -> None:
        self._lock.unlock()


def owner(path: Path) -> str | None:
    """The copy of the app a file in the recovery folder belongs to (its name up to the first
    dot; a hidden temporary file's after its leading dot), or None for a file not of ours."""
    instance = path.name.lstrip(".").split(".", 1)[0]
    return instance if INSTANCE.fullmatch(instance) else None


def sidecar_path(snapshot: Path) -> Path:
    return snapshot.with_suffix(".json")


def remove_snapshot(snapshot: Path) -> None:
    """The snapshot and its sidecar gone (the circuit first: a sidecar alone means nothing)."""
    for path in (snapshot, sidecar_path(snapshot)):
        with suppress(FileNotFoundError):
            path.unlink()


class Autosave(QObject):
    """The snapshot of one document: written ``timer.interval()`` ms after its last change
    (and at the latest ``deadline.interval()`` ms after the first one not yet in a snapshot,
    should the edits never pause) while it is modified; removed once it is not (saved,
    undone to clean, replaced)."""

    written = Signal(object)  # the snapshot's path
    failed = Signal(str)  # why a snapshot could not be written, a sentence

    def __init__(self, document: Document, store: RecoveryStore, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self.store = store
        self.doc = uuid.uuid4().hex[:8]
        self.timer = self._timer(DELAY_MS)
        self.deadline = self._timer(LONGEST_MS)
        self.closed = False  # closed, or the app is leaving: nothing more written or removed
        document.evaluated.connect(self._changed)  # after every edit, undo, redo and replace
        document.undo_stack.cleanChanged.connect(self._changed)
        document.pathChanged.connect(self._changed)
        document.destroyed.connect(self._stop)

    def _timer(self, ms: int) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        timer.timeout.connect(self.write)
        return timer

    @property
    def path(self) -> Path:
        return self.store.snapshot_path(self.doc)

    def _changed(self, *_: object) -> None:
        if self.closed:
            return
        if self.document.modified:
            self.timer.start()
            if not self.deadline.isActive():
                self.deadline.start()
        else:
            self._stop_timers()
            self.store.remove(self.doc)

    def write(self) -> bool:
        """Snapshot the document now if it is modified; whether a snapshot was written."""
        self._stop_timers()
        if self.closed or not self.document.modified:
            return False
        try:
            self.store.write(self.doc, self.document)
        except (OSError, ValueError) as e:
            self.failed.emit(f"Could not autosave {self.document.display_name}: {e}")
            return False
        self.written.emit(self.path)
        return True

    def keep(self) -> None:
        """The app is leaving without asking: snapshot the document if modified, and keep it."""
        self.write()
        self._stop()

    def close(self) -> None:
        """The document was closed after its prompt (saved or discarded): no snapshot."""
        self._stop()
        self.store.remove(self.doc)

    def _stop(self, *_: object) -> None:
        self.closed = True
        self._stop_timers()

    def _stop_timers(self) -> None:
        self.timer.stop()
        self.deadline.stop()


class Session(QObject):
    """This running copy of the app: its recovery store, the autosave of each window, and the
    ways it is told to leave (SIGTERM, SIGHUP, the desktop session's quit request)."""

    def __init__(self, store: RecoveryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.autosaves: list[Autosave] = []
        self.windows: list[MainWindow] = []  # windows opened for restored snapshots
        self._wakeup: tuple[socket.socket, socket.socket] | None = None
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.keep_all)
            commit = getattr(app, "commitDataRequest", None)  # a QGuiApplication's
            if commit is not None:
                commit.connect(self.write_all)

    def attach(self, window: MainWindow) -> Autosave:
        """Autosave the window's document from now on."""
        autosave = Autosave(window.document, self.store, window)
        autosave.failed.connect(window.show_message)
        window.autosave = autosave
        self.autosaves.append(autosave)
        return autosave

    def new_window(self, like: MainWindow) -> MainWindow:
        """Another window (for another restored circuit), autosaved, kept while the app runs."""
        from .window import MainWindow

        window = MainWindow(theme=like.theme)
        self.attach(window)
        self.windows.append(window)
        window.show()
        return window

    def write_all(self, *_: object) -> None:
        """Snapshot every modified document now (the session may still go on)."""
        for autosave in self.autosaves:
            autosave.write()

    def keep_all(self) -> None:
        """Snapshot every modified document and keep the snapshots: the app is leaving."""
        for autosave in self.autosaves:
            autosave.keep()

    def handle_leave_signals(self) -> None:
        """On SIGTERM or SIGHUP: keep every snapshot, then leave the event loop without the
        windows' prompts. The C-level handler writes to a socket; its notifier wakes the Qt
        loop, and running Python code runs the Python handler."""
        receive, send = socket.socketpair()
        receive.setblocking(False)
        send.setblocking(False)
        signal.set_wakeup_fd(send.fileno(), warn_on_full_buffer=False)
        self._wakeup = (receive, send)
        notifier = QSocketNotifier(receive.fileno(), QSocketNotifier.Type.Read, self)
        notifier.activated.connect(self._drain)
        for signum in LEAVE_SIGNALS:
            signal.signal(signum, self._leave)

    def _drain(self, *_: object) -> None:
        if self._wakeup is not None:
            with suppress(OSError):
                self._wakeup[0].recv(512)

    def _leave(self, signum: int, frame: FrameType | None) -> None:
        self.keep_all()
        QCoreApplication.exit(0)
