"""The audit trail as a leader reads it: who did what, when, filtered and exported (ROS-4).

Audit details hold purposes, counts, field names and meeting titles, never contact data; the
one-line summary shown and exported drops anything that looks like an email address or a phone
number all the same, so a careless caller cannot leak a roster through the audit view.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.permissions import Action, require
from chapterdesk.domain.text import fold, search_key
from chapterdesk.i18n import _
from chapterdesk.reports.csv_files import SafeWriter, csv_file
from chapterdesk.services.changes import record_audit
from chapterdesk.store.models import AuditEvent

AUDIT_LIMIT = 1000  # rows shown on screen; an export has no limit


@dataclass(frozen=True)
class AuditRow:
    """One line of the Audit page (and of its CSV export)."""

    id: str
    at: datetime  # aware, UTC
    actor_name: str
    action: str  # the stored code, e.g. "roster.exported"
    label: str  # what a leader reads, e.g. "Roster exported"
    entity: str
    summary: str  # one line, never contact data

    @property
    def search_text(self) -> str:
        return search_key(self.actor_name, self.label, self.action, self.summary)


@dataclass(frozen=True)
class AuditKind:
    """One choice of the page's "What" filter."""

    action: str
    label: str


@dataclass(frozen=True)
class AuditFilter:
    """What the leader narrowed the list to; dates are calendar days on this laptop, both
    inclusive."""

    text: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None


# The actions ChapterDesk records, in the order the filter offers them, sensitive ones first.
# Labels are translated when shown (``_`` at import time would freeze the language).
ACTION_LABELS: dict[str, str] = {
    "roster.exported": "Roster exported",
    "roster.printed": "Roster printed",
    "roster.signin_sheet_printed": "Sign-in sheet printed",
    "badges.printed": "Badges printed",
    "audit.exported": "Audit trail exported",
    "retention.purged": "Old data purged",
    "retention.contact_cleared": "Prospect contact data cleared",
    "account.created": "Account created",
    "volunteer.assigned": "Volunteer assigned",
    "kiosk.started": "Kiosk started",
    "kiosk.ended": "Kiosk ended",
    "chapter.settings_changed": "Chapter settings changed",
    "meeting.created": "Meeting created",
    "meeting.updated": "Meeting changed",
    "registration.created": "Registered",
    "registration.cancelled": "Registration cancelled",
    "registration.restored": "Registration restored",
    "registration.approved": "Registration approved",
    "registration.promoted": "Promoted from the waiting list",
    "registration.waitlist_moved": "Waiting list moved",
    "registration.escort_needed": "Escort needed",
    "registration.escort_assigned": "Escort assigned",
    "person.walk_in_created": "Walk-in added to the roster",
    "organisation.created": "Organisation added",
    "check_in.in": "Checked in",
    "check_in.out": "Checked out",
    "check_in.undo": "Check-in undone",
    "presentation_slot.created": "Presentation slot requested",
    "presentation_slot.handouts_approved": "Handouts approved",
    "presentation_slot.handouts_withdrawn": "Handouts approval withdrawn",
    "deck_version.added": "Deck added",
    "deck_version.added_again": "Deck added again",
    "deck_version.checked": "Deck checked",
    "deck_version.decided": "Deck decision",
    "deck_finding.found": "Deck finding",
    "deck_finding.found_again": "Deck finding seen again",
    "deck_finding.gone": "Deck finding gone",
    "deck_finding.dismissed": "Deck finding dismissed",
    "deck_finding.restored": "Deck finding restored",
    "demo.generated": "Demo data generated",
}

# Keys whose values are contact data wherever they appear: never shown, never exported.
_CONTACT_KEYS = frozenset(
    {"email", "emails", "phone", "phones", "login", "notes", "address", "search_text"}
)
# Keys left out of the one-line summary because the row says it already (the confidential
# mark repeats chapter, who and when).
_SKIPPED_KEYS = frozenset({"mark"})
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_PHONE = re.compile(r"\+?\d[\d\s().-]{6,}\d")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}([T ][\d:.+-]+)?")
_KEY_LABELS: dict[str, str] = {
    "meeting": "meeting",
    "title": "meeting",
    "people": "people",
    "rows": "rows",
    "fields": "fields",
    "purpose": "purpose",
    "format": "format",
    "person": "person",
    "status": "status",
    "rule": "rule",
    "topic": "topic",
    "filename": "file",
    "sha256": "SHA-256",
}


