"""Meetings page: the chapter's meetings with registration figures, sortable and filterable."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QHeaderView, QWidget

from chapterdesk.services.views import MeetingRow
from chapterdesk.ui.common.table_page import TablePage
from chapterdesk.ui.meetings.model import haystack, make_model

SHOW_UPCOMING, SHOW_PAST, SHOW_ALL = range(3)


def _in_period(row: MeetingRow, choice: int) -> bool:
    if choice == SHOW_UPCOMING:
        return not row.is_past
    if choice == SHOW_PAST:
        return row.is_past
    return True


class MeetingsPage(TablePage[MeetingRow]):
    """Lists meetings; the window feeds it rows through :meth:`set_rows`."""

    meeting_activated = Signal(str)

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
        self.choice.setCurrentIndex(SHOW_ALL)
        self.summary.setObjectName("meetingsSummary")
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(2, 240)
        self.table.activated.connect(self._on_activated)

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
