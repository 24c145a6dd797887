"""Lecture mode's pieces: the numbers under a click, what is put away and brought back, and
the window's parts it reaches through their public operations."""

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtTest import QTest

import circuit_editor as ce
from circuit_editor import resources
from circuit_editor.core.reveal import JunctionNumber, OutputNumber, RevealStage, WireNumber
from circuit_editor.gui.view import drawn_rect

from .helpers import click, labels

STAGED = resources.path("examples", "2-staged.circuit")
EXAMPLES = sorted(resources.path("examples").glob("*.circuit"))


def key(w, k) -> None:
    """A key pressed on the canvas, as a lecturer's keyboard or clicker sends it."""
    QTest.keyClick(w.view.viewport(), k)


def f5(qtbot, w) -> None:
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    key(w, Qt.Key.Key_F5)
    assert w.lecture.active
    qtbot.waitUntil(lambda: w.size() == w.screen().size())  # full screen comes a moment later


def device_height(w, role: str = "label") -> float:
    """How tall a line of ``role``'s text is on the screen (QFontMetrics.height at the zoom)."""
    return QFontMetrics(w.scene.theme.font(role)).height() * w.view.zoom


def circuit_on_screen(w) -> QRectF:
    """The box of all the canvas draws (gates, wires, numbers), in the view's pixels."""
    return w.view.mapFromScene(drawn_rect(w.scene)).boundingRect().toRectF()


def assert_lecture_fills_and_reads(w) -> None:
    screen_w, screen_h = w.width(), w.height()
    box = circuit_on_screen(w)
    assert box.width() >= 0.8 * screen_w or box.height() >= 0.8 * screen_h
    assert QRectF(w.view.viewport().rect()).contains(box)  # and all of it on screen
    assert device_height(w) >= 0.025 * screen_h
    assert QFontMetrics(w.explanation.font()).height() >= 0.025 * screen_h
    line = w.lecture.line
    assert line.isVisible() and line.width() >= 0.95 * screen_w
    assert QFontMetrics(line.font()).height() >= 0.025 * screen_h


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_f5_fills_the_screen_with_legible_numbers_and_esc_leaves(qtbot, window, example):
    w = window
    w.files.open_example(example)
    f5(qtbot, w)
    assert w.isFullScreen()
    assert_lecture_fills_and_reads(w)
    w.resize(1920, 1080)  # another screen: fitted again
    qtbot.waitUntil(lambda: w.view.viewport().width() > 1700)
    qtbot.waitUntil(lambda: not w.lecture._refit.isActive())
    assert_lecture_fills_and_reads(w)
    key(w, Qt.Key.Key_End)  # the last step's explanation: every line of it on screen
    panel = w.explanation
    assert panel.toPlainText().startswith("Backward")
    qtbot.waitUntil(lambda: panel.document().size().height() <= panel.viewport().height() + 1)
    title = w.document.circuit.settings.title
    assert w.lecture.line.words.startswith(title)
    key(w, Qt.Key.Key_Escape)
    assert not w.lecture.active and not w.isFullScreen()
    assert not w.lecture.line.isVisible()
    assert w.theme.name == "light" and w.theme.scale == 1.0


def test_opening_another_circuit_in_lecture_mode_fits_it_the_lecture_way(qtbot, window):
    w = window
    w.files.open_example(resources.path("examples", "4d-staged-function.circuit"))
    f5(qtbot, w)
    w.files.open_example(resources.path("examples", "1a-product.circuit"))
    qtbot.waitUntil(lambda: w.lecture.line.words.startswith("1(a)"))
    assert w.lecture.active
    assert_lecture_fills_and_reads(w)


