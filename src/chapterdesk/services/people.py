"""The chapter roster as the acting person may see it (ROS-1, ROS-2)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.enums import (
    CheckInKind,
    Membership,
    OrgCategory,
    RegistrationStatus,
)
from chapterdesk.domain.permissions import Action, allows, require
from chapterdesk.domain.roster import EMAIL
from chapterdesk.domain.text import fold, search_key
from chapterdesk.domain.violations import RuleViolation
from chapterdesk.i18n import _
from chapterdesk.services.changes import record_change
from chapterdesk.services.facts import load_meeting
from chapterdesk.services.views import PersonRow
from chapterdesk.store.models import CheckInEvent, Meeting, Organisation, Person, Registration


def list_people(session: Session, actor: Actor, chapter_id: str) -> list[PersonRow]:
    """Everyone on the roster of ``chapter_id``; contact fields only for those allowed (ROS-1)."""
    require(actor, Action.VIEW_ROSTER, chapter_id)  # ROS-2: never for partners
    show_contact = allows(actor, Action.VIEW_CONTACT_DETAILS, chapter_id)
    return _roster_rows(
        session,
        chapter_id,
        with_contact=show_contact,
        seen=attendance(session, chapter_id),
        flagged=flagged_upcoming(session, chapter_id),
    )


def attended_registrations(
    session: Session, chapter_id: str, registration_ids: list[str] | None = None
) -> set[str]:
    """Registrations whose person came: a check-in that was not undone, or the ``attended``
    mark a purge keeps (ROS-1). A later check-out does not unmake a visit. With
    ``registration_ids``, only those are looked at (one person's history)."""
    events = select(
        CheckInEvent.id,
        CheckInEvent.registration_id,
        CheckInEvent.kind,
        CheckInEvent.undoes_event_id,
    ).where(
        CheckInEvent.chapter_id == chapter_id,
        CheckInEvent.kind.in_((CheckInKind.IN, CheckInKind.UNDO)),
        CheckInEvent.deleted.is_(False),
    )
    marked = select(Registration.id).where(
        Registration.chapter_id == chapter_id, Registration.attended.is_(True)
    )
    if registration_ids is not None:
        events = events.where(CheckInEvent.registration_id.in_(registration_ids))
        marked = marked.where(Registration.id.in_(registration_ids))
    ins: list[tuple[str, str]] = []
    undone: set[str | None] = set()
    for event, registration, kind, undoes in session.execute(events):
        if kind is CheckInKind.UNDO:
            undone.add(undoes)
        else:
            ins.append((event, registration))
    came = {registration for event, registration in ins if event not in undone}
    came.update(session.scalars(marked))
    return came


def attendance(session: Session, chapter_id: str) -> dict[str, tuple[int, date]]:
    """Per person: how many meetings they attended and the date of the last one."""
    came = attended_registrations(session, chapter_id)
    found: dict[str, tuple[int, date]] = {}
    for reg_id, person_id, starts_at in session.execute(
        select(Registration.id, Registration.person_id, Meeting.starts_at)
        .join(Meeting, Meeting.id == Registration.meeting_id)
        .where(Registration.chapter_id == chapter_id, Registration.deleted.is_(False))
    ):
        if reg_id not in came:
            continue
        day = starts_at.date()
        count, last = found.get(person_id, (0, day))
        found[person_id] = (count + 1, max(last, day))
    return found


def flagged_upcoming(session: Session, chapter_id: str) -> dict[str, int]:
    """Per person: upcoming registrations a roster change has flagged (ORG-4, ESC-1 …)."""
    rows = session.execute(
        select(Registration.person_id, func.count())
        .join(Meeting, Meeting.id == Registration.meeting_id)
        .where(
            Registration.chapter_id == chapter_id,
            Registration.deleted.is_(False),
            Registration.flag_rule != "",
            Registration.status != RegistrationStatus.CANCELLED,
            Meeting.starts_at > datetime.now(),
        )
        .group_by(Registration.person_id)
    )
    return {person: int(n) for person, n in rows}


PEOPLE = Person.__table__
ORGANISATIONS = Organisation.__table__


def _roster_rows(
    session: Session,
    chapter_id: str,
    *,
    with_contact: bool,
    seen: dict[str, tuple[int, date]] | None = None,
    flagged: dict[str, int] | None = None,
) -> list[PersonRow]:
    """The roster query; callers have checked the actor's rights (no ``actor``: not a use
    case of its own)."""
    show_contact = with_contact
    seen = seen or {}
    flagged = flagged or {}
    never: tuple[int, date | None] = (0, None)
    # Core table columns, not ORM attributes: 100,000 plain rows skip the ORM's loading step.
    p, o = PEOPLE, ORGANISATIONS
    rows = session.execute(
        select(
            p.c.id,
            p.c.first_name,
            p.c.last_name,
            o.c.name,
            o.c.category,
            p.c.membership,
            p.c.job_title,
            p.c.email,
            p.c.phone,
            o.c.excluded_kind,
            p.c.organisation_id,
            p.c.search_text,
        )
        .join(o, o.c.id == p.c.organisation_id)
        .where(p.c.chapter_id == chapter_id, p.c.deleted.is_(False))
        .order_by(p.c.last_name, p.c.first_name)
    ).all()
    found = []
    for r in rows:
        # The stored text is "name company email", kept by every write (and by sync): reused
        # for those who may see emails instead of folding 100,000 names again.
        text = (
            r[11]
            if show_contact and r[11]
            else search_key(r[1], r[2], r[3], r[7] if show_contact else "")
        )
        count, last = seen.get(r[0], never)
        found.append(
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
                search_text=text,
                excluded_organisation=r[9] is not None,
                organisation_id=r[10],
                attended=count,
                last_attended=last,
                flagged=flagged.get(r[0], 0),
            )
        )
    return found


