"""Honest saves and bounded inputs in the window: read-only files, files changed by another
program (on save and when the window comes back), pipes, circuits too big for the window, and
Open Recent with a path that is not UTF-8. The questions are answered through the one seam,
``FileController.choose``."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

import circuit_editor as ce
from circuit_editor import files
from circuit_editor.gui import fileops
from circuit_editor.gui.fileops import MAX_WINDOW_GATES

from .helpers import DRAG_AT_POINTF, LEFT, NO_KEYS, drop_gate


@pytest.fixture
def asked(window):
    """The save questions put to the user, and the answers queued for them."""
    record: dict[str, list] = {"questions": [], "answers": []}

    def choose(title, text, detail, choices):
        record["questions"].append((title, text, detail, choices))
        return record["answers"].pop(0)

    window.files.choose = choose
    return record


def saved_file(path: Path, code: str = "f = x * y") -> Path:
    ce.save(ce.from_code(code), path)
    return path


def edit(window) -> None:
    """A change made as a user makes it: a gate dropped from the palette."""
    drop_gate(window.view, "neg", QPointF(0, 300))
    assert window.document.modified


def another_program_writes(path: Path, code: str = "f = x + y + z") -> None:
    before = files.stamp(path)
    ce.save(ce.from_code(code), path)
    assert files.stamp(path) != before


# --------------------------------------------------------------------------- read-only files
def test_saving_over_a_read_only_file_refuses_and_offers_save_as(window, asked, tmp_path):
    w = window
    path = saved_file(tmp_path / "shared.circuit")
    assert w.files.open_file(path)
    edit(w)
    os.chmod(path, 0o444)
    before = path.read_bytes()
    asked["answers"] = ["cancel"]
    assert not w.files.save()
    _, text, _, choices = asked["questions"][-1]
    assert "shared.circuit was not changed: the file is read-only" in text
    assert choices == ("save_as", "cancel") and w.document.modified
    assert path.read_bytes() == before
    asked["answers"] = ["save_as"]
    w.files.ask_save_path = lambda: tmp_path / "mine.circuit"
    assert w.files.save()
    assert path.read_bytes() == before and w.document.path == tmp_path / "mine.circuit"
    assert files.load(tmp_path / "mine.circuit") == w.document.circuit
    assert not w.document.modified


# --------------------------------------------------------------------------- changed on disk
@pytest.mark.parametrize("answer", ["cancel", "overwrite", "reload", "save_as"])
def test_saving_a_file_changed_on_disk_asks_first(window, asked, tmp_path, answer):
    w = window
    path = saved_file(tmp_path / "lecture.circuit")
    assert w.files.open_file(path)
    edit(w)
    another_program_writes(path)
    theirs = path.read_bytes()
    asked["answers"] = [answer]
    w.files.ask_save_path = lambda: tmp_path / "both.circuit"
    saved = w.files.save()
    assert [q[3] for q in asked["questions"]] == [("reload", "overwrite", "save_as", "cancel")]
    assert "changed by another program" in asked["questions"][0][1]
    assert saved == (answer in ("overwrite", "save_as"))
    if answer == "cancel":
        assert path.read_bytes() == theirs and w.document.modified
    elif answer == "overwrite":
        assert files.load(path) == w.document.circuit and not w.document.modified
    elif answer == "reload":
        assert path.read_bytes() == theirs and not w.document.modified
        assert w.document.circuit == files.load(path)  # x + y + z: what the other one wrote
        assert sorted(g.label for g in w.document.circuit.gates if g.label) == ["f", "x", "y", "z"]
    else:
        assert path.read_bytes() == theirs and w.document.path == tmp_path / "both.circuit"


def test_a_save_after_overwriting_does_not_ask_again(window, asked, tmp_path):
    w = window
    path = saved_file(tmp_path / "lecture.circuit")
    assert w.files.open_file(path)
    another_program_writes(path)
    asked["answers"] = ["overwrite"]
    assert w.files.save()
    edit(w)
    assert w.files.save() and len(asked["questions"]) == 1


def come_back(window) -> None:
    """The window comes back to the front (the event Qt sends on activation)."""
    window.activateWindow()
    QApplication.sendEvent(window, QEvent(QEvent.Type.ActivationChange))


def test_coming_back_to_a_file_changed_on_disk_asks_once(window, asked, qtbot, tmp_path):
    w = window
    path = saved_file(tmp_path / "lecture.circuit")
    assert w.files.open_file(path)
    qtbot.waitUntil(w.isActiveWindow)
    come_back(w)
    qtbot.wait(50)  # let a (wrong) question come, if it would
    assert asked["questions"] == []
    another_program_writes(path)
    asked["answers"] = ["cancel"]
    come_back(w)
    qtbot.waitUntil(lambda: len(asked["questions"]) == 1)
    come_back(w)  # the same change: not asked again
    qtbot.wait(50)
    assert len(asked["questions"]) == 1
    another_program_writes(path, "f = x - y")
    asked["answers"] = ["reload"]
    come_back(w)
    qtbot.waitUntil(lambda: len(asked["questions"]) == 2)
    assert "Reloading it shows the circuit as it is now" in asked["questions"][1][2]
    assert w.document.circuit == files.load(path) and not w.document.modified


def test_the_question_names_lost_changes_when_there_are_some(window, asked, qtbot, tmp_path):
    w = window
    path = saved_file(tmp_path / "lecture.circuit")
    assert w.files.open_file(path)
    edit(w)
    another_program_writes(path)
    asked["answers"] = ["cancel"]
    come_back(w)
    qtbot.waitUntil(lambda: len(asked["questions"]) == 1)
    assert "throws away your unsaved changes" in asked["questions"][0][2]
    assert w.document.modified


# --------------------------------------------------------------------------- bounded inputs
def pipe(tmp_path: Path) -> Path:
    fifo = tmp_path / "pipe.circuit"
    os.mkfifo(fifo)
    return fifo


def rescue(fifo: Path) -> threading.Timer:
    """Should the refusal break, a writer comes after a while: the test fails, not hangs."""
    t = threading.Timer(20, lambda: os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)))
    t.start()
    return t


def test_a_pipe_opened_from_the_menu_or_recent_is_refused_at_once(window, tmp_path):
    w = window
    w.files.open_example(fileops.examples()[0])
    before = w.document.circuit
    fifo = pipe(tmp_path)
    timer = rescue(fifo)
    try:
        w.files.ask_open_path = lambda: fifo
        assert not w.files.open_file()
        assert not w.files.open_file(fifo)  # Open Recent and the app's FILE argument
    finally:
        timer.cancel()
    assert w.files.errors == ["pipe.circuit: this is a named pipe (FIFO), not a file"] * 2
    assert w.document.circuit is before


def drop_file(view, path: Path) -> None:
    """What a file manager delivers: a drag over the canvas, then the drop."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    local = QPointF(view.viewport().rect().center())
    at = local if DRAG_AT_POINTF else local.toPoint()
    copy = Qt.DropAction.CopyAction
    for event in (
        QDragEnterEvent(at, copy, data, LEFT, NO_KEYS),
        QDragMoveEvent(at, copy, data, LEFT, NO_KEYS),
        QDropEvent(local, copy, data, LEFT, NO_KEYS),
    ):
        QApplication.sendEvent(view.viewport(), event)


