"""Autosave and recovery: a snapshot of the modified circuit a moment after each edit, in the
recovery folder (a temporary one here: see tests/conftest.py); gone after a save, an undo back
to clean or a close; kept by SIGTERM; offered, restored or set aside at the next start.

The example is 1(a), f = x * y at x = 1, y = -2. With x typed as 3: f = 3 * -2 = -6, and
df/dx = y = -2, df/dy = x = 3 (the gradient on each input of a product is the other input)."""

import json
import os
import select
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest

from circuit_editor import files, resources
from circuit_editor.gui.autosave import Autosave, RecoveryStore, Session, sidecar_path
from circuit_editor.gui.recovery import (
    Answer,
    RecoveryDialog,
    find_orphans,
    offer_recovery,
)
from circuit_editor.gui.window import MainWindow

FAST_MS = 20


@pytest.fixture
def product(tmp_path):
    """The user's file: a copy of example 1(a), in a folder of its own."""
    folder = tmp_path / "lectures"
    folder.mkdir()
    path = folder / "product.circuit"
    shutil.copy(resources.path("examples", "1a-product.circuit"), path)
    return path


@pytest.fixture
def session(recovery_folder):
    s = Session(RecoveryStore(recovery_folder))
    yield s
    s.store.release()


def attach(session, window) -> Autosave:
    autosave = session.attach(window)
    autosave.timer.setInterval(FAST_MS)
    return autosave


def type_x(window, text):
    """Select the input x on the canvas and type its value in the Inspector."""
    doc = window.document
    window.scene.clearSelection()
    window.scene.gates[doc.circuit.find("x")].setSelected(True)
    edit = window.inspector.value_edit
    window.docks["inspector"].raise_()
    edit.setFocus()
    edit.selectAll()
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    QTest.keyClicks(edit, text)
    QTest.keyClick(edit, Qt.Key.Key_Return)


@pytest.fixture
def edited(qtbot, window, session, product):
    """The user's file opened, x typed as 3, and its snapshot written."""
    assert window.files.open_file(product)
    autosave = attach(session, window)
    type_x(window, "3")
    assert window.document.modified
    qtbot.waitUntil(autosave.path.exists)
    return window, autosave


def test_an_edit_is_autosaved_a_moment_later_in_the_recovery_folder(
    edited, product, recovery_folder
):
    _window, autosave = edited
    snapshot = autosave.path
    assert snapshot.parent == recovery_folder
    assert sorted(p.name for p in product.parent.iterdir()) == ["product.circuit"]  # untouched
    assert files.load(product).gate(files.load(product).find("x")).value == 1.0
    circuit = files.load(snapshot)
    assert circuit.gate(circuit.find("x")).value == 3.0
    side = json.loads(sidecar_path(snapshot).read_text())
    assert side["original"] == str(product) and side["name"] == "product.circuit"
    assert side["pid"] == os.getpid() and side["instance"] == autosave.store.instance
    assert side["saved"].endswith("+00:00")  # UTC


def test_edits_that_never_pause_are_still_autosaved_by_the_deadline(
    qtbot, window, session, product
):
    window.files.open_file(product)
    autosave = attach(session, window)
    autosave.timer.setInterval(600_000)  # the pause after the last edit never comes
    autosave.deadline.setInterval(FAST_MS)
    type_x(window, "3")
    assert autosave.timer.isActive() and autosave.deadline.isActive()
    qtbot.waitUntil(autosave.path.exists)
    circuit = files.load(autosave.path)
    assert circuit.gate(circuit.find("x")).value == 3.0


def test_nothing_is_written_before_an_edit(qtbot, window, session, product):
    window.files.open_file(product)
    autosave = attach(session, window)
    assert not autosave.write() and not autosave.timer.isActive()
    assert list(session.store.folder.glob("*.circuit")) == []


def test_leftovers_of_copies_that_are_gone_are_swept_and_a_running_ones_are_not(
    session, recovery_folder
):
    gone, running = "0123456789ab", session.store.instance
    ended = subprocess.Popen(["true"])
    ended.wait()  # a process that has ended: its lock is stale
    dead = ended.pid
    (recovery_folder / f"{gone}.lock").write_text(f"{dead}\npython3\n\n")
    left = [
        f"{gone}.lock",
        f"{gone}.d1.json",  # a sidecar whose circuit was never written
        f".{gone}.d1.circuit.x1y2z3.tmp",  # a snapshot half-written by files.save
        f"{gone}.d1.json.Ab12Cd",  # a sidecar half-written by QSaveFile
    ]
    kept = [f"{running}.d1.json", f".{running}.d1.circuit.q.tmp", "notes.txt"]
    for name in left[1:] + kept:
        (recovery_folder / name).write_text("x")
    assert find_orphans(session.store) == ([], [])
    assert sorted(p.name for p in recovery_folder.iterdir()) == sorted([*kept, f"{running}.lock"])


