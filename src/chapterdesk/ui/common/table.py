"""A read-only table model over a list of dataclasses, described column by column."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from chapterdesk.domain.text import fold

Row = TypeVar("Row")
SORT_ROLE = Qt.ItemDataRole.UserRole
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[Row]):
    """How one column shows (``text``), sorts (``key``) and explains (``tooltip``) a row."""

    title: str
    text: Callable[[Row], str]
    key: Callable[[Row], Any] | None = None
    tooltip: Callable[[Row], str] | None = None
    warning: Callable[[Row], bool] | None = None
    align_right: bool = False


WARNING_COLOUR = QColor("#b45309")
MUTED_COLOUR = QColor("#6b7280")


class RowTableModel(QAbstractTableModel, Generic[Row]):
    """Rows in, cells out. ``muted`` greys whole rows (e.g. past meetings)."""

    def __init__(
        self, columns: Sequence[Column[Row]], muted: Callable[[Row], bool] | None = None
    ) -> None:
        super().__init__()
        self._columns = list(columns)
        self._rows: list[Row] = []
        self._muted = muted

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(  # noqa: N802
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].title
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == SORT_ROLE:
            return column.key(row) if column.key else column.text(row).casefold()
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            return column.tooltip(row) or None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column.warning and column.warning(row):
                return QBrush(WARNING_COLOUR)
            if self._muted and self._muted(row):
                return QBrush(MUTED_COLOUR)
        if role == Qt.ItemDataRole.FontRole and column.warning and column.warning(row):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class SearchProxy(QSortFilterProxyModel):
    """Sorts by raw keys; filters on every word of a query, ignoring case and accents."""

    def __init__(
        self, haystack: Callable[[Any], str], extra: Callable[[Any], bool] | None = None
    ) -> None:
        super().__init__()
        self._haystack = haystack
        self._extra = extra
        self._words: list[str] = []
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_query(self, text: str) -> None:
        self.beginFilterChange()
        self._words = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def refilter(self) -> None:
        """Re-run the filter after an outside condition (``extra``) changed."""
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        row = model.data(model.index(source_row, 0, source_parent), ROW_ROLE)
        if self._extra and not self._extra(row):
            return False
        if not self._words:
            return True
        hay = self._haystack(row)
        return all(word in hay for word in self._words)

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:  # noqa: N802
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)
