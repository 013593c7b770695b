"""What the window shows about sync: plain values, no ORM objects, no Qt."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

IssueKind = Literal["rejected", "conflict"]


@dataclass(frozen=True)
class SyncIssue:
    """A change the server refused (with the rule and the fix) or a conflict it resolved
    (with both values), kept until the leader dismisses it — nothing is dropped silently."""

    id: str
    kind: IssueKind
    at: datetime
    chapter_id: str
    entity: str  # "registrations", "people", …
    entity_label: str  # "Registration of Ann Lee — June meeting" (leader-only page)
    field: str | None
    rule_id: str | None  # "ESC-1" for a rejection, None for a plain conflict
    message: str  # what happened, in words
    fix: str  # what to do about it ("" for a conflict that needs nothing)
    kept_value: str | None = None  # conflict: the value every replica now has
    lost_value: str | None = None  # conflict: the value that lost (also in the audit trail)


@dataclass(frozen=True)
class SyncStatus:
    """Everything the status bar and the Sync page show."""

    configured: bool  # the laptop has signed in to a server (a device token is in the keyring)
    server_url: str = ""
    account_login: str = ""
    account_name: str = ""
    device_id: str = ""
    device_name: str = ""
    online: bool | None = None  # None: not tried since start
    last_success: datetime | None = None
    last_error: str = ""  # the last failure in words ("Server unreachable: …")
    pending: int = 0  # local changes the server has not confirmed
    issues: tuple[SyncIssue, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class SyncReport:
    """What one sync round did."""

    pushed: int = 0
    applied: int = 0  # pushed changes the server took as they were
    merged: int = 0  # pushed changes of which some field lost to a newer edit
    rejected: int = 0
    pulled: int = 0  # rows received
    resynced: bool = False  # the cursor was too old (410): a full snapshot was taken
    wiped_chapters: tuple[str, ...] = ()  # revoked device or scope: local data removed
