"""Keeping the roster right (issue 8): a person's record and history, adding and editing
people, membership, and moving a person to another organisation.

Every function takes a session and the acting person; reading needs ``VIEW_ROSTER``, changing
``EDIT_ROSTER`` (leaders and co-leaders), contact fields ``VIEW_CONTACT_DETAILS`` (ROS-1). Each
change writes an audit event; the store queues the changed fields for sync in the same
transaction.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.enums import Membership, OrgCategory, RegistrationStatus
from chapterdesk.domain.permissions import Action, allows, require
from chapterdesk.domain.roster import (
    Consequence,
    PersonFields,
    RosterPerson,
    UpcomingRegistration,
    consequences,
    person_problems,
    summary,
)
from chapterdesk.domain.text import search_key
from chapterdesk.domain.violations import NotFound, RuleViolation
from chapterdesk.i18n import _
from chapterdesk.services.changes import record_change
from chapterdesk.services.facts import org_facts
from chapterdesk.services.people import attended_registrations
from chapterdesk.services.roster_views import (
    AttendanceRow,
    ChangePreview,
    MergeRow,
    PersonDetail,
    PersonDraft,
)
from chapterdesk.store.models import (
    Meeting,
    Organisation,
    Person,
    PersonMerge,
    Registration,
)
from chapterdesk.sync.entities import CONTACT_FIELDS

# The person's fields only leaders see and set (ROS-1): the same list sync keeps from others.
CONTACT = tuple(sorted(CONTACT_FIELDS["people"] - {"search_text"}))


def meeting_label(meeting: Meeting) -> str:
    return f"{meeting.title}, {meeting.starts_at:%d %b %Y}"


def load_person(session: Session, actor: Actor, person_id: str, action: Action) -> Person:
    person = session.get(Person, person_id)
    if person is None or person.deleted:
        raise NotFound(_("That person is no longer on the roster; refresh the list."))
    require(actor, action, person.chapter_id)
    return person


def load_organisation(session: Session, chapter_id: str, organisation_id: str) -> Organisation:
    org = session.get(Organisation, organisation_id)
    if org is None or org.deleted or org.chapter_id != chapter_id:
        raise NotFound(_("That organisation is no longer on the roster; refresh the list."))
    return org


def draft_of(person: Person, *, with_contact: bool) -> PersonDraft:
    draft = PersonDraft(
        first_name=person.first_name,
        last_name=person.last_name,
        organisation_id=person.organisation_id,
        job_title=person.job_title,
        job_role=person.job_role,
        membership=person.membership,
        member_since=person.member_since,
        renewal_date=person.renewal_date,
        email=person.email,
        phone=person.phone,
        consent_email=person.consent_email,
        notes=person.notes,
    )
    if with_contact:
        return draft
    return replace(
        draft,
        email="",
        phone="",
        consent_email=False,
        notes="",
        member_since=None,
        renewal_date=None,
        job_title="",
    )


def person_detail(session: Session, actor: Actor, person_id: str) -> PersonDetail:
    """A person's record, their registrations (with the organisation they had then) and the
    merges into them."""
    person = load_person(session, actor, person_id, Action.VIEW_ROSTER)
    contact = allows(actor, Action.VIEW_CONTACT_DETAILS, person.chapter_id)
    org = load_organisation(session, person.chapter_id, person.organisation_id)
    regs = list(
        session.scalars(
            select(Registration.id).where(
                Registration.person_id == person.id, Registration.deleted.is_(False)
            )
        )
    )
    came = attended_registrations(session, person.chapter_id, regs)
    history = [
        AttendanceRow(
            registration_id=reg.id,
            meeting_id=meeting.id,
            meeting=meeting.title,
            starts_at=meeting.starts_at,
            organisation=then.name,
            category=reg.category,
            status=reg.status,
            attended=reg.id in came,
            flag_rule=reg.flag_rule,
            flag_note=reg.flag_note,
        )
        for reg, meeting, then in session.execute(
            select(Registration, Meeting, Organisation)
            .join(Meeting, Meeting.id == Registration.meeting_id)
            .join(Organisation, Organisation.id == Registration.organisation_id)
            .where(Registration.person_id == person.id, Registration.deleted.is_(False))
            .order_by(Meeting.starts_at.desc())
        )
    ]
    merges = [
        MergeRow(
            id=m.id,
            merged_name=f"{gone.first_name} {gone.last_name}",
            merged_at=m.merged_at,
            undo_until=m.undo_until,
            undone=m.undone_at is not None,
        )
        for m, gone in session.execute(
            select(PersonMerge, Person)
            .join(Person, Person.id == PersonMerge.merged_id)
            .where(PersonMerge.survivor_id == person.id, PersonMerge.deleted.is_(False))
            .order_by(PersonMerge.merged_at.desc())
        )
    ]
    return PersonDetail(
        id=person.id,
        chapter_id=person.chapter_id,
        draft=draft_of(person, with_contact=contact),
        organisation=org.name,
        category=org.category,
        excluded_organisation=org.excluded_kind is not None,
        contact_visible=contact,
        history=history,
        merges=merges,
    )


def check_draft(session: Session, chapter_id: str, draft: PersonDraft) -> Organisation:
    """The draft's organisation, or the first problem with the draft as a refusal."""
    org = session.get(Organisation, draft.organisation_id) if draft.organisation_id else None
    if org is not None and (org.deleted or org.chapter_id != chapter_id):
        org = None
    problems = person_problems(
        PersonFields(
            draft.first_name,
            draft.last_name,
            draft.email,
            draft.phone,
            draft.membership,
            draft.member_since,
            draft.renewal_date,
        ),
        org_facts(org) if org is not None else None,
    )
    if problems:
        first = problems[0]
        more = len(problems) - 1
        raise RuleViolation(
            first.rule,
            first.text,
            _("Correct it on the form (and {n} more problem(s) marked there).").format(n=more)
            if more
            else _("Correct it on the form and save again."),
        )
    assert org is not None
    return org


