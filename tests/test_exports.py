"""Roster exports and prints (ROS-4): leaders only, a purpose, the confidential mark on every
page, an audit event; refusals and failed writes leave neither a file nor an audit row."""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import stat
import subprocess
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select
from sqlalchemy.orm import Session

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.enums import Membership, Role
from chapterdesk.domain.violations import PermissionDenied, RuleViolation
from chapterdesk.services import exports
from chapterdesk.services.desk import Desk
from chapterdesk.store.models import AuditEvent, Organisation, Person
from chapterdesk.ui.people.export_dialog import ExportDialog
from chapterdesk.ui.people.page import PeoplePage
from tests.world import World, build_world

ALL_FIELDS = [f.value for f in exports.RosterField]
PURPOSE = "Board review of the membership list"

# Names that break naive PDFs and spreadsheets: accents, long hyphenated names, formulas.
EXTRA_PEOPLE = [
    ("Zoë", "Müller-Lüdenscheidt", "Chef de projet", "+1 613 555 0101"),
    ("Łukasz", "Wiśniewski", '=HYPERLINK("http://example.com","click")', "613 555 0102"),
    ("Siobhán", "Ó Briain", "@SUM(A1:A9)", "-2+3"),
    ("Åsa", "Öberg", "Contrôleuse de gestion", ""),
    ("Maximilianus-Bartholomäus", "von Hohenzollern-Sigmaringen", "Directeur financier", ""),
]


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = build_world(tmp_path / "data", capacity=200)
    yield w
    w.store.close()


@pytest.fixture
def desk(world: World) -> Desk:
    return Desk(world.store, world.leader)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def grow_roster(world: World, filler: int = 0) -> int:
    """Add the awkward people above and ``filler`` plain customers; return the roster size."""
    with world.store.session() as s:
        city = s.scalars(select(Organisation).where(Organisation.name == "City of Ottawa")).one()
        for i, (first, last, title, phone) in enumerate(EXTRA_PEOPLE):
            s.add(
                Person(
                    chapter_id=world.chapter,
                    organisation_id=city.id,
                    first_name=first,
                    last_name=last,
                    job_title=title,
                    phone=phone,
                    membership=Membership.MEMBER,
                    email=f"extra{i}@example.org",
                )
            )
        for i in range(filler):
            s.add(
                Person(
                    chapter_id=world.chapter,
                    organisation_id=city.id,
                    first_name=f"Member{i:03d}",
                    last_name="Filler",
                    job_title="Accounts Payable Specialist",
                    membership=Membership.MEMBER,
                    email=f"member{i:03d}@city-of-ottawa.example.org",
                    phone=f"+1 613 555 {i:04d}",
                )
            )
        s.flush()
        return len(s.scalars(select(Person).where(Person.chapter_id == world.chapter)).all())


def mark_for(world: World, actor: Actor | None = None) -> str:
    who = (actor or world.leader).display_name
    return f"Confidential — for AXUG Ottawa use only — exported by {who} on {date.today():%Y-%m-%d}"


def audit_events(world: World, action: str = exports.EXPORT_ACTION) -> list[AuditEvent]:
    with world.store.session() as s:
        rows = list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))
        s.expunge_all()
        return rows


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    found = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    assert found is not None
    return int(found.group(1))


def page_size(pdf: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    found = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info.stdout, re.MULTILINE)
    assert found is not None
    return float(found.group(1)), float(found.group(2))


