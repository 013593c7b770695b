"""Register someone from the roster for a meeting; a partner names their escort (ESC-1)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.domain.enums import OrgCategory
from chapterdesk.services.views import AttendeeRow, PersonRow
from chapterdesk.ui.common.table import ROW_ROLE, SearchProxy
from chapterdesk.ui.common.widgets import PlainLabel
from chapterdesk.ui.people.model import make_model


@dataclass(frozen=True)
class RegistrationChoice:
    person_id: str
    escort_registration_id: str | None = None
    inviting_customer_id: str | None = None  # register this customer too, as the escort


class RegisterDialog(QDialog):
    """Pick a person; for a partner, pick a registered customer as escort or name the
    inviting customer to register in the same step. The service checks every rule."""

    def __init__(
        self,
        meeting_title: str,
        people: list[PersonRow],
        attendees: list[AttendeeRow],
        partner_exclusive: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Register for {title}").format(title=meeting_title))
        self.setMinimumSize(720, 520)
        self._partner_exclusive = partner_exclusive
        registered = {a.person_id for a in attendees if a.status.value != "cancelled"}
        self._people = [p for p in people if p.id not in registered]
        self._customers = [
            p
            for p in self._people
            if p.category is OrgCategory.CUSTOMER and not p.excluded_organisation
        ]

        self.model = make_model()
        self.model.set_rows(self._people)
        self.proxy = SearchProxy(lambda p: p.search_text)
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Type a name or organisation…"))
        self.search.textChanged.connect(self.proxy.set_query)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for hidden in (3, 4, 5):  # membership, job title, email: not needed to pick someone
            self.table.hideColumn(hidden)
        self.table.selectionModel().currentRowChanged.connect(self._on_person)
        self.search.returnPressed.connect(lambda: self.table.selectRow(0))

        self.escort = QComboBox()
        self.escort.addItem(self.tr("— choose the customer who invited them —"), None)
        for a in sorted(attendees, key=lambda a: a.last_name.casefold()):
            if a.category is OrgCategory.CUSTOMER and a.status.value == "registered":
                self.escort.addItem(f"{a.full_name} — {a.organisation}", a.registration_id)
        self.inviter = QLineEdit()
        self.inviter.setPlaceholderText(self.tr("…or type the inviting customer to register too"))
        labels = [f"{c.full_name} — {c.organisation}" for c in self._customers]
        self._inviter_ids = dict(zip(labels, (c.id for c in self._customers), strict=True))
        completer = QCompleter(labels, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.inviter.setCompleter(completer)
        self.escort_note = PlainLabel()
        self.escort_note.setWordWrap(True)

        self.problem = PlainLabel()
        self.problem.setStyleSheet("color: #b91c1c")
        self.problem.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&Escort:"), self.escort)
        form.addRow("", self.inviter)
        form.addRow("", self.escort_note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Register"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self._set_escort_enabled(False)
        self.search.setFocus()

    def selected_person(self) -> PersonRow | None:
        index = self.table.selectionModel().currentIndex()
        person: PersonRow | None = index.data(ROW_ROLE) if index.isValid() else None
        return person

    def choice(self) -> RegistrationChoice | None:
        person = self.selected_person()
        if person is None:
            return None
        if person.category is not OrgCategory.PARTNER or self._partner_exclusive:
            return RegistrationChoice(person.id)
        inviter = self._inviter_ids.get(self.inviter.text().strip())
        if inviter:
            return RegistrationChoice(person.id, inviting_customer_id=inviter)
        return RegistrationChoice(person.id, escort_registration_id=self.escort.currentData())

    def _set_escort_enabled(self, enabled: bool) -> None:
        for widget in (self.escort, self.inviter):
            widget.setEnabled(enabled)

    def _on_person(
        self, current: QModelIndex | QPersistentModelIndex, _previous: object = None
    ) -> None:
        person: PersonRow | None = current.data(ROW_ROLE) if current.isValid() else None
        is_partner = person is not None and person.category is OrgCategory.PARTNER
        needs_escort = is_partner and not self._partner_exclusive
        self._set_escort_enabled(needs_escort)
        if needs_escort:
            self.escort_note.setText(
                self.tr(
                    "{name} is a partner: a registered customer who invited them must escort them "
                    "(ESC-1)."
                ).format(name=person.full_name if person else "")
            )
        elif is_partner:
            self.escort_note.setText(self.tr("Partner-exclusive meeting: no escort needed."))
        else:
            self.escort_note.setText("")

    def _check(self) -> None:
        choice = self.choice()
        if choice is None:
            self.problem.setText(self.tr("Pick the person to register."))
            return
        person = self.selected_person()
        needs_escort = (
            person is not None
            and person.category is OrgCategory.PARTNER
            and not self._partner_exclusive
        )
        if needs_escort and not (choice.escort_registration_id or choice.inviting_customer_id):
            self.problem.setText(
                self.tr(
                    "ESC-1 — a partner needs an escort: choose a registered customer, or type the "
                    "customer who invited them to register both."
                )
            )
            return
        self.accept()
