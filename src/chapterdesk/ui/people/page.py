"""People page: the chapter roster with organisation and category (ORG-1, ORG-5)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QWidget

from chapterdesk.domain.enums import OrgCategory
from chapterdesk.services.views import PersonRow
from chapterdesk.ui.common.table_page import TablePage
from chapterdesk.ui.people.model import CATEGORY_LABELS, make_model

_CATEGORIES: list[OrgCategory | None] = [None, *OrgCategory]


def _in_category(row: PersonRow, choice: int) -> bool:
    wanted = _CATEGORIES[choice]
    return wanted is None or row.category is wanted


class PeoplePage(TablePage[PersonRow]):
    """Lists people; the window feeds it rows through :meth:`set_rows`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("People"),
            make_model(),
            lambda p: p.search_text,
            self.tr("Search by name, organisation or email…"),
            [self.tr("Everyone"), *(CATEGORY_LABELS[c] for c in OrgCategory)],
            _in_category,
            parent,
        )
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((200, 240, 130, 100, 220)):
            self.table.setColumnWidth(column, width)

    def update_summary(self) -> None:
        self.summary.setText(
            self.tr("{shown} of {total} people").format(
                shown=self.proxy.rowCount(), total=self.model.rowCount()
            )
        )
