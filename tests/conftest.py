"""Shared fixtures: an in-memory keyring, offscreen Qt, throw-away data folders."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import keyring
import pytest

from tests.memory_keyring import MemoryKeyring

if TYPE_CHECKING:
    from tests.world import World

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Nothing a test runs may touch the developer's real settings, logs or data folders.
_SANDBOX = Path(tempfile.mkdtemp(prefix="chapterdesk-tests-"))
for _var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(_SANDBOX / _var.lower())
os.environ.pop("CHAPTERDESK_DATA_DIR", None)


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
def collect_garbage_between_tests() -> Iterator[None]:
    """Once a TaskRunner exists, cycles are collected by a GUI-thread timer
    (ui/common/collector.py); tests that run no event loop still get a collection pass
    here, at the same thresholds, so garbage never piles up across the run."""
    yield
    from PySide6.QtCore import QCoreApplication

    from chapterdesk.ui.common.collector import GuiThreadCollector

    app = QCoreApplication.instance()
    collector = app.findChild(GuiThreadCollector) if app is not None else None
    if collector is not None:
        collector.check()


@pytest.fixture(autouse=True)
def no_unanswered_modal_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal dialog nobody answers would hang the run: fail the test instead. Tests that
    expect a dialog replace ``exec`` with their own answer."""
    from PySide6.QtWidgets import QDialog, QMessageBox

    def refuse(dialog: QDialog) -> int:
        raise AssertionError(f"a test opened a modal {type(dialog).__name__} without answering it")

    monkeypatch.setattr(QDialog, "exec", refuse)
    monkeypatch.setattr(QMessageBox, "exec", refuse)


# -- chapterdesk-server as a real process, on SQLite and PostgreSQL ---------------------------
# (tests/server_process.py, tests/pg.py). Importable whether or not the server exists yet.

from collections.abc import Generator, Mapping, Sequence  # noqa: E402
from typing import Any  # noqa: E402

from tests.server_process import ServerProcess, StartServer, stop_all  # noqa: E402

_PHASE_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the item, so a fixture's teardown knows the test failed
    and can show the server's log."""
    report = yield
    item.stash.setdefault(_PHASE_REPORTS, {})[report.when] = report
    return report


@pytest.fixture
def start_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StartServer]:
    """Start real servers (as many as a test wants; each keeps its port across restarts);
    all stopped at teardown, their log tails printed when the test failed. ``kwargs`` go to
    :class:`~tests.server_process.ServerProcess` (``command``, ``port``, ``startup_timeout``)."""
    servers: list[ServerProcess] = []

    def start(
        database_url: str,
        extra_args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> ServerProcess:
        kwargs.setdefault("log_dir", tmp_path / f"server-{len(servers) + 1}")
        server = ServerProcess(database_url, extra_args=extra_args, env=env, **kwargs)
        servers.append(server)
        return server.start()

    yield start
    reports = request.node.stash.get(_PHASE_REPORTS, {})
    failed = any(report.failed for report in reports.values())
    for server in servers:
        if failed:
            print(f"--- {server!r}, log {server.log_path}:\n{server.log_tail(80)}")
        try:
            server.stop()
        finally:
            server.kill()  # a no-op once stopped; makes sure when stop() itself failed


@pytest.fixture(params=["sqlite", "postgresql"])
def server_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL for a server: a SQLite file, then a new PostgreSQL
    database (skipped without ``CHAPTERDESK_TEST_PG_URL``, failed on CI)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.db'}"
        return
    from tests.pg import fresh_database

    with fresh_database() as url:
        yield url
        stop_all(url)  # servers must let go before the database is dropped


@pytest.fixture
def postgres_database_url() -> Iterator[str]:
    """A fresh PostgreSQL database's SQLAlchemy URL, for tests that need PostgreSQL only."""
    from tests.pg import fresh_database

    with fresh_database() as url:
        yield url
        stop_all(url)


@pytest.fixture
def chapter_server(server_database_url: str, start_server: StartServer) -> ServerProcess:
    """A running server on a fresh database, once per backend; stopped at teardown."""
    return start_server(server_database_url)
