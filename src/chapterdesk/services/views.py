"""Plain, immutable results handed to the UI (widgets never see ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from chapterdesk.domain.decks import Severity
from chapterdesk.domain.enums import DeckDecision, Membership, OrgCategory, RegistrationStatus


@dataclass(frozen=True)
class ChapterSummary:
    id: str
    name: str
    community_code: str
    community_name: str

    @property
    def label(self) -> str:
        return f"{self.community_code} {self.name}"


@dataclass(frozen=True)
class MeetingRow:
    """One line of the Meetings page."""

    id: str
    title: str
    starts_at: datetime
    venue: str
    capacity: int
    registered: int
    waitlisted: int
    partners: int
    partners_without_escort: int  # ESC-1 / ESC-4 problems waiting for a leader
    partners_welcome: bool
    partner_exclusive: bool
    cancelled: bool
    ends_at: datetime | None = None

    @property
    def is_past(self) -> bool:
        """Over once it has ended: tonight's meeting stays "upcoming" while it runs."""
        return (self.ends_at or self.starts_at) < datetime.now()


@dataclass(frozen=True)
class PersonRow:
    """One line of the People page. Contact fields are empty when the actor may not see them."""

    id: str
    first_name: str
    last_name: str
    organisation: str
    category: OrgCategory
    membership: Membership
    job_title: str
    email: str
    phone: str
    search_text: str
    excluded_organisation: bool
    organisation_id: str = ""
    attended: int = 0  # meetings attended (a check-in not undone, or kept after a purge)
    last_attended: date | None = None
    flagged: int = 0  # upcoming registrations a change has flagged

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class StoreFacts:
    """What the About dialog and the status bar say about the local store."""

    version: str
    data_folder: str
    database_file: str
    encrypted: bool
    key_kept_in: str
    device_id: str
    schema_revision: str


# --------------------------------------------------------------------------- check-in desk


class VerdictLevel(StrEnum):
    """The colour of the big verdict at the door."""

    OK = "ok"  # green: checked in
    ATTENTION = "attention"  # amber: needs the leader (e.g. escort not in yet, already in)
    REFUSED = "refused"  # red: a rule says no, or the code is not for this meeting


@dataclass(frozen=True)
class AttendeeRow:
    """One registration as the check-in desk shows it: names and companies, never contact data."""

    registration_id: str
    code: str
    person_id: str
    first_name: str
    last_name: str
    organisation: str
    category: OrgCategory
    membership: Membership
    status: RegistrationStatus
    escort_registration_id: str | None
    escort_name: str
    checked_in: bool
    checked_in_at: datetime | None
    checked_in_device: str
    search_text: str  # folded name, company, code (and email for those who may see it)
    problem: str = ""  # the rule a leader must resolve before the meeting: ESC-1, ESC-4, ORG-4
    # For leaders: why a roster change flagged it, or the escort's company's incumbent
    # partner (CND-2) when another partner brings that customer.
    note: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_partner(self) -> bool:
        return self.category is OrgCategory.PARTNER


@dataclass(frozen=True)
class DeskCounts:
    """Live figures at the top of the check-in page."""

    registered: int
    checked_in: int
    partners_in: int
    escorts_in: int
    waitlisted: int


@dataclass(frozen=True)
class Verdict:
    """What the desk says after a scan or an Enter: level, a headline, and for anything but
    green, the rule and the fix (ESC-6)."""

    level: VerdictLevel
    headline: str
    detail: str = ""
    rule_id: str | None = None
    fix: str = ""
    attendee: AttendeeRow | None = None
    # ESC-3: the escort is registered but not in yet; the desk offers to check them in first.
    escort_to_check_in: AttendeeRow | None = None
    changed: bool = False  # an event was written (what the desk's Undo can take back)


@dataclass(frozen=True)
class BadgeData:
    """What one name badge prints (MTG-6: partners are marked as vendors with their company)."""

    first_name: str
    last_name: str
    organisation: str
    is_partner: bool
    code: str  # printed as a QR code
    meeting_title: str
    meeting_date: str
    chapter_name: str


@dataclass(frozen=True)
class SignInRow:
    """One line of a sign-in sheet: names and companies only, no contact data (ROS-2)."""

    name: str
    organisation: str
    category: OrgCategory


@dataclass(frozen=True)
class MeetingDraft:
    """What a leader fills in to create or edit a meeting (MTG-1, MTG-3, MTG-7)."""

    title: str
    starts_at: datetime
    ends_at: datetime
    venue: str
    capacity: int
    partners_welcome: bool
    partner_exclusive: bool = False
    address: str = ""
    agenda: str = ""


