"""Roster exports and prints: leaders only, for a stated purpose, marked and recorded (ROS-4).

A leader picks the fields (contact fields need the right to see them, ROS-1) and says what the
list is for; :func:`prepare_roster_export` turns the roster into rows of plain strings with the
confidential mark that every page or file carries, and :func:`record_roster_export` notes in the
audit trail who exported what, when, why and how many people. The file itself is drawn by
``reports/roster.py``; :class:`~chapterdesk.services.desk.Desk` runs all three in one
transaction. Nothing here logs: the rows carry contact data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.enums import Membership, OrgCategory
from chapterdesk.domain.permissions import Action, allows, require
from chapterdesk.domain.text import fold
from chapterdesk.domain.violations import NotFound, RuleViolation
from chapterdesk.i18n import _
from chapterdesk.services.changes import record_audit
from chapterdesk.services.people import _roster_rows
from chapterdesk.services.views import PersonRow
from chapterdesk.store.models import Chapter, Community

MIN_PURPOSE_LENGTH = 8
MAX_PURPOSE_LENGTH = 300
EXPORT_ACTION = "roster.exported"


class RosterField(StrEnum):
    """A column a leader can put in a roster export, in the order they are printed."""

    NAME = "name"
    ORGANISATION = "organisation"
    CATEGORY = "category"
    MEMBERSHIP = "membership"
    JOB_TITLE = "job_title"
    EMAIL = "email"
    PHONE = "phone"


class ExportFormat(StrEnum):
    PDF = "pdf"
    CSV = "csv"


CONTACT_FIELDS = frozenset({RosterField.EMAIL, RosterField.PHONE})
DEFAULT_FIELDS = (
    RosterField.NAME,
    RosterField.ORGANISATION,
    RosterField.CATEGORY,
    RosterField.MEMBERSHIP,
    RosterField.JOB_TITLE,
)


def field_label(field: RosterField) -> str:
    """The column heading of ``field`` (also shown beside its checkbox)."""
    return {
        RosterField.NAME: _("Name"),
        RosterField.ORGANISATION: _("Organisation"),
        RosterField.CATEGORY: _("Category"),
        RosterField.MEMBERSHIP: _("Membership"),
        RosterField.JOB_TITLE: _("Job title"),
        RosterField.EMAIL: _("Email"),
        RosterField.PHONE: _("Phone"),
    }[field]


def _category_label(category: OrgCategory) -> str:
    # MTG-6: wherever people are listed, partners are named as vendors.
    return {
        OrgCategory.CUSTOMER: _("Customer"),
        OrgCategory.PARTNER: _("Partner (vendor)"),
        OrgCategory.MICROSOFT: _("Microsoft"),
    }[category]


def _membership_label(membership: Membership) -> str:
    return {
        Membership.MEMBER: _("Member"),
        Membership.PROSPECT: _("Prospect"),
        Membership.NONE: "",
    }[membership]


def _cell(person: PersonRow, field: RosterField) -> str:
    match field:
        case RosterField.NAME:
            return person.full_name
        case RosterField.ORGANISATION:
            return person.organisation
        case RosterField.CATEGORY:
            return _category_label(person.category)
        case RosterField.MEMBERSHIP:
            return _membership_label(person.membership)
        case RosterField.JOB_TITLE:
            return person.job_title
        case RosterField.EMAIL:
            return person.email
        case RosterField.PHONE:
            return person.phone


@dataclass(frozen=True)
class FieldChoice:
    """One checkbox of the export dialog."""

    field: RosterField
    label: str
    contact: bool  # ROS-1: confidential contact data, never ticked for the leader
    checked: bool  # ticked when the dialog opens


@dataclass(frozen=True)
class ExportOptions:
    """What the export dialog offers: the fields this actor may pick, the exact mark the
    export will carry, and how many people it would list."""

    chapter_id: str
    chapter_name: str
    mark: str
    fields: tuple[FieldChoice, ...]
    people: int
    min_purpose_length: int = MIN_PURPOSE_LENGTH
    max_purpose_length: int = MAX_PURPOSE_LENGTH


@dataclass(frozen=True)
class RosterExport:
    """A roster ready to write: every cell is a plain string, in the order of ``labels``."""

    chapter_id: str
    chapter_name: str
    mark: str  # "Confidential — for <chapter> use only — exported by <name> on <YYYY-MM-DD>"
    purpose: str
    fields: tuple[RosterField, ...]
    labels: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    exported_by: str
    exported_on: date

    @property
    def people(self) -> int:
        return len(self.rows)


def chapter_label(session: Session, chapter_id: str) -> str:
    """ "AXUG Ottawa": the community code and chapter name, as the chapter picker shows it."""
    row = session.execute(
        select(Community.code, Chapter.name)
        .join(Community, Community.id == Chapter.community_id)
        .where(Chapter.id == chapter_id, Chapter.deleted.is_(False))
    ).first()
    if row is None:
        raise NotFound(_("That chapter no longer exists."))
    return f"{row[0]} {row[1]}".strip()


def mark_text(chapter_name: str, exported_by: str, on: date) -> str:
    """The confidential mark printed on every page of a roster and atop every CSV (ROS-4)."""
    return _("Confidential — for {chapter} use only — exported by {name} on {date}").format(
        chapter=chapter_name, name=exported_by, date=on.isoformat()
    )


def confidential_mark(
    session: Session, actor: Actor, chapter_id: str, today: date | None = None
) -> str:
    """The mark for a list of ``chapter_id``'s people printed or exported by ``actor`` today."""
    return mark_text(chapter_label(session, chapter_id), actor.display_name, today or date.today())


