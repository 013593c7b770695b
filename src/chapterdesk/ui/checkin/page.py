"""Check-in page: the desk at the venue door, built for a keyboard and a barcode scanner.

The search box always has the keyboard. Typing filters the list from the first letter; ↑ ↓ move
the highlight without leaving the box; Enter checks the highlighted person in. A scanner is a
keyboard that types a code and Enter: a code-shaped entry goes to ``Desk.scan`` instead, and
keys typed while another control of the page has focus land in the search box, so a scan works
whatever was clicked last. Every desk call runs in a worker through ``desk_call``; one action is
in flight at a time (a burst of scans queues up in order), then the list and counts reload.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from chapterdesk.domain.codes import looks_like_code, normalise_code
from chapterdesk.services.views import AttendeeRow, DeskCounts, MeetingRow, Verdict, VerdictLevel
from chapterdesk.ui.checkin.model import AttendeeModel, haystack
from chapterdesk.ui.checkin.verdict import ESCORT_FIRST_KEY, VerdictPanel
from chapterdesk.ui.checkin.walk_in import WalkInDialog
from chapterdesk.ui.common.table import ROW_ROLE, SearchProxy, install_copy
from chapterdesk.ui.common.widgets import PlainLabel, page_title
from chapterdesk.ui.meetings.paper import save_single_badge

if TYPE_CHECKING:  # the real import pulls in SQLAlchemy
    from chapterdesk.services.desk import Desk

DeskJob = Callable[["Desk"], Any]
DeskCall = Callable[[DeskJob, Callable[[Any], None], Callable[[BaseException], None]], None]
"""Run ``job(desk)`` off the GUI thread; deliver its result or its exception on the GUI thread."""
Outcome = tuple[Verdict, list[str]]
"""The verdict to show, and the registrations the action changed (what Undo takes back)."""

COMPACT_WIDTH = 860  # below this page width, buttons and verdict get smaller
# A meeting that started this long ago is still "at the door" (MeetingRow has no end time).
STILL_AT_THE_DOOR = timedelta(hours=12)
_MOVES = {
    Qt.Key.Key_Up: -1,
    Qt.Key.Key_Down: 1,
    Qt.Key.Key_PageUp: -10,
    Qt.Key.Key_PageDown: 10,
}
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


def door_order(meetings: Sequence[MeetingRow], now: datetime | None = None) -> list[MeetingRow]:
    """Meetings still ahead (or under way) first, soonest first; then the past, latest first."""
    cutoff = (now or datetime.now()) - STILL_AT_THE_DOOR
    ahead = sorted((m for m in meetings if m.starts_at >= cutoff), key=lambda m: m.starts_at)
    past = sorted(
        (m for m in meetings if m.starts_at < cutoff), key=lambda m: m.starts_at, reverse=True
    )
    return ahead + past


class CountTile(QFrame):
    """One live figure in large type with its caption underneath."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("countTile")
        self.setStyleSheet(
            "QFrame#countTile { background: #f8fafc; border: 1px solid #cbd5e1;"
            " border-radius: 6px; } QFrame#countTile QLabel { color: #0f172a; border: none;"
            " background: transparent; }"
        )
        self.caption = caption
        self.number = PlainLabel("–")
        font = self.number.font()
        font.setPointSizeF(font.pointSizeF() * 2.4)
        font.setBold(True)
        self.number.setFont(font)
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label = PlainLabel(caption)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 6)
        layout.setSpacing(0)
        layout.addWidget(self.number)
        layout.addWidget(label)
        self.set_value(None)

    def set_value(self, value: int | None) -> None:
        text = "–" if value is None else str(value)
        self.number.setText(text)
        self.setAccessibleName(f"{self.caption}: {text}")


