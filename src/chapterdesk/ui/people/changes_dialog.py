"""Show what a roster change will do before it is made: "2 upcoming registrations become
invalid: ORG-4", then each one by name. Used for an organisation's new category or exclusion
and for moving a person to another organisation. Nothing is applied until the leader says so."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.services.roster_views import ChangePreview, OrganisationRow
from chapterdesk.ui.common.widgets import PlainLabel
from chapterdesk.ui.people.person_dialog import CATEGORY_WORDS


def describe(preview: ChangePreview) -> str:
    if preview.empty:
        return ""
    return "\n".join(preview.lines)


class ChangesView(QWidget):
    """The counts by rule, then every change by name (flagged ones marked ⚑)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = PlainLabel()
        self.summary.setObjectName("changesSummary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: 600;")
        self.items = QListWidget()
        self.items.setObjectName("changesList")
        self.items.setWordWrap(True)
        self.items.setMinimumHeight(120)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.items, 1)

    def show_preview(self, preview: ChangePreview | None, nothing: str) -> None:
        self.items.clear()
        if preview is None:
            self.summary.setText(self.tr("Working out what changes…"))
            return
        if preview.empty:
            self.summary.setText(nothing)
            return
        self.summary.setText(describe(preview))
        for c in preview.consequences:
            item = QListWidgetItem(("⚑ " if c.flag else "• ") + c.text)
            item.setToolTip(c.rule)
            self.items.addItem(item)


class ConfirmChangesDialog(QDialog):
    """“Apply” or “Cancel” for a change whose consequences are already known."""

    def __init__(
        self, title: str, intro: str, preview: ChangePreview, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        text = PlainLabel(intro)
        text.setWordWrap(True)
        self.changes = ChangesView()
        self.changes.show_preview(preview, self.tr("Nothing else changes."))
        note = PlainLabel(
            self.tr(
                "Flagged registrations stay on the meeting and show ⚑ with the rule until "
                "a leader deals with them; nothing is deleted."
            )
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        apply = buttons.addButton(self.tr("Apply"), QDialogButtonBox.ButtonRole.AcceptRole)
        apply.setObjectName("applyChanges")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.changes, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.setMinimumSize(560, 320)


class MoveDialog(QDialog):
    """Choose the new organisation; what the move changes is shown as soon as it is known
    (``ask_preview(org_id, show)`` runs the service off the GUI thread)."""

    def __init__(
        self,
        person_name: str,
        current_organisation_id: str,
        organisations: list[OrganisationRow],
        ask_preview: Callable[[str, Callable[[ChangePreview], None]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Move {name} to another organisation").format(name=person_name))
        self._ask = ask_preview
        self.target = QComboBox()
        self.target.setObjectName("moveTarget")
        for org in organisations:
            if org.id != current_organisation_id:
                self.target.addItem(f"{org.name} ({CATEGORY_WORDS[org.draft.category]})", org.id)
        self.target.setCurrentIndex(-1)
        self.target.currentIndexChanged.connect(self._chosen)
        intro = PlainLabel(
            self.tr(
                "People change jobs. Past registrations keep the organisation {name} had "
                "then; upcoming ones move with them, so the escort and company-slot checks "
                "use the new one (ESC-1, MTG-5)."
            ).format(name=person_name)
        )
        intro.setWordWrap(True)
        self.changes = ChangesView()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.move_button = self.buttons.addButton(
            self.tr("Move"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.move_button.setObjectName("confirmMove")
        self.move_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("New organisation"), self.target)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.changes, 1)
        layout.addWidget(self.buttons)
        self.setMinimumSize(560, 340)
        self.changes.summary.setText(self.tr("Choose the organisation they work for now."))

    def organisation_id(self) -> str | None:
        data = self.target.currentData()
        return str(data) if data else None

    def _chosen(self, _index: int) -> None:
        org = self.organisation_id()
        self.move_button.setEnabled(False)
        if org is None:
            return
        self.changes.show_preview(None, "")

        def show(preview: ChangePreview) -> None:
            if self.organisation_id() != org:
                return  # another choice since
            self.changes.show_preview(
                preview, self.tr("Nothing else changes: no upcoming registration is affected.")
            )
            self.move_button.setEnabled(True)

        self._ask(org, show)
