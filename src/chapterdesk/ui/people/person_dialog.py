"""Add or edit a person: name, organisation, job role (MTG-4), membership (ORG-5), contact
fields and consent (ROS-1). Checked with the same rules the service applies, so every problem
is marked on its field before anything is saved."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.domain.enums import JobRole, Membership, OrgCategory
from chapterdesk.domain.people import OrgFacts
from chapterdesk.domain.roster import PersonFields, Problem, person_problems
from chapterdesk.services.roster_views import OrganisationRow, PersonDetail, PersonDraft
from chapterdesk.ui.common.widgets import PlainLabel

ROLE_WORDS = {
    JobRole.TECHNICAL: "Technical",
    JobRole.FUNCTIONAL: "Functional",
    JobRole.SALES: "Sales / business development",
    JobRole.MANAGEMENT: "Management",
    JobRole.OTHER: "Other",
}
MEMBERSHIP_WORDS = {
    Membership.MEMBER: "Member",
    Membership.PROSPECT: "Prospect",
    Membership.NONE: "None (partner or Microsoft)",
}
CATEGORY_WORDS = {
    OrgCategory.CUSTOMER: "customer",
    OrgCategory.PARTNER: "partner",
    OrgCategory.MICROSOFT: "Microsoft",
}
_ERROR_STYLE = "border: 2px solid #b91c1c;"


def org_facts_of(row: OrganisationRow) -> OrgFacts:
    d = row.draft
    return OrgFacts(d.name, d.category, d.uses_dynamics, d.excluded_kind)


class OptionalDate(QWidget):
    """A date that may be left empty: a check box turns the date on."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enabled = QCheckBox(label)
        self.edit = QDateEdit(QDate.currentDate())
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setEnabled(False)
        self.enabled.toggled.connect(self.edit.setEnabled)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.enabled)
        row.addWidget(self.edit, 1)

    def value(self) -> date | None:
        if not self.enabled.isChecked():
            return None
        d = self.edit.date()
        return date(d.year(), d.month(), d.day())

    def set_value(self, value: date | None) -> None:
        self.enabled.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(QDate(value.year, value.month, value.day))


