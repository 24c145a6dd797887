"""Typed errors of the core. Every message is a sentence a learner can act on."""

from __future__ import annotations


class CircuitError(ValueError):
    """The circuit refused a change, or cannot be evaluated as it stands."""


class UnknownNameError(CircuitError, KeyError):
    """A name the circuit does not know (a lookup failed: hence also a KeyError)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class UnknownGateError(UnknownNameError):
    """No gate (or input) by that id or name."""


class UnknownInputSetError(UnknownNameError):
    """No input set by that name."""


class UnknownKindError(UnknownNameError):
    """No gate kind by that name in the registry."""


class NumberError(CircuitError):
    """A value that is not a finite number, or arrays whose shapes do not fit together."""


class InputSetError(CircuitError):
    """An input set without a name, with a name already taken, or naming no input."""


class SettingError(CircuitError):
    """A circuit setting with a value it cannot take (an unknown tie policy, a title not text)."""


class CycleError(CircuitError):
    """The wire would close a loop; ``cycle`` lists the gate ids around it."""

    def __init__(self, message: str, cycle: list[str]):
        super().__init__(message)
        self.cycle = cycle


class PortError(CircuitError):
    """A port that does not exist, or one that already has a wire."""


class NameClashError(CircuitError):
    """Two inputs with one name, or a name that is not a valid variable name."""


class NameTakenError(NameClashError):
    """A label that another gate already has as its name or its id, or that has the form kept
    for the names of gates without a label (``mul3``): every gate's name is its own."""


class OutputError(CircuitError):
    """No clear output: several gates end the circuit and none is chosen, or it is empty."""


class CodeError(ValueError):
    """Code that is not in the subset the app reads; names line, column and construct."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        where = ""
        if line is not None:
            where = f"line {line}" + (f", column {column}" if column is not None else "") + ": "
        super().__init__(where + message)
        self.line = line
        self.column = column
        self.reason = message
