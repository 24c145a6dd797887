"""The scene follows the circuit: circuit events add, remove and move items; every evaluation
puts its numbers on the wires. The scene never edits the circuit."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QLineF, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QGraphicsScene, QToolTip

from ..core.circuit import Wire
from ..core.events import (
    Event,
    EventKind,
    GateEvent,
    Listener,
    SettingsEvent,
    WireEvent,
    listener_for,
)
from ..core.numbers import full, short
from ..core.problems import describe
from ..core.result import Result
from ..core.reveal import JunctionNumber, NumberKey, OutputNumber, StepView, WireNumber
from .gate_index import GateIndex, Readers
from .gate_item import GRID, GateItem
from .geometry import route
from .theme import Theme
from .wire_items import JunctionItem, StubItem, WireItem
from .wire_paint import NO_HIDING


class CircuitScene(QGraphicsScene):
    numbersChanged = Signal()

    def __init__(self, document, theme: Theme | None = None, parent=None):
        super().__init__(parent)
        self.document = document
        self.theme = theme or Theme.named("light")
        self.show_grid = True
        self.step_view: StepView | None = None  # during a step-through
        self.gates: dict[str, GateItem] = {}
        self.wires: dict[Wire, WireItem] = {}
        self.junctions: dict[str, JunctionItem] = {}
        self.stub: StubItem | None = None
        self._unsubscribe = None
        self.index = GateIndex()  # where the gates are, for routing and labels
        self._building = False
        self._batched, self._following = 0, False  # see _begin_edit and _gate_moved
        self._handlers = self._event_handlers()
        document.editStarted.connect(self._begin_edit)
        document.editFinished.connect(self._end_edit)
        document.replaced.connect(self.rebuild)
        document.evaluated.connect(self.show_result)
        document.revealChanged.connect(self.refresh_numbers)
        self.rebuild()

    # ------------------------------------------------------------ building
    @property
    def circuit(self):
        return self.document.circuit

    @property
    def result(self) -> Result | None:
        """The document's numbers (the scene keeps no copy)."""
        return self.document.result

    def rebuild(self) -> None:
        self.index = GateIndex(self.circuit)
        self.readers = Readers()  # where each wire's route looked, to know what a move reaches
        self._building = True
        if self._unsubscribe:
            self._unsubscribe()
        self.clear()
        for items in (self.gates, self.wires, self.junctions):
            items.clear()
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
            if isinstance(item, (WireItem, JunctionItem)):
                item.invalidate()
        for item in self.gates.values():
            item.set_gate(item.gate)
        self.reroute_all()
        self._update_output()
        self.refresh_background()
        self.update()

    def set_grid(self, on: bool) -> None:
        self.show_grid = on
        self.refresh_background()

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
        handler = self._handlers.get(e.kind)
        if handler is not None:
            handler(e)

    def _event_handlers(self) -> dict[EventKind, Listener]:
        """What the scene does for each kind of model event."""
        return {
            EventKind.GATE_ADDED: listener_for(GateEvent, self._gate_added),
            EventKind.GATE_REMOVED: listener_for(GateEvent, self._gate_removed),
            EventKind.GATE_MOVED: listener_for(GateEvent, self._gate_moved),
            EventKind.GATE_CHANGED: listener_for(GateEvent, self._gate_changed),
            EventKind.WIRE_ADDED: listener_for(WireEvent, self._wire_added),
            EventKind.WIRE_REMOVED: listener_for(WireEvent, self._wire_removed),
            EventKind.SETTINGS_CHANGED: listener_for(SettingsEvent, self._settings_changed),
        }

    def _gate_added(self, e: GateEvent) -> None:
        self._add_gate(e.gate)
        self._reroute_unless_batched()

    def _gate_removed(self, e: GateEvent) -> None:
        gid = e.gate.id
        self.index.remove(gid)
        self.removeItem(self.gates.pop(gid))
        if (j := self.junctions.pop(gid, None)) is not None:
            self.removeItem(j)
        self._update_output()
        self._reroute_unless_batched()

    def _gate_moved(self, e: GateEvent) -> None:
        item = self.gates[e.gate.id]
        item.gate = e.gate  # only its place changed: its sizes stand
        if item.pos() != QPointF(*e.gate.pos):
            self._index_items(not self._batched)
            self._following = True  # the item follows: no drag to route for
            item.setPos(QPointF(*e.gate.pos))
            self._following = False
            self.index_gate(item)
        self._reroute_unless_batched()  # it may now stand in other wires' way, or leave it

    def _gate_changed(self, e: GateEvent) -> None:
        self.gates[e.gate.id].set_gate(e.gate)  # a tag that grew or shrank moves its wires
        self._reroute_unless_batched()

    def _wire_added(self, e: WireEvent) -> None:
        self._add_wire(e.wire)

    def _wire_removed(self, e: WireEvent) -> None:
        self.removeItem(self.wires.pop(e.wire))
        self.readers.forget(e.wire)
        if e.wire.source in self.gates:
            self._route(e.wire.source)

    def _settings_changed(self, e: SettingsEvent) -> None:
        if e.key in ("output", "target"):
            self._update_output()

    # ------------------------------------------------------------ routing
    def gate_item_moved(self, item: GateItem) -> None:
        """An item dragged on screen: its wires follow at once, the others when its move ends."""
        if self.gates.get(item.gate.id) is item and not self._following:
            self.index_gate(item)
            self._route_around(item.gate.id)

    def reroute_all(self) -> None:
        for gid in self.gates:
            self._route(gid)
        self._place_stub()
        self.index.take_changes()  # every wire is laid for where the gates now stand

    def _begin_edit(self) -> None:  # a command runs: its changes are rerouted when it ends
        self._batched += 1

    def _end_edit(self) -> None:
        self._batched -= 1
        self._reroute_unless_batched()
        self._index_items(not self._batched)

    def _index_items(self, on: bool) -> None:
        """Off while a command moves gates (Qt re-indexes items one by one), on when it ends."""
        kind = QGraphicsScene.ItemIndexMethod
        method = kind.BspTreeIndex if on else kind.NoIndex
        if self.itemIndexMethod() != method:
            self.setItemIndexMethod(method)

    def _reroute_unless_batched(self) -> None:
        if not self._batched:
            self.reroute_changed()

    def reroute_changed(self) -> None:
        """Lay again, once each, the wires of the gates changed since the last routing and those
        whose routes looked where one stood or stands: the routes :meth:`reroute_all` lays."""
        changed, cells = self.index.take_changes()
        wires = self.readers.looked_at(cells)
        for gid in changed & self.gates.keys():
            self._place_junction(gid)
            wires.update(self.circuit.wires_from(gid))
            wires.update(self.circuit.wires_into(gid))
        for w in self.wires.keys() & wires:
            self._route_wire(w)
        if self.stub is not None and self.stub.source_id in changed:
            self._place_stub()

    def _route_around(self, gid: str) -> None:
        self._route(gid)
        for w in self.circuit.wires_into(gid):
            self._route(w.source)
        if self.stub is not None and self.stub.source_id == gid:
            self._place_stub()

    def _place_stub(self) -> None:
        if self.stub is not None:
            self.stub.set_ends(self.gates[self.stub.source_id].scene_output_port())

    def _route(self, source: str) -> None:
        """Lay the wires leaving ``source``: straight, or through a junction when it fans out."""
        if source not in self.gates:
            return
        self._place_junction(source)
        for w in self.circuit.wires_from(source):
            self._route_wire(w)

    def _place_junction(self, source: str) -> None:
        """A junction beside ``source``'s output when it fans out (and none when it does not)."""
        j = self.junctions.get(source)
        if len(self.circuit.wires_from(source)) >= 2:
            if j is None:
                j = self.junctions[source] = JunctionItem(self, source)
                self.addItem(j)
            j.set_ends(self.gates[source].scene_output_port())
        elif j is not None:
            self.removeItem(self.junctions.pop(source))

    def _route_wire(self, w: Wire) -> None:
        """Lay one wire (from its source's junction, if any), noting where its route looked."""
        item = self.wires.get(w)
        if item is None:
            return
        j = self.junctions.get(w.source)
        start = j.dot if j is not None else self.gates[w.source].scene_output_port()
        end = self.gates[w.target].scene_input_port(w.port)
        a, b = (start.x(), start.y()), (end.x(), end.y())
        reads = self.index.reads = []
        pts = route(a, b, self.index, (w.source, w.target))
        self.index.reads = None
        self.readers.record(w, reads)
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
        self._place_stub()

    # ------------------------------------------------------------ numbers
    def show_result(self, r: Result | None) -> None:
        self._update_output()
        if r is None:
            for item in list(self.wires.values()) + list(self.junctions.values()):
                item.set_numbers("", "")
            return
        text_of = _value_texts(r)
        stage = self.document.reveal.stage
        show_v, show_g = stage.shows_values, stage.shows_gradients and r.has_gradients
        self._number_wires(r, text_of, show_v, show_g)
        self._number_junctions(r, text_of, show_v, show_g)
        self._number_stub(r, text_of, show_v, show_g)
        self._mark_gates(r)
        self.numbersChanged.emit()

    def _hidden(self, key: NumberKey, value: str, grad: str) -> tuple[bool, bool]:
        """Which of the numbers written at ``key`` are hidden from the class (a "?" box)."""
        reveal = self.document.reveal
        return (
            bool(value) and reveal.is_hidden(key, gradient=False),
            bool(grad) and reveal.is_hidden(key, gradient=True),
        )

    def _number_wires(
        self, r: Result, text_of: Callable[[str], str], show_v: bool, show_g: bool
    ) -> None:
        shares = r.wire_grads if r.has_gradients else {}
        sv = self.step_view  # a step-through: only what has been computed so far
        reveal, junctions = self.document.reveal, self.junctions
        # (a key is made only when some number is hidden: this loop runs per edit)
        hiding = bool(reveal.hidden_values or reveal.hidden_grads)
        for w, wire_item in self.wires.items():
            v = (
                ""
                if (
                    not show_v
                    or w.source in junctions
                    or (sv is not None and w.source not in sv.values)
                )
                else text_of(w.source)
            )
            g = (
                ""
                if (not show_g or (sv is not None and w not in sv.grads))
                else short(shares.get(w))
            )
            wire_item.set_numbers(v, g, self._hidden(WireNumber(w), v, g) if hiding else NO_HIDING)

    def _number_junctions(
        self, r: Result, text_of: Callable[[str], str], show_v: bool, show_g: bool
    ) -> None:
        grad, slot, sv = r.grads_by_slot, r.plan.slot, self.step_view
        for src, j in self.junctions.items():
            v = "" if not show_v or (sv is not None and src not in sv.values) else text_of(src)
            total = grad[slot[src]] if sv is None else sv.totals.get(src)
            g = "" if not show_g or total is None else short(total)
            j.set_numbers(v, g, self._hidden(JunctionNumber(src), v, g))

    def _number_stub(
        self, r: Result, text_of: Callable[[str], str], show_v: bool, show_g: bool
    ) -> None:
        if self.stub is None:
            return
        out, sv = self.stub.source_id, self.step_view
        v = "" if not show_v or (sv is not None and out not in sv.values) else text_of(out)
        g = (
            ""
            if not show_g or (sv is not None and not sv.output_grad)
            else short(r.grads_by_slot[r.plan.slot[out]])
        )
        self.stub.set_numbers(v, g, self._hidden(OutputNumber(), v, g))

    def _mark_gates(self, r: Result) -> None:
        """The step-through's active gate, and each gate's problem (non-finite, kink)."""
        sv = self.step_view
        active = sv.active if sv is not None else None
        direction = sv.direction if sv is not None else ""
        problems = r.problems_by_gate
        # the gates the step's explanation names: the active one and those feeding it
        named = {active, *(w.source for w in self.circuit.wires_into(active))} if active else ()
        for gid, gate_item in self.gates.items():
            gate_item.set_active(gid == active, direction, gid in named)
            p = problems.get(gid)
            if p is not None:
                gate_item.set_problem(p.kind.severity, describe(p, on_gate=gate_item.gate.name))
            elif gate_item.problem_kind:
                gate_item.set_problem("", "")

    def set_step_view(self, view: StepView | None) -> None:
        """Show only what a step-through has computed so far (None: everything)."""
        self.step_view = view
        self.refresh_numbers()

    def refresh_numbers(self) -> None:
        """Write the numbers again (after a change of what is revealed or stepped through)."""
        self.show_result(self.result)

    def helpEvent(self, event) -> None:
        """A wire's tooltip, written when asked for: its value and its gradient in full."""
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

    def number_at(self, pos: QPointF) -> tuple[NumberKey, bool] | None:
        """Which numbers are written at ``pos``, and whether it is the gradient (below the
        wire) rather than the value (above); None when no number is there."""
        spot = QRectF(pos.x() - 1, pos.y() - 1, 2, 2)
        for item in self.items(spot, Qt.ItemSelectionMode.IntersectsItemBoundingRect):
            if isinstance(item, (WireItem, JunctionItem)):
                above, below = item.label_rects()
                for rect, gradient in ((above, False), (below, True)):
                    if rect.adjusted(-6, -6, 6, 6).contains(pos):
                        return item.number_key(), gradient
        return None

    def selected_ids(self) -> list[str]:
        return [i.gate.id for i in self.selectedItems() if isinstance(i, GateItem)]

    def selected_wires(self) -> list[Wire]:
        return [i.wire for i in self.selectedItems() if isinstance(i, WireItem)]

    def select(self, ids: Iterable[str]) -> None:
        """Select these gates (and only these)."""
        self.clearSelection()
        for gid in ids:
            self.gates[gid].setSelected(True)

    def select_all(self) -> None:
        for item in self.gates.values():
            item.setSelected(True)

    def content_rect(self) -> QRectF:
        rect = QRectF()
        for item in self.items():
            rect = rect.united(item.sceneBoundingRect())
        return rect

    # ------------------------------------------------------------ background
    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
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
        while x < rect.right():
            lines.append(QLineF(x, rect.top(), x, rect.bottom()))
            x += step
        y = (rect.top() // step) * step
        while y < rect.bottom():
            lines.append(QLineF(rect.left(), y, rect.right(), y))
            y += step
        painter.drawLines(lines)
        painter.restore()


def _value_texts(r: Result) -> Callable[[str], str]:
    """Gate id -> its value as the canvas writes it ("?" while it has none), each written once
    (a fan-out's wires share their source's text)."""
    value, slot, unknown = r.values_by_slot, r.plan.slot, r.incomplete
    texts: dict[str, str] = {}

    def text_of(gid: str) -> str:
        t = texts.get(gid)
        if t is None:
            t = texts[gid] = "?" if gid in unknown else short(value[slot[gid]])
        return t

    return text_of
