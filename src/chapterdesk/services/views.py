"""Plain, immutable results handed to the UI (widgets never see ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from chapterdesk.domain.enums import Membership, OrgCategory, RegistrationStatus


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
