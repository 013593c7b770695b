"""Duplicate people: finding them, merging two into one, and undoing a merge within its
window (issue 8).

A merge moves registrations, check-ins (by keeping or carrying them, see
:mod:`chapterdesk.domain.merge`), escorts, presentation slots and nominations to the surviving
person, retires the other, and notes every field it changed with its value before. That note
(``PersonMerge.plan``) is what an undo puts back, so an undo restores exactly what the merge
touched. Check-in events are append-only: a carried check-in is a new event, undone by an undo
event, never edited or deleted.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.checkin import presences
from chapterdesk.domain.duplicates import REASON_WORDS, PersonKey, find_duplicates
from chapterdesk.domain.enums import CheckInKind, RegistrationStatus
from chapterdesk.domain.merge import (
    MEMBERSHIP_RANK,
    MERGE_FIELDS,
    MergeRegistration,
    RegistrationPlan,
    default_choice,
    plan_registrations,
)
from chapterdesk.domain.permissions import Action, allows, require
from chapterdesk.domain.text import search_key
from chapterdesk.domain.violations import NotFound, RuleViolation
from chapterdesk.i18n import _
from chapterdesk.services.changes import clock_of, record_change
from chapterdesk.services.checkin import _events
from chapterdesk.services.people import ORGANISATIONS, PEOPLE
from chapterdesk.services.roster import (
    check_draft,
    draft_of,
    load_organisation,
    load_person,
    person_detail,
)
from chapterdesk.services.roster_views import (
    DuplicateRow,
    MergePreview,
    MergeResult,
    MergeSide,
)
from chapterdesk.store.models import (
    Base,
    CheckInEvent,
    PartnerApplication,
    Person,
    PersonMerge,
    PresentationSlot,
    Registration,
)
from chapterdesk.store.types import utc_now
from chapterdesk.sync.wire import from_wire, to_wire

UNDO_WINDOW = timedelta(minutes=30)
_MODELS: dict[str, type[Base]] = {
    "people": Person,
    "registrations": Registration,
    "presentation_slots": PresentationSlot,
    "partner_applications": PartnerApplication,
}
FIELD_WORDS = {
    "first_name": "First name",
    "last_name": "Last name",
    "organisation_id": "Organisation",
    "job_title": "Job title",
    "job_role": "Job role",
    "membership": "Membership",
    "member_since": "Member since",
    "renewal_date": "Renewal date",
    "email": "Email",
    "phone": "Phone",
    "consent_email": "May be emailed",
    "notes": "Notes",
}


# ------------------------------------------------------------------ finding


def duplicate_rows(session: Session, actor: Actor, chapter_id: str) -> list[DuplicateRow]:
    """Likely duplicate pairs on the roster, strongest evidence first."""
    require(actor, Action.VIEW_ROSTER, chapter_id)
    contact = allows(actor, Action.VIEW_CONTACT_DETAILS, chapter_id)
    p, o = PEOPLE, ORGANISATIONS  # Core columns: no ORM loading step for 100,000 rows
    found = session.execute(
        select(
            p.c.id,
            p.c.first_name,
            p.c.last_name,
            p.c.organisation_id,
            o.c.name,
            p.c.email,
            p.c.membership,
        )
        .join(o, o.c.id == p.c.organisation_id)
        .where(p.c.chapter_id == chapter_id, p.c.deleted.is_(False))
    ).all()
    # Without contact rights a shared email is not even hinted at (ROS-1).
    keys = [PersonKey(r[0], r[1], r[2], r[3], r[5] if contact else "") for r in found]
    pairs = find_duplicates(keys)
    wanted = {pid for pair in pairs for pid in (pair.first_id, pair.second_id)}
    people = {r[0]: r for r in found if r[0] in wanted}

    def rank(pid: str) -> tuple[int, bool]:
        return MEMBERSHIP_RANK[people[pid][6]], bool(people[pid][5])

    rows = []
    for pair in pairs:
        # The record to keep is proposed first: the member over the prospect, then the one
        # with an email address.
        a, b = people[pair.first_id], people[pair.second_id]
        if rank(b[0]) > rank(a[0]):
            a, b = b, a
        rows.append(
            DuplicateRow(
                first_id=a[0],
                first_name=f"{a[1]} {a[2]}",
                first_organisation=a[4],
                second_id=b[0],
                second_name=f"{b[1]} {b[2]}",
                second_organisation=b[4],
                reason=pair.reason,
                reason_text=_(REASON_WORDS[pair.reason]),
                first_email=a[5] if contact else "",
                second_email=b[5] if contact else "",
            )
        )
    return rows


# ------------------------------------------------------------------ preview


def _pair(
    session: Session, actor: Actor, survivor_id: str, merged_id: str
) -> tuple[Person, Person]:
    if survivor_id == merged_id:
        raise RuleViolation(
            "ORG-1", _("A person cannot be merged with themselves."), _("Choose two people.")
        )
    survivor = load_person(session, actor, survivor_id, Action.EDIT_ROSTER)
    merged = load_person(session, actor, merged_id, Action.EDIT_ROSTER)
    if survivor.chapter_id != merged.chapter_id:
        raise RuleViolation(
            "ORG-1",
            _("These two people are on different chapters' rosters."),
            _("Only people on the same chapter's roster can be merged."),
        )
    return survivor, merged


def _registrations(session: Session, person: Person) -> list[MergeRegistration]:
    regs = list(
        session.scalars(
            select(Registration).where(
                Registration.person_id == person.id, Registration.deleted.is_(False)
            )
        )
    )
    events = _events(session, (r.id for r in regs))
    states = presences(events)
    counts: dict[str, int] = {}
    for e in events:
        counts[e.registration_id] = counts.get(e.registration_id, 0) + 1
    return [
        MergeRegistration(
            id=r.id,
            meeting_id=r.meeting_id,
            status=r.status,
            checked_in_at=(
                states[r.id].since.at  # type: ignore[union-attr]
                if r.id in states and states[r.id].checked_in
                else None
            ),
            event_count=counts.get(r.id, 0),
        )
        for r in regs
    ]


def _plan(session: Session, survivor: Person, merged: Person) -> RegistrationPlan:
    return plan_registrations(_registrations(session, survivor), _registrations(session, merged))


def _shown(name: str, value: Any, organisations: dict[str, str]) -> str:
    if value in (None, ""):
        return ""
    if name == "organisation_id":
        return organisations.get(str(value), str(value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, StrEnum):
        return value.value.replace("_", " ").capitalize()
    return str(to_wire(value))


def merge_preview(session: Session, actor: Actor, survivor_id: str, merged_id: str) -> MergePreview:
    """Both records, the proposed value of each field that differs, and what will move."""
    survivor, merged = _pair(session, actor, survivor_id, merged_id)
    contact = allows(actor, Action.VIEW_CONTACT_DETAILS, survivor.chapter_id)
    orgs = {
        o.id: o.name
        for o in (
            load_organisation(session, survivor.chapter_id, survivor.organisation_id),
            load_organisation(session, merged.chapter_id, merged.organisation_id),
        )
    }
    a, b = draft_of(survivor, with_contact=contact), draft_of(merged, with_contact=contact)
    fields = []
    for name in MERGE_FIELDS:
        mine, theirs = getattr(a, name), getattr(b, name)
        if mine != theirs:
            fields.append(
                (
                    name,
                    _shown(name, mine, orgs),
                    _shown(name, theirs, orgs),
                    default_choice(name, mine, theirs),
                )
            )
    mine_regs, their_regs = _registrations(session, survivor), _registrations(session, merged)
    plan = plan_registrations(mine_regs, their_regs)
    return MergePreview(
        survivor=MergeSide(
            person_detail(session, actor, survivor.id),
            len(mine_regs),
            sum(r.event_count for r in mine_regs),
        ),
        merged=MergeSide(
            person_detail(session, actor, merged.id),
            len(their_regs),
            sum(r.event_count for r in their_regs),
        ),
        fields=fields,
        moves=len(plan.moved),
        duplicates=len(plan.duplicates),
        carried_check_ins=sum(1 for d in plan.duplicates if d.carry_check_in),
        organisations=orgs,
    )


# ------------------------------------------------------------------ merging


class _Touched:
    """The value of every field a merge changes, as it was before (first change wins)."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], dict[str, Any]] = {}

    def set(self, entity: str, row: Any, **values: Any) -> None:
        before = self.rows.setdefault((entity, row.id), {})
        for name, value in values.items():
            if getattr(row, name) == value:
                continue
            before.setdefault(name, to_wire(getattr(row, name)))
            setattr(row, name, value)

    def as_plan(self) -> list[dict[str, Any]]:
        return [
            {"entity": entity, "id": row_id, "before": before}
            for (entity, row_id), before in self.rows.items()
            if before
        ]


