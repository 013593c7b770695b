"""The check-in page, driven by keyboard as at the door: names, scans, ESC-3, undo, walk-ins.

The page runs its desk calls in a real worker pool; tests wait on its signals, never sleep.
QTest types ASCII only, so accented names are typed folded, as on a laptop keyboard.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.enums import CheckInKind, Role
from chapterdesk.services import registrations as regs
from chapterdesk.services.desk import Desk, local_leader
from chapterdesk.services.views import AttendeeRow, MeetingRow, VerdictLevel
from chapterdesk.store.models import CheckInEvent
from chapterdesk.ui.checkin.page import CheckInPage, door_order
from chapterdesk.ui.common.tasks import TaskRunner
from chapterdesk.ui.main_window import MainWindow
from tests.helpers import demo_store
from tests.world import World, build_world

pytestmark = pytest.mark.gui


@pytest.fixture
def desk(world: World) -> Desk:
    return Desk(world.store, world.leader)


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    pool = TaskRunner()
    yield pool
    pool.wait_for_done(10_000)  # no job may outlive the store


def register(w: World, who: str, meeting: str | None = None, **kw: object) -> regs.Registered:
    with w.store.session() as s:
        return regs.register(s, w.leader, meeting or w.meeting, w.people[who], **kw)  # type: ignore[arg-type]


def events(w: World) -> list[CheckInKind]:
    with w.store.session() as s:
        return [e.kind for e in s.scalars(select(CheckInEvent).order_by(CheckInEvent.hlc))]


def open_page(qtbot: QtBot, runner: TaskRunner, desk: Desk, w: World) -> CheckInPage:
    """The page on the world's main meeting, list and counts loaded, keyboard in the search."""

    def desk_call(job, on_result, on_error):  # type: ignore[no-untyped-def]
        runner.submit(lambda: job(desk), on_result, on_error)

    page = CheckInPage(desk_call)
    qtbot.addWidget(page)
    page.resize(1100, 760)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    meetings = Desk(w.store, w.leader).meetings(w.chapter)
    page.set_meetings(meetings, w.chapter)
    with qtbot.waitSignal(page.refreshed, timeout=5000):
        page.choose_meeting(w.meeting)
    qtbot.waitUntil(page.search.hasFocus)
    return page


def press(qtbot: QtBot, page: CheckInPage, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier):  # type: ignore[no-untyped-def]
    """A key that acts: wait until the verdict is shown and the list reloaded after it."""
    with qtbot.waitSignal(page.refreshed, timeout=5000):
        qtbot.keyClick(page.search, key, modifier)


def row(page: CheckInPage, name: str) -> AttendeeRow:
    return next(r for r in page.model._by_id.values() if r.full_name == name)


def level(page: CheckInPage) -> VerdictLevel | None:
    return page.verdict.verdict.level if page.verdict.verdict else None


# ------------------------------------------------------------------------ names and scans
def test_type_a_name_and_enter_checks_in(
    qtbot: QtBot, runner: TaskRunner, desk: Desk, world: World
) -> None:
    register(world, "Ann")
    register(world, "Bob")
    page = open_page(qtbot, runner, desk, world)
    assert page.tiles["registered"].number.text() == "2"
    assert page.tiles["checked_in"].number.text() == "0"
    qtbot.keyClicks(page.search, "ann")
    assert [r.full_name for r in page.visible_rows()] == ["Ann Lee"]
    press(qtbot, page, Qt.Key.Key_Return)
    assert level(page) is VerdictLevel.OK
    assert page.verdict.headline.text() == "✔  Ann Lee is checked in"
    assert page.verdict.detail.text() == "City of Ottawa"
    assert page.verdict.accessibleName() == page.verdict.headline.text()
    assert page.tiles["checked_in"].number.text() == "1"
    assert row(page, "Ann Lee").checked_in and not row(page, "Bob Roy").checked_in
    assert page.search.text() == "" and page.search.hasFocus()  # ready for the next person
    index = page.proxy.index(
        next(i for i, r in enumerate(page.visible_rows()) if r.full_name == "Ann Lee"), 5
    )
    assert index.data() and index.data(Qt.ItemDataRole.BackgroundRole) is not None