def check_purpose(purpose: str) -> str:
    """The purpose, trimmed; refused when missing, too short or too long (ROS-4, ROS-1)."""
    text = " ".join(purpose.split())
    if len(text) < MIN_PURPOSE_LENGTH:
        problem = (
            _("The purpose “{purpose}” is too short to say what the list is for.").format(
                purpose=text
            )
            if text
            else _("Every export or print of a roster needs a purpose.")
        )
        raise RuleViolation(
            "ROS-4",
            problem,
            _(
                "Say in a few words (at least {n} characters) what the list is for, e.g. "
                "“Name tags for the June meeting”. It is recorded with the export."
            ).format(n=MIN_PURPOSE_LENGTH),
        )
    if len(text) > MAX_PURPOSE_LENGTH:
        raise RuleViolation(
            "ROS-4",
            _("The purpose is longer than {n} characters.").format(n=MAX_PURPOSE_LENGTH),
            _("Say what the list is for in a sentence or two."),
        )
    return text


def _check_fields(fields: Sequence[str]) -> tuple[RosterField, ...]:
    try:
        wanted = {RosterField(f) for f in fields}
    except ValueError as exc:
        raise RuleViolation(
            "ROS-4",
            _("A roster export cannot contain that field."),
            _("Choose among: {fields}.").format(
                fields=", ".join(field_label(f) for f in RosterField)
            ),
        ) from exc
    if not wanted:
        raise RuleViolation(
            "ROS-4",
            _("The export has no fields."),
            _("Choose at least one field to export, e.g. the name."),
        )
    return tuple(f for f in RosterField if f in wanted)


def export_options(
    session: Session, actor: Actor, chapter_id: str, today: date | None = None
) -> ExportOptions:
    """What ``actor`` may export from ``chapter_id`` (leaders only, ROS-4), for the dialog."""
    require(actor, Action.EXPORT_ROSTER, chapter_id)
    may_contact = allows(actor, Action.VIEW_CONTACT_DETAILS, chapter_id)
    choices = tuple(
        FieldChoice(f, field_label(f), f in CONTACT_FIELDS, f in DEFAULT_FIELDS)
        for f in RosterField
        if may_contact or f not in CONTACT_FIELDS
    )
    name = chapter_label(session, chapter_id)
    people = len(_roster_rows(session, chapter_id, with_contact=False))
    return ExportOptions(
        chapter_id=chapter_id,
        chapter_name=name,
        mark=mark_text(name, actor.display_name, today or date.today()),
        fields=choices,
        people=people,
    )


def prepare_roster_export(
    session: Session,
    actor: Actor,
    chapter_id: str,
    purpose: str,
    fields: Sequence[str],
    today: date | None = None,
) -> RosterExport:
    """The roster of ``chapter_id`` with the chosen ``fields``, for a leader of that chapter
    who says why (ROS-4); contact fields need the right to see them (ROS-1)."""
    require(actor, Action.EXPORT_ROSTER, chapter_id)  # ROS-2, ROS-4: leaders of this chapter
    chosen = _check_fields(fields)
    with_contact = bool(CONTACT_FIELDS.intersection(chosen))
    if with_contact:
        require(actor, Action.VIEW_CONTACT_DETAILS, chapter_id)
    reason = check_purpose(purpose)
    name = chapter_label(session, chapter_id)
    on = today or date.today()
    people = sorted(
        _roster_rows(session, chapter_id, with_contact=with_contact),
        key=lambda p: (fold(p.last_name), fold(p.first_name)),  # "Öberg" among the O's
    )
    return RosterExport(
        chapter_id=chapter_id,
        chapter_name=name,
        mark=mark_text(name, actor.display_name, on),
        purpose=reason,
        fields=chosen,
        labels=tuple(field_label(f) for f in chosen),
        rows=tuple(tuple(_cell(p, f) for f in chosen) for p in people),
        exported_by=actor.display_name,
        exported_on=on,
    )


def record_roster_export(
    session: Session,
    actor: Actor,
    export: RosterExport,
    *,
    kind: ExportFormat,
    file_name: str,
) -> None:
    """Note the export in the audit trail, in the caller's transaction: who (the event's
    actor), when (its time), purpose, fields, how many people, format and file name (ROS-4).
    Never the rows themselves."""
    record_audit(
        session,
        actor,
        chapter_id=export.chapter_id,
        action=EXPORT_ACTION,
        entity="chapters",
        entity_id=export.chapter_id,
        details={
            "purpose": export.purpose,
            "fields": [f.value for f in export.fields],
            "people": export.people,
            "format": ExportFormat(kind).value,
            "file": file_name,
            "mark": export.mark,
        },
    )
