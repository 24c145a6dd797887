"""Moves reroute only the wires they reach, once per command: the routes are those a full
reroute would lay, for a fraction of the router's work."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt

import circuit_editor as ce
from circuit_editor import files, resources
from circuit_editor.core import commands as cmd
from circuit_editor.gui import scene as scene_module
from circuit_editor.gui.gate_index import GateIndex

from .helpers import move, press, release

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from layout_samples import random_circuit

EXAMPLES = {p.stem: p for p in resources.examples()}


def routes(scene) -> dict:
    return {w: [(p.x(), p.y()) for p in item.points] for w, item in scene.wires.items()}


def assert_as_if_rerouted_whole(scene) -> None:
    """The wires as laid stand where a reroute of every wire lays them."""
    laid = routes(scene)
    stub = scene.stub.start if scene.stub is not None else None
    junctions = {gid: j.dot for gid, j in scene.junctions.items()}
    scene.reroute_all()
    assert laid == routes(scene)
    assert stub == (scene.stub.start if scene.stub is not None else None)
    assert junctions == {gid: j.dot for gid, j in scene.junctions.items()}


def open_circuit(window, circuit) -> None:
    window.document.replace(circuit, None)


def tidy(window) -> None:
    window.actions_.by_name["tidy"].trigger()


def nudge(window, qtbot, ids, key=Qt.Key.Key_Down, modifier=Qt.KeyboardModifier.ShiftModifier):
    window.view.scene().select(ids)
    window.view.setFocus()
    qtbot.keyClick(window.view, key, modifier)


class RouterCalls:
    """The router, counting its calls per wire (its source and target, its end)."""

    def __init__(self, monkeypatch):
        self.calls: Counter = Counter()
        real = scene_module.route

        def counted(start, end, index, skip=()):
            self.calls[(skip, end)] += 1
            return real(start, end, index, skip)

        monkeypatch.setattr(scene_module, "route", counted)

    def total(self) -> int:
        return sum(self.calls.values())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_tidy_nudge_undo_and_redo_lay_the_routes_a_full_reroute_lays(window, qtbot, seed):
    open_circuit(window, random_circuit(50, seed))
    scene = window.view.scene()
    tidy(window)
    assert_as_if_rerouted_whole(scene)
    gates = [g.id for g in window.document.circuit.gates]
    before = routes(scene)
    nudge(window, qtbot, gates[5:20:2])
    assert routes(scene) != before  # the nudge moved wires
    assert_as_if_rerouted_whole(scene)
    nudge(window, qtbot, gates[30:34], key=Qt.Key.Key_Right)
    assert_as_if_rerouted_whole(scene)
    window.document.undo_stack.undo()
    assert_as_if_rerouted_whole(scene)
    window.document.undo_stack.undo()
    assert_as_if_rerouted_whole(scene)
    window.document.undo_stack.undo()  # the tidy layout undone
    assert_as_if_rerouted_whole(scene)
    window.document.undo_stack.redo()
    assert_as_if_rerouted_whole(scene)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_moving_a_gate_of_an_example_into_others_lays_the_routes_a_full_reroute_lays(window, name):
    """A gate moved onto another gate's wires, directly on the circuit (no command): the
    routes are right at once."""
    open_circuit(window, files.load(EXAMPLES[name]))
    scene, c = window.view.scene(), window.document.circuit
    for g in list(c.gates)[::3]:
        x, y = g.pos
        c.move(g.id, (x + 60, y + 80))
        assert_as_if_rerouted_whole(scene)


def test_a_gate_moved_into_a_straight_wire_bends_it_and_out_again_straightens_it(window):
    c = random_circuit(50, 4)
    open_circuit(window, c)
    tidy(window)
    scene, c = window.view.scene(), window.document.circuit
    w = next(
        w
        for w, item in scene.wires.items()
        if len(item.points) == 2 and item.points[1].x() - item.points[0].x() > 150
    )
    a, b = scene.wires[w].points
    mover = next(g for g in c.gates if g.id not in (w.source, w.target) and c.wires_from(g.id))
    home = mover.pos
    window.document.push(cmd.Move({mover.id: (home, ((a.x() + b.x()) / 2, (a.y() + b.y()) / 2))}))
    assert len(scene.wires[w].points) > 2  # it goes round the gate now in its way
    assert_as_if_rerouted_whole(scene)
    window.document.undo_stack.undo()
    assert len(scene.wires[w].points) == 2
    assert_as_if_rerouted_whole(scene)


def test_moving_one_gate_routes_few_wires(window, monkeypatch):
    open_circuit(window, random_circuit(150, 5))
    tidy(window)
    scene, c = window.view.scene(), window.document.circuit
    calls = RouterCalls(monkeypatch)
    g = list(c.gates)[len(c) // 2]
    x, y = g.pos
    window.document.push(cmd.Move({g.id: ((x, y), (x, y + 40))}))
    own = len(c.wires_from(g.id)) + len(c.wires_into(g.id))
    assert own <= calls.total() < len(scene.wires) / 5
    assert max(calls.calls.values()) == 1


def test_tidy_and_its_undo_route_each_wire_at_most_once(window, monkeypatch):
    open_circuit(window, random_circuit(150, 6))
    scene = window.view.scene()
    calls = RouterCalls(monkeypatch)
    tidy(window)
    moved = len(window.document.undo_stack.command(0).command.moves)
    assert moved > 100
    assert 0 < calls.total() <= len(scene.wires)
    assert max(calls.calls.values()) == 1
    calls.calls.clear()
    window.document.undo_stack.undo()
    assert 0 < calls.total() <= len(scene.wires)
    assert max(calls.calls.values()) == 1


def test_a_drag_moves_the_gates_wires_with_the_mouse_and_the_rest_when_it_ends(window):
    open_circuit(window, random_circuit(50, 7))
    tidy(window)
    view, scene, c = window.view, window.view.scene(), window.document.circuit
    g = next(g for g in c.gates if len(c.wires_from(g.id)) == 1 and c.wires_into(g.id))
    out = c.wires_from(g.id)[0]
    start = QPointF(view.mapFromScene(scene.gates[g.id].pos()))
    press(view.viewport(), start)
    for step in range(1, 4):
        move(view.viewport(), start + QPointF(10, 30) * step)
        item = scene.gates[g.id]
        assert item.pos() != QPointF(*g.pos)
        assert scene.wires[out].points[0] == item.scene_output_port()  # it follows the mouse
    release(view.viewport(), start + QPointF(30, 90))
    assert window.document.circuit.gate(g.id).pos != g.pos
    assert_as_if_rerouted_whole(scene)


def test_the_index_tells_a_changed_gate_with_its_neighbours_cells_and_notes_what_is_read():
    """A route reads a gate's wires through the gates it looks at: a gate that changes reports
    its cells before and after, and those of the gates it is wired to."""
    c = ce.Circuit()
    a, b = c.add_gate("input", label="x").id, c.add_gate("add").id
    c.connect(a, b, 0)
    index = GateIndex(c)
    index.set(a, (0, 0, 40, 40), None)
    index.set(b, (1000, 1000, 1040, 1040), None)
    index.take_changes()
    index.set(a, (400, 0, 440, 40), None)
    assert index.take_changes() == ({a}, {(0, 0), (2, 0), (5, 5)})
    index.set(a, (400, 0, 440, 40), None)  # the same place: nothing changed
    assert index.take_changes() == (set(), set())
    index.reads = []
    index.near((950, 950, 1100, 1100))
    assert index.reads == [(4, 4, 5, 5)]  # the cells (4..5, 4..5)
