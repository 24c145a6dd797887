"""New, Open, Save, Save As, Revert, recent files and examples, with the usual prompts.

Nothing here loses work: unsaved changes prompt Save/Discard/Cancel; a file that will not load
leaves the open document untouched and says why in a dialog. Saves are honest: a read-only file
is not replaced (the user is offered Save As), and a file another program changed since it was
opened or saved is noticed, on saving and whenever the window comes back to the front; the user
then chooses to reload it, overwrite it, or save elsewhere. The questions a user is asked go
through ``ask_*`` methods and :meth:`FileController.choose`, so tests can answer them."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from .. import files, resources
from ..core.circuit import Circuit
from ..files import FileStamp
from .document import Document

FILTER = "Circuits (*.circuit);;All files (*)"
MAX_RECENT = 10
MAX_WINDOW_GATES = 10_000
"""The most gates the window opens: beyond, drawing and editing would be too slow to use. The
command line (check, eval, code, export) takes files up to the file limit, 200,000 gates."""

CHOICES = {
    "reload": ("Reload", QMessageBox.ButtonRole.DestructiveRole),
    "overwrite": ("Overwrite", QMessageBox.ButtonRole.AcceptRole),
    "save_as": ("Save As\u2026", QMessageBox.ButtonRole.ActionRole),
    "cancel": ("Cancel", QMessageBox.ButtonRole.RejectRole),
}
"""The answers :meth:`FileController.choose` can give, with their buttons."""


def readable(path: Path | str) -> str:
    """A path (or a file's name) as a person can read it, even when it is not valid UTF-8
    (Qt would drop the bytes it cannot read)."""
    return os.fsencode(path).decode("utf-8", "replace")


def shown(path: Path | str) -> str:
    """A file's name, readable."""
    return readable(Path(path).name)


class FileController(QObject):
    recentChanged = Signal()
    status = Signal(str)

    def __init__(self, window: QWidget, document: Document):
        super().__init__(window)
        self.window = window
        self.document = document
        self.settings = QSettings()
        self._stamp: tuple[Path, FileStamp] | None = None  # the document's file as last seen
        self._noticed: FileStamp | None = None  # a change on disk the user was already asked about
        self._asking = False
        window.installEventFilter(self)

    # ------------------------------------------------------------ questions (tests answer them)
    def ask_open_path(self) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Open circuit", self.start_folder(), FILTER
        )
        return Path(path) if path else None

    def ask_save_path(self) -> Path | None:
        start = str(self.document.path or Path(self.start_folder()) / "circuit.circuit")
        path, _ = QFileDialog.getSaveFileName(self.window, "Save circuit", start, FILTER)
        if not path:
            return None
        p = Path(path)
        return p if p.suffix else p.with_suffix(".circuit")

    def ask_save_changes(self) -> str:
        """'save', 'discard' or 'cancel'."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Unsaved changes",
            f"Save the changes to {self.document.display_name}?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setInformativeText("Your changes are lost if you don't save them.")
        answer = box.exec()
        return {
            QMessageBox.StandardButton.Save: "save",
            QMessageBox.StandardButton.Discard: "discard",
        }.get(QMessageBox.StandardButton(answer), "cancel")

    def choose(self, title: str, text: str, detail: str, choices: tuple[str, ...]) -> str:
        """Ask the user to pick one of ``choices`` (keys of :data:`CHOICES`); 'cancel' when the
        box is closed. The one seam through which tests answer the save questions."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self.window)
        box.setInformativeText(detail)
        buttons = [(box.addButton(*CHOICES[c]), c) for c in choices]
        box.setDefaultButton(buttons[-1][0])  # Enter takes the last, the mildest, choice
        box.exec()
        return next((c for button, c in buttons if button == box.clickedButton()), "cancel")

    def show_error(self, title: str, text: str) -> None:
        QMessageBox.critical(self.window, title, text)

    # ------------------------------------------------------------ commands
    def maybe_save(self) -> bool:
        """True when it is fine to drop the current document."""
        if not self.document.modified:
            return True
        answer = self.ask_save_changes()
        if answer == "save":
            return self.save()
        return answer == "discard"

    def new_file(self) -> None:
        if self.maybe_save():
            self.document.replace(Circuit(), None)

    def open_file(self, path: Path | None = None) -> bool:
        if not self.maybe_save():
            return False
        path = path or self.ask_open_path()
        if path is None:
            return False
        if not self._open(Path(path)):
            return False
        self._remember(Path(path))
        self.status.emit(" ".join([f"Opened {shown(path)}.", *self.document.circuit.notes]))
        return True

    def open_example(self, path: Path) -> bool:
        """An example opens as a new, untitled document: saving never overwrites the bundled one."""
        if not self.maybe_save():
            return False
        loaded = self._load(path)
        if loaded is None:
            return False
        circuit = loaded[0]
        self.document.replace(circuit, None, example=True)
        self.status.emit(f"Opened the example \u201c{circuit.settings.title or path.stem}\u201d.")
        return True

    def save(self) -> bool:
        path = self.document.path
        if path is None:
            return self.save_as()
        now = self._changed_on_disk()
        if now is not None:
            return self._settle(self._ask_about(now))
        return self._save_to(path)

    def save_as(self) -> bool:
        path = self.ask_save_path()
        if path is None:
            return False
        if self._save_to(path):
            self._remember(path)
            return True
        return False

    def revert(self) -> bool:
        if self.document.path is None or not self.document.modified:
            return False
        if self.ask_revert() is False:
            return False
        if not self._open(self.document.path):
            return False
        self.status.emit(f"Reverted to the saved {self.document.display_name}.")
        return True

    def ask_revert(self) -> bool:
        answer = QMessageBox.question(
            self.window,
            "Revert",
            f"Throw away your changes to {self.document.display_name} and "
            "go back to the saved file?",
        )
        return answer == QMessageBox.StandardButton.Yes

    # ------------------------------------------------------------ the file changed on disk
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.window
            and event.type() == QEvent.Type.ActivationChange
            and self.window.isActiveWindow()
        ):
            QTimer.singleShot(0, self, self.check_disk)  # not inside the activation itself
        return False

    def check_disk(self) -> None:
        """If another program changed the open file, ask once what to do about it."""
        now = self._changed_on_disk()
        if now is None or now == self._noticed or self._asking:
            return
        self._settle(self._ask_about(now))

    def _ask_about(self, now: FileStamp) -> str:
        """Ask what to do about the file as it is ``now``; that change is not asked about
        again when the window comes back."""
        self._noticed = now
        self._asking = True  # the question itself moves the focus away and back
        try:
            return self.ask_changed_on_disk()
        finally:
            self._asking = False

    def ask_changed_on_disk(self) -> str:
        """'reload', 'overwrite', 'save_as' or 'cancel'."""
        name = self.document.display_name
        lost = (
            "Reloading it throws away your unsaved changes."
            if self.document.modified
            else "Reloading it shows the circuit as it is now on disk."
        )
        return self.choose(
            "File changed on disk",
            f"{name} was changed by another program since you opened or saved it.",
            f"{lost} Overwriting it replaces the other program's version with the circuit "
            "shown here. Save As keeps both.",
            ("reload", "overwrite", "save_as", "cancel"),
        )

    def _settle(self, answer: str) -> bool:
        """Do what the user chose about a changed file; True when the circuit was saved."""
        path = self.document.path
        if answer == "reload" and path is not None:
            self._open(path)
        elif answer == "overwrite" and path is not None:
            return self._save_to(path)
        elif answer == "save_as":
            return self.save_as()
        return False

    def _changed_on_disk(self) -> FileStamp | None:
        """The document's file's stamp now, if another program changed it since it was last
        read or written here; None when it did not (or there is nothing to compare)."""
        path = self.document.path
        if path is None or self._stamp is None or self._stamp[0] != path:
            return None
        now = files.stamp(path)
        return now if now is not None and now != self._stamp[1] else None

    # ------------------------------------------------------------ recent files
    def recent(self) -> list[Path]:
        value = self.settings.value("recent", [])
        # QSettings gives one value for a list of one, and None or junk for a broken entry
        items = value if isinstance(value, list) else [value]
        paths = []
        for item in items:
            if isinstance(item, QByteArray):  # exactly the bytes the system gave
                item = item.data()
            if isinstance(item, bytes):
                item = os.fsdecode(item)
            if isinstance(item, str) and item:  # as lists were kept before: text
                paths.append(Path(item))
        return paths

    def _remember(self, path: Path) -> None:
        first = path.resolve()
        paths = [first] + [p for p in self.recent() if p != first]
        # as bytes: text in the settings file cannot hold a name that is not valid UTF-8
        self.settings.setValue("recent", [QByteArray(os.fsencode(p)) for p in paths[:MAX_RECENT]])
        self.recentChanged.emit()

    def clear_recent(self) -> None:
        self.settings.setValue("recent", [])
        self.recentChanged.emit()

    # ------------------------------------------------------------ the disk
    def _load(self, path: Path) -> tuple[Circuit, FileStamp] | None:
        """The circuit in the file and the file's stamp, or None once the user was told why
        not."""
        try:
            circuit, stamp = files.load_stamped(path)
        except files.FileFormatError as e:
            self.show_error("Cannot open the circuit", f"{shown(path)}: {e}")
            return None
        except OSError as e:
            self.show_error("Cannot open the circuit", f"{shown(path)}: {e.strerror or e}")
            return None
        if len(circuit) > MAX_WINDOW_GATES:
            self.show_error(
                "Too big for the window",
                f"{shown(path)} has {len(circuit):,} gates; the window opens circuits of up to "
                f"{MAX_WINDOW_GATES:,} gates. The command line takes it: circuit-editor "
                "check, eval, code or export (see circuit-editor --help).",
            )
            return None
        return circuit, stamp

    def _open(self, path: Path) -> bool:
        """Put the file's circuit in the document (it replaces what was there)."""
        loaded = self._load(path)
        if loaded is None:
            return False
        circuit, stamp = loaded
        self.document.replace(circuit, path)
        self._stamp = (path, stamp)
        return True

    def _save_to(self, path: Path) -> bool:
        try:
            stamp = files.save(self.document.circuit, path)
        except PermissionError as e:
            answer = self.choose(
                "Cannot save the circuit",
                f"{shown(path)} was not changed: {e.strerror or e}.",
                "Save the circuit under another name?",
                ("save_as", "cancel"),
            )
            return answer == "save_as" and self.save_as()
        except (OSError, ValueError) as e:
            self.show_error(
                "Cannot save the circuit", f"{shown(path)}: {getattr(e, 'strerror', None) or e}"
            )
            return False
        self.document.mark_saved(path)
        self._stamp = (path, stamp)
        self.status.emit(f"Saved {shown(path)}.")
        return True

    def start_folder(self) -> str:
        """Where a file dialog opens: the document's folder, the last file's, or home."""
        if self.document.path is not None:
            return str(self.document.path.parent)
        recent = self.recent()
        return str(recent[0].parent) if recent else str(Path.home())


def examples() -> list[Path]:
    try:
        return resources.examples()
    except FileNotFoundError:
        return []
