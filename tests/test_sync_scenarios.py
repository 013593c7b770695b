"""docs/sync.md scenarios 5, 6, 7, 10, 11, 13 and 14: laptops and a real chapter server.

(1–4 and 12 are in test_sync_faults.py, 8 and 9 in test_sync_scope.py.)"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from chapterdesk.domain.enums import OrgCategory, RegistrationRole, RegistrationStatus, Role
from chapterdesk.hlc import Timestamp
from chapterdesk.store.models import Meeting, Person, Registration
from chapterdesk.sync import engine as engine_module
from chapterdesk.sync.client import ServerClient
from chapterdesk.sync.engine import SyncEngine
from chapterdesk.sync.entities import BY_NAME, FIELDS, RECEIVES
from chapterdesk.sync.errors import ServerUnreachable
from chapterdesk.sync.wire import to_wire
from tests.conftest import StartServer
from tests.server_process import ServerProcess
from tests.sync_helpers import Laptop, add_leader, admin, empty_laptop, world_laptop
from tests.world import World

HOUR_MS = 3_600_000


def replica(laptop: Laptop) -> dict[str, dict[str, dict[str, Any]]]:
    """Every replicated row a leader receives, field by field (what must be equal)."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    with laptop.store.session() as s:
        for entity in sorted(RECEIVES[Role.LEADER]):
            model: Any = BY_NAME[entity]
            out[entity] = {
                row.id: {f: to_wire(getattr(row, f)) for f in FIELDS[entity]}
                for row in s.scalars(select(model))
            }
    return out


def differences(left: dict[str, Any], right: dict[str, Any]) -> list[str]:
    """(entity, id, field: left != right) lines, for a readable failure."""
    out = []
    for entity in sorted(set(left) | set(right)):
        l_rows, r_rows = left.get(entity, {}), right.get(entity, {})
        for row_id in sorted(set(l_rows) | set(r_rows)):
            l_row, r_row = l_rows.get(row_id), r_rows.get(row_id)
            if l_row is None or r_row is None:
                out.append(f"{entity} {row_id[:8]}: only on {'right' if l_row is None else 'left'}")
                continue
            out += [
                f"{entity} {row_id[:8]} {f}: {l_row[f]!r} != {r_row[f]!r}"
                for f in l_row
                if l_row[f] != r_row.get(f)
            ]
    return out


def same(*laptops: Laptop) -> None:
    first = replica(laptops[0])
    for other in laptops[1:]:
        assert not differences(first, replica(other))


def settle(*laptops: Laptop) -> None:
    """Sync every laptop twice round: afterwards each has seen everyone's changes."""
    for _ in range(2):
        for laptop in laptops:
            laptop.sync()


def skew(laptop: Laptop, offset_ms: int) -> None:
    """Set the laptop's clock off by ``offset_ms`` (its HLC reads this wall clock)."""
    laptop.store.clock._now_ms = lambda: time.time_ns() // 1_000_000 + offset_ms


def two_laptops(
    url: str, start_server: StartServer, tmp_path: Path
) -> tuple[ServerProcess, Laptop, World, Laptop]:
    add_leader(url)
    server = start_server(url)
    a, world = world_laptop(tmp_path / "a")
    a.connect(server)
    a.sync()
    b = empty_laptop(tmp_path / "b")
    b.connect(server)
    b.sync()
    return server, a, world, b


def registration_of(laptop: Laptop, meeting: str, person: str) -> str:
    with laptop.store.session() as s:
        return s.scalars(
            select(Registration.id).where(
                Registration.meeting_id == meeting, Registration.person_id == person
            )
        ).one()


def edit(laptop: Laptop, model: Any, row_id: str, **fields: Any) -> None:
    with laptop.store.session() as s:
        row = s.get(model, row_id)
        for name, value in fields.items():
            setattr(row, name, value)


# ---------------------------------------------------------------------------------------- 5


