"""The Community Partner programme as pure rules: who may apply (ORG-3, ORG-4), what the
committee needs to see (PRT-1, PRT-2), which steps an application may take (PRT-3), and how a
revoked partner is kept out (PRT-3, CND-1). No database and no Qt: services hand in facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from chapterdesk.domain.enums import ApplicationStatus, ExcludedKind, OrgCategory, PartnerKind
from chapterdesk.domain.violations import RuleViolation

S = ApplicationStatus

# PRT-3: the steps an application may take. Anything else is refused.
TRANSITIONS: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    S.SUBMITTED: frozenset({S.UNDER_REVIEW}),
    S.UNDER_REVIEW: frozenset({S.INFORMATION_REQUESTED, S.APPROVED, S.REJECTED}),
    S.INFORMATION_REQUESTED: frozenset({S.UNDER_REVIEW, S.REJECTED}),
    S.APPROVED: frozenset({S.ADMITTED}),
    S.ADMITTED: frozenset({S.REVOKED}),
    S.REJECTED: frozenset(),
    S.REVOKED: frozenset(),
}

# Steps that must say why (the committee's letter, the applicant's file).
NEEDS_REASON = frozenset({S.INFORMATION_REQUESTED, S.REJECTED, S.REVOKED})

STATUS_WORDS: dict[ApplicationStatus, str] = {
    S.SUBMITTED: "submitted",
    S.UNDER_REVIEW: "under committee review",
    S.INFORMATION_REQUESTED: "information requested",
    S.APPROVED: "approved",
    S.REJECTED: "rejected",
    S.ADMITTED: "admitted",
    S.REVOKED: "revoked for cause",
}

EXCLUDED_WORDS: dict[ExcludedKind, str] = {
    ExcludedKind.RECRUITER: "a recruiter or staffing firm",
    ExcludedKind.COMPETING_VENDOR: "a competing ERP/CRM vendor or one of its partners",
    ExcludedKind.LICENCE_ONLY_RESELLER: "a licence-only reseller with no services",
    ExcludedKind.UNRELATED: "a business unrelated to Microsoft Dynamics",
}


@dataclass(frozen=True, slots=True)
class ApplicantFacts:
    """The organisation that applies, as the chapter knows it."""

    name: str
    category: OrgCategory
    excluded: ExcludedKind | None


@dataclass(frozen=True, slots=True)
class ReferenceFacts:
    """One documented implementation: the customer, whether it is a user-group member (one of
    its people is a current member) and whether it gives a positive reference."""

    customer: str
    customer_is_member: bool
    positive: bool


@dataclass(frozen=True, slots=True)
class EligibilityFacts:
    kind: PartnerKind
    mspp_certified: bool
    cfmd_certified: bool
    certified_consultants: int
    nominated_by: str | None  # the customer member who nominated an ISV (PRT-2), if any
    implementations: Sequence[ReferenceFacts]


@dataclass(frozen=True, slots=True)
class Criterion:
    """One line of the committee's checklist."""

    rule_id: str
    label: str
    met: bool
    detail: str


@dataclass(frozen=True, slots=True)
class AdmissionFacts:
    fee_paid_on: date | None
    code_of_conduct_signed_on: date | None


def check_may_apply(org: ApplicantFacts) -> None:
    """ORG-4 and ORG-3: only a partner company that is not of an excluded kind may apply."""
    if org.excluded is not None:
        raise RuleViolation(
            "ORG-4",
            f"{org.name} is {EXCLUDED_WORDS[org.excluded]}: such companies can never be "
            "Community Partners.",
            "Decline the application; the company may still attend as a customer if it uses "
            "Dynamics internally.",
        )
    if org.category is not OrgCategory.PARTNER:
        raise RuleViolation(
            "ORG-3",
            f"{org.name} is recorded as a {org.category.value}, not a partner: only partner "
            "companies apply to the programme.",
            "If the company sells Dynamics services or products, change its category to "
            "partner first.",
        )


