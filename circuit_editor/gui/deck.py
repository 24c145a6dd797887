"""The step deck: a PDF with a title page, then one page per step of the forward and backward
passes, each the canvas as it looks at that step with the step's explanation under it. A circuit
of n gates gives 2n + 1 pages, 16:9, ready to drop into slides."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from ..core.explain import Explainer
from ..core.reveal import step_view
from .export import MARGIN, clean_canvas

PAGE = QSizeF(960, 540)  # points: 16:9
PAD = 36.0


def write_deck(circuit, path, theme: str = "light") -> int:
    """Write the deck for ``circuit`` at its current input values; returns the page count."""
    from .offscreen import scene_for

    circuit = circuit.copy()  # its own scene follows the copy, not the open document
    scene = scene_for(circuit, theme)
    r = scene.document.result
    if r is None or r.incomplete or not r.has_gradients:
        reason = r.problem if r is not None and r.problem else "the circuit is empty"
        raise ValueError(f"cannot make a step deck: {reason}")
    steps = r.trace()
    explainer = Explainer.of(r)
    canvas_rect = scene.content_rect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setResolution(72)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(PAGE, QPageSize.Unit.Point),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )
    writer.setTitle(f"{circuit.settings.title or 'Circuit'}: forward and backward passes")
    writer.setCreator("circuit-editor")
    painter = QPainter(writer)
    if not painter.isActive():
        raise OSError(f"could not write {path}")
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    pages = 0
    with clean_canvas(scene):
        _background(painter, scene)
        title = html.escape(circuit.settings.title or "A circuit")
        about = html.escape(circuit.settings.description)
        n = len(steps) // 2
        _text(
            painter,
            QRectF(PAD, PAD, PAGE.width() - 2 * PAD, 120),
            f"<h1>{title}</h1><p>{about}</p><p>{n} gates: {n} forward steps, then {n} "
            f"backward steps. Values above the wires, gradients below.</p>",
            scene,
        )
        _canvas(
            painter,
            scene,
            canvas_rect,
            QRectF(PAD, 170, PAGE.width() - 2 * PAD, PAGE.height() - 170 - PAD),
        )
        pages = 1
        for k in range(len(steps)):
            writer.newPage()
            scene.set_step_view(step_view(circuit, steps, k + 1))
            _background(painter, scene)
            e = explainer.explain(k)
            body = "".join(f"<p>{html.escape(line)}</p>" for line in e.lines)
            if e.words:
                body += f"<p><i>{html.escape(e.words)}</i></p>"
            _text(
                painter,
                QRectF(PAD, PAD * 0.6, PAGE.width() - 2 * PAD, 40),
                f"<h2>{html.escape(e.title)}</h2>",
                scene,
            )
            _canvas(
                painter,
                scene,
                canvas_rect,
                QRectF(PAD, 80, PAGE.width() - 2 * PAD, PAGE.height() * 0.55),
            )
            _text(
                painter,
                QRectF(
                    PAD,
                    80 + PAGE.height() * 0.55 + 10,
                    PAGE.width() - 2 * PAD,
                    PAGE.height() * 0.45 - 100,
                ),
                body,
                scene,
            )
            pages += 1
        scene.set_step_view(None)
    painter.end()
    return pages


def _background(painter: QPainter, scene) -> None:
    painter.fillRect(QRectF(0, 0, PAGE.width(), PAGE.height()), scene.theme.color("background"))


def _canvas(painter: QPainter, scene, source: QRectF, target: QRectF) -> None:
    scene.render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)


def _text(painter: QPainter, rect: QRectF, markup: str, scene) -> None:
    doc = QTextDocument()
    doc.setDefaultFont(scene.theme.font("label"))
    color = scene.theme.color("name").name()
    doc.setDefaultStyleSheet(
        f"body, p, h1, h2 {{ color: {color}; }} h1 {{ font-size: 22pt; }} "
        "h2 { font-size: 15pt; } p { font-size: 11pt; margin: 2px 0; }"
    )
    doc.setHtml(f"<body>{markup}</body>")
    doc.setTextWidth(rect.width())
    painter.save()
    painter.translate(rect.topLeft())
    painter.setClipRect(QRectF(0, 0, rect.width(), rect.height()))
    doc.drawContents(painter, QRectF(0, 0, rect.width(), rect.height()))
    painter.restore()
