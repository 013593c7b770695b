"""Audit and outbox rows, written in the same transaction as the change they describe.

The audit trail answers "who did what, when"; the outbox (filled by the store itself on every
flush) is what the sync engine pushes. Either both are committed with the change or neither is.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import Enum
from typing import Any, cast

from sqlalchemy.orm import Session

from chapterdesk.domain.actors import Actor
from chapterdesk.hlc import HybridLogicalClock
from chapterdesk.store.models import AuditEvent, ChapterScoped


def _wire(value: Any) -> Any:
    """A JSON-friendly form of a column value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def clock_of(session: Session) -> HybridLogicalClock:
    clock: HybridLogicalClock = session.info["clock"]
    return clock


def record_change(
    session: Session,
    actor: Actor,
    *,
    chapter_id: str,
    entity: str,
    entity_id: str,
    fields: dict[str, Any],
    action: str,
    details: dict[str, Any] | None = None,
) -> None:
    """Note ``action`` on ``entity`` in the audit trail. The changed fields reach the outbox
    by themselves: the store queues every flushed change of a replicated row
    (``store.database._stamp_changes``); ``fields`` is kept for the callers' records."""
    del fields
    record_audit(
        session,
        actor,
        chapter_id=chapter_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        details=details,
    )


def record_audit(
    session: Session,
    actor: Actor,
    *,
    chapter_id: str,
    action: str,
    entity: str,
    entity_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Note a sensitive action that changes no synced data (a print, an export, a kiosk
    hand-over) in the audit trail, in the caller's transaction (ROS-4)."""
    session.add(
        AuditEvent(
            chapter_id=chapter_id,
            actor_id=actor.account_id,
            actor_name=actor.display_name,
            action=action,
            entity=entity,
            entity_id=entity_id,
            details={k: _wire(v) for k, v in (details or {}).items()},
        )
    )


def record_row(
    session: Session,
    actor: Actor,
    row: ChapterScoped,
    fields: Iterable[str],
    *,
    action: str,
    details: dict[str, Any] | None = None,
) -> None:
    """:func:`record_change` for the named columns of one (new) chapter-scoped row."""
    record_change(
        session,
        actor,
        chapter_id=row.chapter_id,
        entity=str(cast(Any, row).__tablename__),  # every model names its table
        entity_id=row.id,
        fields={name: getattr(row, name) for name in fields},
        action=action,
        details=details,
    )
