"""Meetings of a chapter with their registration figures."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.enums import OrgCategory, RegistrationStatus
from chapterdesk.domain.permissions import Action, require
from chapterdesk.domain.violations import NotFound, RuleViolation
from chapterdesk.i18n import _
from chapterdesk.services.changes import record_change
from chapterdesk.services.facts import load_meeting
from chapterdesk.services.registrations import fill_freed_places
from chapterdesk.services.views import ChapterSettings, MeetingDraft, MeetingRow
from chapterdesk.store.models import Chapter, Meeting, Registration

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
        if not actor.may_work_meeting(meeting.id):
            continue  # a volunteer sees only the meetings they were assigned
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
                ends_at=meeting.ends_at,
            )
        )
    return result


def _check_draft(draft: MeetingDraft) -> None:
    if not draft.title.strip():
        raise RuleViolation("MTG-3", _("A meeting needs a title."), _("Type a title."))
    if draft.ends_at <= draft.starts_at:
        raise RuleViolation(
            "MTG-3",
            _("The meeting ends before it starts."),
            _("Set the end after the start."),
        )
    if draft.capacity < 1:
        raise RuleViolation(
            "MTG-3", _("Capacity must be at least 1."), _("Enter how many people the venue holds.")
        )


def _fields(draft: MeetingDraft) -> dict[str, object]:
    return {
        "title": draft.title.strip(),
        "starts_at": draft.starts_at,
        "ends_at": draft.ends_at,
        "venue": draft.venue.strip(),
        "address": draft.address.strip(),
        "capacity": draft.capacity,
        # MTG-7: a partner-exclusive meeting welcomes partners by definition.
        "partners_welcome": draft.partners_welcome or draft.partner_exclusive,
        "partner_exclusive": draft.partner_exclusive,
        "agenda": draft.agenda,
    }


def create_meeting(session: Session, actor: Actor, chapter_id: str, draft: MeetingDraft) -> str:
    """A new meeting in ``chapter_id``; returns its id."""
    require(actor, Action.MANAGE_MEETINGS, chapter_id)
    _check_draft(draft)
    fields = _fields(draft)
    meeting = Meeting(chapter_id=chapter_id, **fields)
    session.add(meeting)
    session.flush()
    record_change(
        session,
        actor,
        chapter_id=chapter_id,
        entity="meetings",
        entity_id=meeting.id,
        fields=fields,
        action="meeting.created",
        details={"title": meeting.title},
    )
    return meeting.id


def update_meeting(session: Session, actor: Actor, meeting_id: str, draft: MeetingDraft) -> None:
    """Edit a meeting; more places promote the waiting list in order (MTG-3)."""
    meeting = load_meeting(session, actor, meeting_id, Action.MANAGE_MEETINGS)
    _check_draft(draft)
    changed = {k: v for k, v in _fields(draft).items() if getattr(meeting, k) != v}
    if not changed:
        return
    for name, value in changed.items():
        setattr(meeting, name, value)
    record_change(
        session,
        actor,
        chapter_id=meeting.chapter_id,
        entity="meetings",
        entity_id=meeting.id,
        fields=changed,
        action="meeting.updated",
        details={"title": meeting.title},
    )
    if "capacity" in changed:
        fill_freed_places(session, actor, meeting.id)


def meeting_draft(session: Session, actor: Actor, meeting_id: str) -> MeetingDraft:
    """The editable fields of a meeting, to fill the edit dialog."""
    m = load_meeting(session, actor, meeting_id, Action.VIEW_MEETINGS)
    return MeetingDraft(
        title=m.title,
        starts_at=m.starts_at,
        ends_at=m.ends_at,
        venue=m.venue,
        capacity=m.capacity,
        partners_welcome=m.partners_welcome,
        partner_exclusive=m.partner_exclusive,
        address=m.address,
        agenda=m.agenda,
    )


def chapter_settings(session: Session, actor: Actor, chapter_id: str) -> ChapterSettings:
    require(actor, Action.VIEW_CHAPTER, chapter_id)
    chapter = session.get(Chapter, chapter_id)
    if chapter is None or chapter.deleted:
        raise NotFound(_("That chapter no longer exists."))
    from chapterdesk.services.templates import template_name

    return ChapterSettings(
        chapter.max_partner_attendees,
        chapter.max_escorted_companies,
        chapter.idle_lock_minutes,
        chapter.retention_months,
        template_name(session, chapter_id),
    )


IDLE_LOCK_RANGE = (1, 240)  # minutes
RETENTION_RANGE = (6, 120)  # months


def update_chapter_settings(
    session: Session, actor: Actor, chapter_id: str, settings: ChapterSettings
) -> None:
    """MTG-5 and ESC-5 limits (at least 1 each), the idle lock (ROS-5) and the retention
    period (ROS-1)."""
    require(actor, Action.MANAGE_MEETINGS, chapter_id)
    if settings.max_partner_attendees < 1 or settings.max_escorted_companies < 1:
        raise RuleViolation(
            "MTG-5", _("The limits must be at least 1."), _("Enter 1 or more for each limit.")
        )
    low, high = IDLE_LOCK_RANGE
    if not low <= settings.idle_lock_minutes <= high:
        raise RuleViolation(
            "ROS-5",
            _("The idle lock must be between {low} and {high} minutes.").format(low=low, high=high),
            _("A short time protects a laptop left at the venue."),
        )
    low, high = RETENTION_RANGE
    if not low <= settings.retention_months <= high:
        raise RuleViolation(
            "ROS-1",
            _("The retention period must be between {low} and {high} months.").format(
                low=low, high=high
            ),
            _("Keep contact data no longer than the chapter needs it."),
        )
    chapter = session.get(Chapter, chapter_id)
    if chapter is None or chapter.deleted:
        raise NotFound(_("That chapter no longer exists."))
    chapter.max_partner_attendees = settings.max_partner_attendees
    chapter.max_escorted_companies = settings.max_escorted_companies
    chapter.idle_lock_minutes = settings.idle_lock_minutes
    chapter.retention_months = settings.retention_months
    record_change(
        session,
        actor,
        chapter_id=chapter_id,
        entity="chapters",
        entity_id=chapter_id,
        fields={
            "max_partner_attendees": settings.max_partner_attendees,
            "max_escorted_companies": settings.max_escorted_companies,
            "idle_lock_minutes": settings.idle_lock_minutes,
            "retention_months": settings.retention_months,
        },
        action="chapter.settings_changed",
    )