WALK_IN_MATCHES = 20  # at most this many suggestions, whatever the caller asks
WALK_IN_MIN_LETTERS = 3  # for volunteers: no paging through the roster two letters at a time


def find_for_walk_in(
    session: Session, actor: Actor, meeting_id: str, query: str, limit: int = WALK_IN_MATCHES
) -> list[PersonRow]:
    """Who a walk-in at the door of ``meeting_id`` might be: for a volunteer, names and
    companies only, matched on those alone (no probing of email addresses, ROS-1), from three
    letters on and a few at a time, and only at a desk they work."""
    chapter_id = load_meeting(session, actor, meeting_id, Action.FIND_WALK_IN).chapter_id
    leader_view = allows(actor, Action.VIEW_ROSTER, chapter_id)
    words = fold(query).split()
    if len("".join(words)) < (2 if leader_view else WALK_IN_MIN_LETTERS):
        return []
    limit = max(0, min(limit, WALK_IN_MATCHES))
    found = []
    for row in _roster_rows(session, chapter_id, with_contact=leader_view):
        if leader_view:
            haystack = row.search_text
        else:
            haystack = search_key(row.first_name, row.last_name, row.organisation)
            row = replace(row, job_title="", search_text=haystack)
        if all(w in haystack for w in words):
            found.append(row)
            if len(found) >= limit:
                break
    return found


def add_walk_in(
    session: Session,
    actor: Actor,
    meeting_id: str,
    first_name: str,
    last_name: str,
    organisation: str,
    email: str = "",
) -> str:
    """Put a new customer on the roster as a prospect (ORG-5), e.g. a walk-in at the door.

    The organisation is found by name (case- and accent-blind) or created as a customer; an
    existing partner, Microsoft or excluded organisation is refused: partners register in
    advance (MTG-2)."""
    chapter_id = load_meeting(session, actor, meeting_id, Action.CHECK_IN).chapter_id
    first, last, org_name = first_name.strip(), last_name.strip(), organisation.strip()
    if not first or not last or not org_name:
        raise RuleViolation(
            "ORG-1",
            _("A walk-in needs a first name, a last name and an organisation."),
            _("Fill in all three; the email is optional."),
        )
    email = email.strip()
    if email and not EMAIL.fullmatch(email):
        raise RuleViolation(
            "ROS-1",
            _("“{email}” is not an email address.").format(email=email),
            _("Correct it, or leave the email empty."),
        )
    wanted = fold(org_name)
    org = next(
        (
            o
            for o in session.scalars(
                select(Organisation).where(
                    Organisation.chapter_id == chapter_id, Organisation.deleted.is_(False)
                )
            )
            if fold(o.name) == wanted
        ),
        None,
    )
    if org is None:
        org = Organisation(chapter_id=chapter_id, name=org_name, category=OrgCategory.CUSTOMER)
        session.add(org)
        session.flush()
        record_change(
            session,
            actor,
            chapter_id=chapter_id,
            entity="organisations",
            entity_id=org.id,
            fields={"name": org.name, "category": org.category},
            action="organisation.created",
        )
    elif org.category is not OrgCategory.CUSTOMER or org.excluded_kind is not None:
        raise RuleViolation(
            "MTG-2",
            _(
                "{org} is a {category} organisation: its people register in advance, not at the "
                "door."
            ).format(org=org.name, category=org.category.value),
            _("Only customers and prospects can be registered as walk-ins."),
        )
    person = Person(
        chapter_id=chapter_id,
        organisation_id=org.id,
        first_name=first,
        last_name=last,
        membership=Membership.PROSPECT,
        email=email,
        search_text=search_key(first, last, org.name, email),
    )
    session.add(person)
    session.flush()
    record_change(
        session,
        actor,
        chapter_id=chapter_id,
        entity="people",
        entity_id=person.id,
        fields={
            "organisation_id": org.id,
            "first_name": first,
            "last_name": last,
            "membership": person.membership,
            "email": email,
        },
        action="person.walk_in_created",
    )
    return person.id