@dataclass(frozen=True)
class ChapterSettings:
    """The chapter policy values the rules refer to."""

    max_partner_attendees: int  # MTG-5
    max_escorted_companies: int  # ESC-5
    idle_lock_minutes: int = 10  # ROS-5: the window locks itself after this much idleness
    retention_months: int = 36  # ROS-1: prospects' contact data and check-in detail kept
    template_name: str = ""  # DECK-1: the chapter's template file ("" = ChapterDesk's default)


# The values rules.md gives (MTG-5 "default 2", ESC-5 "default 1") and ChapterDesk's own for
# the idle lock and retention; a new chapter starts with them, the settings dialog restores them.
DEFAULT_CHAPTER_SETTINGS = ChapterSettings(
    max_partner_attendees=2, max_escorted_companies=1, idle_lock_minutes=10, retention_months=36
)


# ------------------------------------------------------------------------------ deck review


@dataclass(frozen=True)
class FindingRow:
    """One stored finding of the deck checker, with the leader's dismissal if there is one."""

    id: str
    version_id: str
    slide: int  # 1-based; 0 is the deck as a whole
    rule_id: str
    severity: Severity
    text: str  # the exact text that triggered it
    why: str
    where: str
    dismissed_reason: str | None = None
    dismissed_by_name: str = ""
    dismissed_at: datetime | None = None

    @property
    def dismissed(self) -> bool:
        return self.dismissed_reason is not None

    @property
    def blocks_approval(self) -> bool:
        """DECK-5: a broken rule stands in the way of approval until a leader dismisses it."""
        return self.severity is Severity.BREAKS_RULE and not self.dismissed


@dataclass(frozen=True)
class VersionRow:
    """One uploaded file of a slot, its latest check and the decision on exactly this file."""

    id: str
    slot_id: str
    number: int  # 1 for the first upload of the slot
    filename: str
    sha256: str
    size_bytes: int
    uploaded_at: datetime
    decision: DeckDecision
    decided_at: datetime | None
    decided_by_name: str
    comment: str
    checked_at: datetime | None  # None: not checked yet
    refused: str  # the checker's reason when it could not read the file
    open_breaking: int  # BREAKS_RULE findings not dismissed
    open_warnings: int
    dismissed: int

    @property
    def short_sha(self) -> str:
        return self.sha256[:12]

    @property
    def checked(self) -> bool:
        return self.checked_at is not None

    @property
    def approval_at_risk(self) -> bool:
        """Approved, but a later check found a broken rule (e.g. DECK-4 after a customer
        cancelled): the leader should look again."""
        return self.decision is DeckDecision.APPROVED and self.open_breaking > 0


@dataclass(frozen=True)
class SlotRow:
    """A presentation slot (DECK-5) with its newest version and that version's decision."""

    id: str
    meeting_id: str
    meeting_title: str
    meeting_starts_at: datetime
    topic: str
    partner_organisation_id: str
    partner_name: str
    speaker_person_id: str | None
    speaker_name: str
    sponsor: bool  # PRT-5: Paid Annual Chapter Sponsor in the meeting's year
    handouts_approved: bool  # MTG-8
    versions: int
    latest: VersionRow | None

    @property
    def decision(self) -> DeckDecision:
        return self.latest.decision if self.latest else DeckDecision.PENDING

    @property
    def handouts_allowed(self) -> bool:
        """MTG-8: a leader approved them, or a paid sponsorship covers them (PRT-5)."""
        return self.handouts_approved or self.sponsor


@dataclass(frozen=True)
class PresenterChoice:
    """A partner company a leader may ask to present (ORG-4: never an excluded one)."""

    organisation_id: str
    name: str
    sponsor: bool
    speakers: tuple[tuple[str, str], ...]  # (person id, full name)


@dataclass(frozen=True)
class ReviewData:
    """What the review report for the partner prints: the decision on one exact file, the
    findings by slide and the rules they cite. Nothing of the roster (ROS-2)."""

    chapter_name: str
    meeting_title: str
    meeting_date: str
    topic: str
    partner_name: str
    speaker_name: str
    sponsor: bool
    handouts_allowed: bool
    filename: str
    sha256: str
    version_number: int
    version_count: int
    uploaded_at: datetime
    decision: DeckDecision
    decided_by_name: str
    decided_at: datetime | None
    comment: str
    checked_at: datetime | None
    refused: str
    findings: tuple[FindingRow, ...]
    slide_titles: dict[int, str]
    rules: tuple[tuple[str, str], ...]  # (rule id, what it says) for every rule cited
