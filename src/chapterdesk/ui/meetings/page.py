"""Meetings page: the chapter's meetings with registration figures, and below the selected
meeting's registrations with everything a leader does to them (MTG-*, ESC-*)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.domain.enums import OrgCategory, RegistrationStatus
from chapterdesk.services.views import AttendeeRow, ChapterSettings, MeetingRow
from chapterdesk.ui.common.table_page import TablePage
from chapterdesk.ui.common.widgets import PlainLabel
from chapterdesk.ui.meetings import paper
from chapterdesk.ui.meetings.meeting_dialog import MeetingDialog
from chapterdesk.ui.meetings.model import haystack, make_model
from chapterdesk.ui.meetings.register_dialog import RegisterDialog
from chapterdesk.ui.meetings.registrations_panel import RegistrationsPanel
from chapterdesk.ui.meetings.settings_dialog import LimitsDialog

if TYPE_CHECKING:
    from chapterdesk.services.desk import Desk

SHOW_UPCOMING, SHOW_PAST, SHOW_ALL = range(3)

DeskJob = Callable[["Desk"], Any]
DeskCall = Callable[[DeskJob, Callable[[Any], None]], None]
"""Runs a job against the desk off the GUI thread and hands its result to the callback;
failures are shown by the window (RuleViolation with rule and fix)."""


def _in_period(row: MeetingRow, choice: int) -> bool:
    if choice == SHOW_UPCOMING:
        return not row.is_past
    if choice == SHOW_PAST:
        return row.is_past
    return True


class MeetingsPage(TablePage[MeetingRow]):
    """Lists meetings; the window feeds rows through :meth:`set_rows` and binds a desk call."""

    meeting_activated = Signal(str)
    changed = Signal()  # something was written: the window refreshes figures and status
    notice = Signal(str)  # what an action set in motion, for the status bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Meetings"),
            make_model(),
            haystack,
            self.tr("Filter by title, venue or date…"),
            [self.tr("Upcoming"), self.tr("Past"), self.tr("All meetings")],
            _in_period,
            parent,
        )
        self._call: DeskCall | None = None
        self._chapter_id: str | None = None
        self._attendees: list[AttendeeRow] = []
        self.choice.setCurrentIndex(SHOW_ALL)
        self.summary.setObjectName("meetingsSummary")
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(2, 240)
        self.table.activated.connect(self._on_activated)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)

        self.new_button = QPushButton(self.tr("&New meeting…"))
        self.edit_button = QPushButton(self.tr("E&dit meeting…"))
        self.limits_button = QPushButton(self.tr("Chapter &settings…"))
        self.badges_button = QPushButton(self.tr("&Badges…"))
        self.badges_button.setToolTip(
            self.tr("Name badges with QR codes; partners marked as vendors (MTG-6).")
        )
        self.signin_button = QPushButton(self.tr("&Sign-in sheet…"))
        self.signin_button.setToolTip(
            self.tr("Names and companies only (ROS-2); leaders only, recorded (ROS-4).")
        )
        self.badges_button.clicked.connect(self.save_badges)
        self.signin_button.clicked.connect(self.save_signin_sheet)
        self.new_button.clicked.connect(self.new_meeting)
        self.edit_button.clicked.connect(self.edit_meeting)
        self.limits_button.clicked.connect(self.edit_limits)
        actions = QHBoxLayout()
        for button in (
            self.new_button,
            self.edit_button,
            self.limits_button,
            self.badges_button,
            self.signin_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)

        self.registrations = RegistrationsPanel()
        self.registrations.register_requested.connect(self.register_someone)
        self.registrations.cancel_requested.connect(self._cancel)
        self.registrations.restore_requested.connect(
            lambda rid: self._write(lambda d: d.restore_registration(rid))
        )
        self.registrations.approve_requested.connect(
            lambda rid: self._write(lambda d: d.approve_registration(rid))
        )
        self.registrations.escort_requested.connect(self.choose_escort)

        splitter = QSplitter(Qt.Orientation.Vertical)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.replaceWidget(self.table, splitter)
        splitter.addWidget(self.table)
        splitter.addWidget(self.registrations)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.insertLayout(1, actions)
        self._update_buttons()

    # ------------------------------------------------------------------ wiring
    def bind(self, call: DeskCall, chapter_id: str | None) -> None:
        """Called by the window when the store is open and whenever the chapter changes."""
        self._call = call
        self._chapter_id = chapter_id
        self._update_buttons()

    def set_rows(self, rows: list[MeetingRow]) -> None:  # type: ignore[override]
        selected = self.current_meeting()
        super().set_rows(rows)
        if selected is not None:
            self.select_meeting(selected.id)
        else:
            self.registrations.set_meeting(None, [])

    def current_meeting(self) -> MeetingRow | None:
        index = self.table.selectionModel().currentIndex()
        return self.row_of(index) if index.isValid() else None

    def select_meeting(self, meeting_id: str) -> None:
        for r in range(self.proxy.rowCount()):
            row = self.row_of(self.proxy.index(r, 0))
            if row is not None and row.id == meeting_id:
                self.table.selectRow(r)
                self._load_registrations()
                return

    # ----------------------------------------------------------------- actions
    def new_meeting(self) -> None:
        chapter = self._chapter_id
        if self._call is None or chapter is None:
            return
        dialog = MeetingDialog(parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        draft = dialog.draft()
        self._write(lambda d: d.create_meeting(chapter, draft), then=self.select_meeting)

    def edit_meeting(self) -> None:
        meeting = self.current_meeting()
        if self._call is None or meeting is None:
            return

        def edit(draft: Any) -> None:
            dialog = MeetingDialog(draft, self)
            if dialog.exec() == QDialog.DialogCode.Accepted:
                new = dialog.draft()
                self._write(lambda d: d.update_meeting(meeting.id, new))

        self._call(lambda d: d.meeting_draft(meeting.id), edit)

    def edit_limits(self) -> None:
        chapter = self._chapter_id
        if self._call is None or chapter is None:
            return

        def edit(settings: ChapterSettings) -> None:
            dialog = LimitsDialog(settings, self)
            if dialog.exec() == QDialog.DialogCode.Accepted:
                new, template = dialog.settings(), dialog.template_choice()

                def save(d: Desk) -> None:
                    d.update_chapter_settings(chapter, new)
                    if template:
                        d.set_chapter_template(chapter, Path(template))
                    elif template == "":
                        d.use_default_template(chapter)

                self._write(save)

        self._call(lambda d: d.chapter_settings(chapter), edit)

    def save_badges(self) -> None:
        meeting = self.current_meeting()
        if self._call is not None and meeting is not None:
            paper.save_badges(self, self._call, meeting.id, meeting.title, self.notice.emit)

    def save_signin_sheet(self) -> None:
        meeting = self.current_meeting()
        if self._call is not None and meeting is not None:
            paper.save_signin_sheet(self, self._call, meeting.id, meeting.title, self.notice.emit)

    def register_someone(self) -> None:
        meeting, chapter = self.current_meeting(), self._chapter_id
        if self._call is None or meeting is None or chapter is None:
            return
        attendees = list(self._attendees)

        def pick(people: Any) -> None:
            dialog = RegisterDialog(
                meeting.title, people, attendees, meeting.partner_exclusive, self
            )
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            choice = dialog.choice()
            if choice is None:
                return
            if choice.inviting_customer_id:
                inviter = choice.inviting_customer_id
                self._write(
                    lambda d: d.register_with_inviting_customer(
                        meeting.id, choice.person_id, inviter
                    )
                )
            else:
                self._write(
                    lambda d: d.register(
                        meeting.id, choice.person_id, choice.escort_registration_id
                    )
                )

        self._call(lambda d: d.people(chapter), pick)

    def choose_escort(self, registration_id: str) -> None:
        candidates = [
            a
            for a in self._attendees
            if a.category is OrgCategory.CUSTOMER and a.status is RegistrationStatus.REGISTERED
        ]
        partner = next((a for a in self._attendees if a.registration_id == registration_id), None)
        if partner is None:
            return
        dialog = EscortDialog(partner, candidates, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.escort_id():
            escort = dialog.escort_id()
            assert escort is not None
            self._write(lambda d: d.assign_escort(registration_id, escort))

    def _cancel(self, registration_id: str) -> None:
        def report(outcome: Any) -> None:
            notes = []
            if outcome.promoted:
                notes.append(
                    self.tr("From the waiting list: {names} (MTG-3).").format(
                        names=", ".join(outcome.promoted)
                    )
                )
            if outcome.escort_needed:
                notes.append(
                    self.tr("Now without escort: {names} (ESC-4).").format(
                        names=", ".join(outcome.escort_needed)
                    )
                )
            self.notice.emit(" ".join([self.tr("Registration cancelled."), *notes]))

        self._write(lambda d: d.cancel_registration(registration_id), then=report)

    def _write(self, job: DeskJob, then: Callable[[Any], None] | None = None) -> None:
        if self._call is None:
            return

        def done(result: Any) -> None:
            self.changed.emit()
            if then is not None:
                then(result)
            self._load_registrations()

        self._call(job, done)

    # ---------------------------------------------------------------- display
    def _on_current(self, current: QModelIndex | QPersistentModelIndex, _prev: object) -> None:
        self._update_buttons()
        self._load_registrations()

    def _load_registrations(self) -> None:
        meeting = self.current_meeting()
        if meeting is None or self._call is None:
            self._attendees = []
            self.registrations.set_meeting(None, [])
            return

        def show(rows: list[AttendeeRow]) -> None:
            if self.current_meeting() is not None and self.current_meeting() == meeting:
                self._attendees = rows
                self.registrations.set_meeting(meeting.title, rows)

        self._call(lambda d: d.attendees(meeting.id), show)

    def _update_buttons(self) -> None:
        bound = self._call is not None and self._chapter_id is not None
        self.new_button.setEnabled(bound)
        self.limits_button.setEnabled(bound)
        for button in (self.edit_button, self.badges_button, self.signin_button):
            button.setEnabled(bound and self.current_meeting() is not None)

    def update_summary(self) -> None:
        rows = self.all_rows()
        upcoming = sum(1 for r in rows if not r.is_past and not r.cancelled)
        attention = sum(1 for r in rows if not r.is_past and r.partners_without_escort)
        text = self.tr("{n} meetings, {u} upcoming").format(n=len(rows), u=upcoming)
        if attention:
            text += self.tr(
                " — {a} upcoming meeting(s) have partners without an escort (ESC-1)"
            ).format(a=attention)
        self.summary.setText(text)

    def _on_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        row = self.row_of(index)
        if row is not None:
            self.meeting_activated.emit(row.id)


class EscortDialog(QDialog):
    """ESC-4 resolved: name a registered customer as the partner's escort."""

    def __init__(
        self, partner: AttendeeRow, candidates: list[AttendeeRow], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Escort for {name}").format(name=partner.full_name))
        self.setMinimumWidth(480)
        self.combo = QComboBox()
        for c in sorted(candidates, key=lambda a: a.last_name.casefold()):
            self.combo.addItem(f"{c.full_name} — {c.organisation}", c.registration_id)
        note = PlainLabel(
            self.tr("{name} ({org}) comes as the guest of a registered customer (ESC-1).").format(
                name=partner.full_name, org=partner.organisation
            )
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.combo)
        layout.addWidget(buttons)

    def escort_id(self) -> str | None:
        value = self.combo.currentData()
        return str(value) if value else None
