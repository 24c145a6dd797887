"""Menus, toolbar and shortcuts (Qt's standard keys where Qt has them), each bound once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenuBar, QMessageBox, QStyle, QToolBar, QWidget

from .. import __version__, files
from ..core import commands as cmd
from ..core.circuit import Circuit
from ..core.layout import layout
from .fileops import examples, readable, shown
from .theme import THEMES, Theme, default_theme

if TYPE_CHECKING:
    from .document import Document
    from .fileops import FileController
    from .help import HelpWindow
    from .lecture import Lecture
    from .playback import Playback
    from .rename import InlineRename
    from .scene import CircuitScene
    from .view import CircuitView

CLIP_MIME = "application/x-circuit-editor"
Std = QKeySequence.StandardKey


def release_clipboard() -> None:
    """Qt's offscreen platform crashes at exit if the clipboard still holds mime data the app
    put there (the xcb platform does not). Empty it when the app quits on that platform."""
    if QGuiApplication.platformName() == "offscreen":
        QGuiApplication.clipboard().clear()


class ActionsHost(Protocol):
    """What the menus and the toolbar act on: the window's parts, its theme and status line,
    its panels' toggles, and the QMainWindow calls that hold menus and toolbars."""

    document: Document
    files: FileController
    scene: CircuitScene
    view: CircuitView
    playback: Playback
    lecture: Lecture
    rename: InlineRename
    theme: Theme

    def show_message(self, text: str) -> None: ...
    def set_theme(self, theme: Theme) -> None: ...
    def panel_toggles(self) -> list[QAction]: ...
    def menuBar(self) -> QMenuBar: ...
    def addToolBar(self, title: str, /) -> QToolBar: ...
    def addActions(self, actions: list[QAction], /) -> None: ...
    def style(self) -> QStyle: ...
    def close(self) -> bool: ...


Shortcut = QKeySequence.StandardKey | str | None