def test_a_dropped_pipe_is_refused_at_once(window, tmp_path):
    w = window
    fifo = pipe(tmp_path)
    timer = rescue(fifo)
    try:
        drop_file(w.view, fifo)
    finally:
        timer.cancel()
    assert w.files.errors == ["pipe.circuit: this is a named pipe (FIFO), not a file"]
    drop_file(w.view, saved_file(tmp_path / "real.circuit"))
    assert w.document.path == tmp_path / "real.circuit"


def test_a_circuit_too_big_for_the_window_points_to_the_command_line(window, tmp_path, monkeypatch):
    w = window
    assert MAX_WINDOW_GATES >= 10_000
    assert f"circuits of up to {MAX_WINDOW_GATES:,} gates" in README
    path = saved_file(tmp_path / "big.circuit", "f = (x + y) * (x - y) + x * y")
    monkeypatch.setattr(fileops, "MAX_WINDOW_GATES", 5)
    w.files.open_example(fileops.examples()[0])
    before = w.document.circuit
    assert not w.files.open_file(path)
    assert w.document.circuit is before
    (error,) = w.files.errors
    assert "big.circuit has" in error and "up to 5 gates." in error
    assert "circuit-editor check, eval, code or export" in error


README = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8").split())


# --------------------------------------------------------------------------- Open Recent
def test_open_recent_keeps_a_path_that_is_not_utf8(window, tmp_path):
    w = window
    raw = os.path.join(os.fsencode(tmp_path), b"caf\xe9 \xff.circuit")
    path = Path(os.fsdecode(raw))
    saved_file(path)
    assert os.path.exists(raw)
    assert w.files.open_file(path)
    QSettings().sync()
    again = fileops.FileController(w, w.document)  # a fresh read of the settings
    assert again.recent()[0] == path.resolve()
    assert os.fsencode(again.recent()[0]) == os.path.realpath(raw)
    w.files.new_file()
    recent_menu = w.actions_.recent_menu
    (entry,) = [a for a in recent_menu.actions() if a.text().startswith("caf")]
    assert entry.text() == "caf\ufffd \ufffd.circuit"  # readable, not silently shortened
    entry.trigger()
    assert w.document.path == path.resolve() and len(w.document.circuit) == 3


def test_recent_lists_kept_as_text_by_earlier_versions_still_open(window, tmp_path):
    w = window
    path = saved_file(tmp_path / "old.circuit")
    QSettings().setValue("recent", [str(path)])
    assert w.files.recent() == [path]
    QSettings().setValue("recent", str(path))  # a list of one comes back as one text
    assert w.files.recent() == [path]


def test_a_picture_beyond_the_pixel_budget_is_refused_before_drawing(window, tmp_path):
    from circuit_editor.gui.export import MAX_PICTURE_PIXELS, export_scene

    w = window
    c = ce.Circuit()
    c.add_gate("input", label="x", value=1.0, pos=(-1e5, 0.0))
    c.add_gate("input", label="y", value=2.0, pos=(1e5, 0.0))
    w.document.replace(c, None)
    with pytest.raises(ValueError, match=r"would be 4,00\d,\d{3} \u00d7 [\d,]+ pixels"):
        export_scene(w.scene, tmp_path / "wide.png", scale=20)
    assert not (tmp_path / "wide.png").exists() and MAX_PICTURE_PIXELS >= 8000 * 5000
    export_scene(w.scene, tmp_path / "wide.svg", scale=20)  # no pixels: no budget
    assert (tmp_path / "wide.svg").read_bytes().startswith(b"<?xml")
