"""One owner of document state: replacing the document (File > New, Open, an example, Revert, a
dropped file) while a step is shown resets the step-through and every panel to the new circuit,
through the real menu actions; the new circuit is evaluated before anything is announced."""

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

import circuit_editor as ce
from circuit_editor import resources
from circuit_editor.core import commands as cmd

STAGED = resources.path("examples", "2-staged.circuit")
PRODUCT = resources.path("examples", "1a-product.circuit")
IDLE_LABEL = "Press Space to play the passes"


def action(w, name):
    return w.actions_.by_name[name]


def example_action(w, path: Path):
    title = ce.load(path).settings.title
    (found,) = [a for a in w.actions_.examples_menu.actions() if a.text() == title]
    return found


def key(w, k) -> None:
    QTest.keyClick(w.view.viewport(), k)


def step_into(w, qtbot) -> None:
    """Stand two steps into the passes with a step under way, as a lecturer would."""
    w.playback.set_speed(0.25)  # slow: the pulses are still travelling when the file changes
    key(w, Qt.Key.Key_Home)
    key(w, Qt.Key.Key_PageDown)
    key(w, Qt.Key.Key_PageDown)
    assert w.document.position == 2 and w.playback.pulses
    assert w.playback_bar.label.text().startswith("Forward 2 of")


