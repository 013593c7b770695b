"""Register, cancel, restore and approve: every MTG and ESC rule is checked here, through the
pure functions of :mod:`chapterdesk.domain.registration`, before anything is written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.codes import new_code
from chapterdesk.domain.enums import OrgCategory, RegistrationRole, RegistrationStatus
from chapterdesk.domain.permissions import Action
from chapterdesk.domain.registration import (
    ACTIVE_STATUSES,
    check_company_quota,
    check_escort,
    check_meeting_open,
    check_not_registered,
    check_partner_may_attend,
    partners_losing_escort,
    place,
)
from chapterdesk.domain.violations import NotFound, RuleViolation
from chapterdesk.i18n import _
from chapterdesk.services.changes import record_change
from chapterdesk.services.facts import (
    chapter_policy,
    load_meeting,
    meeting_facts,
    person_facts,
    registration_facts,
)
from chapterdesk.services.partners import check_partner_in_good_standing
from chapterdesk.store.models import Registration


@dataclass(frozen=True)
class Registered:
    """The outcome of a registration: where it landed and its badge code."""

    registration_id: str
    code: str
    status: RegistrationStatus
    waitlist_position: int | None


@dataclass(frozen=True)
class Cancelled:
    """What a cancellation set in motion: who moved up from the waiting list (MTG-3) and
    whose partners now need an escort (ESC-4)."""

    promoted: list[str]
    escort_needed: list[str]


_FIELDS = (
    "meeting_id",
    "person_id",
    "organisation_id",
    "category",
    "role",
    "status",
    "escort_registration_id",
    "company_slot",
    "waitlist_position",
    "code",
    "registered_at",
)


def _snapshot(reg: Registration, *names: str) -> dict[str, object]:
    return {name: getattr(reg, name) for name in names or _FIELDS}


def _unique_code(session: Session) -> str:
    while True:
        code = new_code()
        if session.scalar(select(Registration.id).where(Registration.code == code)) is None:
            return code


def register(
    session: Session,
    actor: Actor,
    meeting_id: str,
    person_id: str,
    *,
    escort_registration_id: str | None = None,
    role: RegistrationRole = RegistrationRole.ATTENDEE,
    now: datetime | None = None,
    at_the_door: bool = False,
) -> Registered:
    """Register a person: MTG-1…5, ESC-1, ESC-2, ESC-5 and ORG-4 are checked first; a refusal
    is a :class:`RuleViolation` and nothing is written."""
    action = Action.CHECK_IN if at_the_door else Action.MANAGE_MEETINGS
    meeting = load_meeting(session, actor, meeting_id, action)
    facts = meeting_facts(meeting)
    check_meeting_open(facts)
    person = person_facts(session, person_id, meeting.chapter_id)
    others = registration_facts(session, meeting_id)
    check_not_registered(person, others)
    policy = chapter_policy(session, meeting.chapter_id)
    company_slot: int | None = None
    escort_id: str | None = None
    if person.category is OrgCategory.PARTNER:
        check_partner_in_good_standing(session, person.org_id, "register for meetings")
        check_partner_may_attend(facts, person, now or datetime.now(), at_the_door)
        company_slot = check_company_quota(person, others, policy)
        if not facts.partner_exclusive:  # ESC-1: partner-exclusive meetings need no escort
            escort = next((r for r in others if r.id == escort_registration_id), None)
            check_escort(person, escort, others, policy)
            escort_id = escort_registration_id
    elif escort_registration_id is not None:
        raise RuleViolation(
            "ESC-1",
            _("Only partners are escorted; {name} is a {category}.").format(
                name=person.name, category=person.category.value
            ),
            _("Register {name} without an escort.").format(name=person.name),
        )
    placement = place(facts, person, others)
    reg = Registration(
        chapter_id=meeting.chapter_id,
        meeting_id=meeting.id,
        person_id=person.id,
        organisation_id=person.org_id,
        category=person.category,
        role=role,
        status=placement.status,
        escort_registration_id=escort_id,
        company_slot=company_slot,
        waitlist_position=placement.waitlist_position,
        code=_unique_code(session),
    )
    session.add(reg)
    session.flush()
    record_change(
        session,
        actor,
        chapter_id=meeting.chapter_id,
        entity="registrations",
        entity_id=reg.id,
        fields=_snapshot(reg),
        action="registration.created",
        details={
            "person": person.name,
            "meeting": meeting.title,
            "status": reg.status,
            "at_the_door": at_the_door,
        },
    )
    return Registered(reg.id, reg.code, reg.status, reg.waitlist_position)


def _load(session: Session, actor: Actor, registration_id: str) -> Registration:
    reg = session.get(Registration, registration_id)
    if reg is None or reg.deleted:
        raise NotFound(_("That registration no longer exists."))
    load_meeting(session, actor, reg.meeting_id, Action.MANAGE_MEETINGS)
    return reg


def _set(session: Session, actor: Actor, reg: Registration, action: str, **fields: object) -> None:
    for name, value in fields.items():
        setattr(reg, name, value)
    record_change(
        session,
        actor,
        chapter_id=reg.chapter_id,
        entity="registrations",
        entity_id=reg.id,
        fields=dict(fields),
        action=action,
    )


def cancel(session: Session, actor: Actor, registration_id: str) -> Cancelled:
    """Cancel (never delete): promote the waiting list in order (MTG-3), and turn the partners
    this person escorted to *escort needed* (ESC-4)."""
    reg = _load(session, actor, registration_id)
    if reg.status is RegistrationStatus.CANCELLED:
        return Cancelled([], [])
    was_holding_a_place = reg.status in ACTIVE_STATUSES
    _set(
        session,
        actor,
        reg,
        "registration.cancelled",
        status=RegistrationStatus.CANCELLED,
        waitlist_position=None,
    )
    others = registration_facts(session, reg.meeting_id)
    names = {r.id: r.person_name for r in others}
    flagged = []
    for partner in partners_losing_escort(reg.id, others):
        row = session.get(Registration, partner.id)
        assert row is not None
        _set(
            session,
            actor,
            row,
            "registration.escort_needed",
            status=RegistrationStatus.ESCORT_NEEDED,
        )
        flagged.append(names[partner.id])
    promoted = []
    if was_holding_a_place:
        promoted = _promote_waiting_list(session, actor, reg.meeting_id)
    _renumber_waiting_list(session, actor, reg.meeting_id)
    return Cancelled(promoted, flagged)


def _waiting(session: Session, meeting_id: str) -> list[Registration]:
    return list(
        session.scalars(
            select(Registration)
            .where(
                Registration.meeting_id == meeting_id,
                Registration.status == RegistrationStatus.WAITLISTED,
                Registration.deleted.is_(False),
            )
            .order_by(Registration.waitlist_position, Registration.registered_at)
        )
    )


def _promote_waiting_list(session: Session, actor: Actor, meeting_id: str) -> list[str]:
    """MTG-3: fill freed places from the head of the waiting list."""
    meeting = load_meeting(session, actor, meeting_id, Action.MANAGE_MEETINGS)
    active = sum(1 for r in registration_facts(session, meeting_id) if r.active)
    promoted = []
    for reg in _waiting(session, meeting_id)[: max(meeting.capacity - active, 0)]:
        _set(
            session,
            actor,
            reg,
            "registration.promoted",
            status=RegistrationStatus.REGISTERED,
            waitlist_position=None,
        )
        promoted.append(reg.person_id)
    names = {r.person_id: r.person_name for r in registration_facts(session, meeting_id)}
    return [names[p] for p in promoted]


def fill_freed_places(session: Session, actor: Actor, meeting_id: str) -> list[str]:
    """After places were added: promote from the waiting list in order (MTG-3)."""
    promoted = _promote_waiting_list(session, actor, meeting_id)
    _renumber_waiting_list(session, actor, meeting_id)
    return promoted


def _renumber_waiting_list(session: Session, actor: Actor, meeting_id: str) -> None:
    for position, reg in enumerate(_waiting(session, meeting_id), start=1):
        if reg.waitlist_position != position:
            _set(session, actor, reg, "registration.waitlist_moved", waitlist_position=position)


def restore(session: Session, actor: Actor, registration_id: str) -> Registered:
    """Undo a cancellation: the person gets a place if one is free, else joins the end of the
    waiting list (MTG-3); a partner's escort is checked again (ESC-1)."""
    reg = _load(session, actor, registration_id)
    if reg.status is not RegistrationStatus.CANCELLED:
        return Registered(reg.id, reg.code, reg.status, reg.waitlist_position)
    meeting = load_meeting(session, actor, reg.meeting_id, Action.MANAGE_MEETINGS)
    facts = meeting_facts(meeting)
    check_meeting_open(facts)
    person = person_facts(session, reg.person_id, reg.chapter_id)
    others = [r for r in registration_facts(session, reg.meeting_id) if r.id != reg.id]
    status_if_unescorted = None
    if reg.category is OrgCategory.PARTNER and not facts.partner_exclusive:
        policy = chapter_policy(session, reg.chapter_id)
        check_company_quota(person, others, policy)
        escort = next((r for r in others if r.id == reg.escort_registration_id), None)
        try:
            check_escort(person, escort, others, policy)
        except RuleViolation:
            status_if_unescorted = RegistrationStatus.ESCORT_NEEDED
    placement = place(facts, person, others)
    status = placement.status
    if status is not RegistrationStatus.WAITLISTED and status_if_unescorted is not None:
        status = status_if_unescorted
    _set(
        session,
        actor,
        reg,
        "registration.restored",
        status=status,
        waitlist_position=placement.waitlist_position,
    )
    return Registered(reg.id, reg.code, reg.status, reg.waitlist_position)