def _cleaned(draft: PersonDraft) -> PersonDraft:
    return replace(
        draft,
        first_name=draft.first_name.strip(),
        last_name=draft.last_name.strip(),
        job_title=draft.job_title.strip(),
        email=draft.email.strip(),
        phone=draft.phone.strip(),
        notes=draft.notes.strip(),
    )


def save_person(
    session: Session, actor: Actor, chapter_id: str, person_id: str | None, draft: PersonDraft
) -> str:
    """Add a person (``person_id`` None) or change one. A change of organisation goes through
    :func:`move_person` (its consequences are shown first), so here it is refused."""
    require(actor, Action.EDIT_ROSTER, chapter_id)
    contact = allows(actor, Action.VIEW_CONTACT_DETAILS, chapter_id)
    draft = _cleaned(draft)
    if person_id is None:
        org = check_draft(session, chapter_id, draft)
        person = Person(chapter_id=chapter_id, **_values(draft, contact=contact))
        person.search_text = search_key(draft.first_name, draft.last_name, org.name, draft.email)
        session.add(person)
        session.flush()
        record_change(
            session,
            actor,
            chapter_id=chapter_id,
            entity="people",
            entity_id=person.id,
            fields={},
            action="person.created",
            details={"organisation": org.name, "membership": person.membership.value},
        )
        return person.id
    person = load_person(session, actor, person_id, Action.EDIT_ROSTER)
    if person.chapter_id != chapter_id:
        raise NotFound(_("That person is on another chapter's roster."))
    if draft.organisation_id != person.organisation_id:
        raise RuleViolation(
            "ORG-1",
            _("Changing a person's organisation is a move, not an edit."),
            _(
                "Use “Move to organisation…”, which shows what changes for their upcoming "
                "registrations first."
            ),
        )
    if not contact:  # an editor who cannot see contact fields leaves them as they are
        draft = replace(draft, **{f: getattr(person, f) for f in CONTACT})
    org = check_draft(session, chapter_id, draft)
    values = _values(draft, contact=True)
    changed = sorted(k for k, v in values.items() if getattr(person, k) != v)
    if not changed:
        return person.id
    for key in changed:
        setattr(person, key, values[key])
    person.search_text = search_key(person.first_name, person.last_name, org.name, person.email)
    session.flush()
    record_change(
        session,
        actor,
        chapter_id=chapter_id,
        entity="people",
        entity_id=person.id,
        fields={},
        action=_membership_action(changed, person.membership),
        details={"fields": changed},  # names only: contact values stay out of the trail
    )
    return person.id


