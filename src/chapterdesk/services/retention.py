"""Retention (ROS-1): contact data of prospects who never joined, and check-in detail of old
meetings, are kept no longer than the chapter's period (``Chapter.retention_months``).

What goes, precisely. The *cutoff* is today minus the retention period (the 31st becomes the
last day of a shorter month).

* A prospect's contact data (email, phone, notes, email consent) is cleared when the person is
  a prospect (``Membership.PROSPECT``) who never was a member (no ``member_since`` and no
  ``renewal_date``), still has some contact data, and whose *last activity* is before the
  cutoff. Last activity is the latest of: the last change to their roster entry (its HLC
  ``updated_at`` stamp, which creation sets too), the start of any meeting they have a
  registration for (any status, so a future meeting counts), and the time of any registration.
  A stamp that cannot be read counts as recent: when in doubt, nothing is cleared. Name and
  organisation stay (registrations and badges refer to them); ``search_text`` is rebuilt
  without the email. Removed (tombstoned) roster entries are cleared too.
* The check-in detail of a meeting that *ended* before the cutoff goes: its check-in events get
  the ``deleted`` tombstone (so every laptop drops them when synced) and lose when, on which
  desk and by whom (``at``, ``hlc``, ``device_id``, ``actor_id``). Each registration of such a
  meeting keeps whether the person came in ``Registration.attended``: a check-in that was not
  undone means they came, even if they were checked out later.

Every change is queued in the outbox in the same transaction: each prospect's through
:func:`record_change` (an audit event per person, naming no one), the attendance flags and the
check-in tombstones in bulk. Outbox rows written earlier for the same rows go if they were sent
(the server has them) or have the same fields replaced if not, and the ``check_in.*`` audit
events no longer name the event they were about, so the detail does not survive beside the
data. One ``retention.purged`` audit event records the period and the counts, never names or
addresses.

A purge does exactly what its preview showed: the service computes the preview again and
refuses (ROS-1) when anything differs, so the leader looks at the list again first.
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.checkin import CheckInEventFacts
from chapterdesk.domain.enums import CheckInKind, Membership
from chapterdesk.domain.permissions import Action, allows, require
from chapterdesk.domain.text import fold, search_key
from chapterdesk.domain.violations import NotFound, RuleViolation
from chapterdesk.hlc import Timestamp
from chapterdesk.i18n import _
from chapterdesk.services.changes import record_audit
from chapterdesk.store.models import (
    AuditEvent,
    Chapter,
    CheckInEvent,
    Meeting,
    Organisation,
    OutboxEntry,
    Person,
    Registration,
)

# What a purged check-in event holds instead of its instant: the start of the epoch.
PURGED_AT = datetime(1970, 1, 1, tzinfo=UTC)
_CONTACT_CLEARED: dict[str, Any] = {
    "email": "",
    "phone": "",
    "notes": "",
    "consent_email": False,
}
_CHECK_IN_SCRUBBED: dict[str, Any] = {
    "device_id": "",
    "actor_id": "",
    "hlc": "",
    "at": PURGED_AT.isoformat(),
}
_CHUNK = 400  # ids per IN (...) clause, well under SQLite's parameter limit


@dataclass(frozen=True)
class ProspectToClear:
    """A prospect whose contact data the purge clears."""

    person_id: str
    name: str
    organisation: str
    last_activity: date


@dataclass(frozen=True)
class MeetingToClear:
    """An old meeting whose check-in detail the purge removes."""

    meeting_id: str
    title: str
    starts_at: datetime
    check_in_events: int
    registrations: int
    attended: int  # registrations that will be marked as came


@dataclass(frozen=True)
class PurgePreview:
    """What a purge would do today; hand it back to :func:`purge` unchanged."""

    chapter_id: str
    today: date
    retention_months: int
    cutoff: date
    prospects: tuple[ProspectToClear, ...]
    meetings: tuple[MeetingToClear, ...]
    # A digest of the exact rows (prospects, check-in events, registrations) the purge touches.
    fingerprint: str

    @property
    def check_in_events(self) -> int:
        return sum(m.check_in_events for m in self.meetings)

    @property
    def is_empty(self) -> bool:
        return not self.prospects and not self.meetings


@dataclass(frozen=True)
class PurgeResult:
    """The counts a purge announces and records (never names)."""

    cutoff: date
    prospects_cleared: int
    meetings: int
    check_in_events_removed: int
    attendance_recorded: int


def today() -> date:
    """The calendar day on this laptop: the retention period counts in local days."""
    return date.today()


def may_purge(actor: Actor, chapter_id: str) -> bool:
    """Whether ``actor`` may preview and purge in ``chapter_id`` (leaders, ROS-1)."""
    return allows(actor, Action.PURGE_DATA, chapter_id)


def months_before(day: date, months: int) -> date:
    """``day`` moved back ``months`` calendar months, clamped to the shorter month's end."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def ever_attended(events: Iterable[CheckInEventFacts]) -> bool:
    """Came at all: some check-in that was not undone (a later check-out does not matter)."""
    listed = list(events)
    undone = {e.undoes_event_id for e in listed if e.kind is CheckInKind.UNDO}
    return any(e.kind is CheckInKind.IN and e.id not in undone for e in listed)


