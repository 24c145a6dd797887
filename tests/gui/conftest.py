"""GUI tests keep their settings (recent files, window state) in a temporary folder."""

import pytest
from PySide6.QtCore import QCoreApplication, QSettings


@pytest.fixture(autouse=True)
def release_clipboard(qapp):
    """The app empties the clipboard when it quits on the offscreen platform (where Qt crashes
    at exit otherwise); tests never quit the app, so they do it after each test."""
    yield
    from circuit_editor.gui.actions import release_clipboard as release

    release()


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory, qapp):
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QCoreApplication.setOrganizationName("circuit-editor-tests")
    QCoreApplication.setApplicationName("circuit-editor-tests")
    yield folder


@pytest.fixture
def window(qtbot):
    from circuit_editor.gui.theme import Theme
    from circuit_editor.gui.window import MainWindow

    w = MainWindow(theme=Theme.named("light"))
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    # the questions a user is asked, answered by the test
    w.files.answers = []
    w.files.ask_save_changes = lambda: w.files.answers.pop(0) if w.files.answers else "discard"
    w.files.show_error = lambda title, text: w.files.errors.append(text)
    w.files.errors = []
    return w
