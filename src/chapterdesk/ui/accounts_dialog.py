"""Who may sign in for the chapter: add co-leaders and volunteers, assign volunteers to a
meeting's check-in desk, change one's own password (ROS-1, ROS-5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.domain.enums import Role
from chapterdesk.services.views import MeetingRow
from chapterdesk.ui.common.widgets import PlainLabel, password_field, problem_label

if TYPE_CHECKING:
    from chapterdesk.services.accounts import AccountRow
    from chapterdesk.services.desk import Desk

Run = Callable[..., None]  # MainWindow.run(job, done, failed)

ROLE_NAMES = {
    Role.LEADER: "Leader",
    Role.CO_LEADER: "Co-leader",
    Role.VOLUNTEER: "Check-in volunteer",
    Role.PARTNER: "Partner",
}


class AccountsDialog(QDialog):
    """Non-modal; every change goes through the desk in a worker and the list reloads."""

    def __init__(
        self,
        run: Run,
        chapter_id: str,
        chapter_label: str,
        meetings: list[MeetingRow],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._run = run
        self._chapter = chapter_id
        self._rows: list[AccountRow] = []
        self.setWindowTitle(self.tr("Accounts — {chapter}").format(chapter=chapter_label))
        self.setMinimumSize(760, 560)

        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Login"), self.tr("Role"), self.tr("Check-in desk of")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        self.name = QLineEdit()
        self.login = QLineEdit()
        self.login.setPlaceholderText(self.tr("their email address"))
        self.role = QComboBox()
        for role in (Role.VOLUNTEER, Role.CO_LEADER):
            self.role.addItem(self.tr(ROLE_NAMES[role]), role)
        self.password = password_field(self.tr("First password"))
        self.repeat = password_field(self.tr("Repeat the password"))
        add_form = QFormLayout()
        add_form.addRow(self.tr("&Name:"), self.name)
        add_form.addRow(self.tr("&Login:"), self.login)
        add_form.addRow(self.tr("&Role:"), self.role)
        add_form.addRow(self.tr("First &password:"), self.password)
        add_form.addRow(self.tr("Repeat it:"), self.repeat)
        self.add_button = QPushButton(self.tr("&Add account"))
        self.add_button.clicked.connect(self._add)
        add_box = QGroupBox(self.tr("Add a co-leader or a check-in volunteer"))
        add_layout = QVBoxLayout(add_box)
        add_layout.addLayout(add_form)
        add_layout.addWidget(
            PlainLabel(
                self.tr(
                    "Give them the first password in person; they change it when they sign in. "
                    "Volunteers see names, companies and registration status only (ROS-1)."
                )
            )
        )
        add_layout.addWidget(self.add_button)

        self.meeting = QComboBox()
        for m in sorted((m for m in meetings if not m.is_past), key=lambda m: m.starts_at):
            self.meeting.addItem(f"{m.starts_at:%a %d %b %Y} — {m.title}", m.id)
        self.assign_button = QPushButton(self.tr("Assign the selected &volunteer"))
        self.assign_button.clicked.connect(self._assign)
        assign_row = QHBoxLayout()
        assign_row.addWidget(self.meeting, 1)
        assign_row.addWidget(self.assign_button)

        self.problem = problem_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(assign_row)
        layout.addWidget(add_box)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        chapter = self._chapter
        self._run(lambda desk: desk.chapter_accounts(chapter), self.set_rows, self._failed)

    def set_rows(self, rows: list[AccountRow]) -> None:
        self._rows = rows
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            cells = (
                row.display_name,
                row.login,
                self.tr(ROLE_NAMES[row.role]),
                ", ".join(row.meetings),
            )
            for column, text in enumerate(cells):
                self.table.setItem(index, column, QTableWidgetItem(text))

    def selected(self) -> AccountRow | None:
        index = self.table.currentRow()
        return self._rows[index] if 0 <= index < len(self._rows) else None

    def _add(self) -> None:
        if self.password.text() != self.repeat.text():
            self.problem.setText(self.tr("The two passwords differ. Type them again."))
            return
        chapter, name, login = self._chapter, self.name.text(), self.login.text()
        password, role = self.password.text(), Role(self.role.currentData())

        def job(desk: Desk) -> Any:
            return desk.create_account(chapter, name, login, password, role)

        def done(_row: Any) -> None:
            for field in (self.name, self.login, self.password, self.repeat):
                field.clear()
            self.problem.clear()
            self.reload()

        self._run(job, done, self._failed)

    def _assign(self) -> None:
        account = self.selected()
        meeting_id = self.meeting.currentData()
        if account is None or account.role is not Role.VOLUNTEER or meeting_id is None:
            self.problem.setText(self.tr("Select a volunteer in the list and a meeting."))
            return
        self._run(
            lambda desk: desk.assign_volunteer(meeting_id, account.id),
            lambda _r: self.reload(),
            self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        self.problem.setText(str(exc))


class PasswordDialog(QDialog):
    """The signed-in person changes their own password (the current one must be right)."""

    def __init__(self, run: Run, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._run = run
        self.setWindowTitle(self.tr("Change your password"))
        self.setMinimumWidth(480)
        self.current = password_field(self.tr("Current password"))
        self.new = password_field(self.tr("New password"))
        self.repeat = password_field(self.tr("Repeat the new password"))
        form = QFormLayout()
        form.addRow(self.tr("&Current password:"), self.current)
        form.addRow(self.tr("&New password:"), self.new)
        form.addRow(self.tr("&Repeat it:"), self.repeat)
        self.problem = problem_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def _save(self) -> None:
        if self.new.text() != self.repeat.text():
            self.problem.setText(self.tr("The two new passwords differ. Type them again."))
            return
        current, new = self.current.text(), self.new.text()
        self._run(
            lambda desk: desk.change_password(current, new),
            lambda _r: self.accept(),
            lambda exc: self.problem.setText(str(exc)),
        )
