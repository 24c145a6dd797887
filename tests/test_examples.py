"""Every bundled example loads, evaluates and passes a gradient check at each of its input
sets, and is exactly what tests/tools/make_examples.py makes."""

import math
import sys
from pathlib import Path

import pytest

import circuit_editor as ce
from circuit_editor import files, resources

sys.path.insert(0, str(Path(__file__).parent / "tools"))
import make_examples

SHIPPED = resources.examples()


def test_every_worksheet_circuit_is_shipped():
    assert [p.stem for p in SHIPPED] == sorted(name for name, *_ in make_examples.EXAMPLES)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_example_loads_evaluates_and_gradchecks(path):
    c = files.load(path)
    assert c.settings.title and c.settings.description
    assert c.input_sets
    for name, values in c.input_sets.items():
        assert set(values) == {g.label for g in c.inputs()}, name
        r = ce.evaluate(c, values)
        assert math.isfinite(r.output)
        check = ce.gradcheck(c, values)
        assert check.ok, f"{path.stem} at {name}:\n{check}"
        assert any(not k.kink for k in check.checks) or r.kinks


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_file_is_what_the_generator_makes(path):
    made = make_examples.all_examples()[path.stem]
    assert path.read_text(encoding="utf-8") == files.dumps(made)


def test_the_worksheet_numbers_at_the_worksheet_points():
    staged = files.load(resources.path("examples", "2-staged.circuit"))
    r = ce.evaluate(staged, staged.input_sets["worksheet"])
    assert (r.output, r.grad["x"], r.grad["y"], r.grad["z"]) == (-14.0, -3.0, -4.0, 3.0)
    neuron = files.load(resources.path("examples", "4abc-neuron.circuit"))
    r = ce.evaluate(neuron, neuron.input_sets["worksheet"])
    assert [round(r.grad[n], 2) for n in ("w[0]", "w[1]", "w[2]", "x[0]", "x[1]")] == [
        -0.2,
        -0.39,
        0.2,
        0.39,
        -0.59,
    ]
    assert round(r.output, 2) == 0.73
    product = files.load(resources.path("examples", "1a-product.circuit"))
    r = ce.evaluate(product, product.input_sets["worksheet"])
    assert (r.grad["x"], r.grad["y"]) == (-2.0, 1.0)
    mx = files.load(resources.path("examples", "1c-max.circuit"))
    r = ce.evaluate(mx, mx.input_sets["worksheet"])
    assert (r.output, r.grad["x"], r.grad["y"]) == (12.0, 1.0, 0.0)
