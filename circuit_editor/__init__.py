"""circuit-editor: build computational circuits and watch backpropagation flow through them.

The scripting API (no Qt is imported by any of it)::

    import circuit_editor as ce
    c = ce.from_code("g = x + y\\nh = g * z\\nf = h + x")
    r = ce.evaluate(c, {"x": -2, "y": 5, "z": -4})
    r.output, r.value["g"], r.grad["x"]        # -14.0, 3.0, -3.0
    ce.gradcheck(c, {"x": -2, "y": 5, "z": -4}).ok
"""

from .core.circuit import Circuit, Event, EventKind, Gate, Verdict, Wire
from .core.engine import compile_circuit, evaluate
from .core.errors import (
    CircuitError,
    CodeError,
    CycleError,
    NameClashError,
    OutputError,
    PortError,
    UnknownGateError,
    UnknownInputSetError,
)
from .core.export import to_code
from .core.gates import GATES, GateSpec
from .core.gradcheck import GradCheck, gradcheck
from .core.layout import layout
from .core.parse import CodeImport, from_code, read_code
from .core.result import Result
from .core.trace import Step
from .files import FileFormatError, dumps, load, loads, save

# The one place the version is written: the build reads it from here (pyproject.toml), and
# a test checks the AppStream release (packaging/linux) against it.
__version__ = "0.1.0"

__all__ = [
    "GATES",
    "Circuit",
    "CircuitError",
    "CodeError",
    "CodeImport",
    "CycleError",
    "Event",
    "EventKind",
    "FileFormatError",
    "Gate",
    "GateSpec",
    "GradCheck",
    "NameClashError",
    "OutputError",
    "PortError",
    "Result",
    "Step",
    "UnknownGateError",
    "UnknownInputSetError",
    "Verdict",
    "Wire",
    "__version__",
    "compile_circuit",
    "dumps",
    "evaluate",
    "from_code",
    "gradcheck",
    "layout",
    "load",
    "loads",
    "read_code",
    "save",
    "to_code",
]
