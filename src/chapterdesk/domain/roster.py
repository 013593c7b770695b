"""Keeping the roster right (issue 8): what a valid person looks like, and what changing an
organisation's category or exclusion — or moving a person to another organisation — does to
memberships and upcoming registrations (ORG-1…5, ESC-1, ESC-2, MTG-1).

Pure: the service gathers the facts, this module decides, the service applies and shows the
same list it previewed. Nothing here deletes: registrations are re-labelled and flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from chapterdesk.domain.enums import Membership, OrgCategory, RegistrationStatus
from chapterdesk.domain.people import OrgFacts
from chapterdesk.i18n import _

EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
PHONE = re.compile(r"[0-9+()./\- x]{5,50}")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a form: the field to fix, the rule, what to do."""

    field: str
    rule: str
    text: str


@dataclass(frozen=True, slots=True)
class PersonFields:
    """What the person form edits (contact fields empty when the editor may not see them)."""

    first_name: str
    last_name: str
    email: str = ""
    phone: str = ""
    membership: Membership = Membership.NONE
    member_since: date | None = None
    renewal_date: date | None = None


def person_problems(p: PersonFields, org: OrgFacts | None) -> list[Problem]:
    """Everything wrong with ``p`` at once, in form order, so the dialog can mark each field."""
    found: list[Problem] = []
    if not p.first_name.strip():
        found.append(Problem("first_name", "ORG-1", _("Enter the first name.")))
    if not p.last_name.strip():
        found.append(Problem("last_name", "ORG-1", _("Enter the last name.")))
    if org is None:
        found.append(
            Problem(
                "organisation",
                "ORG-1",
                _("Choose the organisation: every person belongs to one."),
            )
        )
    email = p.email.strip()
    if email and not EMAIL.fullmatch(email):
        found.append(
            Problem(
                "email",
                "ROS-1",
                _(
                    "“{email}” is not an email address (name@company.com); correct it or leave it "
                    "empty."
                ).format(email=email),
            )
        )
    phone = p.phone.strip()
    if phone and not (PHONE.fullmatch(phone) and sum(c.isdigit() for c in phone) >= 5):
        found.append(
            Problem(
                "phone",
                "ROS-1",
                _(
                    "“{phone}” is not a phone number: use digits, spaces, + ( ) - and “x” for an "
                    "extension."
                ).format(phone=phone),
            )
        )
    if org is not None:
        found.extend(_membership_problems(p, org))
    return found


def _membership_problems(p: PersonFields, org: OrgFacts) -> list[Problem]:
    if org.category is OrgCategory.CUSTOMER and p.membership is Membership.NONE:
        return [
            Problem(
                "membership",
                "ORG-5",
                _("A customer person is a member or a prospect: choose one."),
            )
        ]
    if org.category is not OrgCategory.CUSTOMER and p.membership is not Membership.NONE:
        return [
            Problem(
                "membership",
                "ORG-3",
                _(
                    "{org} is a {category} organisation: its people hold no customer membership."
                ).format(org=org.name, category=org.category.value),
            )
        ]
    found = []
    if p.membership is not Membership.MEMBER and (p.member_since or p.renewal_date):
        found.append(
            Problem(
                "member_since",
                "ORG-5",
                _(
                    "Only members have a membership start and renewal date; clear them or make "
                    "the person a member."
                ),
            )
        )
    if p.member_since and p.renewal_date and p.renewal_date < p.member_since:
        found.append(
            Problem(
                "renewal_date",
                "ORG-5",
                _("The renewal date ({renewal}) is before the membership began ({since}).").format(
                    renewal=p.renewal_date.isoformat(), since=p.member_since.isoformat()
                ),
            )
        )
    return found


def membership_for(org: OrgFacts, current: Membership) -> Membership:
    """The membership a person keeps when they land in ``org``: a customer keeps theirs (a
    newcomer is a prospect, ORG-5); anyone else holds none (ORG-3)."""
    if org.category is not OrgCategory.CUSTOMER:
        return Membership.NONE
    return Membership.PROSPECT if current is Membership.NONE else current


# ------------------------------------------------------------------ consequences


@dataclass(frozen=True, slots=True)
class RosterPerson:
    id: str
    name: str
    membership: Membership


@dataclass(frozen=True, slots=True)
class UpcomingRegistration:
    """A registration for a meeting that has not started, not cancelled."""

    id: str
    person_id: str
    person_name: str
    meeting: str  # "Spring meeting, 12 Mar"
    category: OrgCategory
    status: RegistrationStatus
    partner_exclusive: bool
    partners_welcome: bool
    escort_registration_id: str | None = None


@dataclass(frozen=True, slots=True)
class Consequence:
    """One change the edit makes. ``registration_id`` rows get ``category``/``status`` (when
    set) and a flag (``flag``); ``person_id`` rows get ``membership``."""

    rule: str
    text: str
    person_id: str | None = None
    membership: Membership | None = None
    registration_id: str | None = None
    category: OrgCategory | None = None
    status: RegistrationStatus | None = None
    flag: bool = False
    clears_flag: bool = False


def _is_partner_side(org: OrgFacts) -> bool:
    return org.category is not OrgCategory.CUSTOMER


