"""People page: the chapter roster with organisation and category (ORG-1, ORG-5), and the
leader's roster export (ROS-4)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.domain.enums import Membership, OrgCategory
from chapterdesk.domain.search import TextIndex
from chapterdesk.domain.text import fold
from chapterdesk.domain.violations import NotFound, PermissionDenied, RuleViolation
from chapterdesk.services.views import PersonRow
from chapterdesk.ui.common.forms import DeskRun
from chapterdesk.ui.common.table import ROW_ROLE
from chapterdesk.ui.common.table_page import TablePage
from chapterdesk.ui.common.widgets import PlainLabel
from chapterdesk.ui.people.export_dialog import PDF, ExportDialog, ask_export_path
from chapterdesk.ui.people.model import CATEGORY_LABELS, make_model

if TYPE_CHECKING:  # the services pull in SQLAlchemy: only for type checking here
    from chapterdesk.services.desk import Desk
    from chapterdesk.services.exports import ExportOptions

log = logging.getLogger(__name__)


_CATEGORIES: list[OrgCategory | None] = [None, *OrgCategory]
_MEMBERSHIPS: list[Membership | None] = [None, Membership.MEMBER, Membership.PROSPECT]
# Attendance filter: (label, months) — 0 any, -1 never came, -2 flagged registrations.
_ATTENDANCE = [
    ("Any attendance", 0),
    ("Came in the last 3 months", 3),
    ("Came in the last 6 months", 6),
    ("Came in the last 12 months", 12),
    ("Came in the last 24 months", 24),
    ("Never came", -1),
    ("With flagged registrations ⚑", -2),
]


def months_ago(today: date, months: int) -> date:
    """The same day ``months`` earlier (the month's last day when it has fewer days)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    for day in range(today.day, 27, -1):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return date(year, month, min(today.day, 28))


class PeoplePage(TablePage[PersonRow]):
    """Lists people; the window feeds it rows through :meth:`set_rows`, binds a desk call and
    the chapter with :meth:`bind`, and says with :meth:`set_can_export` whether the signed-in
    person may export (leaders only: volunteers and partners never see the button)."""

    notice = Signal(str)  # where an export went, for the status bar
    exported = Signal(str)  # the path of a finished export (tests)
    add_requested = Signal()  # "Add person…" (Ctrl+N)
    import_requested = Signal()  # "Import…": the membership portal's export
    person_selected = Signal(str)  # person id, or "" when nothing is selected

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("People"),
            make_model(),
            lambda p: p.search_text,
            self.tr("Search by name, organisation or email…"),
            [self.tr("Everyone"), *(CATEGORY_LABELS[c] for c in OrgCategory)],
            None,  # the page filters its rows itself (apply_filter): 100,000 of them
            parent,
        )
        self._all: list[PersonRow] = []
        self._index = TextIndex([])
        self.model.layoutChanged.connect(self._resort)
        self._call: DeskRun | None = None
        self._chapter_id: str | None = None
        self._can_export = False
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((190, 220, 110, 95, 170, 220, 95, 40)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        # Second row of filters: membership (ORG-5), organisation, attendance.
        self.membership_filter = QComboBox()
        self.membership_filter.setObjectName("membershipFilter")
        self.membership_filter.addItems(
            [self.tr("Members and prospects"), self.tr("Members"), self.tr("Prospects")]
        )
        self.membership_filter.setAccessibleName(self.tr("Membership"))
        self.organisation_filter = QComboBox()
        self.organisation_filter.setObjectName("organisationFilter")
        self.organisation_filter.setAccessibleName(self.tr("Organisation"))
        self.organisation_filter.setMinimumContentsLength(22)
        self.organisation_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.organisation_filter.addItem(self.tr("Any organisation"), "")
        self.attendance_filter = QComboBox()
        self.attendance_filter.setObjectName("attendanceFilter")
        self.attendance_filter.setAccessibleName(self.tr("Attendance"))
        for label, months in _ATTENDANCE:
            self.attendance_filter.addItem(self.tr(label), months)
        for box in (self.membership_filter, self.organisation_filter, self.attendance_filter):
            box.currentIndexChanged.connect(self._on_choice)
        self.add_button = QPushButton(self.tr("&Add person…"))
        self.add_button.setObjectName("addPerson")
        self.add_button.setToolTip(self.tr("Put someone new on the roster (Ctrl+N)."))
        self.add_button.clicked.connect(self.add_requested.emit)
        self.add_shortcut = QShortcut(QKeySequence.StandardKey.New, self)
        self.add_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.add_shortcut.activated.connect(self.add_requested.emit)
        filters = QHBoxLayout()
        filters.addWidget(PlainLabel(self.tr("Show:")))
        filters.addWidget(self.membership_filter)
        filters.addWidget(self.organisation_filter, 1)
        filters.addWidget(self.attendance_filter)
        filters.addWidget(self.add_button)
        self.import_button = QPushButton(self.tr("&Import…"))
        self.import_button.setObjectName("importMembers")
        self.import_button.setToolTip(
            self.tr(
                "Add members from the membership portal's CSV or Excel export, with a "
                "preview of every row first."
            )
        )
        self.import_button.clicked.connect(self.import_requested.emit)
        filters.addWidget(self.import_button)

        self.export_button = QPushButton(self.tr("&Export…"))
        self.export_button.setObjectName("exportRoster")
        self.export_button.setToolTip(
            self.tr(
                "Print or save the roster as PDF or CSV (Ctrl+E). Leaders only; asks for a "
                "purpose, marks every page confidential and is recorded (ROS-4)."
            )
        )
        self.export_button.clicked.connect(self.export_roster)
        self.export_shortcut = QShortcut(QKeySequence("Ctrl+E"), self)
        self.export_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.export_shortcut.activated.connect(self.export_roster)
        self.export_status = PlainLabel()
        self.export_status.setObjectName("exportStatus")
        self.export_status.setWordWrap(True)
        self.export_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        bar = layout.itemAt(1).layout()  # TablePage: title, search bar, table, summary
        bar.addWidget(self.export_button)
        layout.insertLayout(2, filters)
        layout.addWidget(self.export_status)
        self.set_can_export(False)
        self.set_can_edit(False)

    # ------------------------------------------------------------------ filters
    def _filter_test(self) -> Callable[[PersonRow], bool] | None:
        """One test for the current choices, read from the boxes once per change (never per
        row); None when every box says "any"."""
        tests: list[Callable[[PersonRow], bool]] = []
        category = _CATEGORIES[max(0, self.choice.currentIndex())]
        if category is not None:
            tests.append(lambda r: r.category is category)
        membership = _MEMBERSHIPS[max(0, self.membership_filter.currentIndex())]
        if membership is not None:
            tests.append(lambda r: r.membership is membership)
        org = str(self.organisation_filter.currentData() or "")
        if org:
            tests.append(lambda r: r.organisation_id == org)
        months = int(self.attendance_filter.currentData() or 0)
        if months == -1:
            tests.append(lambda r: r.attended == 0)
        elif months == -2:
            tests.append(lambda r: r.flagged > 0)
        elif months > 0:
            since = months_ago(date.today(), months)
            tests.append(lambda r: r.last_attended is not None and r.last_attended >= since)
        if not tests:
            return None
        if len(tests) == 1:
            return tests[0]
        return lambda r: all(t(r) for t in tests)

    def apply_filter(self, *, query_changed: bool) -> None:
        """The rows whose search text holds every word typed (the check-in desk's rule, found
        with an index: fast on 100,000 people) and that pass the boxes, handed to the table."""
        del query_changed
        rows = self._all
        hits = self._index.search(self.search.text())
        shown = rows if len(hits) == len(rows) else [rows[i] for i in hits]
        test = self._filter_test()
        if test is not None:
            shown = [r for r in shown if test(r)]
        self.model.set_rows(shown, presorted=True)  # a subset of the sorted roster
        self.update_summary()

    def _resort(self) -> None:
        """The table was sorted by another column: the whole roster follows, so the next
        keystroke's subset is in order without sorting it again."""
        self._all = self.model.sorted_copy(self._all)
        self._index = TextIndex([r.search_text for r in self._all])

    def set_rows(self, rows: Sequence[PersonRow]) -> None:
        """New rows; the organisation filter offers the organisations they name."""
        chosen = self.organisation_filter.currentData()
        names = sorted({(fold(r.organisation), r.organisation, r.organisation_id) for r in rows})
        self.organisation_filter.blockSignals(True)
        self.organisation_filter.clear()
        self.organisation_filter.addItem(self.tr("Any organisation"), "")
        for _key, name, org_id in names:
            self.organisation_filter.addItem(name, org_id)
        self.organisation_filter.setCurrentIndex(max(0, self.organisation_filter.findData(chosen)))
        self.organisation_filter.blockSignals(False)
        self._all = self.model.sorted_copy(rows)
        self._index = TextIndex([r.search_text for r in self._all])
        self.apply_filter(query_changed=True)

    def all_rows(self) -> list[PersonRow]:
        return list(self._all)

    def set_can_edit(self, allowed: bool) -> None:
        """Leaders and co-leaders keep the roster (EDIT_ROSTER); the service refuses others."""
        self.add_button.setVisible(allowed)
        self.import_button.setVisible(allowed)
        self.add_shortcut.setEnabled(allowed)

    def select_person(self, person_id: str) -> bool:
        for r in range(self.proxy.rowCount()):
            row = self.proxy.index(r, 0).data(ROW_ROLE)
            if row is not None and row.id == person_id:
                self.table.selectRow(r)
                self.table.scrollTo(self.proxy.index(r, 0))
                return True
        return False

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.row_of(current) if current.isValid() else None
        self.person_selected.emit(row.id if row is not None else "")

    # ------------------------------------------------------------------ wiring
    def bind(self, call: DeskRun, chapter_id: str | None) -> None:
        """Called by the window when the store is open and whenever the chapter changes."""
        self._call = call
        self._chapter_id = chapter_id
        self._update_export()

    def set_can_export(self, allowed: bool) -> None:
        """Show the export button and shortcut only to those who may export (ROS-4); the
        service refuses everyone else regardless."""
        self._can_export = allowed
        self.export_button.setVisible(allowed)
        self.export_shortcut.setEnabled(allowed)
        self._update_export()

    def _update_export(self) -> None:
        self.export_button.setEnabled(
            self._can_export and self._call is not None and self._chapter_id is not None
        )

    # ------------------------------------------------------------------ export
    def export_roster(self) -> None:
        """Ask what to export and why, then where; write it in a worker."""
        call, chapter = self._call, self._chapter_id
        if not self._can_export or call is None or chapter is None:
            return
        call(lambda d: d.roster_export_options(chapter), self._ask_and_export)

    def _ask_and_export(self, options: ExportOptions) -> None:
        call, chapter = self._call, self._chapter_id
        if call is None or chapter != options.chapter_id:
            return  # the chapter changed while the options loaded
        dialog = ExportDialog(options, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        choice = dialog.choice()
        name = f"roster {options.chapter_name} {date.today().isoformat()}"
        target = ask_export_path(self, choice.kind, name)
        if target is None:
            return
        self.export_status.setText(self.tr("Exporting the roster…"))

        def write(desk: Desk) -> int:
            return desk.export_roster(chapter, choice.purpose, choice.fields, choice.kind, target)

        call(
            write,
            lambda n: self._exported(n, target, choice.kind),
            lambda exc: self._export_failed(exc, target),
        )

    def _exported(self, people: int, target: Path, kind: str) -> None:
        text = self.tr(
            "Roster of {n} people saved to {path} — marked confidential and recorded in the "
            "audit trail (ROS-4). Delete the file when you no longer need it."
        ).format(n=people, path=target)
        self.export_status.setText(text)
        self.notice.emit(text)
        self.exported.emit(str(target))
        if kind == PDF:  # the system viewer prints it
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def _export_failed(self, exc: BaseException, target: Path) -> None:
        """Say why nothing was exported. Refusals and file errors are sentences that name the
        rule or the file; anything else is logged by type only, since an exception raised
        while writing may quote the rows, and contact data never goes to the log file."""
        if isinstance(exc, RuleViolation | PermissionDenied | NotFound):
            reason = str(exc)
        elif isinstance(exc, OSError):
            reason = self.tr("{path} could not be written ({why}).").format(
                path=target, why=exc.strerror or type(exc).__name__
            )
        else:
            log.error("roster export failed: %s", type(exc).__name__)
            reason = self.tr("an unexpected error ({kind}); no file was written").format(
                kind=type(exc).__name__
            )
        text = self.tr("The roster was not exported: {reason}").format(reason=reason)
        self.export_status.setText(text)
        self.notice.emit(text)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Export the roster"),
            text,
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()

    def update_summary(self) -> None:
        self.summary.setText(
            self.tr("{shown} of {total} people").format(
                shown=self.proxy.rowCount(), total=len(self._all)
            )
        )
