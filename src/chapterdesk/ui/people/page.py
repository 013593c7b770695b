"""People page: the chapter roster with organisation and category (ORG-1, ORG-5)."""

from __future__ import annotations

from PySide6.QtCore import Qt
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

from chapterdesk.domain.enums import OrgCategory
from chapterdesk.services.views import PersonRow
from chapterdesk.ui.common.table import SearchProxy
from chapterdesk.ui.common.widgets import PlainLabel, page_title
from chapterdesk.ui.people.model import CATEGORY_LABELS, make_model

_CATEGORIES: list[OrgCategory | None] = [None, *OrgCategory]


class PeoplePage(QWidget):
    """Lists people; the window feeds it rows through :meth:`show_people`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = make_model()
        self.proxy = SearchProxy(lambda p: p.search_text, extra=self._matches_category)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search by name, organisation or email…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search people"))
        self.search.textChanged.connect(self._on_query)

        self.category = QComboBox()
        self.category.addItem(self.tr("Everyone"))
        for cat in OrgCategory:
            self.category.addItem(CATEGORY_LABELS[cat])
        self.category.setAccessibleName(self.tr("Category"))
        self.category.currentIndexChanged.connect(lambda _i: self._refilter())

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((200, 240, 130, 100, 220)):
            self.table.setColumnWidth(column, width)

        self.summary = PlainLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.category)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("People")))
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.setFocusProxy(self.search)

    def show_people(self, rows: list[PersonRow]) -> None:
        self.model.set_rows(rows)
        self._update_summary()

    def _matches_category(self, row: PersonRow) -> bool:
        wanted = _CATEGORIES[self.category.currentIndex()]
        return wanted is None or row.category is wanted

    def _on_query(self, text: str) -> None:
        self.proxy.set_query(text)
        self._update_summary()

    def _refilter(self) -> None:
        self.proxy.refilter()
        self._update_summary()

    def _update_summary(self) -> None:
        self.summary.setText(
            self.tr("{shown} of {total} people").format(
                shown=self.proxy.rowCount(), total=self.model.rowCount()
            )
        )
