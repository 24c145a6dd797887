"""When no window can be opened, the app says which case it is and what to do, in one line,
with exit code 1, never Qt's abort; and it finds out in-process, starting no subprocess."""

from __future__ import annotations

import os
import socket
import struct
import subprocess
import sys
import threading

import pytest

from circuit_editor.gui import display
from circuit_editor.gui.display import display_problem

STALE = ":97"  # no X server listens here (the test checks)


def no_x_server_at(number: int) -> bool:
    path = f"/tmp/.X11-unix/X{number}"
    for address in ("\0" + path, path):
        with socket.socket(socket.AF_UNIX) as s:
            try:
                s.connect(address)
                return False
            except OSError:
                pass
    return True


def the_app(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The real app started as a user starts it, with no file."""
    full = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    full.update(QT_QPA_PLATFORM="", **env)
    return subprocess.run(
        [sys.executable, "-m", "circuit_editor"],
        capture_output=True,
        text=True,
        timeout=120,
        env=full,
    )


def said_once(proc: subprocess.CompletedProcess[str], *words: str) -> str:
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("circuit-editor: "), proc.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def test_no_display_at_all(tmp_path):
    said_once(the_app({}), "no display", "neither DISPLAY nor WAYLAND_DISPLAY", "--help")


def test_a_stale_x_display():
    assert no_x_server_at(97)
    said_once(the_app({"DISPLAY": STALE}), "X display :97 does not answer", "stale", "ssh -X")


def test_a_dead_wayland_display(tmp_path):
    env = {"WAYLAND_DISPLAY": "wayland-9", "XDG_RUNTIME_DIR": str(tmp_path)}
    said_once(the_app(env), "Wayland display wayland-9 does not answer", "unset WAYLAND_DISPLAY")


@pytest.fixture
def env(monkeypatch):
    """The environment the check reads, emptied of any real display; and no subprocess may
    start while the check runs."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)

    def forbidden(*args, **kwargs):
        raise AssertionError("the display check started a process")

    monkeypatch.setattr(subprocess, "Popen", forbidden)
    monkeypatch.setattr(os, "fork", forbidden)
    monkeypatch.setattr(os, "posix_spawn", forbidden)
    return monkeypatch


def test_a_live_wayland_socket_is_fine(env, tmp_path):
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "wayland-1"))
        server.listen(1)
        env.setenv("WAYLAND_DISPLAY", "wayland-1")
        env.setenv("XDG_RUNTIME_DIR", str(tmp_path))
        assert display_problem() is None
        env.setenv("WAYLAND_DISPLAY", str(tmp_path / "wayland-1"))  # an absolute path works too
        assert display_problem() is None


def test_a_dead_wayland_falls_back_to_x11(env, tmp_path):
    env.setenv("WAYLAND_DISPLAY", "wayland-9")
    env.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    env.setenv("DISPLAY", STALE)
    assert "X display :97 does not answer" in display_problem()


def test_the_platform_chosen_by_hand_is_not_second_guessed(env):
    env.setenv("QT_QPA_PLATFORM", "offscreen")
    assert display_problem() is None


def test_a_missing_library_is_named_with_its_package(env):
    env.setenv("DISPLAY", STALE)
    env.setitem(display.XCB_LIBRARIES, "libxcb-not-there.so.0", "libxcb-not-there0")
    problem = display_problem()
    assert problem == (
        "Qt needs system libraries that are missing: libxcb-not-there.so.0. "
        "On Debian or Ubuntu: sudo apt-get install libxcb-not-there0"
    )


def test_a_bad_display_name(env):
    env.setenv("DISPLAY", "nonsense")
    assert "'nonsense' is not a display name such as :0" in display_problem()


class RefusingXServer(threading.Thread):
    """An X server on a TCP port that turns every client away, as one does when this user is
    not in its X authority."""

    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.answered = 0

    def run(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                try:
                    request = conn.recv(4096)
                except OSError:
                    continue
                if not request:  # the check only looked whether anyone listens
                    continue
                order = "<" if request[:1] == b"l" else ">"
                reason = b"No protocol specified"
                padded = reason + b"\0" * (-len(reason) % 4)
                head = struct.pack(order + "BBHHH", 0, len(reason), 11, 0, len(padded) // 4)
                conn.sendall(head + padded)
                self.answered += 1

    def stop(self):
        self.sock.close()


def test_an_x_display_that_refuses_this_user(env, capfd):
    server = RefusingXServer()
    assert server.port > 6000
    server.start()
    try:
        env.setenv("DISPLAY", f"127.0.0.1:{server.port - 6000}")
        problem = display_problem()
    finally:
        server.stop()
    assert server.answered == 1
    assert problem.startswith(f"the X display 127.0.0.1:{server.port - 6000} refused")
    assert "not allowed" in problem and "--help" in problem
    assert capfd.readouterr().err == ""  # Xlib's own complaint is kept quiet: one message