def page_text(pdf: Path, page: int) -> str:
    """The text of one page, whitespace collapsed (a wrapped mark reads as one line)."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return " ".join(text.split())


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ------------------------------------------------------------------------------ PDF


def test_leader_exports_a_multi_page_pdf_roster_marked_on_every_page_ROS_4(
    world: World, desk: Desk, out: Path
) -> None:
    size = grow_roster(world, filler=60)
    target = out / "roster.pdf"
    assert desk.export_roster(world.chapter, PURPOSE, ALL_FIELDS, "pdf", target) == size
    pages = pdf_pages(target)
    assert pages > 2
    assert page_size(target) == (792, 612)  # seven fields: landscape letter
    mark = mark_for(world)
    for page in range(1, pages + 1):
        text = page_text(target, page)
        assert mark in text, f"page {page} lacks the mark"
        assert f"Page {page} of {pages}" in text
        assert "Name" in text and "Email" in text  # the column headings repeat
    first = page_text(target, 1)
    assert PURPOSE in first and f"{size} people" in first
    everything = " ".join(page_text(target, p) for p in range(1, pages + 1))
    for name in ("Cléo Dubé", "Zoë Müller-Lüdenscheidt", "Łukasz Wiśniewski", "Åsa Öberg"):
        assert name in everything  # DejaVu, not boxes: the text comes back as written
    assert "extra0@example.org" in everything
    assert leftovers(out) == ["roster.pdf"]  # no temporary file beside it
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600  # a roster is for its owner only


def test_few_fields_print_in_portrait_without_contact_data_ROS_1(
    world: World, desk: Desk, out: Path
) -> None:
    grow_roster(world)
    target = out / "names.pdf"
    desk.export_roster(world.chapter, PURPOSE, ["organisation", "name"], "pdf", target)
    assert page_size(target) == (612, 792)
    text = page_text(target, 1)
    assert "Ann Lee" in text and "City of Ottawa" in text
    assert "@" not in text and "Email" not in text and "555" not in text


# ------------------------------------------------------------------------------ CSV


def test_csv_has_the_mark_header_rows_accents_and_defused_formulas_ROS_4(
    world: World, desk: Desk, out: Path
) -> None:
    size = grow_roster(world)
    target = out / "roster.csv"
    assert desk.export_roster(world.chapter, PURPOSE, ALL_FIELDS, "csv", target) == size
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == [mark_for(world)]
    assert rows[1] == [
        "Name",
        "Organisation",
        "Category",
        "Membership",
        "Job title",
        "Email",
        "Phone",
    ]
    assert len(rows) == 2 + size
    by_name = {row[0]: row for row in rows[2:]}
    assert by_name["Cléo Dubé"][1:4] == ["Fabrikam Manufacturing", "Customer", "Member"]
    assert by_name["Pat Quinn"][2] == "Partner (vendor)"  # MTG-6
    assert by_name["Ann Lee"][5] == "ann@example.org"
    # CSV injection: a spreadsheet must show these as text, not run them.
    assert by_name["Łukasz Wiśniewski"][4] == '\'=HYPERLINK("http://example.com","click")'
    assert by_name["Siobhán Ó Briain"][4] == "'@SUM(A1:A9)"
    assert by_name["Siobhán Ó Briain"][6] == "'-2+3"
    assert by_name["Zoë Müller-Lüdenscheidt"][6] == "'+1 613 555 0101"
    assert by_name["Åsa Öberg"][4] == "Contrôleuse de gestion"
    assert data.count(b"\r\n") == 2 + size  # CRLF rows, as Excel and RFC 4180 expect


def test_csv_without_contact_fields_has_no_contact_data_ROS_1(
    world: World, desk: Desk, out: Path
) -> None:
    target = out / "roster.csv"
    desk.export_roster(world.chapter, PURPOSE, ["name", "membership"], "csv", target)
    text = target.read_text(encoding="utf-8-sig")
    assert "@example.org" not in text
    assert text.splitlines()[1] == "Name,Membership"


def test_csv_guard_covers_every_formula_start() -> None:
    from chapterdesk.reports.csv_files import csv_safe

    for cell in ("=1+1", "+1", "-1", "@A1", "\tx", "\rx"):
        assert csv_safe(cell) == "'" + cell
    assert csv_safe("Ann Lee") == "Ann Lee" and csv_safe("") == ""


# ---------------------------------------------------------------------------- audit


def test_export_is_recorded_who_when_purpose_fields_count_format_ROS_4(
    world: World, desk: Desk, out: Path
) -> None:
    size = grow_roster(world)
    desk.export_roster(world.chapter, f"  {PURPOSE}  ", ["phone", "name"], "csv", out / "r.csv")
    desk.export_roster(world.chapter, "Name tags for June", ["name"], "pdf", out / "r.pdf")
    csv_event, pdf_event = sorted(audit_events(world), key=lambda e: e.details["format"])
    assert csv_event.actor_id == world.leader.account_id
    assert csv_event.actor_name == world.leader.display_name
    assert csv_event.chapter_id == world.chapter and csv_event.at is not None
    assert csv_event.details == {
        "purpose": PURPOSE,
        "fields": ["name", "phone"],
        "people": size,
        "format": "csv",
        "file": "r.csv",
        "mark": mark_for(world),
    }
    assert pdf_event.details["format"] == "pdf" and pdf_event.details["file"] == "r.pdf"
    assert pdf_event.details["purpose"] == "Name tags for June"
    # The audit trail says what was exported, never the people themselves.
    assert "@" not in repr(csv_event.details) and "555" not in repr(csv_event.details)


# ------------------------------------------------------------------------- refusals


def other_actors(world: World) -> dict[str, Actor]:
    return {
        "volunteer": world.volunteer(),
        "partner": Actor("p-1", "Pat Partner", Role.PARTNER, frozenset({world.chapter})),
        "leader elsewhere": Actor("l-2", "Lee Elsewhere", Role.LEADER, frozenset({"other"})),
    }


@pytest.mark.parametrize("who", ["volunteer", "partner", "leader elsewhere"])
@pytest.mark.parametrize("kind", ["pdf", "csv"])
def test_only_leaders_of_the_chapter_export_ROS_2_ROS_4(
    world: World, out: Path, who: str, kind: str
) -> None:
    desk = Desk(world.store, other_actors(world)[who])
    with pytest.raises(PermissionDenied, match="ROS-4"):
        desk.export_roster(world.chapter, PURPOSE, ["name"], kind, out / f"roster.{kind}")
    with pytest.raises(PermissionDenied):
        desk.roster_export_options(world.chapter)
    assert leftovers(out) == []
    assert audit_events(world) == []


def test_co_leader_may_export(world: World, out: Path) -> None:
    co = Actor("c-1", "Cory Co-Leader", Role.CO_LEADER, frozenset({world.chapter}))
    assert Desk(world.store, co).export_roster(world.chapter, PURPOSE, ["name"], "csv", out / "x")
    assert audit_events(world)[0].actor_name == "Cory Co-Leader"


@pytest.mark.parametrize("purpose", ["", "   ", "list", "for\n me"])
def test_a_purpose_is_required_ROS_4(world: World, desk: Desk, out: Path, purpose: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        desk.export_roster(world.chapter, purpose, ["name"], "csv", out / "roster.csv")
    assert refused.value.rule_id == "ROS-4" and "purpose" in str(refused.value)
    assert leftovers(out) == [] and audit_events(world) == []


def test_an_export_needs_a_field_ROS_4(world: World, desk: Desk, out: Path) -> None:
    for fields in ([], ["salary"]):
        with pytest.raises(RuleViolation, match="ROS-4"):
            desk.export_roster(world.chapter, PURPOSE, fields, "pdf", out / "roster.pdf")
    assert leftovers(out) == [] and audit_events(world) == []


def test_export_options_offer_contact_fields_unticked(world: World, desk: Desk) -> None:
    options = desk.roster_export_options(world.chapter)
    assert options.mark == mark_for(world) and options.people == len(world.people)
    contact = {c.field.value for c in options.fields if c.contact}
    assert contact == {"email", "phone"}
    assert not any(c.checked for c in options.fields if c.contact)
    assert next(c.field.value for c in options.fields if c.checked) == "name"


# ------------------------------------------------------------------- failed writes


def _full_disk(self: Canvas) -> None:
    self._filename.write(b"%PDF-1.4\n% half a file")
    raise OSError(errno.ENOSPC, "No space left on device")


def test_unwritable_targets_leave_no_file_and_no_audit_row(
    world: World, desk: Desk, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(FileNotFoundError):  # the folder is gone
        desk.export_roster(world.chapter, PURPOSE, ["name"], "csv", out / "gone" / "r.csv")
    (out / "taken.pdf").mkdir()  # os.replace cannot put a file over a folder
    with pytest.raises(OSError):
        desk.export_roster(world.chapter, PURPOSE, ["name"], "pdf", out / "taken.pdf")
    assert leftovers(out) == ["taken.pdf"] and leftovers(out / "taken.pdf") == []
    monkeypatch.setattr(Canvas, "save", _full_disk)  # the disk fills up mid-write
    with pytest.raises(OSError, match="No space"):
        desk.export_roster(world.chapter, PURPOSE, ALL_FIELDS, "pdf", out / "full.pdf")
    assert leftovers(out) == ["taken.pdf"]
    assert audit_events(world) == []


def test_a_failed_write_keeps_the_previous_file(world: World, desk: Desk, out: Path) -> None:
    target = out / "roster.csv"
    target.write_text("the old export")
    with pytest.raises(RuleViolation):
        desk.export_roster(world.chapter, "", ["name"], "csv", target)
    assert target.read_text() == "the old export" and leftovers(out) == ["roster.csv"]


def test_a_failed_commit_removes_the_written_file(
    world: World, desk: Desk, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_commit(self: Session) -> None:
        raise OSError(errno.EIO, "disk I/O error")

    monkeypatch.setattr(Session, "commit", broken_commit)
    with pytest.raises(OSError, match="I/O"):
        desk.export_roster(world.chapter, PURPOSE, ["name"], "pdf", out / "roster.pdf")
    with pytest.raises(OSError, match="I/O"):
        desk.write_signin_sheet(world.meeting, PURPOSE, out / "sheet.pdf")
    monkeypatch.undo()
    assert leftovers(out) == []
    assert audit_events(world) == []
    assert audit_events(world, "roster.signin_sheet_printed") == []


def test_layout_errors_do_not_quote_the_roster(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A ReportLab error quotes its flowable, i.e. names and addresses: never in our message
    (nor, through it, in the log file)."""
    from reportlab.platypus import BaseDocTemplate

    from chapterdesk.reports._pages import ListLayoutError
    from chapterdesk.reports.roster import roster_pdf

    def explode(*_a: Any, **_k: Any) -> None:
        raise ValueError("Flowable <Table ann@example.org Ann Lee> too large")

    monkeypatch.setattr(BaseDocTemplate, "build", explode)
    with pytest.raises(ListLayoutError) as failed:
        roster_pdf("AXUG Ottawa", "mark", PURPOSE, ["Email"], [["ann@example.org"]], tmp_path / "r")
    assert "ann" not in str(failed.value) and failed.value.__suppress_context__
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------- sign-in sheet


