"""The server sign-in fields, shared by the Sync page's connect dialog and the first-run
assistant: server address, login, password and this laptop's name."""

from __future__ import annotations

import socket
from dataclasses import dataclass

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from chapterdesk.ui.common.widgets import password_field


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


@dataclass(frozen=True, repr=False)
class ServerSignIn:
    url: str
    login: str
    password: str
    device: str

    def __repr__(self) -> str:  # keep the password out of logs and tracebacks
        return f"ServerSignIn({self.url!r}, {self.login!r}, <hidden>, {self.device!r})"


class ServerSignInForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://chapters.example.org")
        self.url.setAccessibleName(self.tr("Server address"))
        self.login = QLineEdit()
        self.login.setPlaceholderText(self.tr("your chapter account's email"))
        self.login.setAccessibleName(self.tr("Login email"))
        self.password = password_field(self.tr("Password"))
        self.device = QLineEdit(default_device_name())
        self.device.setAccessibleName(self.tr("Name of this laptop"))
        self.device.setToolTip(
            self.tr(
                "How this laptop appears in the server's list of devices, where it can be revoked."
            )
        )
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("&Server address:"), self.url)
        form.addRow(self.tr("&Login email:"), self.login)
        form.addRow(self.tr("&Password:"), self.password)
        form.addRow(self.tr("&This laptop's name:"), self.device)

    def fields(self) -> list[QWidget]:
        return [self.url, self.login, self.password, self.device]

    def read(self, problem: QLabel) -> ServerSignIn | None:
        """What was typed, or None after saying in ``problem`` what is missing. The password
        leaves the form here: after a refusal it is typed again, never kept."""
        entered = ServerSignIn(
            server_address(self.url.text()),
            self.login.text().strip(),
            self.password.text(),
            self.device.text().strip(),
        )
        for field, value, message in (
            (self.url, entered.url, self.tr("Enter the server's address.")),
            (self.login, entered.login, self.tr("Enter your login email.")),
            (self.password, entered.password, self.tr("Enter your password.")),
            (self.device, entered.device, self.tr("Give this laptop a name.")),
        ):
            if not value:
                problem.setText(message)
                field.setFocus()
                return None
        self.password.clear()
        return entered
