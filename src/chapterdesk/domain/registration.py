"""MTG and ESC rules for registering people for a meeting.

Pure functions over small fact records: the services gather the facts from the database, the
server will gather the same facts from its own data, and both ask these functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from chapterdesk.domain.enums import (
    JobRole,
    Membership,
    OrgCategory,
    RegistrationStatus,
)
from chapterdesk.domain.people import OrgFacts, check_may_take_part_as_partner
from chapterdesk.domain.violations import RuleViolation
from chapterdesk.i18n import _

# Registrations that hold a place at the meeting (the waiting list and cancellations do not).
ACTIVE_STATUSES = frozenset(
    {
        RegistrationStatus.REGISTERED,
        RegistrationStatus.PENDING_APPROVAL,
        RegistrationStatus.ESCORT_NEEDED,
    }
)


@dataclass(frozen=True)
class MeetingFacts:
    id: str
    title: str
    starts_at: datetime  # wall-clock time at the venue
    capacity: int
    partners_welcome: bool
    partner_exclusive: bool
    cancelled: bool = False

    @property
    def partners_invited(self) -> bool:
        """MTG-1 / MTG-7: partners come only where the meeting says so."""
        return self.partners_welcome or self.partner_exclusive


@dataclass(frozen=True)
class ChapterPolicy:
    """Chapter settings the rules refer to, with the defaults of rules.md."""

    max_partner_attendees: int = 2  # MTG-5
    max_escorted_companies: int = 1  # ESC-5


@dataclass(frozen=True)
class PersonFacts:
    id: str
    name: str
    org_id: str
    org: OrgFacts
    membership: Membership
    job_role: JobRole

    @property
    def category(self) -> OrgCategory:
        return self.org.category


@dataclass(frozen=True)
class RegistrationFacts:
    """An existing registration at the same meeting, as the rules need to see it."""

    id: str
    person_id: str
    person_name: str
    organisation_id: str
    organisation_name: str
    category: OrgCategory
    status: RegistrationStatus
    escort_registration_id: str | None
    excluded: bool = False
    uses_dynamics: bool = False

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES


@dataclass(frozen=True)
class Placement:
    """Where a new registration lands: its status and, on the waiting list, its position."""

    status: RegistrationStatus
    waitlist_position: int | None = None
    company_slot: int | None = None


def check_meeting_open(meeting: MeetingFacts) -> None:
    if meeting.cancelled:
        raise RuleViolation(
            "MTG-3",
            _("{title} has been cancelled.").format(title=meeting.title),
            _("Restore the meeting first, or register for another one."),
        )


def check_partner_may_attend(
    meeting: MeetingFacts, person: PersonFacts, now: datetime, at_the_door: bool = False
) -> None:
    """MTG-1, MTG-2, MTG-7 and ORG-4 for a partner person."""
    check_may_take_part_as_partner(person.org)
    if not meeting.partners_invited:
        raise RuleViolation(
            "MTG-1",
            _("{title} is for customers only; partners are not invited.").format(
                title=meeting.title
            ),
            _(
                "Invite {name} to a meeting that welcomes partners, or change this meeting's "
                "partner policy first."
            ).format(name=person.name),
        )
    if at_the_door or now >= meeting.starts_at:
        raise RuleViolation(
            "MTG-2",
            _("{name} is a partner and was not registered before the meeting started.").format(
                name=person.name
            ),
            _(
                "Partners must register in advance; {name} can register for the next meeting."
            ).format(name=person.name),
        )


def escort_candidates(registrations: Iterable[RegistrationFacts]) -> list[RegistrationFacts]:
    """Customers registered for the meeting who may escort a partner (ESC-1, ESC-2)."""
    return [
        r
        for r in registrations
        if r.category is OrgCategory.CUSTOMER
        and r.status is RegistrationStatus.REGISTERED
        and not r.excluded
    ]


def check_escort(
    partner: PersonFacts,
    escort: RegistrationFacts | None,
    others: Iterable[RegistrationFacts],
    policy: ChapterPolicy,
) -> None:
    """ESC-1, ESC-2 and ESC-5: a partner names a registered customer who is not already the
    escort of too many other partner companies."""
    others = list(others)
    if escort is None:
        names = ", ".join(c.person_name for c in escort_candidates(others)[:5])
        raise RuleViolation(
            "ESC-1",
            _(
                "{name} ({org}) needs an escort: a customer who invited them and is registered "
                "for this meeting."
            ).format(name=partner.name, org=partner.org.name),
            (
                _("Register the customer who invited them, or pick one of: {names}.").format(
                    names=names
                )
                if names
                else _("Register the customer who invited them first.")
            ),
        )
    if escort.category is not OrgCategory.CUSTOMER or escort.excluded:
        kind = escort.category.value
        raise RuleViolation(
            "ESC-2",
            _(
                "{escort} cannot escort {name}: an escort must be a customer, and {org} is a "
                "{kind} organisation."
            ).format(
                escort=escort.person_name,
                name=partner.name,
                org=escort.organisation_name,
                kind=kind,
            ),
            _("Pick a customer registered for this meeting as the escort."),
        )
    if escort.status is not RegistrationStatus.REGISTERED:
        raise RuleViolation(
            "ESC-1",
            _(
                "{escort} is not registered for this meeting ({status}), so cannot escort {name}."
            ).format(escort=escort.person_name, status=escort.status.value, name=partner.name),
            _("Pick an escort whose registration is confirmed."),
        )
    companies = {
        r.organisation_id
        for r in others
        if r.escort_registration_id == escort.id and r.active and r.person_id != partner.id
    }
    companies.add(partner.org_id)
    if len(companies) > policy.max_escorted_companies:
        raise RuleViolation(
            "ESC-5",
            _(
                "{escort} already escorts partners of {n} other compan(y/ies); the chapter allows "
                "{k}."
            ).format(
                escort=escort.person_name, n=len(companies) - 1, k=policy.max_escorted_companies
            ),
            _("Ask another customer who invited {name} to be the escort.").format(
                name=partner.name
            ),
        )


def check_company_quota(
    partner: PersonFacts, registrations: Iterable[RegistrationFacts], policy: ChapterPolicy
) -> int:
    """MTG-5: a partner company sends at most N people; returns the company slot (1…N)."""
    taken = sorted(
        r.person_name
        for r in registrations
        if r.organisation_id == partner.org_id and r.active and r.person_id != partner.id
    )
    if len(taken) >= policy.max_partner_attendees:
        raise RuleViolation(
            "MTG-5",
            _(
                "{org} already sends {n} people to this meeting ({names}); the chapter allows {k}."
            ).format(
                org=partner.org.name,
                n=len(taken),
                names=", ".join(taken),
                k=policy.max_partner_attendees,
            ),
            _("Cancel one of their registrations first, or ask {org} to send fewer people.").format(
                org=partner.org.name
            ),
        )
    return len(taken) + 1


def place(
    meeting: MeetingFacts,
    person: PersonFacts,
    registrations: Iterable[RegistrationFacts],
) -> Placement:
    """MTG-3 capacity and waiting list; MTG-4 sales partners wait for a leader's approval."""
    registrations = list(registrations)
    active = sum(1 for r in registrations if r.active)
    if active >= meeting.capacity:
        waiting = [r for r in registrations if r.status is RegistrationStatus.WAITLISTED]
        return Placement(RegistrationStatus.WAITLISTED, waitlist_position=len(waiting) + 1)
    if person.category is OrgCategory.PARTNER and person.job_role is JobRole.SALES:
        return Placement(RegistrationStatus.PENDING_APPROVAL)
    return Placement(RegistrationStatus.REGISTERED)


def check_not_registered(person: PersonFacts, registrations: Iterable[RegistrationFacts]) -> None:
    for r in registrations:
        if r.person_id == person.id and r.status is not RegistrationStatus.CANCELLED:
            raise RuleViolation(
                "MTG-3",
                _("{name} is already registered for this meeting ({status}).").format(
                    name=person.name, status=r.status.value
                ),
                _("Open their registration instead of registering them again."),
            )


def partners_losing_escort(
    escort_id: str, registrations: Iterable[RegistrationFacts]
) -> list[RegistrationFacts]:
    """ESC-4: the active partner registrations an escort's cancellation leaves without escort."""
    return [
        r
        for r in registrations
        if r.escort_registration_id == escort_id
        and r.category is OrgCategory.PARTNER
        and r.status in (RegistrationStatus.REGISTERED, RegistrationStatus.PENDING_APPROVAL)
    ]
