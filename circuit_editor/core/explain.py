"""Each step of the trace in the lecture's words: "upstream × local = downstream".

Qt-free, so the explanation panel, the step deck and tests all read the same sentences. Gates
are called by their display names (core.names: a label, or mul1, exp1, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, SupportsFloat

from .circuit import Circuit
from .gates import GATES, fill
from .names import display_names
from .numbers import short
from .reveal import step_title
from .trace import Step

if TYPE_CHECKING:
    from .result import Result


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
    def of(cls, result: Result, steps: list[Step] | None = None) -> Explainer:
        """The explainer of ``result``'s trace (``steps``: that trace, when the caller has it
        already; building it again would double the work)."""
        if result.target_id is None:
            raise ValueError("a result without a differentiated gate has no steps to explain")
        if steps is None:
            steps = result.trace()
        return cls(result.circuit, steps, result.target_id, result.tie)

    def __init__(self, circuit: Circuit, steps: list[Step], target: str, tie: str = "both"):
        self.circuit = circuit
        self.steps = steps
        self.tie = tie
        self.names = display_names(circuit)
        self.target = self.names[target]

    def name(self, gid: str) -> str:
        return self.names[gid]

    def formula(self, step: Step) -> str:
        return self._fill(step, GATES[step.kind].code_template)

    def local_formula(self, step: Step, port: int) -> str:
        template = GATES[step.kind].local_templates(self.tie)[port]
        return self._fill(step, template.replace("1.0", "1"))  # the templates' 1.0 reads 1

    def _fill(self, step: Step, template: str) -> str:
        args = [self.name(s) for s in step.sources]
        return fill(template, args, self.name(step.gate), self.circuit.gate(step.gate).c, short)

    def explain(self, index: int) -> Explanation:
        step = self.steps[index]
        me = self.name(step.gate)
        spec = GATES[step.kind]
        formula = self.formula(step)
        if step.direction == "forward":
            nums = ", ".join(
                f"{self.name(s)} = {short(x)}" for s, x in zip(step.sources, step.inputs)
            )
            lines = [f"{me} = {formula}", f"with {nums}:  {me} = {short(step.output)}"]
            locals_ = ", ".join(
                f"d{me}/d{self.name(s)} = "
                + _with_value(self.local_formula(step, p), step.local[p])
                for p, s in enumerate(step.sources)
            )
            lines.append(f"Local gradients, kept for the backward pass: {locals_}")
            return Explanation(
                f"{step_title(index + 1, len(self.steps))}: {me} = {formula} ({spec.name})",
                tuple(lines),
            )
        t = self.target
        lines = [f"Upstream: d{t}/d{me} = {short(step.upstream)}"]
        for p, (s, loc, down, total) in enumerate(
            zip(step.sources, step.local, step.downstream, step.totals)
        ):
            src = self.name(s)
            fans = len(self.circuit.wires_from(s))
            local = self.local_formula(step, p)
            local = local if _simple(local) else f"({local})"
            sub = "" if local == short(loc) else f" = {short(step.upstream)} \u00d7 {short(loc)}"
            lines.append(
                f"d{t}/d{src} {'+=' if fans > 1 else '='} upstream \u00d7 local = "
                f"{short(step.upstream)} \u00d7 {local}{sub} = {short(down)}"
            )
            if fans > 1:
                before = total - down
                lines.append(
                    f"{src} is used {_times(fans)} (a fork): its gradients add up, "
                    f"{short(before)} + {short(down)} = {short(total)} so far"
                )
        return Explanation(
            f"{step_title(index + 1, len(self.steps))}: through {me} = {formula} ({spec.name})",
            tuple(lines),
            spec.pattern,
        )


def _simple(text: str) -> bool:
    return all(ch not in text for ch in " +-*/") or text.lstrip("-").replace(".", "").isdigit()


def _with_value(formula: str, value: SupportsFloat) -> str:
    return formula if formula == short(value) else f"{formula} = {short(value)}"


def _times(n: int) -> str:
    return {2: "twice", 3: "three times"}.get(n, f"{n} times")
