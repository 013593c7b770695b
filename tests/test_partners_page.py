"""The Partners page as a leader uses it after the committee meets: open an application,
read the checklist, take PRT-3 steps (admission refused until paid and signed), record an
incident and a contribution, and write the papers."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QInputDialog, QPushButton
from pytestqt.qtbot import QtBot

from chapterdesk.domain.enums import ApplicationStatus, PartnerKind
from chapterdesk.services.desk import Desk
from chapterdesk.ui.common.tasks import TaskRunner
from chapterdesk.ui.main_window import MainWindow
from chapterdesk.ui.partners.page import PartnersPage
from tests.test_partner_services import eligible_contoso
from tests.world import World

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: QtBot, world: World, tmp_path: Path) -> PartnersPage:
    eligible_contoso(world)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(TaskRunner(), settings)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.attach(Desk(world.store, world.leader))
    window.show_page("partners")
    partners = window.page("partners")
    assert isinstance(partners, PartnersPage)
    qtbot.waitUntil(lambda: partners.overview is not None, timeout=10_000)
    return partners


def step(page: PartnersPage, status: ApplicationStatus) -> QPushButton:
    button = page.findChild(QPushButton, f"step_{status.value}")
    assert button is not None, f"no button for {status}"
    return button


def test_the_checklist_and_the_life_cycle_on_the_page(
    qtbot: QtBot, page: PartnersPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert page.companies.rowCount() == 3
    programme = {
        page.companies.item(r, 0).text(): page.companies.item(r, 2).text() for r in range(3)
    }
    assert programme["Pinnacle Talent"] == "excluded: a recruiter or staffing firm (ORG-4)"
    assert programme["Northwind Dynamics"] == "not applied"
    assert page.applications.count() == 1
    page.tabs.setCurrentIndex(1)  # Applications
    lines = [page.checklist.item(i).text() for i in range(page.checklist.count())]
    assert all(line.startswith("✔") for line in lines) and "(PRT-1)" in lines[0]
    assert "submitted" in page.history.item(0).text()

    def wait_status(status: ApplicationStatus) -> None:
        qtbot.waitUntil(
            lambda: page.overview is not None and page.overview.applications[0].status is status,
            timeout=10_000,
        )

    step(page, ApplicationStatus.UNDER_REVIEW).click()
    wait_status(ApplicationStatus.UNDER_REVIEW)
    monkeypatch.setattr(
        QInputDialog, "getMultiLineText", lambda *a, **k: ("References confirmed", True)
    )
    step(page, ApplicationStatus.APPROVED).click()
    wait_status(ApplicationStatus.APPROVED)
    assert page.fee_button.isVisible()
    errors: list[str] = []
    window = page.window()
    assert isinstance(window, MainWindow)
    monkeypatch.setattr(window, "show_error", lambda exc: errors.append(str(exc)))
    step(page, ApplicationStatus.ADMITTED).click()
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert "PRT-3" in errors[0] and "fee" in errors[0]
    history = [page.history.item(i).text() for i in range(page.history.count())]
    assert any("References confirmed" in h for h in history)


def test_incidents_and_contributions_are_recorded(
    qtbot: QtBot, page: PartnersPage, world: World
) -> None:
    desk = Desk(world.store, world.leader)
    contoso = page.overview.companies[0].organisation_id  # type: ignore[union-attr]
    from datetime import date

    from chapterdesk.domain.enums import ContributionKind

    desk.partners.report_incident(contoso, date(2026, 3, 1), "Ann Lee", "Pitched prices")
    desk.partners.record_contribution(contoso, ContributionKind.DOOR_PRIZE, date.today(), "Xbox")
    page.reload()
    qtbot.waitUntil(lambda: page.incidents.rowCount() == 1 and page.scores.rowCount() == 1)
    assert page.incidents.item(0, 1).text() == "Contoso Consulting"
    assert page.scores.item(0, 1).text() == "Contoso Consulting"


def test_benefits_and_a_partners_own_report(
    qtbot: QtBot, page: PartnersPage, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    from chapterdesk.domain.enums import BenefitKind, ContributionKind
    from chapterdesk.ui.partners import page as page_module

    desk = Desk(world.store, world.leader)
    northwind = next(
        c.organisation_id
        for c in page.overview.companies
        if c.name == "Northwind Dynamics"  # type: ignore[union-attr]
    )
    with world.store.session() as s:  # Northwind admitted, as the committee decided earlier
        from chapterdesk.store.models import PartnerApplication

        s.add(
            PartnerApplication(
                chapter_id=world.chapter,
                organisation_id=northwind,
                kind=PartnerKind.IMPLEMENTATION,
                status=ApplicationStatus.ADMITTED,
            )
        )
    year = page.year.value()
    desk.partners.record_benefit(northwind, BenefitKind.SHOWCASE_WEBINAR, year, date.today(), "")
    desk.partners.record_contribution(northwind, ContributionKind.SPEAKER, date.today(), "A PM")
    page.reload()
    qtbot.waitUntil(lambda: page.benefits.rowCount() == 1 and page.scores.rowCount() == 1)
    assert page.benefits.item(0, 1).text() == "Partner Showcase webinar"

    target = tmp_path / "northwind.pdf"
    opened: list[str] = []
    monkeypatch.setattr(page, "_ask_pdf", lambda *_a: target)
    monkeypatch.setattr(
        page_module.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile())
    )
    page.scores.selectRow(0)
    page.write_partner_report()
    qtbot.waitUntil(lambda: opened == [str(target)], timeout=10_000)
    assert target.read_bytes().startswith(b"%PDF")


def test_profile_and_reference_dialogs_save_what_the_leader_entered(
    qtbot: QtBot, page: PartnersPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QDialog

    from chapterdesk.ui.partners import page as page_module

    row = next(
        r
        for r in range(page.companies.rowCount())
        if page.companies.item(r, 0).text() == "Northwind Dynamics"
    )
    assert page.companies.item(row, 1).text() == "—"  # no profile yet
    page.companies.selectRow(row)
    monkeypatch.setattr(
        page_module.FormDialog, "exec", lambda self: QDialog.DialogCode.Accepted.value
    )
    page.edit_profile()
    qtbot.waitUntil(
        lambda: any(
            page.companies.item(r, 0).text() == "Northwind Dynamics"
            and page.companies.item(r, 1).text() == "Implementation"
            for r in range(page.companies.rowCount())
        ),
        timeout=10_000,
    )
    row = next(
        r
        for r in range(page.companies.rowCount())
        if page.companies.item(r, 0).text() == "Northwind Dynamics"
    )
    page.companies.selectRow(row)
    page.add_reference()
    qtbot.waitUntil(
        lambda: (
            page.companies.item(row, 5) is not None and page.companies.item(row, 5).text() == "1"
        ),
        timeout=10_000,
    )


def test_an_incident_is_reported_at_a_meeting_from_the_dialog(
    qtbot: QtBot, page: PartnersPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit, QPlainTextEdit

    from chapterdesk.ui.partners import page as page_module

    def fill(dialog: QDialog) -> int:
        company, meeting = dialog.findChildren(QComboBox)[:2]
        company.setCurrentIndex(company.findText("Contoso Consulting"))
        meeting.setCurrentIndex(meeting.findText("Year-end close", Qt.MatchFlag.MatchContains))
        dialog.findChildren(QLineEdit)[-1].setText("Ann Lee")
        dialog.findChildren(QPlainTextEdit)[0].setPlainText("Handed out a price list")
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(page_module.FormDialog, "exec", fill)
    page.report_incident()
    qtbot.waitUntil(lambda: page.incidents.rowCount() == 1, timeout=10_000)
    cells = [page.incidents.item(0, c).text() for c in range(page.incidents.columnCount())]
    assert cells[1:5] == ["Contoso Consulting", "Year-end close", "Ann Lee", "CND-1"]