def action_label(action: str) -> str:
    """What a leader reads for a stored action code; unknown codes are spelled out."""
    known = ACTION_LABELS.get(action)
    if known is not None:
        return _(known)
    words = action.replace(".", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _safe_value(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(_safe_value(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(
            f"{k} {_safe_value(v)}" for k, v in value.items() if k not in _CONTACT_KEYS
        )
    if isinstance(value, int | float):
        return str(value)
    text = " ".join(str(value).split())
    if _EMAIL.search(text) or (_PHONE.fullmatch(text) and not _ISO_DAY.fullmatch(text)):
        return "…"  # looks like contact data: ROS-1
    return text


def summarise_details(details: Mapping[str, Any]) -> str:
    """One line from an audit event's details, without contact data (ROS-1)."""
    parts = []
    for key, value in details.items():
        if key in _CONTACT_KEYS or key in _SKIPPED_KEYS or value is None or value == "":
            continue
        text = _safe_value(value)
        if key == "sha256":
            text = text[:12]
        label = _(_KEY_LABELS[key]) if key in _KEY_LABELS else key.replace("_", " ")
        parts.append(f"{label}: {text}")
    return "; ".join(parts)


def _local_midnight(day: date) -> datetime:
    """The instant a calendar day starts on this laptop, in UTC."""
    return datetime.combine(day, time.min).astimezone().astimezone(UTC)


def _query(chapter_id: str, action: str, since: date | None, until: date | None) -> Select[Any]:
    stmt = select(AuditEvent).where(AuditEvent.chapter_id == chapter_id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if since is not None:
        stmt = stmt.where(AuditEvent.at >= _local_midnight(since))
    if until is not None:
        stmt = stmt.where(AuditEvent.at < _local_midnight(until + timedelta(days=1)))
    # UTC ISO text sorts as time; the id breaks ties so the order is stable.
    return stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def _rows(
    session: Session,
    chapter_id: str,
    text: str,
    action: str,
    since: date | None,
    until: date | None,
    limit: int | None,
) -> Iterator[AuditRow]:
    stmt = _query(chapter_id, action, since, until)
    words = fold(text).split()
    if not words and limit is not None:
        stmt = stmt.limit(limit)
    count = 0
    for event in session.scalars(stmt.execution_options(yield_per=500)):
        row = AuditRow(
            id=event.id,
            at=event.at,
            actor_name=event.actor_name,
            action=event.action,
            label=action_label(event.action),
            entity=event.entity,
            summary=summarise_details(event.details or {}),
        )
        if words:
            hay = row.search_text
            if not all(word in hay for word in words):
                continue
        yield row
        count += 1
        if limit is not None and count >= limit:
            return


def list_audit(
    session: Session,
    actor: Actor,
    chapter_id: str,
    *,
    text: str = "",
    action: str = "",
    since: date | None = None,
    until: date | None = None,
    limit: int | None = AUDIT_LIMIT,
) -> list[AuditRow]:
    """The chapter's audit events, newest first, narrowed by words (who, what, details), one
    action code and a range of calendar days (both inclusive). Leaders only (ROS-4)."""
    require(actor, Action.VIEW_AUDIT, chapter_id)
    return list(_rows(session, chapter_id, text, action, since, until, limit))


def audit_kinds(session: Session, actor: Actor, chapter_id: str) -> list[AuditKind]:
    """The choices of the "What" filter: every action ChapterDesk records, then any other
    action found in this chapter's trail (from a newer laptop, say)."""
    require(actor, Action.VIEW_AUDIT, chapter_id)
    found = session.scalars(
        select(AuditEvent.action).where(AuditEvent.chapter_id == chapter_id).distinct()
    ).all()
    extra = sorted(set(found) - ACTION_LABELS.keys())
    return [AuditKind(code, action_label(code)) for code in [*ACTION_LABELS, *extra]]


CSV_HEADER = ("When", "Who", "What", "Action", "Entity", "Details")


def _write_csv(writer: SafeWriter, rows: list[AuditRow]) -> None:
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(
            [
                row.at.astimezone().isoformat(timespec="seconds"),
                row.actor_name,
                row.label,
                row.action,
                row.entity,
                row.summary,
            ]
        )


def export_audit(
    session: Session,
    actor: Actor,
    chapter_id: str,
    filters: AuditFilter,
    purpose: str,
    target: BinaryIO | Path,
    *,
    file_name: str = "",
) -> int:
    """Write the filtered trail (all of it, no screen limit) as CSV into ``target``, under the
    confidential mark (the trail names people), and note the export, with its purpose, in the
    trail itself (ROS-4). Returns the number of rows."""
    from chapterdesk.services.exports import check_purpose, confidential_mark

    rows = list_audit(
        session,
        actor,
        chapter_id,
        text=filters.text,
        action=filters.action,
        since=filters.since,
        until=filters.until,
        limit=None,
    )
    reason = check_purpose(purpose)
    mark = confidential_mark(session, actor, chapter_id)
    record_audit(
        session,
        actor,
        chapter_id=chapter_id,
        action="audit.exported",
        entity="audit_events",
        details={
            "rows": len(rows),
            "format": "CSV",
            "purpose": reason,
            # The search words are not kept: a leader may have typed someone's address.
            "filter": _filter_note(filters),
            "file": file_name or (target.name if isinstance(target, Path) else ""),
        },
    )
    session.flush()
    with csv_file(target) as writer:
        writer.writerow([mark])
        _write_csv(writer, rows)
    return len(rows)


def _filter_note(filters: AuditFilter) -> str:
    parts = []
    if filters.action:
        parts.append(filters.action)
    if filters.since is not None:
        parts.append(_("from {day}").format(day=filters.since.isoformat()))
    if filters.until is not None:
        parts.append(_("to {day}").format(day=filters.until.isoformat()))
    if filters.text.strip():
        parts.append(_("words searched"))
    return ", ".join(parts) or _("everything")
