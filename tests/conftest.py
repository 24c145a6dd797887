"""Test set-up: Qt runs offscreen, before anything imports it."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def recovery_folder(tmp_path_factory, monkeypatch):
    """Autosave snapshots (and the app's instance locks) go to a temporary folder, never to
    the user's data folder; subprocesses inherit it."""
    folder = tmp_path_factory.mktemp("recovery")
    monkeypatch.setenv("CIRCUIT_EDITOR_RECOVERY_DIR", str(folder))
    return folder
