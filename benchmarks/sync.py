"""Sync benchmark: initial sync, incremental sync and a loopback load run against a real
chapter server (``python -m chapterdesk.server serve --demo``).

Starts a server on a SQLite file seeded with the demo chapters (``--demo-people N``), then
measures, each next to a baseline:

1. initial sync of every demo chapter into an empty laptop store as the demo leader, in a child
   process (wall time and the child's peak RSS, ``ru_maxrss``); baseline: the same table rows
   copied with a raw ``executemany`` from the server's file into a plain SQLite file with the
   laptop's schema, in another child process;
2. incremental sync: 1,000 ``job_title`` edits made through the ORM on that laptop, pushed by
   one ``sync_once()``, then pulled by a second laptop's ``sync_once()``; baseline: the same
   1,000 updates as a raw ``executemany`` on the plain SQLite copy;
3. a load run: 100 simulated laptops (asyncio + httpx, each with its own device token) pulling
   ``GET /v1/changes`` for their chapter every 5 s for 60 s and pushing one field edit every
   third round, on SQLite and then on PostgreSQL; p50/p99 latency and errors; baseline: the
   latency of ``GET /v1/health`` probed twice a second during the same run.

Run from the project root::

    uv run python benchmarks/sync.py                     # 100,000 people, 100 laptops × 60 s
    uv run python benchmarks/sync.py --quick             # 5,000 people, 20 laptops × 10 s
    uv run python benchmarks/sync.py --skip-postgres     # the load run on SQLite only

See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import keyring

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # for tests.server_process

from tests.memory_keyring import MemoryKeyring, install_memory_keyring  # noqa: E402

LOGIN = "alex@chapterdesk.example"  # the demo leader of every chapter (DEMO_ACCOUNTS)
PASSWORD = "chapter-demo"  # DEMO_PASSWORD
PROTOCOL_HEADER = "X-ChapterDesk-Protocol"
PROTOCOL_VERSION = 1
DEFAULT_PG_URL = "postgresql://chapterdesk:chapterdesk@127.0.0.1:5432/postgres"
PG_URL_ENV = "CHAPTERDESK_TEST_PG_URL"

AIM_INITIAL_RATIO = 3.0  # initial sync within 3× the raw bulk insert
AIM_INCREMENTAL_S = 1.0  # push of 1,000 changes, and their pull, each under 1 s
AIM_P99_MS = 300.0  # load run: p99 of the sync requests
SERVER_ERROR_LINE = "Exception in ASGI application"  # uvicorn's line for an unhandled 500
MAX_SYNC_RETRIES = 5  # a round that fails (server error) is retried, as the app's scheduler does


# ------------------------------------------------------------------------------ keyring


# ------------------------------------------------------------------------------ figures


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (the value q% of the samples do not exceed)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def maxrss_mb() -> float:
    """Peak resident set size of this process so far (``ru_maxrss``: KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


@dataclass(frozen=True)
class Figure:
    """One line of the summary: a measured value, its baseline and the aim (if any)."""

    label: str
    value: float
    baseline: float | None
    unit: str
    aim: str = ""  # what is aimed at, as shown
    met: bool | None = None  # None: information only
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None

    @property
    def verdict(self) -> str:
        if self.met is None:
            return "info"
        return "met" if self.met else "NOT met"


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "":
        return f"{value:.0f}"
    return f"{value:.3f} {unit}" if value < 10 else f"{value:.1f} {unit}"


def print_summary(figures: Sequence[Figure], header: str) -> None:
    print()
    print("=" * 110)
    print(f"SUMMARY — {header}")
    width = max(len(f.label) for f in figures)
    print(f"  {'figure':<{width}}  {'value':>11}  {'baseline':>11}  {'ratio':>8}  aim")
    for f in figures:
        ratio = f"×{f.ratio:.2f}" if f.ratio is not None else "—"
        aim = f"{f.aim}: {f.verdict}" if f.met is not None else "info"
        note = f"  ({f.note})" if f.note else ""
        print(
            f"  {f.label:<{width}}  {fmt(f.value, f.unit):>11}  {fmt(f.baseline, f.unit):>11}  "
            f"{ratio:>8}  {aim}{note}"
        )
    missed = [f.label for f in figures if f.met is False]
    print("all aims met" if not missed else f"aims NOT met: {', '.join(missed)}")
    print("=" * 110)


# ------------------------------------------------------------------------------ laptops


def timed_client_factory(times: dict[str, list[float]]) -> Callable[[str, str | None], Any]:
    """A ``SyncEngine`` client factory whose clients note how long each HTTP call took, by
    path, so a round splits into waiting for the server and work on the laptop."""
    from chapterdesk.sync.client import ServerClient

    class TimedClient(ServerClient):
        def request(self, method: str, path: str, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return super().request(method, path, **kwargs)
            finally:
                times.setdefault(path, []).append(time.perf_counter() - started)

    return lambda url, token: TimedClient(url, token)


def http_seconds(times: dict[str, list[float]]) -> float:
    return sum(sum(v) for v in times.values())


def http_calls(times: dict[str, list[float]]) -> str:
    return ", ".join(f"{path} ×{len(v)} {sum(v):.2f} s" for path, v in sorted(times.items()))


def sync_with_retries(engine: Any) -> tuple[Any, list[str]]:
    """``engine.sync_once()``; a round the server breaks off (HTTP 5xx, cut connection) is run
    again, as the app's scheduler does (the snapshot resumes where it stopped). Returns the
    report and the errors that caused a retry."""
    from chapterdesk.sync.errors import ServerUnreachable

    errors: list[str] = []
    while True:
        try:
            return engine.sync_once(), errors
        except ServerUnreachable as exc:
            errors.append(str(exc))
            if len(errors) > MAX_SYNC_RETRIES:
                raise


def received_tables() -> list[str]:
    """The tables a leader's laptop receives, parents first (``RECEIVES[Role.LEADER]``)."""
    from chapterdesk.domain.enums import Role
    from chapterdesk.sync.entities import ORDER, RECEIVES

    return [t for t in ORDER if t in RECEIVES[Role.LEADER]]


def count_rows(conn: Any, tables: Sequence[str]) -> dict[str, int]:
    return {t: int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables}


# ------------------------------------------------------------------------------ children


def child_initial(args: argparse.Namespace) -> dict[str, Any]:
    """Part 1, in a fresh process: an empty store, sign in, one initial sync. Hands the
    store's secrets back on stdout (a pipe) so the parent can keep using this laptop."""
    backend = install_memory_keyring()
    from chapterdesk.paths import prepare_data_dir
    from chapterdesk.store.database import open_store
    from chapterdesk.sync.engine import SyncEngine

    store = open_store(prepare_data_dir(Path(args.folder)), allow_plaintext=True)
    times: dict[str, list[float]] = {}
    engine = SyncEngine(store, client_factory=timed_client_factory(times))
    engine.connect(args.url, LOGIN, PASSWORD, "benchmark laptop A")
    before = maxrss_mb()
    started = time.perf_counter()
    report, retries = sync_with_retries(engine)
    wall = time.perf_counter() - started
    peak = maxrss_mb()
    raw = store.engine.raw_connection()
    try:
        rows = count_rows(raw.driver_connection, received_tables())
    finally:
        raw.close()
    encrypted = store.encrypted
    store.close()
    return {
        "wall": wall,
        "http": http_seconds(times),
        "calls": http_calls(times),
        "pulled": report.pulled,
        "rows": rows,
        "retries": retries,
        "rss_before": before,
        "rss_peak": peak,
        "encrypted": encrypted,
        "keyring": [[s, u, p] for (s, u), p in backend.secrets.items()],
    }


def child_baseline(args: argparse.Namespace) -> dict[str, Any]:
    """Part 1's baseline, in a fresh process: a store with the laptop's schema (plain SQLite,
    or keyed SQLCipher with ``--encrypted``), then every row a leader receives copied from the
    server's SQLite file with one ``executemany`` per table in one transaction."""
    if args.encrypted:
        install_memory_keyring()
    else:
        from keyring.backends import fail

        keyring.set_keyring(fail.Keyring())  # no keyring: a plaintext store
    from chapterdesk.paths import prepare_data_dir
    from chapterdesk.store.database import open_store

    store = open_store(prepare_data_dir(Path(args.folder)), allow_plaintext=True)
    assert store.encrypted == bool(args.encrypted), "the baseline store is not as asked"
    raw: Any = None
    database = store.paths.database
    if args.encrypted:
        raw = store.engine.raw_connection()  # sqlcipher3, keyed, the store's PRAGMAs
        dst = raw.driver_connection
    else:
        store.close()
        dst = sqlite3.connect(database)
        dst.execute("PRAGMA foreign_keys = ON")
        dst.execute("PRAGMA journal_mode = WAL")
        dst.execute("PRAGMA synchronous = NORMAL")
    dst.isolation_level = None
    src = sqlite3.connect(f"file:{args.source}?mode=ro", uri=True)
    tables = received_tables()
    statements = []
    for table in tables:
        have = {r[1] for r in src.execute(f'PRAGMA table_info("{table}")')}
        cols = [r[1] for r in dst.execute(f'PRAGMA table_info("{table}")') if r[1] in have]
        names = ", ".join(f'"{c}"' for c in cols)
        statements.append(
            (
                f'SELECT {names} FROM "{table}"',
                f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(cols))})',
            )
        )
    started = time.perf_counter()
    for select_sql, _insert in statements:  # reading alone (and the file into the OS cache)
        for _row in src.execute(select_sql):
            pass
    read = time.perf_counter() - started
    before = maxrss_mb()
    started = time.perf_counter()
    dst.execute("BEGIN")
    dst.execute("PRAGMA defer_foreign_keys = ON")  # escorts and undos name rows of their table
    for select_sql, insert_sql in statements:
        dst.executemany(insert_sql, src.execute(select_sql))
    dst.execute("COMMIT")
    wall = time.perf_counter() - started
    peak = maxrss_mb()
    rows = count_rows(dst, tables)
    if raw is not None:
        raw.close()
        store.close()
    else:
        dst.close()
    src.close()
    return {
        "wall": wall,
        "read": read,
        "rows": rows,
        "rss_before": before,
        "rss_peak": peak,
        "database": str(database),
    }