def checklist(facts: EligibilityFacts) -> list[Criterion]:
    """PRT-1 (implementation partners) or PRT-2 (ISVs), filled in from what the chapter
    knows, each line saying what is missing."""
    if facts.kind is PartnerKind.IMPLEMENTATION:
        return [
            Criterion(
                "PRT-1",
                "Microsoft Dynamics certified (MSPP)",
                facts.mspp_certified,
                "confirmed" if facts.mspp_certified else "not confirmed",
            ),
            _count(
                "PRT-1",
                "certified consultants on staff",
                facts.certified_consultants,
                2,
            ),
            _references("PRT-1", facts.implementations, members_only=True),
        ]
    certified = facts.cfmd_certified or bool(facts.nominated_by)
    if facts.cfmd_certified:
        how = "certified for Microsoft Dynamics (CfMD)"
    elif facts.nominated_by:
        how = f"nominated by customer member {facts.nominated_by}"
    else:
        how = "neither CfMD certified nor nominated by a customer member"
    return [
        Criterion("PRT-2", "CfMD certified or nominated by a customer member", certified, how),
        _references("PRT-2", facts.implementations, members_only=False),
    ]


def eligible(facts: EligibilityFacts) -> bool:
    return all(c.met for c in checklist(facts))


def _count(rule_id: str, label: str, have: int, need: int) -> Criterion:
    return Criterion(rule_id, f"{need} {label}", have >= need, f"{have} of {need}")


def _references(
    rule_id: str, implementations: Sequence[ReferenceFacts], *, members_only: bool
) -> Criterion:
    """Two successful implementations with two distinct customers giving a positive reference
    (who are user-group members, for an implementation partner)."""
    good: list[str] = []
    why_not: list[str] = []
    for ref in implementations:
        if not ref.positive:
            why_not.append(f"{ref.customer} gives no positive reference")
        elif members_only and not ref.customer_is_member:
            why_not.append(f"{ref.customer} is a prospect, not a member")
        elif ref.customer not in good:
            good.append(ref.customer)
    label = "two distinct reference customers" + (" who are members" if members_only else "")
    have = min(len(good), 2)
    detail = f"{have} of 2"
    if good:
        detail += f" ({', '.join(good)})"
    if why_not and have < 2:
        detail += " — " + "; ".join(why_not)
    if not implementations:
        detail += " — no documented implementations yet"
    return Criterion(rule_id, label, len(good) >= 2, detail)


def check_transition(
    current: ApplicationStatus,
    target: ApplicationStatus,
    reason: str,
    admission: AdmissionFacts,
) -> None:
    """PRT-3: the step must be one the life cycle allows, say why where it must, and
    admission needs the fee paid and a signed Code of Conduct on file."""
    allowed = TRANSITIONS[current]
    if target not in allowed:
        if allowed:
            options = ", ".join(STATUS_WORDS[s] for s in sorted(allowed, key=_position))
            fix = f"From {STATUS_WORDS[current]} the application can go to: {options}."
        else:
            fix = "A closed application stays closed; the company may apply again."
        raise RuleViolation(
            "PRT-3",
            f"An application that is {STATUS_WORDS[current]} cannot become {STATUS_WORDS[target]}.",
            fix,
        )
    if target in NEEDS_REASON and not reason.strip():
        raise RuleViolation(
            "PRT-3",
            f"Say why the application is {STATUS_WORDS[target]}: the applicant is told.",
            "Write the reason (what the committee could not confirm, or the cause).",
        )
    if target is S.ADMITTED:
        missing = []
        if admission.fee_paid_on is None:
            missing.append("the annual fee is not recorded as paid")
        if admission.code_of_conduct_signed_on is None:
            missing.append("no signed Code of Conduct is on file")
        if missing:
            raise RuleViolation(
                "PRT-3",
                "A partner is admitted only once the annual fee is paid and a signed Code of "
                f"Conduct is on file: {' and '.join(missing)}.",
                "Record the payment date and the date the Code of Conduct was signed, then admit.",
            )


def _position(status: ApplicationStatus) -> int:
    return list(ApplicationStatus).index(status)


def check_not_revoked(company: str, revoked: bool, what: str) -> None:
    """A partner revoked for cause takes part in nothing (PRT-3, CND-1)."""
    if revoked:
        raise RuleViolation(
            "PRT-3",
            f"{company} had its Community Partner status revoked for cause (CND-1): it "
            f"cannot {what}.",
            "Only the committee can readmit the company, through a new application.",
        )
