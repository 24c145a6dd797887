"""Starting the app: the QApplication, the bundled font, the window, the first document."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..appinfo import APP_ID

if TYPE_CHECKING:
    from .autosave import Session
    from .window import MainWindow


def run_app(path: Path | None = None) -> int:
    from .display import display_problem

    problem = display_problem()
    if problem:
        print(f"circuit-editor: {problem}", file=sys.stderr)
        return 1
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from .. import resources
    from .theme import load_fonts
    from .window import MainWindow

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setOrganizationName("circuit-editor")
    app.setApplicationName("circuit-editor")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    icon = resources.path("icons", "circuit-editor.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    load_fonts()
    from .actions import release_clipboard

    app.aboutToQuit.connect(release_clipboard)
    window = MainWindow()
    session = _recovery_session(window)
    if path is not None:
        if not window.files.open_file(Path(path)):
            window.show_message(f"Could not open {path}.")
    else:
        default = resources.path("examples", "2-staged.circuit")
        if default.exists():
            window.files.open_example(default)
    window.show()
    if session is None:
        return app.exec()
    from .recovery import offer_recovery

    offer_recovery(session, window)
    try:
        return app.exec()
    finally:
        session.store.release()


def _recovery_session(window: MainWindow) -> Session | None:
    """Autosave for the window, this copy's lock in the recovery folder, and the snapshots
    kept on SIGTERM, SIGHUP and a logout; None (and a message) when the folder is unusable."""
    from PySide6.QtWidgets import QApplication

    from .autosave import RecoveryStore, Session

    try:
        store = RecoveryStore()
    except OSError as e:
        print(f"circuit-editor: autosave is off: {e}", file=sys.stderr)
        window.show_message(f"Autosave is off: {e}")
        return None
    session = Session(store, QApplication.instance())
    session.attach(window)
    session.handle_leave_signals()
    return session
