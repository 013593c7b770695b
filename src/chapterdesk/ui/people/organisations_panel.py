"""Organisations tab of the People page: category (ORG-1), partner that also uses Dynamics
(ORG-2), excluded kind (ORG-4), head counts, and each customer's partner of record per product
line (seed 004, CND-2)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.domain.enums import ExcludedKind, OrgCategory
from chapterdesk.domain.people import EXCLUDED_KIND_LABELS
from chapterdesk.services.organisations import PRODUCT_LINES
from chapterdesk.services.roster_views import OrganisationDraft, OrganisationRow
from chapterdesk.ui.common.forms import FormDialog, fill_table, new_table, selected_key
from chapterdesk.ui.common.widgets import PlainLabel
from chapterdesk.ui.people.person_dialog import CATEGORY_WORDS, OptionalDate


def _pors(row: OrganisationRow) -> str:
    return "; ".join(f"{r.product_line}: {r.partner}" for r in row.partners_of_record)


class OrganisationDialog(FormDialog):
    def __init__(self, row: OrganisationRow | None, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Edit organisation") if row else self.tr("Add an organisation"), parent
        )
        self.name = self.line(self.tr("Name"))
        self.category = self.combo(
            self.tr("Category (ORG-1)"),
            [
                (self.tr("Customer — uses Dynamics"), OrgCategory.CUSTOMER.value),
                (self.tr("Partner — sells Dynamics or services"), OrgCategory.PARTNER.value),
                (self.tr("Microsoft"), OrgCategory.MICROSOFT.value),
            ],
        )
        self.uses_dynamics = QCheckBox(
            self.tr("Also uses Dynamics internally (stays a partner, ORG-2)")
        )
        self.form.addRow("", self.uses_dynamics)
        self.excluded = self.combo(
            self.tr("Excluded kind (ORG-4)"),
            [(self.tr("Not excluded"), "")]
            + [(self.tr(EXCLUDED_KIND_LABELS[k]).capitalize(), k.value) for k in ExcludedKind],
        )
        self.excluded.setToolTip(
            self.tr("Excluded organisations can never be partners or attend as partners.")
        )
        self.website = self.line(self.tr("Website"))
        self.category.currentIndexChanged.connect(self._category_chosen)
        if row is not None:
            d = row.draft
            self.name.setText(d.name)
            self.category.setCurrentIndex(self.category.findData(d.category.value))
            self.uses_dynamics.setChecked(d.uses_dynamics)
            self.excluded.setCurrentIndex(
                self.excluded.findData(d.excluded_kind.value if d.excluded_kind else "")
            )
            self.website.setText(d.website)
        self._category_chosen()

    def _category_chosen(self, _index: int = -1) -> None:
        partner = self.category.currentData() == OrgCategory.PARTNER.value
        self.uses_dynamics.setEnabled(partner)
        if not partner:
            self.uses_dynamics.setChecked(False)

    def draft(self) -> OrganisationDraft:
        excluded = str(self.excluded.currentData() or "")
        return OrganisationDraft(
            name=self.name.text(),
            category=OrgCategory(str(self.category.currentData())),
            uses_dynamics=self.uses_dynamics.isChecked(),
            excluded_kind=ExcludedKind(excluded) if excluded else None,
            website=self.website.text(),
        )


class PartnerOfRecordDialog(FormDialog):
    """Name the customer's partner of record for one product line (one per line)."""

    def __init__(
        self, customer: OrganisationRow, partners: list[OrganisationRow], parent: QWidget | None
    ) -> None:
        super().__init__(self.tr("Partner of record — {org}").format(org=customer.name), parent)
        note = PlainLabel(
            self.tr(
                "The partner Microsoft pays for serving this customer on a product line. "
                "Leaders see it when another partner brings this customer as escort: no "
                "luring customers from their incumbent partner (CND-2)."
            )
        )
        note.setWordWrap(True)
        self.form.insertRow(0, note)
        self.product = QComboBox()
        self.product.setEditable(True)
        self.product.addItems(list(PRODUCT_LINES))
        self.product.setCurrentText("")
        self.form.addRow(self.tr("Product line"), self.product)
        self.partner = self.combo(self.tr("Partner"), [(p.name, p.id) for p in partners])
        self.since = OptionalDate(self.tr("known"))
        self.form.addRow(self.tr("Since"), self.since)

    def values(self) -> tuple[str, str, date | None]:
        return self.product.currentText(), str(self.partner.currentData() or ""), self.since.value()


