"""The step deck: a PDF with a title page, then one page per step of the forward and backward
passes, each the canvas as it looks at that step with the step's explanation under it. A circuit
of n gates gives 2n + 1 pages, 16:9, ready to drop into slides."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from ..core.circuit import Circuit
from ..core.explain import Explainer, Explanation
from ..core.reveal import step_view
from .export import MARGIN, clean_canvas

if TYPE_CHECKING:
    from .scene import CircuitScene

PAGE = QSizeF(960, 540)  # points: 16:9
PAD = 36.0


def write_deck(circuit: Circuit, path: str | Path, theme: str = "light") -> int:
    """Write the deck for ``circuit`` at its current input values; returns the page count."""
    from .offscreen import scene_for

    circuit = circuit.copy()  # its own scene follows the copy, not the open document
    scene = scene_for(circuit, theme)
    r = scene.document.result
    if r is None or r.incomplete or not r.has_gradients:
        reason = r.problem if r is not None and r.problem else "the circuit is empty"
        raise ValueError(f"cannot make a step deck: {reason}")
    steps = r.trace()
    explainer = Explainer.of(r, steps)
    canvas_rect = scene.content_rect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
    writer, painter = _open_pdf(Path(path), circuit)
    pages = 0
    with clean_canvas(scene):
        _title_page(painter, scene, circuit, len(steps) // 2, canvas_rect)
        pages = 1
        for k in range(len(steps)):
            writer.newPage()
            scene.set_step_view(step_view(circuit, steps, k + 1))
            _step_page(painter, scene, canvas_rect, explainer.explain(k))
            pages += 1
        scene.set_step_view(None)
    painter.end()
    return pages


def _open_pdf(path: Path, circuit: Circuit) -> tuple[QPdfWriter, QPainter]:
    """A 16:9 PDF at ``path`` and a painter on it (keep the writer while the painter paints)."""
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
    return writer, painter


def _title_page(
    painter: QPainter, scene: CircuitScene, circuit: Circuit, n: int, canvas_rect: QRectF
) -> None:
    """The circuit's title and description, how many steps follow, and the whole circuit."""
    _background(painter, scene)
    title = html.escape(circuit.settings.title or "A circuit")
    about = html.escape(circuit.settings.description)
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


def _step_page(painter: QPainter, scene: CircuitScene, canvas_rect: QRectF, e: Explanation) -> None:
    """The step's title, the canvas as it looks at that step, and the step explained."""
    _background(painter, scene)
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


def _background(painter: QPainter, scene: CircuitScene) -> None:
    painter.fillRect(QRectF(0, 0, PAGE.width(), PAGE.height()), scene.theme.color("background"))


def _canvas(painter: QPainter, scene: CircuitScene, source: QRectF, target: QRectF) -> None:
    scene.render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)


def _text(painter: QPainter, rect: QRectF, markup: str, scene: CircuitScene) -> None:
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
