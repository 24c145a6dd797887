"""Saving and loading give back the same circuit, as the same bytes, in every version."""

from __future__ import annotations

import json
import random
import re
import time
from pathlib import Path

import numpy as np
import pytest
from files_samples import OPS, sample_circuit

import circuit_editor as ce
from circuit_editor.core.circuit import Circuit
from circuit_editor.core.parts import MAX_COORDINATE
from circuit_editor.files import (
    CURRENT_VERSION,
    MAX_FILE_BYTES,
    MIGRATIONS,
    FileFormatError,
    dumps,
    load,
    loads,
    migrate,
    save,
)
from circuit_editor.files.errors import no_gc

KINDS = OPS + ["const"]

FIXTURES = Path(__file__).parent / "fixtures"


def test_round_trip_keeps_everything(tmp_path):
    c = sample_circuit()
    save(c, tmp_path / "a.circuit")
    d = load(tmp_path / "a.circuit")
    assert d == c
    assert [g.id for g in d.gates] == [g.id for g in c.gates]  # creation order
    assert d.topological_order() == c.topological_order()
    assert d.settings == c.settings and d.input_sets == c.input_sets
    assert d.wires == c.wires


def test_same_circuit_same_bytes(tmp_path):
    c = sample_circuit()
    save(c, tmp_path / "a.circuit")
    save(c, tmp_path / "b.circuit")
    a = (tmp_path / "a.circuit").read_bytes()
    assert a == (tmp_path / "b.circuit").read_bytes()
    assert a == dumps(c).encode()
    assert dumps(loads(a)) == a.decode()  # a fixed point
    assert a.endswith(b"}\n") and not a.endswith(b"\n\n")
    # equal circuits whose input sets were made in another order: the same bytes too
    other = sample_circuit()
    for i, name in enumerate(reversed(list(other.input_sets))):
        other.move_input_set(name, i)
    assert list(other.input_sets) != list(c.input_sets) or len(c.input_sets) < 2
    assert other == c and dumps(other) == dumps(c)


def test_a_gate_put_back_by_undo_keeps_its_place_in_creation_order():
    c = ce.from_code("a = x + y\nb = x * y\nf = a + b")
    order = [g.id for g in c.gates]
    gate, wires = c.remove_gate(c.find("a"))  # what undo does: put it back as it was
    c.add_gate(gate.kind, id=gate.id, label=gate.label, pos=gate.pos, seq=order.index(gate.id) + 1)
    for w in wires:
        c.connect(*w)
    d = loads(dumps(c))
    assert [g.id for g in d.gates] == order == sorted(order, key=c.seq)
    assert [d.seq(gid) for gid in order] == sorted(d.seq(gid) for gid in order)


def test_ids_are_kept_as_they_are():
    c = Circuit()
    for gid in ["zeta", "n10", "n2", "gate with spaces \u2713", "0"]:
        c.add_gate("const", id=gid, value=1.0)
    c.add_gate("add", id="n1")
    c.connect("n10", "n1", 0)
    c.connect("0", "n1", 1)
    d = loads(dumps(c))
    assert [g.id for g in d.gates] == ["zeta", "n10", "n2", "gate with spaces \u2713", "0", "n1"]
    assert d.add_gate("const", value=2.0).id not in {g.id for g in c.gates}


@pytest.mark.parametrize(
    "x",
    [
        0.1,
        1 / 3,
        5e-324,
        -5e-324,
        2.2250738585072014e-308,
        1.7976931348623157e308,
        -1.7976931348623157e308,
        1e16,
        1e22,
        float(2**53 + 2),
        123456789.12345679,
        -0.0,
        0.0,
        1e-7,
        np.nextafter(1.0, 2.0),
    ],
)
def test_floats_read_back_exactly(x):
    c = Circuit()
    near = abs(x) <= MAX_COORDINATE  # a position further out is refused (test_files_limits)
    c.add_gate("input", label="x", value=x, pos=(x, -x) if near else (0.0, 0.0))
    c.add_gate("pow", params={"c": x})
    c.set_input_set("s", {"x": x})
    d = loads(dumps(c))
    g, p = d.gates
    got = [g.value, p.c, d.input_sets["s"]["x"]] + ([g.pos[0], -g.pos[1]] if near else [])
    for number in got:
        assert repr(number) == repr(float(x))


def test_numbers_of_other_types_are_written_as_floats():
    """Input sets may be given ints or numpy floats."""
    c = Circuit()
    c.add_gate("input", label="x", value=1.0)
    c.set_input_set("ints", {"x": 3})
    c.set_input_set("numpy", {"x": np.float32(0.5)})
    text = dumps(c)
    assert '"ints": {"x": 3.0}' in text and '"numpy": {"x": 0.5}' in text
    assert loads(text) == c


def test_a_circuit_a_file_cannot_hold_cannot_be_made(tmp_path):
    """Input sets are read-only outside set_input_set, which refuses what a file cannot hold."""
    c = sample_circuit()
    with pytest.raises(ValueError, match="x in input set 'bad'"):
        c.set_input_set("bad", {"x": float("nan")})
    with pytest.raises(ValueError, match="needs a name"):
        c.set_input_set(1, {"x": 1.0})
    with pytest.raises(TypeError):
        c.input_sets["sneaky"] = {"x": 1.0}
    with pytest.raises(AttributeError):
        c.input_sets = {}
    save(c, tmp_path / "a.circuit")
    assert loads((tmp_path / "a.circuit").read_bytes()) == c