class PersonDialog(QDialog):
    """``detail`` None adds a person. An existing person's organisation is changed with
    “Move to organisation…” (its consequences are shown first), so here it is read-only."""

    def __init__(
        self,
        organisations: list[OrganisationRow],
        detail: PersonDetail | None = None,
        *,
        contact_visible: bool = True,
        preset_organisation: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit person") if detail else self.tr("Add a person"))
        self._orgs = {o.id: o for o in organisations}
        self._detail = detail
        self._contact = contact_visible

        self.first = QLineEdit()
        self.last = QLineEdit()
        self.organisation = QComboBox()
        self.organisation.setEditable(False)
        for org in organisations:
            excluded = self.tr(", excluded (ORG-4)") if org.draft.excluded_kind else ""
            self.organisation.addItem(
                f"{org.name} ({CATEGORY_WORDS[org.draft.category]}{excluded})", org.id
            )
        self.job_title = QLineEdit()
        self.job_role = QComboBox()
        for role, words in ROLE_WORDS.items():
            self.job_role.addItem(self.tr(words), role.value)
        self.job_role.setToolTip(
            self.tr(
                "A partner in sales or business development needs a leader's approval to "
                "attend (MTG-4)."
            )
        )
        self.membership = QComboBox()
        for membership, words in MEMBERSHIP_WORDS.items():
            self.membership.addItem(self.tr(words), membership.value)
        self.member_since = OptionalDate(self.tr("known"))
        self.renewal = OptionalDate(self.tr("known"))
        self.email = QLineEdit()
        self.email.setPlaceholderText("name@company.com")
        self.phone = QLineEdit()
        self.consent = QCheckBox(self.tr("May receive chapter emails (ROS-3: never campaigns)"))
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(70)

        form = QFormLayout()
        form.addRow(self.tr("First name"), self.first)
        form.addRow(self.tr("Last name"), self.last)
        form.addRow(self.tr("Organisation"), self.organisation)
        form.addRow(self.tr("Job title"), self.job_title)
        form.addRow(self.tr("Job role"), self.job_role)
        form.addRow(self.tr("Membership"), self.membership)
        form.addRow(self.tr("Member since"), self.member_since)
        form.addRow(self.tr("Renewal date"), self.renewal)
        if contact_visible:
            form.addRow(self.tr("Email"), self.email)
            form.addRow(self.tr("Phone"), self.phone)
            form.addRow("", self.consent)
            form.addRow(self.tr("Notes"), self.notes)
        self.errors = PlainLabel()
        self.errors.setObjectName("personErrors")
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet("color: #b91c1c;")
        self.errors.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._try_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

        self._fields = {
            "first_name": self.first,
            "last_name": self.last,
            "organisation": self.organisation,
            "email": self.email,
            "phone": self.phone,
            "membership": self.membership,
            "member_since": self.member_since,
            "renewal_date": self.renewal,
        }
        self.organisation.currentIndexChanged.connect(self._organisation_chosen)
        if detail is not None:
            self._load(detail)
        else:  # a newcomer at a customer starts as a prospect (ORG-5)
            self.membership.setCurrentIndex(self.membership.findData(Membership.NONE.value))
            index = self.organisation.findData(preset_organisation) if preset_organisation else -1
            self.organisation.setCurrentIndex(index)
            self._organisation_chosen()

    def _load(self, detail: PersonDetail) -> None:
        d = detail.draft
        self.first.setText(d.first_name)
        self.last.setText(d.last_name)
        self.organisation.setCurrentIndex(self.organisation.findData(d.organisation_id))
        self.organisation.setEnabled(False)
        self.organisation.setToolTip(
            self.tr(
                "People change jobs: use “Move to organisation…” on the person, which shows "
                "what it changes for their upcoming registrations first."
            )
        )
        self.job_title.setText(d.job_title)
        self.job_role.setCurrentIndex(self.job_role.findData(d.job_role.value))
        self.membership.setCurrentIndex(self.membership.findData(d.membership.value))
        self.member_since.set_value(d.member_since)
        self.renewal.set_value(d.renewal_date)
        self.email.setText(d.email)
        self.phone.setText(d.phone)
        self.consent.setChecked(d.consent_email)
        self.notes.setPlainText(d.notes)

    def _organisation_chosen(self, _index: int = -1) -> None:
        """A customer's people are members or prospects, everyone else none (ORG-3, ORG-5):
        offer only what fits, and a newcomer at a customer starts as a prospect."""
        org = self._orgs.get(str(self.organisation.currentData()))
        customer = org is not None and org.draft.category is OrgCategory.CUSTOMER
        current = Membership(str(self.membership.currentData() or Membership.NONE.value))
        if customer and current is Membership.NONE:
            self.membership.setCurrentIndex(self.membership.findData(Membership.PROSPECT.value))
        elif org is not None and not customer:
            self.membership.setCurrentIndex(self.membership.findData(Membership.NONE.value))

    def draft(self) -> PersonDraft:
        return PersonDraft(
            first_name=self.first.text(),
            last_name=self.last.text(),
            organisation_id=str(self.organisation.currentData() or ""),
            job_title=self.job_title.text(),
            job_role=JobRole(str(self.job_role.currentData())),
            membership=Membership(str(self.membership.currentData())),
            member_since=self.member_since.value(),
            renewal_date=self.renewal.value(),
            email=self.email.text(),
            phone=self.phone.text(),
            consent_email=self.consent.isChecked(),
            notes=self.notes.toPlainText(),
        )

    def problems(self) -> list[Problem]:
        d = self.draft()
        org = self._orgs.get(d.organisation_id)
        return person_problems(
            PersonFields(
                d.first_name,
                d.last_name,
                d.email,
                d.phone,
                d.membership,
                d.member_since,
                d.renewal_date,
            ),
            org_facts_of(org) if org is not None else None,
        )

    def _try_accept(self) -> None:
        found = self.problems()
        for widget in self._fields.values():
            widget.setStyleSheet("")
        if not found:
            self.accept()
            return
        for problem in found:
            widget = self._fields.get(problem.field)
            if widget is not None:
                widget.setStyleSheet(_ERROR_STYLE)
        self.errors.setText("\n".join(f"• {p.text} ({p.rule})" for p in found))
        self.errors.show()
        first = self._fields.get(found[0].field)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
