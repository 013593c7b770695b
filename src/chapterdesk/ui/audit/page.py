"""Audit page: who did what, when — filtered, sorted, exported where the leader chooses, and
the way into the retention purge (ROS-1, ROS-4)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QEvent,
    QObject,
    QStandardPaths,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.ui.audit.purge_dialog import PurgeDialog
from chapterdesk.ui.common.forms import DeskRun
from chapterdesk.ui.common.table import ROW_ROLE, Column, RowTableModel, SearchProxy
from chapterdesk.ui.common.widgets import PlainLabel, page_title

if TYPE_CHECKING:  # the services pull in SQLAlchemy: only for type checking here
    from chapterdesk.services.audit import AuditFilter, AuditKind, AuditRow


NO_DATE = QDate(2000, 1, 1)  # the date edits' "any day": shown as the special value text
SHOWN_LIMIT = 1000  # services.audit.AUDIT_LIMIT, without importing the services here
TYPING_PAUSE_MS = 250


def tr(text: str) -> str:
    return QCoreApplication.translate("Audit", text)


def audit_model() -> RowTableModel[AuditRow]:
    return RowTableModel(
        [
            Column(
                tr("When"),
                lambda r: r.at.astimezone().strftime("%Y-%m-%d %H:%M"),
                key=lambda r: r.at,
                tooltip=lambda r: r.at.astimezone().isoformat(timespec="seconds"),
            ),
            Column(tr("Who"), lambda r: r.actor_name),
            Column(tr("What"), lambda r: r.label, tooltip=lambda r: r.action),
            Column(tr("Details"), lambda r: r.summary, tooltip=lambda r: r.summary),
        ]
    )


class DayEdit(QDateEdit):
    """A day, or "Any day" (the minimum date). Its calendar opens on this month rather than on
    the "any day" placeholder's January 2000."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(NO_DATE)
        self.setSpecialValueText(self.tr("Any day"))
        self.setDate(NO_DATE)
        self.setAccessibleName(name)
        self.setMinimumWidth(120)
        self.calendarWidget().installEventFilter(self)

    def day(self) -> date | None:
        value = self.date()
        if value == self.minimumDate():
            return None
        day: date = value.toPython()  # type: ignore[assignment]
        return day

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Show and self.day() is None:
            today = QDate.currentDate()
            self.calendarWidget().setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)


