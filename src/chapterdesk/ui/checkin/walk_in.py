"""Walk-in dialog: register someone at the door and check them in, in one step.

Customers and prospects only (MTG-2); the desk decides, and a refusal stays in the dialog with
its rule and fix so the leader can correct the form. People already on the roster are offered
first, so a walk-in does not create a second copy of someone the chapter knows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from chapterdesk.services.views import PersonRow, Verdict
from chapterdesk.ui.checkin.verdict import verdict_for_error
from chapterdesk.ui.common.widgets import PlainLabel

if TYPE_CHECKING:
    from chapterdesk.ui.checkin.page import DeskCall

ROSTER_LIMIT = 5


class WalkInDialog(QDialog):
    """Emits ``registered(Verdict)`` once the desk registered (and tried to check in) the
    person."""

    registered = Signal(object)

    def __init__(
        self,
        desk_call: DeskCall,
        meeting_id: str,
        chapter_id: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk_call = desk_call
        self._meeting_id = meeting_id
        self._chapter_id = chapter_id
        self._lookups = 0
        self._busy = False
        self.setWindowTitle(self.tr("Walk-in"))
        self.setMinimumWidth(460)

        intro = PlainLabel(
            self.tr(
                "Register someone who is not on the list and check them in. Customers and "
                "prospects only: partners register in advance (MTG-2)."
            )
        )
        intro.setWordWrap(True)

        self.first_name = QLineEdit()
        self.last_name = QLineEdit()
        self.organisation = QLineEdit()
        self.email = QLineEdit()
        self.email.setPlaceholderText(self.tr("optional"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for label, field, name in (
            (self.tr("&First name:"), self.first_name, self.tr("First name")),
            (self.tr("&Last name:"), self.last_name, self.tr("Last name")),
            (self.tr("&Organisation:"), self.organisation, self.tr("Organisation")),
            (self.tr("&Email:"), self.email, self.tr("Email (optional)")),
        ):
            field.setAccessibleName(name)
            field.textChanged.connect(self._on_edited)
            form.addRow(label, field)

        self.roster_label = PlainLabel(self.tr("Already on the roster? Pick them instead:"))
        self.roster = QListWidget()
        self.roster.setAccessibleName(self.tr("People on the roster with this name"))
        self.roster.itemSelectionChanged.connect(self._update_button)
        self.roster.itemActivated.connect(lambda _item: self._submit())
        self.roster_label.hide()
        self.roster.hide()

        self.error = PlainLabel()
        self.error.setObjectName("walkInError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(
            "QLabel#walkInError { background: #fee2e2; color: #7f1d1d; border: 2px solid #b91c1c;"
            " border-radius: 6px; padding: 8px; }"
        )
        self.error.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

        self._lookup_timer = QTimer(self)
        self._lookup_timer.setSingleShot(True)
        self._lookup_timer.setInterval(250)
        self._lookup_timer.timeout.connect(self._look_up_roster)

        self._layout = layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.roster_label)
        layout.addWidget(self.roster)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._update_button()

    # ------------------------------------------------------------------- form state
    def chosen_person(self) -> PersonRow | None:
        items = self.roster.selectedItems()
        person: PersonRow | None = items[0].data(Qt.ItemDataRole.UserRole) if items else None
        return person

    def _fields(self) -> tuple[str, str, str, str]:
        return (
            self.first_name.text().strip(),
            self.last_name.text().strip(),
            self.organisation.text().strip(),
            self.email.text().strip(),
        )

    def _on_edited(self) -> None:
        self.error.hide()
        self.roster.clearSelection()
        self._update_button()
        if self._chapter_id is not None:
            self._lookup_timer.start()

    def _update_button(self) -> None:
        person = self.chosen_person()
        first, last, org, _email = self._fields()
        if person is not None:
            self.ok_button.setText(self.tr("Check in {name}").format(name=person.full_name))
            self.ok_button.setEnabled(not self._busy)
        else:
            self.ok_button.setText(self.tr("Register and check in"))
            self.ok_button.setEnabled(bool(first and last and org) and not self._busy)

    # ------------------------------------------------------------------ roster look-up
    def _look_up_roster(self) -> None:
        first, last, _org, _email = self._fields()
        query = f"{first} {last}".strip()
        meeting_id = self._meeting_id
        if len(query) < 2:
            self._show_roster([])
            return
        self._lookups += 1
        lookup = self._lookups

        def show(people: list[PersonRow]) -> None:
            if isValid(self) and lookup == self._lookups:
                self._show_roster(people)

        self._desk_call(
            lambda desk: desk.roster_matches(meeting_id, query, ROSTER_LIMIT),
            show,
            lambda _exc: None,  # only a suggestion: the form still works without it
        )

    def _show_roster(self, people: list[PersonRow]) -> None:
        self.roster.clear()
        for person in people:
            item = QListWidgetItem(
                self.tr("{name} — {org} ({category})").format(
                    name=person.full_name, org=person.organisation, category=person.category.value
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, person)
            self.roster.addItem(item)
        shown = bool(people)
        self.roster_label.setVisible(shown)
        self.roster.setVisible(shown)
        if shown:
            self.roster.setFixedHeight(
                self.roster.sizeHintForRow(0) * min(len(people), ROSTER_LIMIT)
                + 2 * self.roster.frameWidth()
            )
        self._update_button()
        self._fit()

    def _fit(self) -> None:
        """Grow (never squash the fields) when the roster list or the refusal appears."""
        layout = self._layout
        layout.activate()
        wanted = layout.totalHeightForWidth(self.width())
        if wanted > self.height():
            self.resize(self.width(), wanted)

    # ----------------------------------------------------------------------- submit
    def _submit(self) -> None:
        if self._busy or not self.ok_button.isEnabled():
            return
        meeting_id = self._meeting_id
        person = self.chosen_person()
        first, last, org, email = self._fields()
        self._busy = True
        self.error.hide()
        self._update_button()
        if person is not None:
            person_id = person.id
            self._desk_call(
                lambda desk: desk.register_walk_in(meeting_id, person_id),
                self._on_done,
                self._on_error,
            )
        else:
            self._desk_call(
                lambda desk: desk.register_new_walk_in(meeting_id, first, last, org, email),
                self._on_done,
                self._on_error,
            )

    def _on_done(self, verdict: Any) -> None:
        if not isValid(self):
            return
        self._busy = False
        self._update_button()
        assert isinstance(verdict, Verdict)
        self.registered.emit(verdict)
        self.accept()

    def _on_error(self, exc: BaseException) -> None:
        """Stay open: the leader corrects the form (or cancels) with the rule in front of them."""
        if not isValid(self):
            return
        self._busy = False
        self._update_button()
        refusal = verdict_for_error(exc)
        lines = [refusal.detail or refusal.headline]
        if refusal.rule_id and refusal.fix:
            lines.append(f"{refusal.rule_id} — {refusal.fix}")
        elif refusal.fix:
            lines.append(refusal.fix)
        self.error.setText("\n".join(lines))
        self.error.setAccessibleName(self.error.text())
        self.error.show()
        self._fit()
