"""The window's sign-in, lock, idle lock and kiosk mode, driven offscreen (ROS-1, ROS-5).

Signs in with the demo's accounts (docs: ``chapterdesk.demo.generate.DEMO_ACCOUNTS``): Alex
leads every chapter, Val volunteers at the home chapter's next meeting.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from chapterdesk.demo.generate import DEMO_PASSWORD, DemoSummary, sign_in_hint
from chapterdesk.domain.violations import PermissionDenied
from chapterdesk.paths import prepare_data_dir
from chapterdesk.services.desk import Desk, local_leader
from chapterdesk.store.database import Store, open_store
from chapterdesk.ui.accounts_dialog import AccountsDialog
from chapterdesk.ui.checkin.page import CheckInPage
from chapterdesk.ui.common.tasks import TaskRunner
from chapterdesk.ui.lock_screen import LockMode
from chapterdesk.ui.main_window import PAGE_KEYS, MainWindow
from chapterdesk.ui.meetings.page import MeetingsPage
from chapterdesk.ui.people.page import PeoplePage
from tests.helpers import demo_store

pytestmark = pytest.mark.gui

ALEX = "alex@chapterdesk.example"
VAL = "val@chapterdesk.example"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[Store, DemoSummary]]:
    store, summary = demo_store(tmp_path / "data", people=400)
    yield store, summary
    store.close()


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, demo: tuple[Store, DemoSummary]) -> Iterator[MainWindow]:
    store, summary = demo
    runner = TaskRunner()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(runner, settings, demo=True)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    with qtbot.waitSignal(win.ready, timeout=10_000):
        win.attach(
            Desk(store), initial_chapter=summary.home_chapter_id, sign_in_hint=sign_in_hint()
        )
    yield win
    runner.wait_for_done(10_000)


def sign_in(qtbot: QtBot, window: MainWindow, login: str, password: str = DEMO_PASSWORD) -> None:
    """Type as a person would: login, Tab, password, Enter."""
    screen = window.lock_screen
    screen.login.clear()
    qtbot.keyClicks(screen.login, login)
    qtbot.keyClicks(screen.password, password)
    qtbot.keyClick(screen.password, Qt.Key.Key_Return)


def sign_in_and_wait(qtbot: QtBot, window: MainWindow, login: str) -> None:
    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        sign_in(qtbot, window, login)
    qtbot.waitUntil(lambda: window.current_chapter() is not None, timeout=10_000)


def test_the_window_opens_locked_with_no_data_on_screen_ROS_5(window: MainWindow) -> None:
    assert window.is_locked()
    assert window.lock_screen.mode is LockMode.SIGN_IN
    assert "Locked" in window.windowTitle()
    assert not window.nav.isVisible() and not window.chapter_toolbar.isVisible()
    assert window.chapter_picker.count() == 0
    assert not window.findChildren(CheckInPage)
    assert "chapter-demo" in window.lock_screen.hint.text()  # the demo says how to get in


def test_a_wrong_password_is_refused_on_the_lock_screen(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window, ALEX, "not the password")
    qtbot.waitUntil(lambda: "Wrong login" in window.lock_screen.problem.text(), timeout=10_000)
    assert window.is_locked()
    assert window.lock_screen.password.text() == ""  # typed again, never kept


def test_sign_in_then_ctrl_l_takes_every_page_off_screen(qtbot: QtBot, window: MainWindow) -> None:
    sign_in_and_wait(qtbot, window, ALEX)
    assert not window.is_locked()
    assert window.nav.isVisible()
    assert "Alex Morgan" in window.account_label.text()
    qtbot.waitUntil(lambda: bool(window.meetings_page.visible_rows()), timeout=10_000)
    with qtbot.waitSignal(window.locked):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.is_locked() and window.desk is not None and window.desk.signed_in is None
    qtbot.waitUntil(lambda: not window.findChildren(MeetingsPage), timeout=5000)
    assert window.chapter_picker.count() == 0
    # Shortcuts to pages do nothing while locked: no page is even built behind the lock.
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.is_locked() and not window.findChildren(PeoplePage)


def test_an_idle_window_locks_itself_ROS_5(qtbot: QtBot, window: MainWindow) -> None:
    window.idle.ms_per_minute = 30  # the chapter's 10 minutes pass in 0.3 s
    sign_in_and_wait(qtbot, window, ALEX)
    with qtbot.waitSignal(window.locked, timeout=10_000):
        pass
    assert window.idle.minutes == 10  # the chapter's setting (ROS-5)
    qtbot.waitUntil(lambda: not window.findChildren(MeetingsPage), timeout=5000)  # data gone
    assert window.is_locked()
    assert window.lock_screen.mode is LockMode.SIGN_IN


def test_a_volunteer_gets_only_the_check_in_desk(qtbot: QtBot, window: MainWindow) -> None:
    sign_in_and_wait(qtbot, window, VAL)
    assert window.current_page() == "checkin"
    visible = [PAGE_KEYS[i] for i in range(window.nav.count()) if not window.nav.item(i).isHidden()]
    assert visible == ["checkin"]
    for number in range(1, len(PAGE_KEYS) + 1):
        qtbot.keyClick(
            window, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier
        )
        assert window.current_page() == "checkin"
    assert not window.kiosk_action.isEnabled()
    page = window.checkin_page
    qtbot.waitUntil(lambda: page.current_meeting() is not None, timeout=10_000)
    assert page.meeting_picker.count() == 1  # the one meeting Val was assigned


def start_kiosk(qtbot: QtBot, window: MainWindow) -> str:
    sign_in_and_wait(qtbot, window, ALEX)
    window.show_page("checkin")
    page = window.checkin_page
    qtbot.waitUntil(lambda: page.current_meeting() is not None, timeout=10_000)
    qtbot.waitUntil(lambda: bool(page.visible_rows()), timeout=10_000)
    meeting = page.current_meeting()
    assert meeting is not None
    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        window.kiosk_action.trigger()
    kiosk_page = window.checkin_page
    qtbot.waitUntil(lambda: kiosk_page.current_meeting() is not None, timeout=10_000)
    qtbot.waitUntil(lambda: bool(kiosk_page.visible_rows()), timeout=10_000)
    return meeting.id


def test_kiosk_mode_cannot_reach_another_page_or_an_export(
    qtbot: QtBot, window: MainWindow
) -> None:
    meeting_id = start_kiosk(qtbot, window)
    assert window.actor is not None and window.actor.kiosk
    assert window.checkin_page.current_meeting().id == meeting_id  # type: ignore[union-attr]
    assert window.checkin_page.meeting_picker.count() == 1
    assert window.kiosk_banner.isVisible() and not window.nav.isVisible()
    assert not window.menuBar().isVisible() and not window.chapter_toolbar.isVisible()
    for number in range(1, len(PAGE_KEYS) + 1):
        qtbot.keyClick(
            window, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier
        )
        assert window.current_page() == "checkin"
    for key in ("meetings", "people", "decks", "audit"):
        window.show_page(key)
        assert window.current_page() == "checkin"
    # Exports and prints of lists live on pages a kiosk never builds (People, Meetings, Audit).
    names = {type(w).__name__ for w in window.stack.findChildren(QWidget)}
    assert not names & {"PeoplePage", "MeetingsPage", "AuditPage", "DecksPage"}
    assert [a.isEnabled() for a in window.page_actions] == [k == "checkin" for k in PAGE_KEYS]
    assert not window.kiosk_action.isEnabled()
    assert "Check-in kiosk" in window.windowTitle()


def test_only_a_leader_ends_kiosk_mode(qtbot: QtBot, window: MainWindow) -> None:
    start_kiosk(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.is_locked() and window.lock_screen.mode is LockMode.LEAVE_KIOSK
    sign_in(qtbot, window, VAL)
    qtbot.waitUntil(lambda: "only a leader" in window.lock_screen.problem.text(), timeout=10_000)
    qtbot.keyClick(window.lock_screen.password, Qt.Key.Key_Escape)  # back to the desk
    assert not window.is_locked() and window.actor is not None and window.actor.kiosk
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    sign_in_and_wait(qtbot, window, ALEX)
    assert window.actor is not None and not window.actor.kiosk
    assert window.nav.isVisible() and window.menuBar().isVisible()


def test_copied_rows_keep_contact_data_masked_ROS_1(qtbot: QtBot, window: MainWindow) -> None:
    start_kiosk(qtbot, window)
    table = window.checkin_page.table
    table.setFocus()
    table.selectRow(0)
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QGuiApplication.clipboard().text()
    row = window.checkin_page.visible_rows()[0]
    assert row.last_name in copied
    assert "@" not in copied
    drag = table.model().mimeData([table.model().index(0, c) for c in range(3)])
    assert drag.formats() == ["text/plain"] and "@" not in drag.text()


def test_a_leader_copies_what_the_people_page_shows(qtbot: QtBot, window: MainWindow) -> None:
    sign_in_and_wait(qtbot, window, ALEX)
    with qtbot.waitSignal(window.loaded, check_params_cb=lambda key: key == "people"):
        window.show_page("people")
    table = window.people_page.table
    table.setFocus()
    table.selectRow(0)
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert "@" in QGuiApplication.clipboard().text()  # a leader may see (and copy) emails
    button = window.people_page.export_button
    assert button.isVisible() and button.isEnabled()  # leaders may export (ROS-4)


def test_a_new_laptop_is_set_up_from_the_lock_screen(qtbot: QtBot, tmp_path: Path) -> None:
    store = open_store(prepare_data_dir(tmp_path / "fresh"))
    runner = TaskRunner()
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(runner, settings)
    qtbot.addWidget(window)
    window.show()
    try:
        with qtbot.waitSignal(window.ready, timeout=10_000):
            window.attach(Desk(store))
        screen = window.lock_screen
        assert screen.mode is LockMode.SET_UP and screen.name.isVisible()
        qtbot.keyClicks(screen.name, "Lee Leader")
        qtbot.keyClicks(screen.login, "lee@example.org")
        qtbot.keyClicks(screen.password, "a long enough pass")
        qtbot.keyClicks(screen.repeat, "a long enough typo")
        qtbot.keyClick(screen.repeat, Qt.Key.Key_Return)
        assert "differ" in screen.problem.text()
        qtbot.keyClicks(screen.password, "a long enough pass")
        qtbot.keyClicks(screen.repeat, "a long enough pass")
        with qtbot.waitSignal(window.unlocked, timeout=10_000):
            qtbot.keyClick(screen.repeat, Qt.Key.Key_Return)
        assert window.actor is not None and window.actor.all_chapters
    finally:
        window.close()
        runner.wait_for_done(10_000)
        store.close()


def test_tests_and_tools_with_an_actor_skip_the_lock(
    qtbot: QtBot, demo: tuple[Store, DemoSummary], tmp_path: Path
) -> None:
    store, _summary = demo
    window = MainWindow(
        TaskRunner(), QSettings(str(tmp_path / "t.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.attach(Desk(store, local_leader()))
    assert not window.is_locked()


def test_a_leader_adds_a_volunteer_who_then_works_that_desk(
    qtbot: QtBot, window: MainWindow
) -> None:
    sign_in_and_wait(qtbot, window, ALEX)
    window.accounts_action.trigger()
    qtbot.waitUntil(lambda: bool(window.findChildren(AccountsDialog)), timeout=10_000)
    dialog = window.findChildren(AccountsDialog)[0]
    qtbot.waitUntil(lambda: dialog.table.rowCount() >= 2, timeout=10_000)
    before = dialog.table.rowCount()
    qtbot.keyClicks(dialog.name, "Wes Welcome")
    qtbot.keyClicks(dialog.login, "wes@example.org")
    qtbot.keyClicks(dialog.password, "short")
    qtbot.keyClicks(dialog.repeat, "short")
    dialog.add_button.click()
    qtbot.waitUntil(lambda: "ROS-5" in dialog.problem.text(), timeout=10_000)  # too short
    for field in (dialog.password, dialog.repeat):
        field.clear()
        qtbot.keyClicks(field, "welcome to the desk")
    dialog.add_button.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == before + 1, timeout=10_000)
    row = next(i for i, r in enumerate(dialog._rows) if r.login == "wes@example.org")
    dialog.table.selectRow(row)
    meeting_title = dialog.meeting.currentText().split(" — ", 1)[1]
    dialog.assign_button.click()
    qtbot.waitUntil(
        lambda: meeting_title in (dialog.table.item(row, 3).text() or ""), timeout=10_000
    )
    dialog.close()
    with qtbot.waitSignal(window.locked):
        window.lock()
    window.lock_screen.login.clear()
    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        sign_in(qtbot, window, "wes@example.org", "welcome to the desk")
    assert window.current_page() == "checkin"
    page = window.checkin_page
    qtbot.waitUntil(lambda: page.current_meeting() is not None, timeout=10_000)
    assert [page.meeting_picker.itemText(i) for i in range(page.meeting_picker.count())] == [
        page.meeting_picker.currentText()
    ]
    assert meeting_title in page.meeting_picker.currentText()


def test_a_result_that_arrives_after_the_lock_is_dropped(qtbot: QtBot, window: MainWindow) -> None:
    """A page load still running when the window locks must not paint the next screen."""
    sign_in_and_wait(qtbot, window, ALEX)
    delivered: list[object] = []
    late = window._alive(delivered.append)  # what a worker result is wrapped in
    window.lock()
    late("roster rows")
    assert delivered == []
    window._alive(delivered.append)("fresh")
    assert delivered == ["fresh"]


def test_locking_clears_notices_and_destroys_open_dialogs(qtbot: QtBot, window: MainWindow) -> None:
    sign_in_and_wait(qtbot, window, ALEX)
    window.accounts_action.trigger()
    qtbot.waitUntil(lambda: bool(window.findChildren(AccountsDialog)), timeout=10_000)
    window.statusBar().showMessage("Now without escort: Ann Lee (ESC-4)", 15000)
    window.lock()
    assert window.statusBar().currentMessage() == ""
    qtbot.waitUntil(lambda: not window.findChildren(AccountsDialog), timeout=5000)


def test_a_job_queued_before_the_lock_does_not_run_as_the_next_person(
    qtbot: QtBot, window: MainWindow
) -> None:
    sign_in_and_wait(qtbot, window, ALEX)
    guarded = window._as_submitted(lambda: "ran")  # what run() hands the worker pool
    window.lock()
    with pytest.raises(PermissionDenied, match="locked"):
        guarded()
    sign_in_and_wait(qtbot, window, VAL)
    with pytest.raises(PermissionDenied):
        guarded()  # still not: Val did not ask for it


def test_a_tiny_remembered_size_does_not_cramp_the_window(qtbot: QtBot, tmp_path: Path) -> None:
    from chapterdesk.ui.main_window import MIN_HEIGHT, MIN_WIDTH

    settings = QSettings(str(tmp_path / "tiny.ini"), QSettings.Format.IniFormat)
    first = MainWindow(TaskRunner(), settings)
    qtbot.addWidget(first)
    first.resize(320, 340)  # e.g. saved on another screen
    settings.setValue("window/geometry", first.saveGeometry())
    again = MainWindow(TaskRunner(), settings)
    qtbot.addWidget(again)
    assert again.width() >= MIN_WIDTH and again.height() >= MIN_HEIGHT
