"""The Audit view (ROS-4): leaders list, filter and export who did what, when; nobody else
does, and no contact data shows or leaves in the file."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QDialog, QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.enums import Role
from chapterdesk.domain.violations import PermissionDenied
from chapterdesk.services import audit
from chapterdesk.services.audit import AuditFilter, action_label, summarise_details
from chapterdesk.services.changes import record_audit
from chapterdesk.services.desk import Desk
from chapterdesk.store.models import AuditEvent
from chapterdesk.ui.audit.page import AuditPage, DayEdit
from chapterdesk.ui.common.purpose import PurposeDialog
from chapterdesk.ui.common.tasks import TaskRunner
from tests.world import World

TODAY = date.today()


@pytest.fixture
def desk(world: World) -> Desk:
    return Desk(world.store, world.leader)


def note(
    w: World,
    action: str,
    details: dict[str, Any],
    days_ago: int = 0,
    who: str = "Lee Leader",
) -> None:
    """An audit event as another service would have written it, ``days_ago`` at noon."""
    at = datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time()).replace(hour=12)
    actor = Actor("acc-" + who.split()[0].lower(), who, Role.LEADER, frozenset({w.chapter}))
    with w.store.session() as s:
        record_audit(
            s, actor, chapter_id=w.chapter, action=action, entity="chapters", details=details
        )
        s.flush()
        event = s.scalars(select(AuditEvent).order_by(AuditEvent.at.desc())).first()
        assert event is not None
        event.at = at.astimezone(UTC)


@pytest.fixture
def trail(world: World, desk: Desk) -> World:
    """A month of chapter life: an export, a print, registrations and a check-in."""
    note(
        world,
        "roster.exported",
        {
            "purpose": "Renewal reminders",
            "fields": ["name", "company", "email"],
            "people": 42,
            "format": "csv",
            "file": "roster.csv",
        },
        days_ago=30,
    )
    note(
        world,
        "roster.signin_sheet_printed",
        {"meeting": "Year-end close", "people": 12, "fields": "name, company"},
        days_ago=10,
        who="Cy Coleader",
    )
    ann = desk.register(world.meeting, world.people["Ann"])
    desk.check_in(ann.registration_id)
    return world


def actions(rows: list[audit.AuditRow]) -> list[str]:
    return [r.action for r in rows]


# ----------------------------------------------------------------------------- listing


def test_the_trail_lists_newest_first_with_labels_ROS_4(trail: World, desk: Desk) -> None:
    rows = desk.audit_rows(trail.chapter)
    assert actions(rows) == [
        "check_in.in",
        "registration.created",
        "roster.signin_sheet_printed",
        "roster.exported",
    ]
    exported = rows[-1]
    assert exported.label == "Roster exported"
    assert exported.actor_name == "Lee Leader"
    assert "purpose: Renewal reminders" in exported.summary
    assert "fields: name, company, email" in exported.summary
    assert "people: 42" in exported.summary
    assert rows[0].at >= rows[1].at >= rows[2].at >= rows[3].at


def test_filters_by_words_action_and_days(trail: World, desk: Desk) -> None:
    chapter = trail.chapter
    assert actions(desk.audit_rows(chapter, AuditFilter(text="renewal"))) == ["roster.exported"]
    assert actions(desk.audit_rows(chapter, AuditFilter(text="coleader sign-in"))) == [
        "roster.signin_sheet_printed"
    ]
    assert actions(desk.audit_rows(chapter, AuditFilter(action="roster.exported"))) == [
        "roster.exported"
    ]
    recent = desk.audit_rows(chapter, AuditFilter(since=TODAY - timedelta(days=10)))
    assert actions(recent)[-1] == "roster.signin_sheet_printed" and len(recent) == 3
    window = AuditFilter(since=TODAY - timedelta(days=30), until=TODAY - timedelta(days=10))
    assert actions(desk.audit_rows(chapter, window)) == [
        "roster.signin_sheet_printed",
        "roster.exported",
    ]
    one_day = AuditFilter(since=TODAY - timedelta(days=30), until=TODAY - timedelta(days=30))
    assert actions(desk.audit_rows(chapter, one_day)) == ["roster.exported"]
    assert desk.audit_rows(chapter, AuditFilter(text="nobody did this")) == []
    assert len(desk.audit_rows(chapter, limit=2)) == 2
    assert len(desk.audit_rows(chapter, AuditFilter(text="e"), limit=1)) == 1


def test_the_filter_offers_every_known_action_and_any_found(trail: World, desk: Desk) -> None:
    note(trail, "sync.paired", {"server": "chapter.example.net"})
    kinds = desk.audit_kinds(trail.chapter)
    codes = [k.action for k in kinds]
    assert codes[0] == "roster.exported" and "audit.exported" in codes
    assert "retention.purged" in codes and codes[-1] == "sync.paired"
    assert kinds[-1].label == "Sync paired"
    assert action_label("retention.purged") == "Old data purged"


def test_details_never_show_contact_data_ROS_1() -> None:
    summary = summarise_details(
        {
            "meeting": "Year-end close",
            "email": "ann@example.org",
            "login": "lee@example.org",
            "note": "call ann@example.org",
            "phone": "+1 613 555 0101",
            "mobile": "613-555-0101",
            "cutoff": "2021-05-31",
            "people": 3,
            "mark": {"email": "x@example.org", "by": "Lee"},
        }
    )
    assert "@" not in summary and "555" not in summary
    assert "meeting: Year-end close" in summary and "cutoff: 2021-05-31" in summary
    assert "people: 3" in summary


@pytest.mark.parametrize("who", ["volunteer", "partner", "leader of another chapter"])
def test_only_the_chapters_leaders_see_the_trail(trail: World, who: str, tmp_path: Path) -> None:
    actor = {
        "volunteer": trail.volunteer(),
        "partner": Actor("p-1", "Pat Partner", Role.PARTNER, frozenset({trail.chapter})),
        "leader of another chapter": Actor(
            "l-2", "Lee Elsewhere", Role.LEADER, frozenset({"another-chapter"})
        ),
    }[who]
    other = Desk(trail.store, actor)
    with pytest.raises(PermissionDenied, match="ROS-4"):
        other.audit_rows(trail.chapter)
    with pytest.raises(PermissionDenied):
        other.audit_kinds(trail.chapter)
    target = tmp_path / "audit.csv"
    with pytest.raises(PermissionDenied):
        other.export_audit(trail.chapter, AuditFilter(), WHY, target)
    assert not target.exists() and list(tmp_path.iterdir()) == [tmp_path / "data"]


def test_a_co_leader_sees_the_trail(trail: World) -> None:
    co = Desk(trail.store, Actor("c-1", "Co Leader", Role.CO_LEADER, frozenset({trail.chapter})))
    assert len(co.audit_rows(trail.chapter)) == 4


# ------------------------------------------------------------------------------ export


WHY = "Quarterly privacy review"


def read_csv(path: Path) -> list[list[str]]:
    """The rows under the confidential mark, which is always the first line (ROS-4)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        mark, *rows = list(csv.reader(handle))
    assert mark[0].startswith("Confidential — for ") and " use only — exported by " in mark[0]
    return rows


