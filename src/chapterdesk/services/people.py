"""The chapter roster as the acting person may see it (ROS-1, ROS-2)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.permissions import Action, allows, require
from chapterdesk.domain.text import search_key
from chapterdesk.services.views import PersonRow
from chapterdesk.store.models import Organisation, Person


def list_people(session: Session, actor: Actor, chapter_id: str) -> list[PersonRow]:
    """Everyone on the roster of ``chapter_id``; contact fields only for those allowed (ROS-1)."""
    require(actor, Action.VIEW_ROSTER, chapter_id)  # ROS-2: never for partners
    show_contact = allows(actor, Action.VIEW_CONTACT_DETAILS, chapter_id)
    rows = session.execute(
        select(
            Person.id,
            Person.first_name,
            Person.last_name,
            Organisation.name,
            Organisation.category,
            Person.membership,
            Person.job_title,
            Person.email,
            Person.phone,
            Organisation.excluded_kind,
        )
        .join(Organisation, Organisation.id == Person.organisation_id)
        .where(Person.chapter_id == chapter_id, Person.deleted.is_(False))
        .order_by(Person.last_name, Person.first_name)
    ).all()
    return [
        PersonRow(
            id=r[0],
            first_name=r[1],
            last_name=r[2],
            organisation=r[3],
            category=r[4],
            membership=r[5],
            job_title=r[6],
            email=r[7] if show_contact else "",
            phone=r[8] if show_contact else "",
            search_text=search_key(r[1], r[2], r[3], r[7] if show_contact else ""),
            excluded_organisation=r[9] is not None,
        )
        for r in rows
    ]
