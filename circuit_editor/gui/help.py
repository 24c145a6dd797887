"""Help: a short illustrated guide (bundled, offline: ``resources/help/``) and the keyboard map.

The keyboard map is written from the menus' actions when it is shown, so it lists exactly the
shortcuts the app binds; the keys the canvas and lecture mode read themselves sit beside the
code that reads them (:data:`.view.CANVAS_KEYS`, :data:`LECTURE_KEYS`, checked by the tests)."""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu, QMenuBar, QTabWidget, QTextBrowser, QVBoxLayout

from .. import resources
from .view import CANVAS_KEYS

# (keys, what they do) in lecture mode (Lecture.key reads them)
LECTURE_KEYS = (
    ("R", "Reveal the next stage: structure, values, gradients"),
    ("1 \u2013 9", "Use input set 1 to 9"),
    ("[ , ]", "The previous, the next input set"),
    ("Click a number", "Hide it, or show it again"),
    ("Esc", "Leave lecture mode"),
)


def guide_path():
    return resources.path("help", "guide.html")


def shortcut_rows(menubar: QMenuBar) -> list[tuple[str, str, str]]:
    """(menu, command, keys) for every action in the menus that has a shortcut."""
    rows = []
    for top in menubar.actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            rows += [(_plain(top.text()), *row) for row in _menu_rows(menu.actions())]
    return rows


def _menu_rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    rows = []
    for a in actions:
        sub = a.menu()
        if isinstance(sub, QMenu):
            rows += _menu_rows(sub.actions())
        elif a.shortcuts():
            keys = ", ".join(
                k.toString(QKeySequence.SequenceFormat.NativeText) for k in a.shortcuts()
            )
            rows.append((_plain(a.text()), keys))
    return rows


def _plain(text: str) -> str:
    """A menu entry's text as read: no mnemonic '&', no trailing ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("\u2026.")


def keyboard_html(menubar: QMenuBar) -> str:
    e = html.escape
    parts = ["<h1>Keyboard</h1>"]
    menu_now = None
    rows: list[str] = []
    for menu, command, keys in shortcut_rows(menubar):
        if menu != menu_now:
            rows.append(f"<tr><th colspan='2' align='left'><br>{e(menu)}</th></tr>")
            menu_now = menu
        rows.append(f"<tr><td><b>{e(keys)}</b></td><td>{e(command)}</td></tr>")
    parts.append(_table(rows))
    for title, pairs in (("On the canvas", CANVAS_KEYS), ("In lecture mode", LECTURE_KEYS)):
        parts.append(f"<h2>{e(title)}</h2>")
        parts.append(_table(f"<tr><td><b>{e(k)}</b></td><td>{e(w)}</td></tr>" for k, w in pairs))
    return "\n".join(parts)


def _table(rows: Iterable[str]) -> str:
    return "<table cellspacing='0' cellpadding='4'>" + "".join(rows) + "</table>"


class HelpWindow(QDialog):
    """The guide and the keyboard map, side by side in tabs; not modal, so it can stay open
    while the user follows it."""

    def __init__(self, menubar: QMenuBar, parent=None):
        super().__init__(parent)
        self.setObjectName("help")
        self.setWindowTitle("circuit-editor Help")
        self.menubar = menubar
        self.guide = QTextBrowser()
        self.guide.setObjectName("help-guide")
        self.guide.setOpenExternalLinks(False)
        self.guide.setSource(QUrl.fromLocalFile(str(guide_path())))
        self.keys = QTextBrowser()
        self.keys.setObjectName("help-keys")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.guide, "Guide")
        self.tabs.addTab(self.keys, "Keyboard")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.resize(720, 760)

    def show_page(self, page: str) -> None:
        """Show the "guide" or the "keys" tab, the keyboard map written afresh."""
        self.keys.setHtml(keyboard_html(self.menubar))
        self.tabs.setCurrentWidget(self.guide if page == "guide" else self.keys)
        self.show()
        self.raise_()
        self.activateWindow()
