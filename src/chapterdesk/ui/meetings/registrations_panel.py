"""The registrations of the selected meeting, with what a leader does to them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.domain.enums import OrgCategory, RegistrationStatus
from chapterdesk.services.views import AttendeeRow
from chapterdesk.ui.common.table import ROW_ROLE, Column, RowTableModel, SearchProxy
from chapterdesk.ui.common.widgets import PlainLabel


def tr(text: str) -> str:
    return QCoreApplication.translate("Registrations", text)


STATUS_LABELS = {
    RegistrationStatus.REGISTERED: tr("Registered"),
    RegistrationStatus.WAITLISTED: tr("Waiting list"),
    RegistrationStatus.PENDING_APPROVAL: tr("Awaiting approval (MTG-4)"),
    RegistrationStatus.ESCORT_NEEDED: tr("ESCORT NEEDED (ESC-4)"),
    RegistrationStatus.CANCELLED: tr("Cancelled"),
}


def _kind(a: AttendeeRow) -> str:
    if a.category is OrgCategory.PARTNER:
        return tr("Partner (vendor)")
    if a.category is OrgCategory.MICROSOFT:
        return tr("Microsoft")
    return tr("Member") if a.membership.value == "member" else tr("Prospect")


PROBLEM_LABELS = {
    "ESC-1": tr("NO ESCORT (ESC-1)"),
    "ESC-4": tr("ESCORT NEEDED (ESC-4)"),
    "ORG-4": tr("EXCLUDED ORGANISATION (ORG-4)"),
}


def _problem(a: AttendeeRow) -> bool:
    return bool(a.problem)


def _status(a: AttendeeRow) -> str:
    if a.problem and a.problem not in PROBLEM_LABELS:  # flagged by a roster change
        return f"⚑ {a.problem} · {STATUS_LABELS[a.status]}"
    return PROBLEM_LABELS.get(a.problem, STATUS_LABELS[a.status])


# Problems first, then people who still need something, then the settled ones.
_STATUS_ORDER = {
    RegistrationStatus.ESCORT_NEEDED: 0,
    RegistrationStatus.PENDING_APPROVAL: 1,
    RegistrationStatus.WAITLISTED: 2,
    RegistrationStatus.REGISTERED: 3,
    RegistrationStatus.CANCELLED: 4,
}


COLUMNS: list[Column[AttendeeRow]] = [
    Column(
        tr("Name"),
        lambda a: a.full_name,
        key=lambda a: (a.last_name.casefold(), a.first_name.casefold()),
    ),
    Column(tr("Organisation"), lambda a: a.organisation),
    Column(tr("Type"), _kind),
    Column(
        tr("Status"),
        _status,
        warning=_problem,
        key=lambda a: (0 if a.problem else 1, _STATUS_ORDER[a.status], a.last_name.casefold()),
        tooltip=lambda a: a.note if a.problem else "",
    ),
    Column(
        tr("Escort"),
        lambda a: a.escort_name + (" ⓘ" if a.note and not a.problem else ""),
        tooltip=lambda a: a.note if not a.problem else "",
    ),
    Column(tr("Code"), lambda a: a.code),
]


class RegistrationsPanel(QWidget):
    """Emits a request signal per action; the page runs it through the desk."""

    register_requested = Signal()
    cancel_requested = Signal(str)
    restore_requested = Signal(str)
    approve_requested = Signal(str)
    escort_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: RowTableModel[AttendeeRow] = RowTableModel(
            COLUMNS, muted=lambda a: a.status is RegistrationStatus.CANCELLED
        )
        self.proxy = SearchProxy(lambda a: a.search_text)
        self.proxy.setSourceModel(self.model)
        self.heading = PlainLabel(self.tr("Select a meeting to see its registrations."))
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)  # problems first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())

        self.register_button = QPushButton(self.tr("&Register…"))
        self.cancel_button = QPushButton(self.tr("Ca&ncel"))
        self.cancel_button.setToolTip(
            self.tr(
                "Cancel the selected registration: the waiting list moves up (MTG-3) and partners "
                "it escorted need a new escort (ESC-4)."
            )
        )
        self.restore_button = QPushButton(self.tr("Re&store"))
        self.restore_button.setToolTip(self.tr("Undo a cancellation (a place if one is free)."))
        self.approve_button = QPushButton(self.tr("A&pprove"))
        self.approve_button.setToolTip(self.tr("Approve a sales-role partner (MTG-4)."))
        self.escort_button = QPushButton(self.tr("&Escort…"))
        self.escort_button.setToolTip(
            self.tr("Name the customer who escorts this partner (ESC-1).")
        )
        self.register_button.clicked.connect(self.register_requested)
        for button, signal in (
            (self.cancel_button, self.cancel_requested),
            (self.restore_button, self.restore_requested),
            (self.approve_button, self.approve_requested),
            (self.escort_button, self.escort_requested),
        ):
            button.clicked.connect(lambda _c=False, s=signal: self._emit_for_selected(s))
        buttons = QHBoxLayout()
        for button in (
            self.register_button,
            self.cancel_button,
            self.restore_button,
            self.approve_button,
            self.escort_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.set_meeting(None, [])

    def set_meeting(self, title: str | None, rows: list[AttendeeRow]) -> None:
        self.model.set_rows(rows)
        self.register_button.setEnabled(title is not None)
        if title is None:
            self.heading.setText(self.tr("Select a meeting to see its registrations."))
        else:
            problems = sorted({r.problem for r in rows if r.problem})
            text = self.tr("Registrations for {title}: {n}").format(title=title, n=len(rows))
            if problems:
                text += self.tr(" — {k} to resolve ({rules})").format(
                    k=sum(1 for r in rows if r.problem), rules=", ".join(problems)
                )
            self.heading.setText(text)
        self._update_buttons()

    def selected(self) -> AttendeeRow | None:
        index = self.table.selectionModel().currentIndex()
        row: AttendeeRow | None = index.data(ROW_ROLE) if index.isValid() else None
        return row

    def _emit_for_selected(self, signal: Signal) -> None:
        row = self.selected()
        if row is not None:
            signal.emit(row.registration_id)  # type: ignore[attr-defined]

    def _update_buttons(self) -> None:
        row = self.selected()
        status = row.status if row else None
        self.cancel_button.setEnabled(
            row is not None and status is not RegistrationStatus.CANCELLED
        )
        self.restore_button.setEnabled(status is RegistrationStatus.CANCELLED)
        self.approve_button.setEnabled(status is RegistrationStatus.PENDING_APPROVAL)
        self.escort_button.setEnabled(
            row is not None
            and row.category is OrgCategory.PARTNER
            and status is not RegistrationStatus.CANCELLED
        )