def _membership_action(changed: list[str], membership: Membership) -> str:
    if "membership" in changed and membership is Membership.MEMBER:
        return "person.became_member"
    return "person.updated"


def _values(draft: PersonDraft, *, contact: bool) -> dict[str, object]:
    values = asdict(draft)
    if not contact:
        for key in CONTACT:
            values.pop(key)
    return values


def convert_to_member(
    session: Session, actor: Actor, person_id: str, since: date, renewal: date | None
) -> None:
    """A prospect joins (ORG-5): member since ``since``, renewing on ``renewal``."""
    person = load_person(session, actor, person_id, Action.EDIT_ROSTER)
    if person.membership is Membership.MEMBER:
        raise RuleViolation(
            "ORG-5",
            _("{name} is already a member.").format(name=_name(person)),
            _("Edit the person to change the membership dates."),
        )
    contact = allows(actor, Action.VIEW_CONTACT_DETAILS, person.chapter_id)
    draft = replace(
        draft_of(person, with_contact=True),
        membership=Membership.MEMBER,
        member_since=since,
        renewal_date=renewal,
    )
    if not contact:
        raise RuleViolation(
            "ROS-1",
            _("Membership dates are leaders' data."),
            _("Ask a chapter leader to record the membership."),
        )
    save_person(session, actor, person.chapter_id, person.id, draft)


def _name(person: Person) -> str:
    return f"{person.first_name} {person.last_name}"


# ------------------------------------------------------------------ moving


def upcoming_registrations(
    session: Session, people: list[Person]
) -> tuple[list[UpcomingRegistration], list[UpcomingRegistration]]:
    """The people's upcoming, not-cancelled registrations, and the partner registrations
    those escort (ESC-1)."""
    if not people:
        return [], []
    names = {p.id: _name(p) for p in people}
    now = datetime.now()
    own = _upcoming(
        session,
        Registration.person_id.in_(list(names)),
        now,
    )
    escorted = (
        _upcoming(session, Registration.escort_registration_id.in_([r.id for r in own]), now)
        if own
        else []
    )
    return own, escorted


def _upcoming(session: Session, condition: object, now: datetime) -> list[UpcomingRegistration]:
    rows = session.execute(
        select(Registration, Meeting, Person)
        .join(Meeting, Meeting.id == Registration.meeting_id)
        .join(Person, Person.id == Registration.person_id)
        .where(
            condition,  # type: ignore[arg-type]
            Registration.deleted.is_(False),
            Registration.status != RegistrationStatus.CANCELLED,
            Meeting.starts_at > now,
            Meeting.cancelled.is_(False),
        )
        .order_by(Meeting.starts_at)
    )
    return [
        UpcomingRegistration(
            id=reg.id,
            person_id=reg.person_id,
            person_name=_name(person),
            meeting=meeting_label(meeting),
            category=reg.category,
            status=reg.status,
            partner_exclusive=meeting.partner_exclusive,
            partners_welcome=meeting.partners_welcome,
            escort_registration_id=reg.escort_registration_id,
        )
        for reg, meeting, person in rows
    ]


