"""Plain, immutable results handed to the UI (widgets never see ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chapterdesk.domain.enums import Membership, OrgCategory


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

    @property
    def is_past(self) -> bool:
        return self.starts_at < datetime.now()


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
