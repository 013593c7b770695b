"""The selected person beside the roster: who they are, their membership, their registrations
(with the organisation they had then, attended or not, flags), merges into them with an undo
while the window is open, and the buttons that change them."""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.domain.enums import Membership, RegistrationStatus
from chapterdesk.services.roster_views import PersonDetail
from chapterdesk.ui.common.forms import fill_table, new_table, selected_key
from chapterdesk.ui.common.widgets import PlainLabel
from chapterdesk.ui.people.person_dialog import CATEGORY_WORDS, ROLE_WORDS

STATUS_WORDS = {
    RegistrationStatus.REGISTERED: "Registered",
    RegistrationStatus.WAITLISTED: "Waiting list",
    RegistrationStatus.PENDING_APPROVAL: "Awaiting approval",
    RegistrationStatus.ESCORT_NEEDED: "Escort needed",
    RegistrationStatus.CANCELLED: "Cancelled",
}


def _membership_line(detail: PersonDetail) -> str:
    d = detail.draft
    if d.membership is Membership.MEMBER:
        parts = ["Member"]
        if d.member_since:
            parts.append(f"since {d.member_since:%d %b %Y}")
        if d.renewal_date:
            parts.append(f"renews {d.renewal_date:%d %b %Y}")
        return " · ".join(parts)
    if d.membership is Membership.PROSPECT:
        return "Prospect (not yet a member)"
    return "No membership (ORG-3)"


