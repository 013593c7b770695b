"""The rules as pure functions (no database): the server will ask the same ones."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from chapterdesk.domain.checkin import DoorFacts, Presence, check_may_enter
from chapterdesk.domain.enums import (
    ExcludedKind,
    JobRole,
    Membership,
    OrgCategory,
    RegistrationStatus,
)
from chapterdesk.domain.people import OrgFacts, check_membership
from chapterdesk.domain.registration import (
    ChapterPolicy,
    MeetingFacts,
    PersonFacts,
    RegistrationFacts,
    check_company_quota,
    check_escort,
    check_partner_may_attend,
    partners_losing_escort,
    place,
)
from chapterdesk.domain.violations import RuleViolation

NOW = datetime(2026, 11, 22, 12, 0)
MEETING = MeetingFacts("m", "Year-end close", NOW + timedelta(days=7), 3, True, False)
CONTOSO = OrgFacts("Contoso Consulting", OrgCategory.PARTNER)
PAT = PersonFacts("pat", "Pat Quinn", "contoso", CONTOSO, Membership.NONE, JobRole.TECHNICAL)


def reg(
    rid: str,
    category: OrgCategory = OrgCategory.CUSTOMER,
    org: str = "city",
    status: RegistrationStatus = RegistrationStatus.REGISTERED,
    escort: str | None = None,
    excluded: bool = False,
) -> RegistrationFacts:
    return RegistrationFacts(
        rid, f"p-{rid}", f"Person {rid}", org, org.title(), category, status, escort, excluded
    )


def rule(call, *args):  # type: ignore[no-untyped-def]
    with pytest.raises(RuleViolation) as info:
        call(*args)
    return info.value.rule_id


def test_MTG_1_customers_only_meeting() -> None:
    closed = MeetingFacts("m", "Budgets", NOW + timedelta(days=7), 3, False, False)
    assert rule(check_partner_may_attend, closed, PAT, NOW) == "MTG-1"


def test_MTG_2_in_advance_only() -> None:
    assert rule(check_partner_may_attend, MEETING, PAT, MEETING.starts_at) == "MTG-2"
    assert rule(check_partner_may_attend, MEETING, PAT, NOW, True) == "MTG-2"
    check_partner_may_attend(MEETING, PAT, NOW)  # a week ahead: fine


def test_MTG_3_capacity_and_waiting_list() -> None:
    full = [reg("a"), reg("b"), reg("c"), reg("w", status=RegistrationStatus.WAITLISTED)]
    placed = place(MEETING, PAT, full)
    assert (placed.status, placed.waitlist_position) == (RegistrationStatus.WAITLISTED, 2)


def test_MTG_4_sales_partner_needs_approval() -> None:
    sam = PersonFacts("sam", "Sam", "contoso", CONTOSO, Membership.NONE, JobRole.SALES)
    assert place(MEETING, sam, []).status is RegistrationStatus.PENDING_APPROVAL


def test_MTG_5_company_quota() -> None:
    others = [reg("x", OrgCategory.PARTNER, "contoso"), reg("y", OrgCategory.PARTNER, "contoso")]
    assert rule(check_company_quota, PAT, others, ChapterPolicy()) == "MTG-5"
    assert check_company_quota(PAT, others[:1], ChapterPolicy()) == 2


def test_ESC_1_escort_required_and_ESC_2_customer_only() -> None:
    ann = reg("ann")
    assert rule(check_escort, PAT, None, [ann], ChapterPolicy()) == "ESC-1"
    partner = reg("nora", OrgCategory.PARTNER, "northwind")
    assert rule(check_escort, PAT, partner, [partner], ChapterPolicy()) == "ESC-2"
    microsoft = reg("mia", OrgCategory.MICROSOFT, "microsoft")
    assert rule(check_escort, PAT, microsoft, [microsoft], ChapterPolicy()) == "ESC-2"
    excluded = reg("rex", excluded=True)
    assert rule(check_escort, PAT, excluded, [excluded], ChapterPolicy()) == "ESC-2"
    check_escort(PAT, ann, [ann], ChapterPolicy())


def test_ESC_5_one_escort_one_partner_company() -> None:
    ann = reg("ann")
    nora = reg("nora", OrgCategory.PARTNER, "northwind", escort="ann")
    assert rule(check_escort, PAT, ann, [ann, nora], ChapterPolicy()) == "ESC-5"
    check_escort(PAT, ann, [ann, nora], ChapterPolicy(max_escorted_companies=2))


def test_ESC_4_cancelling_escort_lists_their_partners() -> None:
    regs = [
        reg("ann"),
        reg("pat", OrgCategory.PARTNER, "contoso", escort="ann"),
        reg("old", OrgCategory.PARTNER, "contoso", RegistrationStatus.CANCELLED, "ann"),
    ]
    assert [r.id for r in partners_losing_escort("ann", regs)] == ["pat"]


def door(
    status: RegistrationStatus = RegistrationStatus.REGISTERED,
    category: OrgCategory = OrgCategory.PARTNER,
    escort: str | None = "ann",
    exclusive: bool = False,
) -> DoorFacts:
    return DoorFacts("r", "Pat", "Contoso", category, status, escort, exclusive)


ANN = DoorFacts("ann", "Ann", "City", OrgCategory.CUSTOMER, RegistrationStatus.REGISTERED, None)


def test_ESC_3_partner_enters_only_with_escort_inside() -> None:
    assert rule(check_may_enter, door(), ANN, Presence(False)) == "ESC-3"
    check_may_enter(door(), ANN, Presence(True))
    check_may_enter(door(escort=None, exclusive=True), None, None)  # partner-exclusive


def test_ESC_4_at_the_door_and_MTG_3_MTG_4() -> None:
    assert rule(check_may_enter, door(RegistrationStatus.ESCORT_NEEDED), None, None) == "ESC-4"
    assert rule(check_may_enter, door(RegistrationStatus.WAITLISTED), ANN, None) == "MTG-3"
    assert rule(check_may_enter, door(RegistrationStatus.PENDING_APPROVAL), ANN, None) == "MTG-4"
    check_may_enter(door(category=OrgCategory.CUSTOMER, escort=None), None, None)


def test_ORG_3_ORG_4_ORG_5_memberships_and_exclusions() -> None:
    assert rule(check_membership, CONTOSO, Membership.MEMBER) == "ORG-3"
    customer = OrgFacts("City", OrgCategory.CUSTOMER)
    assert rule(check_membership, customer, Membership.NONE) == "ORG-5"
    recruiter = OrgFacts("Pinnacle", OrgCategory.PARTNER, excluded_kind=ExcludedKind.RECRUITER)
    hunter = PersonFacts("h", "Hunter", "p", recruiter, Membership.NONE, JobRole.OTHER)
    assert rule(check_partner_may_attend, MEETING, hunter, NOW) == "ORG-4"
