"""One theme: every colour, pen width and font size the canvas uses comes from here.

Paint code asks the current :class:`Theme` (``theme.color("grad")``, ``theme.font("label")``)
and never writes a colour literal. The default is the worksheet's: values black, gradients blue.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QPalette,
    QPen,
)

from .. import resources

FONT_FAMILY = "DejaVu Sans"

_BASE = {
    "background": "#ffffff",
    "grid": "#eceff3",
    "wire": "#3c3c3c",
    "wire_dim": "#b5b9bf",
    "gate_fill": "#ffffff",
    "gate_border": "#2b2b2b",
    "symbol": "#111111",
    "input_fill": "#f3f6fb",
    "const_fill": "#f1f1f1",
    "name": "#111111",
    "value": "#000000",
    "grad": "#1f4fd1",
    "selection": "#f39c12",
    "port": "#6b6f76",
    "port_legal": "#1e9e4a",
    "port_hover": "#0b7a32",
    "warn": "#c62828",
    "kink": "#d35400",
    "pulse_forward": "#000000",
    "pulse_backward": "#1f4fd1",
    "highlight": "#fff3c4",
}

THEMES: dict[str, dict] = {
    "light": {"title": "Worksheet (light)", "colors": {}},
    "dark": {
        "title": "Dark",
        "colors": {
            "background": "#1e1f22",
            "grid": "#2a2c31",
            "wire": "#b9bcc2",
            "wire_dim": "#4a4d54",
            "gate_fill": "#2b2d31",
            "gate_border": "#d6d8dc",
            "symbol": "#f2f2f2",
            "input_fill": "#253041",
            "const_fill": "#303236",
            "name": "#f2f2f2",
            "value": "#f5f5f5",
            "grad": "#7fb2ff",
            "selection": "#f5b041",
            "port": "#9aa0a8",
            "port_legal": "#4cd07d",
            "port_hover": "#8ef0b0",
            "warn": "#ff6b6b",
            "kink": "#ffa657",
            "pulse_forward": "#f5f5f5",
            "pulse_backward": "#7fb2ff",
            "highlight": "#4a4220",
        },
    },
    "colorblind": {
        "title": "Colour-blind safe (blue/orange)",
        "colors": {
            "value": "#0b5394",
            "grad": "#c25400",
            "pulse_forward": "#0b5394",
            "pulse_backward": "#c25400",
            "port_legal": "#0072b2",
            "port_hover": "#005282",
            "warn": "#7a0177",
            "kink": "#cc79a7",
        },
    },
    "contrast": {
        "title": "High contrast",
        "colors": {
            "wire": "#000000",
            "gate_border": "#000000",
            "grad": "#0000c8",
            "value": "#000000",
            "grid": "#f4f4f4",
            "port": "#000000",
        },
        "scale": 1.35,
        "pen": 2.0,
    },
    "cs231n": {
        "title": "CS231n (green/red)",
        "colors": {
            "value": "#1b7f2a",
            "grad": "#c0392b",
            "pulse_forward": "#1b7f2a",
            "pulse_backward": "#c0392b",
        },
    },
}

FONT_SIZES = {"symbol": 15.0, "symbol_small": 11.0, "label": 11.0, "name": 13.0, "badge": 10.0}
# Wires are 1 unit wide: Qt's raster engine draws antialiased lines of width 1 about ten times
# faster than wider ones, and a circuit is mostly wires (see tests/bench/bench_canvas.py).
PEN_WIDTHS = {"wire": 1.0, "gate": 1.8, "output": 1.4, "selection": 2.4, "port": 1.0}


@dataclass
class Theme:
    name: str = "light"
    colors: dict[str, str] = field(default_factory=dict)
    scale: float = 1.0  # fonts and pens, e.g. for a projector
    pen_scale: float = 1.0
    _fonts: dict = field(default_factory=dict, repr=False, compare=False)
    _metrics: dict = field(default_factory=dict, repr=False, compare=False)
    _colors: dict = field(default_factory=dict, repr=False, compare=False)
    _pens: dict = field(default_factory=dict, repr=False, compare=False)
    _widths: dict = field(default_factory=dict, repr=False, compare=False)
    _fitted: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def named(cls, name: str, scale: float = 1.0) -> Theme:
        data = THEMES[name]
        return cls(
            name, {**_BASE, **data["colors"]}, scale * data.get("scale", 1.0), data.get("pen", 1.0)
        )

    @property
    def dark(self) -> bool:
        return QColor(self.colors["background"]).lightness() < 128

    def color(self, role: str) -> QColor:
        """The role's colour (a shared object: copy it before changing it)."""
        c = self._colors.get(role)
        if c is None:
            c = self._colors[role] = QColor(self.colors[role])
        return c

    def text_width(self, text: str, role: str = "label") -> float:
        """The advance of ``text`` in ``role``'s font (remembered: numbers repeat a lot)."""
        key = (role, text)
        w = self._widths.get(key)
        if w is None:
            if len(self._widths) > 20000:
                self._widths.clear()
            w = self._widths[key] = self.metrics(role).horizontalAdvance(text)
        return w

    def pen(self, role: str, color: str | None = None) -> QPen:
        """A cached pen of ``role``'s width, in ``color`` (default: the role's own colour)."""
        key = (role, color)
        p = self._pens.get(key)
        if p is None:
            p = self._pens[key] = QPen(self.color(color or role), self.pen_width(role))
        return p

    def pen_width(self, role: str) -> float:
        return PEN_WIDTHS[role] * self.pen_scale * max(1.0, self.scale**0.5)

    def font(self, role: str, bold: bool = False) -> QFont:
        """A copy (QFont is shared on write, so copies are cheap): callers may resize it."""
        key = (role, bold)
        f = self._fonts.get(key)
        if f is None:
            f = QFont(FONT_FAMILY)
            f.setPixelSize(max(6, round(FONT_SIZES[role] * self.scale)))
            f.setBold(bold)
            f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            self._fonts[key] = f
        return QFont(f)

    def ink(self, text: str, role: str = "label", bold: bool = False) -> QRectF:
        """Where ``text`` in ``role``'s font puts ink, from the start of its baseline."""
        return ink_rect(self.metrics(role, bold), text)

    def fitted(self, text: str, role: str, radius: float, bold: bool = False) -> Fitted:
        """``text`` in ``role``'s font, shrunk until its ink (its glyphs' true outlines) lies
        within ``radius`` of its centre (a gate's symbol in its circle), and where to start its
        baseline so that the ink is centred on the origin."""
        key = (text, role, radius, bold)
        found = self._fitted.get(key)
        if found is None:
            font = self.font(role, bold)
            px = font.pixelSize()
            ink = tight_rect(QFontMetricsF(font), text)
            while px > 4 and 0.5 * math.hypot(ink.width(), ink.height()) > radius:
                px -= 1  # (whole pixels: the canvas asks for fonts in pixels)
                font.setPixelSize(px)
                ink = tight_rect(QFontMetricsF(font), text)
            c = ink.center()
            found = self._fitted[key] = Fitted(font, -c.x(), -c.y(), ink.translated(-c))
        return found

    def metrics(self, role: str, bold: bool = False) -> QFontMetricsF:
        key = (role, bold)
        m = self._metrics.get(key)
        if m is None:
            m = self._metrics[key] = QFontMetricsF(self.font(role, bold))
        return m