def run_child(mode: str, **options: str | bool) -> dict[str, Any]:
    """Run this script as ``--child MODE`` and return the JSON it prints last."""
    argv = [sys.executable, str(Path(__file__).resolve()), "--child", mode]
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        if value is True:
            argv.append(flag)
        elif value is not False:
            argv += [flag, str(value)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("RESULT "):
            result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
            return result
    raise RuntimeError(
        f"child {mode} failed (exit {done.returncode}):\n{done.stdout[-3000:]}"
        f"\n{done.stderr[-6000:]}"
    )


# ------------------------------------------------------------------------------ servers


def start_server(database_url: str, people: int, log_dir: Path, timeout: float) -> Any:
    """A ``chapterdesk.server serve --demo`` child (tests/server_process.py), seeded."""
    from tests.server_process import ServerProcess

    server = ServerProcess(
        database_url,
        extra_args=["--demo", "--demo-people", str(people)],
        log_dir=log_dir,
        startup_timeout=timeout,
    )
    started = time.perf_counter()
    server.start()
    seeded = [line for line in server.log_text().splitlines() if line.startswith("demo:")]
    print(
        f"  server {server.url} up in {time.perf_counter() - started:.1f} s "
        f"(migrations + demo seed + adoption into the change log)"
        + (f"\n  {seeded[-1]}" if seeded else "")
    )
    return server


def server_errors(server: Any) -> int:
    return server.log_text().count(SERVER_ERROR_LINE)


def server_error_summary(server: Any, since: int) -> list[str]:
    """The last line of each unhandled error's traceback after the ``since``-th one."""
    lines = server.log_text().splitlines()
    out: list[str] = []
    seen = 0
    in_trace = False
    for i, line in enumerate(lines):
        if SERVER_ERROR_LINE in line:
            seen += 1
            in_trace = seen > since
            continue
        if in_trace and re.match(r"^[A-Za-z_.]+(Error|Exception)\b", line):
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            out.append(f"{line.strip()} {nxt.strip()}"[:200])
            in_trace = False
    return out


def admin_url(url: str) -> str:
    """libpq spelling of an admin URL given either way (``postgresql+psycopg://`` too)."""
    return re.sub(r"^postgres(?:ql)?\+\w+://", "postgresql://", url)


@contextmanager
def postgres_database(url: str) -> Iterator[str]:
    """A fresh PostgreSQL database (UTF-8, C collation, as tests/pg.py makes them); yields its
    SQLAlchemy URL and drops it afterwards."""
    import psycopg
    from psycopg import sql

    admin = admin_url(url)
    name = f"chapterdesk_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(
            sql.SQL(
                "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
            ).format(sql.Identifier(name))
        )
    parts = urlsplit(admin)
    try:
        yield urlunsplit(("postgresql+psycopg", parts.netloc, f"/{name}", parts.query, ""))
    finally:
        from tests.pg import drop_on

        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            drop_on(conn, name)