def test_arrows_move_the_highlight_without_leaving_the_search(
    qtbot: QtBot, runner: TaskRunner, desk: Desk, world: World
) -> None:
    for who in ("Ann", "Bob", "Cleo"):
        register(world, who)
    page = open_page(qtbot, runner, desk, world)
    qtbot.keyClicks(page.search, "o")  # Bob Roy, Cleo Dubé (City of Ottawa: Ann too)
    shown = page.visible_rows()
    assert len(shown) == 3 and page.highlighted() == shown[0]
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert page.search.hasFocus() and page.highlighted() == shown[2]
    qtbot.keyClick(page.search, Qt.Key.Key_Up)
    assert page.highlighted() == shown[1]
    with qtbot.waitSignal(page.refreshed):  # a reload in between keeps the leader's pick
        page.reload()
    assert page.highlighted() == shown[1]
    press(qtbot, page, Qt.Key.Key_Enter)
    assert page.verdict.headline.text() == f"✔  {shown[1].full_name} is checked in"


def test_accents_are_ignored_when_typing(
    qtbot: QtBot, runner: TaskRunner, desk: Desk, world: World
) -> None:
    register(world, "Cleo")
    page = open_page(qtbot, runner, desk, world)
    qtbot.keyClicks(page.search, "CLEO DUBE")
    press(qtbot, page, Qt.Key.Key_Return)
    assert page.verdict.headline.text() == "✔  Cléo Dubé is checked in"


def test_scan_while_the_table_has_focus_checks_in(
    qtbot: QtBot, runner: TaskRunner, desk: Desk, world: World
) -> None:
    ann = register(world, "Ann")
    register(world, "Bob")
    page = open_page(qtbot, runner, desk, world)
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    qtbot.keyClicks(page.table, ann.code)  # the scanner "types" into whatever has focus
    assert page.search.text() == ann.code and page.search.hasFocus()
    with qtbot.waitSignal(page.refreshed, timeout=5000):
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert level(page) is VerdictLevel.OK and "Ann Lee" in page.verdict.headline.text()
    assert row(page, "Ann Lee").checked_in and not row(page, "Bob Roy").checked_in
    assert events(world) == [CheckInKind.IN]


def test_bad_scans_are_red_and_change_nothing(
    qtbot: QtBot, runner: TaskRunner, desk: Desk, world: World
) -> None:
    register(world, "Ann")
    elsewhere = register(world, "Bob", world.customers_only)
    page = open_page(qtbot, runner, desk, world)

    qtbot.keyClicks(page.search, "HELLO-123")
    press(qtbot, page, Qt.Key.Key_Return)
    assert level(page) is VerdictLevel.REFUSED
    assert "not a registration code" in page.verdict.headline.text()
    assert page.verdict.property("level") == "refused"

    qtbot.keyClicks(page.search, "ABCDEFGHJK")
    press(qtbot, page, Qt.Key.Key_Return)
    assert level(page) is VerdictLevel.REFUSED
    assert "Unknown code ABCDEFGHJK" in page.verdict.headline.text()

    qtbot.keyClicks(page.search, elsewhere.code)
    press(qtbot, page, Qt.Key.Key_Return)
    assert level(page) is VerdictLevel.REFUSED
    assert "another meeting" in page.verdict.headline.text()
    assert "Customers talk budgets" in page.verdict.detail.text()
    assert "Bob Roy" in page.verdict.detail.text()

    assert events(world) == []
    assert page.tiles["checked_in"].number.text() == "0"


def test_a_name_that_matches_no_one_says_so(
    qtbot: QtBot, runner: TaskRunner, desk: Desk, world: World
) -> None:
    register(world, "Ann")
    page = open_page(qtbot, runner, desk, world)
    qtbot.keyClicks(page.search, "zelda")
    with qtbot.waitSignal(page.verdict_shown):
        qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert level(page) is VerdictLevel.ATTENTION
    assert "No one on the list matches" in page.verdict.headline.text()
    assert "walk-in (F9)" in page.verdict.rule.text()
    assert events(world) == []


