"""The Meetings page as a leader uses it: create a meeting, register people, cancel an escort."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from chapterdesk.domain.enums import RegistrationStatus
from chapterdesk.services.desk import Desk
from chapterdesk.ui.common.purpose import PurposeDialog
from chapterdesk.ui.common.tasks import TaskRunner
from chapterdesk.ui.main_window import MainWindow
from chapterdesk.ui.meetings.meeting_dialog import MeetingDialog
from chapterdesk.ui.meetings.register_dialog import RegisterDialog, RegistrationChoice
from tests.world import World

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: QtBot, world: World, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    win = MainWindow(TaskRunner(), settings)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.ready, timeout=10_000):
        win.attach(Desk(world.store, world.leader))
    return win


def select(qtbot: QtBot, window: MainWindow, title: str) -> None:
    page = window.meetings_page
    qtbot.waitUntil(lambda: any(r.title == title for r in page.visible_rows()))
    row = next(i for i, r in enumerate(page.visible_rows()) if r.title == title)
    page.table.selectRow(row)
    qtbot.waitUntil(lambda: title in page.registrations.heading.text())


def statuses(window: MainWindow) -> dict[str, RegistrationStatus]:
    panel = window.meetings_page.registrations
    return {
        panel.model.row_at(i).full_name: panel.model.row_at(i).status
        for i in range(panel.model.rowCount())
    }


def test_leader_creates_a_meeting(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(dialog: MeetingDialog) -> int:
        dialog.title.setText("Intercompany accounting")
        dialog.venue.setText("Ottawa City Hall")
        dialog._check()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(MeetingDialog, "exec", fill)
    window.meetings_page.new_button.click()
    qtbot.waitUntil(
        lambda: any(
            r.title == "Intercompany accounting" for r in window.meetings_page.visible_rows()
        )
    )


def test_register_partner_with_escort_then_escort_cancels_ESC_1_ESC_4(
    qtbot: QtBot, window: MainWindow, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    select(qtbot, window, "Year-end close")
    answers = [RegistrationChoice(world.people["Pat"], inviting_customer_id=world.people["Ann"])]

    def choose(dialog: RegisterDialog) -> int:
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(RegisterDialog, "exec", choose)
    monkeypatch.setattr(RegisterDialog, "choice", lambda _self: answers[0])
    window.meetings_page.registrations.register_button.click()
    qtbot.waitUntil(lambda: statuses(window).get("Pat Quinn") is RegistrationStatus.REGISTERED)
    assert statuses(window)["Ann Lee"] is RegistrationStatus.REGISTERED

    panel = window.meetings_page.registrations
    ann_row = next(
        i for i in range(panel.proxy.rowCount()) if panel.proxy.index(i, 0).data() == "Ann Lee"
    )
    panel.table.selectRow(ann_row)
    panel.cancel_button.click()
    qtbot.waitUntil(lambda: statuses(window).get("Pat Quinn") is RegistrationStatus.ESCORT_NEEDED)
    assert "1 to resolve (ESC-4)" in panel.heading.text()
    assert "Now without escort: Pat Quinn (ESC-4)" in window.statusBar().currentMessage()
    assert "without an escort (ESC-1)" in window.meetings_page.summary.text()


def test_refusal_is_shown_with_rule_and_fix_ESC_6(
    qtbot: QtBot, window: MainWindow, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    select(qtbot, window, "Year-end close")
    shown: list[str] = []
    monkeypatch.setattr(window, "show_error", lambda exc: shown.append(str(exc)))
    monkeypatch.setattr(RegisterDialog, "exec", lambda _self: int(QDialog.DialogCode.Accepted))
    monkeypatch.setattr(
        RegisterDialog, "choice", lambda _self: RegistrationChoice(world.people["Pat"])
    )
    window.meetings_page.registrations.register_button.click()
    qtbot.waitUntil(lambda: bool(shown))
    assert "ESC-1" in shown[0] and "needs an escort" in shown[0]


def test_badges_and_signin_sheet_are_saved_and_the_print_recorded_MTG_6_ROS_4(
    qtbot: QtBot,
    window: MainWindow,
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QFileDialog, QInputDialog
    from sqlalchemy import select as sql_select

    from chapterdesk.store.models import AuditEvent

    desk = Desk(world.store, world.leader)
    desk.register_with_inviting_customer(world.meeting, world.people["Pat"], world.people["Ann"])
    targets = iter([tmp_path / "badges.pdf", tmp_path / "sign-in"])
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(next(targets)), "PDF files (*.pdf)")
    )
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (a[3][0], True))
    asked: list[str] = []

    def answer(dialog: PurposeDialog) -> int:
        asked.append(dialog.purpose.purpose())  # prefilled: "Signatures at the door of …"
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(PurposeDialog, "exec", answer)
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    select(qtbot, window, "Year-end close")
    page = window.meetings_page
    page.badges_button.click()
    qtbot.waitUntil(lambda: len(opened) == 1)
    assert (tmp_path / "badges.pdf").read_bytes().startswith(b"%PDF-")
    assert "2 badges saved" in window.statusBar().currentMessage()
    page.signin_button.click()
    qtbot.waitUntil(lambda: len(opened) == 2)
    assert opened[1].endswith("sign-in.pdf")
    with world.store.session() as s:
        printed = s.scalars(
            sql_select(AuditEvent).where(AuditEvent.action == "roster.signin_sheet_printed")
        ).one()
        assert printed.details["people"] == 2 and printed.actor_name == world.leader.display_name
        # ROS-4: asked for a purpose, recorded with the print.
        assert asked == [
            "Name badges for Year-end close",
            "Signatures at the door of Year-end close",
        ]
        assert printed.details["purpose"] == asked[1]
        assert printed.details["file"] == "sign-in.pdf"
        sheet = s.scalars(sql_select(AuditEvent).where(AuditEvent.action == "badges.printed")).one()
        assert sheet.details["purpose"] == asked[0] and sheet.details["people"] == 2