def _stamp_day(stamp: str) -> date | None:
    """The local calendar day of an HLC stamp; None when it cannot be read."""
    try:
        wall_ms = Timestamp.decode(stamp).wall_ms
    except ValueError:
        return None
    return datetime.fromtimestamp(wall_ms / 1000, UTC).astimezone().date()


def _chapter(session: Session, chapter_id: str) -> Chapter:
    chapter = session.get(Chapter, chapter_id)
    if chapter is None or chapter.deleted:
        raise NotFound(_("That chapter no longer exists."))
    return chapter


@dataclass(frozen=True)
class _Plan:
    preview: PurgePreview
    people: list[Person]
    organisation_names: dict[str, str]
    events: list[CheckInEvent]
    attended: dict[str, bool]  # registration id → came, for registrations to mark
    registrations: dict[str, Registration]  # held, so the session need not load them again


def _prospects(
    session: Session, chapter_id: str, cutoff: date
) -> tuple[list[tuple[Person, str, date]], dict[str, str]]:
    has_contact = or_(
        Person.email != "", Person.phone != "", Person.notes != "", Person.consent_email.is_(True)
    )
    rows = session.execute(
        select(Person, Organisation.name)
        .join(Organisation, Organisation.id == Person.organisation_id)
        .where(
            Person.chapter_id == chapter_id,
            Person.membership == Membership.PROSPECT,
            Person.member_since.is_(None),
            Person.renewal_date.is_(None),
            has_contact,
        )
    ).all()
    if not rows:
        return [], {}
    ids = [person.id for person, _org in rows]
    latest_meeting: dict[str, date] = {}
    latest_registration: dict[str, date] = {}
    for chunk in _chunks(ids):
        for person_id, starts, registered in session.execute(
            select(
                Registration.person_id,
                func.max(Meeting.starts_at),
                func.max(Registration.registered_at),
            )
            .join(Meeting, Meeting.id == Registration.meeting_id)
            .where(Registration.person_id.in_(chunk), Registration.deleted.is_(False))
            .group_by(Registration.person_id)
        ):
            if starts is not None:
                latest_meeting[person_id] = starts.date()
            if registered is not None:  # max() keeps the column type: an aware instant
                latest_registration[person_id] = registered.astimezone().date()
    chosen = []
    names = {}
    for person, org_name in rows:
        touched = _stamp_day(person.updated_at)
        if touched is None:
            continue  # cannot tell how old it is: keep it
        last = max(
            d
            for d in (touched, latest_meeting.get(person.id), latest_registration.get(person.id))
            if d is not None
        )
        if last < cutoff:
            chosen.append((person, org_name, last))
            names[person.organisation_id] = org_name
    chosen.sort(key=lambda c: (fold(c[0].last_name), fold(c[0].first_name), c[0].id))
    return chosen, names


