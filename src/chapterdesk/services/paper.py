"""Data for badges and sign-in sheets; the PDFs themselves are drawn by ``reports/``.

A sign-in sheet is a printed list of people, so it is a leader's job and leaves an audit
trail (ROS-4); it carries names and companies only, never contact data (ROS-2).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.enums import OrgCategory, RegistrationStatus
from chapterdesk.domain.permissions import Action
from chapterdesk.domain.registration import ACTIVE_STATUSES
from chapterdesk.services.changes import record_audit
from chapterdesk.services.checkin import attendees
from chapterdesk.services.exports import check_purpose, confidential_mark
from chapterdesk.services.facts import load_meeting
from chapterdesk.services.views import AttendeeRow, BadgeData, SignInRow
from chapterdesk.store.models import Chapter


@dataclass(frozen=True)
class SheetHeader:
    chapter_name: str
    meeting_title: str
    meeting_date: str
    venue: str
    mark: str = ""  # the confidential mark of a printed list (ROS-4); empty for badges


def _header(session: Session, actor: Actor, meeting_id: str, action: Action) -> SheetHeader:
    meeting = load_meeting(session, actor, meeting_id, action)
    chapter = session.get(Chapter, meeting.chapter_id)
    return SheetHeader(
        chapter_name=chapter.name if chapter else "",
        meeting_title=meeting.title,
        meeting_date=meeting.starts_at.strftime("%A %d %B %Y, %H:%M"),
        venue=meeting.venue,
    )


def badges(
    session: Session,
    actor: Actor,
    meeting_id: str,
    registration_ids: list[str] | None = None,
    *,
    purpose: str = "",
    file_name: str = "",
) -> list[BadgeData]:
    """Badges for the meeting's confirmed registrations (or just the ones named), partners
    marked as vendors with their company (MTG-6).

    One badge (reprinted at the desk) is part of checking in; a sheet of badges is a printed
    list of the meeting's people: leaders only, for a stated purpose, recorded (ROS-4)."""
    single = registration_ids is not None and len(registration_ids) <= 1
    action = Action.CHECK_IN if single else Action.EXPORT_ROSTER
    meeting = load_meeting(session, actor, meeting_id, action)
    reason = "" if single else check_purpose(purpose)
    header = _header(session, actor, meeting_id, action)
    rows = attendees(session, actor, meeting_id)
    wanted = set(registration_ids) if registration_ids is not None else None
    badges = [
        BadgeData(
            first_name=a.first_name,
            last_name=a.last_name,
            organisation=a.organisation,
            is_partner=a.category is OrgCategory.PARTNER,
            code=a.code,
            meeting_title=header.meeting_title,
            meeting_date=header.meeting_date,
            chapter_name=header.chapter_name,
        )
        for a in rows
        if (wanted is None and a.status is RegistrationStatus.REGISTERED)
        or (wanted is not None and a.registration_id in wanted)
    ]
    if not single:
        record_audit(
            session,
            actor,
            chapter_id=meeting.chapter_id,
            action="badges.printed",
            entity="meetings",
            entity_id=meeting.id,
            details={
                "meeting": meeting.title,
                "purpose": reason,
                "people": len(badges),
                "fields": ["name", "organisation", "category"],
                "format": "pdf",
                "file": file_name,
            },
        )
    return badges


def sheet_mark(session: Session, actor: Actor, meeting_id: str) -> str:
    """The confidential mark for a printed list of the meeting's people (ROS-4)."""
    meeting = load_meeting(session, actor, meeting_id, Action.EXPORT_ROSTER)
    return confidential_mark(session, actor, meeting.chapter_id)


def signin_sheet(
    session: Session, actor: Actor, meeting_id: str, purpose: str, *, file_name: str = ""
) -> tuple[SheetHeader, list[SignInRow]]:
    """Names and companies of everyone holding a place, for signatures at the door (ROS-4:
    leaders only, for a stated purpose, recorded; the header carries the confidential mark
    every page prints)."""
    header = _header(session, actor, meeting_id, Action.EXPORT_ROSTER)
    reason = check_purpose(purpose)
    rows: list[AttendeeRow] = [
        a for a in attendees(session, actor, meeting_id) if a.status in ACTIVE_STATUSES
    ]
    meeting = load_meeting(session, actor, meeting_id, Action.EXPORT_ROSTER)
    mark = confidential_mark(session, actor, meeting.chapter_id)
    details: dict[str, object] = {
        "meeting": meeting.title,
        "purpose": reason,
        "people": len(rows),
        "fields": ["name", "organisation", "category"],
        "format": "pdf",
    }
    if file_name:
        details["file"] = file_name
    record_audit(
        session,
        actor,
        chapter_id=meeting.chapter_id,
        action="roster.signin_sheet_printed",
        entity="meetings",
        entity_id=meeting.id,
        details=details,
    )
    rows_out = [SignInRow(a.full_name, a.organisation, a.category) for a in rows]
    return replace(header, mark=mark), rows_out
