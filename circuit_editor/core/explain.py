"""Each step of the trace in the lecture's words: "upstream × local = downstream".

Qt-free, so the explanation panel, the step deck and tests all read the same sentences. Gates
without a label are called by the names the code export gives them (mul1, exp1, ...).
"""

from __future__ import annotations

from dataclasses import dataclass

from .circuit import Circuit
from .export import _Names
from .gates import GATES
from .numbers import fmt
from .trace import Step

PATTERNS = {
    "add": "An add gate distributes: each input gets the upstream gradient unchanged.",
    "sub": "A subtract gate passes the upstream gradient to its first input and its negative "
    "to the second.",
    "mul": "A multiply gate swaps: each input's gradient is the upstream gradient times the "
    "other input's value.",
    "max": "A max gate routes: the larger input gets the whole upstream gradient, the other "
    "gets none.",
    "min": "A min gate routes: the smaller input gets the whole upstream gradient, the other "
    "gets none.",
    "addc": "Adding a constant passes the gradient through unchanged.",
    "mulc": "Multiplying by a constant scales the gradient by that constant.",
    "exp": "exp's local gradient is its own output.",
    "sigmoid": "The sigmoid's local gradient is (1 - \u03c3)\u03c3, read off its output.",
    "recip": "1/x's local gradient is -1/x\u00b2 = -(output)\u00b2.",
    "relu": "ReLU passes the gradient where its input is positive and blocks it elsewhere.",
}


@dataclass(frozen=True)
class Explanation:
    title: str  # "Backward 2 of 3: h = g * z (multiply)"
    lines: tuple[str, ...]  # the arithmetic, one sentence a line
    words: str = ""  # the pattern in the lecture's words

    def text(self) -> str:
        return "\n".join((self.title, *self.lines) + ((self.words,) if self.words else ()))


class Explainer:
    """Explanations for every step of one trace of one circuit."""

    @classmethod
    def of(cls, result) -> Explainer:
        return cls(result.circuit, result.trace(), result.target_id, result.tie)

    def __init__(self, circuit: Circuit, steps: list[Step], target: str, tie: str = "both"):
        self.circuit = circuit
        self.steps = steps
        self.tie = tie
        self.n = len(steps) // 2
        self.names = _Names(circuit, circuit.topological_order()).value
        self.target = self.names[target]

    def name(self, gid: str) -> str:
        return self.names[gid]

    def formula(self, step: Step) -> str:
        g = self.circuit.gate(step.gate)
        args = [self.name(s) for s in step.sources]
        c = fmt(g.c) if g.c is not None else ""
        return (
            GATES[step.kind]
            .code_template.format(*args, out=self.name(step.gate), c=c)
            .replace("+ -", "- ")
        )

    def local_formula(self, step: Step, port: int) -> str:
        g = self.circuit.gate(step.gate)
        args = [self.name(s) for s in step.sources]
        c = fmt(g.c) if g.c is not None else ""
        template = GATES[step.kind].local_templates(self.tie)[port]
        return template.format(*args, out=self.name(step.gate), c=c).replace("1.0", "1")

    def explain(self, index: int) -> Explanation:
        step = self.steps[index]
        me = self.name(step.gate)
        spec = GATES[step.kind]
        formula = self.formula(step)
        if step.direction == "forward":
            nums = ", ".join(
                f"{self.name(s)} = {fmt(x)}" for s, x in zip(step.sources, step.inputs)
            )
            lines = [f"{me} = {formula}", f"with {nums}:  {me} = {fmt(step.output)}"]
            locals_ = ", ".join(
                f"d{me}/d{self.name(s)} = "
                + _with_value(self.local_formula(step, p), step.local[p])
                for p, s in enumerate(step.sources)
            )
            lines.append(f"Local gradients, kept for the backward pass: {locals_}")
            return Explanation(
                f"Forward {index + 1} of {self.n}: {me} = {formula} ({spec.name})", tuple(lines)
            )
        t = self.target
        lines = [f"Upstream: d{t}/d{me} = {fmt(step.upstream)}"]
        for p, (s, loc, down, total) in enumerate(
            zip(step.sources, step.local, step.downstream, step.totals)
        ):
            src = self.name(s)
            fans = len(self.circuit.wires_from(s))
            local = self.local_formula(step, p)
            local = local if _simple(local) else f"({local})"
            sub = "" if local == fmt(loc) else f" = {fmt(step.upstream)} \u00d7 {fmt(loc)}"
            lines.append(
                f"d{t}/d{src} {'+=' if fans > 1 else '='} upstream \u00d7 local = "
                f"{fmt(step.upstream)} \u00d7 {local}{sub} = {fmt(down)}"
            )
            if fans > 1:
                before = total - down
                lines.append(
                    f"{src} is used {_times(fans)} (a fork): its gradients add up, "
                    f"{fmt(before)} + {fmt(down)} = {fmt(total)} so far"
                )
        words = PATTERNS.get(step.kind, f"{spec.name}: {spec.local_doc}.")
        k = index - self.n
        return Explanation(
            f"Backward {k + 1} of {self.n}: through {me} = {formula} ({spec.name})",
            tuple(lines),
            words,
        )


def _simple(text: str) -> bool:
    return all(ch not in text for ch in " +-*/") or text.lstrip("-").replace(".", "").isdigit()


def _with_value(formula: str, value) -> str:
    return formula if formula == fmt(value) else f"{formula} = {fmt(value)}"


def _times(n: int) -> str:
    return {2: "twice", 3: "three times"}.get(n, f"{n} times")
