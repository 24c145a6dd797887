"""Every gate's one display name: its label, or a short generated one (``mul1``, ``exp2``).

The one home of gate names shown to people: the Explanation, the step deck and the code export
all read them from here.
"""

from __future__ import annotations

from .circuit import Circuit


def display_names(circuit: Circuit) -> dict[str, str]:
    """Gate id -> display name, none used twice. Inputs keep their labels (``w[0]`` included);
    a gate without a label is its kind and a count in topological order (``mul1``)."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for g in circuit.gates:
        if g.kind == "input":
            names[g.id] = g.label
            used.add(g.label)
    counts: dict[str, int] = {}
    for gid in circuit.topological_order():
        g = circuit.gate(gid)
        if g.kind == "input":
            continue
        base = g.label or (g.kind if g.kind != "const" else "k")
        if not g.label:
            counts[base] = counts.get(base, 0) + 1
            base = f"{base}{counts[base]}"
        name, n = base, 1
        while name in used:
            n += 1
            name = f"{base}_{n}"
        used.add(name)
        names[gid] = name
    return names