# ------------------------------------------------------------------------------ part 1


@dataclass
class Part1:
    figures: list[Figure]
    laptop_folder: Path
    secrets: list[list[str]]
    plain_copy: Path


def part_initial(server: Any, server_file: Path, folder: Path, people: int) -> Part1:
    print("\n1. initial sync of every demo chapter into an empty laptop store", flush=True)
    laptop = folder / "laptop-a"
    sync = run_child("initial", url=server.url, folder=str(laptop))
    rows = sum(sync["rows"].values())
    print(
        f"  laptop ({'SQLCipher, key in a memory keyring' if sync['encrypted'] else 'plain'}): "
        f"{sync['pulled']:,} rows pulled, {rows:,} rows held in {len(sync['rows'])} tables, "
        f"in {sync['wall']:.2f} s"
    )
    print(
        f"    waiting for the server {sync['http']:.2f} s, on the laptop "
        f"{sync['wall'] - sync['http']:.2f} s ({sync['calls']})"
    )
    if sync["retries"]:
        print(f"    RETRIED {len(sync['retries'])} time(s) after: {sync['retries'][0]}")
    print(
        f"    peak RSS of the laptop process (ru_maxrss): {sync['rss_peak']:.0f} MB "
        f"(before the sync, after imports, store and sign-in: {sync['rss_before']:.0f} MB)"
    )
    plain_folder = folder / "baseline-plain"
    base = run_child("baseline", folder=str(plain_folder), source=str(server_file))
    base_rows = sum(base["rows"].values())
    print(
        f"  baseline, raw executemany into a plain SQLite file (laptop schema, one transaction, "
        f"read from the server's file as it goes): {base_rows:,} rows in {base['wall']:.2f} s"
        f" (reading alone {base['read']:.2f} s); peak RSS {base['rss_peak']:.0f} MB"
    )
    differ = {t: (n, base["rows"].get(t)) for t, n in sync["rows"].items() if n != base["rows"][t]}
    if differ:
        print(f"  note: row counts differ (laptop, baseline): {differ}")
    cipher = run_child(
        "baseline", folder=str(folder / "baseline-cipher"), source=str(server_file), encrypted=True
    )
    print(
        f"  the same into a SQLCipher file keyed like the laptop's: {cipher['wall']:.2f} s "
        f"(×{sync['wall'] / cipher['wall']:.1f} for the sync)"
    )
    ratio = sync["wall"] / base["wall"]
    figures = [
        Figure(
            f"initial sync, {rows:,} rows",
            sync["wall"],
            base["wall"],
            "s",
            f"≤ ×{AIM_INITIAL_RATIO:g} raw insert",
            ratio <= AIM_INITIAL_RATIO,
            f"{len(sync['retries'])} retries" if sync["retries"] else "",
        ),
        Figure(
            "initial sync, peak RSS (ru_maxrss)",
            sync["rss_peak"],
            base["rss_peak"],
            "MB",
            note="child processes",
        ),
    ]
    secrets = sync["keyring"]
    return Part1(figures, laptop, secrets, Path(base["database"]))


