"""The People page as a leader keeps the roster with it (issue 8): filters, adding a person
with the form's checks (ORG-5, ROS-1), moving a person with the consequences shown first,
an organisation marked excluded (ORG-4) flagging registrations, and a merge undone."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from chapterdesk.domain.enums import ExcludedKind, Membership
from chapterdesk.services import checkin
from chapterdesk.services.desk import Desk
from chapterdesk.services.registrations import register
from chapterdesk.ui.common.tasks import TaskRunner
from chapterdesk.ui.main_window import MainWindow
from chapterdesk.ui.people.changes_dialog import ConfirmChangesDialog, MoveDialog
from chapterdesk.ui.people.merge_dialog import MergeDialog
from chapterdesk.ui.people.organisations_panel import OrganisationDialog
from chapterdesk.ui.people.person_dialog import PersonDialog
from chapterdesk.ui.people.roster_page import RosterPage
from tests.test_roster_services import add_twin, today_meeting
from tests.world import World

pytestmark = pytest.mark.gui
ACCEPTED = QDialog.DialogCode.Accepted


def open_people_page(qtbot: QtBot, world: World, tmp_path: Path) -> RosterPage:
    """The window signed in as the world's leader, on the People page, its lists loaded."""
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(TaskRunner(), settings)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.attach(Desk(world.store, world.leader))
    roster = window.roster_page
    with qtbot.waitSignal(roster.loaded, timeout=10_000):
        window.show_page("people")
    return roster


@pytest.fixture
def page(qtbot: QtBot, world: World, tmp_path: Path) -> RosterPage:
    return open_people_page(qtbot, world, tmp_path)


def names(page: RosterPage) -> list[str]:
    return sorted(row.full_name for row in page.people.visible_rows())


def select(qtbot: QtBot, page: RosterPage, person_id: str) -> None:
    with qtbot.waitSignal(page.detail_shown, timeout=10_000):
        assert page.people.select_person(person_id)


