"""In the dark theme an unticked box (a list's, a check box's) is still drawn: Fusion's own
frame for it is the colour of the box on a dark window."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QListWidget, QListWidgetItem, QStyle

from circuit_editor.gui.theme import Theme, apply_app_palette


def frame_pixels(theme: Theme, qtbot) -> int:
    """How many pixels of an unticked list item's box have the theme's frame colour."""
    apply_app_palette(theme)
    try:
        view = QListWidget()
        qtbot.addWidget(view)
        item = QListWidgetItem("kept for later")
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        view.addItem(item)
        view.resize(240, 80)
        view.show()
        qtbot.waitExposed(view)
        image = view.viewport().grab().toImage()
        row = view.visualItemRect(item)
        box = QApplication.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth)
        want = theme.color("port")
        return sum(
            1
            for x in range(row.left(), row.left() + box + 8)
            for y in range(row.top(), row.bottom() + 1)
            if _near(QColor(image.pixel(QPoint(x, y))), want)
        )
    finally:
        apply_app_palette(Theme.named("light"))


def _near(a: QColor, b: QColor) -> bool:
    return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue())) < 40


def test_an_unticked_box_has_a_visible_frame_in_the_dark_theme(qtbot):
    assert frame_pixels(Theme.named("dark"), qtbot) >= 20  # the four sides of a 12 px box


def test_the_light_theme_leaves_tick_boxes_to_the_system_style(qtbot):
    apply_app_palette(Theme.named("dark"))
    apply_app_palette(Theme.named("light"))
    assert QApplication.instance().styleSheet() == ""