# ------------------------------------------------------------------------------ part 2


def part_incremental(
    server: Any, part1: Part1, folder: Path, edits: int, memory: MemoryKeyring
) -> list[Figure]:
    from sqlalchemy import func, select

    from chapterdesk.paths import prepare_data_dir
    from chapterdesk.store.database import open_store
    from chapterdesk.store.models import OutboxEntry, Person
    from chapterdesk.sync.engine import SyncEngine

    print(f"\n2. incremental sync of {edits:,} edits", flush=True)
    for service, user, secret in part1.secrets:  # laptop A: part 1's store and device token
        memory.set_password(service, user, secret)
    a_paths = prepare_data_dir(part1.laptop_folder)
    a = open_store(a_paths, allow_plaintext=True)
    b = open_store(prepare_data_dir(folder / "laptop-b" / "data"), allow_plaintext=True)
    try:
        a_times: dict[str, list[float]] = {}
        b_times: dict[str, list[float]] = {}
        a_sync = SyncEngine(a, client_factory=timed_client_factory(a_times))
        b_sync = SyncEngine(b, client_factory=timed_client_factory(b_times))
        b_sync.connect(server.url, LOGIN, PASSWORD, "benchmark laptop B")
        started = time.perf_counter()
        report, retries = sync_with_retries(b_sync)
        print(
            f"  laptop B: initial sync in this process, {report.pulled:,} rows in "
            f"{time.perf_counter() - started:.1f} s"
            + (f" ({len(retries)} retries: {retries[0]})" if retries else "")
        )
        b_times.clear()

        with a.session() as s:  # the chapter with the most people (Ottawa, the home chapter)
            chapter = s.execute(
                select(Person.chapter_id)
                .group_by(Person.chapter_id)
                .order_by(func.count().desc())
                .limit(1)
            ).scalar_one()
        tag = uuid.uuid4().hex[:6]
        started = time.perf_counter()
        with a.session() as s:
            people = s.scalars(
                select(Person)
                .where(Person.chapter_id == chapter, Person.deleted.is_(False))
                .order_by(Person.id)
                .limit(edits)
            ).all()
            for i, person in enumerate(people):
                person.job_title = f"Benchmark title {tag} {i}"
        edit_s = time.perf_counter() - started
        changed = [(p.id, p.job_title, p.updated_at) for p in people]
        with a.session() as s:
            queued = s.scalar(
                select(func.count()).select_from(OutboxEntry).where(OutboxEntry.sent_at.is_(None))
            )
        print(
            f"  laptop A: {len(changed):,} job titles changed through the ORM in one session "
            f"in {edit_s:.2f} s; {queued:,} changes queued in the outbox"
        )

        started = time.perf_counter()
        pushed, push_retries = sync_with_retries(a_sync)
        push_s = time.perf_counter() - started
        print(
            f"  laptop A sync_once (push + its pull): {push_s:.3f} s — pushed {pushed.pushed:,} "
            f"(applied {pushed.applied:,}, merged {pushed.merged}, rejected {pushed.rejected}), "
            f"pulled {pushed.pulled:,}" + (f"; {len(push_retries)} retries" if push_retries else "")
        )
        print(
            f"    waiting for the server {http_seconds(a_times):.3f} s "
            f"({http_calls(a_times)}); on the laptop {push_s - http_seconds(a_times):.3f} s"
        )

        started = time.perf_counter()
        pulled, pull_retries = sync_with_retries(b_sync)
        pull_s = time.perf_counter() - started
        with b.session() as s:
            arrived = s.scalar(
                select(func.count())
                .select_from(Person)
                .where(Person.job_title.like(f"Benchmark title {tag} %"))
            )
        print(
            f"  laptop B sync_once (pull): {pull_s:.3f} s — pulled {pulled.pulled:,} rows; "
            f"{arrived:,} of the {len(changed):,} new titles on B"
            + (f"; {len(pull_retries)} retries" if pull_retries else "")
        )
        print(
            f"    waiting for the server {http_seconds(b_times):.3f} s "
            f"({http_calls(b_times)}); on the laptop {pull_s - http_seconds(b_times):.3f} s"
        )
    finally:
        a.close()
        b.close()

    conn = sqlite3.connect(part1.plain_copy, isolation_level=None)
    conn.execute("PRAGMA synchronous = NORMAL")
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(
        "UPDATE people SET job_title = ?, updated_at = ? WHERE id = ?",
        [(title, stamp, pid) for pid, title, stamp in changed],
    )
    conn.execute("COMMIT")
    raw_s = time.perf_counter() - started
    conn.close()
    print(
        f"  baseline: the same {len(changed):,} updates as a raw executemany on the plain "
        f"SQLite copy: {raw_s * 1000:.1f} ms"
    )
    ok_push = pushed.applied + pushed.merged == len(changed) and not push_retries
    ok_pull = arrived == len(changed) and not pull_retries
    return [
        Figure(
            f"push {len(changed):,} edits (A sync_once)",
            push_s,
            raw_s,
            "s",
            f"< {AIM_INCREMENTAL_S:g} s",
            push_s < AIM_INCREMENTAL_S and ok_push,
            "" if ok_push else "not every change applied",
        ),
        Figure(
            f"pull {len(changed):,} changes (B sync_once)",
            pull_s,
            raw_s,
            "s",
            f"< {AIM_INCREMENTAL_S:g} s",
            pull_s < AIM_INCREMENTAL_S and ok_pull,
            "" if ok_pull else "not every change arrived",
        ),
    ]