def drop_file(w, path: Path) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    vp = w.view.viewport()
    event = QDropEvent(
        QPointF(vp.rect().center()),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    w.view.dropEvent(event)


def open_with_dialog(w, path: Path) -> None:
    w.files.ask_open_path = lambda: path
    action(w, "open").trigger()


def revert(w, path: Path) -> None:
    """Throw the changes away: back to the file as it now is on disk."""
    del path
    w.files.ask_revert = lambda: True
    action(w, "revert").trigger()


REPLACERS = {
    "example": lambda w, path: example_action(w, PRODUCT).trigger(),
    "open": open_with_dialog,
    "drop": drop_file,
    "revert": revert,
    "new": lambda w, path: action(w, "new").trigger(),
}


@pytest.mark.parametrize("how", list(REPLACERS))
def test_replacing_the_document_while_stepping_resets_every_panel(window, qtbot, tmp_path, how):
    w = window
    saved = tmp_path / "product.circuit"
    ce.save(ce.load(PRODUCT), saved)
    if how == "revert":  # the staged circuit, opened and changed; on disk it becomes 1(a)
        ce.save(ce.load(STAGED), saved)
        open_with_dialog(w, saved)
        w.document.push(cmd.SetValue(w.document.circuit.find("x"), 3.0))
        ce.save(ce.load(PRODUCT), saved)
    else:
        example_action(w, STAGED).trigger()
    step_into(w, qtbot)
    REPLACERS[how](w, saved)
    # nothing of the old step-through is left, anywhere
    assert w.document.position is None and w.playback.position is None
    assert not w.playback.pulses and not w.playback.playing and w.scene.step_view is None
    assert w.playback_bar.label.text() == IDLE_LABEL
    assert w.explanation.toHtml() == _html(w, w.explanation.IDLE)
    if how == "new":
        assert len(w.document.circuit) == 0
        key(w, Qt.Key.Key_Home)
        key(w, Qt.Key.Key_PageDown)
        assert w.playback_bar.label.text() == IDLE_LABEL
        return
    assert w.circuit_panel.title.text() == ce.load(PRODUCT).settings.title
    # and stepping again steps through the new circuit: 1(a) has one gate, q = x * y
    key(w, Qt.Key.Key_Home)
    key(w, Qt.Key.Key_PageDown)
    assert w.playback_bar.label.text() == "Forward 1 of 1"
    text = w.explanation.toPlainText()
    assert text.startswith("Forward 1 of 1") and "*" in text.splitlines()[0]
    assert "x + y" not in text


def _html(w, markup: str) -> str:
    """How the panel holds ``markup`` once set (Qt rewrites HTML)."""
    from PySide6.QtWidgets import QTextBrowser

    probe = QTextBrowser()
    probe.setHtml(markup)
    return probe.toHtml()


def test_launching_with_a_file_then_opening_an_example_hands_no_view_a_stale_result(
    qtbot, tmp_path
):
    """The scene used to be handed the previous circuit's result (KeyError: 'n1')."""
    from circuit_editor.gui.theme import Theme
    from circuit_editor.gui.window import MainWindow

    path = tmp_path / "launched.circuit"
    ce.save(ce.from_code("a = u * v\nb = a + w"), path)
    w = MainWindow(ce.load(path), path, theme=Theme.named("light"))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    seen = []
    w.document.replaced.connect(
        lambda: seen.append(w.document.result is not None and w.document.result.circuit)
    )
    example_action(w, PRODUCT).trigger()  # pytest-qt fails the test on an exception in a slot
    assert seen == [w.document.circuit]  # evaluated before it was announced
    assert w.scene.result is w.document.result


def test_a_step_starts_at_once_label_explanation_and_gate(window, qtbot):
    w = window
    example_action(w, STAGED).trigger()
    w.playback.set_speed(0.25)
    key(w, Qt.Key.Key_End)
    key(w, Qt.Key.Key_Home)
    n = w.playback.count // 2
    for k in range(1, n + 2):
        key(w, Qt.Key.Key_PageDown)
        assert w.playback.anim.state() == w.playback.anim.State.Running  # pulses under way
        step = w.document.trace.steps[k - 1]
        expected = f"Forward {k} of {n}" if k <= n else f"Backward {k - n} of {n}"
        assert w.playback_bar.label.text() == expected
        assert w.explanation.toPlainText().startswith(expected)
        lit = [gid for gid, item in w.scene.gates.items() if item.active]
        assert lit == [step.gate]


@pytest.mark.parametrize("speed", [0.25, 1.0, 4.0])
@pytest.mark.parametrize("forward, back", [(Qt.Key.Key_PageDown, Qt.Key.Key_PageUp)])
def test_n_presses_are_n_steps_at_any_speed(window, speed, forward, back):
    w = window
    example_action(w, STAGED).trigger()
    w.playback.set_speed(speed)
    for _ in range(5):  # rapidly: every press but the first lands during an animation
        key(w, forward)
    assert w.document.position == 5 and w.playback.pulses  # the fifth step under way
    assert w.playback_bar.label.text() == "Backward 2 of 3"
    for _ in range(3):
        key(w, back)
    assert w.document.position == 2 and not w.playback.pulses
    w.view.scene().clearSelection()
    for _ in range(3):  # the right arrow with nothing selected steps too (a clicker)
        key(w, Qt.Key.Key_Right)
    assert w.document.position == 5


def test_a_steps_pulses_take_between_a_third_and_one_second(window):
    from circuit_editor.gui.playback import MAX_STEP_S, MIN_STEP_S, step_duration_ms

    assert (MIN_STEP_S, MAX_STEP_S) == (0.3, 1.0)
    assert step_duration_ms(1.0, 1.0) == 300
    assert step_duration_ms(100_000.0, 1.0) == 1000
    assert step_duration_ms(100_000.0, 2.0) == 500
    w = window
    c = ce.from_code("f = x * y")
    far = c.find("x")
    c.move(far, (-5000.0, 0.0))  # a very long wire, and a short one
    w.document.replace(c, None)
    w.playback.set_speed(1.0)
    durations = []
    for _ in range(w.playback.count):
        w.playback.step_forward()
        durations.append(w.playback.anim.duration())
        lengths = [p.length for p in w.playback.pulses]
        assert max(lengths) > 4000
    assert all(300 <= d <= 1000 for d in durations) and max(durations) == 1000


def test_pulses_are_drawn_under_every_number(window):
    w = window
    example_action(w, STAGED).trigger()
    w.playback.step_forward()
    pulses = w.playback.pulses
    assert pulses
    labelled = [*w.scene.wires.values(), *w.scene.junctions.values()]
    assert max(p.zValue() for p in pulses) < min(i.zValue() for i in labelled)


def test_a_pulse_over_a_number_leaves_it_readable(window, qtbot):
    w = window
    example_action(w, PRODUCT).trigger()
    QApplication.processEvents()  # the fit queued for once the window has its size
    w.playback.step_forward()  # the pulses start along x -> f and y -> f
    c = w.document.circuit
    item = w.scene.wires[ce.Wire(c.find("x"), c.find("f"), 0)]
    value_box, _ = item.label_rects()
    assert item.value_text == "1" and not value_box.isEmpty()
    pulse = next(p for p in w.playback.pulses if p.points[0] == item.points[0])
    w.playback.anim.pause()

    def shot():
        return w.view.viewport().grab().toImage()  # grab() paints the viewport now

    pulse.hide()
    clean = shot()
    pulse.setPos(item.mapToScene(value_box.center()))  # right on the number
    pulse.show()
    covered = shot()
    box = w.view.mapFromScene(item.mapRectToScene(value_box)).boundingRect()
    inside = [
        (x, y) for x in range(box.left(), box.right()) for y in range(box.top(), box.bottom())
    ]
    assert inside and all(clean.pixel(x, y) == covered.pixel(x, y) for x, y in inside)
    # the same pulse on a stretch of the wire that carries no number is drawn as usual
    start, end = item.mapToScene(item.points[0]), item.mapToScene(item.points[1])
    pulse.setPos(start + (end - start) * 0.15)
    elsewhere = shot()
    around = pulse.mapRectToScene(pulse.boundingRect())
    ring = w.view.mapFromScene(around).boundingRect()
    assert any(
        clean.pixel(x, y) != elsewhere.pixel(x, y)
        for x in range(ring.left(), ring.right())
        for y in range(ring.top(), ring.bottom())
    )