class AuditPage(QWidget):
    """The window binds a desk call and the chapter; the page loads the rows itself."""

    changed = Signal()  # the page wrote data (a purge, or the export's audit event)
    notice = Signal(str)
    loaded = Signal()  # rows (re)loaded: for tests

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._run: DeskRun | None = None
        self._chapter_id: str | None = None
        self._request = 0
        self._may_purge = False
        self.dialog: PurgeDialog | None = None

        self.export_button = QPushButton(self.tr("&Export…"))
        self.export_button.setToolTip(
            self.tr("Save the events listed (all of them, not only the first screenful) as CSV.")
        )
        self.purge_button = QPushButton(self.tr("&Purge old data…"))
        self.purge_button.setToolTip(
            self.tr(
                "Clear contact data of prospects who never joined, and check-in detail of old "
                "meetings, after the chapter's retention period (ROS-1). You see a preview first."
            )
        )
        self.export_button.clicked.connect(self.choose_export_file)
        self.purge_button.clicked.connect(self.open_purge)
        actions = QHBoxLayout()
        actions.addWidget(self.export_button)
        actions.addWidget(self.purge_button)
        actions.addStretch(1)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search who, what or details…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search the audit trail"))
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._typing.start())
        self.search.returnPressed.connect(self.reload)

        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("What"))
        self.kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.kind.addItem(self.tr("All actions"), "")
        self.kind.currentIndexChanged.connect(lambda _i: self.reload())
        self.since = DayEdit(self.tr("From"))
        self.until = DayEdit(self.tr("To"))
        self.since.dateChanged.connect(lambda _d: self.reload())
        self.until.dateChanged.connect(lambda _d: self.reload())
        self.clear_button = QPushButton(self.tr("Clear filters"))
        self.clear_button.clicked.connect(self.clear_filters)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(PlainLabel(self.tr("What:")))
        filters.addWidget(self.kind)
        filters.addWidget(PlainLabel(self.tr("From:")))
        filters.addWidget(self.since)
        filters.addWidget(PlainLabel(self.tr("To:")))
        filters.addWidget(self.until)
        filters.addWidget(self.clear_button)

        self.model = audit_model()
        self.proxy = SearchProxy(lambda _row: "")  # sorting only: the service filters
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((140, 170, 210)):
            self.table.setColumnWidth(column, width)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)

        self.summary = PlainLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("Audit")))
        layout.addLayout(actions)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.setFocusProxy(self.search)
        self._update_buttons()

    # ------------------------------------------------------------------ wiring
    def bind(self, run: DeskRun, chapter_id: str | None) -> None:
        """Show ``chapter_id``'s trail, loading through ``run`` (``MainWindow.run``)."""
        self._run = run
        if chapter_id != self._chapter_id:
            self._may_purge = False
        self._chapter_id = chapter_id
        self._update_buttons()
        if chapter_id is None:
            self.model.set_rows([])
            return

        def show(result: tuple[list[AuditKind], bool]) -> None:
            kinds, may_purge = result
            if chapter_id != self._chapter_id:
                return
            self._set_kinds(kinds)
            self._may_purge = may_purge
            self._update_buttons()

        run(lambda d: (d.audit_kinds(chapter_id), d.may_purge(chapter_id)), show)
        self.reload()

    def filters(self) -> AuditFilter:
        from chapterdesk.services.audit import AuditFilter

        return AuditFilter(
            text=self.search.text().strip(),
            action=str(self.kind.currentData() or ""),
            since=self.since.day(),
            until=self.until.day(),
        )

    def reload(self) -> None:
        run, chapter = self._run, self._chapter_id
        if run is None or chapter is None:
            return
        self._typing.stop()
        self._request += 1
        request = self._request
        wanted = self.filters()

        def show(rows: list[AuditRow]) -> None:
            if request != self._request:
                return  # an answer to filters the leader has changed since
            self.model.set_rows(rows)
            self._update_summary(len(rows))
            self._update_buttons()
            self.loaded.emit()

        run(lambda d: d.audit_rows(chapter, wanted, SHOWN_LIMIT), show)

    def clear_filters(self) -> None:
        for widget in (self.search, self.kind, self.since, self.until):
            widget.blockSignals(True)
        self.search.clear()
        self.kind.setCurrentIndex(0)
        self.since.setDate(NO_DATE)
        self.until.setDate(NO_DATE)
        for widget in (self.search, self.kind, self.since, self.until):
            widget.blockSignals(False)
        self.reload()

    def rows(self) -> list[AuditRow]:
        """The rows in the order shown (for tests and the export's count)."""
        return [self.proxy.index(r, 0).data(ROW_ROLE) for r in range(self.proxy.rowCount())]

    # ----------------------------------------------------------------- display
    def _set_kinds(self, kinds: list[AuditKind]) -> None:
        current = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItem(self.tr("All actions"), "")
        for kind in kinds:
            self.kind.addItem(kind.label, kind.action)
        index = self.kind.findData(current)
        self.kind.setCurrentIndex(max(index, 0))
        self.kind.blockSignals(False)

    def _update_summary(self, shown: int) -> None:
        if shown >= SHOWN_LIMIT:
            text = self.tr(
                "Showing the newest {n} events. Narrow the search or the dates to see older "
                "ones; Export… saves every matching event."
            ).format(n=f"{shown:,}")
        elif shown == 1:
            text = self.tr("1 event")
        else:
            text = self.tr("{n} events").format(n=f"{shown:,}")
        self.summary.setText(text)

    def _update_buttons(self) -> None:
        bound = self._run is not None and self._chapter_id is not None
        self.export_button.setEnabled(bound and self.model.rowCount() > 0)
        self.purge_button.setEnabled(bound and self._may_purge)
        self.purge_button.setVisible(self._may_purge or not bound)

    # ------------------------------------------------------------------ export
    def choose_export_file(self) -> None:
        """Ask what the export is for (the trail names people: ROS-4), then where it goes."""
        if self._chapter_id is None:
            return
        from chapterdesk.services.exports import MIN_PURPOSE_LENGTH  # loaded with the desk
        from chapterdesk.ui.common.purpose import PurposeDialog

        dialog = PurposeDialog(
            self.tr("Audit export — purpose"),
            self.tr("What is the export of the audit trail for?"),
            "",
            MIN_PURPOSE_LENGTH,
            self,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        purpose = dialog.purpose.purpose()
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = Path(folder) / f"audit-{date.today().isoformat()}.csv"
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export the audit trail"), str(suggested), self.tr("CSV files (*.csv)")
        )
        if name:
            path = Path(name if name.lower().endswith(".csv") else f"{name}.csv")
            self.export_to(path, purpose)

    def export_to(self, path: Path, purpose: str) -> None:
        """Write the listed events (without the screen limit) to ``path`` in a worker."""
        run, chapter = self._run, self._chapter_id
        if run is None or chapter is None:
            return
        wanted = self.filters()
        safe_name = re.sub(r"\s+", " ", path.name)

        def done(count: int) -> None:
            self.notice.emit(
                self.tr("Exported {n} audit events to {file}.").format(n=count, file=safe_name)
            )
            self.changed.emit()
            self.reload()

        run(lambda d: d.export_audit(chapter, wanted, purpose, path), done)

    # ------------------------------------------------------------------- purge
    def open_purge(self) -> PurgeDialog | None:
        """The preview, in a window-modal dialog that does not block (``open``)."""
        run, chapter = self._run, self._chapter_id
        if run is None or chapter is None or not self._may_purge:
            return None
        dialog = PurgeDialog(run, chapter, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.purged.connect(self._after_purge)
        dialog.destroyed.connect(lambda _o=None: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _after_purge(self, message: str) -> None:
        self.notice.emit(message)
        self.changed.emit()
        self.reload()
