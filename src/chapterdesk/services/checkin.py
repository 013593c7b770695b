"""The check-in desk: who is registered, who is in, and the verdict for each person at the door.

Check-ins are append-only events (in, out, undo) stamped with the device and its clock, so two
laptops at the same door never conflict once synced; "checked in" is always derived.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, aliased

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.checkin import (
    CheckInEventFacts,
    DoorFacts,
    Presence,
    check_may_enter,
    last_undoable,
    presence,
    presences,
)
from chapterdesk.domain.codes import looks_like_code, normalise_code
from chapterdesk.domain.enums import CheckInKind, OrgCategory, RegistrationStatus
from chapterdesk.domain.permissions import Action, allows
from chapterdesk.domain.registration import ACTIVE_STATUSES
from chapterdesk.domain.text import fold, search_key
from chapterdesk.domain.violations import NotFound, RuleViolation
from chapterdesk.i18n import _
from chapterdesk.services.changes import clock_of, record_change
from chapterdesk.services.facts import load_meeting
from chapterdesk.services.views import AttendeeRow, DeskCounts, Verdict, VerdictLevel

if TYPE_CHECKING:
    from chapterdesk.services.roster_views import PartnerOfRecordRow
from chapterdesk.store.models import (
    CheckInEvent,
    Meeting,
    Organisation,
    Person,
    Registration,
)


def _events(session: Session, registration_ids: Iterable[str]) -> list[CheckInEventFacts]:
    ids = list(registration_ids)
    if not ids:
        return []
    return [
        CheckInEventFacts(
            e.id, e.registration_id, e.kind, e.hlc, e.device_id, e.at, e.undoes_event_id
        )
        for e in session.scalars(
            select(CheckInEvent).where(
                CheckInEvent.registration_id.in_(ids), CheckInEvent.deleted.is_(False)
            )
        )
    ]


def _meeting_events(session: Session, meeting_id: str) -> list[CheckInEventFacts]:
    rows = session.execute(
        select(CheckInEvent)
        .join(Registration, Registration.id == CheckInEvent.registration_id)
        .where(Registration.meeting_id == meeting_id, CheckInEvent.deleted.is_(False))
    ).scalars()
    return [
        CheckInEventFacts(
            e.id, e.registration_id, e.kind, e.hlc, e.device_id, e.at, e.undoes_event_id
        )
        for e in rows
    ]


def attendees(session: Session, actor: Actor, meeting_id: str) -> list[AttendeeRow]:
    """Everyone registered for (or waiting for, or cancelled from) the meeting, with their
    derived presence. Contact data only feeds the search key, and only for those allowed."""
    meeting = load_meeting(session, actor, meeting_id, Action.VIEW_MEETINGS)
    rows = _attendee_rows(
        session,
        actor,
        meeting.chapter_id,
        Registration.meeting_id == meeting_id,
        _meeting_events(session, meeting_id),
        meeting.partner_exclusive,
    )
    rows.sort(key=lambda a: (fold(a.last_name), fold(a.first_name)))
    return rows


def _problem(reg: Registration, excluded: bool, partner_exclusive: bool) -> str:
    """The rule an active registration breaks, for the leader to resolve before the door."""
    if reg.status is RegistrationStatus.CANCELLED:
        return ""
    if reg.category is not OrgCategory.PARTNER:
        return reg.flag_rule  # e.g. a customer turned partner by an organisation change
    if excluded:
        return "ORG-4"
    if partner_exclusive:
        return ""
    if reg.status is RegistrationStatus.ESCORT_NEEDED:
        return "ESC-4"
    if reg.escort_registration_id is None:
        return "ESC-1"
    return reg.flag_rule


def _note(
    reg: Registration, escort_org: str | None, records: dict[str, list[PartnerOfRecordRow]]
) -> str:
    if reg.flag_note and reg.status is not RegistrationStatus.CANCELLED:
        return reg.flag_note
    if reg.category is OrgCategory.PARTNER and escort_org:
        from chapterdesk.services.organisations import incumbent_note

        return incumbent_note(records.get(escort_org, []), reg.organisation_id)
    return ""


def _attendee_rows(
    session: Session,
    actor: Actor,
    chapter_id: str,
    where: ColumnElement[bool],
    events: list[CheckInEventFacts],
    partner_exclusive: bool,
) -> list[AttendeeRow]:
    with_email = allows(actor, Action.VIEW_CONTACT_DETAILS, chapter_id)
    leader = allows(actor, Action.VIEW_ROSTER, chapter_id)
    # Roster management loads when first needed, not at start-up (benchmarks/startup.py).
    from chapterdesk.services.organisations import partners_of_record

    records = partners_of_record(session, chapter_id) if leader else {}
    escort_reg = aliased(Registration)
    escort_person = aliased(Person)
    rows = session.execute(
        select(
            Registration,
            Person.first_name,
            Person.last_name,
            Person.membership,
            Person.email,
            Organisation.name,
            Organisation.excluded_kind,
            escort_person.first_name,
            escort_person.last_name,
            escort_reg.organisation_id,
        )
        .join(Person, Person.id == Registration.person_id)
        .join(Organisation, Organisation.id == Registration.organisation_id)
        .outerjoin(escort_reg, escort_reg.id == Registration.escort_registration_id)
        .outerjoin(escort_person, escort_person.id == escort_reg.person_id)
        .where(where, Registration.deleted.is_(False))
    ).all()
    present = presences(events)
    result = []
    for reg, first, last, membership, email, org, excluded, e_first, e_last, e_org in rows:
        state = present.get(reg.id, Presence(False))
        email_prefix = email.split("@", 1)[0] if with_email and email else ""
        result.append(
            AttendeeRow(
                registration_id=reg.id,
                code=reg.code,
                person_id=reg.person_id,
                first_name=first,
                last_name=last,
                organisation=org,
                category=reg.category,
                membership=membership,
                status=reg.status,
                escort_registration_id=reg.escort_registration_id,
                escort_name=f"{e_first} {e_last}" if e_first else "",
                # After a retention purge (ROS-1) only "came or not" is left of the events.
                checked_in=state.checked_in or (state.since is None and bool(reg.attended)),
                checked_in_at=state.since.at if state.since else None,
                checked_in_device=state.since.device_id if state.since else "",
                search_text=search_key(first, last, org, reg.code, email_prefix),
                problem=_problem(reg, excluded is not None, partner_exclusive),
                note=_note(reg, e_org, records) if leader else "",
            )
        )
    return result


def counts(session: Session, actor: Actor, meeting_id: str) -> DeskCounts:
    """The live figures at the top of the desk."""
    return summarise(attendees(session, actor, meeting_id))


def summarise(rows: list[AttendeeRow]) -> DeskCounts:
    """Registered, in, partners in, escorts in, waiting: counted from the attendee list."""
    escort_ids = {r.escort_registration_id for r in rows if r.escort_registration_id}
    return DeskCounts(
        registered=sum(1 for r in rows if r.status in ACTIVE_STATUSES),
        checked_in=sum(1 for r in rows if r.checked_in),
        partners_in=sum(1 for r in rows if r.checked_in and r.category is OrgCategory.PARTNER),
        escorts_in=sum(1 for r in rows if r.checked_in and r.registration_id in escort_ids),
        waitlisted=sum(1 for r in rows if r.status is RegistrationStatus.WAITLISTED),
    )


def _row(session: Session, actor: Actor, registration_id: str) -> AttendeeRow | None:
    """One attendee, without loading the whole meeting (the verdict after each scan)."""
    reg = session.get(Registration, registration_id)
    if reg is None:
        return None
    rows = _attendee_rows(
        session,
        actor,
        reg.chapter_id,
        Registration.id == registration_id,
        _events(session, [registration_id]),
        bool(session.scalar(select(Meeting.partner_exclusive).where(Meeting.id == reg.meeting_id))),
    )
    return rows[0] if rows else None


def _door(reg: Registration, name: str, org: str, exclusive: bool) -> DoorFacts:
    return DoorFacts(
        reg.id, name, org, reg.category, reg.status, reg.escort_registration_id, exclusive
    )


def _describe(session: Session, reg: Registration) -> tuple[str, str]:
    row = session.execute(
        select(Person.first_name, Person.last_name, Organisation.name)
        .select_from(Registration)
        .join(Organisation, Organisation.id == Registration.organisation_id)
        .join(Person, Person.id == Registration.person_id)
        .where(Registration.id == reg.id)
    ).one()
    return f"{row[0]} {row[1]}", row[2]


def _when(event: CheckInEventFacts) -> str:
    local = event.at.astimezone()
    return local.strftime("%H:%M")


def _append(
    session: Session, actor: Actor, reg: Registration, kind: CheckInKind, undoes: str | None = None
) -> CheckInEvent:
    clock = clock_of(session)
    event = CheckInEvent(
        chapter_id=reg.chapter_id,
        registration_id=reg.id,
        kind=kind,
        undoes_event_id=undoes,
        device_id=clock.device,
        hlc=clock.now().encode(),
        actor_id=actor.account_id,
    )
    session.add(event)
    session.flush()
    record_change(
        session,
        actor,
        chapter_id=reg.chapter_id,
        entity="check_in_events",
        entity_id=event.id,
        fields={
            "registration_id": reg.id,
            "kind": kind,
            "undoes_event_id": undoes,
            "device_id": event.device_id,
            "hlc": event.hlc,
            "actor_id": actor.account_id,
            "at": event.at,
        },
        action=f"check_in.{kind.value}",
    )
    return event


def check_in(session: Session, actor: Actor, registration_id: str) -> Verdict:
    """Check one registration in, or explain why not (ESC-3, ESC-4, MTG-3, MTG-4)."""
    reg = session.get(Registration, registration_id)
    if reg is None or reg.deleted:
        raise NotFound(_("That registration no longer exists."))
    meeting = load_meeting(session, actor, reg.meeting_id, Action.CHECK_IN)
    name, org = _describe(session, reg)
    if meeting.cancelled:
        return Verdict(
            VerdictLevel.REFUSED,
            _("This meeting was cancelled"),
            _("“{title}” is marked cancelled, so nobody can be checked in.").format(
                title=meeting.title
            ),
            fix=_("If it is going ahead after all, un-cancel it on the Meetings page."),
        )
    state = presence(_events(session, [reg.id]))
    if state.checked_in and state.since is not None:
        return Verdict(
            VerdictLevel.ATTENTION,
            _("{name} is already checked in").format(name=name),
            _("Checked in at {time} on desk {desk}.").format(
                time=_when(state.since), desk=state.since.device_id[:8]
            ),
            attendee=_row(session, actor, reg.id),
        )
    escort = (
        session.get(Registration, reg.escort_registration_id)
        if (reg.escort_registration_id)
        else None
    )
    escort_state = presence(_events(session, [escort.id])) if escort else None
    escort_door = None
    if escort is not None:
        escort_name, escort_org = _describe(session, escort)
        escort_door = _door(escort, escort_name, escort_org, meeting.partner_exclusive)
    try:
        check_may_enter(_door(reg, name, org, meeting.partner_exclusive), escort_door, escort_state)
    except RuleViolation as refusal:
        offer = None
        if (
            refusal.rule_id == "ESC-3"
            and escort is not None
            and escort.status is RegistrationStatus.REGISTERED
        ):
            offer = _row(session, actor, escort.id)
        return _refusal(refusal, name, offer, _row(session, actor, reg.id))
    _append(session, actor, reg, CheckInKind.IN)
    label = _("PARTNER · {org}").format(org=org) if reg.category is OrgCategory.PARTNER else org
    return Verdict(
        VerdictLevel.OK,
        _("{name} is checked in").format(name=name),
        label,
        attendee=_row(session, actor, reg.id),
        changed=True,
    )


def _refusal(
    refusal: RuleViolation, name: str, offer: AttendeeRow | None, attendee: AttendeeRow | None
) -> Verdict:
    headline = (
        _("{name} cannot come in yet") if offer else _("{name} cannot be checked in")
    ).format(name=name)
    return Verdict(
        VerdictLevel.ATTENTION if offer else VerdictLevel.REFUSED,
        headline,
        refusal.message,
        refusal.rule_id,
        refusal.fix,
        attendee,
        offer,
    )


def scan(
    session: Session, actor: Actor, meeting_id: str, text: str, now: datetime | None = None
) -> Verdict:
    """A code from a scanner (or typed): check that person in, or say plainly what is wrong
    with the code. Unknown, malformed and other meetings' codes change nothing."""
    meeting = load_meeting(session, actor, meeting_id, Action.CHECK_IN)
    code = normalise_code(text)
    if not looks_like_code(code):
        return Verdict(
            VerdictLevel.REFUSED,
            _("That is not a registration code"),
            _("The scanner read “{text}”, which is not a ChapterDesk code.").format(
                text=text.strip()[:40]
            ),
            fix=_("Scan the QR code on the badge or confirmation again, or search by name."),
        )
    reg = session.scalar(
        select(Registration).where(Registration.code == code, Registration.deleted.is_(False))
    )
    if reg is None:
        return Verdict(
            VerdictLevel.REFUSED,
            _("Unknown code {code}").format(code=code),
            _("No registration on this laptop has that code."),
            fix=_(
                "Search the person by name; if they are not registered, register them as a "
                "walk-in (customers only, MTG-2)."
            ),
        )
    if reg.meeting_id != meeting.id:
        other = session.get(Meeting, reg.meeting_id)
        name, _org = _describe(session, reg)
        when = other.starts_at.strftime("%a %d %b %Y") if other else "?"
        return Verdict(
            VerdictLevel.REFUSED,
            _("Code for another meeting"),
            _("{name}'s code {code} is for “{title}” on {when}, not this meeting.").format(
                name=name, code=code, title=other.title if other else "?", when=when
            ),
            fix=_(
                "Search {name} by name to see whether they are registered for this meeting."
            ).format(name=name),
        )
    return check_in(session, actor, reg.id)


