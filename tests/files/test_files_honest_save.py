"""Honest saves in the file layer: a read-only file is left alone, errors name the user's file,
stale temporary files of the same file are cleaned up, and stamps tell a changed file."""

from __future__ import annotations

import os
import time

import pytest
from files_samples import sample_circuit

from circuit_editor.files import FileStamp, load, load_stamped, save, stamp
from circuit_editor.files.disk import STALE_TEMP_SECONDS


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "lecture.circuit"
    c = sample_circuit()
    c.set_setting("title", "the old one")
    save(c, path)
    return path


def test_a_read_only_file_is_refused_and_left_as_it_was(saved):
    before = saved.read_bytes()
    os.chmod(saved, 0o444)
    with pytest.raises(PermissionError) as info:
        save(sample_circuit(), saved)
    assert info.value.strerror == "the file is read-only"
    assert info.value.filename == str(saved)
    assert saved.read_bytes() == before and os.listdir(saved.parent) == [saved.name]
    os.chmod(saved, 0o644)
    save(sample_circuit(), saved)
    assert load(saved) == sample_circuit()


@pytest.mark.parametrize("failing", ["mkstemp", "fsync", "replace"])
def test_errors_name_the_users_file_not_the_temporary_one(saved, monkeypatch, failing):
    import tempfile

    def fail(*args, **kwargs):
        name = os.path.join(os.path.dirname(saved), ".lecture.circuit.abcd1234.tmp")
        raise OSError(28, "No space left on device", name)

    monkeypatch.setattr(tempfile if failing == "mkstemp" else os, failing, fail)
    with pytest.raises(OSError) as info:
        save(sample_circuit(), saved)
    assert info.value.filename == str(saved) and info.value.errno == 28
    assert ".tmp" not in str(info.value) and str(saved) in str(info.value)


def temp_of(path, tail: str, age: float) -> str:
    """A temporary file as an interrupted save of ``path`` leaves it, ``age`` seconds old."""
    name = path.parent / f".{path.name}.{tail}.tmp"
    name.write_bytes(b'{"format": "circuit-')
    then = time.time() - age
    os.utime(name, (then, then))
    return name.name


def test_a_later_save_removes_old_temporaries_of_the_same_file_only(saved):
    old = temp_of(saved, "k3j_9xq2", STALE_TEMP_SECONDS + 60)
    young = temp_of(saved, "a8b7c6d5", STALE_TEMP_SECONDS - 60)  # another copy may be saving
    other = temp_of(saved.parent / "other.circuit", "zz00zz00", 3600)
    odd = temp_of(saved, "not-ours", 3600)  # not a name a save makes
    save(sample_circuit(), saved)
    assert sorted(os.listdir(saved.parent)) == sorted([saved.name, young, other, odd])
    assert old not in os.listdir(saved.parent)


def test_stamps_tell_a_changed_file(saved):
    c, first = load_stamped(saved)
    assert isinstance(first, FileStamp) and stamp(saved) == first
    written = save(c, saved)
    assert written == stamp(saved) and written != first  # a save puts a new file there
    with open(saved, "ab") as f:  # another program appends to it
        f.write(b"\n")
    assert stamp(saved) != written
    os.unlink(saved)
    assert stamp(saved) is None


@pytest.mark.parametrize(
    "euid,uid,gid,mode,read_only",
    [
        (1000, 1000, 50, 0o444, True),
        (1000, 1000, 50, 0o644, False),
        (1000, 2000, 50, 0o644, True),  # someone else's file, in a folder this user may write
        (1000, 2000, 50, 0o664, False),  # ... shared with this user's group
        (1000, 2000, 70, 0o646, False),  # ... writable by anyone
        (0, 2000, 70, 0o644, False),  # the administrator may write what has a write bit
        (0, 0, 0, 0o444, True),  # but not a file made read-only for everyone
    ],
)
def test_read_only_is_judged_by_the_bits_that_apply(monkeypatch, euid, uid, gid, mode, read_only):
    from circuit_editor.files.disk import is_read_only

    monkeypatch.setattr(os, "geteuid", lambda: euid)
    monkeypatch.setattr(os, "getegid", lambda: 50)
    monkeypatch.setattr(os, "getgroups", lambda: [50])
    st = os.stat_result((0o100000 | mode, 1, 1, 1, uid, gid, 10, 0, 0, 0))
    assert is_read_only(st) is read_only
