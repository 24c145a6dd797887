"""A compiled circuit: what the engine's passes run over.

A plan is made once per structural change (and per target and tie policy) and kept in the
circuit's cache; changing only input values re-runs the same plan. Gates live in slots, their
places in the topological order; every list a result holds is indexed by slot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .parts import NodeData

Instruction = tuple[int, int, int, float]
"""``(opcode, out, a, b)``: the slots of the gate and of its inputs; a one-input gate with a
constant carries the constant in place of ``b``."""


@dataclass(frozen=True, kw_only=True)
class Plan:
    order: list[str]  # gate ids, topological: order[slot] is the gate in that slot
    slot: dict[str, int]  # gate id -> slot
    leaves: list[tuple[int, str]]  # (slot, gate id) of inputs and constants
    # (slot, the leaf's node data in the graph): its stored value, read without looking up its
    # id (the dict lives as long as the plan: a new value replaces the gate inside it)
    leaf_nodes: Sequence[tuple[int, NodeData]]
    input_slot: dict[str, int]  # input name -> slot
    forward: list[Instruction]  # topological
    backward: list[Instruction]  # reversed, only gates the target depends on
    sources: dict[int, tuple[int, ...]]  # slot -> slots feeding its ports, in port order
    output: int  # -1: no output yet (partial plans)
    target: int  # -1: no gradients (partial plans whose target has no value)
    relevant: frozenset[int]  # the target and every gate it depends on
    tie: str
    incomplete: frozenset[int] = frozenset()  # partial plans: gates with no value yet
    problem: str = ""  # partial plans: why some numbers are missing
    kink_slots: tuple[int, ...] = ()  # gates that can sit at a kink (max, min, relu, abs)
    forward_order: tuple[int, ...] = ()  # the opcodes of forward, the most frequent first
    backward_order: tuple[int, ...] = ()  # the same for backward: the loops test them so