def test_5_clock_skew_every_replica_picks_the_same_winner(
    server_database_url: str, start_server: StartServer, tmp_path: Path
) -> None:
    _server, a, world, b = two_laptops(server_database_url, start_server, tmp_path)
    c = empty_laptop(tmp_path / "c")
    c.connect(_server)
    c.sync()
    skew(a, -2 * HOUR_MS)
    skew(b, 24 * HOUR_MS)
    skew(c, 2 * HOUR_MS)
    edit(a, Meeting, world.meeting, title="A's title")
    edit(b, Meeting, world.meeting, title="B's title")
    edit(c, Meeting, world.meeting, venue="C's venue")
    settle(a, b, c)
    same(a, b, c)
    with a.store.session() as s:
        meeting = s.get(Meeting, world.meeting)
        assert meeting is not None and meeting.venue == "C's venue"
        # B's clock ran a day ahead: the server clamped its stamp to at most 5 min ahead, so
        # it cannot win every later edit for a day.
        wall = Timestamp.decode(meeting.updated_at).wall_ms
        assert wall <= time.time_ns() // 1_000_000 + 6 * 60_000
    # A later edit on A (clock 2 h slow) still wins once the clamp has passed: a stamp from
    # the future is held at +5 min, not +1 day.
    skew(a, 10 * 60_000)
    edit(a, Meeting, world.meeting, title="A again")
    settle(a, b, c)
    same(a, b, c)
    with c.store.session() as s:
        assert s.get(Meeting, world.meeting).title == "A again"  # type: ignore[union-attr]


# ---------------------------------------------------------------------------------------- 6


def test_6_two_laptops_edit_one_registration(
    server_database_url: str, start_server: StartServer, tmp_path: Path
) -> None:
    _server, a, world, b = two_laptops(server_database_url, start_server, tmp_path)
    ann = a.desk.register(world.meeting, world.people["Ann"]).registration_id
    bob = a.desk.register(world.meeting, world.people["Bob"]).registration_id
    settle(a, b)
    # Different fields: both survive.
    edit(a, Registration, ann, role=RegistrationRole.SPEAKER)
    edit(b, Registration, ann, approved_by="leader-b")
    # Same field: one winner, the same everywhere (B edits later).
    edit(a, Registration, bob, role=RegistrationRole.ORGANISER)
    edit(b, Registration, bob, role=RegistrationRole.SPEAKER)
    settle(a, b)
    same(a, b)
    with a.store.session() as s:
        reg = s.get(Registration, ann)
        assert reg is not None and reg.role is RegistrationRole.SPEAKER
        assert reg.approved_by == "leader-b"
        assert s.get(Registration, bob).role is RegistrationRole.SPEAKER  # type: ignore[union-attr]
    # The conflict is shown (on the laptop that synced second), with both values.
    conflicts = [i for i in b.desk.sync_status().issues if i.kind == "conflict"]
    assert any(
        i.field == "role" and i.lost_value == "organiser" and i.kept_value == "speaker"
        for i in conflicts
    )
    # Edit vs cancel: an edit of another field never brings a cancelled registration back.
    b.desk.cancel_registration(ann)
    edit(a, Registration, ann, role=RegistrationRole.ATTENDEE)
    settle(a, b)
    same(a, b)
    with b.store.session() as s:
        reg = s.get(Registration, ann)
        assert reg is not None and reg.status is RegistrationStatus.CANCELLED
        assert reg.role is RegistrationRole.ATTENDEE