def test_the_slim_line_names_title_input_set_stage_and_step(qtbot, window):
    w = window
    w.files.open_example(resources.path("examples", "4d-staged-function.circuit"))
    f5(qtbot, w)
    line = w.lecture.line
    doc = w.document
    assert doc.input_set and f"Input set: {doc.input_set}" in line.words
    assert "Values and gradients" in line.words
    key(w, Qt.Key.Key_R)
    assert "Structure only" in line.words
    key(w, Qt.Key.Key_R)
    key(w, Qt.Key.Key_R)
    key(w, Qt.Key.Key_End)
    n = w.playback.count // 2
    assert n >= 4
    assert line.words.endswith(f"Backward {n} of {n}")
    for _ in range(n - 3):
        key(w, Qt.Key.Key_PageUp)
    assert line.words.endswith(f"Backward 3 of {n}")
    key(w, Qt.Key.Key_Home)
    assert line.words.endswith(f"Start: 0 of {2 * n} steps")
    names = list(doc.circuit.input_sets)
    key(w, Qt.Key.Key_2)
    assert doc.input_set == names[1] and f"Input set: {names[1]}" in line.words


def test_clicks_on_numbers_leave_question_boxes_and_esc_shows_every_number(qtbot, window):
    w = window
    w.files.open_example(STAGED)
    f5(qtbot, w)
    scene, c = w.scene, w.document.circuit
    full = labels(scene)
    junction, stub = scene.junctions[c.find("x")], scene.stub
    assert stub is not None
    value_box, _ = junction.label_rects()
    _, grad_box = stub.label_rects()
    with qtbot.waitSignal(w.document.revealChanged):
        click(w.view, value_box.center())
    click(w.view, grad_box.center())
    assert junction.hidden == (True, False) and stub.hidden == (False, True)
    assert w.document.reveal.hidden_values == {JunctionNumber(c.find("x"))}
    assert w.document.reveal.hidden_grads == {OutputNumber()}
    # the "?" box is the size of the number it hides
    assert junction.label_rects()[0] == value_box and stub.label_rects()[1] == grad_box
    assert labels(scene) == full  # the texts are kept, to size their boxes
    shown = render(w, value_box)
    click(w.view, value_box.center())  # a second click shows it again
    assert junction.hidden == (False, False)
    assert render(w, value_box) != shown
    key(w, Qt.Key.Key_Escape)
    assert not w.lecture.active
    assert w.document.reveal.hidden_values == set() and w.document.reveal.hidden_grads == set()
    items = [*scene.wires.values(), *scene.junctions.values(), stub]
    assert all(item.hidden == (False, False) for item in items)
    assert labels(scene) == full