class Actions:
    def __init__(self, window: ActionsHost, parent: QWidget):
        self.w = window
        self.parent = parent  # of the actions and the dialogs
        self._paste_count = 0
        self.by_name: dict[str, QAction] = {}
        self.help_window: HelpWindow | None = None
        self._file_menu()
        self._edit_menu()
        self._view_menu()
        self._play_menu()
        self._help_menu()
        self._toolbar()
        # shortcuts keep working when the menu bar is hidden (lecture mode)
        window.addActions(list(self.by_name.values()))

    def _act(
        self,
        name: str,
        text: str,
        slot: Callable[[], object],
        shortcut: Shortcut = None,
        tip: str = "",
    ) -> QAction:
        a = QAction(text, self.parent)
        a.setObjectName(name)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))
        if tip:
            a.setStatusTip(tip)
        a.triggered.connect(lambda checked=False: slot())
        self.by_name[name] = a
        return a

    # ------------------------------------------------------------ File
    def _file_menu(self) -> None:
        w, f = self.w, self.w.files
        m = w.menuBar().addMenu("&File")
        m.addAction(self._act("new", "&New", f.new_file, Std.New))
        m.addAction(self._act("open", "&Open\u2026", f.open_file, Std.Open))
        self.recent_menu = m.addMenu("Open &Recent")
        self.examples_menu = m.addMenu("&Examples")
        for path in examples():
            a = self.examples_menu.addAction(_example_title(path))
            a.triggered.connect(lambda checked=False, p=path: f.open_example(p))
        m.addSeparator()
        m.addAction(self._act("save", "&Save", f.save, Std.Save))
        m.addAction(self._act("save_as", "Save &As\u2026", f.save_as, Std.SaveAs))
        m.addAction(self._act("revert", "Re&vert", f.revert))
        m.addSeparator()
        m.addAction(
            self._act(
                "export",
                "&Export\u2026",
                self.export,
                "Ctrl+E",
                "Save the canvas as a picture (PNG, SVG or PDF)",
            )
        )
        m.addSeparator()
        m.addAction(self._act("quit", "&Quit", w.close, Std.Quit))
        f.recentChanged.connect(self._fill_recent)
        self._fill_recent()

    def _fill_recent(self) -> None:
        m = self.recent_menu
        m.clear()
        paths = self.w.files.recent()
        for p in paths:
            a = m.addAction(shown(p))
            a.setStatusTip(readable(p))
            a.triggered.connect(lambda checked=False, p=p: self.w.files.open_file(p))
        if paths:
            m.addSeparator()
            m.addAction("Clear the list", self.w.files.clear_recent)
        m.setEnabled(bool(paths))

    # ------------------------------------------------------------ Edit
    def _edit_menu(self) -> None:
        w = self.w
        stack = w.document.undo_stack
        m = w.menuBar().addMenu("&Edit")
        undo = stack.createUndoAction(self.parent, "&Undo")
        undo.setShortcut(Std.Undo)
        redo = stack.createRedoAction(self.parent, "&Redo")
        redo.setShortcut(Std.Redo)
        self.by_name.update(undo=undo, redo=redo)
        m.addActions([undo, redo])
        m.addSeparator()
        m.addAction(self._act("cut", "Cu&t", self.cut, Std.Cut))
        m.addAction(self._act("copy", "&Copy", self.copy, Std.Copy))
        m.addAction(self._act("paste", "&Paste", self.paste, Std.Paste))
        m.addAction(self._act("duplicate", "D&uplicate", self.duplicate, "Ctrl+D"))
        m.addAction(self._act("delete", "&Delete", self.delete, Std.Delete))
        m.addAction(self._act("select_all", "Select &All", self.select_all, Std.SelectAll))
        m.addSeparator()
        m.addAction(self._act("rename", "Re&name", self.rename, "F2"))
        m.addAction(
            self._act(
                "tidy",
                "&Tidy Layout",
                self.tidy,
                "Ctrl+L",
                "Lay the circuit out again, left to right",
            )
        )

    def selection(self) -> list[str]:
        return self.w.scene.selected_ids()

    def copy(self) -> bool:
        ids = set(self.selection())
        if not ids:
            self.w.show_message("Select some gates to copy.")
            return False
        c = self.w.document.circuit
        part = Circuit()
        for g in c.gates:
            if g.id in ids:
                part.add_gate(
                    g.kind, id=g.id, label=g.label, params=g.param, value=g.value, pos=g.pos
                )
        for wire in c.wires:
            if wire.source in ids and wire.target in ids:
                part.connect(wire.source, wire.target, wire.port)
        text = files.dumps(part)
        md = QMimeData()
        md.setData(CLIP_MIME, text.encode())
        md.setText(text)
        QGuiApplication.clipboard().setMimeData(md)
        self._paste_count = 0
        return True

    def cut(self) -> None:
        if self.copy():
            self.w.view.delete_selection()

    def paste(self) -> None:
        md = QGuiApplication.clipboard().mimeData()
        if md is None or not md.hasFormat(CLIP_MIME):
            self.w.show_message("There are no gates on the clipboard.")
            return
        try:
            part = files.loads(bytes(md.data(CLIP_MIME).data()))
        except files.FileFormatError as e:
            self.w.show_message(f"Cannot paste: {e}")
            return
        self._paste_count += 1
        step = 40.0 * self._paste_count
        macro = cmd.paste(self.w.document.circuit, part.gates, part.wires, (step, step))
        if self.w.document.push(macro):
            self.w.scene.select(
                c.id for c in macro.commands if isinstance(c, cmd.AddGate) and c.id is not None
            )

    def duplicate(self) -> None:
        if self.copy():
            self.paste()

    def delete(self) -> None:
        self.w.view.delete_selection()

    def select_all(self) -> None:
        self.w.scene.select_all()

    def rename(self) -> None:
        ids = self.selection()
        if len(ids) == 1:
            self.w.rename.start(ids[0])
        else:
            self.w.show_message("Select one gate to rename.")

    def tidy(self) -> None:
        c = self.w.document.circuit
        if not len(c):
            return
        trial = c.copy()
        layout(trial)
        moves = {
            g.id: (g.pos, trial.gate(g.id).pos) for g in c.gates if g.pos != trial.gate(g.id).pos
        }
        if moves:
            m = cmd.Move(moves)
            m.text = "tidy layout"
            self.w.document.push(m)
        self.w.view.fit()

    # ------------------------------------------------------------ View
    def _view_menu(self) -> None:
        w, v = self.w, self.w.view
        m = w.menuBar().addMenu("&View")
        m.addAction(self._act("zoom_in", "Zoom &In", lambda: v.zoom_by(1.25), Std.ZoomIn))
        m.addAction(self._act("zoom_out", "Zoom &Out", lambda: v.zoom_by(0.8), Std.ZoomOut))
        m.addAction(self._act("zoom_reset", "&Actual Size", lambda: v.set_zoom(1.0), "Ctrl+0"))
        m.addAction(self._act("fit", "&Fit to Window", lambda: v.fit(whole=True), "Ctrl+9"))
        grid = self._act("grid", "Show &Grid", self.toggle_grid)
        grid.setCheckable(True)
        grid.setChecked(w.scene.show_grid)
        m.addAction(grid)
        themes = m.addMenu("&Theme")
        group = QActionGroup(self.parent)
        system = themes.addAction("Follow the System")
        system.setCheckable(True)
        system.setChecked(True)
        system.triggered.connect(lambda: w.set_theme(default_theme()))
        group.addAction(system)
        for name, data in THEMES.items():
            a = themes.addAction(data["title"])
            a.setCheckable(True)
            a.setObjectName(f"theme-{name}")
            a.triggered.connect(lambda checked=False, n=name: w.set_theme(Theme.named(n)))
            group.addAction(a)
        m.addSeparator()
        docks = m.addMenu("&Panels")
        docks.addActions(w.panel_toggles())

    def toggle_grid(self) -> None:
        self.w.scene.set_grid(self.by_name["grid"].isChecked())

    # ------------------------------------------------------------ Play
    def _play_menu(self) -> None:
        w, p = self.w, self.w.playback
        m = w.menuBar().addMenu("&Play")
        for name, text, slot, key in [
            ("play", "&Play / Pause", p.toggle, "Space"),
            ("step_forward", "Step &Forward", p.step_forward, "PgDown"),
            ("step_back", "Step &Back", p.step_back, "PgUp"),
            ("to_start", "To the &Start", p.to_start, "Home"),
            ("to_end", "To the &End", p.to_end, "End"),
            ("stop", "Show &All Numbers", p.stop, None),
        ]:
            m.addAction(self._act(name, text, slot, key))
        m.addSeparator()
        m.addAction(
            self._act(
                "lecture",
                "&Lecture Mode",
                w.lecture.toggle,
                "F5",
                "Full screen for a projector; Esc leaves",
            )
        )
        m.addAction(
            self._act(
                "deck",
                "Export Step &Deck (PDF)\u2026",
                self.export_deck,
                None,
                "One page per step of both passes, for slides",
            )
        )

    def export_deck(self) -> None:
        from .deck import write_deck

        start = (
            str(self.w.document.path.with_suffix("")) + "-steps.pdf"
            if self.w.document.path
            else str(self.w.files.start_folder()) + "/steps.pdf"
        )
        path, _ = QFileDialog.getSaveFileName(
            self.parent, "Export the step deck", start, "PDF document (*.pdf)"
        )
        if not path:
            return
        try:
            pages = write_deck(self.w.document.circuit, path, theme=self.w.theme.name)
        except (OSError, ValueError) as e:
            QMessageBox.critical(self.parent, "Cannot export the step deck", str(e))
            return
        self.w.show_message(f"Wrote {pages} pages to {path}.")

    # ------------------------------------------------------------ Help, toolbar
    def _help_menu(self) -> None:
        m = self.w.menuBar().addMenu("&Help")
        m.addAction(
            self._act(
                "guide",
                "&Guide",
                lambda: self.help("guide"),
                Std.HelpContents,
                "Build, wire, play and present: a short illustrated guide",
            )
        )
        m.addAction(
            self._act(
                "keys",
                "&Keyboard Shortcuts",
                lambda: self.help("keys"),
                None,
                "Every key the app reads",
            )
        )
        m.addSeparator()
        m.addAction(self._act("about", "&About circuit-editor", self.about))

    def help(self, page: str) -> HelpWindow:
        """Show the help window (made once) at ``page``: "guide" or "keys"."""
        from .help import HelpWindow

        if self.help_window is None:
            self.help_window = HelpWindow(self.w.menuBar(), self.parent)
        self.help_window.show_page(page)
        return self.help_window

    def about(self) -> None:
        QMessageBox.about(
            self.parent,
            "About circuit-editor",
            f"<b>circuit-editor {__version__}</b><p>Build computational circuits "
            "and watch backpropagation flow through them.</p>",
        )

    def _toolbar(self) -> None:
        tb = self.w.addToolBar("Main")
        tb.setObjectName("toolbar-main")
        style = self.w.style()
        P = QStyle.StandardPixmap
        for name, icon in [
            ("new", P.SP_FileIcon),
            ("open", P.SP_DialogOpenButton),
            ("save", P.SP_DialogSaveButton),
            ("undo", P.SP_ArrowBack),
            ("redo", P.SP_ArrowForward),
        ]:
            self.by_name[name].setIcon(style.standardIcon(icon))
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for entry in (
            "new",
            "open",
            "save",
            None,
            "undo",
            "redo",
            None,
            "zoom_in",
            "zoom_out",
            "fit",
            "tidy",
        ):
            if entry is None:
                tb.addSeparator()
            else:
                tb.addAction(self.by_name[entry])

    # ------------------------------------------------------------ Export
    def export(self) -> None:
        from .export import FORMATS, export_scene

        start = str((self.w.document.path or self.w.files.start_folder() + "/circuit").__str__())
        start = start.rsplit(".", 1)[0] + ".png"
        path, _ = QFileDialog.getSaveFileName(
            self.parent,
            "Export the canvas",
            start,
            "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)",
        )
        if not path:
            return
        if not path.lower().endswith(FORMATS):
            path += ".png"
        try:
            export_scene(self.w.scene, path)
        except (OSError, ValueError) as e:
            QMessageBox.critical(self.parent, "Cannot export", str(e))
            return
        self.w.show_message(f"Exported {path}.")


def _example_title(path: Path) -> str:
    try:
        return files.load(path).settings.title or path.stem
    except (files.FileFormatError, OSError):
        return path.stem
