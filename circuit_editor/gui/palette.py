"""The gate palette: every gate of the registry, grouped by category (inputs and constants
first, where a circuit begins), in registry order within a group, each drawn as the canvas
draws it. Drag an entry onto the canvas, or double-click it / press Enter
to place it in the middle of the view (``placeRequested``)."""

from __future__ import annotations

import html

from PySide6.QtCore import QMimeData, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QDrag, QFontMetricsF, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.gates import GATES, GateSpec
from .gate_item import RADIUS, TAG_H
from .theme import Theme, default_theme, load_fonts
from .view import GATE_MIME

KIND = Qt.ItemDataRole.UserRole
ICON = 32  # logical pixels
CATEGORY_TITLES = {
    "basic": "Basic",
    "function": "Functions",
    "constant": "With a built-in constant",
    "leaf": "Inputs and constants",
}
# the palette's own order of groups (the registry's order is the interpreter's: left alone);
# a category missing here comes last, in registry order
CATEGORY_ORDER = ("leaf", "basic", "function", "constant")
LEAF_TEXT = {"input": "x", "const": "1"}  # what a freshly placed leaf shows on the canvas


def gate_mime(kind: str) -> QMimeData:
    md = QMimeData()
    md.setData(GATE_MIME, kind.encode())
    md.setText(kind)
    return md


def gate_pixmap(spec: GateSpec, theme: Theme, size: int = ICON, dpr: float = 2.0) -> QPixmap:
    """The gate as the canvas draws it, shrunk to ``size``: a circle holding its symbol, or a
    rounded tag for an input (solid) or a constant (dashed)."""
    pm = QPixmap(round(size * dpr), round(size * dpr))
    pm.setDevicePixelRatio(dpr)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    scale = size / (2 * RADIUS + 6)
    pen = QPen(theme.color("gate_border"), max(1.0, theme.pen_width("gate") * scale * 1.2))
    if spec.is_leaf:
        h = TAG_H * scale * 1.15
        rect = QRectF(1.5, (size - h) / 2, size - 3, h)
        if spec.kind == "const":
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(QBrush(theme.color("input_fill" if spec.kind == "input" else "const_fill")))
        p.drawRoundedRect(rect, 5 * scale, 5 * scale)
        font = theme.font("name", bold=spec.kind == "input")
        font.setPixelSize(max(7, round(font.pixelSize() * scale * 1.5)))
        p.setFont(font)
        p.setPen(theme.color("name"))
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, LEAF_TEXT.get(spec.kind, spec.kind[:1]))
    else:
        r = size / 2 - pen.widthF()
        p.setPen(pen)
        p.setBrush(QBrush(theme.color("gate_fill")))
        centre = QPointF(size / 2, size / 2)
        p.drawEllipse(centre, r, r)
        symbol = spec.symbol_for(spec.defaults)
        font = theme.font("symbol" if len(symbol) <= 3 else "symbol_small", bold=True)
        px = max(6.0, font.pixelSize() * scale * 1.4)
        font.setPixelSize(round(px))
        while px > 6 and QFontMetricsF(font).horizontalAdvance(symbol) > 1.7 * r:
            px -= 0.5
            font.setPixelSize(round(px))
        p.setFont(font)
        p.setPen(theme.color("symbol"))
        p.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, symbol)
    p.end()
    return pm


def palette_order() -> list[GateSpec]:
    """The registry's gates as the palette lists them: by group (CATEGORY_ORDER), then in
    registry order."""
    rank = {c: i for i, c in enumerate(CATEGORY_ORDER)}
    return sorted(GATES.values(), key=lambda s: rank.get(s.category, len(rank)))


def tooltip(spec: GateSpec) -> str:
    e = html.escape
    symbol = spec.symbol_for(spec.defaults)
    head = f"<b>{e(spec.name)}</b>" + (f" &nbsp;<code>{e(symbol)}</code>" if symbol else "")
    parts = [head, e(spec.doc)]
    if spec.formula:
        parts.append(f"<i>{e(spec.formula)}</i>")
    if spec.local_doc:
        parts.append(f"Local gradient: {e(spec.local_doc)}")
    if spec.kink_doc:
        parts.append(f"Careful: not differentiable at {e(spec.kink_doc)}.")
    return "<p style='white-space:pre-wrap'>" + "<br>".join(parts) + "</p>"


def matches(spec: GateSpec, text: str) -> bool:
    needle = text.strip().casefold()
    if not needle:
        return True
    hay = (spec.name, spec.kind, spec.symbol_for(spec.defaults), spec.symbol, spec.doc)
    return any(needle in h.casefold() for h in hay)