def _old_meetings(
    session: Session, chapter_id: str, cutoff: date
) -> tuple[list[Meeting], list[CheckInEvent], list[Registration]]:
    """Meetings that ended before the cutoff and still have check-in events; their events and
    registrations (removed ones too: their events go as well)."""
    before = datetime.combine(cutoff, time.min)
    meetings = session.scalars(
        select(Meeting)
        .where(
            Meeting.chapter_id == chapter_id,
            Meeting.ends_at < before,
            select(CheckInEvent.id)
            .join(Registration, Registration.id == CheckInEvent.registration_id)
            .where(Registration.meeting_id == Meeting.id, CheckInEvent.deleted.is_(False))
            .exists(),
        )
        .order_by(Meeting.starts_at, Meeting.id)
    ).all()
    events: list[CheckInEvent] = []
    registrations: list[Registration] = []
    for chunk in _chunks([m.id for m in meetings]):
        registrations.extend(
            session.scalars(select(Registration).where(Registration.meeting_id.in_(chunk)))
        )
        events.extend(
            session.scalars(
                select(CheckInEvent)
                .join(Registration, Registration.id == CheckInEvent.registration_id)
                .where(Registration.meeting_id.in_(chunk), CheckInEvent.deleted.is_(False))
            )
        )
    return list(meetings), events, registrations


def _plan(session: Session, actor: Actor, chapter_id: str, today: date) -> _Plan:
    require(actor, Action.PURGE_DATA, chapter_id)
    chapter = _chapter(session, chapter_id)
    months = chapter.retention_months
    cutoff = months_before(today, months)
    prospects, org_names = _prospects(session, chapter_id, cutoff)
    meetings, events, registrations = _old_meetings(session, chapter_id, cutoff)

    meeting_of_reg = {r.id: r.meeting_id for r in registrations}
    facts_by_reg: dict[str, list[CheckInEventFacts]] = {}
    events_by_meeting: dict[str, int] = {}
    for e in events:
        facts_by_reg.setdefault(e.registration_id, []).append(
            CheckInEventFacts(
                e.id, e.registration_id, e.kind, e.hlc, e.device_id, e.at, e.undoes_event_id
            )
        )
        meeting_id = meeting_of_reg[e.registration_id]
        events_by_meeting[meeting_id] = events_by_meeting.get(meeting_id, 0) + 1
    attended: dict[str, bool] = {}  # only registrations whose flag changes
    came_by_meeting: dict[str, int] = {}
    regs_by_meeting: dict[str, int] = {}
    for reg in registrations:
        if reg.deleted:
            continue
        came = bool(reg.attended) or ever_attended(facts_by_reg.get(reg.id, []))
        if reg.attended is not came:
            attended[reg.id] = came
        regs_by_meeting[reg.meeting_id] = regs_by_meeting.get(reg.meeting_id, 0) + 1
        came_by_meeting[reg.meeting_id] = came_by_meeting.get(reg.meeting_id, 0) + came
    people = [p for p, _org, _last in prospects]
    digest = hashlib.sha256()
    for part in (
        sorted(p.id for p in people),
        sorted(e.id for e in events),
        sorted(f"{rid}={came}" for rid, came in attended.items()),
    ):
        digest.update("\n".join(part).encode())
        digest.update(b"\x00")
    preview = PurgePreview(
        chapter_id=chapter_id,
        today=today,
        retention_months=months,
        cutoff=cutoff,
        prospects=tuple(
            ProspectToClear(p.id, f"{p.first_name} {p.last_name}".strip(), org, last)
            for p, org, last in prospects
        ),
        meetings=tuple(
            MeetingToClear(
                meeting_id=m.id,
                title=m.title,
                starts_at=m.starts_at,
                check_in_events=events_by_meeting.get(m.id, 0),
                registrations=regs_by_meeting.get(m.id, 0),
                attended=came_by_meeting.get(m.id, 0),
            )
            for m in meetings
        ),
        fingerprint=digest.hexdigest(),
    )
    return _Plan(preview, people, org_names, events, attended, {r.id: r for r in registrations})


def preview_purge(session: Session, actor: Actor, chapter_id: str, today: date) -> PurgePreview:
    """What :func:`purge` would clear today. Leaders only (ROS-1); changes nothing."""
    return _plan(session, actor, chapter_id, today).preview