def test_6_a_restore_against_a_cancel_is_shown_not_silently_lost(
    server_database_url: str, start_server: StartServer, tmp_path: Path
) -> None:
    _server, a, world, b = two_laptops(server_database_url, start_server, tmp_path)
    ann = a.desk.register(world.meeting, world.people["Ann"]).registration_id
    settle(a, b)
    b.desk.cancel_registration(ann)
    b.sync()
    a.desk.cancel_registration(ann)
    a.desk.restore_registration(ann)  # A decided later, offline: Ann comes after all
    settle(a, b)
    same(a, b)
    with b.store.session() as s:
        assert s.get(Registration, ann).status is RegistrationStatus.REGISTERED  # type: ignore[union-attr]
    decided = [i for i in a.desk.sync_status().issues if i.field == "status"]
    assert (
        decided and decided[0].lost_value == "cancelled" and decided[0].kept_value == "registered"
    )


# ---------------------------------------------------------------------------------------- 7


def test_7_two_laptops_check_the_same_person_in_and_one_undoes(
    server_database_url: str, start_server: StartServer, tmp_path: Path
) -> None:
    _server, a, world, b = two_laptops(server_database_url, start_server, tmp_path)
    ann = a.desk.register(world.meeting, world.people["Ann"]).registration_id
    settle(a, b)
    a.desk.check_in(ann)  # both desks, offline, at the same door
    b.desk.check_in(ann)
    a.desk.undo_check_in(ann)
    settle(a, b)
    same(a, b)
    state_a = {r.registration_id: r.checked_in for r in a.desk.attendees(world.meeting)}
    state_b = {r.registration_id: r.checked_in for r in b.desk.attendees(world.meeting)}
    assert state_a == state_b
    assert state_a[ann] is True  # B's check-in stands: A undid only its own
    assert not [i for i in a.desk.sync_status().issues if i.kind == "rejected"]


# --------------------------------------------------------------------------------------- 10


