"""PostgreSQL for tests: a fresh, uniquely named database per test on a server given by
``CHAPTERDESK_TEST_PG_URL`` (an admin URL such as
``postgresql://chapterdesk:chapterdesk@127.0.0.1:5432/postgres``; ``.ci/postgres.sh`` starts
one). Without it the PostgreSQL half of a test is skipped — except under ``CI=true``, where a
missing server must fail the run rather than quietly halve the coverage."""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql
from psycopg.rows import TupleRow

PG_URL_ENV = "CHAPTERDESK_TEST_PG_URL"
DATABASE_PREFIX = "chapterdesk_test_"
CONNECT_TIMEOUT_S = 5

# One verdict per admin URL and process: an unreachable server costs one timeout, not one per
# test. Values are the reason it is unusable, or None when it answered.
_reachability: dict[str, str | None] = {}
_swept: set[str] = set()


def in_ci() -> bool:
    """True on CI (``CI=true``), where PostgreSQL is required rather than optional."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def unavailable(reason: str) -> NoReturn:
    """Skip the test — or fail it on CI, where the server must be there."""
    if in_ci():
        pytest.fail(f"PostgreSQL is required on CI: {reason}", pytrace=False)
    pytest.skip(f"no PostgreSQL: {reason}")


def admin_url() -> str:
    """The libpq admin URL from the environment; skips (fails on CI) when it is not set."""
    url = os.environ.get(PG_URL_ENV, "").strip()
    if not url:
        unavailable(f"{PG_URL_ENV} is not set (bash .ci/postgres.sh starts a server and says it)")
    # Accept a SQLAlchemy spelling too: libpq only knows postgresql:// and postgres://.
    return re.sub(r"^postgres(?:ql)?\+\w+://", "postgresql://", url)


def sqlalchemy_url(database: str, admin: str | None = None) -> str:
    """The ``postgresql+psycopg://`` URL of ``database`` on the admin URL's server, with the
    same credentials and options."""
    parts = urlsplit(admin if admin is not None else admin_url())
    return urlunsplit(("postgresql+psycopg", parts.netloc, f"/{database}", parts.query, ""))


def _connect(admin: str) -> psycopg.Connection[TupleRow]:
    """An autocommit admin connection: CREATE/DROP DATABASE cannot run in a transaction."""
    return psycopg.connect(admin, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)


def _check_reachable(admin: str) -> None:
    if admin not in _reachability:
        try:
            with _connect(admin) as conn:
                conn.execute("SELECT 1")
            _reachability[admin] = None
        except psycopg.Error as exc:
            _reachability[admin] = f"cannot connect with {PG_URL_ENV}: {exc}".strip()
    reason = _reachability[admin]
    if reason is not None:
        unavailable(reason)


def _sweep_orphans(conn: psycopg.Connection[TupleRow]) -> None:
    """Drop databases left by earlier test runs that were killed before their teardown: the
    name carries the creating process's id, and a database whose process is gone is garbage.
    (The server is on loopback, so those processes were on this machine.)"""
    rows = conn.execute(
        "SELECT datname FROM pg_database WHERE datname LIKE %s",
        (DATABASE_PREFIX.replace("_", r"\_") + "%",),
    ).fetchall()
    for (name,) in rows:
        match = re.fullmatch(re.escape(DATABASE_PREFIX) + r"(\d+)_[0-9a-f]+", str(name))
        if match is None or int(match.group(1)) == os.getpid() or _pid_alive(int(match.group(1))):
            continue
        # Another sweeper got there first, or it is still in use: not ours to fight over.
        with contextlib.suppress(psycopg.Error):
            drop_on(conn, str(name))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def drop_on(conn: psycopg.Connection[TupleRow], name: str) -> None:
    """Drop ``name`` even while a crashed or still-running server is connected to it.

    WITH (FORCE) ends those sessions; a role without ``pg_signal_backend`` may not end an
    autovacuum worker that happens to be in the database, so then a plain DROP (which cancels
    autovacuum itself and waits for it) is tried."""
    target = sql.Identifier(name)
    try:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(target))
    except psycopg.errors.InsufficientPrivilege:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(target))


def create_database(*, locale: str = "C") -> str:
    """Create a fresh empty database and return its name.

    It is made from ``template0`` with UTF-8 encoding and the given collation and ctype, so
    every machine sorts and compares text alike whatever locale its cluster was created with
    (a cluster made in a bare container is otherwise SQL_ASCII). ``C`` orders by code point,
    as SQLite's default BINARY collation does, so both backends answer the same."""
    admin = admin_url()
    _check_reachable(admin)
    name = f"{DATABASE_PREFIX}{os.getpid()}_{uuid.uuid4().hex[:12]}"
    try:
        with _connect(admin) as conn:
            if admin not in _swept:
                _swept.add(admin)
                _sweep_orphans(conn)
            conn.execute(
                sql.SQL(
                    "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'"
                    " LC_COLLATE {} LC_CTYPE {}"
                ).format(sql.Identifier(name), sql.Literal(locale), sql.Literal(locale))
            )
    except psycopg.Error as exc:
        unavailable(f"cannot create a database with {PG_URL_ENV}: {exc}".strip())
    return name


def drop_database(name: str) -> None:
    """Drop a database made by :func:`create_database`, ending any sessions still on it."""
    with _connect(admin_url()) as conn:
        drop_on(conn, name)


@contextmanager
def fresh_database(*, locale: str = "C") -> Iterator[str]:
    """A new database's SQLAlchemy URL for the duration of the block; dropped afterwards."""
    name = create_database(locale=locale)
    try:
        yield sqlalchemy_url(name)
    finally:
        drop_database(name)
