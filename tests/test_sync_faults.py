"""docs/sync.md scenarios 1, 2, 3, 4 and 12: faults against a real chapter server process, on
SQLite and PostgreSQL (12 on PostgreSQL only).

1. A laptop killed (SIGKILL) after the server committed its push, before it stored the answer:
   the retry replays, and the server holds exactly one row.
2. A laptop killed (SIGKILL) while it applies a pulled page (a snapshot page, a change page):
   nothing half-applied, cursor unchanged, a new sync completes.
3. A network cut mid-response and 502s (through :mod:`tests.fault_proxy`) on the snapshot, the
   change and the push routes: nothing partly applied, cursor unchanged, the push retry replays.
4. Duplicate, concurrent duplicate (409 or a replay) and same-id-other-payload (422) pushes,
   over plain HTTP.
12. Two PostgreSQL transactions in one chapter with pulls between their commits: no seq skipped.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

import chapterdesk.sync.engine as engine_module
from chapterdesk.domain.enums import OrgCategory
from chapterdesk.domain.text import search_key
from chapterdesk.hlc import HybridLogicalClock
from chapterdesk.server.db import Database
from chapterdesk.server.models import (
    ChangeLogEntry,
    ChapterCounter,
    FieldStamps,
    ProcessedMutation,
)
from chapterdesk.store.models import (
    Chapter,
    Community,
    Organisation,
    OutboxEntry,
    Person,
)
from chapterdesk.sync.client import PROTOCOL_HEADER, PROTOCOL_VERSION, ServerClient
from chapterdesk.sync.errors import ServerUnreachable
from tests.conftest import MemoryKeyring, StartServer
from tests.fault_proxy import FaultProxy
from tests.server_process import ServerProcess
from tests.sync_helpers import LEADER, PASSWORD, Laptop, add_leader, empty_laptop, world_laptop

CHILD_TIMEOUT_S = 60.0

# ------------------------------------------------------------------------------- helpers


def replica_rows(s: Session) -> dict[str, dict[str, dict[str, Any]]]:
    """Every replicated row a leader receives, field by field, as wire (JSON) values.

    Also run inside the killed laptop process (its source is sent along), so it imports what
    it needs itself."""
    from sqlalchemy import select

    from chapterdesk.domain.enums import Role
    from chapterdesk.sync.entities import BY_NAME, FIELDS, RECEIVES
    from chapterdesk.sync.wire import to_wire

    out: dict[str, dict[str, dict[str, Any]]] = {}
    for entity in sorted(RECEIVES[Role.LEADER]):
        model: Any = BY_NAME[entity]
        out[entity] = {
            row.id: {f: to_wire(getattr(row, f)) for f in FIELDS[entity]}
            for row in s.scalars(select(model))
        }
    return out


def sync_state(s: Session) -> dict[str, str]:
    """The laptop's pull cursors and snapshot progress (``sync.cursor.*``, ``sync.snapshot.*``)."""
    from sqlalchemy import or_, select

    from chapterdesk.store.models import LocalState

    rows = s.scalars(
        select(LocalState).where(
            or_(LocalState.key.like("sync.cursor.%"), LocalState.key.like("sync.snapshot.%"))
        )
    )
    return {row.key: row.value for row in rows}


def replica(laptop: Laptop) -> dict[str, dict[str, dict[str, Any]]]:
    with laptop.store.session() as s:
        return replica_rows(s)


def state(laptop: Laptop) -> dict[str, str]:
    with laptop.store.session() as s:
        return sync_state(s)


def cursor(laptop: Laptop, chapter: str) -> int | None:
    value = state(laptop).get(f"sync.cursor.{chapter}")
    return None if value is None else int(value)


def assert_same(left: dict[str, Any], right: dict[str, Any]) -> None:
    """Replicas equal, with a readable list of what differs when they are not."""
    diffs = []
    for entity in sorted(set(left) | set(right)):
        lrows, rrows = left.get(entity, {}), right.get(entity, {})
        for row_id in sorted(set(lrows) | set(rrows)):
            if lrows.get(row_id) != rrows.get(row_id):
                diffs.append(f"{entity} {row_id}: {lrows.get(row_id)} != {rrows.get(row_id)}")
    assert not diffs, "\n".join(diffs[:20])


@contextlib.contextmanager
def server_db(url: str) -> Iterator[Session]:
    """A read session straight on the server's database (what the server really holds)."""
    db = Database(url)
    try:
        with db.session() as s:
            yield s
    finally:
        db.close()