def register_many(world: World, desk: Desk, count: int) -> None:
    grow_roster(world, filler=count)
    with world.store.session() as s:
        ids = list(
            s.scalars(select(Person.id).where(Person.last_name == "Filler").order_by(Person.id))
        )
    for person_id in ids:
        desk.register(world.meeting, person_id)


def test_signin_sheet_needs_a_purpose_and_is_marked_on_every_page_ROS_4(
    world: World, desk: Desk, out: Path
) -> None:
    register_many(world, desk, 45)
    target = out / "sheet.pdf"
    with pytest.raises(RuleViolation, match="ROS-4"):
        desk.write_signin_sheet(world.meeting, "  ", target)
    assert leftovers(out) == []
    assert audit_events(world, "roster.signin_sheet_printed") == []

    assert desk.write_signin_sheet(world.meeting, "Signatures at the door", target) == 45
    pages = pdf_pages(target)
    assert pages > 1
    for page in range(1, pages + 1):
        text = page_text(target, page)
        assert mark_for(world) in text and f"Page {page} of {pages}" in text
        assert "@" not in text  # names and companies only (ROS-2)
    (event,) = audit_events(world, "roster.signin_sheet_printed")
    assert event.details["purpose"] == "Signatures at the door"
    assert event.details["people"] == 45 and event.details["file"] == "sheet.pdf"
    assert leftovers(out) == ["sheet.pdf"]


