"""The canvas items, gathered in one place for the scene and the tools around it: the gate
(:mod:`.gate_item`), the wires (:mod:`.wire_items`) and how wires and numbers are drawn
(:mod:`.wire_paint`)."""

from __future__ import annotations

from .gate_item import GRID, RADIUS, TAG_H, GateItem
from .wire_items import JunctionItem, StubItem, WireItem

__all__ = ["GRID", "RADIUS", "TAG_H", "GateItem", "JunctionItem", "StubItem", "WireItem"]
