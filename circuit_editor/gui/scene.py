"""The scene follows the circuit: circuit events add, remove and move items; every evaluation
puts its numbers on the wires. The scene never edits the circuit."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QGraphicsScene

from ..core.circuit import Event, Wire
from ..core.numbers import full, short
from ..core.result import Result
from .geometry import GateIndex, route
from .items import GRID, GateItem, JunctionItem, StubItem, WireItem
from .theme import Theme


class CircuitScene(QGraphicsScene):
    numbersChanged = Signal()

    def __init__(self, document, theme: Theme | None = None, parent=None):
        super().__init__(parent)
        self.document = document
        self.theme = theme or Theme.named("light")
        self.show_grid = True
        self.reveal = 2  # 0 structure only, 1 + values, 2 + gradients
        self.hidden_values: set = set()  # wires (or junction source ids) hidden by a click
        self.hidden_grads: set = set()
        self.step_view = None  # core.reveal.StepView during a step-through
        self.gates: dict[str, GateItem] = {}
        self.wires: dict[Wire, WireItem] = {}
        self.junctions: dict[str, JunctionItem] = {}
        self.stub: StubItem | None = None
        self._unsubscribe = None
        self.index = GateIndex()  # where the gates are, for routing and labels
        self._building = False
        self.result: Result | None = None
        document.replaced.connect(self.rebuild)
        document.evaluated.connect(self.show_result)
        self.rebuild()

    # ------------------------------------------------------------ building
    @property
    def circuit(self):
        return self.document.circuit

    def rebuild(self) -> None:
        self.index = GateIndex()
        self._building = True
        if self._unsubscribe:
            self._unsubscribe()
        self.clear()
        self.gates.clear()
        self.wires.clear()
        self.junctions.clear()
        self.stub = None
        for g in self.circuit.gates:
            self._add_gate(g)
        for w in self.circuit.wires:
            self._add_wire(w)
        self._building = False
        self.reroute_all()  # once, now that every gate stands where it will
        self._unsubscribe = self.circuit.subscribe(self.on_event)
        self._update_output()
        self.show_result(self.document.result)

    def set_theme(self, theme: Theme) -> None:
        """Fonts change sizes with the theme: every item measures itself again."""
        self.theme = theme
        for item in self.items():
            if isinstance(item, WireItem):
                item.invalidate()
            elif isinstance(item, JunctionItem):
                item._changed()
        for gid, item in self.gates.items():
            item.set_gate(item.gate)
            self._route(gid)
        self._update_output()
        self.refresh_background()
        self.update()

    def refresh_background(self) -> None:
        """The views keep the background (colour and grid) cached: draw it again."""
        for view in self.views():
            view.resetCachedContent()
        self.invalidate(self.sceneRect(), QGraphicsScene.SceneLayer.BackgroundLayer)

    def _add_gate(self, gate) -> None:
        item = GateItem(self, gate)
        self.gates[gate.id] = item
        self.addItem(item)
        self.index_gate(item)

    def index_gate(self, item: GateItem) -> None:
        """Keep the index of gate boxes up to date (items call this when they move or
        change size)."""
        if self.gates.get(item.gate.id) is item:
            self.index.set(item.gate.id, *item.boxes())

    def _add_wire(self, wire: Wire) -> None:
        item = WireItem(self, wire)
        self.wires[wire] = item
        self.addItem(item)
        if not self._building:
            self._route(wire.source)

    def on_event(self, e: Event) -> None:
        if e.kind == "gate-added":
            self._add_gate(e.new)
        elif e.kind == "gate-removed":
            self.index.remove(e.old.id)
            item = self.gates.pop(e.old.id)
            self.removeItem(item)
            j = self.junctions.pop(e.old.id, None)
            if j is not None:
                self.removeItem(j)
            self._update_output()
        elif e.kind == "gate-moved":
            item = self.gates[e.new.id]
            if item.pos() != QPointF(*e.new.pos):
                item.set_gate(e.new)
            self.reroute_all()  # a gate that moved may now stand in other wires' way
        elif e.kind == "gate-changed":
            item = self.gates[e.new.id]
            old_width = item.half_width()
            item.set_gate(e.new)
            if item.half_width() != old_width:  # a tag grew or shrank: its wires move
                self._route_around(e.new.id)
        elif e.kind == "wire-added":
            self._add_wire(e.new)
        elif e.kind == "wire-removed":
            self.removeItem(self.wires.pop(e.old))
            if e.old.source in self.gates:
                self._route(e.old.source)
        elif e.kind == "settings-changed" and e.key in ("output", "target"):
            self._update_output()

    # ------------------------------------------------------------ routing
    def gate_item_moved(self, item: GateItem) -> None:
        """An item moved on screen (a drag in progress): its wires follow at once."""
        if self.gates.get(item.gate.id) is item:
            self.index_gate(item)
            self._route_around(item.gate.id)

    def reroute_all(self) -> None:
        for gid in self.gates:
            self._route(gid)
        if self.stub is not None:
            self.stub.set_ends(self.gates[self.stub.source_id].scene_output_port())

    def _route_around(self, gid: str) -> None:
        self._route(gid)
        for w in self.circuit.wires_into(gid):
            self._route(w.source)
        if self.stub is not None and self.stub.source_id == gid:
            self.stub.set_ends(self.gates[gid].scene_output_port())

    def _route(self, source: str) -> None:
        """Lay the wires leaving ``source``: straight, or through a junction when it fans out."""
        if source not in self.gates:
            return
        outs = self.circuit.wires_from(source)
        start = self.gates[source].scene_output_port()
        j = self.junctions.get(source)
        if len(outs) >= 2:
            if j is None:
                j = self.junctions[source] = JunctionItem(self, source)
                self.addItem(j)
            j.set_ends(start)
            start = j.dot
        elif j is not None:
            self.removeItem(self.junctions.pop(source))
        for w in outs:
            item = self.wires.get(w)
            if item is not None:
                end = self.gates[w.target].scene_input_port(w.port)
                pts = route(
                    (start.x(), start.y()), (end.x(), end.y()), self.index, (w.source, w.target)
                )
                item.set_points([QPointF(x, y) for x, y in pts])

    def _update_output(self) -> None:
        try:
            out = self.circuit.resolve_output()
        except ValueError:
            out = None
        for gid, item in self.gates.items():
            if item.is_output != (gid == out):
                item.is_output = gid == out
                item.update()
        if out is None or self.circuit.gate(out).spec.is_leaf:
            if self.stub is not None:
                self.removeItem(self.stub)
                self.stub = None
            return
        if self.stub is None or self.stub.source_id != out:
            if self.stub is not None:
                self.removeItem(self.stub)
            self.stub = StubItem(self, out)
            self.addItem(self.stub)
        self.stub.set_ends(self.gates[out].scene_output_port())

    # ------------------------------------------------------------ numbers
    def show_result(self, r: Result | None) -> None:
        self.result = r
        self._update_output()
        if r is None:
            for item in list(self.wires.values()) + list(self.junctions.values()):
                item.set_numbers("", "")
            return
        value, grad = r._v, r._g  # by slot: the hot loop below runs per edit
        slot = r.plan.slot
        unknown = r.incomplete
        texts: dict[str, str] = {}

        def text_of(gid: str) -> str:
            t = texts.get(gid)
            if t is None:
                t = texts[gid] = "?" if gid in unknown else short(value[slot[gid]])
            return t

        grads = r.has_gradients
        shares = r.wire_grads if grads else {}
        show_v, show_g = self.reveal >= 1, self.reveal >= 2 and grads
        sv = self.step_view  # a step-through: only what has been computed so far
        hidden_v, hidden_g, junctions = self.hidden_values, self.hidden_grads, self.junctions
        for w, item in self.wires.items():
            v = (
                ""
                if (
                    not show_v
                    or w.source in junctions
                    or w in hidden_v
                    or (sv is not None and w.source not in sv.values)
                )
                else text_of(w.source)
            )
            g = (
                ""
                if (not show_g or w in hidden_g or (sv is not None and w not in sv.grads))
                else short(shares.get(w))
            )
            item.set_numbers(v, g)
        for src, j in junctions.items():
            v = (
                ""
                if not show_v or src in hidden_v or (sv is not None and src not in sv.values)
                else text_of(src)
            )
            total = grad[slot[src]] if sv is None else sv.totals.get(src)
            g = "" if not show_g or src in hidden_g or total is None else short(total)
            j.set_numbers(v, g)
        if self.stub is not None:
            out = self.stub.source_id
            v = (
                ""
                if not show_v or "stub" in hidden_v or (sv is not None and out not in sv.values)
                else text_of(out)
            )
            g = (
                ""
                if not show_g or "stub" in hidden_g or (sv is not None and not sv.output_grad)
                else short(grad[slot[out]])
            )
            self.stub.set_numbers(v, g)
        active = sv.active if sv is not None else None
        direction = sv.direction if sv is not None else ""
        kinks = set(r.kinks)
        produced = set(r.produced_nonfinite)
        for gid, item in self.gates.items():
            item.set_active(gid == active, direction)
            if gid in produced:
                g = item.gate
                item.set_problem(
                    "warn", f"{g.name} gives {short(value[slot[gid]])} here: {g.spec.why_nonfinite}"
                )
            elif gid in kinks:
                item.set_problem("kink", f"Not differentiable here: {item.gate.spec.kink_doc}.")
            elif item.problem_kind:
                item.set_problem("", "")
        self.numbersChanged.emit()

    def set_step_view(self, view) -> None:
        """Show only what a step-through has computed so far (None: everything)."""
        self.step_view = view
        self.show_result(self.result)

    def helpEvent(self, event) -> None:
        """A wire's tooltip, written when asked for: its value and its gradient in full."""
        from PySide6.QtWidgets import QToolTip

        r = self.result
        for item in self.items(event.scenePos()):
            if isinstance(item, WireItem) and r is not None and item.wire.source in r.plan.slot:
                w = item.wire
                tip = f"{self.circuit.gate(w.source).name} = {full(r.value_by_id[w.source])}"
                if r.has_gradients:
                    tip += f"\ngradient along this wire: {full(r.wire_grads.get(w))}"
                QToolTip.showText(event.screenPos(), tip)
                event.accept()
                return
        super().helpEvent(event)

    # ------------------------------------------------------------ lookups for gestures
    def gate_at(self, pos: QPointF) -> GateItem | None:
        for item in self.items(pos):
            if isinstance(item, GateItem):
                return item
        return None

    def port_at(self, pos: QPointF):
        """(GateItem, "in"|"out", port) under ``pos``, or None."""
        for item in self.items(QRectF(pos.x() - 12, pos.y() - 12, 24, 24)):
            if isinstance(item, GateItem):
                hit = item.port_at(pos)
                if hit:
                    return item, hit[0], hit[1]
        return None

    def selected_ids(self) -> list[str]:
        return [i.gate.id for i in self.selectedItems() if isinstance(i, GateItem)]

    def content_rect(self) -> QRectF:
        rect = QRectF()
        for item in self.items():
            rect = rect.united(item.sceneBoundingRect())
        return rect

    # ------------------------------------------------------------ background
    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, self.theme.color("background"))
        if not self.show_grid:
            return
        step = GRID * 4
        if painter.worldTransform().m11() * step < 16:  # too dense to help: not drawn
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # straight, thin, fast
        painter.setPen(QPen(self.theme.color("grid"), 0))
        x = (rect.left() // step) * step
        lines = []
        from PySide6.QtCore import QLineF

        while x < rect.right():
            lines.append(QLineF(x, rect.top(), x, rect.bottom()))
            x += step
        y = (rect.top() // step) * step
        while y < rect.bottom():
            lines.append(QLineF(rect.left(), y, rect.right(), y))
            y += step
        painter.drawLines(lines)
        painter.restore()