def test_filters_by_membership_organisation_and_attendance(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    tonight = today_meeting(world)
    with world.store.session() as s:
        reg = register(s, world.leader, tonight, world.people["Ann"]).registration_id
        checkin.check_in(s, world.leader, reg)
    page = open_people_page(qtbot, world, tmp_path)
    people = page.people
    assert len(people.visible_rows()) == 10
    people.membership_filter.setCurrentIndex(2)  # prospects (ORG-5)
    assert names(page) == ["Bob Roy"]
    people.membership_filter.setCurrentIndex(0)
    people.organisation_filter.setCurrentIndex(
        people.organisation_filter.findText("City of Ottawa")
    )
    assert names(page) == ["Ann Lee", "Bob Roy"]
    people.attendance_filter.setCurrentIndex(people.attendance_filter.findData(3))
    assert names(page) == ["Ann Lee"]
    people.attendance_filter.setCurrentIndex(people.attendance_filter.findData(-1))
    assert names(page) == ["Bob Roy"]
    assert "1 of 10 people" in people.summary.text()


def test_adding_a_person_marks_what_is_wrong_then_saves(
    qtbot: QtBot, page: RosterPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, str] = {}

    def fill(dialog: PersonDialog) -> QDialog.DialogCode:
        dialog.first.setText("Dana")
        dialog.last.setText("Scully")
        dialog.organisation.setCurrentIndex(
            dialog.organisation.findText("Fabrikam", flags=Qt.MatchFlag.MatchContains)
        )
        assert dialog.membership.currentData() == Membership.PROSPECT.value  # a newcomer
        dialog.email.setText("dana@")
        dialog._try_accept()
        seen["errors"] = dialog.errors.text()
        seen["style"] = dialog.email.styleSheet()
        dialog.email.setText("dana@fabrikam.example")
        dialog._try_accept()
        return QDialog.DialogCode(dialog.result())

    monkeypatch.setattr(PersonDialog, "exec", fill)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.people.add_button.click()
    assert "not an email address" in seen["errors"] and "(ROS-1)" in seen["errors"]
    assert "border" in seen["style"]
    assert "Dana Scully" in names(page)
    assert "added to the roster" in page.result.text()
    qtbot.waitUntil(
        lambda: page.person.detail is not None and page.person.detail.full_name == "Dana Scully",
        timeout=10_000,
    )


def test_moving_a_person_shows_the_consequences_before_applying(
    qtbot: QtBot, page: RosterPage, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    with world.store.session() as s:
        register(s, world.leader, world.meeting, world.people["Ann"])
    select(qtbot, page, world.people["Ann"])
    shown: dict[str, str] = {}

    def choose(dialog: MoveDialog) -> QDialog.DialogCode:
        dialog.target.setCurrentIndex(
            dialog.target.findText("Contoso", flags=Qt.MatchFlag.MatchContains)
        )
        qtbot.waitUntil(dialog.move_button.isEnabled, timeout=10_000)
        shown["summary"] = dialog.changes.summary.text()
        shown["items"] = "\n".join(
            dialog.changes.items.item(i).text() for i in range(dialog.changes.items.count())
        )
        return ACCEPTED

    monkeypatch.setattr(MoveDialog, "exec", choose)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.person.move_button.click()
    assert "ESC-1" in shown["summary"] and "ORG-3" in shown["summary"]
    assert "Ann Lee's registration for Year-end close" in shown["items"]
    qtbot.waitUntil(
        lambda: (
            page.person.detail is not None
            and page.person.detail.organisation == "Contoso Consulting"
        ),
        timeout=10_000,
    )
    history = page.person.history
    assert history.item(0, 2).text().startswith("⚑ ESC-1")
    assert "now works for Contoso Consulting" in page.result.text()


def test_an_excluded_organisation_flags_registrations_after_confirmation(
    qtbot: QtBot, page: RosterPage, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    with world.store.session() as s:
        ann = register(s, world.leader, world.meeting, world.people["Ann"]).registration_id
        register(s, world.leader, world.meeting, world.people["Nora"], escort_registration_id=ann)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.reload()
    page.tabs.setCurrentIndex(1)
    page.organisations.select(
        next(o.id for o in page.organisations.rows if o.name == "Northwind Dynamics")
    )
    asked: list[str] = []

    def exclude(dialog: OrganisationDialog) -> QDialog.DialogCode:
        dialog.excluded.setCurrentIndex(
            dialog.excluded.findData(ExcludedKind.COMPETING_VENDOR.value)
        )
        return ACCEPTED

    def confirm(dialog: ConfirmChangesDialog) -> QDialog.DialogCode:
        asked.append(dialog.changes.summary.text())
        return ACCEPTED

    monkeypatch.setattr(OrganisationDialog, "exec", exclude)
    monkeypatch.setattr(ConfirmChangesDialog, "exec", confirm)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.organisations.edit_button.click()
    assert asked == ["1 upcoming registration(s) become invalid or need attention: ORG-4"]
    row = next(o for o in page.organisations.rows if o.name == "Northwind Dynamics")
    assert row.draft.excluded_kind is ExcludedKind.COMPETING_VENDOR
    flagged = {r.full_name: r.flagged for r in page.people.all_rows()}
    assert flagged["Nora Ng"] == 1 and flagged["Sam Sell"] == 0
    page.people.attendance_filter.setCurrentIndex(page.people.attendance_filter.findData(-2))
    assert names(page) == ["Nora Ng"]


def test_a_merge_from_the_duplicates_tab_and_its_undo(
    qtbot: QtBot, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    twin = add_twin(world, "ann", "LEE")
    page = open_people_page(qtbot, world, tmp_path)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.tabs.setCurrentIndex(2)  # duplicates are looked for when their tab opens
    assert page.tabs.tabText(2) == "Possible &duplicates (1)"
    page.duplicates.table.selectRow(0)
    seen: dict[str, object] = {}

    def merge(dialog: MergeDialog) -> QDialog.DialogCode:
        seen["fields"] = [f[0] for f in dialog.preview.fields]
        seen["effect"] = dialog._effect_text()
        return ACCEPTED

    monkeypatch.setattr(MergeDialog, "exec", merge)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.duplicates.merge_button.click()
    assert "first_name" in seen["fields"]  # type: ignore[operator]
    assert "undo the merge for 30 minutes" in str(seen["effect"])
    assert page.duplicates.rows == []
    assert sum(1 for r in page.people.all_rows() if r.last_name.casefold() == "lee") == 1
    assert "merged into" in page.result.text()
    qtbot.waitUntil(lambda: page.person.undo_button.isVisible(), timeout=10_000)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.person.undo_button.click()
    ids = {r.id for r in page.people.all_rows()}
    assert {twin, world.people["Ann"]} <= ids
    assert "Merge undone" in page.result.text()


def test_search_keeps_the_order_the_table_is_sorted_in(qtbot: QtBot, page: RosterPage) -> None:
    people = page.people
    people.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # organisation, Z → A
    people.search.setText("o")  # every "o": most of the roster, in that order
    shown = [r.organisation for r in people.visible_rows()]
    assert len(shown) > 3 and shown == sorted(shown, key=str.casefold, reverse=True)
    people.search.setText("on")  # the next keystroke narrows the last answer
    narrowed = [r.organisation for r in people.visible_rows()]
    assert narrowed == sorted(narrowed, key=str.casefold, reverse=True)
    assert {r.full_name for r in people.visible_rows()} == {
        r.full_name for r in people.all_rows() if "on" in r.search_text
    }


def test_members_imported_from_the_portal_export_after_a_preview(
    qtbot: QtBot, page: RosterPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from chapterdesk.ui.people.import_dialog import ImportDialog

    export = tmp_path / "members.csv"
    export.write_text(
        "First Name,Last Name,Email,Company\n"
        "Dana,Scully,dana@fbi.example,Tailspin Toys\n"
        "Fox,,fox@fbi.example,Tailspin Toys\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(export), ""))
    seen: dict[str, str] = {}

    def answer(dialog: ImportDialog) -> QDialog.DialogCode:
        qtbot.waitUntil(dialog.import_button.isEnabled, timeout=10_000)
        seen["summary"] = dialog.summary.text()
        seen["report"] = dialog.report.item(0).text()
        return ACCEPTED

    monkeypatch.setattr(ImportDialog, "exec", answer)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.people.import_button.click()
    assert seen["summary"].startswith("1 people to add; 1 new customer organisation(s)")
    assert seen["report"] == "✘ row 3: A first and a last name are needed. (ORG-1)"
    assert "Dana Scully" in names(page)
    assert "1 people imported from members.csv" in page.result.text()


def test_a_file_that_is_not_an_export_is_refused_with_what_to_do(
    qtbot: QtBot, page: RosterPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    old = tmp_path / "members.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(old), ""))
    page.people.import_button.click()
    qtbot.waitUntil(lambda: "Nothing was imported" in page.result.text(), timeout=10_000)
    assert "save it as .xlsx or CSV" in page.result.text()