def test_a_save_removes_the_snapshot(edited, product):
    window, autosave = edited
    assert window.files.save()
    assert not autosave.path.exists() and not sidecar_path(autosave.path).exists()
    assert files.load(product).gate(files.load(product).find("x")).value == 3.0


def test_undo_back_to_clean_removes_the_snapshot(edited):
    window, autosave = edited
    window.actions_.by_name["undo"].trigger()
    assert not window.document.modified
    assert not autosave.path.exists() and not sidecar_path(autosave.path).exists()


def test_a_close_removes_the_snapshot_and_a_cancelled_one_keeps_it(edited):
    window, autosave = edited
    window.files.answers = ["cancel"]
    assert not window.close()
    assert autosave.path.exists()
    window.files.answers = ["discard"]
    assert window.close()
    assert not autosave.path.exists() and not sidecar_path(autosave.path).exists()


def test_a_logout_request_writes_at_once_and_leaving_keeps_the_snapshot(
    qtbot, window, session, product
):
    """What commitDataRequest (``write_all``) and aboutToQuit (``keep_all``) do."""
    window.files.open_file(product)
    autosave = attach(session, window)
    autosave.timer.setInterval(600_000)
    type_x(window, "3")
    assert not autosave.path.exists()
    session.write_all()  # the desktop asks: the snapshot is written now; the logout may stop
    assert autosave.path.exists() and not autosave.closed
    type_x(window, "5")
    session.keep_all()  # the app is leaving: written again, and nothing removes it after
    circuit = files.load(autosave.path)
    assert circuit.gate(circuit.find("x")).value == 5.0
    window.actions_.by_name["undo"].trigger()
    window.actions_.by_name["undo"].trigger()
    assert not window.document.modified and autosave.path.exists()


def test_a_second_running_copy_does_not_offer_the_first_ones_snapshot(edited, recovery_folder):
    _window, autosave = edited
    second = RecoveryStore(recovery_folder)
    try:
        assert find_orphans(second) == ([], [])
        autosave.store.release()  # the first copy is gone (as if it had crashed)
        found, notes = find_orphans(second)
        assert [s.file for s in found] == [autosave.path] and notes == []
        assert found[0].circuit.gate(found[0].circuit.find("x")).value == 3.0
    finally:
        second.release()


def test_a_corrupt_snapshot_is_set_aside_and_start_up_goes_on(
    qtbot, window, session, recovery_folder, product
):
    attach(session, window)
    bad = recovery_folder / "0dead0beef00.0bad.circuit"
    bad.write_text('{"format": "circuit-editor", "gates": [')
    sidecar_path(bad).write_text('{"format": "circuit-editor-recovery"}')
    answer = offer_recovery(session, window)  # nothing else to offer: no dialog
    assert answer == Answer("later", [])
    assert not bad.exists() and not sidecar_path(bad).exists()
    aside = recovery_folder / "0dead0beef00.0bad.circuit.corrupt"
    assert aside.exists() and (recovery_folder / "0dead0beef00.0bad.json.corrupt").exists()
    (message,) = window.files.errors
    assert "could not be read" in message and str(aside) in message
    assert not window.document.modified and window.isVisible()


def orphan(recovery_folder, product, x: float) -> Path:
    """A snapshot left by a copy of the app that is gone: x set to ``x``."""
    gone = RecoveryStore(recovery_folder)
    document = MainWindow().document
    document.replace(files.load(product), product)
    document.circuit.set_value(document.circuit.find("x"), x)
    document.undo_stack.resetClean()
    path = gone.write("0doc", document)
    gone.release()
    return path


def test_later_keeps_the_snapshots_and_discard_removes_the_ticked_ones(
    qtbot, window, session, recovery_folder, product
):
    first = orphan(recovery_folder, product, 4.0)
    second = orphan(recovery_folder, product, 5.0)
    answer = offer_recovery(session, window, ask=lambda w, found, notes: Answer("later", []))
    assert answer.action == "later" and first.exists() and second.exists()

    def discard_first(w, found, notes):
        assert {s.file for s in found} == {first, second} and notes == []
        return Answer("discard", [s for s in found if s.file == first])

    offer_recovery(session, window, ask=discard_first)
    assert not first.exists() and not sidecar_path(first).exists() and second.exists()
    assert not window.document.modified


def test_the_dialog_restores_or_discards_the_ticked_snapshots(
    qtbot, recovery_folder, product, session
):
    orphan(recovery_folder, product, 4.0)
    orphan(recovery_folder, product, 5.0)
    found, _ = find_orphans(session.store)
    dialog = RecoveryDialog(found, ["One was set aside."])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.list.count() == 2 and dialog.notes.isVisible()
    assert dialog.list.item(0).text().startswith("product.circuit\nfrom ")
    assert str(product.parent) in dialog.list.item(0).text()
    assert dialog.restore_button.isDefault()
    dialog.list.item(1).setCheckState(Qt.CheckState.Unchecked)
    qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == RecoveryDialog.DialogCode.Accepted
    assert dialog.answer() == Answer("discard", [found[0]])
    qtbot.mouseClick(dialog.later_button, Qt.MouseButton.LeftButton)
    assert dialog.answer() == Answer("later", [])