def test_export_writes_the_filtered_trail_and_is_recorded_ROS_4(
    trail: World, desk: Desk, tmp_path: Path
) -> None:
    target = tmp_path / "exports" / "audit.csv"
    target.parent.mkdir()
    count = desk.export_audit(trail.chapter, AuditFilter(text="roster"), WHY, target)
    assert count == 2
    lines = read_csv(target)
    assert lines[0] == ["When", "Who", "What", "Action", "Entity", "Details"]
    assert [line[3] for line in lines[1:]] == ["roster.signin_sheet_printed", "roster.exported"]
    assert lines[2][1] == "Lee Leader" and lines[2][2] == "Roster exported"
    assert list(target.parent.iterdir()) == [target]  # no temporary file left behind
    assert (target.stat().st_mode & 0o077) == 0  # owner-only, like every export

    recorded = desk.audit_rows(trail.chapter, AuditFilter(action="audit.exported"))
    assert len(recorded) == 1
    assert recorded[0].actor_name == trail.leader.display_name
    assert "rows: 2" in recorded[0].summary and "file: audit.csv" in recorded[0].summary
    assert "roster" not in recorded[0].summary  # the search words are not kept
    # The export shows up in the next export, like any other sensitive action.
    desk.export_audit(trail.chapter, AuditFilter(action="audit.exported"), WHY, target)
    assert [line[3] for line in read_csv(target)[1:]] == ["audit.exported"]


def test_export_has_no_screen_limit(trail: World, desk: Desk, tmp_path: Path) -> None:
    for n in range(5):
        note(trail, "roster.exported", {"people": n}, days_ago=40 + n)
    target = tmp_path / "all.csv"
    assert desk.export_audit(trail.chapter, AuditFilter(), WHY, target) == 9
    assert len(desk.audit_rows(trail.chapter, limit=3)) == 3