# ------------------------------------------------------------------------------ part 3


@dataclass
class SimLaptop:
    """One simulated laptop of the load run: its device token, chapter and cursor."""

    index: int
    token: str
    device_id: str
    chapter: str
    offset: float
    clock: Any
    people: list[list[str]]  # [person id, base stamp] it edits in turn
    cursor: int = 0
    seq: int = 0


@dataclass
class LoadResult:
    pulls: list[float] = field(default_factory=list)  # seconds per GET /v1/changes
    pushes: list[float] = field(default_factory=list)  # seconds per POST /v1/mutations
    health: list[float] = field(default_factory=list)  # seconds per GET /v1/health (probe)
    errors: list[str] = field(default_factory=list)
    changes: int = 0
    applied: int = 0
    merged: int = 0

    @property
    def sync(self) -> list[float]:
        return self.pulls + self.pushes


def people_by_chapter(database_url: str) -> dict[str, list[list[str]]]:
    """Every live person of the server's database, by chapter, with the stamp of the row
    (``updated_at``: no field of it is newer), read behind the server's back."""
    from sqlalchemy import create_engine, select

    from chapterdesk.store.models import Person

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(Person.chapter_id, Person.id, Person.updated_at)
                .where(Person.deleted.is_(False))
                .order_by(Person.id)
            ).all()
    finally:
        engine.dispose()
    out: dict[str, list[list[str]]] = {}
    for chapter, pid, stamp in rows:
        out.setdefault(chapter, []).append([pid, stamp])
    return out


