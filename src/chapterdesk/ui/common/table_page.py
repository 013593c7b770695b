"""The shape shared by list pages: title, search box, one filter choice, table, summary line."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.ui.common.table import (
    ROW_ROLE,
    Row,
    RowTableModel,
    SearchProxy,
    SortProxy,
    install_copy,
)
from chapterdesk.ui.common.widgets import PlainLabel, page_title


class TablePage(QWidget, Generic[Row]):
    """Subclasses supply the model, what the search looks at, and the filter choices;
    ``accepts(row, choice)`` decides whether a row passes the current choice. A page that
    filters its rows itself (a roster of 100,000) passes ``accepts=None`` and overrides
    :meth:`apply_filter`."""

    def __init__(
        self,
        title: str,
        model: RowTableModel[Row],
        haystack: Callable[[Row], str],
        placeholder: str,
        choices: Sequence[str],
        accepts: Callable[[Row, int], bool] | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self._accepts = accepts
        self.proxy: SortProxy = (
            SearchProxy(haystack, extra=lambda row: accepts(row, self.choice.currentIndex()))
            if accepts is not None
            else SortProxy()
        )
        self.proxy.setSourceModel(model)

        self.search = QLineEdit()
        self.search.setPlaceholderText(placeholder)
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(placeholder)
        self.search.textChanged.connect(self._on_query)

        self.choice = QComboBox()
        self.choice.addItems(list(choices))
        self.choice.setAccessibleName(self.tr("Show"))
        self.choice.currentIndexChanged.connect(self._on_choice)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        install_copy(self.table)

        self.summary = PlainLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.choice)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(title))
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.setFocusProxy(self.search)
        # Down from the search box moves into the results, like a search field should.
        self.search.returnPressed.connect(self._focus_results)

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.model.set_rows(rows)
        self.update_summary()

    def visible_rows(self) -> list[Any]:
        return [self.proxy.index(r, 0).data(ROW_ROLE) for r in range(self.proxy.rowCount())]

    def all_rows(self) -> list[Row]:
        return [self.model.row_at(i) for i in range(self.model.rowCount())]

    def update_summary(self) -> None:
        """Subclasses say what the visible rows add up to."""

    def row_of(self, index: QModelIndex | QPersistentModelIndex) -> Row | None:
        row: Row | None = self.proxy.data(index, ROW_ROLE)
        return row

    def _on_query(self, _text: str) -> None:
        self.apply_filter(query_changed=True)

    def _on_choice(self, _index: int) -> None:
        self.apply_filter(query_changed=False)

    def apply_filter(self, *, query_changed: bool) -> None:
        """Show the rows that pass the search and the choice (the proxy decides per row)."""
        assert isinstance(self.proxy, SearchProxy)
        if query_changed:
            self.proxy.set_query(self.search.text())
        else:
            self.proxy.refilter()
        self.update_summary()

    def _focus_results(self) -> None:
        if self.proxy.rowCount():
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            self.table.selectRow(0)