def test_a_failed_export_leaves_the_old_file_and_no_record(
    trail: World, desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "audit.csv"
    target.write_text("the previous export\n")

    def disk_full(writer: Any, rows: list[audit.AuditRow]) -> None:
        writer.writerow(["When", "Who"])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(audit, "_write_csv", disk_full)
    with pytest.raises(OSError):
        desk.export_audit(trail.chapter, AuditFilter(), WHY, target)
    assert target.read_text() == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.csv", "data"]
    assert desk.audit_rows(trail.chapter, AuditFilter(action="audit.exported")) == []


def test_a_spreadsheet_does_not_run_a_cell_as_a_formula(
    trail: World, desk: Desk, tmp_path: Path
) -> None:
    note(trail, "meeting.created", {"title": '=HYPERLINK("http://x")'}, who="=Mallory")
    target = tmp_path / "audit.csv"
    desk.export_audit(trail.chapter, AuditFilter(action="meeting.created"), WHY, target)
    row = read_csv(target)[1]
    assert row[1] == "'=Mallory" and row[5].startswith("meeting: =HYPERLINK")


# ---------------------------------------------------------------------------- the page


@pytest.fixture
def page(qtbot: QtBot, trail: World, desk: Desk) -> Iterator[AuditPage]:
    runner = TaskRunner()
    errors: list[BaseException] = []

    def run(job, done, failed=None):  # type: ignore[no-untyped-def]
        runner.submit(lambda: job(desk), done, failed or errors.append)

    widget = AuditPage()
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.bind(run, trail.chapter)
    qtbot.waitUntil(lambda: widget.kind.count() > 1)
    yield widget
    runner.wait_for_done()
    assert not errors


@pytest.mark.gui
def test_the_page_lists_and_filters_the_trail(qtbot: QtBot, page: AuditPage) -> None:
    assert page.rows()[0].action == "check_in.in"
    assert page.model.rowCount() == 4 and page.summary.text() == "4 events"
    assert page.proxy.index(3, 2).data() == "Roster exported"
    assert page.purge_button.isVisible() and page.purge_button.isEnabled()

    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.kind.setCurrentIndex(page.kind.findData("roster.exported"))
    assert [r.action for r in page.rows()] == ["roster.exported"]

    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.kind.setCurrentIndex(0)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        qtbot.keyClicks(page.search, "coleader")  # waits for the typing pause
    assert [r.action for r in page.rows()] == ["roster.signin_sheet_printed"]

    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.clear_filters()
    assert page.model.rowCount() == 4
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.until.setDate(QDate(TODAY - timedelta(days=20)))
    assert [r.action for r in page.rows()] == ["roster.exported"]

    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.clear_filters()
    page.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # by who
    assert page.proxy.index(0, 1).data() == "Cy Coleader"
    page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # newest first again
    assert page.rows()[0].action == "check_in.in"


@pytest.mark.gui
def test_the_page_exports_where_the_leader_chooses(
    qtbot: QtBot, page: AuditPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = tmp_path / "chapter audit"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(chosen), "CSV files (*.csv)")
    )
    asked: list[str] = []

    def answer(dialog: PurposeDialog) -> int:
        asked.append(dialog.windowTitle())
        dialog.purpose.edit.setText(WHY)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(PurposeDialog, "exec", answer)
    with qtbot.waitSignal(page.notice, timeout=10_000) as told:
        page.export_button.click()
    assert told.args[0] == "Exported 4 audit events to chapter audit.csv."
    assert asked == ["Audit export — purpose"]  # ROS-4: the trail names people
    assert len(read_csv(tmp_path / "chapter audit.csv")) == 5
    qtbot.waitUntil(lambda: page.model.rowCount() == 5)
    assert page.rows()[0].action == "audit.exported"


@pytest.mark.gui
def test_the_page_offers_no_purge_to_whoever_may_not(qtbot: QtBot, trail: World) -> None:
    # A leader of the chapter on a desk whose actor leads another chapter: the service says no.
    desk = Desk(trail.store, Actor("l-2", "Lee Elsewhere", Role.LEADER, frozenset({"x"})))
    refusals: list[BaseException] = []
    runner = TaskRunner()

    def run(job, done, failed=None):  # type: ignore[no-untyped-def]
        runner.submit(lambda: job(desk), done, failed or refusals.append)

    widget = AuditPage()
    qtbot.addWidget(widget)
    widget.show()
    widget.bind(run, trail.chapter)
    qtbot.waitUntil(lambda: len(refusals) == 2)
    assert all(isinstance(r, PermissionDenied) for r in refusals)
    assert not widget.purge_button.isVisible() and not widget.export_button.isEnabled()
    assert widget.model.rowCount() == 0
    runner.wait_for_done()


@pytest.mark.gui
def test_the_purge_opens_without_blocking(qtbot: QtBot, page: AuditPage) -> None:
    dialog = page.open_purge()
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.preview is not None)
    assert dialog.preview is not None and dialog.preview.is_empty  # a young chapter
    assert not dialog.purge_button.isEnabled()
    dialog.close()


@pytest.mark.gui
def test_an_empty_day_filter_opens_its_calendar_on_this_month(qtbot: QtBot) -> None:
    edit = DayEdit("From")
    qtbot.addWidget(edit)
    edit.show()
    assert edit.day() is None and edit.text() == "Any day"
    arrow = QPoint(edit.width() - 6, edit.height() // 2)
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton, pos=arrow)  # opens the calendar
    calendar = edit.calendarWidget()
    qtbot.waitUntil(calendar.isVisible)
    today = QDate.currentDate()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year(), today.month())
    assert edit.day() is None  # looking is not choosing
    calendar.window().close()


def test_an_export_whose_record_cannot_be_committed_leaves_no_file(
    trail: World, desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.orm import Session

    target = tmp_path / "audit.csv"

    def commit_fails(self: Session) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched, pytest.raises(OSError):
        patched.setattr(Session, "commit", commit_fails)
        desk.export_audit(trail.chapter, AuditFilter(), WHY, target)
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    assert desk.audit_rows(trail.chapter, AuditFilter(action="audit.exported")) == []
