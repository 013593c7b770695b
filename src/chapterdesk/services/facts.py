"""Load the fact records the rules in ``domain/`` reason about, from the local store."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.people import OrgFacts
from chapterdesk.domain.permissions import Action, require
from chapterdesk.domain.registration import (
    ChapterPolicy,
    MeetingFacts,
    PersonFacts,
    RegistrationFacts,
)
from chapterdesk.domain.violations import NotFound
from chapterdesk.i18n import _
from chapterdesk.store.models import Chapter, Meeting, Organisation, Person, Registration


def load_meeting(session: Session, actor: Actor, meeting_id: str, action: Action) -> Meeting:
    """The meeting, after checking ``actor`` may do ``action`` in its chapter."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.deleted:
        raise NotFound(_("That meeting no longer exists."))
    require(actor, action, meeting.chapter_id, meeting.id)
    return meeting


def meeting_facts(meeting: Meeting) -> MeetingFacts:
    return MeetingFacts(
        id=meeting.id,
        title=meeting.title,
        starts_at=meeting.starts_at,
        capacity=meeting.capacity,
        partners_welcome=meeting.partners_welcome,
        partner_exclusive=meeting.partner_exclusive,
        cancelled=meeting.cancelled,
    )


def chapter_policy(session: Session, chapter_id: str) -> ChapterPolicy:
    chapter = session.get(Chapter, chapter_id)
    if chapter is None:
        return ChapterPolicy()
    return ChapterPolicy(chapter.max_partner_attendees, chapter.max_escorted_companies)


def org_facts(org: Organisation) -> OrgFacts:
    return OrgFacts(org.name, org.category, org.uses_dynamics, org.excluded_kind)


def person_facts(session: Session, person_id: str, chapter_id: str) -> PersonFacts:
    row = session.execute(
        select(Person, Organisation)
        .join(Organisation, Organisation.id == Person.organisation_id)
        .where(Person.id == person_id, Person.deleted.is_(False))
    ).first()
    if row is None or row[0].chapter_id != chapter_id:
        raise NotFound(_("That person is not on this chapter's roster."))
    person, org = row
    return PersonFacts(
        id=person.id,
        name=f"{person.first_name} {person.last_name}",
        org_id=org.id,
        org=org_facts(org),
        membership=person.membership,
        job_role=person.job_role,
    )


def registration_facts(session: Session, meeting_id: str) -> list[RegistrationFacts]:
    """Every registration of the meeting (cancelled ones too), with people and companies."""
    org = aliased(Organisation)
    rows = session.execute(
        select(Registration, Person.first_name, Person.last_name, org)
        .join(Person, Person.id == Registration.person_id)
        .join(org, org.id == Registration.organisation_id)
        .where(Registration.meeting_id == meeting_id, Registration.deleted.is_(False))
        .order_by(Registration.registered_at)
    ).all()
    return [
        RegistrationFacts(
            id=reg.id,
            person_id=reg.person_id,
            person_name=f"{first} {last}",
            organisation_id=reg.organisation_id,
            organisation_name=o.name,
            category=reg.category,
            status=reg.status,
            escort_registration_id=reg.escort_registration_id,
            excluded=o.excluded_kind is not None,
            uses_dynamics=o.uses_dynamics,
        )
        for reg, first, last, o in rows
    ]