def preview(found: list[Consequence]) -> ChangePreview:
    return ChangePreview(found, summary(found))


def _move_consequences(
    session: Session, person: Person, target: Organisation
) -> tuple[list[Consequence], list[UpcomingRegistration]]:
    """What the move changes, and the person's upcoming registrations it looked at."""
    current = load_organisation(session, person.chapter_id, person.organisation_id)
    own, escorted = upcoming_registrations(session, [person])
    found = consequences(
        org_facts(current),
        org_facts(target),
        [RosterPerson(person.id, _name(person), person.membership)],
        own,
        escorted,
    )
    return found, own


def move_preview(
    session: Session, actor: Actor, person_id: str, organisation_id: str
) -> ChangePreview:
    """What moving a person to ``organisation_id`` changes, before it is done."""
    person = load_person(session, actor, person_id, Action.EDIT_ROSTER)
    target = load_organisation(session, person.chapter_id, organisation_id)
    return preview(_move_consequences(session, person, target)[0])


def move_person(
    session: Session, actor: Actor, person_id: str, organisation_id: str
) -> ChangePreview:
    """People change jobs: the person now belongs to ``organisation_id``. Past registrations
    keep the organisation they had then; upcoming ones take the new one, so the escort and
    company-slot checks (ESC-1, MTG-5) use it; anything that becomes doubtful is flagged."""
    person = load_person(session, actor, person_id, Action.EDIT_ROSTER)
    target = load_organisation(session, person.chapter_id, organisation_id)
    if target.id == person.organisation_id:
        return preview([])
    before = load_organisation(session, person.chapter_id, person.organisation_id)
    found, own = _move_consequences(session, person, target)
    person.organisation_id = target.id
    person.search_text = search_key(person.first_name, person.last_name, target.name, person.email)
    for reg_id in (r.id for r in own):  # upcoming registrations follow the person
        reg = session.get(Registration, reg_id)
        assert reg is not None
        reg.organisation_id = target.id
        reg.company_slot = None if target.category is not OrgCategory.PARTNER else reg.company_slot
    apply_consequences(session, found)
    session.flush()
    record_change(
        session,
        actor,
        chapter_id=person.chapter_id,
        entity="people",
        entity_id=person.id,
        fields={},
        action="person.moved",
        details={
            "from": before.name,
            "to": target.name,
            "consequences": [f"{c.rule}: {c.text}" for c in found],
        },
    )
    return preview(found)


def apply_consequences(session: Session, found: list[Consequence]) -> None:
    """Make the previewed changes: memberships, registration categories and statuses, flags."""
    for c in found:
        if c.person_id and c.membership is not None:
            person = session.get(Person, c.person_id)
            assert person is not None
            person.membership = c.membership
            if c.membership is not Membership.MEMBER:
                person.member_since = person.renewal_date = None
        if c.registration_id:
            reg = session.get(Registration, c.registration_id)
            assert reg is not None
            if c.category is not None:
                reg.category = c.category
            if c.status is not None:
                reg.status = c.status
            if c.flag:
                reg.flag_rule, reg.flag_note = c.rule, c.text
            elif c.clears_flag:
                reg.flag_rule, reg.flag_note = "", ""


def clear_flag(session: Session, actor: Actor, registration_id: str) -> None:
    """A leader has dealt with a flagged registration."""
    reg = session.get(Registration, registration_id)
    if reg is None or reg.deleted:
        raise NotFound(_("That registration no longer exists; refresh the list."))
    require(actor, Action.EDIT_ROSTER, reg.chapter_id)
    if not reg.flag_rule:
        return
    rule = reg.flag_rule
    reg.flag_rule, reg.flag_note = "", ""
    session.flush()
    record_change(
        session,
        actor,
        chapter_id=reg.chapter_id,
        entity="registrations",
        entity_id=reg.id,
        fields={},
        action="registration.flag_cleared",
        details={"rule": rule},
    )