def merge_people(
    session: Session,
    actor: Actor,
    survivor_id: str,
    merged_id: str,
    choices: dict[str, str] | None = None,
) -> MergeResult:
    """Merge ``merged_id`` into ``survivor_id``; ``choices`` names, per field, the side whose
    value the survivor keeps (``"survivor"`` or ``"merged"``; the preview's proposal where
    unnamed). One transaction with its audit event; undoable for :data:`UNDO_WINDOW`."""
    survivor, merged = _pair(session, actor, survivor_id, merged_id)
    if not allows(actor, Action.VIEW_CONTACT_DETAILS, survivor.chapter_id):
        raise RuleViolation(
            "ROS-1",
            _("Merging people needs access to their contact data."),
            _("Ask a chapter leader to merge them."),
        )
    touched = _Touched()
    chosen = {}
    for name in MERGE_FIELDS:
        mine, theirs = getattr(survivor, name), getattr(merged, name)
        side = (choices or {}).get(name) or default_choice(name, mine, theirs)
        if side not in ("survivor", "merged"):
            raise ValueError(f"unknown side {side!r} for {name}")
        chosen[name] = theirs if side == "merged" else mine
    draft = draft_of(survivor, with_contact=True)
    draft = type(draft)(**{**{f: getattr(draft, f) for f in MERGE_FIELDS}, **chosen})
    org = check_draft(session, survivor.chapter_id, draft)  # e.g. membership fits (ORG-3/5)

    plan = _plan(session, survivor, merged)
    clock = clock_of(session)
    carried: list[str] = []
    for reg_id in plan.moved:
        reg = session.get(Registration, reg_id)
        assert reg is not None
        touched.set("registrations", reg, person_id=survivor.id)
    for dup in plan.duplicates:
        kept, dropped = session.get(Registration, dup.kept), session.get(Registration, dup.dropped)
        assert kept is not None and dropped is not None
        touched.set("registrations", kept, status=dup.new_kept_status)
        touched.set(
            "registrations",
            dropped,
            status=RegistrationStatus.CANCELLED,
            flag_rule="MERGE",
            flag_note=_(
                "Duplicate of {name}'s registration, cancelled by a merge; its "
                "check-ins stay recorded here."
            ).format(name=f"{survivor.first_name} {survivor.last_name}"),
        )
        for escorted in session.scalars(
            select(Registration).where(Registration.escort_registration_id == dropped.id)
        ):
            touched.set("registrations", escorted, escort_registration_id=kept.id)
        if dup.carry_check_in is not None:
            event = CheckInEvent(
                chapter_id=kept.chapter_id,
                registration_id=kept.id,
                kind=CheckInKind.IN,
                device_id=clock.device,
                hlc=clock.now().encode(),
                actor_id=actor.account_id,
                at=dup.carry_check_in,
            )
            session.add(event)
            session.flush()
            carried.append(event.id)
    for slot in session.scalars(
        select(PresentationSlot).where(PresentationSlot.speaker_person_id == merged.id)
    ):
        touched.set("presentation_slots", slot, speaker_person_id=survivor.id)
    for application in session.scalars(
        select(PartnerApplication).where(PartnerApplication.nominated_by_person_id == merged.id)
    ):
        touched.set("partner_applications", application, nominated_by_person_id=survivor.id)
    touched.set("people", survivor, **chosen)
    touched.set("people", merged, deleted=True)
    survivor.search_text = search_key(
        survivor.first_name, survivor.last_name, org.name, survivor.email
    )
    now = utc_now()
    record = PersonMerge(
        chapter_id=survivor.chapter_id,
        survivor_id=survivor.id,
        merged_id=merged.id,
        actor_id=actor.account_id,
        merged_at=now,
        undo_until=now + UNDO_WINDOW,
        plan={"rows": touched.as_plan(), "carried": carried},
    )
    session.add(record)
    session.flush()
    record_change(
        session,
        actor,
        chapter_id=survivor.chapter_id,
        entity="people",
        entity_id=survivor.id,
        fields={},
        action="person.merged",
        details={
            "merged": f"{merged.first_name} {merged.last_name}",
            "merged_id": merged.id,
            "merge_id": record.id,
            "registrations_moved": len(plan.moved),
            "duplicate_registrations": len(plan.duplicates),
            "check_ins_carried": len(carried),
            # names only: contact values stay out of the trail (ROS-1)
            "fields": sorted(touched.rows.get(("people", survivor.id), {})),
        },
    )
    return MergeResult(
        merge_id=record.id,
        survivor_id=survivor.id,
        undo_until=record.undo_until,
        moved=len(plan.moved),
        duplicates=len(plan.duplicates),
        carried_check_ins=len(carried),
    )