@dataclass(frozen=True)
class Fitted:
    """A text's font, where its baseline starts, and the box its ink stays in."""

    font: QFont
    x: float
    y: float
    ink: QRectF


def ink_rect(metrics: QFontMetricsF, text: str) -> QRectF:
    """Where ``text`` puts ink, relative to the start of its baseline: the line's full ascent
    and descent and the text's advance, grown to every glyph's true outline (a tail or an
    accent that reaches beyond them), with a pixel of room for antialiasing."""
    line = QRectF(0, -metrics.ascent(), metrics.horizontalAdvance(text), metrics.height())
    return line.united(metrics.tightBoundingRect(text)).adjusted(-1, -1, 1, 1)


def tight_rect(metrics: QFontMetricsF, text: str) -> QRectF:
    """The glyphs' true outlines, relative to the start of the baseline, with a pixel of room."""
    return metrics.tightBoundingRect(text).adjusted(-1, -1, 1, 1)


_fonts_loaded = False


def load_fonts() -> None:
    """Register the bundled DejaVu Sans, so pictures look the same on every machine."""
    global _fonts_loaded
    if _fonts_loaded:
        return
    for p in sorted(resources.path("fonts").glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(p))
    _fonts_loaded = True


def system_prefers_dark() -> bool:
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return False
    hints = app.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    if scheme is not None:
        return scheme() == Qt.ColorScheme.Dark
    return app.palette().color(QPalette.ColorRole.Window).lightness() < 128


_system_palette: QPalette | None = None


def apply_app_palette(theme: Theme) -> None:
    """Dress the whole window (docks, menus) to match a dark canvas, and undress it again."""
    global _system_palette
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return
    if _system_palette is None:
        _system_palette = QPalette(app.palette())
    from PySide6.QtWidgets import QApplication

    if not theme.dark:
        app.setPalette(_system_palette)
        if isinstance(app, QApplication):
            app.setStyleSheet("")
        return
    if isinstance(app, QApplication):
        app.setStyle("Fusion")
    c = theme.color
    R = QPalette.ColorRole
    pal = QPalette()
    for role, key in [
        (R.Window, "gate_fill"),
        (R.Base, "background"),
        (R.AlternateBase, "gate_fill"),
        (R.Button, "gate_fill"),
        (R.WindowText, "name"),
        (R.Text, "name"),
        (R.ButtonText, "name"),
        (R.ToolTipBase, "gate_fill"),
        (R.ToolTipText, "name"),
        (R.PlaceholderText, "port"),
        (R.Highlight, "grad"),
        (R.HighlightedText, "background"),
        (R.Link, "grad"),
        (R.BrightText, "warn"),
        (R.Mid, "wire_dim"),
        (R.Dark, "background"),
        (R.Light, "wire_dim"),
        (R.Shadow, "background"),
    ]:
        pal.setColor(role, c(key))
    pal.setColor(QPalette.ColorGroup.Disabled, R.Text, c("port"))
    pal.setColor(QPalette.ColorGroup.Disabled, R.ButtonText, c("port"))
    pal.setColor(QPalette.ColorGroup.Disabled, R.WindowText, c("port"))
    app.setPalette(pal)
    if isinstance(app, QApplication):
        # Fusion draws a tick box's frame a shade darker than the window: on a dark window that
        # is the colour of the box itself, and an unticked box (a list's, a check box's) vanishes
        app.setStyleSheet(
            "QAbstractItemView::indicator:unchecked, QCheckBox::indicator:unchecked {"
            f" border: 1px solid {c('port').name()}; border-radius: 2px;"
            f" background: {c('background').name()}; width: 12px; height: 12px; }}"
        )


def default_theme() -> Theme:
    return Theme.named("dark" if system_prefers_dark() else "light")
