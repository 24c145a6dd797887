"""How a wire and its numbers are drawn: where the value and the gradient sit beside a line,
the arrow head, and how much detail a zoom level can show. Shared by every wire-like item."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPolygonF
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from .geometry import label_boxes
from .theme import Theme

TEXT_MIN_PX = 5.75  # a line of text shorter than this on screen cannot be read: not drawn
LOD_ARROW = 0.6  # below this zoom, arrow heads are specks: not drawn
NOMINAL = "-0.0001234"  # as wide as a number on the canvas usually gets (numbers.short)
ROOM = "-0.1234"  # the least room a wire's numbers are placed for: most numbers fit it
NO_HIDING = (False, False)  # neither the value nor the gradient hidden from the class
HIDDEN = "?"  # written in the box of a number hidden from the class


def lod(painter: QPainter) -> float:
    return QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())


def readable(detail: float, theme: Theme, role: str = "label") -> bool:
    """Whether ``role``'s text can be read at zoom ``detail`` (a projector's larger fonts can be
    read at a smaller zoom)."""
    return detail * theme.metrics(role).height() >= TEXT_MIN_PX


def room(theme: Theme, *texts: str, least: str = ROOM) -> float:
    """The width a wire's numbers are placed for: the widest of them, or at least ``least``'s
    (by default ``ROOM``, so that numbers changing within it stay where they are)."""
    return max(theme.text_width(s) for s in (least, *texts)) + 4


def label_rects(
    start: QPointF, end: QPointF, value: str, grad: str, theme: Theme, t: float = 0.5
) -> tuple[QRectF, QRectF]:
    """Value above the wire, gradient below (see geometry.label_boxes), as rectangles."""
    wv = theme.text_width(value) + 4 if value else 0.0
    wg = theme.text_width(grad) + 4 if grad else 0.0
    up, down = label_boxes(
        (start.x(), start.y()), (end.x(), end.y()), wv, wg, theme.metrics("label").height(), t
    )
    return (
        QRectF(up[0], up[1], up[2] - up[0], up[3] - up[1]),
        QRectF(down[0], down[1], down[2] - down[0], down[3] - down[1]),
    )


class Labels:
    """A wire's two numbers, where their baselines start, and which are hidden from the class:
    a hidden number leaves a box of its own size with a "?" in it."""

    __slots__ = ("above", "at_grad", "at_value", "below", "grad", "hidden", "value")

    def __init__(
        self,
        theme,
        above: QRectF,
        below: QRectF,
        value: str,
        grad: str,
        hidden: tuple[bool, bool] = NO_HIDING,
    ):
        ascent = theme.metrics("label").ascent()
        self.value, self.grad, self.hidden = value, grad, hidden
        self.above, self.below = above, below
        self.at_value = QPointF(above.left() + 2, above.top() + ascent)
        self.at_grad = QPointF(below.left() + 2, below.top() + ascent)

    def draw(self, painter: QPainter, theme) -> None:
        painter.setFont(theme.font("label"))
        for text, at, box, hidden, role in (
            (self.value, self.at_value, self.above, self.hidden[0], "value"),
            (self.grad, self.at_grad, self.below, self.hidden[1], "grad"),
        ):
            if not text:
                continue
            if hidden:
                _draw_hidden(painter, theme, box, role)
            else:
                painter.setPen(theme.color(role))
                painter.drawText(at, text)


def _draw_hidden(painter: QPainter, theme, box: QRectF, role: str) -> None:
    """A "?" in a box the size of the number it hides."""
    pen = theme.pen("wire", role)
    painter.setPen(pen)
    painter.setBrush(theme.color("background"))
    inset = pen.widthF() / 2 + 0.5  # the outline's ink stays in the box
    inner = box.adjusted(inset, inset, -inset, -inset)
    painter.drawRoundedRect(inner, 3, 3)
    painter.drawText(inner, Qt.AlignmentFlag.AlignCenter, HIDDEN)


def arrow_head(start: QPointF, end: QPointF) -> QPolygonF | None:
    d = end - start
    length = math.hypot(d.x(), d.y())
    if length <= 20:
        return None
    ux, uy = d.x() / length, d.y() / length
    tip = end - QPointF(ux * 5, uy * 5)
    back = tip - QPointF(ux * 7, uy * 7)
    n = QPointF(-uy * 3.5, ux * 3.5)
    return QPolygonF([tip, back + n, back - n])


def paint_wire(
    painter: QPainter,
    theme,
    line: QPolygonF,
    head: QPolygonF | None,
    labels: Labels | None,
    detail: float,
) -> None:
    # (antialiasing is on for the whole view: no need to ask for it per wire)
    painter.setPen(theme.pen("wire"))
    painter.drawPolyline(line)
    if head is not None and detail >= LOD_ARROW:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.color("wire"))
        painter.drawPolygon(head)
    if labels is not None:
        labels.draw(painter, theme)