def test_the_same_person_twice_is_amber_with_time_and_desk(
    qtbot: QtBot, runner: TaskRunner, desk: Desk, world: World
) -> None:
    ann = register(world, "Ann")
    page = open_page(qtbot, runner, desk, world)
    for _ in range(2):
        qtbot.keyClicks(page.search, ann.code.lower())  # read aloud and typed: still a code
        press(qtbot, page, Qt.Key.Key_Return)
    assert level(page) is VerdictLevel.ATTENTION
    assert "already checked in" in page.verdict.headline.text()
    detail = page.verdict.detail.text()
    when = row(page, "Ann Lee").checked_in_at
    assert when is not None and when.astimezone().strftime("%H:%M") in detail
    assert world.store.device_id[:8] in detail
    assert events(world) == [CheckInKind.IN]


# ------------------------------------------------------------------------------- escorts
def test_partner_before_escort_is_held_ESC_3(
    qtbot: QtBot, runner: TaskRunner, desk: Desk, world: World
) -> None:
    ann = register(world, "Ann")
    register(world, "Pat", escort_registration_id=ann.registration_id)
    page = open_page(qtbot, runner, desk, world)
    qtbot.keyClicks(page.search, "quinn")
    press(qtbot, page, Qt.Key.Key_Return)
    assert level(page) is VerdictLevel.ATTENTION
    assert page.verdict.property("level") == "attention"
    assert page.verdict.rule.text() == "ESC-3 — Check Ann Lee in first, then Pat Quinn."
    assert page.verdict.escort_button.isVisible()
    assert "Check in Ann Lee first" in page.verdict.escort_button.text()
    assert events(world) == []
    assert row(page, "Pat Quinn").escort_name == "Ann Lee"
    press(qtbot, page, Qt.Key.Key_F2)  # "check in the escort first", then the partner
    assert level(page) is VerdictLevel.OK
    assert page.verdict.headline.text() == "✔  Pat Quinn is checked in"
    assert page.verdict.detail.text() == "PARTNER · Contoso Consulting"  # MTG-6
    assert not page.verdict.escort_button.isVisible()
    assert row(page, "Ann Lee").checked_in and row(page, "Pat Quinn").checked_in
    assert page.tiles["partners_in"].number.text() == "1"
    assert page.tiles["escorts_in"].number.text() == "1"
    # Undo takes back this desk's changes, newest first: the partner, then the escort.
    press(qtbot, page, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not row(page, "Pat Quinn").checked_in and row(page, "Ann Lee").checked_in


def test_escort_button_is_a_button_too_ESC_3(
    qtbot: QtBot, runner: TaskRunner, desk: Desk, world: World
) -> None:
    ann = register(world, "Ann")
    register(world, "Pat", escort_registration_id=ann.registration_id)
    page = open_page(qtbot, runner, desk, world)
    qtbot.keyClicks(page.search, "pat")
    press(qtbot, page, Qt.Key.Key_Return)
    with qtbot.waitSignal(page.refreshed, timeout=5000):
        qtbot.mouseClick(page.verdict.escort_button, Qt.MouseButton.LeftButton)
    assert row(page, "Ann Lee").checked_in and row(page, "Pat Quinn").checked_in
    assert page.search.hasFocus()


def test_partner_after_escort_is_green_ESC_3(
    qtbot: QtBot, runner: TaskRunner, desk: Desk, world: World
) -> None:
    ann = register(world, "Ann")
    register(world, "Pat", escort_registration_id=ann.registration_id)
    page = open_page(qtbot, runner, desk, world)
    qtbot.keyClicks(page.search, "ann lee")
    press(qtbot, page, Qt.Key.Key_Return)
    qtbot.keyClicks(page.search, "contoso")
    press(qtbot, page, Qt.Key.Key_Return)
    assert level(page) is VerdictLevel.OK
    assert page.verdict.detail.text() == "PARTNER · Contoso Consulting"
    assert page.verdict.rule.isHidden()


def test_escort_checking_out_flags_the_partner_and_undo_brings_them_back_ESC_3(
    qtbot: QtBot, runner: TaskRunner, desk: Desk, world: World
) -> None:
    ann = register(world, "Ann")
    pat = register(world, "Pat", escort_registration_id=ann.registration_id)
    desk.check_in(ann.registration_id)
    desk.check_in(pat.registration_id)
    page = open_page(qtbot, runner, desk, world)
    qtbot.keyClicks(page.search, "ann")
    press(qtbot, page, Qt.Key.Key_F7)
    assert level(page) is VerdictLevel.ATTENTION
    assert page.verdict.headline.text() == "⚠  Ann Lee checked out"
    assert "Pat Quinn" in page.verdict.detail.text()
    assert page.verdict.rule.text().startswith("ESC-3 — ")
    assert not row(page, "Ann Lee").checked_in and row(page, "Pat Quinn").checked_in
    press(qtbot, page, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert level(page) is VerdictLevel.OK
    assert "Check-out of Ann Lee undone" in page.verdict.headline.text()
    assert row(page, "Ann Lee").checked_in
    # Nothing was deleted: the undo is one more event.
    assert events(world) == [CheckInKind.IN, CheckInKind.IN, CheckInKind.OUT, CheckInKind.UNDO]
    with qtbot.waitSignal(page.verdict_shown):
        qtbot.keyClick(page.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.verdict.headline.text() == "⚠  Nothing to undo"


def test_waiting_list_is_refused_at_the_door_MTG_3(
    qtbot: QtBot, runner: TaskRunner, tmp_path: Path
) -> None:
    small = build_world(tmp_path / "small", capacity=1)
    try:
        register(small, "Ann")
        register(small, "Bob")  # the meeting is full: Bob waits
        page = open_page(qtbot, runner, Desk(small.store, small.leader), small)
        assert page.tiles["waitlisted"].number.text() == "1"
        qtbot.keyClicks(page.search, "bob")
        press(qtbot, page, Qt.Key.Key_Return)
        assert level(page) is VerdictLevel.REFUSED
        assert page.verdict.rule.text().startswith("MTG-3 — ")
    finally:
        runner.wait_for_done(10_000)
        small.store.close()


# ------------------------------------------------------------------------------ walk-ins
def test_walk_in_of_a_new_customer_is_checked_in_MTG_2(
    qtbot: QtBot, runner: TaskRunner, desk: Desk, world: World
) -> None:
    page = open_page(qtbot, runner, desk, world)
    qtbot.keyClick(page.search, Qt.Key.Key_F9)
    dialog = page.walk_in_dialog
    assert dialog is not None and dialog.isVisible() and dialog.minimumWidth() >= 420
    assert not dialog.ok_button.isEnabled()  # names and organisation first
    qtbot.keyClicks(dialog.first_name, "Zoe")
    qtbot.keyClicks(dialog.last_name, "Walker")
    qtbot.keyClicks(dialog.organisation, "Tailspin Toys")
    with qtbot.waitSignal(page.refreshed, timeout=5000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert level(page) is VerdictLevel.OK
    assert page.verdict.headline.text() == "✔  Zoe Walker is checked in"
    walker = row(page, "Zoe Walker")
    assert walker.checked_in and walker.organisation == "Tailspin Toys"
    assert page.tiles["checked_in"].number.text() == "1"


def test_walk_in_at_a_partner_company_is_refused_in_the_dialog_MTG_2(
    qtbot: QtBot, runner: TaskRunner, desk: Desk, world: World
) -> None:
    page = open_page(qtbot, runner, desk, world)
    qtbot.keyClick(page.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = page.walk_in_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.first_name, "Carl")
    qtbot.keyClicks(dialog.last_name, "Vendor")
    qtbot.keyClicks(dialog.organisation, "contoso consulting")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.error.isVisible, timeout=5000)
    assert "MTG-2 — " in dialog.error.text()
    assert "register in advance" in dialog.error.text()
    assert dialog.isVisible() and dialog.ok_button.isEnabled()  # correct it, or cancel
    assert desk.attendees(world.meeting) == []


def test_walk_in_offers_the_person_already_on_the_roster(
    qtbot: QtBot, runner: TaskRunner, desk: Desk, world: World
) -> None:
    page = open_page(qtbot, runner, desk, world)
    dialog = page.open_walk_in()
    assert dialog is not None
    qtbot.keyClicks(dialog.first_name, "cleo")
    qtbot.waitUntil(dialog.roster.isVisible, timeout=5000)
    assert dialog.roster.count() == 1
    dialog.roster.setCurrentRow(0)
    assert dialog.ok_button.isEnabled() and "Cléo Dubé" in dialog.ok_button.text()
    with qtbot.waitSignal(page.refreshed, timeout=5000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert page.verdict.headline.text() == "✔  Cléo Dubé is checked in"
    assert [a.full_name for a in desk.attendees(world.meeting)] == ["Cléo Dubé"]


# -------------------------------------------------------------------------------- errors
def test_desk_errors_are_red_verdicts_not_crashes(
    qtbot: QtBot, runner: TaskRunner, world: World
) -> None:
    stranger = Actor("x", "Leader elsewhere", Role.LEADER, frozenset({"another-chapter"}))
    page = open_page_without_waiting(qtbot, runner, Desk(world.store, stranger), world)
    qtbot.waitUntil(lambda: level(page) is VerdictLevel.REFUSED, timeout=5000)
    assert page.verdict.headline.text() == "✖  Not allowed"
    assert page.verdict.detail.text()


def open_page_without_waiting(
    qtbot: QtBot, runner: TaskRunner, desk: Desk, w: World
) -> CheckInPage:
    def desk_call(job, on_result, on_error):  # type: ignore[no-untyped-def]
        runner.submit(lambda: job(desk), on_result, on_error)

    page = CheckInPage(desk_call)
    qtbot.addWidget(page)
    page.show()
    page.set_meetings(Desk(w.store, w.leader).meetings(w.chapter), w.chapter)
    page.choose_meeting(w.meeting)
    return page


# ----------------------------------------------------------------------- meeting picker
def _meeting(title: str, starts_at: datetime, cancelled: bool = False) -> MeetingRow:
    return MeetingRow(title, title, starts_at, "Hall", 10, 0, 0, 0, 0, True, False, cancelled)


def test_the_meeting_at_the_door_comes_first() -> None:
    now = datetime(2026, 3, 12, 19, 0)
    rows = [
        _meeting("last month", now - timedelta(days=30)),
        _meeting("next month", now + timedelta(days=30)),
        _meeting("tonight, started an hour ago", now - timedelta(hours=1)),
        _meeting("last year", now - timedelta(days=365)),
    ]
    assert [m.title for m in door_order(rows, now)] == [
        "tonight, started an hour ago",
        "next month",
        "last month",
        "last year",
    ]


def test_window_opens_the_desk_on_the_next_meeting(qtbot: QtBot, tmp_path: Path) -> None:
    store, _summary = demo_store(tmp_path / "demo", people=400)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    runner = TaskRunner()
    try:
        window = MainWindow(runner, settings, demo=True)
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(window.ready, timeout=10_000):
            window.attach(Desk(store, local_leader()))
        page = window.checkin_page
        with qtbot.waitSignal(page.refreshed, timeout=10_000):
            qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
        assert window.current_page() == "checkin"
        meeting = page.current_meeting()
        assert meeting is not None and meeting.starts_at > datetime.now()
        assert not meeting.cancelled
        assert page.visible_rows() and page.search.hasFocus()
        assert page.tiles["registered"].number.text() == str(meeting.registered)
    finally:
        runner.wait_for_done(10_000)
        store.close()


def test_enter_on_an_empty_search_checks_no_one_in(
    qtbot: QtBot, runner: TaskRunner, desk: Desk, world: World
) -> None:
    """A stray Enter (or a scanner's lone Enter) must not check in whoever is highlighted."""
    register(world, "Ann")
    page = open_page(qtbot, runner, desk, world)
    page.table.selectRow(0)  # highlighted by the program, not picked by the leader
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert page.verdict.verdict is None and not page._acting
    assert events(world) == []


def test_f4_prints_one_badge_for_the_highlighted_person_MTG_6(
    qtbot: QtBot,
    runner: TaskRunner,
    desk: Desk,
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtCore import QStandardPaths
    from PySide6.QtGui import QDesktopServices

    register(world, "Ann")
    monkeypatch.setattr(QStandardPaths, "writableLocation", lambda _loc: str(tmp_path))
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    page = open_page(qtbot, runner, desk, world)
    qtbot.keyClicks(page.search, "ann")
    qtbot.keyClick(page.search, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: bool(opened))
    assert Path(opened[0]).read_bytes().startswith(b"%PDF-")
