"""Whether a window can be opened here, asked before Qt is started: Qt aborts (exit 134) with a
terse message when it cannot, and sometimes blames the wrong thing (a missing library, for a
display that is gone). No Qt here, and no subprocess: a socket connect, a few libraries loaded,
and an X connection opened and closed, a few milliseconds in all.

The cases, each with its own message: no display at all; a Wayland display whose socket does
not answer; an X display that does not answer (a stale DISPLAY from an SSH or WSL session); an
X display that refuses the connection (not authorized); a library Qt's X11 support needs that
is missing.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import socket
import sys
from collections.abc import Iterator

CLI_HINT = "The command-line tools need no display: circuit-editor --help"

XCB_LIBRARIES = {  # what Qt's xcb platform plugin links -> its Debian and Ubuntu package
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
}
X11_PORT = 6000  # an X display :N over TCP listens on this port + N
TCP_TIMEOUT = 2.0  # seconds to reach a remote X display (a local one answers at once)


def display_problem() -> str | None:
    """Why Qt could not open a window here, in one message that says what to do; None when
    it can (or when Qt is told which platform to use, or the system is not Linux)."""
    env = os.environ
    if not sys.platform.startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return None
    wayland, x11 = env.get("WAYLAND_DISPLAY", ""), env.get("DISPLAY", "")
    if not (wayland or x11):
        return (
            "there is no display to open a window on: neither DISPLAY nor WAYLAND_DISPLAY is "
            f"set (a text console, or an SSH session without -X). {CLI_HINT}"
        )
    if wayland:
        problem = _wayland_problem(wayland, env.get("XDG_RUNTIME_DIR", ""))
        if problem is None or not x11:
            return problem
    return _x11_problem(x11)  # Qt falls back to X11 when Wayland does not answer


def _wayland_problem(name: str, runtime_dir: str) -> str | None:
    path = name if os.path.isabs(name) else os.path.join(runtime_dir, name)
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect(path)
    except OSError as e:
        return (
            f"the Wayland display {name} does not answer ({path}: {e.strerror}): the session "
            "it belonged to has ended, or this shell did not come from it. Start the app from "
            f"a terminal of your desktop session, or unset WAYLAND_DISPLAY. {CLI_HINT}"
        )
    return None


def _x11_problem(display: str) -> str | None:
    missing = [lib for lib in XCB_LIBRARIES if not _loads(lib)]
    if missing:
        return (
            "Qt needs system libraries that are missing: "
            + ", ".join(missing)
            + ". On Debian or Ubuntu: sudo apt-get install "
            + " ".join(XCB_LIBRARIES[lib] for lib in missing)
        )
    unreachable = _x11_unreachable(display)
    if unreachable:
        return (
            f"the X display {display} does not answer ({unreachable}): DISPLAY is stale, left "
            "from an SSH or WSL session that has ended, or the X server is not running. "
            "Reconnect (ssh -X), start the X server, or unset DISPLAY. " + CLI_HINT
        )
    if not _x11_opens(display):
        return (
            f"the X display {display} refused the connection: this user is not allowed to use "
            "it (its X authority, XAUTHORITY or xhost, does not include this session). "
            "Run the app as the user logged in to the display. " + CLI_HINT
        )
    return None


def _loads(library: str) -> bool:
    try:
        ctypes.CDLL(library)
    except OSError:
        return False
    return True


def _x11_unreachable(display: str) -> str:
    """Why nothing listens at the X display's socket, or "" when something does."""
    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not number.isdigit():
        return f"{display!r} is not a display name such as :0 or localhost:10.0"
    if host not in ("", "unix"):
        port = X11_PORT + int(number)
        try:
            socket.create_connection((host, port), TCP_TIMEOUT).close()
        except OSError as e:
            return f"{host} port {port}: {e.strerror or e}"
        return ""
    path = f"/tmp/.X11-unix/X{number}"
    for address in ("\0" + path, path):  # the abstract socket Linux X servers also listen on
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.connect(address)
        except OSError as e:
            why = e.strerror or str(e)
            continue
        return ""
    return f"{path}: {why}"


def _x11_opens(display: str) -> bool:
    """Whether Xlib can open the display (the server may refuse this user)."""
    x11 = ctypes.CDLL("libX11.so.6")
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    with _quiet_stderr():  # Xlib says "Authorization required" itself; ours is the one message
        handle = x11.XOpenDisplay(display.encode())
    if not handle:
        return False
    x11.XCloseDisplay(handle)
    return True


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
