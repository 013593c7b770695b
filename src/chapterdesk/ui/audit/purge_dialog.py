"""The retention purge (ROS-1): a preview of exactly what goes, a confirmation, then the purge
in a worker. The service refuses when the data changed since the preview; the dialog then
shows the new preview."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from chapterdesk.ui.common.table import Column, RowTableModel, SearchProxy
from chapterdesk.ui.common.widgets import PlainLabel

if TYPE_CHECKING:
    from chapterdesk.services.desk import Desk
    from chapterdesk.services.retention import (
        MeetingToClear,
        ProspectToClear,
        PurgePreview,
        PurgeResult,
    )

    DeskRun = Callable[
        [Callable[[Desk], Any], Callable[[Any], None], Callable[[BaseException], None] | None],
        None,
    ]


def tr(text: str) -> str:
    return QCoreApplication.translate("PurgeDialog", text)


def prospect_model() -> RowTableModel[ProspectToClear]:
    return RowTableModel(
        [
            Column(tr("Name"), lambda p: p.name),
            Column(tr("Organisation"), lambda p: p.organisation),
            Column(
                tr("Last activity"),
                lambda p: p.last_activity.isoformat(),
                key=lambda p: p.last_activity,
            ),
        ]
    )


def meeting_model() -> RowTableModel[MeetingToClear]:
    return RowTableModel(
        [
            Column(tr("Meeting"), lambda m: m.title, tooltip=lambda m: m.title),
            Column(
                tr("Date"), lambda m: m.starts_at.strftime("%Y-%m-%d"), key=lambda m: m.starts_at
            ),
            Column(
                tr("Check-in events"),
                lambda m: str(m.check_in_events),
                key=lambda m: m.check_in_events,
                align_right=True,
            ),
            Column(
                tr("Came (kept)"),
                lambda m: tr("{came} of {registered}").format(
                    came=m.attended, registered=m.registrations
                ),
                key=lambda m: m.attended,
                align_right=True,
            ),
        ]
    )


def _table(model: RowTableModel[Any]) -> QTableView:
    proxy = SearchProxy(lambda _row: "")
    proxy.setSourceModel(model)
    table = QTableView()
    table.setModel(proxy)
    proxy.setParent(table)
    table.setSortingEnabled(True)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    return table


def result_text(result: PurgeResult) -> str:
    """What the window announces after a purge: counts only."""
    return tr(
        "Purged data older than {cutoff}: contact data of {p} prospect(s) cleared; check-in "
        "detail of {m} meeting(s) removed ({e} check-in events); attendance kept for {a} "
        "registration(s) (ROS-1)."
    ).format(
        cutoff=result.cutoff.isoformat(),
        p=result.prospects_cleared,
        m=result.meetings,
        e=result.check_in_events_removed,
        a=result.attendance_recorded,
    )


class PurgeDialog(QDialog):
    """Opened with ``open()`` by the Audit page; loads its preview as soon as it exists."""

    previewed = Signal(object)  # PurgePreview
    purged = Signal(str)  # the announcement, counts only

    def __init__(self, run: DeskRun, chapter_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._run = run
        self._chapter_id = chapter_id
        self.preview: PurgePreview | None = None
        self.confirmation: QMessageBox | None = None
        self._purging = False
        self.setWindowTitle(self.tr("Purge old data"))
        self.setMinimumSize(820, 580)

        self.headline = PlainLabel(self.tr("Working out what is older than the retention period…"))
        self.headline.setWordWrap(True)
        font = self.headline.font()
        font.setBold(True)
        self.headline.setFont(font)
        self.explanation = PlainLabel()
        self.explanation.setWordWrap(True)
        self.warning = PlainLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b45309")
        self.warning.hide()
        self.result = PlainLabel()
        self.result.setWordWrap(True)
        self.result.setStyleSheet("color: #15803d; font-weight: bold")
        self.result.hide()

        self.prospects = prospect_model()
        self.prospect_table = _table(self.prospects)
        self.prospect_table.setAccessibleName(self.tr("Prospects whose contact data goes"))
        self.prospect_box = QGroupBox(self.tr("Prospects whose contact data goes"))
        QVBoxLayout(self.prospect_box).addWidget(self.prospect_table)
        self.meetings = meeting_model()
        self.meeting_table = _table(self.meetings)
        self.meeting_table.setAccessibleName(self.tr("Meetings whose check-in detail goes"))
        self.meeting_box = QGroupBox(self.tr("Meetings whose check-in detail goes"))
        QVBoxLayout(self.meeting_box).addWidget(self.meeting_table)

        self.purge_button = QPushButton(self.tr("&Purge…"))
        self.purge_button.setEnabled(False)
        self.purge_button.clicked.connect(self.confirm)
        self.again_button = QPushButton(self.tr("Preview &again"))
        self.again_button.clicked.connect(self._preview_again)
        for button in (self.purge_button, self.again_button):
            button.setAutoDefault(False)  # Enter must not purge, nor throw the preview away
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.again_button)
        row.addStretch(1)
        row.addWidget(self.purge_button)
        row.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.explanation)
        layout.addWidget(self.warning)
        layout.addWidget(self.result)
        layout.addWidget(self.prospect_box, 3)
        layout.addWidget(self.meeting_box, 2)
        layout.addLayout(row)
        self.load_preview()

    # ----------------------------------------------------------------- preview
    def _alive(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        """A preview that arrives after the dialog was closed (and deleted) is dropped."""

        def deliver(value: Any) -> None:
            if isValid(self):
                callback(value)

        return deliver

    def reject(self) -> None:
        if self._purging:
            return  # stays open until the purge is done, so its outcome is seen
        super().reject()

    def load_preview(self) -> None:
        chapter = self._chapter_id
        self.purge_button.setEnabled(False)
        self._run(
            lambda d: d.purge_preview(chapter),
            self._alive(self.show_preview),
            self._alive(self._refused),
        )

    def _preview_again(self) -> None:
        self.warning.hide()
        self.result.hide()
        self.load_preview()

    def show_preview(self, preview: PurgePreview) -> None:
        self.preview = preview
        self.prospects.set_rows(preview.prospects)
        self.meetings.set_rows(preview.meetings)
        cutoff = preview.cutoff.isoformat()
        if preview.is_empty:
            self.headline.setText(self.tr("Nothing is older than {cutoff}.").format(cutoff=cutoff))
        else:
            self.headline.setText(
                self.tr(
                    "Older than {cutoff}: contact data of {p} prospect(s), and the check-in "
                    "detail of {m} meeting(s) ({e} check-in events)."
                ).format(
                    cutoff=cutoff,
                    p=len(preview.prospects),
                    m=len(preview.meetings),
                    e=preview.check_in_events,
                )
            )
        self.explanation.setText(
            self.tr(
                "The chapter keeps this data for {months} months (chapter settings). Prospects "
                "who never became members and were last active before {cutoff} lose their "
                "email, phone, notes and email consent; name and organisation stay. Meetings "
                "that ended before {cutoff} lose when, where and by whom each person was "
                "checked in; whether they came is kept. The purge is recorded in the audit "
                "trail with these counts (ROS-1)."
            ).format(months=preview.retention_months, cutoff=cutoff)
        )
        self.prospect_box.setTitle(
            self.tr("Prospects whose contact data goes ({n})").format(n=len(preview.prospects))
        )
        self.meeting_box.setTitle(
            self.tr("Meetings whose check-in detail goes ({n})").format(n=len(preview.meetings))
        )
        self.purge_button.setEnabled(not preview.is_empty)
        self.previewed.emit(preview)

    def _refused(self, exc: BaseException) -> None:
        self.warning.setText(str(exc))
        self.warning.show()
        self.purge_button.setEnabled(False)

    # ------------------------------------------------------------------- purge
    def confirm(self) -> QMessageBox | None:
        """Ask once more, without blocking (``open``); the answer runs :meth:`purge`."""
        preview = self.preview
        if preview is None or preview.is_empty:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Purge old data"),
            self.tr(
                "Clear the contact data of {p} prospect(s) and remove the check-in detail of "
                "{m} meeting(s)? This cannot be undone, and other laptops drop the same data "
                "when they sync."
            ).format(p=len(preview.prospects), m=len(preview.meetings)),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        yes = box.addButton(self.tr("Purge"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _r: self._answered(box.clickedButton() is yes, preview))
        self.confirmation = box
        box.open()
        return box

    def _answered(self, purge: bool, preview: PurgePreview) -> None:
        self.confirmation = None
        if purge:
            self.purge(preview)

    def purge(self, preview: PurgePreview) -> None:
        chapter = self._chapter_id
        self._purging = True
        self.purge_button.setEnabled(False)
        self.again_button.setEnabled(False)
        self.headline.setText(self.tr("Purging…"))
        self._run(
            lambda d: d.purge_old_data(chapter, preview),
            self._alive(self._done),
            self._alive(self._purge_refused),
        )

    def _done(self, result: PurgeResult) -> None:
        self._purging = False
        message = result_text(result)
        self.again_button.setEnabled(True)
        self.warning.hide()
        self.result.setText(message)
        self.result.show()
        self.load_preview()  # shows what is left: nothing, unless data arrived meanwhile
        self.purged.emit(message)

    def _purge_refused(self, exc: BaseException) -> None:
        self._purging = False
        self.again_button.setEnabled(True)
        self._refused(exc)
        self.load_preview()  # the new state, for the leader to check again