class OrganisationsPanel(QWidget):
    """The list; the page performs what the buttons ask for."""

    add_requested = Signal()
    edit_requested = Signal(str)
    record_requested = Signal(str)  # customer id: set a partner of record
    remove_record_requested = Signal(str)  # partner-of-record id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[OrganisationRow] = []
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Find an organisation…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._refill)
        self.table = new_table(
            [
                self.tr("Organisation"),
                self.tr("Category"),
                self.tr("Excluded (ORG-4)"),
                self.tr("People"),
                self.tr("Members"),
                self.tr("Partner of record (CND-2)"),
            ]
        )
        self.table.setObjectName("organisationsTable")
        self.table.setWordWrap(False)
        self.table.itemSelectionChanged.connect(self._selected)
        self.table.doubleClicked.connect(lambda _i: self._edit())
        self.add_button = QPushButton(self.tr("&Add organisation…"))
        self.add_button.setObjectName("addOrganisation")
        self.edit_button = QPushButton(self.tr("&Edit…"))
        self.edit_button.setObjectName("editOrganisation")
        self.record_button = QPushButton(self.tr("&Partner of record…"))
        self.record_button.setObjectName("partnerOfRecord")
        self.remove_record = QComboBox()
        self.remove_record.setObjectName("removeRecordChoice")
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setObjectName("removePartnerOfRecord")
        self.add_button.clicked.connect(self.add_requested.emit)
        self.edit_button.clicked.connect(self._edit)
        self.record_button.clicked.connect(self._record)
        self.remove_button.clicked.connect(self._remove)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.add_button)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.record_button)
        records = QHBoxLayout()
        records.addWidget(PlainLabel(self.tr("Partners of record:")))
        records.addWidget(self.remove_record, 1)
        records.addWidget(self.remove_button)
        self.summary = PlainLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(records)
        layout.addWidget(self.summary)
        self.set_editable(False)
        self._selected()

    def set_editable(self, allowed: bool) -> None:
        self._editable = allowed
        for w in (
            self.add_button,
            self.edit_button,
            self.record_button,
            self.remove_button,
            self.remove_record,
        ):
            w.setVisible(allowed)

    def set_rows(self, rows: list[OrganisationRow]) -> None:
        chosen = selected_key(self.table)
        self.rows = rows
        self._refill()
        if chosen:
            self.select(chosen)

    def select(self, organisation_id: str) -> None:
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == organisation_id:
                self.table.selectRow(r)
                return

    def _refill(self) -> None:
        words = self.search.text().casefold().split()
        shown = [r for r in self.rows if all(w in r.name.casefold() for w in words)]
        fill_table(
            self.table,
            [
                [
                    r.name,
                    CATEGORY_WORDS[r.draft.category]
                    + (
                        " (also uses Dynamics, ORG-2)"
                        if r.draft.uses_dynamics and r.draft.category is OrgCategory.PARTNER
                        else ""
                    ),
                    EXCLUDED_KIND_LABELS[r.draft.excluded_kind] if r.draft.excluded_kind else "",
                    str(r.people),
                    str(r.members) if r.draft.category is OrgCategory.CUSTOMER else "",
                    _pors(r),
                ]
                for r in shown
            ],
            [r.id for r in shown],
        )
        self.summary.setText(
            self.tr("{shown} of {total} organisations").format(
                shown=len(shown), total=len(self.rows)
            )
        )
        self._selected()

    def current(self) -> OrganisationRow | None:
        key = selected_key(self.table)
        return next((r for r in self.rows if r.id == key), None)

    def _selected(self) -> None:
        row = self.current()
        self.edit_button.setEnabled(row is not None)
        customer = row is not None and row.draft.category is OrgCategory.CUSTOMER
        self.record_button.setEnabled(customer)
        self.remove_record.clear()
        for r in row.partners_of_record if row is not None else []:
            self.remove_record.addItem(f"{r.product_line}: {r.partner}", r.id)
        self.remove_button.setEnabled(self.remove_record.count() > 0)

    def _edit(self) -> None:
        row = self.current()
        if row is not None and self._editable:
            self.edit_requested.emit(row.id)

    def _record(self) -> None:
        row = self.current()
        if row is not None:
            self.record_requested.emit(row.id)

    def _remove(self) -> None:
        data = self.remove_record.currentData()
        if data:
            self.remove_record_requested.emit(str(data))