def undo_merge(session: Session, actor: Actor, merge_id: str) -> str:
    """Put back what merge ``merge_id`` changed; the merged person is on the roster again.
    Returns that person's id. Refused once the window has closed or when already undone."""
    record = session.get(PersonMerge, merge_id)
    if record is None or record.deleted:
        raise NotFound(_("That merge is not on this laptop; refresh the list."))
    require(actor, Action.EDIT_ROSTER, record.chapter_id)
    if record.undone_at is not None:
        raise RuleViolation(
            "ORG-1", _("This merge was already undone."), _("Refresh the list to see both people.")
        )
    now = utc_now()
    if now > record.undo_until:
        raise RuleViolation(
            "ORG-1",
            _("The undo window of this merge closed at {when:%H:%M} on {when:%d %b}.").format(
                when=record.undo_until.astimezone()
            ),
            _("Edit the person by hand, or add the other record again."),
        )
    clock = clock_of(session)
    for event_id in record.plan.get("carried", []):
        carried = session.get(CheckInEvent, event_id)
        if carried is None:
            continue
        session.add(
            CheckInEvent(
                chapter_id=carried.chapter_id,
                registration_id=carried.registration_id,
                kind=CheckInKind.UNDO,
                undoes_event_id=carried.id,
                device_id=clock.device,
                hlc=clock.now().encode(),
                actor_id=actor.account_id,
            )
        )
    for change in reversed(record.plan.get("rows", [])):
        model = _MODELS[change["entity"]]
        row = session.get(model, change["id"])
        if row is None:
            continue
        for name, value in change["before"].items():
            setattr(row, name, from_wire(model, name, value))
    record.undone_at = now
    session.flush()
    record_change(
        session,
        actor,
        chapter_id=record.chapter_id,
        entity="people",
        entity_id=record.survivor_id,
        fields={},
        action="person.merge_undone",
        details={"merge_id": record.id, "merged_id": record.merged_id},
    )
    return record.merged_id