def consequences(
    before: OrgFacts,
    after: OrgFacts,
    people: Sequence[RosterPerson],
    registrations: Iterable[UpcomingRegistration],
    escorted: Iterable[UpcomingRegistration] = (),
) -> list[Consequence]:
    """What moving ``people`` from ``before`` to ``after`` does (the same organisation with a new
    category or exclusion, or a person changing jobs).

    ``registrations`` are the people's upcoming registrations; ``escorted`` the upcoming partner
    registrations that name one of those as escort (ESC-1)."""
    found: list[Consequence] = []
    for person in people:
        membership = membership_for(after, person.membership)
        if membership is not person.membership:
            rule = "ORG-3" if membership is Membership.NONE else "ORG-5"
            text = (
                _("{name} loses the {old} membership: {org} is a {category} organisation (ORG-3).")
                if membership is Membership.NONE
                else _(
                    "{name} becomes a prospect: customer people are members or prospects (ORG-5)."
                )
            )
            found.append(
                Consequence(
                    rule,
                    text.format(
                        name=person.name,
                        old=person.membership.value,
                        org=after.name,
                        category=after.category.value,
                    ),
                    person_id=person.id,
                    membership=membership,
                )
            )
    regs = list(registrations)
    for reg in regs:
        found.extend(_registration_consequences(before, after, reg))
    escort_ids = {r.id for r in regs}
    if after.category is not OrgCategory.CUSTOMER or after.excluded_kind is not None:
        for partner in escorted:
            if partner.escort_registration_id not in escort_ids:
                continue
            found.append(
                Consequence(
                    "ESC-2",
                    _(
                        "{name} ({meeting}) loses the escort: {org} is no longer a customer "
                        "organisation that may escort partners (ESC-2); the registration waits "
                        "for another escort."
                    ).format(name=partner.person_name, meeting=partner.meeting, org=after.name),
                    registration_id=partner.id,
                    status=RegistrationStatus.ESCORT_NEEDED,
                    flag=True,
                )
            )
    return found


def _registration_consequences(
    before: OrgFacts, after: OrgFacts, reg: UpcomingRegistration
) -> list[Consequence]:
    name, meeting = reg.person_name, reg.meeting
    if after.category is OrgCategory.PARTNER and after.excluded_kind is not None:
        return [
            Consequence(
                "ORG-4",
                _(
                    "{name}'s registration for {meeting} becomes invalid: {org} is excluded and "
                    "cannot take part as a partner (ORG-4)."
                ).format(name=name, meeting=meeting, org=after.name),
                registration_id=reg.id,
                category=after.category if reg.category is not after.category else None,
                flag=True,
            )
        ]
    if reg.category is after.category:
        return []
    if after.category is OrgCategory.PARTNER:
        status = reg.status
        flagged: list[str] = []
        if not reg.partner_exclusive and reg.escort_registration_id is None:
            status = RegistrationStatus.ESCORT_NEEDED
            flagged.append(_("needs an escort (ESC-1)"))
        if not reg.partners_welcome and not reg.partner_exclusive:
            flagged.append(_("the meeting does not welcome partners (MTG-1)"))
        rule = "MTG-1" if not reg.partners_welcome and not reg.partner_exclusive else "ESC-1"
        if not flagged:
            return [
                Consequence(
                    "ORG-1",
                    _("{name}'s registration for {meeting} becomes a partner registration.").format(
                        name=name, meeting=meeting
                    ),
                    registration_id=reg.id,
                    category=after.category,
                )
            ]
        return [
            Consequence(
                rule,
                _(
                    "{name}'s registration for {meeting} becomes a partner registration that {why}."
                ).format(name=name, meeting=meeting, why=_(" and ").join(flagged)),
                registration_id=reg.id,
                category=after.category,
                status=status if status is not reg.status else None,
                flag=True,
            )
        ]
    new_status: RegistrationStatus | None = None
    if reg.status in (RegistrationStatus.ESCORT_NEEDED, RegistrationStatus.PENDING_APPROVAL):
        new_status = RegistrationStatus.REGISTERED  # escorts and MTG-4 approval are partner rules
    label = _("customer") if after.category is OrgCategory.CUSTOMER else _("Microsoft")
    return [
        Consequence(
            "ORG-1",
            _("{name}'s registration for {meeting} becomes a {label} registration.").format(
                name=name, meeting=meeting, label=label
            ),
            registration_id=reg.id,
            category=after.category,
            status=new_status,
            clears_flag=before.category is OrgCategory.PARTNER,
        )
    ]


def summary(found: Sequence[Consequence]) -> list[str]:
    """Counts by rule for the confirmation: "3 upcoming registrations flagged: ORG-4"."""
    flagged: dict[str, int] = {}
    relabelled = memberships = 0
    for c in found:
        if c.registration_id and c.flag:
            flagged[c.rule] = flagged.get(c.rule, 0) + 1
        elif c.registration_id:
            relabelled += 1
        elif c.person_id:
            memberships += 1
    lines = [
        _("{n} upcoming registration(s) become invalid or need attention: {rule}").format(
            n=n, rule=rule
        )
        for rule, n in sorted(flagged.items())
    ]
    if relabelled:
        lines.append(_("{n} upcoming registration(s) change category (ORG-1)").format(n=relabelled))
    if memberships:
        lines.append(_("{n} membership(s) change (ORG-3, ORG-5)").format(n=memberships))
    return lines