def render(w, box: QRectF) -> bytes:
    """What the canvas shows in ``box`` (scene coordinates), as pixels."""
    from PySide6.QtGui import QImage, QPainter

    image = QImage(round(box.width() * 2), round(box.height() * 2), QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    w.scene.render(painter, QRectF(image.rect()), box)
    painter.end()
    return bytes(image.constBits())


def test_hidden_numbers_belong_to_the_document_and_the_scene_follows_its_signal(qtbot, window):
    w = window
    w.files.open_example(STAGED)
    c = w.document.circuit
    g, h = c.find("g"), c.find("h")
    key_ = WireNumber(ce.Wire(g, h, 0))
    with qtbot.waitSignal(w.document.revealChanged):
        w.document.toggle_hidden(key_, gradient=True)
    assert w.scene.wires[ce.Wire(g, h, 0)].hidden == (False, True)
    w.files.open_example(STAGED)  # another document: nothing hidden in it
    assert w.document.reveal.hidden_grads == set()
    assert all(item.hidden == (False, False) for item in w.scene.wires.values())


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_default_fit_shows_numbers_at_least_11_pixels_tall_in_a_1280_by_800_window(
    qtbot, window, example
):
    w = window
    w.resize(1280, 800)
    qtbot.waitUntil(lambda: w.width() == 1280)
    w.files.open_example(example)
    w.view.fit()
    assert device_height(w) >= 11
    assert QRectF(w.view.viewport().rect()).intersects(circuit_on_screen(w))


def test_number_at_names_the_wire_the_junction_and_the_output(window):
    w = window
    w.files.open_example(STAGED)
    scene, c = w.scene, w.document.circuit
    x, g, h = c.find("x"), c.find("g"), c.find("h")
    wire = scene.wires[ce.Wire(g, h, 0)]
    above, below = wire.label_rects()
    assert scene.number_at(above.center()) == (WireNumber(ce.Wire(g, h, 0)), False)
    assert scene.number_at(below.center()) == (WireNumber(ce.Wire(g, h, 0)), True)
    above, _ = scene.junctions[x].label_rects()
    assert scene.number_at(above.center()) == (JunctionNumber(x), False)
    assert scene.stub is not None
    _, below = scene.stub.label_rects()
    assert scene.number_at(below.center()) == (OutputNumber(), True)
    assert scene.number_at(scene.gates[g].pos()) is None


def test_r_moves_through_the_stages_and_esc_shows_everything(qtbot, window):
    w = window
    w.files.open_example(STAGED)
    f5(qtbot, w)
    full = labels(w.scene)
    key(w, Qt.Key.Key_R)
    assert w.document.reveal.stage is RevealStage.STRUCTURE
    assert labels(w.scene)[("f", "out")] == ("", "")
    key(w, Qt.Key.Key_R)
    assert w.document.reveal.stage is RevealStage.VALUES
    assert labels(w.scene)[("f", "out")] == (full[("f", "out")][0], "")
    key(w, Qt.Key.Key_Escape)
    assert w.document.reveal.stage is RevealStage.GRADIENTS
    assert labels(w.scene) == full


def test_leaving_brings_back_exactly_the_panels_bars_and_grid_that_were_showing(window):
    w = window
    w.docks["history"].hide()
    w.scene.set_grid(False)
    before = {key: dock.isVisible() for key, dock in w.docks.items()}
    w.lecture.enter()
    assert [k for k, d in w.docks.items() if d.isVisible()] == ["explain"]
    assert not any(t.isVisible() for t in w.toolbars())
    assert not w.menuBar().isVisible() and not w.statusBar().isVisible()
    assert not w.playback_bar.isVisible()  # the keys step; the slim line says where
    assert w.docks["explain"].titleBarWidget() is w.lecture.line
    w.lecture.leave()
    assert w.playback_bar.isVisible() and w.docks["explain"].titleBarWidget() is None
    assert {key: dock.isVisible() for key, dock in w.docks.items()} == before
    assert all(t.isVisible() for t in w.toolbars())
    assert w.menuBar().isVisible() and w.statusBar().isVisible()
    assert not w.scene.show_grid


def test_the_gate_palette_leaves_qwidget_palette_alone(window):
    from PySide6.QtGui import QPalette

    from circuit_editor.gui.palette import Palette

    assert isinstance(window.gate_palette, Palette)
    assert isinstance(window.palette(), QPalette)
    assert window.docks["palette"].widget() is window.gate_palette


def test_panel_toggles_show_and_hide_the_docks(window):
    toggles = window.panel_toggles()
    assert len(toggles) == len(window.docks)
    history = window.docks["history"]
    toggle = next(t for t in toggles if t.text() == history.windowTitle())
    was = history.isVisible()
    toggle.trigger()
    assert history.isVisible() != was


def test_select_selects_only_the_given_gates_and_select_all_all(window):
    w = window
    w.files.open_example(STAGED)
    c = w.document.circuit
    w.scene.select_all()
    assert sorted(w.scene.selected_ids()) == sorted(g.id for g in c.gates)
    w.scene.select([c.find("g"), c.find("h")])
    assert sorted(w.scene.selected_ids()) == sorted([c.find("g"), c.find("h")])


def test_a_projectors_larger_numbers_are_drawn_at_zooms_where_the_canvass_are_not(qapp):
    from circuit_editor.gui.theme import Theme, load_fonts
    from circuit_editor.gui.wire_paint import readable

    load_fonts()
    assert readable(0.5, Theme.named("light")) and not readable(0.3, Theme.named("light"))
    assert readable(0.3, Theme.named("contrast", 2.0))
