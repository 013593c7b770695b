"""A read-only table model over a list of dataclasses, described column by column."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QTableView

from chapterdesk.domain.text import fold

Row = TypeVar("Row")
ROW_ROLE = Qt.ItemDataRole.UserRole
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
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._brushes = _Brushes()

    def set_rows(self, rows: Sequence[Row], *, presorted: bool = False) -> None:
        """Show ``rows``, sorted as the table is (``presorted``: they already are, e.g. a
        subset of a list :meth:`sorted_copy` returned)."""
        self.beginResetModel()
        self._rows = list(rows)
        if self._sort is not None and not presorted:
            self._sort_rows(*self._sort)
        self.endResetModel()

    def sorted_copy(self, rows: Sequence[Row]) -> list[Row]:
        """``rows`` in the table's current order."""
        copy = list(rows)
        if self._sort is not None:
            column, order = self._sort
            spec = self._columns[column]
            key = spec.key or (lambda row: fold(spec.text(row)))
            copy.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        return copy

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort with one C-level ``list.sort`` instead of a Python ``lessThan`` per pair: a
        roster of 10,000 people sorts in milliseconds."""
        if not 0 <= column < len(self._columns):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        self._sort_rows(column, order)
        self.layoutChanged.emit()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        del column, order  # self._sort holds them
        self._rows = self.sorted_copy(self._rows)

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
        # A repaint asks every visible cell for ~10 roles; answer the unused ones at once.
        if role not in _ROLES_USED or not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            return (column.tooltip(row) or None) if column.tooltip else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column.warning and column.warning(row):
                return self._brushes.warning
            if self._muted and self._muted(row):
                return self._brushes.muted
            return None
        if role == Qt.ItemDataRole.FontRole:
            return self._brushes.bold if column.warning and column.warning(row) else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return RIGHT_ALIGNED
        return None

    # What leaves the table (clipboard, drag) is what the person sees, never the row objects
    # behind it: a field the service masked stays masked (ROS-1).
    def mimeTypes(self) -> list[str]:  # noqa: N802
        return ["text/plain"]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        data = QMimeData()
        data.setText(
            cells_as_text([(i.row(), i.column(), str(self.data(i) or "")) for i in indexes])
        )
        return data


def cells_as_text(cells: Sequence[tuple[int, int, str]]) -> str:
    """Cells (row, column, text) as tab-separated lines, in reading order."""
    lines: dict[int, list[tuple[int, str]]] = {}
    for row, column, text in cells:
        lines.setdefault(row, []).append((column, text.replace("\t", " ").replace("\n", " ")))
    return "\n".join("\t".join(text for _c, text in sorted(lines[row])) for row in sorted(lines))


def selected_text(view: QTableView) -> str:
    """The selected rows as the view shows them: visible columns, display text only."""
    model = view.model()
    header = view.horizontalHeader()
    columns = [c for c in range(model.columnCount()) if not header.isSectionHidden(c)]
    rows = sorted({index.row() for index in view.selectionModel().selectedIndexes()})
    cells = [
        (row, header.visualIndex(c), str(model.index(row, c).data() or ""))
        for row in rows
        for c in columns
    ]
    return cells_as_text(cells)


def install_copy(view: QTableView) -> None:
    """Ctrl+C copies the selected rows as shown; no drag carries more than that."""
    view.setDragEnabled(False)

    def copy() -> None:
        text = selected_text(view)
        if text:
            QGuiApplication.clipboard().setText(text)

    shortcut = QShortcut(QKeySequence.StandardKey.Copy, view)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(copy)


class _Brushes:
    """Brushes and fonts made once per model, not once per cell per repaint."""

    def __init__(self) -> None:
        self.warning = QBrush(WARNING_COLOUR)
        self.muted = QBrush(MUTED_COLOUR)
        self.bold = QFont()
        self.bold.setBold(True)


RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_ROLES_USED = frozenset(
    int(r)
    for r in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.TextAlignmentRole,
        ROW_ROLE,
    )
)


class SortProxy(QSortFilterProxyModel):
    """Sorting delegated to the source model (see :meth:`RowTableModel.sort`); no filter of
    its own, so no Python call per row (a page that filters its rows itself uses it)."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)


class SearchProxy(SortProxy):
    """Filters on every word of a query, ignoring case and accents."""

    def __init__(
        self, haystack: Callable[[Any], str], extra: Callable[[Any], bool] | None = None
    ) -> None:
        super().__init__()
        self._haystack = haystack
        self._extra = extra
        self._words: list[str] = []

    def set_query(self, text: str) -> None:
        self.beginFilterChange()
        self._words = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def refilter(self) -> None:
        """Re-run the filter after an outside condition (``extra``) changed."""
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802
        if not self._words and self._extra is None:
            return True
        model = self.sourceModel()
        assert isinstance(model, RowTableModel)
        row = model.row_at(source_row)
        if self._extra is not None and not self._extra(row):
            return False
        if not self._words:
            return True
        hay = self._haystack(row)
        return all(word in hay for word in self._words)