async def sign_in_laptops(
    url: str,
    count: int,
    interval: float,
    pool: dict[str, list[list[str]]],
    rng: random.Random,
    setup_errors: list[str],
) -> list[SimLaptop]:
    """``count`` sign-ins (one device token each), one at a time; laptop i works in chapter
    i mod n and takes its own share of that chapter's people to edit. Sign-ins the server
    breaks off are retried and noted in ``setup_errors``."""
    import httpx

    from chapterdesk.hlc import HybridLogicalClock

    gate = asyncio.Semaphore(1)  # see the README: concurrent sign-ins break on SQLite
    headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
    async with httpx.AsyncClient(base_url=url, headers=headers, trust_env=False) as client:

        async def one(i: int) -> dict[str, Any]:
            async with gate:
                for attempt in range(1, 6):  # setup, not measured: a refused sign-in is retried
                    try:
                        response = await client.post(
                            "/v1/devices",
                            json={"login": LOGIN, "password": PASSWORD, "device_name": f"sim {i}"},
                            timeout=60,
                        )
                    except httpx.TransportError as exc:
                        setup_errors.append(f"{type(exc).__name__}: {exc}")
                        continue
                    if response.status_code >= 500 and attempt < 5:
                        setup_errors.append(f"HTTP {response.status_code} {response.text[:80]}")
                        continue
                    response.raise_for_status()
                    answer: dict[str, Any] = response.json()
                    return answer
                raise RuntimeError(f"sign-in {i} failed: {setup_errors[-5:]}")

        answers = await asyncio.gather(*(one(i) for i in range(count)))
        chapters = [c["id"] for c in answers[0]["chapters"] if c["id"] in pool]
        shuffled = {c: rng.sample(pool[c], len(pool[c])) for c in chapters}
        sharing = {
            c: sum(1 for i in range(count) if chapters[i % len(chapters)] == c) for c in chapters
        }
        laptops = []
        for i, answer in enumerate(answers):
            chapter = chapters[i % len(chapters)]
            share = len(shuffled[chapter]) // sharing[chapter]
            k = i // len(chapters)
            device = uuid.uuid4().hex  # a laptop store's device id: the device part of its stamps
            laptops.append(
                SimLaptop(
                    index=i,
                    token=answer["token"],
                    device_id=device,
                    chapter=chapter,
                    offset=rng.uniform(0, interval),
                    clock=HybridLogicalClock(device),
                    people=shuffled[chapter][k * share : (k + 1) * share],
                )
            )
        for lp in laptops:  # start where a laptop that just synced would: at the log's end
            response = await client.get(
                "/v1/changes",
                params={"chapter": lp.chapter, "since": 0, "limit": 1},
                headers={"Authorization": f"Bearer {lp.token}"},
            )
            response.raise_for_status()
            lp.cursor = int(response.json()["last_seq"])
    return laptops


async def load_run(
    url: str, laptops: Sequence[SimLaptop], duration: float, interval: float, push_every: int
) -> LoadResult:
    """Every laptop, from its own offset in the first interval, every ``interval`` seconds
    until ``duration`` is over: one field edit pushed every ``push_every``-th round (staggered),
    then ``GET /v1/changes`` from its cursor until ``has_more`` is false. A probe asks
    ``/v1/health`` twice a second meanwhile. Each round opens a new connection, as the app does."""
    import httpx

    result = LoadResult()
    loop = asyncio.get_running_loop()

    def failed(what: str, detail: str) -> None:
        result.errors.append(f"{what}: {detail}"[:300])

    async def timed(client: httpx.AsyncClient, method: str, path: str, **kw: Any) -> Any:
        started = time.perf_counter()
        try:
            response = await client.request(method, path, **kw)
        finally:
            elapsed = time.perf_counter() - started
        return response, elapsed

    async def push(client: httpx.AsyncClient, lp: SimLaptop) -> None:
        if not lp.people:
            return
        person = lp.people[lp.seq % len(lp.people)]
        lp.seq += 1
        stamp = lp.clock.now().encode()
        mutation = {
            "mutation_id": f"{lp.device_id}:{lp.seq}",
            "device_seq": lp.seq,
            "chapter_id": lp.chapter,
            "entity": "people",
            "id": person[0],
            "patch": {"job_title": [f"Load test {lp.index}.{lp.seq}", stamp, person[1]]},
        }
        try:
            response, elapsed = await timed(
                client, "POST", "/v1/mutations", json={"mutations": [mutation]}
            )
        except httpx.HTTPError as exc:
            failed("POST /v1/mutations", f"{type(exc).__name__}: {exc}")
            return
        result.pushes.append(elapsed)
        if response.status_code != 200:
            failed("POST /v1/mutations", f"HTTP {response.status_code} {response.text[:120]}")
            return
        status = response.json()["results"][0].get("status")
        if status == "applied":
            result.applied += 1
            person[1] = stamp
        elif status == "merged":
            result.merged += 1
            person[1] = stamp
        else:
            failed("mutation", json.dumps(response.json()["results"][0])[:200])

    async def pull(client: httpx.AsyncClient, lp: SimLaptop) -> None:
        while True:
            params = {"chapter": lp.chapter, "since": lp.cursor, "limit": 1000}
            try:
                response, elapsed = await timed(client, "GET", "/v1/changes", params=params)
            except httpx.HTTPError as exc:
                failed("GET /v1/changes", f"{type(exc).__name__}: {exc}")
                return
            result.pulls.append(elapsed)
            if response.status_code != 200:
                failed("GET /v1/changes", f"HTTP {response.status_code} {response.text[:120]}")
                return
            page = response.json()
            result.changes += len(page["changes"])
            lp.cursor = int(page["next_cursor"])
            if not page["has_more"]:
                return

    # Idle connections are dropped after 1 s, so each round opens a new one (SyncEngine.sync_once
    # opens a new client every round) and a request never meets uvicorn closing an idle one (5 s).
    limits = httpx.Limits(max_connections=2, keepalive_expiry=1.0)

    def client_for(lp: SimLaptop | None) -> httpx.AsyncClient:
        headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
        if lp is not None:
            headers["Authorization"] = f"Bearer {lp.token}"
        return httpx.AsyncClient(
            base_url=url, headers=headers, timeout=30, limits=limits, trust_env=False
        )

    # Every client is made before the clock starts: making one blocks the event loop for
    # milliseconds, which would show as other laptops' latency.
    clients = {lp.index: client_for(lp) for lp in laptops}
    probe_client = client_for(None)
    t0 = loop.time() + 0.2
    end = t0 + duration

    async def laptop(lp: SimLaptop) -> None:
        async with clients[lp.index] as client:
            k = 0
            while (at := t0 + lp.offset + k * interval) < end:
                await asyncio.sleep(max(0.0, at - loop.time()))
                if push_every and k % push_every == lp.index % push_every:
                    await push(client, lp)
                await pull(client, lp)
                k += 1

    async def probe() -> None:
        async with probe_client as client:
            k = 0
            while (at := t0 + k * 0.5) < end:
                await asyncio.sleep(max(0.0, at - loop.time()))
                try:
                    response, elapsed = await timed(client, "GET", "/v1/health")
                    result.health.append(elapsed)
                    if response.status_code != 200:
                        failed("GET /v1/health", f"HTTP {response.status_code}")
                except httpx.HTTPError as exc:
                    failed("GET /v1/health", f"{type(exc).__name__}: {exc}")
                k += 1

    await asyncio.gather(probe(), *(laptop(lp) for lp in laptops))
    return result


