"""Small dialogs of the Decks page: request a presentation slot, record a decision."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.domain.enums import DeckDecision
from chapterdesk.services.views import MeetingRow, PresenterChoice
from chapterdesk.ui.common.widgets import PlainLabel


class SlotDialog(QDialog):
    """DECK-5: a leader asks a partner company to present on a topic at a meeting."""

    def __init__(
        self,
        meetings: list[MeetingRow],
        presenters: list[PresenterChoice],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Request a presentation"))
        self.setMinimumWidth(520)
        self.meeting = QComboBox()
        for m in meetings:
            self.meeting.addItem(f"{m.starts_at:%a %d %b %Y} — {m.title}", m.id)
        self.topic = QLineEdit()
        self.topic.setPlaceholderText(self.tr("e.g. Cash-flow forecasting in D365 Finance"))
        self.partner = QComboBox()
        self._presenters = presenters
        for p in presenters:
            self.partner.addItem(
                p.name + (self.tr(" (sponsor)") if p.sponsor else ""), p.organisation_id
            )
        self.speaker = QComboBox()
        self.partner.currentIndexChanged.connect(self._fill_speakers)
        self._fill_speakers()
        self.problem = PlainLabel()
        self.problem.setStyleSheet("color: #b91c1c")
        form = QFormLayout()
        form.addRow(self.tr("&Meeting:"), self.meeting)
        form.addRow(self.tr("&Topic:"), self.topic)
        form.addRow(self.tr("&Partner:"), self.partner)
        form.addRow(self.tr("&Speaker:"), self.speaker)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            PlainLabel(
                self.tr("Partners present only when a chapter leader asks them to (DECK-5).")
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def _fill_speakers(self) -> None:
        self.speaker.clear()
        self.speaker.addItem(self.tr("— not named yet —"), None)
        index = self.partner.currentIndex()
        if 0 <= index < len(self._presenters):
            for person_id, name in self._presenters[index].speakers:
                self.speaker.addItem(name, person_id)

    def values(self) -> tuple[str, str, str, str | None]:
        """(meeting id, topic, partner organisation id, speaker person id)"""
        return (
            self.meeting.currentData(),
            self.topic.text().strip(),
            self.partner.currentData(),
            self.speaker.currentData(),
        )

    def _check(self) -> None:
        if self.meeting.currentData() is None or self.partner.currentData() is None:
            self.problem.setText(self.tr("Choose a meeting and a partner company."))
        elif not self.topic.text().strip():
            self.problem.setText(self.tr("Type the topic the partner was asked to present."))
        else:
            self.accept()


class DecisionDialog(QDialog):
    """Approve, ask for changes or reject one exact version (DECK-5), with comments."""

    def __init__(
        self, decision: DeckDecision, filename: str, short_sha: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        titles = {
            DeckDecision.APPROVED: self.tr("Approve this deck"),
            DeckDecision.CHANGES_REQUESTED: self.tr("Ask for changes"),
            DeckDecision.REJECTED: self.tr("Reject this deck"),
        }
        self.setWindowTitle(titles.get(decision, self.tr("Decision")))
        self.setMinimumWidth(520)
        note = PlainLabel(
            self.tr(
                "The decision applies to exactly this file: {name} (SHA-256 {sha}…). A new version "
                "needs a new decision."
            ).format(name=filename, sha=short_sha)
        )
        note.setWordWrap(True)
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText(self.tr("Comments for the partner…"))
        self.comment.setTabChangesFocus(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.comment)
        layout.addWidget(buttons)

    def text(self) -> str:
        return self.comment.toPlainText().strip()
