"""Renaming a gate in place: a line edit over the gate on the canvas (double-click or F2)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLineEdit

from ..core import commands as cmd
from ..core.names import generated_name


class InlineRename(QObject):
    def __init__(self, view, document):
        super().__init__(view)
        self.view, self.document = view, document
        self.edit = QLineEdit(view.viewport())
        self.edit.hide()
        self.edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.edit.installEventFilter(self)
        self.edit.returnPressed.connect(self.commit)
        self.gate_id: str | None = None

    def start(self, gate_id: str) -> None:
        item = self.view.scene().gates.get(gate_id)
        if item is None:
            return
        self.gate_id = gate_id
        center = self.view.mapFromScene(item.scenePos())
        self.edit.setText(item.gate.label)
        gate = item.gate  # left empty, a gate goes by the name made from its id (mul5)
        self.edit.setPlaceholderText(
            "name" if gate.kind == "input" else generated_name(gate.id, gate.kind)
        )
        self.edit.resize(120, self.edit.sizeHint().height())
        self.edit.move(center.x() - 60, center.y() - self.edit.height() // 2)
        self.edit.show()
        self.edit.setFocus()
        self.edit.selectAll()

    def commit(self) -> None:
        if self.gate_id is None:
            return
        gid, text = self.gate_id, self.edit.text().strip()
        self.cancel()
        if gid in self.document.circuit and text != self.document.circuit.gate(gid).label:
            self.document.push(cmd.SetLabel(gid, text))

    def cancel(self) -> None:
        self.gate_id = None
        self.edit.hide()
        self.view.setFocus()

    def eventFilter(self, obj, event) -> bool:
        if obj is self.edit:
            if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
                self.cancel()
                return True
            if event.type() == QEvent.Type.FocusOut and self.gate_id is not None:
                self.commit()
        return False