class _GateTree(QTreeWidget):
    """The list itself: drags carry the kind as ``GATE_MIME``; Enter asks to place the gate."""

    activatedKind = Signal(str)

    def mimeTypes(self) -> list[str]:
        return [GATE_MIME]

    def mimeData(self, items) -> QMimeData:
        kinds = [i.data(0, KIND) for i in items if i.data(0, KIND)]
        return gate_mime(kinds[0]) if kinds else QMimeData()

    def startDrag(self, actions) -> None:
        item = self.currentItem()
        kind = item.data(0, KIND) if item is not None else None
        if item is None or not kind:
            return
        drag = QDrag(self)
        drag.setMimeData(gate_mime(kind))
        pm = item.icon(0).pixmap(self.iconSize())
        drag.setPixmap(pm)
        drag.setHotSpot(pm.rect().center() / max(1.0, pm.devicePixelRatio()))
        drag.exec(Qt.DropAction.CopyAction)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            item = self.currentItem()
            if item is not None and item.data(0, KIND):
                self.activatedKind.emit(item.data(0, KIND))
            elif item is not None:
                item.setExpanded(not item.isExpanded())
            return
        super().keyPressEvent(event)


class Palette(QWidget):
    placeRequested = Signal(str)  # a gate kind to place at the view's centre

    def __init__(self, theme: Theme | None = None, parent=None):
        super().__init__(parent)
        load_fonts()
        self.theme = theme or default_theme()
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter gates\u2026")
        self.filter.setClearButtonEnabled(True)
        self.filter.setToolTip(
            "Matches a gate's name, symbol or description. "
            "Down moves to the list; Enter places the first match."
        )
        self.tree = _GateTree(self)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(8)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.tree.setExpandsOnDoubleClick(False)
        self.tree.setIconSize(QSize(ICON, ICON))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.setSpacing(4)
        lay.addWidget(self.filter)
        lay.addWidget(self.tree, 1)
        self.setFocusProxy(self.filter)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._groups: dict[str, QTreeWidgetItem] = {}
        self._build()
        self.filter.textChanged.connect(self.set_filter)
        self.filter.returnPressed.connect(self._place_current)
        self.filter.installEventFilter(self)
        self.tree.activatedKind.connect(self.placeRequested)
        self.tree.itemDoubleClicked.connect(self._double_clicked)

    # ------------------------------------------------------------ building
    def _build(self) -> None:
        self.tree.clear()
        self._items.clear()
        self._groups.clear()
        for spec in palette_order():
            group = self._groups.get(spec.category)
            if group is None:
                title = CATEGORY_TITLES.get(spec.category, spec.category.capitalize())
                group = self._groups[spec.category] = QTreeWidgetItem(self.tree, [title])
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                group.setExpanded(True)
            item = QTreeWidgetItem(group, [spec.name])
            item.setData(0, KIND, spec.kind)
            item.setToolTip(0, tooltip(spec))
            item.setStatusTip(0, f"{spec.name}: {spec.doc}")
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled
            )
            self._items[spec.kind] = item
        self.tree.expandAll()
        self._paint_icons()
        first = next(iter(self._items.values()), None)
        if first is not None:
            self.tree.setCurrentItem(first)

    def _paint_icons(self) -> None:
        dpr = max(2.0, self.devicePixelRatioF())
        for kind, item in self._items.items():
            item.setIcon(0, QIcon(gate_pixmap(GATES[kind], self.theme, ICON, dpr)))

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._paint_icons()

    # ------------------------------------------------------------ filtering
    def set_filter(self, text: str) -> None:
        if self.filter.text() != text:
            self.filter.setText(text)  # comes back here through textChanged
            return
        for kind, item in self._items.items():
            item.setHidden(not matches(GATES[kind], text))
        for group in self._groups.values():
            children = (group.child(i) for i in range(group.childCount()))
            group.setHidden(all(child is None or child.isHidden() for child in children))
        current = self.tree.currentItem()
        if current is None or current.isHidden() or not current.data(0, KIND):
            shown = self.visible_kinds()
            if shown:
                self.tree.setCurrentItem(self._items[shown[0]])

    def visible_kinds(self) -> list[str]:
        """The kinds the list shows now, in order."""
        return [
            k for k, item in self._items.items() if not item.isHidden() and not _hidden_parent(item)
        ]

    def item_for(self, kind: str) -> QTreeWidgetItem:
        return self._items[kind]

    # ------------------------------------------------------------ placing
    def _double_clicked(self, item: QTreeWidgetItem, column: int) -> None:
        kind = item.data(0, KIND)
        if kind:
            self.placeRequested.emit(kind)
        else:
            item.setExpanded(not item.isExpanded())

    def _place_current(self) -> None:
        item = self.tree.currentItem()
        kind = item.data(0, KIND) if item is not None and not item.isHidden() else None
        if not kind:
            shown = self.visible_kinds()
            kind = shown[0] if shown else None
        if kind:
            self.placeRequested.emit(kind)

    def eventFilter(self, obj, event) -> bool:
        if (
            obj is self.filter
            and event.type() == event.Type.KeyPress
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up)
        ):
            self.tree.setFocus(Qt.FocusReason.TabFocusReason)
            if event.key() == Qt.Key.Key_Down and self.tree.currentItem() is None:
                shown = self.visible_kinds()
                if shown:
                    self.tree.setCurrentItem(self._items[shown[0]])
            return True
        return super().eventFilter(obj, event)


def _hidden_parent(item: QTreeWidgetItem) -> bool:
    parent = item.parent()
    return parent is not None and parent.isHidden()
