"""The published JSON Schema: up to date, and every file save writes is valid under it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from files_jsonschema import errors
from files_samples import big_circuit, sample_circuit, sample_doc
from files_strategies import circuits
from hypothesis import HealthCheck, given, settings

from circuit_editor.files import dumps
from circuit_editor.files.schema import build_schema, schema_text

SCHEMA_FILE = Path(__file__).resolve().parent.parent.parent / "resources" / "circuit.schema.json"
SCHEMA = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def test_published_schema_is_up_to_date():
    """If this fails: python -m circuit_editor.files.schema > resources/circuit.schema.json"""
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text()
    assert build_schema() == SCHEMA
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_saved_files_are_valid():
    for c in (sample_circuit(), big_circuit(2000)):
        assert errors(json.loads(dumps(c)), SCHEMA) == []


@settings(
    max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(circuits())
def test_every_saved_circuit_is_valid_and_round_trips(c):
    from circuit_editor.files import loads

    text = dumps(c)
    assert errors(json.loads(text), SCHEMA) == []
    d = loads(text)
    assert d == c and [g.id for g in d.gates] == [g.id for g in c.gates]
    assert dumps(d) == text


def edited(change):
    doc = sample_doc()
    change(doc)
    return doc


@pytest.mark.parametrize(
    "doc",
    [
        edited(lambda d: d.update(version=2)),
        edited(lambda d: d.update(format="other")),
        edited(lambda d: d.pop("wires")),
        edited(lambda d: d.update(colour=1)),
        edited(lambda d: d["settings"].update(tie="random")),
        edited(lambda d: d["gates"][0].update(value=True)),
        edited(lambda d: d["gates"][0].pop("value")),
        edited(lambda d: d["gates"][0].update(label="")),  # an input needs a name
        edited(lambda d: d["gates"][4].update(value=1.0)),  # an add gate has no value
        edited(lambda d: d["gates"][4].update(kind="xor")),
        edited(lambda d: d["gates"][4].update(params={"c": 1.0})),
        edited(lambda d: d["gates"][13].update(params={})),  # pow needs c
        edited(lambda d: d["gates"][4].update(label="1x")),
        edited(lambda d: d["gates"][4].update(pos=[1.0])),
        edited(lambda d: d["gates"][4].update(pos=[1.0, 2.0, 3.0])),
        edited(lambda d: d["gates"][4].update(id="")),
        edited(lambda d: d["wires"][0].update(port=2)),
        edited(lambda d: d["wires"][0].update(port=0.5)),
        edited(lambda d: d["wires"][0].update(port=False)),
        edited(lambda d: d.update(output=3)),
        edited(lambda d: d["input_sets"]["lecture"].update(x="1")),
    ],
)
def test_schema_refuses_what_the_format_forbids(doc):
    assert errors(doc, SCHEMA)


def test_the_test_validator_agrees_with_jsonschema():
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    good = [json.loads(dumps(sample_circuit())), json.loads(dumps(big_circuit(60)))]
    for doc in good:
        assert list(validator.iter_errors(doc)) == []
    for change in (
        lambda d: d.update(version=2),
        lambda d: d["gates"][0].pop("value"),
        lambda d: d["gates"][4].update(value=1.0),
        lambda d: d["gates"][13].update(params={}),
        lambda d: d["wires"][0].update(port=False),
    ):
        assert list(validator.iter_errors(edited(change)))
