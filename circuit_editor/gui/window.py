"""The main window: the canvas in the middle, the docks around it, the title and status bar.
Menus and shortcuts live in :mod:`.actions`, file handling in :mod:`.fileops`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QToolBar,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from ..core.circuit import Circuit
from ..core.result import Result
from .actions import Actions
from .document import Document
from .fileops import FileController
from .lecture import Lecture
from .playback import Playback
from .playback_bar import ExplanationPanel, PlaybackBar
from .rename import InlineRename
from .scene import CircuitScene
from .theme import Theme, apply_app_palette, default_theme, load_fonts
from .view import CircuitView

if TYPE_CHECKING:
    from .autosave import Autosave

APP_NAME = "circuit-editor"


@dataclass(frozen=True)
class Chrome:
    """Which of the window's menus, bars and panels were showing before they were put away."""

    docks: dict[str, bool]
    menubar: bool
    toolbars: list[QToolBar]
    statusbar: bool


class MainWindow(QMainWindow):
    def __init__(
        self, circuit: Circuit | None = None, path: Path | None = None, theme: Theme | None = None
    ):
        super().__init__()
        load_fonts()
        self.setObjectName("MainWindow")
        self.document = Document(circuit, path, self)
        self.theme = theme or default_theme()
        apply_app_palette(self.theme)
        self.scene = CircuitScene(self.document, self.theme, self)
        self.view = CircuitView(self.scene, self.document, self)
        self.playback = Playback(self.document, self.scene, self)
        self.playback_bar = PlaybackBar(self.playback)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.view, 1)
        column.addWidget(self.playback_bar)
        self.setCentralWidget(central)
        self.lecture = Lecture(self, self)
        self.view.lecture = self.lecture
        self.files = FileController(self, self.document)
        self.autosave: Autosave | None = None  # set by the app's Session
        self.rename = InlineRename(self.view, self.document)
        self._build_docks()
        self.zoom_label = QLabel()
        self.statusBar().addPermanentWidget(self.zoom_label)
        self.circuit_state = QLabel()  # why some numbers are missing, while it holds
        self.statusBar().addWidget(self.circuit_state, 1)
        self.actions_ = Actions(self, self)
        self._connect()
        self.update_title()
        self.resize(1280, 800)
        QTimer.singleShot(0, self.view.fit)

    # ------------------------------------------------------------ building
    def _build_docks(self) -> None:
        from .circuit_panel import CircuitPanel
        from .code_panel import CodePanel
        from .inspector import Inspector
        from .palette import Palette

        self.gate_palette = Palette()
        self.inspector = Inspector(self.document, self.scene)
        self.circuit_panel = CircuitPanel(self.document)
        self.code_panel = CodePanel(self.document, self.view)
        self.explanation = ExplanationPanel(self.document)
        self.history = QUndoView(self.document.undo_stack)
        self.history.setEmptyLabel("Opened")
        self.docks: dict[str, QDockWidget] = {}
        widget: QWidget
        for key, title, widget, area in [
            ("palette", "Gates", self.gate_palette, Qt.DockWidgetArea.LeftDockWidgetArea),
            ("inspector", "Inspector", self.inspector, Qt.DockWidgetArea.RightDockWidgetArea),
            ("circuit", "Circuit", self.circuit_panel, Qt.DockWidgetArea.RightDockWidgetArea),
            ("history", "History", self.history, Qt.DockWidgetArea.RightDockWidgetArea),
            ("explain", "Explanation", self.explanation, Qt.DockWidgetArea.BottomDockWidgetArea),
            ("code", "Code", self.code_panel, Qt.DockWidgetArea.RightDockWidgetArea),
        ]:
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock-{key}")
            dock.setWidget(widget)
            self.addDockWidget(area, dock)
            self.docks[key] = dock
        self.tabifyDockWidget(self.docks["inspector"], self.docks["circuit"])
        self.tabifyDockWidget(self.docks["circuit"], self.docks["code"])
        self.tabifyDockWidget(self.docks["code"], self.docks["history"])
        self.docks["inspector"].raise_()
        self.docks["explain"].raise_()
        self.resizeDocks([self.docks["explain"]], [170], Qt.Orientation.Vertical)
        self.resizeDocks(
            [self.docks["palette"], self.docks["inspector"]], [220, 320], Qt.Orientation.Horizontal
        )

    def _connect(self) -> None:
        doc = self.document
        # bound methods, not lambdas: Qt drops them when the window goes (the undo stack
        # still signals while it is being destroyed)
        doc.undo_stack.cleanChanged.connect(self.update_title)
        doc.pathChanged.connect(self.update_title)
        doc.replaced.connect(self._on_replaced)
        doc.refused.connect(self.show_message)
        self.view.message.connect(self.show_message)
        self.view.fileDropped.connect(self.files.open_file)
        self.view.renameRequested.connect(self.rename.start)
        self.view.zoomChanged.connect(self._on_zoom)
        self.files.status.connect(self.show_message)
        self.gate_palette.placeRequested.connect(self.view.place)
        self.view.stepRequested.connect(self._on_step_key)
        doc.evaluated.connect(self._on_evaluated)

    # ------------------------------------------------------------ reactions
    def _on_zoom(self, z: float) -> None:
        self.zoom_label.setText(f"{z * 100:.0f}%")

    def _on_step_key(self, direction: int) -> None:
        if direction > 0:
            self.playback.step_forward()
        else:
            self.playback.step_back()

    def _on_replaced(self) -> None:
        self.statusBar().clearMessage()  # what it said was about the circuit that went
        self.update_title()
        self.view.fit()  # before the first paint: nothing drawn twice
        QTimer.singleShot(0, self.view.fit)  # and again once the window has its size

    def _on_evaluated(self, result: Result | None) -> None:
        """The status line says what keeps numbers from being worked out for as long as it
        holds (passing messages cover it for a while), and the title follows the circuit's."""
        problem = result.problem if result is not None else ""
        self.circuit_state.setText(
            f"Not every number can be worked out yet: {problem}." if problem else ""
        )
        self.update_title()

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def update_title(self, *_: object) -> None:
        title = f"{self.document.display_name}[*] \u2014 {APP_NAME}"
        if title != self.windowTitle():
            self.setWindowTitle(title)
        self.setWindowModified(self.document.modified)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        apply_app_palette(theme)
        self.scene.set_theme(theme)
        self.gate_palette.set_theme(theme)
        self.inspector.refresh()
        self.circuit_panel.set_theme(theme)
        self.code_panel.set_theme(theme)

    def toolbars(self) -> list[QToolBar]:
        return self.findChildren(QToolBar)

    def panel_toggles(self) -> list[QAction]:
        """One checkable action per dock, to show or hide it."""
        return [dock.toggleViewAction() for dock in self.docks.values()]

    def hide_chrome(self, keep: str) -> Chrome:
        """Put the menus, bars and panels away (all but the dock ``keep``), for a presentation;
        what was showing is returned for :meth:`restore_chrome`."""
        chrome = Chrome(
            docks={key: dock.isVisible() for key, dock in self.docks.items()},
            menubar=self.menuBar().isVisible(),
            toolbars=[t for t in self.toolbars() if t.isVisible()],
            statusbar=self.statusBar().isVisible(),
        )
        for dock in self.docks.values():
            dock.hide()
        self.docks[keep].show()
        for toolbar in chrome.toolbars:
            toolbar.hide()
        self.menuBar().hide()
        self.statusBar().hide()
        return chrome

    def restore_chrome(self, chrome: Chrome) -> None:
        for key, visible in chrome.docks.items():
            self.docks[key].setVisible(visible)
        for toolbar in chrome.toolbars:
            toolbar.show()
        self.menuBar().setVisible(chrome.menubar)
        self.statusBar().setVisible(chrome.statusbar)

    # ------------------------------------------------------------ closing
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.files.maybe_save():
            QSettings().setValue("window/state", self.saveState())
            if self.autosave is not None:  # saved or discarded: no snapshot
                self.autosave.close()
            event.accept()
        else:
            event.ignore()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self.view.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self.view.dropEvent(event)
