"""The Sync page, the status-bar indicator and the background scheduler, against a fake of the
desk's sync calls (docs/sync.md, "When"; the engine itself is tested elsewhere)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from chapterdesk.services.desk import Desk
from chapterdesk.store.database import Store
from chapterdesk.sync.errors import (
    ClientTooOld,
    DeviceRevoked,
    NotConnected,
    ServerRefusedSignIn,
    ServerUnreachable,
)
from chapterdesk.sync.status import SyncIssue, SyncReport, SyncStatus
from chapterdesk.ui.common.tasks import SyncTaskRunner, TaskRunner
from chapterdesk.ui.main_window import MainWindow
from chapterdesk.ui.meetings.page import MeetingsPage
from chapterdesk.ui.sync.connect_dialog import ConnectDialog, default_device_name
from chapterdesk.ui.sync.indicator import SyncIndicator, describe
from chapterdesk.ui.sync.page import SyncPage
from chapterdesk.ui.sync.scheduler import SyncRound, SyncScheduler
from tests.world import World

pytestmark = pytest.mark.gui

HOUR_MS = 3_600_000  # a timer that never fires during a test: rounds are triggered directly
NOW = datetime.now(UTC).replace(microsecond=0)

REFUSED = SyncIssue(
    id="issue-1",
    kind="rejected",
    at=NOW - timedelta(minutes=5),
    chapter_id="chapter-1",
    entity="registrations",
    entity_label="Registration of Ann Lee — June meeting",
    field=None,
    rule_id="ESC-1",
    message="A partner registration needs a customer escort.",
    fix="Assign an escort from the registrations panel, then sync again.",
)
CONFLICT = SyncIssue(
    id="issue-2",
    kind="conflict",
    at=NOW - timedelta(minutes=2),
    chapter_id="chapter-1",
    entity="people",
    entity_label="Bob Brown",
    field="company",
    rule_id=None,
    message="Edited on two laptops; the later edit won.",
    fix="",
    kept_value="Fabrikam",
    lost_value="Contoso",
)
CONNECTED = SyncStatus(
    configured=True,
    server_url="https://chapters.example.org",
    account_login="alex@example.org",
    account_name="Alex Morgan",
    device_id="3f2a9c1e-0000-4000-8000-000000000001",
    device_name="FRONT-DESK",
    online=True,
    last_success=NOW,
    pending=0,
)
OFFLINE = SyncStatus(
    configured=True,
    server_url="https://chapters.example.org",
    account_login="alex@example.org",
    account_name="Alex Morgan",
    device_id="3f2a9c1e-0000-4000-8000-000000000001",
    device_name="FRONT-DESK",
    online=False,
    last_success=NOW - timedelta(minutes=20),
    last_error="Server unreachable: connection refused",
    pending=12,
    issues=(REFUSED, CONFLICT),
)
NOT_CONNECTED = SyncStatus(configured=False, pending=3)


class FakeSyncApi:
    """The desk's sync calls as the window uses them. ``outcomes`` is what the next rounds
    return or raise; ``gate``, when set, holds a round in its worker until released."""

    def __init__(self, status: SyncStatus = CONNECTED) -> None:
        self.status = status
        self.outcomes: list[SyncReport | BaseException] = []
        self.rounds = 0
        self.running = 0
        self.most_at_once = 0
        self.gate: threading.Event | None = None
        self.connected_with: tuple[str, str, str, str] | None = None
        self.connect_error: BaseException | None = None
        self.disconnected = False
        self.dismissed: list[str] = []
        self._lock = threading.Lock()

    def sync_status(self) -> SyncStatus:
        return self.status

    def sync_now(self) -> SyncReport:
        with self._lock:
            self.rounds += 1
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            if self.gate is not None:
                assert self.gate.wait(10), "the test never released the round"
            outcome = self.outcomes.pop(0) if self.outcomes else SyncReport()
            if isinstance(outcome, BaseException):
                raise outcome
            return outcome
        finally:
            with self._lock:
                self.running -= 1

    def connect_server(self, url: str, login: str, password: str, device_name: str) -> SyncStatus:
        if self.connect_error is not None:
            raise self.connect_error
        self.connected_with = (url, login, password, device_name)
        self.status = CONNECTED
        return self.status

    def disconnect_server(self) -> None:
        self.disconnected = True
        self.status = SyncStatus(configured=False)

    def dismiss_sync_issue(self, issue_id: str) -> None:
        self.dismissed.append(issue_id)
        self.status = SyncStatus(
            **{
                **self.status.__dict__,
                "issues": tuple(i for i in self.status.issues if i.id != issue_id),
            }
        )


class SyncingDesk(Desk):
    """The real desk over a real store, with the sync calls answered by a :class:`FakeSyncApi`
    (they are another engineer's; the window only needs their contract)."""

    def __init__(self, store: Store, api: FakeSyncApi, actor: Any = None) -> None:
        super().__init__(store, actor)
        self.api = api

    def sync_status(self) -> SyncStatus:
        return self.api.sync_status()

    def sync_now(self) -> SyncReport:
        return self.api.sync_now()

    def connect_server(self, url: str, login: str, password: str, device_name: str) -> SyncStatus:
        return self.api.connect_server(url, login, password, device_name)

    def disconnect_server(self) -> None:
        self.api.disconnect_server()

    def dismiss_sync_issue(self, issue_id: str) -> None:
        self.api.dismiss_sync_issue(issue_id)


def runs_on(api: FakeSyncApi) -> Callable[..., None]:
    """``MainWindow.run`` without threads: the job sees the fake desk at once."""

    def run(
        job: Callable[[Any], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        try:
            result = job(api)
        except Exception as exc:
            if failed is None:
                raise
            failed(exc)
        else:
            done(result)

    return run


def cells(page: SyncPage, table: str) -> list[list[str]]:
    view = page.refused if table == "refused" else page.conflicts
    model = view.model()
    return [
        [str(model.index(r, c).data() or "") for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


# ----------------------------------------------------------------------------- the page
@pytest.fixture
def page(qtbot: QtBot) -> SyncPage:
    widget = SyncPage()
    qtbot.addWidget(widget)
    widget.resize(790, 560)  # what a 960×640 window leaves beside the navigation
    widget.show()
    return widget


def test_page_shows_the_account_device_server_pending_and_offline(page: SyncPage) -> None:
    page.bind(runs_on(FakeSyncApi()))
    page.set_status(OFFLINE)
    assert page.server_value.text() == "https://chapters.example.org"
    assert page.account_value.text() == "Alex Morgan (alex@example.org)"
    assert "FRONT-DESK" in page.device_value.text()
    assert OFFLINE.device_id in page.device_value.text()
    assert "Offline" in page.connection_value.text()
    assert "Offline" in page.headline.text()
    assert page.pending_value.text() == "12 changes"
    shown = OFFLINE.last_success.astimezone().strftime("%H:%M")  # type: ignore[union-attr]
    assert shown in page.last_sync_value.text()  # local time
    assert "connection refused" in page.problem.text()
    assert page.sync_button.isEnabled() and page.disconnect_button.isVisible()
    assert not page.connect_button.isVisible()


def test_refused_changes_show_their_rule_and_fix_and_conflicts_both_values(
    page: SyncPage,
) -> None:
    page.bind(runs_on(FakeSyncApi()))
    page.set_status(OFFLINE)
    [refused] = cells(page, "refused")
    assert refused[1] == "ESC-1"  # the rule id, in a column of its own
    assert "Ann Lee" in refused[2] and "escort" in refused[3] and "Assign an escort" in refused[4]
    [conflict] = cells(page, "conflicts")
    assert conflict[1:] == ["Bob Brown", "company", "Fabrikam", "Contoso"]
    assert page.tabs.tabText(0) == "Refused changes (1)"
    assert page.tabs.tabText(1) == "Conflicts resolved (1)"
    page.refused.selectRow(0)
    assert page.details.text().startswith("ESC-1 · Registration of Ann Lee")
    assert "Fix: Assign an escort" in page.details.text()
    page.tabs.setCurrentIndex(1)
    page.conflicts.selectRow(0)
    assert "Kept: Fabrikam" in page.details.text() and "Lost: Contoso" in page.details.text()


def test_the_selected_issue_survives_a_status_refresh(page: SyncPage) -> None:
    page.bind(runs_on(FakeSyncApi()))
    page.set_status(OFFLINE)
    page.refused.selectRow(0)
    page.set_status(SyncStatus(**{**OFFLINE.__dict__, "pending": 13}))  # the 5-second refresh
    assert page.refused.current_issue() == REFUSED
    assert page.pending_value.text() == "13 changes"


def test_dismiss_asks_the_desk_and_takes_the_issue_off_the_list(
    qtbot: QtBot, page: SyncPage
) -> None:
    api = FakeSyncApi(OFFLINE)
    page.bind(runs_on(api))
    page.set_status(OFFLINE)
    page.refused.setFocus()
    page.refused.selectRow(0)
    with qtbot.waitSignal(page.changed):
        qtbot.keyClick(page.refused, Qt.Key.Key_Delete)
    assert api.dismissed == ["issue-1"]
    assert cells(page, "refused") == []
    assert page.tabs.tabText(0) == "Refused changes (0)"
    assert not page.dismiss_button.isEnabled()


def test_not_connected_the_page_offers_the_connect_form_which_signs_in(
    qtbot: QtBot, page: SyncPage
) -> None:
    api = FakeSyncApi(NOT_CONNECTED)
    page.bind(runs_on(api))
    page.set_status(NOT_CONNECTED)
    assert "not connected" in page.headline.text()
    assert page.connect_button.isVisible() and page.connect_button.isEnabled()
    assert not page.sync_button.isEnabled() and not page.disconnect_button.isVisible()
    dialog = page.open_connect()
    assert isinstance(dialog, ConnectDialog) and dialog.isVisible()
    assert dialog.device.text() == default_device_name()  # the host name, changeable
    qtbot.keyClicks(dialog.url, "chapters.example.org")
    qtbot.keyClicks(dialog.login, "alex@example.org")
    qtbot.keyClicks(dialog.password, "correct horse")
    dialog.device.setText("Front desk")
    with qtbot.waitSignal(page.server_changed):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert api.connected_with == (
        "https://chapters.example.org",
        "alex@example.org",
        "correct horse",
        "Front desk",
    )
    qtbot.waitUntil(lambda: page.dialog is None)
    assert page.server_value.text() == "https://chapters.example.org"
    assert page.disconnect_button.isVisible()


def test_a_refused_sign_in_is_said_in_the_dialog_and_the_password_cleared(
    qtbot: QtBot, page: SyncPage
) -> None:
    api = FakeSyncApi(NOT_CONNECTED)
    api.connect_error = ServerRefusedSignIn("Wrong login or password for this server.")
    page.bind(runs_on(api))
    page.set_status(NOT_CONNECTED)
    dialog = page.open_connect()
    assert dialog is not None
    dialog.connect_button.click()
    assert "address" in dialog.problem.text()  # nothing typed: nothing sent
    dialog.url.setText("https://chapters.example.org")
    dialog.login.setText("alex@example.org")
    dialog.password.setText("wrong")
    dialog.connect_button.click()
    assert dialog.problem.text() == "Wrong login or password for this server."
    assert dialog.password.text() == "" and dialog.isVisible()
    assert dialog.connect_button.isEnabled()


def test_disconnect_asks_first_then_signs_the_laptop_out(qtbot: QtBot, page: SyncPage) -> None:
    api = FakeSyncApi(OFFLINE)
    page.bind(runs_on(api))
    page.set_status(OFFLINE)
    box = page.ask_disconnect()
    assert box is not None and "12 changes" in box.text()
    cancel = box.button(QMessageBox.StandardButton.Cancel)
    cancel.click()
    assert not api.disconnected
    box = page.ask_disconnect()
    assert box is not None
    yes = next(b for b in box.buttons() if b.text() == "Disconnect")
    with qtbot.waitSignal(page.server_changed):
        yes.click()
    assert api.disconnected


def test_the_page_fits_a_small_laptop_screen(qtbot: QtBot, page: SyncPage) -> None:
    page.bind(runs_on(FakeSyncApi()))
    page.set_status(OFFLINE)
    hint = page.minimumSizeHint()
    assert hint.width() <= 790 and hint.height() <= 560
    for widget in (page.sync_button, page.disconnect_button, page.tabs, page.dismiss_button):
        assert widget.isVisible()
        assert widget.height() >= widget.minimumSizeHint().height()


# ------------------------------------------------------------------------- the indicator
def test_the_indicator_says_online_offline_not_connected_and_update_needed() -> None:
    now = NOW.astimezone()
    online = SyncStatus(**{**CONNECTED.__dict__, "pending": 3})
    text, _tone = describe(online, now=now)
    assert text == f"● Online · synced {NOW.astimezone():%H:%M} · 3 pending"
    text, _tone = describe(OFFLINE, now=now)
    last = OFFLINE.last_success.astimezone()  # type: ignore[union-attr]
    assert text == f"● Offline · last sync {last:%H:%M} · 12 pending"
    assert describe(SyncStatus(configured=False), now=now)[0] == "Not connected to a server"
    text, _tone = describe(CONNECTED, "Update ChapterDesk: the server speaks protocol 3.", now)
    assert text == "⚠ Update needed (server speaks a newer protocol)"


def test_clicking_the_indicator_asks_for_the_sync_page(qtbot: QtBot) -> None:
    indicator = SyncIndicator()
    qtbot.addWidget(indicator)
    indicator.set_status(OFFLINE)
    with qtbot.waitSignal(indicator.clicked):
        qtbot.mouseClick(indicator, Qt.MouseButton.LeftButton)


# ------------------------------------------------------------------------- the scheduler
@pytest.fixture
def api() -> FakeSyncApi:
    return FakeSyncApi()


@pytest.fixture
def scheduler(qtbot: QtBot) -> Iterator[SyncScheduler]:
    """Rounds run at once on the calling thread; the timer is set but never waited for."""
    runner = SyncTaskRunner()
    sched = SyncScheduler(runner, interval_ms=5_000, max_delay_ms=60_000)
    yield sched
    sched.stop()


def test_a_round_runs_at_sign_in_and_every_interval_while_online(
    qtbot: QtBot, scheduler: SyncScheduler, api: FakeSyncApi
) -> None:
    statuses: list[SyncStatus] = []
    scheduler.status_changed.connect(statuses.append)
    scheduler.start(api)
    assert api.rounds == 1 and statuses == [CONNECTED]
    assert scheduler.next_delay_ms == 5_000
    scheduler.run_scheduled_round()  # the timer fires
    assert api.rounds == 2 and scheduler.next_delay_ms == 5_000


def test_the_scheduler_backs_off_while_the_server_is_unreachable_and_recovers(
    scheduler: SyncScheduler, api: FakeSyncApi
) -> None:
    api.outcomes = [ServerUnreachable("No answer from the server.")] * 6
    scheduler.start(api)
    delays = [scheduler.next_delay_ms]
    for _ in range(5):
        scheduler.run_scheduled_round()
        delays.append(scheduler.next_delay_ms)
    assert delays == [5_000, 10_000, 20_000, 40_000, 60_000, 60_000]
    assert api.rounds == 6
    scheduler.run_scheduled_round()  # the server answers again
    assert api.rounds == 7
    assert scheduler.failures == 0 and scheduler.next_delay_ms == 5_000


def test_a_426_stops_automatic_rounds_and_says_why(
    qtbot: QtBot, scheduler: SyncScheduler, api: FakeSyncApi
) -> None:
    message = "This ChapterDesk is too old for the server: install version 0.2 or later."
    api.outcomes = [ClientTooOld(message)]
    with qtbot.waitSignal(scheduler.update_needed) as said:
        scheduler.start(api)
    assert said.args == [message]
    assert scheduler.next_delay_ms is None
    scheduler.run_scheduled_round()  # a stray timer tick does nothing
    assert api.rounds == 1
    scheduler.stop()
    scheduler.start(api)  # lock and sign in again: still no round until the app restarts
    assert api.rounds == 1 and scheduler.update_required == message


def test_not_connected_leaves_the_scheduler_idle(
    scheduler: SyncScheduler, api: FakeSyncApi
) -> None:
    api.status = NOT_CONNECTED
    api.outcomes = [NotConnected("Connect this laptop to a server first.")]
    scheduler.start(api)
    assert api.rounds == 1 and scheduler.next_delay_ms is None
    assert scheduler.last_status == NOT_CONNECTED
    scheduler.restart()  # the leader connected on the Sync page
    assert api.rounds == 2 and scheduler.next_delay_ms == 5_000


def test_pulled_rows_and_a_revoked_device_mark_the_pages_stale(
    qtbot: QtBot, scheduler: SyncScheduler, api: FakeSyncApi
) -> None:
    api.outcomes = [SyncReport(), SyncReport(pulled=4)]
    changed: list[bool] = []
    scheduler.data_changed.connect(lambda: changed.append(True))
    scheduler.start(api)
    assert changed == []  # nothing came in
    scheduler.sync_now()
    assert changed == [True]
    api.outcomes = [DeviceRevoked("This laptop was revoked; its chapter data was removed.")]
    with qtbot.waitSignals([scheduler.device_revoked, scheduler.chapters_removed]):
        scheduler.sync_now()
    assert changed == [True, True] and scheduler.next_delay_ms is None


def test_never_two_rounds_at_once_and_a_request_meanwhile_runs_after(
    qtbot: QtBot, api: FakeSyncApi
) -> None:
    runner = TaskRunner(max_threads=4)
    scheduler = SyncScheduler(runner, interval_ms=HOUR_MS)
    api.gate = threading.Event()
    scheduler.start(api)
    qtbot.waitUntil(lambda: api.running == 1)
    scheduler.sync_now()
    scheduler.sync_now()
    scheduler.run_scheduled_round()
    assert api.rounds == 1  # asked three times while one runs: none started beside it
    finished: list[SyncRound] = []
    scheduler.round_finished.connect(finished.append)
    api.gate.set()
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=5_000)
    assert api.rounds == 2 and api.most_at_once == 1  # the three asks became one more round
    assert finished[1].manual
    scheduler.stop()
    runner.wait_for_done(5_000)


# -------------------------------------------------------------------------- the window
@pytest.fixture
def window(qtbot: QtBot, world: World, tmp_path: Path) -> Iterator[tuple[MainWindow, FakeSyncApi]]:
    api = FakeSyncApi(OFFLINE)
    runner = TaskRunner()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(runner, settings)
    win.sync_scheduler.interval_ms = HOUR_MS
    qtbot.addWidget(win)
    win.resize(960, 640)
    win.show()
    with qtbot.waitSignal(win.sync_scheduler.round_finished, timeout=10_000):
        win.attach(SyncingDesk(world.store, api, world.leader))
    yield win, api
    win.sync_scheduler.stop()
    runner.wait_for_done(10_000)
    win.sync_scheduler._runner.wait_for_done(10_000)


def test_the_window_syncs_at_sign_in_and_the_indicator_shows_it(
    qtbot: QtBot, window: tuple[MainWindow, FakeSyncApi]
) -> None:
    win, api = window
    assert api.rounds == 1
    assert win.sync_indicator.text().startswith("● Offline · last sync ")
    assert win.sync_indicator.text().endswith(" · 12 pending")
    assert win.sync_indicator.isVisible()
    win.sync_indicator.click()
    assert win.current_page() == "sync"
    page = win.sync_page
    assert isinstance(page, SyncPage)
    qtbot.waitUntil(lambda: page.status == OFFLINE)
    assert cells(page, "refused")[0][1] == "ESC-1"
    with qtbot.waitSignal(win.sync_scheduler.round_finished, timeout=10_000):
        qtbot.keyClick(
            win,
            Qt.Key.Key_S,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    assert api.rounds == 2
    qtbot.waitUntil(lambda: page.round_label.text().startswith("Synced"))


def test_a_426_in_the_window_shows_the_message_and_stops_retrying(
    qtbot: QtBot, window: tuple[MainWindow, FakeSyncApi]
) -> None:
    win, api = window
    message = "The server speaks protocol 3; this ChapterDesk speaks 2. Update ChapterDesk."
    api.outcomes = [ClientTooOld(message)]
    with qtbot.waitSignal(win.sync_scheduler.update_needed, timeout=10_000):
        win.sync_now()
    assert "Update needed (server speaks a newer protocol)" in win.sync_indicator.text()
    win.show_page("sync")
    assert message in win.sync_page.headline.text()
    assert win.sync_scheduler.next_delay_ms is None
    win.sync_scheduler.run_scheduled_round()
    assert api.rounds == 2  # the sign-in round and the one that met the 426


def test_pulled_rows_refresh_the_open_page(
    qtbot: QtBot, window: tuple[MainWindow, FakeSyncApi]
) -> None:
    win, api = window
    qtbot.waitUntil(lambda: win.current_chapter() is not None, timeout=10_000)
    api.outcomes = [SyncReport(pulled=3)]
    with qtbot.waitSignal(
        win.loaded, check_params_cb=lambda key: key == "meetings", timeout=10_000
    ):
        win.sync_now()


def test_a_revoked_laptop_says_so_loudly_and_reloads_its_pages(
    qtbot: QtBot, window: tuple[MainWindow, FakeSyncApi]
) -> None:
    win, api = window
    qtbot.waitUntil(lambda: bool(win.findChildren(MeetingsPage)), timeout=10_000)
    first = win.meetings_page
    api.outcomes = [DeviceRevoked("The server revoked this laptop; its chapter data was removed.")]
    with qtbot.waitSignal(win.sync_scheduler.device_revoked, timeout=10_000):
        win.sync_now()
    boxes = [b for b in win.findChildren(QMessageBox) if b.objectName() == "deviceRevoked"]
    assert boxes and "revoked this laptop" in boxes[0].text() and boxes[0].isVisible()
    qtbot.waitUntil(lambda: win.meetings_page is not first, timeout=10_000)  # rebuilt
    assert win.sync_scheduler.next_delay_ms is None


def test_lock_stops_the_scheduler_and_drops_the_round_in_flight(
    qtbot: QtBot, window: tuple[MainWindow, FakeSyncApi]
) -> None:
    win, api = window
    api.gate = threading.Event()
    win.sync_now()
    qtbot.waitUntil(lambda: api.running == 1, timeout=10_000)
    delivered: list[object] = []
    win.sync_scheduler.status_changed.connect(delivered.append)
    win.sync_scheduler.round_finished.connect(delivered.append)
    win.lock()
    assert not win.sync_scheduler.running and win.sync_scheduler.next_delay_ms is None
    assert win.sync_indicator.text() == "Sync paused while locked"
    api.gate.set()
    qtbot.waitUntil(lambda: not win.sync_scheduler.busy, timeout=10_000)
    assert delivered == []  # the round finished behind the lock; nothing reached the screen
    assert win.sync_indicator.text() == "Sync paused while locked"
    win.sync_scheduler.run_scheduled_round()
    win.sync_now()
    assert api.rounds == 2  # nothing more while locked