def server_facts(url: str, entity_id: str, mutation_ids: list[str]) -> dict[str, Any]:
    """How many organisation rows with ``entity_id``, how many change-log entries and stored
    results per mutation id, and every chapter's last seq."""
    with server_db(url) as s:
        return {
            "rows": s.scalar(
                select(func.count()).select_from(Organisation).where(Organisation.id == entity_id)
            ),
            "logged": {
                m: s.scalar(
                    select(func.count())
                    .select_from(ChangeLogEntry)
                    .where(ChangeLogEntry.mutation_id == m)
                )
                for m in mutation_ids
            },
            "processed": {
                m: s.scalar(
                    select(func.count())
                    .select_from(ProcessedMutation)
                    .where(ProcessedMutation.mutation_id == m)
                )
                for m in mutation_ids
            },
            "last_seqs": dict(
                s.execute(select(ChapterCounter.chapter_id, ChapterCounter.last_seq)).all()
            ),
        }


def last_seq(url: str, chapter: str) -> int:
    with server_db(url) as s:
        return int(
            s.scalar(select(ChapterCounter.last_seq).where(ChapterCounter.chapter_id == chapter))
            or 0
        )


def wait_until(condition: Callable[[], Any], what: str, timeout: float = 15.0) -> Any:
    """Poll ``condition`` until it is truthy (returned) or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.02)


def add_organisation(laptop: Laptop, chapter: str, name: str) -> str:
    with laptop.store.session() as s:
        org = Organisation(chapter_id=chapter, name=name, category=OrgCategory.CUSTOMER)
        s.add(org)
        s.flush()
        return org.id


def change_people(laptop: Laptop, chapter: str, edits: int, new: int, mark: str) -> None:
    """Edit ``edits`` people and add ``new`` ones, as the People page writes them: a change page
    of several rows."""
    with laptop.store.session() as s:
        for person in s.scalars(select(Person).order_by(Person.id).limit(edits)):
            person.job_title = f"{mark} {person.first_name}"
            person.phone = f"+1 613 555 {len(mark):04d}"
        org = s.scalars(select(Organisation).order_by(Organisation.id)).first()
        assert org is not None
        for n in range(new):
            first, last, email = f"New{n}", f"{mark}son", f"new{n}@{mark.lower()}.example"
            s.add(
                Person(
                    chapter_id=chapter,
                    organisation_id=org.id,
                    first_name=first,
                    last_name=last,
                    email=email,
                    search_text=search_key(first, last, org.name, email),
                )
            )


def outbox_results(laptop: Laptop) -> dict[str, dict[str, Any]]:
    """Stored server answers by mutation id."""
    with laptop.store.session() as s:
        return {
            f"{laptop.store.device_id}:{e.device_seq}": dict(e.result_detail or {})
            for e in s.scalars(select(OutboxEntry))
        }


# ---------------------------------------------------------- a laptop in a killable process

_CHILD_MAIN = r"""
import json, os, sys
from pathlib import Path
from urllib.parse import parse_qs

from tests.memory_keyring import install_memory_keyring

# The test process's in-memory keyring (database key, device token), handed over in env.
given = json.loads(os.environ["CHAPTERDESK_TEST_KEYRING"])
install_memory_keyring({(service, user): secret for service, user, secret in given})

from chapterdesk.paths import prepare_data_dir
from chapterdesk.store.database import open_store
from chapterdesk.sync.client import ServerClient
from chapterdesk.sync.engine import SyncEngine


def emit(**event):
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def hang():
    sys.stdin.read()  # until the test kills us with SIGKILL (or dies: the pipe closes)
    os._exit(3)


folder, mode = sys.argv[1], sys.argv[2]
store = open_store(prepare_data_dir(Path(folder)))

if mode == "push":
    real_push = ServerClient.push

    def push_then_die(self, mutations):
        results = real_push(self, mutations)  # the server has committed and answered
        emit(
            event="answered",
            mutation_ids=[m["mutation_id"] for m in mutations],
            results=results,
        )
        hang()  # killed before the engine stores the answer

    ServerClient.push = push_then_die
