"""What the Partners page shows: plain, frozen rows (widgets never get ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from chapterdesk.domain.enums import (
    ApplicationStatus,
    BenefitKind,
    ContributionKind,
    ExcludedKind,
    IncidentStatus,
    PartnerKind,
)
from chapterdesk.domain.partners import Criterion


@dataclass(frozen=True, slots=True)
class PartnerCompanyRow:
    organisation_id: str
    name: str
    website: str
    kind: PartnerKind | None
    mspp_certified: bool
    cfmd_certified: bool
    certified_consultants: int
    implementations: int
    sponsor_year: int | None  # Paid Annual Chapter Sponsor (PRT-5) for this year
    code_of_conduct_signed_on: date | None
    status: ApplicationStatus | None  # of the latest application
    representatives: tuple[str, ...]
    open_incidents: int
    excluded: ExcludedKind | None = None  # ORG-4: listed, but can never take part
    public_contact: str = ""  # the company's own, for the directory (PRT-4)


@dataclass(frozen=True, slots=True)
class ApplicationStep:
    from_status: ApplicationStatus | None
    to_status: ApplicationStatus
    actor: str
    at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class ApplicationView:
    id: str
    organisation_id: str
    company: str
    kind: PartnerKind
    status: ApplicationStatus
    submitted_at: datetime
    fee_paid_on: date | None
    code_of_conduct_signed_on: date | None
    nominated_by: str | None
    checklist: tuple[Criterion, ...]
    history: tuple[ApplicationStep, ...]
    next_steps: tuple[ApplicationStatus, ...]


@dataclass(frozen=True, slots=True)
class ImplementationRow:
    id: str
    customer: str
    customer_is_member: bool
    description: str
    completed_on: date | None
    positive_reference: bool


@dataclass(frozen=True, slots=True)
class IncidentRow:
    id: str
    company: str
    occurred_on: date
    meeting: str | None
    reported_by: str
    rule_id: str
    description: str
    status: IncidentStatus
    outcome: str


@dataclass(frozen=True, slots=True)
class BenefitRow:
    id: str
    company: str
    year: int
    kind: BenefitKind
    held_on: date | None
    note: str


@dataclass(frozen=True, slots=True)
class ContributionRow:
    company: str
    given_on: date
    kind: ContributionKind
    description: str
    points: int
    automatic: bool  # a presentation counted from an approved deck that was presented


@dataclass(frozen=True, slots=True)
class PartnerScore:
    """One partner's line in the yearly recognition report (PRT-7), ranked by points."""

    rank: int
    organisation_id: str
    company: str
    points: int
    by_kind: dict[ContributionKind, int]  # how many of each
    contributions: tuple[ContributionRow, ...]


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    """PRT-4: an admitted partner's public entry — company facts only, never members' data."""

    company: str
    kind: PartnerKind
    website: str
    certifications: tuple[str, ...]
    sponsor: bool
    public_contact: str = ""
