"""Create or edit a meeting: date and time, venue, capacity and the partner policy."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.services.views import MeetingDraft
from chapterdesk.ui.common.widgets import PlainLabel

CUSTOMERS_ONLY, PARTNERS_WELCOME, PARTNER_EXCLUSIVE = range(3)


def _to_qt(value: datetime) -> QDateTime:
    return QDateTime(value.year, value.month, value.day, value.hour, value.minute, 0)


def _from_qt(value: QDateTime) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


def default_draft() -> MeetingDraft:
    """A sensible start: next month, 17:00–19:00, 40 places, partners welcome."""
    day = (datetime.now() + timedelta(days=30)).replace(hour=17, minute=0, second=0, microsecond=0)
    return MeetingDraft("", day, day + timedelta(hours=2), "", 40, partners_welcome=True)


class MeetingDialog(QDialog):
    """Returns a :class:`MeetingDraft`; the service validates it (and says why if not)."""

    def __init__(self, draft: MeetingDraft | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit meeting") if draft else self.tr("New meeting"))
        self.setMinimumWidth(520)
        draft = draft or default_draft()
        self.title = QLineEdit(draft.title)
        self.title.setPlaceholderText(self.tr("e.g. Year-end close in D365 F&SCM"))
        self.starts = QDateTimeEdit(_to_qt(draft.starts_at))
        self.starts.setCalendarPopup(True)
        self.starts.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        self.ends = QDateTimeEdit(_to_qt(draft.ends_at))
        self.ends.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        self.ends.setCalendarPopup(True)
        self.starts.dateTimeChanged.connect(self._keep_length)
        self._length = draft.ends_at - draft.starts_at
        self.venue = QLineEdit(draft.venue)
        self.address = QLineEdit(draft.address)
        self.capacity = QSpinBox()
        self.capacity.setRange(1, 5000)
        self.capacity.setValue(draft.capacity)
        self.capacity.setSuffix(self.tr(" places"))
        self.policy = QButtonGroup(self)
        policy_box = QVBoxLayout()
        for value, label in (
            (CUSTOMERS_ONLY, self.tr("Customers only — partners are not invited (MTG-1)")),
            (PARTNERS_WELCOME, self.tr("Partners welcome, escorted by a customer (ESC-1)")),
            (PARTNER_EXCLUSIVE, self.tr("Partner-exclusive — no escort needed (MTG-7)")),
        ):
            button = QRadioButton(label)
            self.policy.addButton(button, value)
            policy_box.addWidget(button)
        chosen = (
            PARTNER_EXCLUSIVE
            if draft.partner_exclusive
            else PARTNERS_WELCOME
            if draft.partners_welcome
            else CUSTOMERS_ONLY
        )
        self.policy.button(chosen).setChecked(True)
        self.agenda = QPlainTextEdit(draft.agenda)
        self.agenda.setTabChangesFocus(True)
        self.agenda.setFixedHeight(90)
        self.problem = PlainLabel()
        self.problem.setStyleSheet("color: #b91c1c")
        self.problem.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("&Title:"), self.title)
        form.addRow(self.tr("&Starts:"), self.starts)
        form.addRow(self.tr("&Ends:"), self.ends)
        form.addRow(self.tr("&Venue:"), self.venue)
        form.addRow(self.tr("&Address:"), self.address)
        form.addRow(self.tr("&Capacity:"), self.capacity)
        form.addRow(self.tr("Partners:"), policy_box)
        form.addRow(self.tr("A&genda:"), self.agenda)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def draft(self) -> MeetingDraft:
        policy = self.policy.checkedId()
        return MeetingDraft(
            title=self.title.text().strip(),
            starts_at=_from_qt(self.starts.dateTime()),
            ends_at=_from_qt(self.ends.dateTime()),
            venue=self.venue.text().strip(),
            address=self.address.text().strip(),
            capacity=self.capacity.value(),
            partners_welcome=policy != CUSTOMERS_ONLY,
            partner_exclusive=policy == PARTNER_EXCLUSIVE,
            agenda=self.agenda.toPlainText(),
        )

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)

    def _keep_length(self, value: QDateTime) -> None:
        start = _from_qt(value)
        self.ends.setDateTime(_to_qt(start + self._length))

    def _check(self) -> None:
        if not self.title.text().strip():
            self.show_problem(self.tr("A meeting needs a title."))
            self.title.setFocus()
            return
        if self.ends.dateTime() <= self.starts.dateTime():
            self.show_problem(self.tr("The meeting ends before it starts."))
            return
        self.accept()
