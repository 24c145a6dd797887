"""Fuzzing the loader: whatever the bytes, it returns a circuit or raises FileFormatError."""

from __future__ import annotations

import json

from files_jsonschema import errors
from files_samples import sample_text
from files_strategies import circuits, damaged, documents
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from circuit_editor.core.circuit import Circuit
from circuit_editor.files import FileFormatError, dumps, loads
from circuit_editor.files.schema import build_schema

SCHEMA = build_schema()
FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def load_or_refuse(data) -> Circuit | None:
    """Load ``data``; only FileFormatError may come out. A loaded circuit must be valid."""
    try:
        c = loads(data)
    except FileFormatError as e:
        assert str(e) and e.reason
        return None
    assert isinstance(c, Circuit)
    text = dumps(c)
    assert loads(text) == c and dumps(loads(text)) == text
    return c


@FUZZ
@given(documents())
def test_documents_of_the_right_shape_load_or_are_refused(doc):
    text = json.dumps(doc)
    if load_or_refuse(text) is not None:
        # whatever the loader accepts, the published schema accepts
        assert errors(json.loads(text), SCHEMA) == []


@FUZZ
@given(st.data())
def test_damaged_files_load_or_are_refused(data):
    source = data.draw(st.sampled_from(["sample", "random"]))
    text = sample_text() if source == "sample" else dumps(data.draw(circuits(max_gates=6)))
    damaged_bytes = data.draw(damaged(text))
    c = load_or_refuse(damaged_bytes)
    if c is not None:
        try:
            doc = json.loads(damaged_bytes)
        except ValueError:  # json reads what our loader does not (a BOM, say)
            return
        assert errors(doc, SCHEMA) == []


@FUZZ
@given(st.binary(max_size=200) | st.text(max_size=200))
def test_random_bytes_and_text_are_refused(data):
    assert load_or_refuse(data) is None