class PersonPanel(QWidget):
    """Emits what the leader asked for; the page runs it through the desk."""

    edit_requested = Signal(str)
    convert_requested = Signal(str)
    move_requested = Signal(str)
    undo_merge_requested = Signal(str)  # merge id
    clear_flag_requested = Signal(str)  # registration id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: PersonDetail | None = None
        self.name = QLabel()
        self.name.setObjectName("personName")
        self.name.setTextFormat(Qt.TextFormat.PlainText)
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.name.setFont(font)
        self.facts = PlainLabel()
        self.facts.setObjectName("personFacts")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.edit_button = QPushButton(self.tr("&Edit…"))
        self.edit_button.setObjectName("editPerson")
        self.convert_button = QPushButton(self.tr("Make a &member…"))
        self.convert_button.setObjectName("convertPerson")
        self.move_button = QPushButton(self.tr("Mo&ve to organisation…"))
        self.move_button.setObjectName("movePerson")
        self.edit_button.clicked.connect(lambda: self._emit(self.edit_requested))
        self.convert_button.clicked.connect(lambda: self._emit(self.convert_requested))
        self.move_button.clicked.connect(lambda: self._emit(self.move_requested))
        actions = QHBoxLayout()
        for b in (self.edit_button, self.convert_button, self.move_button):
            actions.addWidget(b)
        actions.addStretch(1)

        self.history_title = PlainLabel()
        self.history: QTableWidget = new_table(
            [self.tr("Date"), self.tr("Meeting"), self.tr("Came?")]
        )
        self.history.setObjectName("personHistory")
        self.history.setWordWrap(False)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.history.itemSelectionChanged.connect(self._history_selected)
        self.clear_flag_button = QPushButton(self.tr("Flag dealt with"))
        self.clear_flag_button.setObjectName("clearFlag")
        self.clear_flag_button.setToolTip(
            self.tr("The flagged registration has been sorted out with the person: clear the ⚑.")
        )
        self.clear_flag_button.setEnabled(False)
        self.clear_flag_button.clicked.connect(self._clear_flag)

        self.merges = PlainLabel()
        self.merges.setObjectName("personMerges")
        self.merges.setWordWrap(True)
        self.undo_button = QPushButton(self.tr("&Undo the merge"))
        self.undo_button.setObjectName("undoMerge")
        self.undo_button.clicked.connect(self._undo)
        merge_row = QHBoxLayout()
        merge_row.addWidget(self.merges, 1)
        merge_row.addWidget(self.undo_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.name)
        layout.addWidget(self.facts)
        layout.addLayout(actions)
        layout.addWidget(self.history_title)
        layout.addWidget(self.history, 1)
        layout.addWidget(self.clear_flag_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(merge_row)
        self.set_editable(False)
        self.show_detail(None)

    def set_editable(self, allowed: bool) -> None:
        self._editable = allowed
        for b in (
            self.edit_button,
            self.convert_button,
            self.move_button,
            self.undo_button,
            self.clear_flag_button,
        ):
            b.setVisible(allowed)

    def _emit(self, signal: Signal) -> None:  # type: ignore[type-arg]
        if self.detail is not None:
            signal.emit(self.detail.id)  # type: ignore[attr-defined]

    def show_detail(self, detail: PersonDetail | None) -> None:
        self.detail = detail
        if detail is None:
            self.name.setText(self.tr("No one selected"))
            self.facts.setText(self.tr("Choose a person in the list to see their record."))
            fill_table(self.history, [])
            self.history_title.setText("")
            self.merges.setText("")
            self.undo_button.hide()
            for b in (self.edit_button, self.convert_button, self.move_button):
                b.setEnabled(False)
            return
        d = detail.draft
        self.name.setText(detail.full_name)
        lines = [
            f"{detail.organisation} — {CATEGORY_WORDS[detail.category]}"
            + (" · excluded organisation (ORG-4)" if detail.excluded_organisation else ""),
            _membership_line(detail),
            " · ".join(x for x in (d.job_title, ROLE_WORDS[d.job_role]) if x),
        ]
        if detail.contact_visible:
            lines.append(d.email or "no email")
            if d.phone:
                lines.append(d.phone)
            lines.append("may receive chapter emails" if d.consent_email else "no consent to email")
            if d.notes:
                lines.append(d.notes)
        self.facts.setText("\n".join(lines))
        for b in (self.edit_button, self.move_button):
            b.setEnabled(True)
        self.convert_button.setEnabled(d.membership is Membership.PROSPECT)
        came = sum(1 for h in detail.history if h.attended)
        self.history_title.setText(
            self.tr("Registrations: {n}, attended {came}").format(n=len(detail.history), came=came)
        )
        rows = []
        keys = []
        now = datetime.now()
        for h in detail.history:
            if h.attended:
                status = "✔ came"
            elif h.status is RegistrationStatus.CANCELLED:
                status = "cancelled"
            elif h.starts_at > now:
                upcoming = h.status is RegistrationStatus.REGISTERED
                status = "upcoming" if upcoming else STATUS_WORDS[h.status].lower()
            else:
                status = "did not come"
            if h.flag_rule:
                status = f"⚑ {h.flag_rule} · {status}"
            # Past registrations keep the organisation of the time: say so where it differs.
            then = f" (as {h.organisation})" if h.organisation != detail.organisation else ""
            rows.append([f"{h.starts_at:%Y-%m-%d}", h.meeting + then, status])
            keys.append(h.registration_id)
        fill_table(self.history, rows, keys)
        header = self.history.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for r, h in enumerate(detail.history):
            if h.flag_note:
                item = self.history.item(r, 2)
                if item is not None:
                    item.setToolTip(f"<p>{html.escape(h.flag_note)}</p>")
            item = self.history.item(r, 1)
            if item is not None:  # the meeting, and the organisation and category then
                item.setToolTip(f"{h.meeting} — {h.organisation} ({CATEGORY_WORDS[h.category]})")
        self._show_merges(detail)
        self._history_selected()

    def _show_merges(self, detail: PersonDetail) -> None:
        now = datetime.now().astimezone()
        open_merge = next((m for m in detail.merges if not m.undone and m.undo_until > now), None)
        texts = []
        for m in detail.merges:
            when = m.merged_at.astimezone()
            state = " (undone)" if m.undone else ""
            texts.append(f"Merged with {m.merged_name} on {when:%d %b %Y %H:%M}{state}")
        if open_merge is not None:
            texts.append(
                self.tr("The merge with {name} can be undone until {until:%H:%M}.").format(
                    name=open_merge.merged_name, until=open_merge.undo_until.astimezone()
                )
            )
        self.merges.setText("\n".join(texts))
        self.undo_button.setVisible(self._editable and open_merge is not None)
        self.undo_button.setProperty("merge_id", open_merge.id if open_merge else None)

    def _undo(self) -> None:
        merge_id = self.undo_button.property("merge_id")
        if merge_id:
            self.undo_merge_requested.emit(str(merge_id))

    def _history_selected(self) -> None:
        key = selected_key(self.history)
        flagged = self.detail is not None and any(
            h.registration_id == key and h.flag_rule for h in self.detail.history
        )
        self.clear_flag_button.setEnabled(bool(flagged))

    def _clear_flag(self) -> None:
        key = selected_key(self.history)
        if key:
            self.clear_flag_requested.emit(key)