def _latest(
    session: Session, actor: Actor, registration_id: str
) -> tuple[Registration, CheckInEventFacts | None]:
    reg = session.get(Registration, registration_id)
    if reg is None or reg.deleted:
        raise NotFound(_("That registration no longer exists."))
    load_meeting(session, actor, reg.meeting_id, Action.CHECK_IN)
    return reg, last_undoable(_events(session, [reg.id]))


def _partners_flagged(session: Session, actor: Actor, reg: Registration) -> list[str]:
    """ESC-3: partners still inside whose escort just left (or whose check-in was undone)."""
    partners = session.scalars(
        select(Registration).where(
            Registration.escort_registration_id == reg.id, Registration.deleted.is_(False)
        )
    ).all()
    inside = presences(_events(session, [p.id for p in partners]))
    return [
        _describe(session, p)[0] for p in partners if inside.get(p.id, Presence(False)).checked_in
    ]


def check_out(session: Session, actor: Actor, registration_id: str) -> Verdict:
    """Record that someone left; leaving escorts flag the partners they brought (ESC-3)."""
    reg, _last = _latest(session, actor, registration_id)
    name, _org = _describe(session, reg)
    if not presence(_events(session, [reg.id])).checked_in:
        return Verdict(
            VerdictLevel.ATTENTION,
            _("{name} is not checked in").format(name=name),
            attendee=_row(session, actor, reg.id),
        )
    _append(session, actor, reg, CheckInKind.OUT)
    return replace(
        _after_leaving(session, actor, reg, _("{name} checked out").format(name=name)),
        changed=True,
    )