def test_restore_into_a_window_showing_a_users_file_opens_another_window(
    qtbot, window, session, recovery_folder, product, tmp_path
):
    orphan(recovery_folder, product, 4.0)
    other = tmp_path / "other.circuit"
    shutil.copy(product, other)
    window.files.open_file(other)
    offer_recovery(session, window, ask=lambda w, found, notes: Answer("restore", found))
    assert window.document.path == other and not window.document.modified
    (restored,) = session.windows
    qtbot.addWidget(restored)
    restored.files.ask_save_changes = lambda: "discard"
    assert restored.document.path == product and restored.document.modified
    assert restored.document.result.value["f"] == -8.0  # 4 * -2


# ------------------------------------------------------------------ a real process, killed
APP = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from circuit_editor.core import commands as cmd
from circuit_editor.gui.app import run_app
from circuit_editor.gui.window import MainWindow

app = QApplication([])


def edit():
    (w,) = [t for t in QApplication.topLevelWidgets() if isinstance(t, MainWindow)]
    w.autosave.timer.setInterval(int(sys.argv[2]))
    w.autosave.written.connect(lambda path: print("written", path, flush=True))
    w.document.push(cmd.SetValue(w.document.circuit.find("x"), 3.0))
    print("edited", flush=True)


QTimer.singleShot(0, edit)
print("exit", run_app(sys.argv[1]), flush=True)
"""


def start_app(product, tmp_path, delay_ms: int) -> subprocess.Popen:
    """The app in a process of its own (offscreen, its settings in ``tmp_path``, snapshots in
    the tests' recovery folder), with ``product`` open and x set to 3."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    env.pop("XDG_CONFIG_HOME", None)
    env.pop("XDG_DATA_HOME", None)
    return subprocess.Popen(
        [sys.executable, "-c", APP, str(product), str(delay_ms)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,  # unbuffered: select() sees every line that is not yet read
        env=env,
    )


def wait_for_line(proc: subprocess.Popen, word: str) -> str:
    """The app's first line of output that starts with ``word`` (read a byte at a time, so
    that no later line waits in a buffer that select() does not see)."""
    line = b""
    while not line.endswith(b"\n") or not line.startswith(word.encode()):
        line = b"" if line.endswith(b"\n") else line
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        assert ready, f"the app never said {word!r}"
        byte = proc.stdout.read(1)
        assert byte, f"the app ended before saying {word!r}: {proc.stderr.read()[-2000:]!r}"
        line += byte
    return line.decode()


def test_after_kill_9_the_next_start_offers_the_snapshot_and_restores_it(
    qtbot, window, session, recovery_folder, product, tmp_path
):
    app = start_app(product, tmp_path, FAST_MS)
    try:
        written = Path(wait_for_line(app, "written").split(" ", 1)[1].strip())
    finally:
        app.kill()  # SIGKILL: no handler runs
        app.communicate(timeout=60)
    assert app.returncode == -signal.SIGKILL
    assert written.parent == recovery_folder and written.exists()

    attach(session, window)
    asked = []

    def click_restore():
        (dialog,) = window.findChildren(RecoveryDialog)
        asked.append(dialog.list.item(0).text())
        dialog.restore_button.click()

    QTimer.singleShot(0, click_restore)
    answer = offer_recovery(session, window)
    assert answer.action == "restore" and asked[0].startswith("product.circuit\n")
    doc = window.document
    assert doc.path == product and doc.modified and window.isWindowModified()
    r = doc.result
    assert (r.value["x"], r.value["y"], r.value["f"]) == (3.0, -2.0, -6.0)
    assert (r.grad["x"], r.grad["y"]) == (-2.0, 3.0)
    assert not written.exists()  # this copy's own snapshot took its place
    assert window.autosave.path.exists()
    assert window.files.save()  # Save writes the original file
    saved = files.load(product)
    assert saved.gate(saved.find("x")).value == 3.0
    assert not window.autosave.path.exists()


def test_sigterm_writes_a_snapshot_before_leaving(recovery_folder, product, tmp_path):
    app = start_app(product, tmp_path, 600_000)  # no snapshot but the one SIGTERM writes
    try:
        wait_for_line(app, "edited")
        app.send_signal(signal.SIGTERM)
        out, err = app.communicate(timeout=60)
    finally:
        app.kill()
    assert app.returncode == 0, err[-2000:]
    assert out.decode().strip().endswith("exit 0")
    (snapshot,) = recovery_folder.glob("*.circuit")
    circuit = files.load(snapshot)
    assert circuit.gate(circuit.find("x")).value == 3.0
    assert json.loads(sidecar_path(snapshot).read_text())["original"] == str(product)
    assert list(recovery_folder.glob("*.lock")) == []  # its lock is released: it is orphaned
