"""The machinery that runs the real chapterdesk-server for tests: it starts on SQLite and
PostgreSQL, survives a kill -9 and a restart on the same port and database, reports a failed
start with the server's own words, and treats a missing PostgreSQL as CI's failure."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import httpx
import pytest

from tests import pg
from tests.server_process import ServerProcess, ServerStartError, StartServer


def _server_module_missing() -> bool:
    try:
        return importlib.util.find_spec("chapterdesk.server.__main__") is None
    except ModuleNotFoundError:
        return True


needs_server = pytest.mark.skipif(
    _server_module_missing(), reason="chapterdesk.server is not written yet"
)


@needs_server
def test_server_answers_survives_kill_and_restarts(
    chapter_server: ServerProcess, server_database_url: str
) -> None:
    health = chapter_server.health()
    assert health["ok"] is True
    assert isinstance(health["protocol_version"], int)
    url = chapter_server.url

    assert chapter_server.kill() == -9
    with pytest.raises(httpx.TransportError):
        chapter_server.health()

    # Back on the same port and the already migrated database, after a crash.
    chapter_server.start()
    assert chapter_server.url == url
    assert chapter_server.health()["ok"] is True

    # A graceful restart: same port, same database, still healthy.
    chapter_server.restart()
    assert chapter_server.url == url
    assert chapter_server.database_url == server_database_url
    again = chapter_server.health()
    assert (again["ok"], again["protocol_version"]) == (True, health["protocol_version"])


@needs_server
def test_server_takes_the_test_hooks(start_server: StartServer, tmp_path: Path) -> None:
    """The contract's knobs for retention and clock tests reach a running server."""
    server = start_server(
        f"sqlite:///{tmp_path / 'server.db'}",
        extra_args=["--retention-days", "30"],
        env={"CHAPTERDESK_SERVER_CLOCK_OFFSET_MS": "0"},
    )
    assert server.health()["ok"] is True


def test_a_server_that_exits_fails_the_start_with_its_log(
    start_server: StartServer, tmp_path: Path
) -> None:
    exits = [sys.executable, "-c", "import sys; print('cannot open the database'); sys.exit(3)"]
    with pytest.raises(ServerStartError, match="code 3") as failure:
        start_server(f"sqlite:///{tmp_path / 'x.db'}", command=exits)
    assert "cannot open the database" in str(failure.value)


def test_postgres_url_keeps_the_admin_credentials() -> None:
    admin = "postgresql://chapterdesk:p%40ss@127.0.0.1:5432/postgres?connect_timeout=3"
    assert pg.sqlalchemy_url("chapterdesk_test_1_ab", admin) == (
        "postgresql+psycopg://chapterdesk:p%40ss@127.0.0.1:5432/chapterdesk_test_1_ab"
        "?connect_timeout=3"
    )


def test_no_postgres_skips_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(pg.PG_URL_ENV, raising=False)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=pg.PG_URL_ENV):
        pg.create_database()


def test_no_postgres_fails_on_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.delenv(pg.PG_URL_ENV, raising=False)
    with pytest.raises(pytest.fail.Exception, match="required on CI"):
        pg.create_database()
    # Set but nothing listening (port 1 on loopback refuses at once): fails all the same.
    monkeypatch.setenv(pg.PG_URL_ENV, "postgresql://nobody:x@127.0.0.1:1/postgres")
    with pytest.raises(pytest.fail.Exception, match="cannot connect"):
        pg.create_database()