def test_any_text_round_trips():
    c = Circuit(
        title="lone \ud800 surrogate", description="nul \x00, bell \x07, \u2028, \U0001f600"
    )
    text = dumps(c)
    assert text.isascii()  # a lone surrogate cannot be UTF-8: everything is escaped
    assert loads(text) == c and loads(text.encode()) == c
    c.set_setting("title", "Gr\u00fc\u00dfe \u03c3")
    assert "Gr\u00fc\u00dfe \u03c3" in dumps(c)  # otherwise text is written as it is
    assert loads(dumps(c).encode()) == c


def test_empty_circuit():
    c = Circuit()
    text = dumps(c)
    assert '"gates": [],' in text and '"wires": [],' in text and '"input_sets": {}' in text
    assert loads(text) == c


def test_a_loaded_circuit_computes_the_same():
    c = ce.from_code("g = x + y\nh = g * z\nf = h + x")
    d = loads(dumps(c))
    a, b = ce.evaluate(c, {"x": -2, "y": 5, "z": -4}), ce.evaluate(d, {"x": -2, "y": 5, "z": -4})
    assert (a.output, a.grad["x"]) == (b.output, b.grad["x"]) == (-14.0, -3.0)


def test_the_format_holds_no_derived_values():
    doc = json.loads(dumps(sample_circuit()))
    assert list(doc) == [
        "format",
        "version",
        "title",
        "description",
        "settings",
        "output",
        "target",
        "gates",
        "wires",
        "input_sets",
    ]
    for g in doc["gates"]:
        assert set(g) <= {"id", "kind", "label", "params", "value", "pos"}
        assert ("value" in g) == (g["kind"] in ("input", "const"))


# ------------------------------------------------------------------------------ versions
def fixture_files() -> dict[int, Path]:
    found = {}
    for path in FIXTURES.glob("*.circuit"):
        m = re.fullmatch(r"v(\d+)\.circuit", path.name)
        assert m, f"unexpected fixture {path.name}: name them vN.circuit"
        found[int(m.group(1))] = path
    return found


def test_there_is_a_fixture_for_every_version():
    assert sorted(fixture_files()) == list(range(1, CURRENT_VERSION + 1))


def test_every_migration_is_there():
    assert sorted(MIGRATIONS) == list(range(1, CURRENT_VERSION))


@pytest.mark.parametrize("version", sorted(fixture_files()))
def test_every_fixture_loads_forever(version):
    c = load(fixture_files()[version])
    assert len(c) > 0
    assert json.loads(dumps(c))["version"] == CURRENT_VERSION
    assert loads(dumps(c)) == c


def test_v1_fixture_is_the_sample_circuit():
    assert load(FIXTURES / "v1.circuit") == sample_circuit()


def test_current_fixture_is_written_byte_for_byte_as_saved():
    """If this fails, the writer changed: bump CURRENT_VERSION (with a migration and a new
    fixture) rather than editing the old fixture."""
    path = fixture_files()[CURRENT_VERSION]
    assert dumps(load(path)).encode() == path.read_bytes()


def test_migrations_run_in_a_chain(monkeypatch):
    """Pretend the format is at version 3 to see old files go through each step once."""
    seen = []

    def step(n):
        def upgrade(doc):
            assert doc["version"] == n
            seen.append(n)
            return doc

        return upgrade

    monkeypatch.setattr(migrate, "CURRENT_VERSION", 3)
    monkeypatch.setitem(migrate.MIGRATIONS, 1, step(1))
    monkeypatch.setitem(migrate.MIGRATIONS, 2, step(2))
    doc = json.loads((FIXTURES / "v1.circuit").read_text())
    assert loads(json.dumps(doc)) == sample_circuit() and seen == [1, 2]
    doc["version"] = 2
    seen.clear()
    assert loads(json.dumps(doc)) == sample_circuit() and seen == [2]
    doc["version"] = 4
    with pytest.raises(FileFormatError, match="saved by a newer circuit-editor"):
        loads(json.dumps(doc))


# ------------------------------------------------------------------------------ size
def hundred_thousand_gates() -> Circuit:
    """100,000 gates, made quickly: wires go straight into the graph as in the engine bench
    (this is a test of the file layer, not of connect)."""
    rnd = random.Random(0)
    c = Circuit(title="100,000 gates")
    with no_gc():
        ids = [
            c.add_gate("input", label=f"x{i}", value=rnd.uniform(-1, 1), pos=(0.0, 110.0 * i)).id
            for i in range(100)
        ]
        for i in range(100_000 - len(ids)):
            kind = rnd.choice(KINDS)
            pos = (rnd.uniform(0, 10_000), rnd.uniform(0, 10_000))
            if kind == "const":
                g = c.add_gate("const", value=rnd.gauss(0, 1), pos=pos)
            else:
                g = c.add_gate(kind, label=f"h{i}" if i % 7 == 0 else "", pos=pos)
                for port in range(g.spec.arity):
                    c.graph.add_edge(ids[-rnd.randint(1, min(len(ids), 50))], g.id, key=port)
            ids.append(g.id)
    for k in range(10):
        c.set_input_set(f"set {k}", {f"x{i}": float(i) for i in range(100)})
    c.cache.clear()
    return c


def test_a_100000_gate_circuit_round_trips_well_within_the_cap(tmp_path):
    c = hundred_thousand_gates()
    path = tmp_path / "big.circuit"
    start = time.perf_counter()
    save(c, path)
    saved = time.perf_counter()
    d = load(path)
    loaded = time.perf_counter()
    size = path.stat().st_size
    print(
        f"\n100,000 gates, {c.graph.number_of_edges()} wires: {size / 1e6:.1f} MB, "
        f"save {saved - start:.2f} s, load {loaded - saved:.2f} s"
    )
    assert size < MAX_FILE_BYTES / 2
    assert d == c
    assert [g.id for g in d.gates] == [g.id for g in c.gates]
