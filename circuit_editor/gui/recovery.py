"""Recovery at start-up: the snapshots left by copies of the app that are gone (crashed,
killed, logged out; see :mod:`.autosave`) are offered in one dialog: Restore (the circuit opens
modified, tied to its file: Save writes there), Discard, or Later (kept for the next start).

A snapshot that cannot be read is set aside (renamed ``….corrupt``) with a message, and
start-up goes on. A copy of the app that still runs keeps its snapshots to itself."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .. import files
from ..core.circuit import Circuit
from .autosave import Origin, RecoveryStore, Session, owner, remove_snapshot, sidecar_path

if TYPE_CHECKING:
    from .window import MainWindow

CORRUPT = ".corrupt"


@dataclass(frozen=True)
class Snapshot:
    """An orphaned snapshot, read: its file, what its sidecar says, and its circuit."""

    file: Path
    origin: Origin
    circuit: Circuit

    def describe(self) -> str:
        """Two lines for the dialog: the name, then where it belongs and when it was kept."""
        where = f"from {self.origin.path.parent}" if self.origin.path is not None else "never saved"
        return f"{self.origin.name}\n{where} \u00b7 autosaved {_local_time(self.origin.saved_at)}"


@dataclass(frozen=True)
class Answer:
    """What the user chose: 'restore', 'discard' or 'later', for the ticked snapshots (the
    others are kept for later)."""

    action: str
    chosen: list[Snapshot]


def find_orphans(store: RecoveryStore) -> tuple[list[Snapshot], list[str]]:
    """The readable snapshots of copies of the app no longer running, oldest first, and a
    sentence for each unreadable one, which is set aside."""
    found: list[Snapshot] = []
    notes: list[str] = []
    for file in sorted(store.folder.glob("*.circuit")):
        instance = owner(file)
        if instance is None or store.is_running(instance):
            continue
        try:
            found.append(_read(file))
        except ValueError as e:
            notes.append(_set_aside(file, str(e)))
    _sweep(store)
    found.sort(key=lambda s: s.origin.saved_at)
    return found, notes


def _sweep(store: RecoveryStore) -> None:
    """Remove what copies of the app that are gone left and nothing can use: their locks, a
    sidecar without its circuit (a kill between the two writes), half-written temporary files
    (a kill during one). Snapshots and what was set aside stay."""
    for path in store.folder.iterdir():
        instance = owner(path)
        if instance is None or path.name.endswith((".circuit", CORRUPT)):
            continue
        if path.suffix == ".json" and path.with_suffix(".circuit").exists():
            continue
        if not store.is_running(instance):  # asking clears a free or stale lock
            path.unlink(missing_ok=True)


def _read(file: Path) -> Snapshot:
    """The snapshot in ``file`` and its sidecar; ValueError saying why it cannot be read."""
    sidecar = sidecar_path(file)
    try:
        origin = Origin.from_json(sidecar.read_bytes())
    except FileNotFoundError:
        raise ValueError(f"its sidecar {sidecar.name} is missing") from None
    except OSError as e:
        raise ValueError(f"{sidecar.name}: {e.strerror or e}") from e
    except ValueError as e:
        raise ValueError(f"{sidecar.name} is {e}") from e
    try:
        return Snapshot(file, origin, files.load(file))
    except files.FileFormatError as e:
        raise ValueError(str(e)) from e
    except OSError as e:
        raise ValueError(e.strerror or str(e)) from e


def _set_aside(file: Path, reason: str) -> str:
    """Rename an unreadable snapshot (and its sidecar) to ``….corrupt``; the sentence saying so."""
    aside = file.with_name(file.name + CORRUPT)
    try:
        for path in (sidecar_path(file), file):
            if path.exists():
                os.replace(path, path.with_name(path.name + CORRUPT))
    except OSError as e:
        return f"An autosaved circuit, {file}, could not be read ({reason}) nor set aside: {e}."
    return f"An autosaved circuit could not be read ({reason}); it was set aside as {aside}."


def _local_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


class RecoveryDialog(QDialog):
    """One dialog for every orphaned snapshot: each ticked one is restored or discarded; Later
    keeps them all for the next start."""

    def __init__(
        self, snapshots: list[Snapshot], notes: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Recover unsaved work")
        self.snapshots = snapshots
        self.action = "later"  # closing the dialog decides nothing
        column = QVBoxLayout(self)
        intro = QLabel(
            "circuit-editor closed without saving these circuits. Their last autosaved state "
            "was kept. Restore opens a circuit with its changes; Save then writes its file."
        )
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.list = QListWidget()
        self.list.setSpacing(3)
        for snapshot in snapshots:
            item = QListWidgetItem(snapshot.describe())
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setToolTip(str(snapshot.origin.path or snapshot.file))
            self.list.addItem(item)
        column.addWidget(self.list)
        self.notes = QLabel("\n".join(notes))
        self.notes.setWordWrap(True)
        self.notes.setVisible(bool(notes))
        column.addWidget(self.notes)
        buttons = QDialogButtonBox()
        self.restore_button = self._button(buttons, "&Restore", "restore")
        self.discard_button = self._button(buttons, "&Discard", "discard")
        self.later_button = self._button(buttons, "&Later", "later")
        self.restore_button.setDefault(True)
        column.addWidget(buttons)
        self.resize(580, 170 + 50 * min(len(snapshots), 6))

    def _button(self, buttons: QDialogButtonBox, text: str, action: str) -> QPushButton:
        button = buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.clicked.connect(lambda: self._choose(action))
        return button

    def _choose(self, action: str) -> None:
        self.action = action
        self.accept()

    def answer(self) -> Answer:
        ticked = [
            s
            for row, s in enumerate(self.snapshots)
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        ]
        return Answer(self.action, ticked if self.action != "later" else [])


def ask_recovery(window: QWidget, snapshots: list[Snapshot], notes: list[str]) -> Answer:
    dialog = RecoveryDialog(snapshots, notes, window)
    dialog.exec()
    return dialog.answer()


Ask = Callable[[QWidget, list[Snapshot], list[str]], Answer]


def offer_recovery(session: Session, window: MainWindow, ask: Ask = ask_recovery) -> Answer:
    """Offer what copies of the app that are gone left behind, and do what the user chose.
    The first restored circuit takes ``window`` if it shows no file of the user's (the opening
    example), each other one a window of its own."""
    try:
        snapshots, notes = find_orphans(session.store)
    except OSError as e:  # the folder went away, or cannot be read
        window.show_message(f"Could not look for autosaved work in {session.store.folder}: {e}")
        return Answer("later", [])
    if not snapshots:
        if notes:
            window.files.show_error("Autosaved work set aside", "\n".join(notes))
        return Answer("later", [])
    answer = ask(window, snapshots, notes)
    for snapshot in answer.chosen:
        if answer.action == "restore":
            free = window.document.path is None and not window.document.modified
            restore(session, window if free else session.new_window(window), snapshot)
        elif answer.action == "discard":
            remove_snapshot(snapshot.file)
    return answer


def restore(session: Session, window: MainWindow, snapshot: Snapshot) -> None:
    """Open the snapshot in ``window``, modified and tied to its file; this copy's own snapshot
    of it is written before the old one goes."""
    document = window.document
    origin = snapshot.origin
    document.replace(snapshot.circuit, origin.path, example=origin.example)
    document.undo_stack.resetClean()  # modified: its changes were never saved
    if window.autosave is not None:
        window.autosave.write()
    remove_snapshot(snapshot.file)
    where = f"; Save writes {origin.path}" if origin.path is not None else ""
    window.show_message(f"Restored {origin.name} from its autosave{where}.")
