"""Plain results of roster management (issue 8) handed to the People page: people with their
membership and attendance, organisations, duplicates, merges and what an edit will change."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from chapterdesk.domain.duplicates import Reason
from chapterdesk.domain.enums import (
    ExcludedKind,
    JobRole,
    Membership,
    OrgCategory,
    RegistrationStatus,
)
from chapterdesk.domain.roster import Consequence


@dataclass(frozen=True, slots=True)
class PersonDraft:
    """What the person form saves. Contact fields are ignored for an editor who may not see
    them (ROS-1)."""

    first_name: str
    last_name: str
    organisation_id: str
    job_title: str = ""
    job_role: JobRole = JobRole.OTHER
    membership: Membership = Membership.NONE
    member_since: date | None = None
    renewal_date: date | None = None
    email: str = ""
    phone: str = ""
    consent_email: bool = False
    notes: str = ""


@dataclass(frozen=True, slots=True)
class AttendanceRow:
    """One registration of a person: the organisation they had then (not today's)."""

    registration_id: str
    meeting_id: str
    meeting: str
    starts_at: datetime
    organisation: str
    category: OrgCategory
    status: RegistrationStatus
    attended: bool
    flag_rule: str = ""
    flag_note: str = ""


@dataclass(frozen=True, slots=True)
class MergeRow:
    """A merge into this person, undoable until ``undo_until`` unless already undone."""

    id: str
    merged_name: str
    merged_at: datetime
    undo_until: datetime
    undone: bool
    actor_name: str = ""


@dataclass(frozen=True, slots=True)
class PersonDetail:
    id: str
    chapter_id: str
    draft: PersonDraft
    organisation: str
    category: OrgCategory
    excluded_organisation: bool
    contact_visible: bool
    history: list[AttendanceRow] = field(default_factory=list)
    merges: list[MergeRow] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return f"{self.draft.first_name} {self.draft.last_name}"


@dataclass(frozen=True, slots=True)
class OrganisationDraft:
    name: str
    category: OrgCategory
    uses_dynamics: bool = False  # ORG-2: still a partner when it is one
    excluded_kind: ExcludedKind | None = None  # ORG-4
    website: str = ""


@dataclass(frozen=True, slots=True)
class PartnerOfRecordRow:
    id: str
    customer_organisation_id: str
    product_line: str
    partner_organisation_id: str
    partner: str
    since: date | None = None


@dataclass(frozen=True, slots=True)
class OrganisationRow:
    id: str
    draft: OrganisationDraft
    people: int
    members: int
    prospects: int
    partners_of_record: list[PartnerOfRecordRow] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.draft.name


@dataclass(frozen=True, slots=True)
class ChangePreview:
    """What an edit will do before it is made; ``lines`` count them by rule."""

    consequences: list[Consequence]
    lines: list[str]

    @property
    def empty(self) -> bool:
        return not self.consequences


@dataclass(frozen=True, slots=True)
class DuplicateRow:
    first_id: str
    first_name: str
    first_organisation: str
    second_id: str
    second_name: str
    second_organisation: str
    reason: Reason
    reason_text: str
    first_email: str = ""
    second_email: str = ""


@dataclass(frozen=True, slots=True)
class MergeSide:
    detail: PersonDetail
    registrations: int
    check_ins: int


@dataclass(frozen=True, slots=True)
class MergePreview:
    """Both people side by side, the proposed choice per field, and what the merge moves."""

    survivor: MergeSide
    merged: MergeSide
    fields: list[tuple[str, str, str, str]]  # (field, survivor text, merged text, proposed side)
    moves: int
    duplicates: int
    carried_check_ins: int
    organisations: dict[str, str] = field(default_factory=dict)  # id → name, for the texts


@dataclass(frozen=True, slots=True)
class MergeResult:
    merge_id: str
    survivor_id: str
    undo_until: datetime
    moved: int
    duplicates: int
    carried_check_ins: int
