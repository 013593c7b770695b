"""Meetings page: the chapter's meetings with registration figures, sortable and filterable."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.services.views import MeetingRow
from chapterdesk.ui.common.table import ROW_ROLE, SearchProxy
from chapterdesk.ui.common.widgets import PlainLabel, page_title
from chapterdesk.ui.meetings.model import haystack, make_model

SHOW_UPCOMING, SHOW_PAST, SHOW_ALL = range(3)


class MeetingsPage(QWidget):
    """Lists meetings; the window feeds it rows through :meth:`show_meetings`."""

    meeting_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = make_model()
        self.proxy = SearchProxy(haystack, extra=self._matches_period)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Filter by title, venue or date…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Filter meetings"))
        self.search.textChanged.connect(self.proxy.set_query)

        self.period = QComboBox()
        self.period.addItems([self.tr("Upcoming"), self.tr("Past"), self.tr("All meetings")])
        self.period.setCurrentIndex(SHOW_ALL)
        self.period.setAccessibleName(self.tr("Which meetings to show"))
        self.period.currentIndexChanged.connect(lambda _i: self._refilter())

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(2, 240)
        self.table.activated.connect(self._on_activated)

        self.summary = PlainLabel()
        self.summary.setObjectName("meetingsSummary")

        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.period)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("Meetings")))
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.setFocusProxy(self.search)

    def show_meetings(self, rows: list[MeetingRow]) -> None:
        self.model.set_rows(rows)
        self._update_summary()

    def _matches_period(self, row: MeetingRow) -> bool:
        choice = self.period.currentIndex()
        if choice == SHOW_UPCOMING:
            return not row.is_past
        if choice == SHOW_PAST:
            return row.is_past
        return True

    def _refilter(self) -> None:
        self.proxy.refilter()
        self._update_summary()

    def _update_summary(self) -> None:
        rows = [self.model.row_at(i) for i in range(self.model.rowCount())]
        upcoming = sum(1 for r in rows if not r.is_past and not r.cancelled)
        attention = sum(1 for r in rows if not r.is_past and r.partners_without_escort)
        text = self.tr("{n} meetings, {u} upcoming").format(n=len(rows), u=upcoming)
        if attention:
            text += self.tr(
                " — {a} upcoming meeting(s) have partners without an escort (ESC-1)"
            ).format(a=attention)
        self.summary.setText(text)

    def _on_activated(self, index: object) -> None:
        row = self.proxy.data(index, ROW_ROLE)  # type: ignore[arg-type]
        if row is not None:
            self.meeting_activated.emit(row.id)
