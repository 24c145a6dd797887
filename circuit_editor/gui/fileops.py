"""New, Open, Save, Save As, Revert, recent files and examples, with the usual prompts.

Nothing here loses work: unsaved changes prompt Save/Discard/Cancel; a file that will not load
leaves the open document untouched and says why in a dialog. The questions a user is asked go
through ``ask_*`` methods, so tests can answer them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from .. import files, resources
from ..core.circuit import Circuit
from .document import Document

FILTER = "Circuits (*.circuit);;All files (*)"
MAX_RECENT = 10


class FileController(QObject):
    recentChanged = Signal()
    status = Signal(str)

    def __init__(self, window: QWidget, document: Document):
        super().__init__(window)
        self.window = window
        self.document = document
        self.settings = QSettings()

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
        circuit = self._load(path)
        if circuit is None:
            return False
        self.document.replace(circuit, Path(path))
        self._remember(Path(path))
        self.status.emit(" ".join([f"Opened {Path(path).name}.", *circuit.notes]))
        return True

    def open_example(self, path: Path) -> bool:
        """An example opens as a new, untitled document: saving never overwrites the bundled one."""
        if not self.maybe_save():
            return False
        circuit = self._load(path)
        if circuit is None:
            return False
        self.document.replace(circuit, None, example=True)
        self.status.emit(f"Opened the example \u201c{circuit.settings.title or path.stem}\u201d.")
        return True

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

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
        circuit = self._load(self.document.path)
        if circuit is None:
            return False
        self.document.replace(circuit, self.document.path)
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

    # ------------------------------------------------------------ recent files
    def recent(self) -> list[Path]:
        value = self.settings.value("recent", [])
        # QSettings gives one string for a list of one, and None or junk for a broken entry
        paths = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        return [Path(p) for p in paths if p]

    def _remember(self, path: Path) -> None:
        items = [str(path.resolve())] + [
            str(p) for p in self.recent() if str(p) != str(path.resolve())
        ]
        self.settings.setValue("recent", items[:MAX_RECENT])
        self.recentChanged.emit()

    def clear_recent(self) -> None:
        self.settings.setValue("recent", [])
        self.recentChanged.emit()

    # ------------------------------------------------------------ the disk
    def _load(self, path: Path) -> Circuit | None:
        try:
            return files.load(path)
        except files.FileFormatError as e:
            self.show_error("Cannot open the circuit", f"{Path(path).name}: {e}")
        except OSError as e:
            self.show_error("Cannot open the circuit", f"{Path(path).name}: {e.strerror or e}")
        return None

    def _save_to(self, path: Path) -> bool:
        try:
            files.save(self.document.circuit, path)
        except (OSError, ValueError) as e:
            self.show_error(
                "Cannot save the circuit", f"{path.name}: {getattr(e, 'strerror', None) or e}"
            )
            return False
        self.document.mark_saved(path)
        self.status.emit(f"Saved {path.name}.")
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
