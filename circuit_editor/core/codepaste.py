"""Putting a circuit read from code into the open circuit, as one undo step.

"Replace" swaps the whole circuit for the code's; "add" puts the code's gates to the right of
what is there, wiring names the circuit already has (its inputs, or a gate's name such as ``f``)
to the existing gates. The input values the code gave (its input set "from code") come along,
added to the circuit's set of that name when adding. Qt-free: the code panel builds the step
here and pushes it.
"""

from __future__ import annotations

from . import commands as cmd
from .circuit import Circuit
from .errors import UnknownGateError
from .layout import COLUMN
from .names import free_name


def build_commands(
    circuit: Circuit, code: Circuit, add: bool, grid: float
) -> tuple[cmd.Macro, list[str]]:
    """The one undo step that puts ``code``'s gates into ``circuit`` (replacing its gates, or
    beside them when ``add``), positions snapped to ``grid``, and the ids of the gates it
    creates."""
    steps: list[cmd.Command] = []
    ids: dict[str, str] = {}  # code's gate id -> id in the circuit
    dx = dy = 0.0
    if add:
        dx, dy = _offset(circuit, code)
        for g in code.gates:
            if g.kind == "input":
                same = existing_gate(circuit, g.label)
                if same is not None:
                    ids[g.id] = same
    elif len(circuit):
        steps.append(cmd.RemoveGates([g.id for g in circuit.gates]))
    created = []
    labels: set[str] = set()  # the names the new gates take, none taken twice
    for g in code.gates:
        if g.id in ids:
            continue
        ids[g.id] = circuit.new_id()
        created.append(ids[g.id])
        pos = (_snap(g.pos[0] + dx, grid), _snap(g.pos[1] + dy, grid))
        label = free_name(circuit, g.label, labels) if add and g.label else g.label
        labels.add(label)
        steps.append(cmd.AddGate(g.kind, label, g.param or None, g.value, pos, id=ids[g.id]))
    for w in code.wires:
        steps.append(cmd.Connect(ids[w.source], ids[w.target], w.port))
    out = code.settings.output
    if out is not None:
        steps.append(cmd.SetSetting("output", ids[out]))
    for name, values in code.input_sets.items():  # "from code": the values the code gave
        old = circuit.input_sets.get(name, {}) if add else {}
        steps.append(cmd.SetInputSet(name, {**old, **values}))
    n = len(created)
    label = f"{'add' if add else 'build'} {n} gate{'s' if n != 1 else ''} from code"
    return cmd.Macro(label, steps), created


def existing_gate(circuit: Circuit, name: str) -> str | None:
    """The gate a name read by new code means in ``circuit``: its input of that name, else the
    last gate with that name (:meth:`Circuit.find`, so ``L = f * f`` extends a circuit ending in
    ``f``). Code names gates by their names only: a gate's id means nothing here."""
    g = circuit.input_named(name)
    if g is not None:
        return g.id
    try:
        gid = circuit.find(name)
    except UnknownGateError:
        return None
    return gid if circuit.gate(gid).label == name else None


def _offset(circuit: Circuit, code: Circuit) -> tuple[float, float]:
    """How far to move the code's gates: one column right of the circuit, centred beside it."""
    if not len(circuit):
        return 0.0, 0.0
    xs = [g.pos[0] for g in circuit.gates]
    ys = [g.pos[1] for g in circuit.gates]
    new_xs = [g.pos[0] for g in code.gates]
    new_ys = [g.pos[1] for g in code.gates]
    dx = max(xs) + COLUMN - min(new_xs)
    dy = (min(ys) + max(ys)) / 2 - (min(new_ys) + max(new_ys)) / 2
    return dx, dy


def _snap(x: float, grid: float) -> float:
    return round(x / grid) * grid