def undo(session: Session, actor: Actor, registration_id: str) -> Verdict:
    """Take back the latest check-in or check-out, as a new event (never a deletion)."""
    reg, last = _latest(session, actor, registration_id)
    name, _org = _describe(session, reg)
    if last is None:
        return Verdict(
            VerdictLevel.ATTENTION,
            _("Nothing to undo for {name}").format(name=name),
            attendee=_row(session, actor, reg.id),
        )
    _append(session, actor, reg, CheckInKind.UNDO, undoes=last.id)
    headline = (
        _("Check-in of {name} undone")
        if last.kind is CheckInKind.IN
        else _("Check-out of {name} undone")
    ).format(name=name)
    return replace(_after_leaving(session, actor, reg, headline), changed=True)


def _after_leaving(session: Session, actor: Actor, reg: Registration, headline: str) -> Verdict:
    flagged = (
        _partners_flagged(session, actor, reg)
        if not presence(_events(session, [reg.id])).checked_in
        else []
    )
    if flagged:
        return Verdict(
            VerdictLevel.ATTENTION,
            headline,
            (
                _("They escort {names}, who is still checked in.")
                if len(flagged) == 1
                else _("They escort {names}, who are still checked in.")
            ).format(names=", ".join(flagged)),
            rule_id="ESC-3",
            fix=_(
                "Partners stay only with their escort: check them out too, or name another "
                "escort who is here."
            ),
            attendee=_row(session, actor, reg.id),
        )
    return Verdict(VerdictLevel.OK, headline, attendee=_row(session, actor, reg.id))