def approve(session: Session, actor: Actor, registration_id: str) -> Registered:
    """MTG-4: a leader lets a sales-role partner registration through."""
    reg = _load(session, actor, registration_id)
    if reg.status is not RegistrationStatus.PENDING_APPROVAL:
        raise RuleViolation(
            "MTG-4",
            _("This registration is not waiting for approval ({status}).").format(
                status=reg.status.value
            ),
            _("Nothing to approve."),
        )
    _set(
        session,
        actor,
        reg,
        "registration.approved",
        status=RegistrationStatus.REGISTERED,
        approved_by=actor.account_id,
    )
    return Registered(reg.id, reg.code, reg.status, reg.waitlist_position)


def assign_escort(
    session: Session, actor: Actor, registration_id: str, escort_registration_id: str
) -> Registered:
    """ESC-4 resolved: name a (new) escort for a partner; the rules of ESC-1/2/5 apply."""
    reg = _load(session, actor, registration_id)
    person = person_facts(session, reg.person_id, reg.chapter_id)
    others = [r for r in registration_facts(session, reg.meeting_id) if r.id != reg.id]
    escort = next((r for r in others if r.id == escort_registration_id), None)
    check_escort(person, escort, others, chapter_policy(session, reg.chapter_id))
    status = reg.status
    if status is RegistrationStatus.ESCORT_NEEDED:
        status = RegistrationStatus.REGISTERED
    _set(
        session,
        actor,
        reg,
        "registration.escort_assigned",
        escort_registration_id=escort_registration_id,
        status=status,
    )
    return Registered(reg.id, reg.code, reg.status, reg.waitlist_position)
