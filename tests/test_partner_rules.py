"""The Community Partner programme's rules (domain.partners): PRT-1, PRT-2, PRT-3, ORG-3,
ORG-4, CND-1."""

from __future__ import annotations

from datetime import date
from itertools import product

import pytest

from chapterdesk.domain.enums import ApplicationStatus, ExcludedKind, OrgCategory, PartnerKind
from chapterdesk.domain.partners import (
    TRANSITIONS,
    AdmissionFacts,
    ApplicantFacts,
    EligibilityFacts,
    ReferenceFacts,
    check_may_apply,
    check_not_revoked,
    check_transition,
    checklist,
    eligible,
)
from chapterdesk.domain.violations import RuleViolation

S = ApplicationStatus
PAID = AdmissionFacts(date(2026, 1, 5), date(2026, 1, 6))


def implementation(**changes: object) -> EligibilityFacts:
    base = {
        "kind": PartnerKind.IMPLEMENTATION,
        "mspp_certified": True,
        "cfmd_certified": False,
        "certified_consultants": 3,
        "nominated_by": None,
        "implementations": [
            ReferenceFacts("Contoso", True, True),
            ReferenceFacts("Northwind", True, True),
        ],
    }
    base.update(changes)
    return EligibilityFacts(**base)  # type: ignore[arg-type]


def test_prt1_an_implementation_partner_meeting_every_criterion_is_eligible() -> None:
    assert eligible(implementation())
    assert [c.rule_id for c in checklist(implementation())] == ["PRT-1"] * 3


def test_prt1_a_prospect_reference_does_not_count_and_the_checklist_says_why() -> None:
    facts = implementation(
        implementations=[
            ReferenceFacts("Contoso", True, True),
            ReferenceFacts("Fabrikam", False, True),
        ]
    )
    refs = checklist(facts)[2]
    assert not refs.met
    assert refs.label == "two distinct reference customers who are members"
    assert refs.detail.startswith("1 of 2")
    assert "Fabrikam is a prospect, not a member" in refs.detail


def test_prt1_two_projects_at_one_customer_are_one_reference() -> None:
    facts = implementation(
        implementations=[
            ReferenceFacts("Contoso", True, True),
            ReferenceFacts("Contoso", True, True),
        ]
    )
    assert not eligible(facts)
    assert checklist(facts)[2].detail.startswith("1 of 2")


def test_prt1_consultants_and_mspp_are_counted() -> None:
    lines = checklist(implementation(mspp_certified=False, certified_consultants=1))
    assert not lines[0].met and lines[0].detail == "not confirmed"
    assert not lines[1].met and lines[1].detail == "1 of 2"


def test_prt2_an_isv_needs_cfmd_or_a_nomination_and_references_from_any_customer() -> None:
    isv = implementation(
        kind=PartnerKind.ISV,
        mspp_certified=False,
        certified_consultants=0,
        implementations=[ReferenceFacts("A", False, True), ReferenceFacts("B", False, True)],
    )
    assert not eligible(isv)
    assert "neither CfMD" in checklist(isv)[0].detail
    for changes in ({"cfmd_certified": True}, {"nominated_by": "Dana Member"}):
        ok = EligibilityFacts(
            PartnerKind.ISV,
            False,
            bool(changes.get("cfmd_certified")),
            0,
            changes.get("nominated_by"),  # type: ignore[arg-type]
            isv.implementations,
        )
        assert eligible(ok), changes
        assert [c.rule_id for c in checklist(ok)] == ["PRT-2", "PRT-2"]


def test_prt2_a_negative_reference_does_not_count() -> None:
    isv = EligibilityFacts(
        PartnerKind.ISV,
        False,
        True,
        0,
        None,
        [ReferenceFacts("A", True, True), ReferenceFacts("B", True, False)],
    )
    line = checklist(isv)[1]
    assert not line.met and "B gives no positive reference" in line.detail


def test_org4_an_excluded_company_is_refused_with_the_rule() -> None:
    for kind in ExcludedKind:
        with pytest.raises(RuleViolation) as refused:
            check_may_apply(ApplicantFacts("Hire Fast", OrgCategory.PARTNER, kind))
        assert refused.value.rule_id == "ORG-4"


def test_org3_only_partner_companies_apply() -> None:
    check_may_apply(ApplicantFacts("Good Partner", OrgCategory.PARTNER, None))
    for category in (OrgCategory.CUSTOMER, OrgCategory.MICROSOFT):
        with pytest.raises(RuleViolation) as refused:
            check_may_apply(ApplicantFacts("Contoso", category, None))
        assert refused.value.rule_id == "ORG-3"


def test_prt3_no_step_outside_the_life_cycle_is_possible() -> None:
    """Every (from, to) pair: allowed exactly when TRANSITIONS lists it, refused with PRT-3
    otherwise."""
    path = {
        (S.SUBMITTED, S.UNDER_REVIEW),
        (S.UNDER_REVIEW, S.INFORMATION_REQUESTED),
        (S.UNDER_REVIEW, S.APPROVED),
        (S.UNDER_REVIEW, S.REJECTED),
        (S.INFORMATION_REQUESTED, S.UNDER_REVIEW),
        (S.INFORMATION_REQUESTED, S.REJECTED),
        (S.APPROVED, S.ADMITTED),
        (S.ADMITTED, S.REVOKED),
    }
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == path
    for current, target in product(S, S):
        if (current, target) in path:
            check_transition(current, target, "because", PAID)
        else:
            with pytest.raises(RuleViolation) as refused:
                check_transition(current, target, "because", PAID)
            assert refused.value.rule_id == "PRT-3"


def test_prt3_admission_needs_the_fee_and_a_signed_code_of_conduct() -> None:
    for fee, signed, missing in (
        (None, date(2026, 1, 6), "fee"),
        (date(2026, 1, 5), None, "Code of Conduct"),
        (None, None, "fee"),
    ):
        with pytest.raises(RuleViolation) as refused:
            check_transition(S.APPROVED, S.ADMITTED, "", AdmissionFacts(fee, signed))
        assert refused.value.rule_id == "PRT-3"
        assert missing in refused.value.message
    check_transition(S.APPROVED, S.ADMITTED, "", PAID)


def test_prt3_rejection_information_request_and_revocation_say_why() -> None:
    for current, target in (
        (S.UNDER_REVIEW, S.REJECTED),
        (S.UNDER_REVIEW, S.INFORMATION_REQUESTED),
        (S.ADMITTED, S.REVOKED),
    ):
        with pytest.raises(RuleViolation, match="Say why"):
            check_transition(current, target, "  ", PAID)


def test_cnd1_a_revoked_partner_takes_part_in_nothing() -> None:
    check_not_revoked("Good Partner", False, "register for meetings")
    with pytest.raises(RuleViolation) as refused:
        check_not_revoked("Bad Partner", True, "register for meetings")
    assert refused.value.rule_id == "PRT-3" and "CND-1" in refused.value.message
