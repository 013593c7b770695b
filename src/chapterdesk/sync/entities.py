"""Which tables replicate, in which order, and which fields each role may receive.

One table per entity name (the table name). The order is the foreign-key order: a snapshot
sent in this order never names a row the receiver does not have yet.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect as sa_inspect

from chapterdesk.domain.enums import Role
from chapterdesk.store.models import (
    Account,
    AccountRole,
    Base,
    Chapter,
    ChapterTemplate,
    CheckInEvent,
    Community,
    ConductIncident,
    DeckAnalysis,
    DeckFinding,
    DeckVersion,
    Meeting,
    Organisation,
    PartnerApplication,
    PartnerApplicationEvent,
    PartnerBenefit,
    PartnerContribution,
    PartnerImplementation,
    PartnerOfRecord,
    PartnerProfile,
    Person,
    PersonMerge,
    PresentationSlot,
    Registration,
    VolunteerAssignment,
)

# Dependency order (parents first).
MODELS: tuple[type[Base], ...] = (
    Community,
    Chapter,
    ChapterTemplate,
    Organisation,
    PartnerOfRecord,
    Person,
    PersonMerge,
    Meeting,
    Registration,
    CheckInEvent,
    PartnerProfile,
    PartnerApplication,
    PartnerApplicationEvent,
    PartnerImplementation,
    ConductIncident,
    PartnerBenefit,
    PartnerContribution,
    PresentationSlot,
    DeckVersion,
    DeckAnalysis,
    DeckFinding,
    Account,
    AccountRole,
    VolunteerAssignment,
)
BY_NAME: dict[str, type[Base]] = {str(m.__tablename__): m for m in MODELS}
ORDER: tuple[str, ...] = tuple(BY_NAME)

# Columns that never travel: the row id (it is the key), the stamp (stamps travel per field)
# and derived search text, which each replica computes for itself.
_NOT_SENT = {"id", "updated_at"}

# Columns too big for the outbox: the outbox names the file by its hash and the push reads the
# bytes from the row when it sends it (a deck is stored once, not twice).
DETACHED: dict[str, frozenset[str]] = {
    "deck_versions": frozenset({"content"}),
    "chapter_templates": frozenset({"content"}),
}

# Contact and private fields: only leaders and co-leaders receive them (ROS-1).
CONTACT_FIELDS: dict[str, frozenset[str]] = {
    "people": frozenset(
        {"email", "phone", "notes", "consent_email", "member_since", "renewal_date", "job_title"}
        | {"search_text"}  # "name company email": a volunteer's laptop builds its own, sans email
    ),
}

# Entity kinds each role may receive (ROS-2: partners never receive roster entities).
_VOLUNTEER = frozenset(
    {
        "communities",
        "chapters",
        "organisations",
        "people",
        "meetings",
        "registrations",
        "check_in_events",
    }
)
_PUBLIC = frozenset({"communities", "chapters", "meetings"})
# Accounts, their grants and volunteer assignments are kept per laptop for its offline
# sign-in; on the server they are managed by its administrator (`chapterdesk-server admin`), so
# a laptop can never grant anyone a role there. They are neither pushed nor pulled.
_ACCOUNTS = frozenset({"accounts", "account_roles", "volunteer_assignments"})
LOCAL_ONLY = _ACCOUNTS
RECEIVES: dict[Role, frozenset[str]] = {
    Role.LEADER: frozenset(ORDER) - _ACCOUNTS,
    Role.CO_LEADER: frozenset(ORDER) - _ACCOUNTS,
    Role.VOLUNTEER: _VOLUNTEER,
    Role.PARTNER: _PUBLIC,
}

# What each role may change through a push (the server re-checks every rule as well).
WRITES: dict[Role, frozenset[str]] = {
    Role.LEADER: frozenset(ORDER) - _ACCOUNTS,
    Role.CO_LEADER: frozenset(ORDER) - {"communities"} - _ACCOUNTS,
    # A volunteer at the door checks people in and adds walk-ins (MTG-2).
    Role.VOLUNTEER: frozenset({"check_in_events", "registrations", "people", "organisations"}),
    Role.PARTNER: frozenset(),
}

# Fields whose change is a decision: a conflict on them is shown, never silently lost.
DECISION_FIELDS: dict[str, frozenset[str]] = {
    "registrations": frozenset({"status"}),
    "deck_versions": frozenset({"decision", "decision_comment"}),
    "meetings": frozenset({"cancelled"}),
}

# Append-only entities: a row is written once; later pushes may only retire it (retention).
APPEND_ONLY = frozenset({"check_in_events", "partner_application_events"})


def fields_of(model: type[Base]) -> tuple[str, ...]:
    """The replicated columns of ``model`` (attribute names)."""
    return tuple(c.key for c in sa_inspect(model).column_attrs if c.key not in _NOT_SENT)


FIELDS: dict[str, tuple[str, ...]] = {name: fields_of(m) for name, m in BY_NAME.items()}


def chapter_of(entity: str, row: Any) -> str:
    """The chapter a row belongs to ("" for global rows: communities, accounts)."""
    if entity == "chapters":
        return str(row.id)
    value = getattr(row, "chapter_id", None)
    return str(value) if value else ""


def visible_fields(entity: str, role: Role) -> frozenset[str]:
    """Fields of ``entity`` a device with ``role`` may receive."""
    every = frozenset(FIELDS[entity])
    if role in (Role.LEADER, Role.CO_LEADER):
        return every
    return every - CONTACT_FIELDS.get(entity, frozenset())


# Rows that name another row of the same table: a snapshot sends the ones naming nothing first
# (customers before the partners they escort, check-ins before their undos).
SELF_REFS: dict[str, str] = {
    "registrations": "escort_registration_id",
    "check_in_events": "undoes_event_id",
}
