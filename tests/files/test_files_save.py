"""Saving is all or nothing: the old file survives any failure, even a killed process."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from files_samples import sample_circuit

from circuit_editor.files import dumps, load, save

HERE = Path(__file__).parent
ROOT = HERE.parent.parent


@pytest.fixture
def old(tmp_path):
    """A folder with one saved file; returns its path and bytes."""
    path = tmp_path / "lecture.circuit"
    c = sample_circuit()
    c.set_setting("title", "the old one")
    save(c, path)
    return path, path.read_bytes()


def only_the_file(path: Path) -> bool:
    return [p.name for p in path.parent.iterdir()] == [path.name]


def test_save_writes_a_new_file_with_usual_permissions(tmp_path):
    path = tmp_path / "new.circuit"
    save(sample_circuit(), path)
    assert load(path) == sample_circuit() and only_the_file(path)
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def test_save_replaces_and_keeps_permission_bits(old):
    path, _ = old
    os.chmod(path, 0o640)
    save(sample_circuit(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert load(path) == sample_circuit() and only_the_file(path)


def test_save_through_a_symlink_replaces_the_file_it_names(old):
    path, _ = old
    link = path.parent / "link.circuit"
    link.symlink_to(path.name)
    save(sample_circuit(), link)
    assert link.is_symlink() and load(path) == sample_circuit()


@pytest.mark.parametrize("failing", ["fsync", "write", "replace", "chmod", "odd"])
def test_a_failed_save_leaves_the_old_file_and_no_temporary(old, monkeypatch, failing):
    path, before = old
    real_fdopen = os.fdopen

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    class BadFile:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self.f.__exit__(*exc)

        def write(self, data):
            self.f.write(data[: len(data) // 2])  # half of it, then the disk is full
            self.f.flush()
            if failing == "odd":
                raise RuntimeError("something unexpected")
            fail()

    if failing in ("write", "odd"):
        monkeypatch.setattr(os, "fdopen", lambda fd, mode: BadFile(real_fdopen(fd, mode)))
    else:
        monkeypatch.setattr(os, failing, fail)
    with pytest.raises(OSError) as info:
        save(sample_circuit(), path)
    if failing == "odd":
        assert isinstance(info.value.__cause__, RuntimeError)
    assert path.read_bytes() == before
    assert only_the_file(path)


def test_a_failed_save_of_a_new_file_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(5, "I/O error")))
    with pytest.raises(OSError):
        save(sample_circuit(), tmp_path / "new.circuit")
    assert list(tmp_path.iterdir()) == []


def test_save_into_a_missing_folder_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        save(sample_circuit(), tmp_path / "no such folder" / "a.circuit")
    assert list(tmp_path.iterdir()) == []


def test_save_writes_through_a_temporary_in_the_same_folder(old, monkeypatch):
    path, _ = old
    seen = []
    real_replace = os.replace

    def replace(src, dst):
        seen.append((Path(src).parent, Path(src).read_bytes()))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    save(sample_circuit(), path)
    assert seen == [(path.parent, dumps(sample_circuit()).encode())]


# --------------------------------------------------------------------------- killed saves
def run_saver(script: str, *args) -> subprocess.Popen:
    code = textwrap.dedent(f"""
        import os, sys, time
        sys.path[:0] = [{str(ROOT)!r}, {str(HERE)!r}]
        from circuit_editor.files import save, dumps
        from files_samples import sample_circuit
    """) + textwrap.dedent(script)
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)], stdout=subprocess.PIPE, text=True
    )


def test_killed_in_the_middle_of_writing_leaves_the_old_file(old):
    path, before = old
    proc = run_saver(
        """
        real_fdopen = os.fdopen

        class Slow:
            def __init__(self, f): self.f = f
            def __enter__(self): return self
            def __exit__(self, *exc): return self.f.__exit__(*exc)
            def write(self, data):
                self.f.write(data[: len(data) // 2])
                self.f.flush()
                print("half written", flush=True)
                time.sleep(60)

        os.fdopen = lambda fd, mode: Slow(real_fdopen(fd, mode))
        save(sample_circuit(), sys.argv[1])
    """,
        path,
    )
    try:
        assert proc.stdout.readline().strip() == "half written"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert path.read_bytes() == before
    assert load(path).settings.title == "the old one"
    leftovers = [p for p in path.parent.iterdir() if p != path]
    assert len(leftovers) == 1 and leftovers[0].name.startswith(".lecture.circuit.")
    assert 0 < leftovers[0].stat().st_size < len(dumps(sample_circuit()).encode())


@pytest.mark.parametrize("delay", [0.05, 0.11, 0.17, 0.23])
def test_killed_at_any_moment_leaves_a_complete_file(tmp_path, delay):
    """A process saves two circuits in turn as fast as it can; kill it at odd moments."""
    path = tmp_path / "busy.circuit"
    proc = run_saver(
        """
        a = sample_circuit()
        b = sample_circuit()
        b.set_setting("description", "x" * 2_000_000)     # 2 MB: writing takes a while
        with open(sys.argv[1] + ".a", "w") as f: f.write(dumps(a))
        with open(sys.argv[1] + ".b", "w") as f: f.write(dumps(b))
        save(a, sys.argv[1])
        print("ready", flush=True)
        while True:
            save(b, sys.argv[1])
            save(a, sys.argv[1])
    """,
        path,
    )
    try:
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        proc.kill()
    data = path.read_bytes()
    assert data in {Path(f"{path}.a").read_bytes(), Path(f"{path}.b").read_bytes()}
    load(path)


def test_save_onto_a_folder_fails_and_leaves_nothing(tmp_path):
    (tmp_path / "a folder").mkdir()
    with pytest.raises(OSError):
        save(sample_circuit(), tmp_path / "a folder")
    assert [p.name for p in tmp_path.iterdir()] == ["a folder"]
    assert list((tmp_path / "a folder").iterdir()) == []
