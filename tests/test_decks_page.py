"""The Decks page as a leader uses it the evening before: add the partner's deck, read the
findings next to the slides, dismiss one with a reason, decide (DECK-1…5)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QInputDialog
from pytestqt.qtbot import QtBot

from chapterdesk.decks.samples import rule_breaking_deck
from chapterdesk.domain.enums import DeckDecision
from chapterdesk.services.desk import Desk
from chapterdesk.ui.common.tasks import TaskRunner
from chapterdesk.ui.decks.dialogs import DecisionDialog
from chapterdesk.ui.decks.page import DecksPage
from chapterdesk.ui.main_window import MainWindow
from tests.world import World

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: QtBot, world: World, tmp_path: Path) -> DecksPage:
    desk = Desk(world.store, world.leader)
    contoso = next(
        c for c in desk.presenter_choices(world.chapter) if c.name == "Contoso Consulting"
    )
    desk.create_slot(world.meeting, "Year-end close in Business Central", contoso.organisation_id)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(TaskRunner(), settings)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.attach(desk)
    window.show_page("decks")
    decks = window.page("decks")
    assert isinstance(decks, DecksPage)
    qtbot.waitUntil(lambda: decks.slots_model.rowCount() == 1)
    return decks


def findings(page: DecksPage) -> list:  # type: ignore[type-arg]
    return [page.findings_model.row_at(i) for i in range(page.findings_model.rowCount())]


def test_a_deck_that_breaks_every_rule(
    qtbot: QtBot, page: DecksPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = tmp_path / "contoso-year-end.pptx"
    deck.write_bytes(rule_breaking_deck())
    page.add_file(deck)
    qtbot.waitUntil(lambda: any(f.rule_id == "DECK-3" for f in findings(page)), timeout=20_000)
    rules = {f.rule_id for f in findings(page)}
    assert {"DECK-1", "DECK-2", "DECK-3", "DECK-4"} <= rules
    assert page.current_version() is not None and page.current_version().open_breaking > 0

    # A finding jumps to its slide in the outline.
    row = next(i for i, f in enumerate(findings(page)) if f.slide >= 2)
    target = findings(page)[row].slide
    for r in range(page.findings_proxy.rowCount()):
        if page.findings_proxy.index(r, 0).data() == str(target):
            page.findings_table.selectRow(r)
            break
    assert page.outline.currentItem().text().startswith(f"{target}.")

    # Approving with broken rules open is refused with the rule and the fix.
    def fill(dialog: DecisionDialog) -> int:
        dialog.comment.setPlainText("Please use the chapter template and drop the prices.")
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(DecisionDialog, "exec", fill)
    shown: list[str] = []
    window = page.window()
    monkeypatch.setattr(window, "show_error", lambda exc: shown.append(str(exc)))
    page.approve_button.click()
    qtbot.waitUntil(lambda: bool(shown))
    assert "DECK" in shown[0]

    # Ask for changes, with a comment, on exactly this version.
    page.changes_button.click()
    qtbot.waitUntil(
        lambda: (
            page.current_version() is not None
            and page.current_version().decision is DeckDecision.CHANGES_REQUESTED
        )
    )
    assert "Please use the chapter template" in page.version_state.text()


def test_dismiss_a_finding_with_a_reason(
    qtbot: QtBot, page: DecksPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(rule_breaking_deck())
    page.add_file(deck)
    qtbot.waitUntil(lambda: bool(findings(page)), timeout=20_000)
    first_open = next(
        r
        for r in range(page.findings_proxy.rowCount())
        if not page.findings_proxy.index(r, 0).data(256).dismissed
    )
    page.findings_table.selectRow(first_open)
    chosen = page.current_finding()
    assert chosen is not None
    monkeypatch.setattr(
        QInputDialog, "getText", lambda *a, **k: ("Shown to explain licensing, not to sell", True)
    )
    page.dismiss_selected()
    qtbot.waitUntil(lambda: any(f.id == chosen.id and f.dismissed for f in findings(page)))
