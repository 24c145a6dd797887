"""Help: the illustrated guide opens with its pictures loaded, offline; the keyboard map lists
every shortcut the actions bind, and follows them when they change."""

import re

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QKeySequence, QPixmap, QTextDocument

from circuit_editor.gui.help import LECTURE_KEYS
from circuit_editor.gui.view import CANVAS_KEYS

NATIVE = QKeySequence.SequenceFormat.NativeText


def images_of(document: QTextDocument) -> list[str]:
    names = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                names.append(fmt.toImageFormat().name())
            it += 1
        block = block.next()
    return names


def test_the_guide_opens_with_its_pictures_loaded(window, qtbot):
    w = window
    guide = w.actions_.by_name["guide"]
    assert guide.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    guide.trigger()
    help_window = w.actions_.help_window
    qtbot.waitExposed(help_window)
    assert help_window.tabs.currentWidget() is help_window.guide
    doc = help_window.guide.document()
    text = doc.toPlainText()
    for section in ("Build", "Wire", "Play", "Lecture mode"):
        assert section in text
    names = images_of(doc)
    assert len(names) >= 3
    for name in names:
        # what the browser drew: its own loaded picture (None for a missing file)
        picture = doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        assert isinstance(picture, QPixmap) and not picture.isNull(), name
        assert picture.width() > 100, name
    assert not [u for u in re.findall(r'src="([^"]+)"', doc.toHtml()) if "://" in u]  # offline


def test_the_keyboard_map_lists_every_shortcut_the_actions_bind(window):
    w = window
    w.actions_.by_name["keys"].trigger()
    help_window = w.actions_.help_window
    assert help_window.tabs.currentWidget() is help_window.keys
    text = help_window.keys.toPlainText()
    bound = [a for a in w.actions_.by_name.values() if a.shortcuts()]
    assert len(bound) > 20
    for a in bound:
        for key in a.shortcuts():
            assert key.toString(NATIVE) in text, a.objectName()
        assert a.text().replace("&", "").rstrip("\u2026") in text, a.objectName()
    for keys, what in CANVAS_KEYS + LECTURE_KEYS:
        assert keys in text and what in text
    # read from the actions when shown: a changed shortcut shows at once
    w.actions_.by_name["tidy"].setShortcut(QKeySequence("Ctrl+Shift+Y"))
    w.actions_.by_name["keys"].trigger()
    text = help_window.keys.toPlainText()
    assert QKeySequence("Ctrl+Shift+Y").toString(NATIVE) in text
    assert "Ctrl+L" not in text


LECTURE_QT_KEYS = {
    "R": [Qt.Key.Key_R],
    "1 \u2013 9": [Qt.Key.Key_1, Qt.Key.Key_9],
    "[ , ]": [Qt.Key.Key_BracketLeft, Qt.Key.Key_BracketRight],
    "Esc": [Qt.Key.Key_Escape],  # last: it leaves
}


@pytest.mark.parametrize("keys", [k for k, _ in LECTURE_KEYS if k in LECTURE_QT_KEYS])
def test_every_lecture_key_in_the_map_is_read_by_lecture_mode(window, keys):
    w = window
    w.actions_.by_name["lecture"].trigger()
    assert w.lecture.active
    for key in LECTURE_QT_KEYS[keys]:
        assert w.lecture.key(key), keys
    if w.lecture.active:
        w.lecture.leave()


def test_the_lecture_map_names_each_key_it_checks():
    documented = {k for k, _ in LECTURE_KEYS}
    assert set(LECTURE_QT_KEYS) <= documented
    assert documented - set(LECTURE_QT_KEYS) == {"Click a number"}