class CheckInPage(QWidget):
    """The window feeds meetings through :meth:`set_meetings`; the page loads its attendees
    and acts through ``desk_call``. ``refreshed`` fires when list and counts are fresh,
    ``verdict_shown`` with each verdict, ``changed`` after actions that may have written (other
    pages' figures and the pending-changes count are stale then)."""

    meeting_chosen = Signal(str)
    refreshed = Signal()
    verdict_shown = Signal(object)
    changed = Signal()

    def __init__(self, desk_call: DeskCall, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk_call = desk_call
        self._meetings: list[MeetingRow] = []
        self._chapter_id: str | None = None
        self._meeting_id: str | None = None
        self._loads = 0
        self._actions: deque[tuple[DeskJob, Callable[[Any], Outcome]]] = deque()
        self._acting = False
        self._undo: list[str] = []  # registration ids this desk changed, newest last
        self._explicit_pick = False  # the leader moved the highlight themselves
        self._focus_id: str | None = None  # highlight this registration after a reload
        self.walk_in_dialog: WalkInDialog | None = None

        self.meeting_picker = QComboBox()
        self.meeting_picker.setObjectName("meetingPicker")
        self.meeting_picker.setAccessibleName(self.tr("Meeting"))
        self.meeting_picker.setMinimumContentsLength(28)
        self.meeting_picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.meeting_picker.currentIndexChanged.connect(self._on_meeting_picked)
        picker_label = QLabel(self.tr("&Meeting:"))
        picker_label.setBuddy(self.meeting_picker)
        header = QHBoxLayout()
        header.addWidget(page_title(self.tr("Check-in")))
        header.addStretch(1)
        header.addWidget(picker_label)
        header.addWidget(self.meeting_picker, 3)
        self.meeting_picker.setMaximumWidth(620)

        self.tiles = {
            "registered": CountTile(self.tr("Registered")),
            "checked_in": CountTile(self.tr("Checked in")),
            "partners_in": CountTile(self.tr("Partners in")),
            "escorts_in": CountTile(self.tr("Escorts in")),
            "waitlisted": CountTile(self.tr("Waiting list")),
        }
        counts = QHBoxLayout()
        counts.setSpacing(8)
        for tile in self.tiles.values():
            counts.addWidget(tile, 1)

        self.verdict = VerdictPanel()
        self.verdict.escort_first.connect(self.check_in_escort_first)

        self.search = QLineEdit()
        self.search.setObjectName("checkinSearch")
        placeholder = self.tr("Type a name, company or code — or scan a badge")
        self.search.setPlaceholderText(placeholder)
        self.search.setAccessibleName(placeholder)
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        font = self.search.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.search.setFont(font)
        self.search.textChanged.connect(self._on_query)
        self.search.installEventFilter(self)

        self.check_in_button = self._button(self.tr("Check in"), "Enter")
        self.check_in_button.clicked.connect(lambda: self._on_enter(explicit=True))
        self.check_out_button = self._button(self.tr("Check out"), "F7")
        self.check_out_button.clicked.connect(self.check_out_highlighted)
        self.undo_button = self._button(self.tr("Undo last"), "Ctrl+Z")
        self.undo_button.clicked.connect(self.undo_last)
        self.walk_in_button = self._button(self.tr("Walk-in…"), "F9")
        self.walk_in_button.clicked.connect(self.open_walk_in)
        actions = QHBoxLayout()
        actions.addWidget(self.search, 1)
        for button in (
            self.check_in_button,
            self.check_out_button,
            self.undo_button,
            self.walk_in_button,
        ):
            actions.addWidget(button)

        self.model = AttendeeModel()
        self.proxy = SearchProxy(haystack)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("attendees")
        self.table.setAccessibleName(self.tr("Attendees"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        install_copy(self.table)
        self.table.doubleClicked.connect(self._on_double_clicked)
        self.table.pressed.connect(self._on_pressed)
        columns = self.table.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        columns.setStretchLastSection(True)
        for column, width in enumerate((210, 230, 130, 150, 230, 90)):
            self.table.setColumnWidth(column, width)

        self.summary = PlainLabel()
        self.summary.setObjectName("checkinSummary")
        self.summary.setWordWrap(True)  # a narrow window wraps it rather than growing

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(counts)
        layout.addWidget(self.verdict)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.setFocusProxy(self.search)

        # Keys typed on the other controls belong to the search box (a scan must never turn
        # into a meeting change or a table jump).
        for widget in (
            self.table,
            self.meeting_picker,
            self.check_in_button,
            self.check_out_button,
            self.undo_button,
            self.walk_in_button,
            self.verdict.escort_button,
        ):
            widget.installEventFilter(self)
        self._shortcut("F7", self.check_out_highlighted)
        self._shortcut("Ctrl+O", self.check_out_highlighted)
        self._shortcut("Ctrl+Z", self.undo_last)
        self._shortcut("F9", self.open_walk_in)
        self._shortcut("F4", self.print_badge)
        self._shortcut("Ctrl+N", self.open_walk_in)
        self._shortcut(ESCORT_FIRST_KEY.toString(), self.check_in_escort_first)
        self._set_enabled(False)
        self._update_summary()

    def _button(self, text: str, key: str) -> QPushButton:
        shown = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
        button = QPushButton(f"{text}  ({shown})")
        button.setProperty("labels", (f"{text}  ({shown})", text))  # wide, narrow
        # The page may shrink to the narrow labels (see resizeEvent), not only to the wide ones.
        button.setMinimumWidth(QPushButton(text).sizeHint().width())
        button.setAccessibleName(text)
        button.setToolTip(f"{text} ({shown})")
        button.setAutoDefault(False)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click leaves the keyboard in search
        return button

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        """On a small laptop screen the search box keeps its room: buttons drop their key
        hints (the line under the table still lists them) and the verdict type shrinks."""
        super().resizeEvent(event)
        compact = event.size().width() < COMPACT_WIDTH
        for button in (
            self.check_in_button,
            self.check_out_button,
            self.undo_button,
            self.walk_in_button,
        ):
            wide, narrow = button.property("labels")
            button.setText(narrow if compact else wide)
        self.verdict.set_compact(compact)

    def _shortcut(self, key: str, slot: Callable[[], object]) -> None:
        shortcut = QShortcut(QKeySequence(key), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)

    # ------------------------------------------------------------------- data in
    def set_meetings(self, meetings: Sequence[MeetingRow], chapter_id: str | None = None) -> None:
        """Fill the picker; keep the current meeting if it is still there, else pick the next
        upcoming (or under way) one, else the latest."""
        self._chapter_id = chapter_id
        self._meetings = door_order(meetings)
        wanted = self._meeting_id
        ids = [m.id for m in self._meetings]
        if wanted not in ids:
            wanted = next((m.id for m in self._meetings if not m.cancelled), None)
            wanted = wanted or (ids[0] if ids else None)
        self.meeting_picker.blockSignals(True)
        self.meeting_picker.clear()
        today = datetime.now().date()
        for meeting in self._meetings:
            when = meeting.starts_at.strftime("%a %d %b %Y  %H:%M")
            if meeting.starts_at.date() == today:
                when = self.tr("Today {time}").format(time=meeting.starts_at.strftime("%H:%M"))
            title = (
                self.tr("Cancelled: {title}").format(title=meeting.title)
                if meeting.cancelled
                else meeting.title
            )
            self.meeting_picker.addItem(f"{when} — {title}", meeting.id)
        self.meeting_picker.setCurrentIndex(ids.index(wanted) if wanted else -1)
        self.meeting_picker.blockSignals(False)
        self._choose(wanted)

    def set_attendees(self, rows: Sequence[AttendeeRow]) -> None:
        self.model.set_rows(rows)
        self._restore_highlight()
        self._update_summary()

    def set_counts(self, counts: DeskCounts) -> None:
        for key, tile in self.tiles.items():
            tile.set_value(getattr(counts, key))

    def current_meeting(self) -> MeetingRow | None:
        return next((m for m in self._meetings if m.id == self._meeting_id), None)

    def visible_rows(self) -> list[AttendeeRow]:
        return [self.proxy.index(r, 0).data(ROW_ROLE) for r in range(self.proxy.rowCount())]

    def highlighted(self) -> AttendeeRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        row: AttendeeRow | None = index.data(ROW_ROLE)
        return row

    # ---------------------------------------------------------------- meeting choice
    def choose_meeting(self, meeting_id: str) -> None:
        """Switch the desk to ``meeting_id`` (e.g. from the Meetings page), as the picker does."""
        index = self.meeting_picker.findData(meeting_id)
        if index >= 0:
            self.meeting_picker.setCurrentIndex(index)

    def _on_meeting_picked(self, index: int) -> None:
        self._choose(self.meeting_picker.itemData(index) if index >= 0 else None)
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def _choose(self, meeting_id: str | None) -> None:
        if meeting_id != self._meeting_id:
            self._meeting_id = meeting_id
            self._undo.clear()
            self._focus_id = None
            self.search.clear()
            self.model.set_rows([])
            for tile in self.tiles.values():
                tile.set_value(None)
            self.verdict.clear()
        meeting = self.current_meeting()
        self.model.partner_exclusive = bool(meeting and meeting.partner_exclusive)
        self._set_enabled(meeting is not None)
        if meeting is None:
            self._update_summary()
            return
        self.meeting_chosen.emit(meeting.id)
        self.reload()

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (
            self.search,
            self.check_in_button,
            self.check_out_button,
            self.undo_button,
            self.walk_in_button,
        ):
            widget.setEnabled(enabled)
        self.meeting_picker.setEnabled(bool(self._meetings))

    def reload(self) -> None:
        """Fetch attendees and counts in one worker job; an older answer is dropped."""
        meeting_id = self._meeting_id
        if meeting_id is None:
            return
        self._loads += 1
        load = self._loads

        def show(result: tuple[list[AttendeeRow], DeskCounts]) -> None:
            if not isValid(self) or load != self._loads:
                return
            rows, counts = result
            self.set_attendees(rows)
            self.set_counts(counts)
            self.refreshed.emit()

        def failed(exc: BaseException) -> None:
            if isValid(self) and load == self._loads:
                self._show(None, exc)

        self._desk_call(lambda desk: desk.desk_state(meeting_id), show, failed)

    # --------------------------------------------------------------------- keyboard
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        if watched is self.search:
            return self._search_key(event)
        if event.type() != QEvent.Type.KeyPress or not self.search.isEnabled():
            return False
        key = event.key()
        if key in _ENTER and (self.search.text().strip() or watched is self.table):
            self._on_enter(explicit=watched is self.table)
            return True
        text = event.text()
        redirect = (
            text
            and text.isprintable()
            and not event.modifiers() & _COMMAND_MODIFIERS
            and (not text.isspace() or watched is self.table)  # Space still presses buttons
        )
        if redirect:
            self.search.setFocus(Qt.FocusReason.OtherFocusReason)
            self.search.insert(text)
            return True
        return False

    def _search_key(self, event: QKeyEvent) -> bool:
        undo = event.matches(QKeySequence.StandardKey.Undo)
        if event.type() == QEvent.Type.ShortcutOverride and undo:
            event.accept()  # Ctrl+Z is "undo last check-in" here, not "undo typing"
            return True
        if event.type() != QEvent.Type.KeyPress:
            return False
        key = Qt.Key(event.key())
        if undo:
            self.undo_last()
            return True
        if key in _MOVES and not event.modifiers() & _COMMAND_MODIFIERS:
            self._move_highlight(_MOVES[key])
            return True
        if key in _ENTER:
            self._on_enter(explicit=False)
            return True
        if key == Qt.Key.Key_Escape and self.search.text():
            self.search.clear()
            return True
        return False

    def _move_highlight(self, step: int) -> None:
        count = self.proxy.rowCount()
        if not count:
            return
        current = self.table.currentIndex()
        row = current.row() + step if current.isValid() else (0 if step > 0 else count - 1)
        self._highlight(max(0, min(count - 1, row)))
        self._pick_highlighted()

    def _pick_highlighted(self) -> None:
        """The leader chose this row: keep it highlighted through list reloads, so Enter
        never lands on someone else because a refresh arrived in between."""
        self._explicit_pick = True
        row = self.highlighted()
        self._focus_id = row.registration_id if row is not None else None

    def _highlight(self, proxy_row: int | None) -> None:
        selection = self.table.selectionModel()
        if proxy_row is None or not 0 <= proxy_row < self.proxy.rowCount():
            selection.clear()
            self.table.setCurrentIndex(QModelIndex())
            return
        index = self.proxy.index(proxy_row, 0)
        selection.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def _restore_highlight(self) -> None:
        rows = self.visible_rows()
        wanted = self._focus_id
        at = next((i for i, r in enumerate(rows) if r.registration_id == wanted), None)
        if at is None and self.search.text().strip() and rows:
            at = 0
        self._highlight(at)

    def _on_query(self, text: str) -> None:
        self.proxy.set_query(text)
        self._explicit_pick = False
        self._focus_id = None
        self._highlight(0 if text.strip() and self.proxy.rowCount() else None)
        self._update_summary()

    def _on_pressed(self, _index: QModelIndex | QPersistentModelIndex) -> None:
        self._pick_highlighted()

    def _on_double_clicked(self, index: QModelIndex | QPersistentModelIndex) -> None:
        row: AttendeeRow | None = index.data(ROW_ROLE)
        if row is not None:
            self._check_in(row)
            self._ready_for_next()

    def _ready_for_next(self) -> None:
        self.search.clear()
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---------------------------------------------------------------------- actions
    def _on_enter(self, explicit: bool) -> None:
        """Enter from the search box, the table, or a scanner anywhere on the page."""
        meeting_id = self._meeting_id
        text = self.search.text().strip()
        if meeting_id is None:
            return
        row = self.highlighted()
        if text and self._is_scan(text):
            self._act(lambda desk: desk.scan(meeting_id, text), _checked_in)
        elif row is not None and (text or explicit or self._explicit_pick):
            self._check_in(row)
        elif text and any(not (ch.isalpha() or ch in " '-.") for ch in text):
            # Not a name and no match: most likely a misread or foreign code; the desk says so.
            self._act(lambda desk: desk.scan(meeting_id, text), _checked_in)
        elif text:
            self._show(self._no_match(text))
        else:
            return
        self._ready_for_next()

    def _is_scan(self, text: str) -> bool:
        """Code-shaped, and not simply a ten-letter name that matched someone by name."""
        if not looks_like_code(text):
            return False
        code = normalise_code(text)
        return all(r.code == code for r in self.visible_rows())

    def _check_in(self, row: AttendeeRow) -> None:
        self._focus_id = row.registration_id
        registration_id = row.registration_id
        self._act(lambda desk: desk.check_in(registration_id), _checked_in)

    def check_out_highlighted(self) -> None:
        row = self.highlighted()
        if row is None:
            self._show(self._nobody_highlighted())
            return
        registration_id = row.registration_id
        self._focus_id = registration_id
        self._act(lambda desk: desk.check_out(registration_id), _checked_out)
        self._ready_for_next()

    def undo_last(self) -> None:
        """Take back this desk's latest check-in or check-out (a new event, never a delete)."""
        if self._meeting_id is None:
            return
        if not self._undo:
            self._show(
                Verdict(
                    VerdictLevel.ATTENTION,
                    self.tr("Nothing to undo"),
                    self.tr("This desk has not checked anyone in or out for this meeting yet."),
                )
            )
            return
        registration_id = self._undo.pop()
        self._focus_id = registration_id
        self._act(lambda desk: desk.undo_check_in(registration_id), _undone)
        self._ready_for_next()

    def check_in_escort_first(self) -> None:
        """ESC-3: check the escort in, then retry the partner who was held, in one job."""
        shown = self.verdict.verdict
        if shown is None or shown.escort_to_check_in is None or shown.attendee is None:
            return
        escort_id = shown.escort_to_check_in.registration_id
        partner_id = shown.attendee.registration_id
        self._focus_id = partner_id

        def job(desk: Desk) -> tuple[Verdict, Verdict]:
            return desk.check_in(escort_id), desk.check_in(partner_id)

        def after(result: tuple[Verdict, Verdict]) -> Outcome:
            escort, partner = result
            shown = escort if escort.level is VerdictLevel.REFUSED else partner
            return shown, _checked_in(escort)[1] + _checked_in(partner)[1]

        self._act(job, after)
        self._ready_for_next()

    def print_badge(self) -> None:
        """F4: one A6 badge for the highlighted person (a walk-in, a lost badge), opened in the
        system viewer to print (MTG-6: partners get the PARTNER band)."""
        row, meeting_id = self.highlighted(), self._meeting_id
        if row is None or meeting_id is None:
            return
        save_single_badge(
            lambda job, done: self._desk_call(job, done, self.verdict.show_error),
            meeting_id,
            row.registration_id,
            row.code,
            lambda _msg: None,
        )

    def open_walk_in(self) -> WalkInDialog | None:
        meeting_id = self._meeting_id
        if meeting_id is None:
            return None
        if self.walk_in_dialog is not None:
            self.walk_in_dialog.deleteLater()
        dialog = WalkInDialog(self._desk_call, meeting_id, self._chapter_id, self)
        dialog.registered.connect(self._on_walk_in)
        dialog.finished.connect(lambda _result: self.search.setFocus())
        self.walk_in_dialog = dialog
        dialog.open()
        return dialog

    def _on_walk_in(self, verdict: Verdict) -> None:
        if verdict.attendee is not None:
            self._focus_id = verdict.attendee.registration_id
        self._undo.extend(_checked_in(verdict)[1])
        self._show(verdict)
        self._loads += 1  # drop any list fetched before the walk-in existed
        self.reload()
        self.changed.emit()

    # ------------------------------------------------------------------ action queue
    def _act(self, job: DeskJob, after: Callable[[Any], Outcome]) -> None:
        """Queue one desk action; ``after`` turns its result into the verdict to show and the
        registrations it changed (for Undo)."""
        self._actions.append((job, after))
        self._loads += 1  # a list fetched before this action would be stale
        if not self._acting:
            self._next_action()

    def _next_action(self) -> None:
        if not self._actions:
            self._acting = False
            self.reload()
            self.changed.emit()
            return
        self._acting = True
        job, after = self._actions.popleft()

        def done(result: Any) -> None:
            if not isValid(self):  # the window closed while the desk was busy
                return
            verdict, changed = after(result)
            self._undo.extend(changed)
            if verdict.attendee is not None:  # show who it was about once the list reloads
                self._focus_id = verdict.attendee.registration_id
            self._show(verdict)
            self._next_action()

        def failed(exc: BaseException) -> None:
            if not isValid(self):
                return
            self._show(None, exc)
            self._next_action()

        self._desk_call(job, done, failed)

    def _show(self, verdict: Verdict | None, error: BaseException | None = None) -> None:
        if error is not None:
            self.verdict.show_error(error)
        elif verdict is not None:
            self.verdict.show_verdict(verdict)
        self.verdict_shown.emit(self.verdict.verdict)

    # -------------------------------------------------------------------- messages
    def _no_match(self, text: str) -> Verdict:
        return Verdict(
            VerdictLevel.ATTENTION,
            self.tr("No one on the list matches “{text}”").format(text=text[:40]),
            self.tr("Nobody registered for this meeting has that name, company or code."),
            fix=self.tr(
                "Check the spelling or try the company. A customer who is not registered can "
                "come in as a walk-in (F9); partners cannot (MTG-2)."
            ),
        )

    def _nobody_highlighted(self) -> Verdict:
        return Verdict(
            VerdictLevel.ATTENTION,
            self.tr("Nobody is highlighted"),
            self.tr("Type a name and move to the person with ↑ ↓ first."),
        )

    def _update_summary(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        meeting = self.current_meeting()
        if meeting is None:
            text = (
                self.tr("This chapter has no meetings yet.")
                if not self._meetings
                else self.tr("Choose a meeting.")
            )
        elif shown == total:
            text = self.tr("{n} on the list").format(n=total)
        else:
            text = self.tr("{shown} of {n} on the list match").format(shown=shown, n=total)
        self.summary.setText(
            text
            + "   ·   "
            + self.tr(
                "Enter: check in   F7: check out   Ctrl+Z: undo   F9: walk-in   F4: badge   "
                "↑ ↓: move"
            )
        )


# Verdicts do not say whether an event was written; these read it from the outcome.
def _checked_in(verdict: Verdict) -> Outcome:
    """Only a green check-in wrote an event ("already in" and refusals change nothing)."""
    attendee = verdict.attendee
    wrote = verdict.level is VerdictLevel.OK and attendee is not None and attendee.checked_in
    return verdict, [attendee.registration_id] if wrote and attendee else []


def _checked_out(verdict: Verdict) -> Outcome:
    """A check-out wrote an event when the person is now out and the desk did not just say
    "not checked in" (an escort leaving is amber ESC-3, but did leave)."""
    attendee = verdict.attendee
    left = (
        attendee is not None
        and not attendee.checked_in
        and (verdict.level is VerdictLevel.OK or verdict.rule_id == "ESC-3")
    )
    return verdict, [attendee.registration_id] if left and attendee else []


def _undone(verdict: Verdict) -> Outcome:
    return verdict, []
