"""The server's database: engine, schema (its own Alembic history) and sessions that write
the change log by themselves."""

from __future__ import annotations

import contextvars
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from chapterdesk.hlc import HybridLogicalClock
from chapterdesk.server.changelog import log_changes

_WRITING: contextvars.ContextVar[bool] = contextvars.ContextVar("writing", default=False)
MIGRATIONS = Path(__file__).with_name("migrations")
# As many connections as request threads may use at once (anyio's pool runs 40), most of them
# kept: a request should never wait for a connection, nor open one (PostgreSQL's password
# exchange costs more than a pull).
POOL_SIZE, POOL_OVERFLOW = 20, 20
CLOCK_OFFSET_ENV = "CHAPTERDESK_SERVER_CLOCK_OFFSET_MS"  # tests: a server with a wrong clock


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": 30},
            hide_parameters=True,
            pool_size=POOL_SIZE,
            max_overflow=POOL_OVERFLOW,
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            # A writer takes the lock up front (IMMEDIATE), so two writers queue instead of
            # failing with "database is locked" half-way; readers never wait for writers (WAL).
            conn.exec_driver_sql("BEGIN IMMEDIATE" if _WRITING.get() else "BEGIN")

        return engine
    return create_engine(url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW, hide_parameters=True)


def migrate(engine: Engine, target: str = "head", *, down: bool = False) -> None:
    """Bring the server's schema up to ``target`` (or, with ``down``, back to it)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, target)


def server_clock() -> HybridLogicalClock:
    offset = int(os.environ.get(CLOCK_OFFSET_ENV, "0") or 0)
    return HybridLogicalClock("server", lambda: time.time_ns() // 1_000_000 + offset)


class Database:
    """An engine, a clock and sessions whose flushes append to the change log."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.clock = server_clock()
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self.sessions, "before_flush", log_changes)

    @contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        """One transaction; ``write`` takes SQLite's write lock at once (PostgreSQL locks
        rows as it goes)."""
        session = self.sessions(info={"clock": self.clock, "stamps": {}})
        if write:
            flag = _WRITING.set(True)
            try:
                session.connection()
            finally:
                _WRITING.reset(flag)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()