def purge(
    session: Session, actor: Actor, chapter_id: str, today: date, expected: PurgePreview
) -> PurgeResult:
    """Clear exactly what ``expected`` (a :func:`preview_purge` result) showed, or refuse
    (ROS-1) when the data changed since, so the leader previews again."""
    plan = _plan(session, actor, chapter_id, today)
    if expected.chapter_id != chapter_id or plan.preview.fingerprint != expected.fingerprint:
        raise RuleViolation(
            "ROS-1",
            _("The chapter's data changed since the purge was previewed."),
            _("Preview the purge again, check what goes, then purge."),
        )
    preview = plan.preview
    cleared: dict[str, dict[str, Any]] = {}
    for person in plan.people:
        org = plan.organisation_names.get(person.organisation_id, "")
        cleared[person.id] = {
            **_CONTACT_CLEARED,
            "search_text": search_key(person.first_name, person.last_name, org),
        }
    _scrub_outbox(session, "people", cleared)
    _scrub_outbox(
        session, "check_in_events", dict.fromkeys((e.id for e in plan.events), _CHECK_IN_SCRUBBED)
    )
    _unlink_check_in_audit(session, [e.id for e in plan.events])
    for person in plan.people:
        fields = cleared[person.id]
        for name, value in fields.items():
            setattr(person, name, value)
        record_audit(
            session,
            actor,
            chapter_id=chapter_id,
            action="retention.contact_cleared",
            entity="people",
            entity_id=person.id,
        )
    # Attendance flags and tombstones are queued without an audit event each: a first purge
    # touches thousands of them, and the one ``retention.purged`` event below accounts for all.
    for reg_id, came in plan.attended.items():
        reg = plan.registrations[reg_id]
        reg.attended = came
    for event in plan.events:
        event.deleted = True
        event.device_id, event.actor_id, event.hlc = "", "", ""
        event.at = PURGED_AT
    result = PurgeResult(
        cutoff=preview.cutoff,
        prospects_cleared=len(plan.people),
        meetings=len(preview.meetings),
        check_in_events_removed=len(plan.events),
        attendance_recorded=len(plan.attended),
    )
    # The one event a leader looks for: the period and the counts, never names or addresses.
    record_audit(
        session,
        actor,
        chapter_id=chapter_id,
        action="retention.purged",
        entity="chapters",
        entity_id=chapter_id,
        details={
            "purpose": "retention (ROS-1)",
            "retention_months": preview.retention_months,
            "cutoff": preview.cutoff,
            "prospects_cleared": result.prospects_cleared,
            "meetings": result.meetings,
            "check_in_events_removed": result.check_in_events_removed,
            "attendance_recorded": result.attendance_recorded,
        },
    )
    return result


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _scrub_outbox(session: Session, entity: str, scrubbed: dict[str, dict[str, Any]]) -> None:
    """Older outbox rows of these rows carry the values being removed. Rows already sent are
    history the server has: they are emptied (values and stamps, which name the desk), but
    kept, so device sequence numbers never go back — the server deduplicates pushes by them.
    Unsent ones are still needed to create the row on the server: their values are replaced,
    keeping each field's stamp so the server orders them as before."""
    for chunk in _chunks(list(scrubbed)):
        for entry in session.scalars(
            select(OutboxEntry).where(
                OutboxEntry.entity == entity, OutboxEntry.entity_id.in_(chunk)
            )
        ):
            if entry.sent_at is not None:
                entry.patch = {}
                continue
            values = scrubbed[entry.entity_id]
            if not values.keys() & entry.patch.keys():
                continue
            # A new dict: JSON columns do not notice changes made inside the old one.
            entry.patch = {
                name: [values[name], stamped[1]] if name in values else stamped
                for name, stamped in entry.patch.items()
            }


def _unlink_check_in_audit(session: Session, event_ids: Sequence[str]) -> None:
    """``check_in.*`` audit events keep who worked the desk and when, but no longer name the
    event (whose registration names the person)."""
    for chunk in _chunks(event_ids):
        session.execute(
            update(AuditEvent)
            .where(
                AuditEvent.entity == "check_in_events",
                AuditEvent.action.startswith("check_in."),
                AuditEvent.entity_id.in_(chunk),
            )
            .values(entity_id=None)
            .execution_options(synchronize_session=False)
        )