def part_load(
    server: Any, backend: str, args: argparse.Namespace, rng: random.Random
) -> list[Figure]:
    print(
        f"\n3. load run on {backend}: {args.laptops} laptops, GET /v1/changes every "
        f"{args.interval:g} s for {args.duration:g} s, one edit pushed every "
        f"{args.push_every} rounds",
        flush=True,
    )
    pool = people_by_chapter(server.database_url)
    started = time.perf_counter()
    setup_errors: list[str] = []
    laptops = asyncio.run(
        sign_in_laptops(server.url, args.laptops, args.interval, pool, rng, setup_errors)
    )
    chapters = len({lp.chapter for lp in laptops})
    print(
        f"  {len(laptops)} sign-ins (a device token each, {LOGIN}) over {chapters} chapters "
        f"in {time.perf_counter() - started:.1f} s (one at a time)"
    )
    if setup_errors:
        print(f"  SIGN-IN ERRORS (retried; not counted in the run): {len(setup_errors)}")
        for message in sorted(set(setup_errors))[:3]:
            print(f"    {setup_errors.count(message)}× {message}")
    errors_before = server_errors(server)
    started = time.perf_counter()
    r = asyncio.run(load_run(server.url, laptops, args.duration, args.interval, args.push_every))
    took = time.perf_counter() - started
    logged = server_errors(server) - errors_before

    def line(label: str, values: Sequence[float]) -> str:
        if not values:
            return f"  {label:<22} no requests"
        ms = [v * 1000 for v in values]
        return (
            f"  {label:<22} {len(ms):>5} requests  p50 {percentile(ms, 50):7.1f} ms  "
            f"p99 {percentile(ms, 99):7.1f} ms  max {max(ms):7.1f} ms"
        )

    print(f"  ran {took:.1f} s; {r.changes:,} changes received by the laptops")
    print(line("GET /v1/changes", r.pulls))
    print(line("POST /v1/mutations", r.pushes))
    print(line("all sync requests", r.sync))
    print(line("GET /v1/health (probe)", r.health))
    print(
        f"  edits: {r.applied} applied, {r.merged} merged; errors: {len(r.errors)} seen by the "
        f"laptops, {logged} unhandled exceptions in the server log"
    )
    for message in sorted(set(r.errors))[:5]:
        print(f"    {r.errors.count(message)}× {message}")
    for message in sorted(set(server_error_summary(server, errors_before)))[:5]:
        print(f"    server: {message}")
    if not r.sync:
        return []
    p99 = percentile(r.sync, 99) * 1000
    base = percentile(r.health, 99) * 1000 if r.health else None
    return [
        Figure(
            f"load p50, {backend}",
            percentile(r.sync, 50) * 1000,
            percentile(r.health, 50) * 1000 if r.health else None,
            "ms",
            note="baseline: /v1/health",
        ),
        Figure(
            f"load p99, {backend}",
            p99,
            base,
            "ms",
            f"< {AIM_P99_MS:g} ms",
            p99 < AIM_P99_MS,
            f"{len(r.sync):,} requests",
        ),
        Figure(
            f"load errors, {backend}",
            float(len(r.errors) + logged),
            None,
            "",
            "= 0",
            not r.errors and not logged,
        ),
    ]


