"""Shared fixtures: an in-memory keyring, offscreen Qt, throw-away data folders."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import keyring
import pytest
from keyring.backend import KeyringBackend

if TYPE_CHECKING:
    from tests.world import World

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Nothing a test runs may touch the developer's real settings, logs or data folders.
_SANDBOX = Path(tempfile.mkdtemp(prefix="chapterdesk-tests-"))
for _var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(_SANDBOX / _var.lower())
os.environ.pop("CHAPTERDESK_DATA_DIR", None)


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in this process only: tests never touch the real OS keyring."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Every test gets a fresh, empty, usable keyring."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """Simulate a machine with no usable keyring backend."""
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """The small hand-made chapter of :mod:`tests.world`, in an encrypted store."""
    from tests.world import build_world

    w = build_world(tmp_path / "data")
    yield w
    w.store.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture(autouse=True)
def no_unanswered_modal_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal dialog nobody answers would hang the run: fail the test instead. Tests that
    expect a dialog replace ``exec`` with their own answer."""
    from PySide6.QtWidgets import QDialog, QMessageBox

    def refuse(dialog: QDialog) -> int:
        raise AssertionError(f"a test opened a modal {type(dialog).__name__} without answering it")

    monkeypatch.setattr(QDialog, "exec", refuse)
    monkeypatch.setattr(QMessageBox, "exec", refuse)
