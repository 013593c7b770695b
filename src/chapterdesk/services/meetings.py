"""Meetings of a chapter with their registration figures."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.enums import OrgCategory, RegistrationStatus
from chapterdesk.domain.permissions import Action, require
from chapterdesk.services.views import MeetingRow
from chapterdesk.store.models import Meeting, Registration

_ACTIVE = (
    RegistrationStatus.REGISTERED,
    RegistrationStatus.PENDING_APPROVAL,
    RegistrationStatus.ESCORT_NEEDED,
)


def list_meetings(session: Session, actor: Actor, chapter_id: str) -> list[MeetingRow]:
    """All meetings of ``chapter_id``, newest first, with counts computed in one query."""
    require(actor, Action.VIEW_MEETINGS, chapter_id)
    reg = Registration
    is_active = reg.status.in_(_ACTIVE)
    is_partner = and_(is_active, reg.category == OrgCategory.PARTNER)

    def count_where(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    counts = (
        select(
            reg.meeting_id.label("meeting_id"),
            count_where(is_active).label("registered"),
            count_where(reg.status == RegistrationStatus.WAITLISTED).label("waitlisted"),
            count_where(is_partner).label("partners"),
            # ESC-1 (no escort named) and ESC-4 (escort cancelled): a leader must act.
            count_where(
                and_(
                    is_partner,
                    or_(
                        reg.escort_registration_id.is_(None),
                        reg.status == RegistrationStatus.ESCORT_NEEDED,
                    ),
                )
            ).label("unescorted"),
        )
        .where(reg.chapter_id == chapter_id, reg.deleted.is_(False))
        .group_by(reg.meeting_id)
        .subquery()
    )
    rows = session.execute(
        select(Meeting, counts)
        .outerjoin(counts, counts.c.meeting_id == Meeting.id)
        .where(Meeting.chapter_id == chapter_id, Meeting.deleted.is_(False))
        .order_by(Meeting.starts_at.desc())
    ).all()
    result = []
    for row in rows:
        meeting: Meeting = row[0]
        unescorted = 0 if meeting.partner_exclusive else int(row.unescorted or 0)  # ESC-1
        result.append(
            MeetingRow(
                id=meeting.id,
                title=meeting.title,
                starts_at=meeting.starts_at,
                venue=meeting.venue,
                capacity=meeting.capacity,
                registered=int(row.registered or 0),
                waitlisted=int(row.waitlisted or 0),
                partners=int(row.partners or 0),
                partners_without_escort=unescorted,
                partners_welcome=meeting.partners_welcome,
                partner_exclusive=meeting.partner_exclusive,
                cancelled=meeting.cancelled,
            )
        )
    return result
