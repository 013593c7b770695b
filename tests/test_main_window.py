"""The real main window, driven offscreen on a demo chapter."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from chapterdesk.domain.text import fold
from chapterdesk.services.desk import Desk, local_leader
from chapterdesk.store.database import Store
from chapterdesk.ui.common.tasks import TaskRunner
from chapterdesk.ui.main_window import PAGE_KEYS, MainWindow
from tests.helpers import demo_store

pytestmark = pytest.mark.gui


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store, _summary = demo_store(tmp_path / "data")
    yield store
    store.close()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def open_window(qtbot: QtBot, store: Store, settings: QSettings) -> MainWindow:
    runner = TaskRunner()
    window = MainWindow(runner, settings, demo=True)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.attach(Desk(store, local_leader()))
    return window


def visible_rows(window: MainWindow, table: str = "meetings") -> list[Any]:
    page = window.meetings_page if table == "meetings" else window.people_page
    return page.visible_rows()


def test_opens_on_the_demo_with_its_meetings(
    qtbot: QtBot, store: Store, settings: QSettings
) -> None:
    window = open_window(qtbot, store, settings)
    chapter = window.current_chapter()
    assert chapter is not None
    assert chapter.label in window.windowTitle()
    assert "DEMO DATA" in window.windowTitle()
    assert window.current_page() == "meetings"
    expected = Desk(store, local_leader()).meetings(chapter.id)
    assert {m.id for m in visible_rows(window)} == {m.id for m in expected}
    qtbot.waitUntil(lambda: window.sync_indicator.status is not None)
    assert window.sync_indicator.text() == "Not connected to a server"


def test_meetings_sort_by_date_and_by_registrations(
    qtbot: QtBot, store: Store, settings: QSettings
) -> None:
    window = open_window(qtbot, store, settings)
    table = window.meetings_page.table
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    dates = [m.starts_at for m in visible_rows(window)]
    assert dates == sorted(dates)
    table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    dates = [m.starts_at for m in visible_rows(window)]
    assert dates == sorted(dates, reverse=True)
    table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    counts = [m.registered for m in visible_rows(window)]
    assert counts == sorted(counts, reverse=True)


def test_meetings_filter_by_text_and_period(
    qtbot: QtBot, store: Store, settings: QSettings
) -> None:
    window = open_window(qtbot, store, settings)
    page = window.meetings_page
    every = visible_rows(window)
    venue = every[0].venue
    words = [w for w in fold(venue).split() if w.isascii() and len(w) > 3][:2]
    # Typed without accents and in capitals: the filter folds both (QTest types ASCII only).
    qtbot.keyClicks(page.search, " ".join(words).upper())
    shown = visible_rows(window)
    assert shown and len(shown) < len(every)
    assert all(all(w in fold(m.venue + " " + m.title) for w in words) for m in shown)
    page.search.clear()
    page.choice.setCurrentIndex(0)  # upcoming
    upcoming = visible_rows(window)
    assert upcoming and all(not m.is_past for m in upcoming)
    page.choice.setCurrentIndex(1)  # past
    past = visible_rows(window)
    assert past and all(m.is_past for m in past)
    assert len(upcoming) + len(past) == len(every)


def test_keyboard_switches_pages_and_people_load(
    qtbot: QtBot, store: Store, settings: QSettings
) -> None:
    window = open_window(qtbot, store, settings)
    with qtbot.waitSignal(window.loaded, check_params_cb=lambda key: key == "people"):
        qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() == "people"
    assert window.people_page.search.hasFocus()  # a leader can type a name at once
    people = visible_rows(window, "people")
    assert len(people) > 50
    assert {p.category.value for p in people} == {"customer", "partner", "microsoft"}
    for number, key in enumerate(PAGE_KEYS, start=1):
        qtbot.keyClick(
            window, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier
        )
        assert window.current_page() == key
        assert window.stack.currentWidget() is window.pages[key]


def test_people_search_ignores_accents_and_case(
    qtbot: QtBot, store: Store, settings: QSettings
) -> None:
    window = open_window(qtbot, store, settings)
    with qtbot.waitSignal(window.loaded, check_params_cb=lambda key: key == "people"):
        window.show_page("people")
    accented = next(
        p for p in visible_rows(window, "people") if any(ord(ch) > 127 for ch in p.last_name)
    )
    page = window.people_page
    page.search.setText(accented.last_name.upper())
    assert accented in visible_rows(window, "people")
    # Typed without the accent, as on a laptop keyboard at the door:
    page.search.clear()
    qtbot.keyClicks(page.search, fold(accented.last_name))
    shown = visible_rows(window, "people")
    assert accented in shown
    assert all(fold(accented.last_name) in p.search_text for p in shown)
    # Enter moves from the search box into the results.
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert page.table.hasFocus()
    assert page.table.selectionModel().selectedRows()[0].row() == 0


def test_switching_chapter_reloads_meetings(
    qtbot: QtBot, store: Store, settings: QSettings
) -> None:
    window = open_window(qtbot, store, settings)
    first = {m.id for m in visible_rows(window)}
    with qtbot.waitSignal(window.loaded, check_params_cb=lambda key: key == "meetings"):
        window.chapter_picker.setCurrentIndex(
            (window.chapter_picker.currentIndex() + 1) % window.chapter_picker.count()
        )
    second = {m.id for m in visible_rows(window)}
    assert second and not (first & second)
    chapter = window.current_chapter()
    assert chapter is not None and chapter.label in window.windowTitle()


def test_about_dialog_names_the_database_file(
    qtbot: QtBot, store: Store, settings: QSettings
) -> None:
    window = open_window(qtbot, store, settings)
    dialog = window.show_about()
    qtbot.addWidget(dialog)
    assert dialog.fields["database_file"].text() == str(store.paths.database)
    assert dialog.fields["data_folder"].text() == str(store.paths.root)
    assert "Encrypted" in dialog.fields["encryption"].text()
    assert dialog.fields["version"].text()


def test_window_remembers_size_page_and_chapter(
    qtbot: QtBot, store: Store, settings: QSettings
) -> None:
    window = open_window(qtbot, store, settings)
    window.resize(790, 520)  # fits the offscreen screen (800 × 600) and the status bar
    qtbot.waitUntil(lambda: (window.width(), window.height()) == (790, 520))
    window.chapter_picker.setCurrentIndex(2)
    chapter = window.current_chapter()
    with qtbot.waitSignal(window.loaded, check_params_cb=lambda key: key == "people"):
        window.show_page("people")
    window.close()
    again = open_window(qtbot, store, settings)
    assert again.current_page() == "people"
    assert again.current_chapter() == chapter
    assert (again.width(), again.height()) == (790, 520)


def test_unencrypted_demo_says_so_in_title(
    qtbot: QtBot, tmp_path: Path, no_keyring: None, settings: QSettings
) -> None:
    store, _summary = demo_store(tmp_path / "plain", people=300, allow_plaintext=True)
    try:
        window = open_window(qtbot, store, settings)
        assert "NOT ENCRYPTED" in window.windowTitle()
        from chapterdesk.ui.common.widgets import PlainLabel

        warning = window.findChild(PlainLabel, "encryptionWarning")
        assert warning is not None and "Not encrypted" in warning.text()
    finally:
        store.close()
