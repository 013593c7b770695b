"""Connect this laptop to the chapter server: sign in once, and the server gives the laptop a
device key of its own, kept in the system keyring (never the password)."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.sync.status import SyncStatus
from chapterdesk.ui.common.forms import DeskRun
from chapterdesk.ui.common.tasks import EXPECTED
from chapterdesk.ui.common.widgets import PlainLabel

if TYPE_CHECKING:
    pass


def default_device_name() -> str:
    """The host name: the name people already know the laptop by."""
    try:
        return socket.gethostname().split(".")[0]
    except OSError:
        return ""


def server_address(typed: str) -> str:
    """What was typed, with ``https://`` in front when no scheme was given."""
    text = typed.strip()
    if text and "://" not in text:
        text = f"https://{text}"
    return text.rstrip("/")


class ConnectDialog(QDialog):
    """Window-modal but not blocking (``open``); the sign-in runs in a worker. A refusal is
    shown in the dialog in the server's words; the password is cleared after every try."""

    connected = Signal(object)  # SyncStatus

    def __init__(self, run: DeskRun, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._run = run
        self.setWindowTitle(self.tr("Connect to the chapter server"))
        self.setMinimumWidth(520)

        self.url = QLineEdit()
        self.url.setPlaceholderText("https://chapters.example.org")
        self.url.setAccessibleName(self.tr("Server address"))
        self.login = QLineEdit()
        self.login.setPlaceholderText(self.tr("your chapter account's email"))
        self.login.setAccessibleName(self.tr("Login email"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        self.device = QLineEdit(default_device_name())
        self.device.setAccessibleName(self.tr("Name of this laptop"))
        self.device.setToolTip(
            self.tr(
                "How this laptop appears in the server's list of devices, where it can be revoked."
            )
        )
        form = QFormLayout()
        form.addRow(self.tr("&Server address:"), self.url)
        form.addRow(self.tr("&Login email:"), self.login)
        form.addRow(self.tr("&Password:"), self.password)
        form.addRow(self.tr("&This laptop's name:"), self.device)

        explanation = PlainLabel(
            self.tr(
                "Sign in once with your chapter account. The server gives this laptop a key of "
                "its own, kept in the system keyring; your password is not stored. Changes made "
                "on this laptop so far are sent at the first sync."
            )
        )
        explanation.setWordWrap(True)
        self.problem = PlainLabel()
        self.problem.setObjectName("connectProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b91c1c")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = QPushButton(self.tr("&Connect"))
        self.buttons.addButton(self.connect_button, QDialogButtonBox.ButtonRole.AcceptRole)
        # Accepting waits for the server: the button submits, the answer closes the dialog.
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.connect_button.setDefault(True)  # Enter in any field connects
        self.url.setFocus()

    def submit(self) -> None:
        url = server_address(self.url.text())
        login = self.login.text().strip()
        password = self.password.text()
        device = self.device.text().strip()
        missing = next(
            (
                (field, message)
                for field, value, message in (
                    (self.url, url, self.tr("Enter the server's address.")),
                    (self.login, login, self.tr("Enter your login email.")),
                    (self.password, password, self.tr("Enter your password.")),
                    (self.device, device, self.tr("Give this laptop a name.")),
                )
                if not value
            ),
            None,
        )
        if missing is not None:
            field, message = missing
            self.problem.setText(message)
            field.setFocus()
            return
        self.password.clear()  # typed again after a refusal, never kept in the form
        self._set_working(True)
        self._run(
            lambda desk: desk.connect_server(url, login, password, device),
            self._connected,
            self._refused,
        )

    def _connected(self, status: SyncStatus) -> None:
        self._set_working(False)
        self.connected.emit(status)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self._set_working(False)
        if isinstance(exc, EXPECTED):
            self.problem.setText(str(exc))
        else:  # the runner logged the detail
            self.problem.setText(
                self.tr("Could not connect: {error}. The details are in the log file.").format(
                    error=type(exc).__name__
                )
            )
        self.password.setFocus()

    def _set_working(self, working: bool) -> None:
        for widget in (self.url, self.login, self.password, self.device, self.connect_button):
            widget.setEnabled(not working)
        if working:
            self.problem.setText(self.tr("Connecting…"))