def test_signin_sheet_needs_a_purpose_and_a_leader_ROS_4(
    world: World, desk: Desk, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "sheet.pdf"
    with pytest.raises(RuleViolation, match="ROS-4"):
        desk.write_signin_sheet(world.meeting, "", target)
    with pytest.raises(PermissionDenied):
        Desk(world.store, world.volunteer()).write_signin_sheet(
            world.meeting, "Signatures please", target
        )
    assert list(folder.iterdir()) == [] and audit_events(world) == []


# ------------------------------------------------------------------------------- UI


def run_now(desk: Desk) -> Callable[..., None]:
    """``MainWindow.run`` without the worker pool."""

    def run(job: Any, done: Any, failed: Any = None) -> None:
        try:
            result = job(desk)
        except Exception as exc:
            if failed is None:
                raise
            failed(exc)
            return
        done(result)

    return run


@pytest.mark.gui
def test_export_dialog_needs_a_purpose_and_a_field(qtbot: QtBot, world: World, desk: Desk) -> None:
    dialog = ExportDialog(desk.roster_export_options(world.chapter))
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    assert "purpose" in dialog.purpose.hint.text().lower()
    assert "say what the list is for" in dialog.why_not.text()
    assert dialog.mark.text() == mark_for(world)
    assert "audit trail" in dialog.audit_note.text() and "ROS-4" in dialog.audit_note.text()
    email = dialog.field_boxes["email"]
    assert not email.isChecked() and "contact" in email.text()
    assert not dialog.field_boxes["phone"].isChecked()

    QTest.keyClicks(dialog.purpose.edit, "list")
    assert not dialog.ok_button.isEnabled()  # too short to say anything
    QTest.keyClicks(dialog.purpose.edit, " for the board")
    assert dialog.ok_button.isEnabled() and dialog.why_not.text() == ""

    for box in dialog.field_boxes.values():
        box.setChecked(False)
    assert not dialog.ok_button.isEnabled() and "field" in dialog.why_not.text()
    email.setChecked(True)
    dialog.field_boxes["name"].setChecked(True)
    dialog.csv_button.setChecked(True)
    choice = dialog.choice()
    assert choice.kind == "csv" and choice.fields == ("name", "email")
    assert choice.purpose == "list for the board"


@pytest.mark.gui
def test_people_page_exports_through_the_dialogs(
    qtbot: QtBot, world: World, desk: Desk, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = PeoplePage()
    qtbot.addWidget(page)
    page.set_rows(desk.people(world.chapter))
    page.bind(run_now(desk), world.chapter)
    assert page.export_button.isHidden()  # until the window says this person may export
    page.set_can_export(True)
    assert not page.export_button.isHidden() and page.export_button.isEnabled()
    assert page.export_shortcut.key() == QKeySequence("Ctrl+E")

    def fill(dialog: ExportDialog) -> int:
        QTest.keyClicks(dialog.purpose.edit, "Name tags for June")
        dialog.csv_button.setChecked(True)
        return int(QDialog.DialogCode.Accepted)

    suggested: list[str] = []

    def save_as(_parent: Any, _title: str, start: str, _filter: str) -> tuple[str, str]:
        suggested.append(start)
        return str(out / "june"), "CSV files (*.csv)"

    monkeypatch.setattr(ExportDialog, "exec", fill)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    with qtbot.waitSignal(page.exported):
        page.export_button.click()
    assert suggested[0].endswith(".csv") and "roster-AXUG-Ottawa" in suggested[0]
    assert leftovers(out) == ["june.csv"]
    assert str(out / "june.csv") in page.export_status.text()
    assert "ROS-4" in page.export_status.text()
    assert opened == []  # a CSV is not pushed into a spreadsheet unasked
    (event,) = audit_events(world)
    assert event.details["purpose"] == "Name tags for June" and event.details["format"] == "csv"

    page.set_can_export(False)
    assert page.export_button.isHidden() and not page.export_shortcut.isEnabled()


@pytest.mark.gui
def test_people_page_says_why_an_export_failed(
    qtbot: QtBot, world: World, desk: Desk, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = PeoplePage()
    qtbot.addWidget(page)
    page.bind(run_now(desk), world.chapter)
    page.set_can_export(True)
    (out / "taken.pdf").mkdir()

    def fill(dialog: ExportDialog) -> int:
        QTest.keyClicks(dialog.purpose.edit, "Printed list for the board")
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(ExportDialog, "exec", fill)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a: (str(out / "taken.pdf"), "PDF files (*.pdf)")
    )
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: shown.append(box.text()))
    page.export_roster()
    assert "not exported" in page.export_status.text() and "taken.pdf" in shown[0]
    assert audit_events(world) == []


@pytest.mark.gui
def test_unbound_page_asks_nothing(qtbot: QtBot) -> None:
    page = PeoplePage()  # no chapter yet: the button stays disabled, nothing is asked
    qtbot.addWidget(page)
    page.set_can_export(True)
    assert not page.export_button.isEnabled()
    page.export_roster()
