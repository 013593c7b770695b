"""Retention (ROS-1): prospects' contact data and old check-in detail go after the chapter's
period, exactly as previewed, synced through the outbox and recorded by counts alone."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.enums import CheckInKind, Membership, OrgCategory, RegistrationStatus, Role
from chapterdesk.domain.violations import PermissionDenied, RuleViolation
from chapterdesk.hlc import Timestamp
from chapterdesk.services.desk import Desk
from chapterdesk.services.retention import PURGED_AT, months_before
from chapterdesk.store.models import (
    AuditEvent,
    CheckInEvent,
    Meeting,
    OutboxEntry,
    Person,
    Registration,
)
from chapterdesk.ui.audit.purge_dialog import PurgeDialog
from chapterdesk.ui.common.tasks import TaskRunner
from tests.world import World

NOW = datetime.now().replace(microsecond=0)
LONG_AGO = NOW - timedelta(days=5 * 365)  # well past the default 36 months
LATELY = NOW - timedelta(days=60)


@pytest.fixture
def desk(world: World) -> Desk:
    return Desk(world.store, world.leader)


def stamp(when: datetime, counter: int = 0) -> str:
    return Timestamp(int(when.timestamp() * 1000), counter, "olddesk").encode()


@dataclass
class Old:
    """What the tests put in the past: ids by a short name."""

    people: dict[str, str] = field(default_factory=dict)
    regs: dict[str, str] = field(default_factory=dict)
    old_meeting: str = ""
    recent_meeting: str = ""
    events: dict[str, str] = field(default_factory=dict)


def add_old_data(w: World) -> Old:
    """An old meeting (five years ago) and a recent one (two months ago), with check-ins, and
    prospects of every kind the rule tells apart."""
    old = Old()
    with w.store.session() as s:
        city = s.scalar(select(Person.organisation_id).where(Person.id == w.people["Bob"]))
        assert city is not None

        def person(key: str, membership: Membership, **kw: object) -> str:
            values: dict[str, object] = {"email": f"{key.lower()}@example.org"}
            values.update(kw)
            p = Person(
                chapter_id=w.chapter,
                organisation_id=city,
                first_name=key,
                last_name="Old",
                membership=membership,
                search_text=f"{key.lower()} old city of ottawa {values['email']}",
                **values,
            )
            s.add(p)
            s.flush()
            old.people[key] = p.id
            return p.id

        person("Olga", Membership.PROSPECT, phone="+1 613 555 0101", notes="met at expo")
        person("Sid", Membership.PROSPECT, email="", phone="613-555-0199")
        person("Paula", Membership.PROSPECT)  # registered for the recent meeting: kept
        person("Quentin", Membership.PROSPECT, member_since=date(2015, 1, 1))  # lapsed member
        person("Rita", Membership.PROSPECT, email="")  # nothing left to clear
        person("Mona", Membership.MEMBER)  # members keep their contact data

        def meeting(title: str, when: datetime) -> str:
            m = Meeting(
                chapter_id=w.chapter,
                title=title,
                starts_at=when,
                ends_at=when + timedelta(hours=2),
                venue="City Hall",
            )
            s.add(m)
            s.flush()
            return m.id

        old.old_meeting = meeting("Fiscal year-end 2019", LONG_AGO)
        old.recent_meeting = meeting("Spring roundtable", LATELY)

        def register(key: str, meeting_id: str, person_id: str, when: datetime) -> str:
            r = Registration(
                chapter_id=w.chapter,
                meeting_id=meeting_id,
                person_id=person_id,
                organisation_id=city,
                category=OrgCategory.CUSTOMER,
                code=f"T{len(old.regs):04d}",
                registered_at=(when - timedelta(days=3)).astimezone(UTC),
            )
            s.add(r)
            s.flush()
            old.regs[key] = r.id
            return r.id

        register("ann_old", old.old_meeting, w.people["Ann"], LONG_AGO)
        register("cleo_old", old.old_meeting, w.people["Cleo"], LONG_AGO)
        register("olga_old", old.old_meeting, old.people["Olga"], LONG_AGO)
        register("mona_old", old.old_meeting, old.people["Mona"], LONG_AGO)  # never came
        register("ann_recent", old.recent_meeting, w.people["Ann"], LATELY)
        register("paula_recent", old.recent_meeting, old.people["Paula"], LATELY)

        counter = iter(range(1, 1000))

        def event(
            key: str, reg: str, kind: CheckInKind, when: datetime, undoes: str | None = None
        ) -> str:
            e = CheckInEvent(
                chapter_id=w.chapter,
                registration_id=old.regs[reg],
                kind=kind,
                undoes_event_id=old.events[undoes] if undoes else None,
                device_id="olddesk",
                hlc=stamp(when, next(counter)),
                actor_id="vol-9",
                at=when.astimezone(UTC),
            )
            s.add(e)
            s.flush()
            old.events[key] = e.id
            # What a check-in queued at the time: the detail the purge must not leave behind.
            s.add(
                OutboxEntry(
                    device_seq=900 - len(old.events),  # below the hook's own numbers
                    chapter_id=w.chapter,
                    entity="check_in_events",
                    entity_id=e.id,
                    patch={
                        "kind": [kind.value, e.hlc],
                        "device_id": ["olddesk", e.hlc],
                        "actor_id": ["vol-9", e.hlc],
                        "at": [e.at.isoformat(), e.hlc],
                    },
                    sent_at=when.astimezone(UTC),
                )
            )
            s.add(
                AuditEvent(
                    chapter_id=w.chapter,
                    at=when.astimezone(UTC),
                    actor_id="vol-9",
                    actor_name="Val Volunteer",
                    action=f"check_in.{kind.value}",
                    entity="check_in_events",
                    entity_id=e.id,
                    details={},
                )
            )
            return e.id

        t = LONG_AGO + timedelta(minutes=5)
        event("ann_in", "ann_old", CheckInKind.IN, t)
        event("ann_out", "ann_old", CheckInKind.OUT, t + timedelta(hours=1))  # came, then left
        event("cleo_in", "cleo_old", CheckInKind.IN, t)
        event("cleo_undo", "cleo_old", CheckInKind.UNDO, t, undoes="cleo_in")  # a mistake
        event("olga_in", "olga_old", CheckInKind.IN, t)
        event("ann_recent_in", "ann_recent", CheckInKind.IN, LATELY + timedelta(minutes=5))
        # The walk-in outbox row of Olga still carries her address.
        s.add(
            OutboxEntry(
                device_seq=999,
                chapter_id=w.chapter,
                entity="people",
                entity_id=old.people["Olga"],
                patch={
                    "first_name": ["Olga", stamp(LONG_AGO)],
                    "email": ["olga@example.org", stamp(LONG_AGO)],
                },
                sent_at=LONG_AGO.astimezone(UTC),
            )
        )
        # Sid's phone number never reached the server: the row is still needed, not the number.
        s.add(
            OutboxEntry(
                device_seq=998,
                chapter_id=w.chapter,
                entity="people",
                entity_id=old.people["Sid"],
                patch={
                    "first_name": ["Sid", stamp(LONG_AGO)],
                    "phone": ["613-555-0199", stamp(LONG_AGO)],
                },
            )
        )
    # Creation stamped the rows now; put the roster entries back in the past (a bulk UPDATE
    # is not stamped again).
    with w.store.session() as s:
        aged = [*old.people.values(), w.people["Ann"], w.people["Cleo"]]
        s.execute(
            update(Person)
            .where(Person.id.in_(aged))
            .values(updated_at=stamp(LONG_AGO))
            .execution_options(synchronize_session=False)
        )
    return old


def person(w: World, person_id: str) -> Person:
    with w.store.session() as s:
        p = s.get(Person, person_id)
        assert p is not None
        s.expunge(p)
        return p


def test_cutoff_counts_calendar_months() -> None:
    assert months_before(date(2024, 5, 31), 36) == date(2021, 5, 31)
    assert months_before(date(2024, 5, 31), 3) == date(2024, 2, 29)
    assert months_before(date(2024, 1, 15), 1) == date(2023, 12, 15)
    assert months_before(date(2024, 3, 1), 120) == date(2014, 3, 1)


def test_preview_lists_old_prospects_and_old_check_in_detail_ROS_1(
    world: World, desk: Desk
) -> None:
    old = add_old_data(world)
    preview = desk.purge_preview(world.chapter)
    assert preview.cutoff == months_before(date.today(), 36)
    assert preview.retention_months == 36
    assert [(p.name, p.organisation) for p in preview.prospects] == [
        ("Olga Old", "City of Ottawa"),
        ("Sid Old", "City of Ottawa"),
    ]
    olga = preview.prospects[0]
    assert olga.person_id == old.people["Olga"]
    assert olga.last_activity == LONG_AGO.date()  # the meeting she registered for
    assert olga.last_activity < preview.cutoff
    [meeting] = preview.meetings
    assert meeting.meeting_id == old.old_meeting
    assert meeting.title == "Fiscal year-end 2019"
    assert (meeting.check_in_events, meeting.registrations, meeting.attended) == (5, 4, 2)
    assert preview.check_in_events == 5


def test_purge_does_exactly_what_the_preview_showed(world: World, desk: Desk) -> None:
    old = add_old_data(world)
    preview = desk.purge_preview(world.chapter)
    result = desk.purge_old_data(world.chapter, preview)
    assert result.prospects_cleared == len(preview.prospects) == 2
    assert result.meetings == len(preview.meetings) == 1
    assert result.check_in_events_removed == preview.check_in_events == 5
    assert result.attendance_recorded == 4

    cleared = {p.person_id for p in preview.prospects}
    with world.store.session() as s:
        for p in s.scalars(select(Person).where(Person.id.in_(cleared))):
            assert (p.email, p.phone, p.notes, p.consent_email) == ("", "", "", False)
            assert "@" not in p.search_text and p.search_text.startswith(p.first_name.lower())
            assert p.first_name and p.last_name  # names stay
        events = {e.id: e for e in s.scalars(select(CheckInEvent))}
    for key in ("ann_in", "ann_out", "cleo_in", "cleo_undo", "olga_in"):
        e = events[old.events[key]]
        assert e.deleted and (e.device_id, e.actor_id, e.hlc) == ("", "", "") and e.at == PURGED_AT
    # A second preview finds nothing left.
    assert desk.purge_preview(world.chapter).is_empty


def test_members_and_recent_prospects_keep_their_contact_data(world: World, desk: Desk) -> None:
    old = add_old_data(world)
    desk.purge_old_data(world.chapter, desk.purge_preview(world.chapter))
    assert person(world, world.people["Bob"]).email == "bob@example.org"  # added lately
    assert person(world, old.people["Paula"]).email == "paula@example.org"  # recent meeting
    assert person(world, old.people["Quentin"]).email == "quentin@example.org"  # was a member
    assert person(world, old.people["Mona"]).email == "mona@example.org"  # a member
    assert person(world, world.people["Ann"]).email == "ann@example.org"
    assert person(world, world.people["Pat"]).email == "pat@example.org"  # partners: no rule


def test_a_prospect_registered_for_a_future_meeting_is_kept(world: World, desk: Desk) -> None:
    old = add_old_data(world)
    desk.register(world.meeting, old.people["Olga"])  # touches no roster stamp
    with world.store.session() as s:
        s.execute(
            update(Person)
            .where(Person.id == old.people["Olga"])
            .values(updated_at=stamp(LONG_AGO))
            .execution_options(synchronize_session=False)
        )
    names = [p.name for p in desk.purge_preview(world.chapter).prospects]
    assert names == ["Sid Old"]


def test_check_in_detail_of_recent_meetings_is_untouched(world: World, desk: Desk) -> None:
    old = add_old_data(world)
    ann = desk.register(world.meeting, world.people["Ann"])
    desk.check_in(ann.registration_id)  # next week's meeting, checked in today
    desk.purge_old_data(world.chapter, desk.purge_preview(world.chapter))
    with world.store.session() as s:
        recent = s.get(CheckInEvent, old.events["ann_recent_in"])
        assert recent is not None and not recent.deleted and recent.device_id == "olddesk"
        live = s.scalars(
            select(CheckInEvent).where(CheckInEvent.registration_id == ann.registration_id)
        ).one()
        assert not live.deleted and live.device_id == world.store.device_id
        assert s.get(Registration, old.regs["ann_recent"]).attended is None  # type: ignore[union-attr]
    assert desk.attendees(world.meeting)[0].checked_in


def test_attendance_is_kept_from_the_events(world: World, desk: Desk) -> None:
    old = add_old_data(world)
    desk.purge_old_data(world.chapter, desk.purge_preview(world.chapter))
    with world.store.session() as s:

        def came(key: str) -> bool | None:
            reg = s.get(Registration, old.regs[key])
            assert reg is not None
            return reg.attended

        assert came("ann_old") is True  # checked in, then out: still came
        assert came("cleo_old") is False  # the check-in was undone
        assert came("olga_old") is True
        assert came("mona_old") is False  # registered, never checked in
        assert came("paula_recent") is None  # a recent meeting keeps its events instead


def test_purge_changes_are_queued_for_sync(world: World, desk: Desk) -> None:
    old = add_old_data(world)
    preview = desk.purge_preview(world.chapter)
    desk.purge_old_data(world.chapter, preview)
    with world.store.session() as s:
        pending = s.scalars(select(OutboxEntry).where(OutboxEntry.sent_at.is_(None))).all()
        by_entity: dict[str, dict[str, dict[str, list[object]]]] = {}
        for entry in pending:
            by_entity.setdefault(entry.entity, {})[entry.entity_id] = entry.patch
        sid_create = s.scalars(select(OutboxEntry).where(OutboxEntry.device_seq == 998)).one()
        assert sid_create.patch == {
            "first_name": ["Sid", stamp(LONG_AGO)],
            "phone": ["", stamp(LONG_AGO)],
        }
        olga = by_entity["people"][old.people["Olga"]]
        assert olga["email"][0] == "" and olga["phone"][0] == "" and olga["notes"][0] == ""
        assert olga.get("consent_email", [False])[0] is False  # only changed fields travel
        assert "@" not in str(olga["search_text"][0])
        tombstone = by_entity["check_in_events"][old.events["ann_in"]]
        assert tombstone["deleted"][0] is True and tombstone["device_id"][0] == ""
        tombstones = [p for p in by_entity["check_in_events"].values() if p["deleted"][0]]
        assert len(tombstones) == 5
        assert by_entity["registrations"][old.regs["cleo_old"]]["attended"][0] is False
        # Sent outbox rows of the purged rows are scrubbed too (kept, so sequence numbers never
        # go back): no address, no desk.
        everything = json.dumps([e.patch for e in s.scalars(select(OutboxEntry))])
        assert "olga@example.org" not in everything and "613-555-0199" not in everything
        purged = [old.events[k] for k in ("ann_in", "ann_out", "cleo_in", "cleo_undo", "olga_in")]
        about_purged = s.scalars(select(OutboxEntry).where(OutboxEntry.entity_id.in_(purged))).all()
        seqs = [e.device_seq for e in s.scalars(select(OutboxEntry))]
        assert len(seqs) == len(set(seqs)) and max(seqs) > 998  # numbered on, never reused
        assert "olddesk" not in json.dumps([e.patch for e in about_purged])
        assert "vol-9" not in json.dumps([e.patch for e in about_purged])
        # The check-in audit events no longer name the purged events.
        linked = s.scalars(
            select(AuditEvent.entity_id).where(AuditEvent.action.startswith("check_in."))
        ).all()
        assert linked.count(None) == 5 and old.events["ann_recent_in"] in linked


def test_purge_is_audited_by_counts_without_names_or_emails(
    world: World, desk: Desk, caplog: pytest.LogCaptureFixture
) -> None:
    add_old_data(world)
    caplog.set_level(logging.DEBUG)
    desk.purge_old_data(world.chapter, desk.purge_preview(world.chapter))
    with world.store.session() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "retention.purged")).one()
        assert event.actor_name == world.leader.display_name
        assert event.details["prospects_cleared"] == 2
        assert event.details["check_in_events_removed"] == 5
        assert event.details["meetings"] == 1
        assert event.details["retention_months"] == 36
        kinds = [e.action for e in s.scalars(select(AuditEvent)) if "retention" in e.action]
        assert sorted(kinds) == ["retention.contact_cleared"] * 2 + ["retention.purged"]
        every_detail = json.dumps([e.details for e in s.scalars(select(AuditEvent))])
    for secret in ("@", "Olga", "Sid", "613"):
        assert secret not in every_detail
    assert "@" not in caplog.text  # nothing with contact data reaches the log file


def test_a_stale_preview_is_refused_ROS_1(world: World, desk: Desk) -> None:
    old = add_old_data(world)
    preview = desk.purge_preview(world.chapter)
    # Meanwhile another desk synced in a late check-in for the old meeting.
    with world.store.session() as s:
        s.add(
            CheckInEvent(
                chapter_id=world.chapter,
                registration_id=old.regs["mona_old"],
                kind=CheckInKind.IN,
                device_id="otherdesk",
                hlc=stamp(LONG_AGO, 500),
                actor_id="vol-8",
                at=LONG_AGO.astimezone(UTC),
            )
        )
    with pytest.raises(RuleViolation) as refused:
        desk.purge_old_data(world.chapter, preview)
    assert refused.value.rule_id == "ROS-1" and "again" in refused.value.fix
    assert person(world, old.people["Olga"]).email == "olga@example.org"  # nothing happened
    fresh = desk.purge_preview(world.chapter)
    assert fresh.check_in_events == 6
    assert desk.purge_old_data(world.chapter, fresh).attendance_recorded == 4


def test_a_preview_that_was_not_made_here_is_refused(world: World, desk: Desk) -> None:
    add_old_data(world)
    preview = desk.purge_preview(world.chapter)
    with pytest.raises(RuleViolation):
        desk.purge_old_data(world.chapter, replace(preview, fingerprint="0" * 64))
    with pytest.raises(RuleViolation):
        desk.purge_old_data(world.chapter, replace(preview, chapter_id="another-chapter"))
    assert desk.purge_preview(world.chapter) == preview  # nothing happened


def outsider(w: World, who: str) -> Actor:
    if who == "volunteer":
        return w.volunteer()
    if who == "partner":
        return Actor("p-1", "Pat Partner", Role.PARTNER, frozenset({w.chapter}))
    return Actor("l-2", "Lee Elsewhere", Role.LEADER, frozenset({"another-chapter"}))


@pytest.mark.parametrize("who", ["volunteer", "partner", "leader of another chapter"])
def test_only_the_chapters_leaders_may_purge(world: World, who: str) -> None:
    add_old_data(world)
    actor = outsider(world, who)
    preview = Desk(world.store, world.leader).purge_preview(world.chapter)
    other = Desk(world.store, actor)
    assert not other.may_purge(world.chapter)
    with pytest.raises(PermissionDenied):
        other.purge_preview(world.chapter)
    with pytest.raises(PermissionDenied):
        other.purge_old_data(world.chapter, preview)


def test_a_co_leader_may_purge(world: World) -> None:
    add_old_data(world)
    co = Desk(world.store, Actor("c-1", "Co Leader", Role.CO_LEADER, frozenset({world.chapter})))
    assert co.may_purge(world.chapter)
    assert co.purge_old_data(world.chapter, co.purge_preview(world.chapter)).prospects_cleared == 2


def test_a_shorter_period_reaches_the_recent_meeting(world: World, desk: Desk) -> None:
    add_old_data(world)
    settings = desk.chapter_settings(world.chapter)
    desk.update_chapter_settings(
        world.chapter, type(settings)(**{**vars(settings), "retention_months": 6})
    )
    preview = desk.purge_preview(world.chapter)
    assert preview.cutoff == months_before(date.today(), 6)
    assert [m.title for m in preview.meetings] == ["Fiscal year-end 2019"]  # 2 months: kept


# ------------------------------------------------------------------------------- the dialog


@pytest.mark.gui
def test_the_purge_dialog_previews_then_purges(
    qtbot: QtBot, world: World, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = add_old_data(world)
    runner = TaskRunner()
    errors: list[BaseException] = []

    def run(job, done, failed=None):  # type: ignore[no-untyped-def]
        runner.submit(lambda: job(desk), done, failed or errors.append)

    dialog = PurgeDialog(run, world.chapter)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.preview is not None)
    assert dialog.prospects.rowCount() == 2 and dialog.meetings.rowCount() == 1
    assert "2 prospect(s)" in dialog.headline.text()
    assert dialog.prospects.row_at(0).name == "Olga Old"
    assert dialog.purge_button.isEnabled()

    # Cancelling the confirmation purges nothing.
    box = dialog.confirm()
    assert isinstance(box, QMessageBox) and box.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert person(world, old.people["Olga"]).email == "olga@example.org"

    box = dialog.confirm()
    assert box is not None
    purge = next(b for b in box.buttons() if b.text() == "Purge")
    with qtbot.waitSignal(dialog.purged, timeout=10_000) as announced:
        purge.click()
    message = announced.args[0]
    assert "2 prospect(s)" in message and "5 check-in events" in message and "@" not in message
    qtbot.waitUntil(lambda: dialog.preview is not None and dialog.preview.is_empty)
    assert dialog.result.text() == message and not dialog.purge_button.isEnabled()
    assert person(world, old.people["Olga"]).email == ""
    assert not errors
    runner.wait_for_done()


@pytest.mark.gui
def test_the_purge_dialog_shows_a_stale_refusal_and_previews_again(
    qtbot: QtBot, world: World, desk: Desk
) -> None:
    old = add_old_data(world)
    runner = TaskRunner()

    def run(job, done, failed=None):  # type: ignore[no-untyped-def]
        runner.submit(lambda: job(desk), done, failed or (lambda exc: None))

    dialog = PurgeDialog(run, world.chapter)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.preview is not None)
    with world.store.session() as s:  # Sid became a member meanwhile
        sid = s.get(Person, old.people["Sid"])
        assert sid is not None
        sid.membership = Membership.MEMBER
    stale = dialog.preview
    assert stale is not None
    dialog.purge(stale)
    qtbot.waitUntil(lambda: dialog.warning.isVisible())
    assert "ROS-1" in dialog.warning.text()
    qtbot.waitUntil(lambda: dialog.preview is not stale)
    assert [p.name for p in dialog.preview.prospects] == ["Olga Old"]  # type: ignore[union-attr]
    assert person(world, old.people["Olga"]).email == "olga@example.org"
    runner.wait_for_done()


@pytest.mark.gui
def test_the_purge_dialog_stays_open_until_the_purge_is_done(
    qtbot: QtBot, world: World, desk: Desk
) -> None:
    add_old_data(world)
    held: list[tuple[object, object, object]] = []

    def run(job, done, failed=None):  # type: ignore[no-untyped-def]
        held.append((job, done, failed))

    def answer_next() -> None:
        job, done, _failed = held.pop(0)
        done(job(desk))  # type: ignore[operator]

    dialog = PurgeDialog(run, world.chapter)
    qtbot.addWidget(dialog)
    dialog.open()
    answer_next()  # the preview
    assert dialog.preview is not None
    dialog.purge(dialog.preview)
    dialog.reject()  # Escape or Close while the worker purges
    assert dialog.isVisible()
    answer_next()  # the purge
    answer_next()  # the preview after it
    assert "2 prospect(s)" in dialog.result.text()
    dialog.reject()
    assert not dialog.isVisible()


def test_registrations_of_old_meetings_keep_their_status(world: World, desk: Desk) -> None:
    old = add_old_data(world)
    desk.purge_old_data(world.chapter, desk.purge_preview(world.chapter))
    with world.store.session() as s:
        reg = s.get(Registration, old.regs["mona_old"])
        assert reg is not None and reg.status is RegistrationStatus.REGISTERED and not reg.deleted


def test_a_purged_meeting_still_shows_who_came(world: World, desk: Desk) -> None:
    """The check-in desk of an old meeting falls back on ``attended`` once the events are gone."""
    old = add_old_data(world)
    before = {r.registration_id: r.checked_in for r in desk.attendees(old.old_meeting)}
    desk.purge_old_data(world.chapter, desk.purge_preview(world.chapter))
    after = {r.registration_id: r.checked_in for r in desk.attendees(old.old_meeting)}
    assert after[old.regs["ann_old"]] is True  # came (and left: the detail is gone)
    assert after[old.regs["olga_old"]] is True
    assert after[old.regs["cleo_old"]] is False  # the check-in was undone
    assert after[old.regs["mona_old"]] is False
    assert before[old.regs["olga_old"]] is True
