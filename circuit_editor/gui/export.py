"""The canvas as a picture (PNG, SVG, PDF) for slides and handouts: the same drawing code as the
screen, cropped to the circuit with a margin, without the grid or the selection."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem

FORMATS = (".png", ".svg", ".pdf")
MARGIN = 24.0
MAX_PICTURE_PIXELS = 40_000_000
"""The pixel budget of a PNG: 160 MB while it is drawn (8,000 by 5,000 pixels, a slide at four
times the resolution of a large screen). A bigger one is refused in one line, before any
memory is taken; SVG and PDF have no pixels and no budget."""
MAX_PICTURE_SIDE = 32_000
"""The widest or tallest PNG: Qt cannot paint on an image larger than 32,767 pixels a side."""


@contextmanager
def clean_canvas(scene):
    """No grid, no selection, no highlighted ports while a picture is taken; and the gates
    drawn afresh, not from the pixmaps kept for the screen (Qt does not always refresh those
    for another paint device, so a picture could show a gate as it was a step earlier)."""
    grid, selected = scene.show_grid, scene.selectedItems()
    caches = {item: item.cacheMode() for item in scene.gates.values()}
    scene.show_grid = False
    scene.clearSelection()
    for item in caches:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    try:
        yield
    finally:
        for item, mode in caches.items():
            item.setCacheMode(mode)
        scene.show_grid = grid
        for item in selected:
            item.setSelected(True)
        scene.refresh_background()


def picture_rect(scene) -> QRectF:
    rect = scene.content_rect()
    if rect.isEmpty():
        rect = QRectF(-100, -60, 200, 120)
    return rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)


def picture_size(scene, scale: float) -> QSize:
    """The size in pixels of the picture of ``scene`` at ``scale``; a ValueError if it is
    beyond the budget (:data:`MAX_PICTURE_PIXELS`, :data:`MAX_PICTURE_SIDE`)."""
    rect = picture_rect(scene)
    width, height = max(1, round(rect.width() * scale)), max(1, round(rect.height() * scale))
    if width * height > MAX_PICTURE_PIXELS or max(width, height) > MAX_PICTURE_SIDE:
        raise ValueError(
            f"the picture would be {width:,} \u00d7 {height:,} pixels, more than a PNG may have "
            f"({MAX_PICTURE_PIXELS / 1e6:.0f} million, at most {MAX_PICTURE_SIDE:,} a side): "
            "export it at a smaller scale, or as SVG or PDF"
        )
    return QSize(width, height)


def render_image(scene, scale: float = 2.0) -> QImage:
    rect = picture_rect(scene)
    size = picture_size(scene, scale)
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(scene.theme.color("background"))
    with clean_canvas(scene):
        painter = QPainter(image)
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        scene.render(painter, QRectF(image.rect()), rect)
        painter.end()
    return image


def export_scene(scene, path, scale: float = 2.0) -> Path:
    """Write the canvas to ``path``; the suffix picks the format."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(
            f"cannot export to {suffix or 'a file without a suffix'}: use .png, .svg or .pdf"
        )
    if not (scale > 0 and scale <= 20):
        raise ValueError("the scale must be between 0 and 20")
    if suffix == ".png":
        if not render_image(scene, scale).save(str(path)):  # the suffix names the format
            raise OSError(f"could not write {path}")
        return path
    rect = picture_rect(scene)
    with clean_canvas(scene):
        if suffix == ".svg":
            gen = QSvgGenerator()
            gen.setFileName(str(path))
            gen.setSize(QSize(round(rect.width()), round(rect.height())))
            gen.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
            gen.setTitle(scene.circuit.settings.title or "circuit")
            gen.setDescription("Drawn by circuit-editor")
            painter = QPainter(gen)
        else:
            writer = QPdfWriter(str(path))
            writer.setResolution(72)  # one scene unit is one point
            writer.setPageLayout(
                QPageLayout(
                    QPageSize(QSizeF(rect.width(), rect.height()), QPageSize.Unit.Point),
                    QPageLayout.Orientation.Portrait,
                    QMarginsF(0, 0, 0, 0),
                )
            )
            writer.setTitle(scene.circuit.settings.title or "circuit")
            writer.setCreator("circuit-editor")
            painter = QPainter(writer)
        if not painter.isActive():
            raise OSError(f"could not write {path}")
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
        painter.end()
    if not path.exists():
        raise OSError(f"could not write {path}")
    return path