elif mode == "apply":
    real_apply = SyncEngine._apply

    def apply_half_then_die(self, s, rows):
        if len(rows) < 2:
            return real_apply(self, s, rows)
        with self.store.session() as fresh:  # another connection: what is committed
            committed = {"rows": replica_rows(fresh), "state": sync_state(fresh)}
        half = rows[: len(rows) // 2]
        real_apply(self, s, half)  # written (flushed) in the page's open transaction
        inside = replica_rows(s)
        emit(
            event="half-applied",
            page=len(rows),
            applied=[[r.entity, r.id] for r in half],
            inside={e: {r.id: inside[e].get(r.id) for r in half if r.entity == e} for e in inside},
            committed=committed,
        )
        hang()  # killed before the page and its cursor commit

    real_page = SyncEngine._apply_snapshot_page

    def apply_half_a_snapshot_page_then_die(self, s, entity, columns, rows):
        if len(rows) < 2:
            return real_page(self, s, entity, columns, rows)
        with self.store.session() as fresh:
            committed = {"rows": replica_rows(fresh), "state": sync_state(fresh)}
        half = rows[: len(rows) // 2]  # a row: id, stamp, stamps, values
        real_page(self, s, entity, columns, half)
        inside = replica_rows(s)
        emit(
            event="half-applied",
            page=len(rows),
            applied=[[entity, r[0]] for r in half],
            inside={entity: {r[0]: inside[entity].get(r[0]) for r in half}},
            committed=committed,
        )
        hang()

    SyncEngine._apply = apply_half_then_die
    SyncEngine._apply_snapshot_page = apply_half_a_snapshot_page_then_die
else:
    raise SystemExit(f"unknown mode {mode!r}")

SyncEngine(store).sync_once()
emit(event="done")
"""


def _child_script() -> str:
    helpers = inspect.getsource(replica_rows) + "\n\n" + inspect.getsource(sync_state)
    return "from __future__ import annotations\n\n" + helpers + "\n" + _CHILD_MAIN


def kill_laptop_at(folder: Path, mode: str, keys: MemoryKeyring, log: Path) -> dict[str, Any]:
    """Run a sync of the store in ``folder`` in its own process, wait for it to reach the point
    ``mode`` stops at (``push``: the server's answer arrived; ``apply``: half a pulled page is
    written), SIGKILL it there and return what it reported. The store must be closed here."""
    secrets = [[service, user, secret] for (service, user), secret in keys.secrets.items()]
    env = {
        **os.environ,
        "CHAPTERDESK_TEST_KEYRING": json.dumps(secrets),
        "PYTHONUNBUFFERED": "1",
    }
    lines: queue.Queue[str | None] = queue.Queue()
    with log.open("ab") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", _child_script(), str(folder), mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            env=env,
            text=True,
        )

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        try:
            line = lines.get(timeout=CHILD_TIMEOUT_S)
        except queue.Empty:
            line = None
        event = json.loads(line) if line else {"event": "nothing"}
        expected = "answered" if mode == "push" else "half-applied"
        assert event["event"] == expected, (
            f"the laptop process said {event['event']!r}, not {expected!r}; its stderr:\n"
            + log.read_text(errors="replace")[-4000:]
        )
        assert proc.poll() is None, "the laptop process is already gone"
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=CHILD_TIMEOUT_S) == -signal.SIGKILL
        return event
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        reader.join(timeout=5)


# ----------------------------------------------------------------------------- scenario 1


def test_1_kill_after_the_server_committed_the_retry_creates_one_row(
    server_database_url: str,
    start_server: StartServer,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
) -> None:
    url = server_database_url
    add_leader(url)
    server = start_server(url)
    a, world = world_laptop(tmp_path / "a")
    a.connect(server)
    assert a.sync().rejected == 0
    org = add_organisation(a, world.chapter, "Kill Nine Ltd")  # a new row
    with a.store.session() as s:  # and an edit of an existing one
        ann = s.get(Person, world.people["Ann"])
        assert ann is not None
        ann.job_title = "Pushed once"
    assert a.pending() == 2
    before = last_seq(url, world.chapter)
    a.close()

    event = kill_laptop_at(tmp_path / "a", "push", memory_keyring, tmp_path / "child.log")
    ids = event["mutation_ids"]
    assert len(ids) == 2
    assert [r["status"] for r in event["results"]] == ["applied", "applied"]
    assert not any(r.get("replayed") for r in event["results"])

    # The server committed both; the laptop died before storing the answer.
    committed = server_facts(url, org, ids)
    assert committed["rows"] == 1
    assert committed["logged"] == dict.fromkeys(ids, 1)
    assert committed["processed"] == dict.fromkeys(ids, 1)
    assert committed["last_seqs"][world.chapter] == before + 2
    a = empty_laptop(tmp_path / "a")  # reopen the killed laptop's store
    assert a.pending() == 2, "a change was marked sent although its answer was never stored"

    report = a.sync()
    assert (report.pushed, report.applied, report.rejected) == (2, 2, 0)
    assert a.pending() == 0
    results = outbox_results(a)
    for mutation_id, first in zip(ids, event["results"], strict=True):
        assert results[mutation_id] == {**first, "replayed": True}
    after = server_facts(url, org, ids)
    assert after == committed, "the retry wrote again instead of replaying"

    # Another laptop sees exactly one such organisation and the one edit.
    b = empty_laptop(tmp_path / "b")
    b.connect(server)
    b.sync()
    with b.store.session() as s:
        named = select(func.count()).select_from(Organisation)
        assert s.scalar(named.where(Organisation.name == "Kill Nine Ltd")) == 1
        assert s.get(Person, world.people["Ann"]).job_title == "Pushed once"  # type: ignore[union-attr]
    assert_same(replica(a), replica(b))


# ----------------------------------------------------------------------------- scenario 2


def _check_killed_apply(laptop: Laptop, event: dict[str, Any]) -> None:
    """The page was half-written in its transaction when the laptop died; afterwards none of
    it is there and the cursor and snapshot progress are what was committed before."""
    assert 0 < len(event["applied"]) < event["page"]
    committed_rows = event["committed"]["rows"]
    for entity, row_id in event["applied"]:
        inside = event["inside"][entity][row_id]
        assert inside is not None, "the half page was not written in the transaction"
        assert inside != committed_rows[entity].get(row_id), "the half page changed nothing"
    assert_same(replica(laptop), committed_rows)
    assert state(laptop) == event["committed"]["state"]


def test_2_kill_while_a_pulled_page_is_applied_leaves_nothing_half_applied(
    server_database_url: str,
    start_server: StartServer,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
) -> None:
    url = server_database_url
    add_leader(url)
    server = start_server(url)
    a, world = world_laptop(tmp_path / "a")
    a.connect(server)
    a.sync()
    b = empty_laptop(tmp_path / "b")
    b.connect(server)
    b.close()
    log = tmp_path / "child.log"

    # A snapshot page (the first sync of a new laptop).
    event = kill_laptop_at(tmp_path / "b", "apply", memory_keyring, log)
    b = empty_laptop(tmp_path / "b")
    _check_killed_apply(b, event)
    assert cursor(b, world.chapter) is None  # the chapter's snapshot has not finished
    b.sync()
    assert_same(replica(b), replica(a))
    assert cursor(b, world.chapter) == last_seq(url, world.chapter)

    # A change page (renamed and new people).
    change_people(a, world.chapter, edits=4, new=3, mark="Pulled")
    a.sync()
    before_rows, before_state = replica(b), state(b)
    b.close()
    event = kill_laptop_at(tmp_path / "b", "apply", memory_keyring, log)
    assert event["committed"]["state"] == before_state
    b = empty_laptop(tmp_path / "b")
    _check_killed_apply(b, event)
    assert_same(replica(b), before_rows)
    assert state(b) == before_state  # cursor unchanged

    # Re-applying is safe: the next sync completes and equals the server (and laptop A).
    report = b.sync()
    assert report.pulled >= 7
    assert_same(replica(b), replica(a))
    assert cursor(b, world.chapter) == last_seq(url, world.chapter)


# ----------------------------------------------------------------------------- scenario 3


def test_3_cut_and_502_answers_apply_nothing_and_a_cut_push_replays(
    server_database_url: str,
    start_server: StartServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = server_database_url
    add_leader(url)
    server = start_server(url)
    a, world = world_laptop(tmp_path / "a")
    a.connect(server)
    a.sync()
    chapter = world.chapter
    in_chapter = {"chapter": chapter}
    with FaultProxy(server.url) as proxy:
        b = empty_laptop(tmp_path / "b")
        b.desk.connect_server(proxy.url, LEADER, PASSWORD, "laptop-behind-a-bad-network")

        # --- /v1/snapshot: a 502 on the chapter's first page, then a cut on its people page.
        proxy.fail("/v1/snapshot", "502", params=in_chapter)
        with pytest.raises(ServerUnreachable):
            b.sync()
        assert f"sync.cursor.{chapter}" not in state(b)
        assert f"sync.snapshot.{chapter}" not in state(b)
        assert not replica(b)["organisations"]

        # Small pages, so the chapter takes several; the third one is cut half-way.
        monkeypatch.setattr(engine_module, "SNAPSHOT_PAGE", 4)
        proxy.fail("/v1/snapshot", "truncate", params=in_chapter, skip=2)
        with pytest.raises(ServerUnreachable):
            b.sync()
        cut = next(proxy.hits_for("/v1/snapshot", "truncate"))
        missed = json.loads(cut.upstream_body)["entities"]
        assert cut.upstream_status == 200 and missed and 0 < cut.sent_bytes < len(cut.upstream_body)
        held = replica(b)
        for chunk in missed:
            gone = {r[0] for r in chunk["rows"]} & set(held[chunk["entity"]])
            assert not gone, f"part of a cut snapshot page was applied: {chunk['entity']}"
        asked = parse_qs(cut.query)
        progress = json.loads(state(b)[f"sync.snapshot.{chapter}"])
        # The two pages before it were kept; the laptop resumes at the page that was cut.
        assert [progress["entity"]] == asked["entity"]
        assert [progress["after"]] == asked.get("after", [""])
        assert any(held[e] for e in held), "the pages before the cut were not kept"
        assert f"sync.cursor.{chapter}" not in state(b)

        b.sync()  # the network is fine again
        assert_same(replica(b), replica(a))
        assert cursor(b, chapter) == last_seq(url, chapter)

        # --- /v1/changes: a cut, then a 502 after the server answered.
        change_people(a, chapter, edits=3, new=2, mark="Cut")
        a.sync()
        before_rows, before_state = replica(b), state(b)
        proxy.fail("/v1/changes", "truncate", params=in_chapter)
        with pytest.raises(ServerUnreachable):
            b.sync()
        cut = next(proxy.hits_for("/v1/changes", "truncate"))
        assert len(json.loads(cut.upstream_body)["changes"]) >= 5
        assert 0 < cut.sent_bytes < len(cut.upstream_body)
        assert_same(replica(b), before_rows)
        assert state(b) == before_state

        proxy.fail("/v1/changes", "502", params=in_chapter, forward=True)
        with pytest.raises(ServerUnreachable):
            b.sync()
        assert next(proxy.hits_for("/v1/changes", "502")).upstream_status == 200
        assert_same(replica(b), before_rows)
        assert state(b) == before_state

        b.sync()
        assert_same(replica(b), replica(a))
        assert cursor(b, chapter) == last_seq(url, chapter)

        # --- /v1/mutations: the server applied the push, the answer was cut, then a 502.
        org = add_organisation(b, chapter, "Cut Cable Inc")
        [mutation_id] = [m for m, r in outbox_results(b).items() if not r]
        proxy.fail("/v1/mutations", "truncate", method="POST")
        with pytest.raises(ServerUnreachable):
            b.sync()
        cut = next(proxy.hits_for("/v1/mutations", "truncate"))
        [first] = json.loads(cut.upstream_body)["results"]
        assert first["status"] == "applied" and not first.get("replayed")
        assert b.pending() == 1, "a change was marked sent from a cut answer"
        applied = server_facts(url, org, [mutation_id])
        assert applied["rows"] == 1 and applied["logged"] == {mutation_id: 1}

        proxy.fail("/v1/mutations", "502", method="POST", forward=True)
        with pytest.raises(ServerUnreachable):
            b.sync()
        assert b.pending() == 1
        assert server_facts(url, org, [mutation_id]) == applied

        report = b.sync()
        assert (report.pushed, report.applied, report.rejected) == (1, 1, 0)
        assert b.pending() == 0
        assert outbox_results(b)[mutation_id] == {**first, "replayed": True}
        assert server_facts(url, org, [mutation_id]) == applied  # still exactly one row
        assert [h.action for h in proxy.hits_for("/v1/mutations")] == ["truncate", "502", "pass"]
    a.sync()
    assert_same(replica(a), replica(b))


# ----------------------------------------------------------------------------- scenario 4

_CLOCK = HybridLogicalClock("faulttest")


def mutation(
    mutation_id: str, entity: str, row_id: str, chapter: str, base: str = "", **fields: Any
) -> dict[str, Any]:
    """A push as a laptop sends it; ``base`` is the stamp of the row the edit was made on."""
    stamp = _CLOCK.now().encode()
    return {
        "mutation_id": mutation_id,
        "device_seq": 0,
        "chapter_id": chapter,
        "entity": entity,
        "id": row_id,
        "patch": {
            name: [value, stamp, *([base] if base else [])] for name, value in fields.items()
        },
    }


def stamp_of(m: dict[str, Any]) -> str:
    stamp: str = next(iter(m["patch"].values()))[1]
    return stamp


def sign_in(server: ServerProcess) -> str:
    with server.client() as http:
        answer = http.post(
            "/v1/devices",
            json={"login": LEADER, "password": PASSWORD, "device_name": "raw-http"},
            headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)},
        )
        assert answer.status_code == 200, answer.text
        token: str = answer.json()["token"]
        return token


def push(http: httpx.Client, token: str, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
    answer = http.post(
        "/v1/mutations",
        json={"mutations": list(mutations)},
        headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.text
    results: list[dict[str, Any]] = answer.json()["results"]
    assert len(results) == len(mutations)
    return results


def new_id() -> str:
    from chapterdesk.store.types import new_id as make

    return make()


def test_4_duplicate_concurrent_duplicate_and_another_payload(
    server_database_url: str, start_server: StartServer
) -> None:
    url = server_database_url
    add_leader(url)
    server = start_server(url)
    token = sign_in(server)
    community, chapter, org = new_id(), new_id(), new_id()
    with server.client() as http:
        setup = push(
            http,
            token,
            mutation("t4:community", "communities", community, "", code="T4", name="Test four"),
            mutation(
                "t4:chapter", "chapters", chapter, chapter, community_id=community, name="Four"
            ),
        )
        assert [r["status"] for r in setup] == ["applied", "applied"], setup

        # Duplicate upload: a retry (alone, or twice in one batch) replays the stored answer.
        insert = mutation(
            "t4:org",
            "organisations",
            org,
            chapter,
            chapter_id=chapter,
            name="Dup Ltd",
            category="customer",
        )
        [first] = push(http, token, insert)
        assert first["status"] == "applied" and not first.get("replayed")
        facts = server_facts(url, org, ["t4:org"])
        assert facts["rows"] == 1 and facts["logged"] == {"t4:org": 1}
        assert push(http, token, insert) == [{**first, "replayed": True}]
        assert push(http, token, insert, insert) == [{**first, "replayed": True}] * 2
        assert server_facts(url, org, ["t4:org"]) == facts

        # The same id with another payload: 422, nothing written, and the batch goes on.
        other = {
            **insert,
            "patch": {**insert["patch"], "name": ["Other Ltd", _CLOCK.now().encode()]},
        }
        rename = mutation(
            "t4:rename", "organisations", org, chapter, stamp_of(insert), name="Renamed Ltd"
        )
        refused, renamed = push(http, token, other, rename)
        assert (refused["status"], refused["code"], refused["mutation_id"]) == (
            "invalid",
            422,
            "t4:org",
        )
        assert renamed["status"] == "applied" and not renamed.get("replayed")
        assert push(http, token, rename) == [{**renamed, "replayed": True}]
        with server_db(url) as s:
            assert s.get(Organisation, org).name == "Renamed Ltd"  # type: ignore[union-attr]
        after_422 = server_facts(url, org, ["t4:org", "t4:rename"])
        assert after_422["logged"] == {"t4:org": 1, "t4:rename": 1}

    # Concurrent duplicates: one new row and one edit, each fired from many threads at once.
    concurrent_org = new_id()
    cases = [
        mutation(
            "t4:race-insert",
            "organisations",
            concurrent_org,
            chapter,
            chapter_id=chapter,
            name="Race Ltd",
            category="customer",
        ),
        mutation("t4:race-edit", "organisations", org, chapter, stamp_of(rename), name="Raced Ltd"),
    ]
    threads = 12
    clients = [server.client() for _ in range(threads)]
    try:
        for client in clients:  # connected before the race starts
            assert client.get("/v1/health").status_code == 200
        for case in cases:
            barrier = threading.Barrier(threads)

            def fire(
                client: httpx.Client,
                case: dict[str, Any] = case,
                barrier: threading.Barrier = barrier,
            ) -> dict[str, Any]:
                barrier.wait(timeout=30)
                [result] = push(client, token, case)
                return result

            with ThreadPoolExecutor(threads) as pool:
                answers = list(pool.map(fire, clients))
            originals = [a for a in answers if a["status"] == "applied" and not a.get("replayed")]
            assert len(originals) == 1, answers
            [original] = originals
            for answer in answers:
                assert (
                    answer == original
                    or answer == {**original, "replayed": True}
                    or (answer["status"], answer.get("code")) == ("in_flight", 409)
                ), answer
            # Whoever got 409 retries and gets the stored answer.
            [retry] = push(clients[0], token, case)
            assert retry == {**original, "replayed": True}
    finally:
        for client in clients:
            client.close()
    final = server_facts(url, concurrent_org, ["t4:race-insert", "t4:race-edit"])
    assert final["rows"] == 1
    assert final["logged"] == {"t4:race-insert": 1, "t4:race-edit": 1}
    assert final["processed"] == {"t4:race-insert": 1, "t4:race-edit": 1}
    # Every seq the chapter handed out is in its log once: no write was half-undone.
    with server_db(url) as s:
        seqs = list(
            s.scalars(
                select(ChangeLogEntry.seq)
                .where(ChangeLogEntry.chapter_id == chapter)
                .order_by(ChangeLogEntry.seq)
            )
        )
        assert seqs == list(range(1, final["last_seqs"][chapter] + 1))
        assert s.get(Organisation, org).name == "Raced Ltd"  # type: ignore[union-attr]


def test_4_a_change_refused_after_its_write_leaves_no_trace_in_the_batch(
    server_database_url: str, start_server: StartServer
) -> None:
    """A push is one transaction with a savepoint per change: a change the database refuses
    after it was written (a person of a company the server does not have) is undone with its
    change-log entry and field stamps, and the changes around it in the batch still count."""
    url = server_database_url
    add_leader(url)
    server = start_server(url)
    token = sign_in(server)
    community, chapter, org, person = new_id(), new_id(), new_id(), new_id()
    create = mutation(
        "b:org", "organisations", org, chapter, chapter_id=chapter, name="Kept", category="customer"
    )
    orphan = mutation(
        "b:person",
        "people",
        person,
        chapter,
        chapter_id=chapter,
        organisation_id=new_id(),  # no such company on the server
        first_name="Ada",
        last_name="Orphan",
    )
    rename = mutation("b:rename", "organisations", org, chapter, stamp_of(create), name="Renamed")
    with server.client() as http:
        results = push(
            http,
            token,
            mutation("b:community", "communities", community, "", code="B1", name="Batch"),
            mutation("b:chapter", "chapters", chapter, chapter, community_id=community, name="B"),
            create,
            orphan,
            rename,
        )
    assert [r["status"] for r in results] == ["applied"] * 3 + ["rejected", "applied"], results
    assert results[3]["rule_id"] == "SYNC" and "could not store" in results[3]["message"]
    with server_db(url) as s:
        assert s.get(Person, person) is None
        assert s.get(Organisation, org).name == "Renamed"  # type: ignore[union-attr]
        logged = s.execute(
            select(ChangeLogEntry.seq, ChangeLogEntry.mutation_id, ChangeLogEntry.data)
            .where(ChangeLogEntry.chapter_id == chapter)
            .order_by(ChangeLogEntry.seq)
        ).all()
        assert [m for _seq, m, _d in logged] == ["b:chapter", "b:org", "b:rename"]
        assert [seq for seq, _m, _d in logged] == [1, 2, 3]
        assert logged[-1][2]["name"] == ["Renamed", stamp_of(rename)]
        stamps = s.scalar(
            select(FieldStamps.stamps).where(
                FieldStamps.entity == "organisations", FieldStamps.entity_id == org
            )
        )
        assert stamps is not None and stamps["name"] == stamp_of(rename)
        assert stamps["category"] == stamp_of(create)
        assert (
            s.scalar(
                select(func.count())
                .select_from(FieldStamps)
                .where(FieldStamps.entity == "people", FieldStamps.entity_id == person)
            )
            == 0
        )
        assert s.get(ProcessedMutation, "b:person") is not None  # its refusal replays


def test_4_a_batch_of_distinct_rows_is_written_at_once_and_redone_one_by_one_on_a_refusal(
    server_database_url: str, start_server: StartServer
) -> None:
    """A batch naming each row once is applied with one flush; every log entry still names
    its own mutation. When the database refuses that flush (an orphan person), the batch is
    redone change by change: the orphan is refused, everything else applied, nothing twice."""
    url = server_database_url
    add_leader(url)
    server = start_server(url)
    token = sign_in(server)
    community, chapter, org, person, orphan_id = (new_id() for _ in range(5))
    setup = [
        mutation("u:community", "communities", community, "", code="U1", name="Unique"),
        mutation("u:chapter", "chapters", chapter, chapter, community_id=community, name="U"),
        mutation(
            "u:org",
            "organisations",
            org,
            chapter,
            chapter_id=chapter,
            name="U Ltd",
            category="customer",
        ),
        mutation(
            "u:person",
            "people",
            person,
            chapter,
            chapter_id=chapter,
            organisation_id=org,
            first_name="Una",
            last_name="Unique",
        ),
    ]
    orphan = mutation(
        "u:orphan",
        "people",
        orphan_id,
        chapter,
        chapter_id=chapter,
        organisation_id=new_id(),
        first_name="Ada",
        last_name="Orphan",
    )
    rename = mutation(
        "u:rename", "organisations", org, chapter, stamp_of(setup[2]), name="U Renamed"
    )
    with server.client() as http:
        assert [r["status"] for r in push(http, token, *setup)] == ["applied"] * 4
        results = push(http, token, rename, orphan)
    assert [r["status"] for r in results] == ["applied", "rejected"], results
    assert results[1]["rule_id"] == "SYNC"
    with server_db(url) as s:
        assert s.get(Person, orphan_id) is None
        assert s.get(Organisation, org).name == "U Renamed"  # type: ignore[union-attr]
        logged = s.execute(
            select(ChangeLogEntry.entity_id, ChangeLogEntry.mutation_id)
            .where(ChangeLogEntry.chapter_id == chapter)
            .order_by(ChangeLogEntry.seq)
        ).all()
    assert logged == [
        (chapter, "u:chapter"),
        (org, "u:org"),
        (person, "u:person"),
        (org, "u:rename"),
    ]


# ---------------------------------------------------------------------------- scenario 12


class Puller:
    """Pulls one chapter as a laptop does (``since`` = the last ``next_cursor``) and records
    every seq it was sent."""

    def __init__(self, client: ServerClient, chapter: str, limit: int = 1000) -> None:
        self.client, self.chapter, self.limit = client, chapter, limit
        self.cursor = 0
        self.seqs: list[int] = []
        self.ids: list[str] = []

    def drain(self) -> list[int]:
        got: list[int] = []
        while True:
            page = self.client.changes(self.chapter, self.cursor, self.limit)
            for change in page["changes"]:
                got.append(int(change["seq"]))
                self.ids.append(str(change["id"]))
            assert int(page["next_cursor"]) >= self.cursor
            self.cursor = int(page["next_cursor"])
            if not page["has_more"]:
                break
        self.seqs += got
        return got


def test_12_two_postgresql_transactions_with_a_pull_between_commits_skip_no_row(
    postgres_database_url: str, start_server: StartServer
) -> None:
    url = postgres_database_url
    add_leader(url)
    server = start_server(url)
    db = Database(url)
    client = ServerClient(server.url, sign_in(server))
    try:
        with db.session(write=True) as s:
            community = Community(code="PG12", name="Scenario twelve")
            s.add(community)
            s.flush()
            chapter_row = Chapter(community_id=community.id, name="Twelve")
            s.add(chapter_row)
            s.flush()
            chapter = chapter_row.id
        puller = Puller(client, chapter)
        assert puller.drain() == [1]  # the chapter row itself

        def backend_pid(s: Session) -> int:
            return int(s.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar_one())

        def blocked_by(pid: int) -> list[int]:
            with db.engine.connect() as conn:
                return list(
                    conn.execute(text("SELECT pg_blocking_pids(:pid)"), {"pid": pid}).scalar_one()
                )

        # Transaction A takes the next seq and stays open.
        first = db.sessions(info={"clock": db.clock, "stamps": {}})
        second_pid: list[int] = []
        second_flushed, second_may_commit = threading.Event(), threading.Event()
        try:
            first_pid = backend_pid(first)
            first_org = Organisation(
                chapter_id=chapter, name="First", category=OrgCategory.CUSTOMER
            )
            first.add(first_org)
            first.flush()

            def second_writer() -> str:
                with db.session() as s:
                    second_pid.append(backend_pid(s))
                    org = Organisation(
                        chapter_id=chapter, name="Second", category=OrgCategory.CUSTOMER
                    )
                    s.add(org)
                    s.flush()  # waits for A's counter row lock
                    second_flushed.set()
                    assert second_may_commit.wait(30)
                    return org.id  # committed when the block ends

            with ThreadPoolExecutor(1) as pool:
                second = pool.submit(second_writer)
                # B wants to write (and commit) now, before A: it waits for A's lock.
                wait_until(lambda: second_pid, "transaction B to start")
                wait_until(
                    lambda: first_pid in blocked_by(second_pid[0]),
                    "transaction B to wait for A's chapter counter lock",
                )
                assert not second_flushed.is_set()
                assert puller.drain() == [], "a pull saw an uncommitted change"
                assert puller.cursor == 1

                first.commit()  # A commits; B gets the seq after A's, and is not committed yet
                assert second_flushed.wait(30)
                assert puller.drain() == [2]
                assert puller.cursor == 2

                second_may_commit.set()
                second_id = second.result(timeout=30)
            assert puller.drain() == [3]
            assert puller.ids[-2:] == [first_org.id, second_id]
        finally:
            second_may_commit.set()
            first.close()

        # Many writers racing with a puller that pulls small pages all along.
        writers, per_writer = 4, 8
        written: list[str] = []
        done = threading.Event()
        racing = Puller(ServerClient(server.url, client.token), chapter, limit=2)
        racing.cursor = puller.cursor

        def writer(n: int) -> list[str]:
            ids = []
            for i in range(per_writer):
                with db.session() as s:
                    orgs = [
                        Organisation(
                            chapter_id=chapter, name=f"W{n}-{i}-{k}", category=OrgCategory.CUSTOMER
                        )
                        for k in range(1 + (i + n) % 2)
                    ]
                    s.add_all(orgs)
                    s.flush()
                    ids += [o.id for o in orgs]
            return ids

        def pull_along() -> None:
            while not done.is_set():
                racing.drain()

        with ThreadPoolExecutor(writers + 1) as pool:
            puller_done = pool.submit(pull_along)
            jobs = [pool.submit(writer, n) for n in range(writers)]
            for job in jobs:
                written += job.result(timeout=60)
            done.set()
            puller_done.result(timeout=60)
        racing.drain()
        racing.client.close()
        last = last_seq(url, chapter)
        assert last == 3 + len(written)
        assert racing.seqs == list(range(4, last + 1)), "a pull skipped or repeated a seq"
        assert sorted(racing.ids) == sorted(written)
    finally:
        client.close()
        db.close()
