"""Bounded inputs: only ordinary files are opened, and a file's gates are few enough and near
enough to be drawn. (The same, for every command under a memory cap: tests/test_bounded_inputs.)"""

from __future__ import annotations

import itertools
import json
import os
import socket
import threading
from pathlib import Path

import pytest
from files_samples import sample_circuit, sample_doc

from circuit_editor.core.circuit import Circuit
from circuit_editor.files import (
    MAX_COORDINATE,
    MAX_FILE_BYTES,
    MAX_FILE_GATES,
    FileFormatError,
    dumps,
    load,
    loads,
    read,
    save,
)


def test_the_limits_are_what_the_readme_promises():
    assert MAX_FILE_GATES >= 200_000 and MAX_COORDINATE == 100_000
    assert f"at most {MAX_FILE_GATES:,} gates" in README
    assert f"within {MAX_COORDINATE:,.0f} units" in README


README = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8").split())


@pytest.mark.parametrize("x", [1e308, -1e6, 100_000.000001])
@pytest.mark.parametrize("axis", [0, 1])
def test_a_gate_too_far_away_is_refused_with_its_place(x, axis):
    doc = sample_doc()
    doc["gates"][3]["pos"][axis] = x
    with pytest.raises(FileFormatError) as info:
        loads(json.dumps(doc))
    assert info.value.path == f"gates[3].pos[{axis}]"
    assert "too far away" in info.value.reason and "100,000" in info.value.reason


def test_a_gate_at_the_edge_loads():
    doc = sample_doc()
    doc["gates"][3]["pos"] = [-MAX_COORDINATE, MAX_COORDINATE]
    assert loads(json.dumps(doc)).gate(doc["gates"][3]["id"]).pos == (-1e5, 1e5)


def test_the_model_keeps_every_gate_within_what_a_file_holds(tmp_path):
    """A gate placed or dragged beyond the edge stops at it, so every circuit can be saved."""
    c = sample_circuit()
    g = c.add_gate("neg", label="far", pos=(0.0, -2e5))
    assert c.gate(g.id).pos == (0.0, -MAX_COORDINATE)
    c.move(g.id, (1e300, 3.0))
    assert c.gate(g.id).pos == (MAX_COORDINATE, 3.0)
    save(c, tmp_path / "a.circuit")
    assert load(tmp_path / "a.circuit") == c


def test_a_long_chain_read_from_code_is_laid_out_within_reach_and_saves(tmp_path):
    """700 chained statements lay out wider than the room (170 units a layer): the layout
    squeezes the chain into it, in order, and the file saves and loads."""
    from circuit_editor.core.parse import from_code

    code = "a = x * 1.5\n" + "a = a * 0.5 + x\n" * 700
    c = from_code(code)
    xs = [g.pos[0] for g in c.gates]
    assert min(xs) == -MAX_COORDINATE and max(xs) == MAX_COORDINATE
    chain = [g for g in c.gates if g.kind == "mul"]
    assert all(a.pos[0] < b.pos[0] for a, b in itertools.pairwise(chain))
    save(c, tmp_path / "chain.circuit")
    assert load(tmp_path / "chain.circuit") == c


def test_more_gates_than_the_limit_are_refused_before_any_is_built(monkeypatch):
    doc = sample_doc()
    monkeypatch.setattr(read, "MAX_FILE_GATES", 3)
    built: list[str] = []
    real_add = Circuit.add_gate
    monkeypatch.setattr(
        Circuit, "add_gate", lambda c, kind, **kw: (built.append(kind), real_add(c, kind, **kw))[1]
    )
    with pytest.raises(FileFormatError, match=r"has \d+ gates; a circuit file holds at most 3"):
        loads(json.dumps(doc))
    assert built == []
    doc["gates"], doc["wires"] = doc["gates"][:3], []
    doc["output"] = doc["target"] = None
    assert len(loads(json.dumps(doc))) == 3


def test_the_largest_file_fits_the_byte_cap():
    """A file of MAX_FILE_GATES gates is not refused for its bytes first."""
    c = Circuit()
    c.add_gate("mul", id="n123456", label="h123456", pos=(12345.678, -98765.4321))
    line = next(t for t in dumps(c).splitlines() if t.lstrip().startswith('{"id"'))
    assert MAX_FILE_GATES * (len(line) + 60) < MAX_FILE_BYTES  # 60: its wires


# --------------------------------------------------------------------------- not files
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe.circuit"
    os.mkfifo(fifo)
    # Should the refusal break, a writer comes after a while, so the test fails, not hangs.
    rescue = threading.Timer(20, lambda: os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)))
    rescue.start()
    try:
        with pytest.raises(OSError) as info:
            load(fifo)
    finally:
        rescue.cancel()
    assert info.value.strerror == "this is a named pipe (FIFO), not a file"
    assert info.value.filename == fifo


def test_a_socket_and_a_device_are_refused(tmp_path):
    path = str(tmp_path / "s.circuit")
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(path)
        with pytest.raises(OSError, match="a socket, not a file"):
            load(path)
    with pytest.raises(OSError, match="a device, not a file"):
        load("/dev/zero")


def test_a_link_to_a_pipe_is_refused_and_a_link_to_a_file_opens(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "to-pipe.circuit").symlink_to("pipe")
    with pytest.raises(OSError, match="named pipe"):
        load(tmp_path / "to-pipe.circuit")
    save(sample_circuit(), tmp_path / "real.circuit")
    (tmp_path / "to-file.circuit").symlink_to("real.circuit")
    assert load(tmp_path / "to-file.circuit") == sample_circuit()


def test_a_file_swapped_for_a_pipe_after_the_look_is_still_refused(tmp_path, monkeypatch):
    """Between looking at the path and opening it, another program may put a pipe there."""
    path = tmp_path / "a.circuit"
    save(sample_circuit(), path)
    real_stat = os.stat
    looked = []

    def stat_then_swap(p, *args, **kwargs):
        st = real_stat(p, *args, **kwargs)
        if str(p) == str(path) and not looked:
            looked.append(p)
            os.unlink(path)
            os.mkfifo(path)
        return st

    monkeypatch.setattr(os, "stat", stat_then_swap)
    with pytest.raises(OSError, match="named pipe"):
        load(path)
    assert looked