def test_10_an_initial_sync_killed_half_way_resumes_where_it_stopped(
    server_database_url: str,
    start_server: StartServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_leader(server_database_url)
    server = start_server(server_database_url)
    a, _world = world_laptop(tmp_path / "a")
    a.connect(server)
    a.sync()
    monkeypatch.setattr(engine_module, "SNAPSHOT_PAGE", 3)
    calls: list[tuple[str, str]] = []

    class Dies(ServerClient):
        budget = 8

        def snapshot(self, chapter: str, entity: str, after: str, limit: int) -> dict[str, Any]:
            calls.append((entity, after))
            if Dies.budget == 0:
                raise ServerUnreachable("cut")  # the laptop dies here, as far as sync can tell
            Dies.budget -= 1
            return super().snapshot(chapter, entity, after, limit)

    b = empty_laptop(tmp_path / "b")
    b.connect(server)
    b.desk.sync_engine = SyncEngine(b.store, lambda url, token: Dies(url, token))
    with pytest.raises(ServerUnreachable):
        b.sync()
    first = list(calls)
    calls.clear()
    Dies.budget = 10_000
    b.sync()
    # It went on from the page it had reached, not from the start.
    assert calls[0] == first[-1]
    same(a, b)


# --------------------------------------------------------------------------------------- 11


def test_11_offline_past_retention_resyncs_and_still_sends_its_outbox(
    server_database_url: str, start_server: StartServer, tmp_path: Path
) -> None:
    _server, a, world, b = two_laptops(server_database_url, start_server, tmp_path)
    edit(a, Person, world.people["Ann"], job_title="Made offline")  # A goes offline
    edit(b, Person, world.people["Bob"], job_title="Made while A was away")
    b.sync()
    admin(server_database_url, "prune", "--older-than-days", "0")  # the log A needs is gone
    report = a.sync()
    assert report.resynced and a.pending() == 0
    settle(a, b)
    same(a, b)
    with b.store.session() as s:
        assert s.get(Person, world.people["Ann"]).job_title == "Made offline"  # type: ignore[union-attr]


# --------------------------------------------------------------------------------------- 13


def test_13_a_rejected_change_does_not_block_the_ones_after_it(
    server_database_url: str, start_server: StartServer, tmp_path: Path
) -> None:
    _server, a, world, b = two_laptops(server_database_url, start_server, tmp_path)
    with a.store.session() as s:  # a partner without escort, as an old or broken laptop writes it
        pat = s.get(Person, world.people["Pat"])
        assert pat is not None
        s.add(
            Registration(
                chapter_id=world.chapter,
                meeting_id=world.meeting,
                person_id=pat.id,
                organisation_id=pat.organisation_id,
                category=OrgCategory.PARTNER,
                status=RegistrationStatus.REGISTERED,
                code="BROKEN0001",
            )
        )
    edit(a, Person, world.people["Ann"], job_title="After the bad one")
    report = a.sync()
    assert report.rejected == 1 and a.pending() == 0
    b.sync()
    with b.store.session() as s:
        assert s.get(Person, world.people["Ann"]).job_title == "After the bad one"  # type: ignore[union-attr]
        assert not s.scalars(select(Registration).where(Registration.code == "BROKEN0001")).all()
    issue = next(i for i in a.desk.sync_status().issues if i.kind == "rejected")
    assert issue.rule_id == "ESC-1" and "escort" in issue.message.lower() and issue.fix


# --------------------------------------------------------------------------------------- 14


class Flaky(ServerClient):
    """A client that fails at random points: before a call, or after the server answered
    and before the answer is stored (what a kill -9 of the laptop looks like to the server)."""

    rng = random.Random(0)

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        if Flaky.rng.random() < 0.15:
            raise ServerUnreachable("cut before sending")
        answer = super().request(method, path, **kwargs)
        if Flaky.rng.random() < 0.15:
            raise ServerUnreachable("cut after the server answered")
        return answer


def test_14_randomised_faults_end_with_every_replica_equal_to_the_server(
    server_database_url: str, start_server: StartServer, tmp_path: Path
) -> None:
    seed = int(os.environ.get("CHAPTERDESK_FAULT_SEED", "0")) or random.randrange(1, 10**6)
    print(f"randomised fault run: seed {seed} (CHAPTERDESK_FAULT_SEED={seed} repeats it)")
    rng = random.Random(seed)
    Flaky.rng = random.Random(seed + 1)
    server, a, world, b = two_laptops(server_database_url, start_server, tmp_path)
    c = empty_laptop(tmp_path / "c")
    c.connect(server)
    c.sync()
    laptops = [a, b, c]
    for laptop in laptops:
        laptop.desk.sync_engine = SyncEngine(laptop.store, lambda url, token: Flaky(url, token))
    people = list(world.people.values())
    customers = [world.people[n] for n in ("Ann", "Bob", "Cleo") if n in world.people]
    regs = [a.desk.register(world.meeting, p).registration_id for p in customers]
    for step in range(60):
        laptop = rng.choice(laptops)
        action = rng.random()
        try:
            if action < 0.3:
                edit(laptop, Person, rng.choice(people), job_title=f"title {step}")
            elif action < 0.45:
                laptop.desk.check_in(rng.choice(regs))
            elif action < 0.55:
                laptop.desk.undo_check_in(rng.choice(regs))
            elif action < 0.65:
                skew(laptop, rng.choice([-2 * HOUR_MS, 0, 24 * HOUR_MS]))
            elif action < 0.7:
                server.kill()
                server.restart()
            else:
                laptop.sync()
        except ServerUnreachable:
            pass
        except Exception as exc:  # a refusal at the desk (nothing to undo) is fine
            if type(exc).__name__ not in ("RuleViolation", "NotFound"):
                raise
    for laptop in laptops:
        laptop.desk.sync_engine = SyncEngine(laptop.store)
    settle(*laptops)
    fresh = empty_laptop(tmp_path / "fresh")  # the server's state, as a new laptop gets it
    fresh.connect(server)
    fresh.sync()
    expected = replica(fresh)
    for laptop in laptops:
        assert laptop.pending() == 0
        assert not differences(expected, replica(laptop)), f"seed {seed}"
