"""Import members from the membership portal's CSV or Excel export (issue 9): read the file,
preview what it holds with a column mapping, then add every good row in one transaction —
rejected rows are reported, never half-imported.

Reading a file needs no session; :func:`preview_import` and :func:`apply_import` take a session
and the acting leader (``EDIT_ROSTER``) like every use case.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.enums import OrgCategory
from chapterdesk.domain.member_import import (
    ImportPlan,
    KnownPerson,
    guess_mapping,
    mapping_problems,
    plan_import,
)
from chapterdesk.domain.permissions import Action, require
from chapterdesk.domain.text import fold, search_key
from chapterdesk.domain.violations import RuleViolation
from chapterdesk.i18n import _
from chapterdesk.services.changes import record_audit
from chapterdesk.store.models import Organisation, Person

MAX_BYTES = 50 * 1024 * 1024  # a portal export of a whole community is a few MB
MAX_ROWS = 200_000


class ImportFileError(ValueError):
    """The file cannot be read as a table; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Table:
    """A file's header and rows, as read."""

    name: str
    headers: list[str]
    rows: list[list[object]]
    note: str = ""  # e.g. which encoding was used

    def guessed_mapping(self) -> dict[int, str]:
        return guess_mapping(self.headers)


def read_table(path: Path) -> Table:
    """The first sheet of an ``.xlsx`` file, or a CSV file (UTF-8, or Windows-1252 when it is
    not UTF-8; comma, semicolon or tab separated)."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ImportFileError(
                _(
                    "{name} is {mb} MB; an export of members is far smaller. Choose the portal's "
                    "member export."
                ).format(name=path.name, mb=size // (1024 * 1024))
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(
            _("{name} could not be read ({why}).").format(
                name=path.name, why=exc.strerror or type(exc).__name__
            )
        ) from exc
    if not data.strip():
        raise ImportFileError(_("{name} is empty.").format(name=path.name))
    if data[:4] == b"PK\x03\x04":
        return _read_excel(path.name, data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(
            _(
                "{name} is an old Excel file (.xls). Open it in Excel and save it as .xlsx or "
                "CSV, then import that."
            ).format(name=path.name)
        )
    return _read_csv(path.name, data)


def _read_csv(name: str, data: bytes) -> Table:
    note = ""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        note = _(
            "{name} is not UTF-8: read as Windows-1252 (Western European). Check the "
            "accented names in the preview."
        ).format(name=name)
    if "\x00" in text:
        raise ImportFileError(
            _("{name} is not a text file. Export the members as CSV or Excel (.xlsx).").format(
                name=name
            )
        )
    sample = text[:20_000]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [row for row in csv.reader(io.StringIO(text), dialect)]
    return _table(name, rows, note)


def _read_excel(name: str, data: bytes) -> Table:
    import openpyxl  # type: ignore[import-untyped]  # only when an Excel file is imported

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(
            _(
                "{name} is not an Excel workbook that can be read ({why}). Save it again as "
                ".xlsx or CSV."
            ).format(name=name, why=type(exc).__name__)
        ) from exc
    try:
        sheet = book.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    return _table(name, rows, "")


def _table(name: str, found: Sequence[Sequence[object]], note: str) -> Table:
    rows: list[list[object]] = [list(r) for r in found]
    while rows and not any(str(v or "").strip() for v in rows[0]):
        rows.pop(0)  # blank lines above the header
    if not rows:
        raise ImportFileError(_("{name} holds no rows.").format(name=name))
    if len(rows) > MAX_ROWS + 1:
        raise ImportFileError(
            _("{name} has {n} rows; split it into files of {max} rows.").format(
                name=name, n=len(rows) - 1, max=MAX_ROWS
            )
        )
    headers = [" ".join(str(v or "").split()) for v in rows[0]]
    return Table(name, headers, rows[1:], note)


@dataclass(frozen=True, slots=True)
class ImportPreview:
    plan: ImportPlan
    problems: list[str] = field(default_factory=list)  # with the column choice

    @property
    def ready(self) -> bool:
        return not self.problems and bool(self.plan.people)


def _plan(session: Session, chapter_id: str, table: Table, mapping: dict[int, str]) -> ImportPlan:
    orgs = {
        fold(o.name): (o.name, o.category is OrgCategory.CUSTOMER)
        for o in session.scalars(
            select(Organisation).where(
                Organisation.chapter_id == chapter_id, Organisation.deleted.is_(False)
            )
        )
    }
    roster = [
        KnownPerson(first, last, org, email)
        for first, last, org, email in session.execute(
            select(Person.first_name, Person.last_name, Organisation.name, Person.email)
            .join(Organisation, Organisation.id == Person.organisation_id)
            .where(Person.chapter_id == chapter_id, Person.deleted.is_(False))
        )
    ]
    return plan_import(table.rows, mapping, roster, orgs)


def preview_import(
    session: Session, actor: Actor, chapter_id: str, table: Table, mapping: dict[int, str]
) -> ImportPreview:
    """What importing ``table`` with ``mapping`` would add, leave and reject."""
    require(actor, Action.EDIT_ROSTER, chapter_id)
    problems = mapping_problems(mapping)
    if problems:
        return ImportPreview(ImportPlan(), problems)
    return ImportPreview(_plan(session, chapter_id, table, mapping))


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: int
    organisations: int
    rejected: int
    already: int


def apply_import(
    session: Session, actor: Actor, chapter_id: str, table: Table, mapping: dict[int, str]
) -> ImportResult:
    """Add every good row, with new organisations as customers (ORG-1), in the caller's one
    transaction: if anything fails, nothing of the file is on the roster."""
    require(actor, Action.EDIT_ROSTER, chapter_id)
    problems = mapping_problems(mapping)
    if problems:
        raise RuleViolation("ORG-1", problems[0], _("Choose the columns in the preview."))
    plan = _plan(session, chapter_id, table, mapping)
    if not plan.people:
        raise RuleViolation(
            "ORG-1",
            _("{name} holds nobody new to import.").format(name=table.name),
            _("See the rejected rows and the people already on the roster in the preview."),
        )
    orgs = {
        fold(o.name): o
        for o in session.scalars(
            select(Organisation).where(
                Organisation.chapter_id == chapter_id, Organisation.deleted.is_(False)
            )
        )
    }
    created = 0
    for name in plan.new_organisations:
        org = Organisation(chapter_id=chapter_id, name=name, category=OrgCategory.CUSTOMER)
        session.add(org)
        orgs[fold(name)] = org
        created += 1
    session.flush()
    for p in plan.people:
        org = orgs[fold(p.organisation)]
        session.add(
            Person(
                chapter_id=chapter_id,
                organisation_id=org.id,
                first_name=p.first_name,
                last_name=p.last_name,
                email=p.email,
                phone=p.phone,
                job_title=p.job_title,
                membership=p.membership,
                member_since=p.member_since,
                renewal_date=p.renewal_date,
                search_text=search_key(p.first_name, p.last_name, org.name, p.email),
            )
        )
    session.flush()
    record_audit(
        session,
        actor,
        chapter_id=chapter_id,
        action="roster.imported",
        entity="people",
        entity_id=None,
        details={
            "file": table.name,
            "added": len(plan.people),
            "organisations_added": created,
            "rejected_rows": [r.row for r in plan.rejected],
            "already_on_roster": len(plan.already),
        },
    )
    return ImportResult(len(plan.people), created, len(plan.rejected), len(plan.already))