# ------------------------------------------------------------------------------ main


def run_postgres(args: argparse.Namespace, folder: Path, rng: random.Random) -> list[Figure]:
    """Part 3 on a server whose database is a fresh PostgreSQL database."""
    import psycopg

    try:
        with psycopg.connect(admin_url(args.pg_url), connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        print(f"\n3. load run on PostgreSQL skipped: cannot connect to {args.pg_url}: {exc}")
        return []
    with postgres_database(args.pg_url) as url:
        print(f"\nstarting a chapter server on PostgreSQL with a {args.people:,}-person demo …")
        server = start_server(url, args.people, folder / "server-pg", args.server_timeout)
        try:
            return part_load(server, "PostgreSQL", args, rng)
        except BaseException:
            print(f"--- server log, last lines:\n{server.log_tail(30)}")
            raise
        finally:
            server.stop()


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Initial sync, incremental sync and a loopback load run against a real "
        "chapter server, each against a baseline."
    )
    parser.add_argument(
        "--people", type=int, default=None, help="people in the demo (default 100000; quick 5000)"
    )
    parser.add_argument(
        "--edits", type=int, default=None, help="edits pushed and pulled (default 1000; quick 200)"
    )
    parser.add_argument(
        "--laptops", type=int, default=None, help="simulated laptops (default 100; quick 20)"
    )
    parser.add_argument(
        "--duration", type=float, default=None, help="load run seconds (default 60; quick 10)"
    )
    parser.add_argument(
        "--interval", type=float, default=5.0, help="seconds between a laptop's pulls (5)"
    )
    parser.add_argument(
        "--push-every", type=int, default=3, help="a laptop pushes one edit every N rounds (3)"
    )
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    parser.add_argument(
        "--load-only", action="store_true", help="only the load runs (part 3), no initial sync"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke test: 5,000 people, 200 edits, 20 laptops for 10 s (under a minute)",
    )
    parser.add_argument(
        "--skip-postgres", action="store_true", help="run the load run on SQLite only"
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get(PG_URL_ENV) or DEFAULT_PG_URL,
        help=f"PostgreSQL admin URL (default ${PG_URL_ENV} or {DEFAULT_PG_URL}); a database is "
        "created for the run and dropped afterwards",
    )
    parser.add_argument(
        "--server-timeout",
        type=float,
        default=900.0,
        help="seconds a server may take to seed its demo and answer (default 900)",
    )
    # Internal: the child processes of part 1.
    parser.add_argument("--child", choices=["initial", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--source", help=argparse.SUPPRESS)
    parser.add_argument("--encrypted", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    defaults = (5000, 200, 20, 10.0) if args.quick else (100_000, 1000, 100, 60.0)
    for name, default in zip(("people", "edits", "laptops", "duration"), defaults, strict=True):
        if getattr(args, name) is None:
            setattr(args, name, default)
    return args


def sandbox(folder: Path) -> None:
    """Nothing the benchmark runs (laptops, servers) touches the user's settings or logs."""
    for var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(folder / var.lower())
    os.environ.pop("CHAPTERDESK_DATA_DIR", None)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.child:
        child = child_initial if args.child == "initial" else child_baseline
        print("RESULT " + json.dumps(child(args)), flush=True)
        return 0
    rng = random.Random(args.seed)
    memory = install_memory_keyring()
    total = time.perf_counter()
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="chapterdesk-sync-bench-") as tmp:
        folder = Path(tmp)
        sandbox(folder)
        server_file = folder / "server.db"
        print(f"starting a chapter server on SQLite with a {args.people:,}-person demo …")
        server = start_server(
            f"sqlite:///{server_file}", args.people, folder / "server-sqlite", args.server_timeout
        )
        try:
            if not args.load_only:
                started = time.perf_counter()
                part1 = part_initial(server, server_file, folder, args.people)
                figures += part1.figures
                print(f"  (part 1 took {time.perf_counter() - started:.0f} s)")
                started = time.perf_counter()
                figures += part_incremental(server, part1, folder, args.edits, memory)
                print(f"  (part 2 took {time.perf_counter() - started:.0f} s)")
            started = time.perf_counter()
            figures += part_load(server, "SQLite", args, rng)
            print(f"  (part 3 on SQLite took {time.perf_counter() - started:.0f} s)")
        except BaseException:
            print(f"--- server log, last lines:\n{server.log_tail(30)}")
            raise
        finally:
            server.stop()
        if not args.skip_postgres:
            started = time.perf_counter()
            figures += run_postgres(args, folder, rng)
            print(f"  (part 3 on PostgreSQL took {time.perf_counter() - started:.0f} s)")
    print_summary(
        figures,
        f"{args.people:,} people; {args.edits:,} edits; {args.laptops} laptops × "
        f"{args.duration:g} s; {time.perf_counter() - total:.0f} s in all",
    )
    return 0 if all(f.met is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
