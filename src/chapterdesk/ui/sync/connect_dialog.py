"""Connect this laptop to the chapter server: sign in once, and the server gives the laptop a
device key of its own, kept in the system keyring (never the password)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.sync.status import SyncStatus
from chapterdesk.ui.common.forms import DeskRun
from chapterdesk.ui.common.tasks import EXPECTED
from chapterdesk.ui.common.widgets import PlainLabel, problem_label
from chapterdesk.ui.sync.sign_in_form import ServerSignInForm, default_device_name

__all__ = ["ConnectDialog", "default_device_name"]


class ConnectDialog(QDialog):
    """Window-modal but not blocking (``open``); the sign-in runs in a worker. A refusal is
    shown in the dialog in the server's words; the password is cleared after every try."""

    connected = Signal(object)  # SyncStatus

    def __init__(self, run: DeskRun, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._run = run
        self.setWindowTitle(self.tr("Connect to the chapter server"))
        self.setMinimumWidth(520)

        self.form = ServerSignInForm()
        self.url, self.login = self.form.url, self.form.login
        self.password, self.device = self.form.password, self.form.device

        explanation = PlainLabel(
            self.tr(
                "Sign in once with your chapter account. The server gives this laptop a key of "
                "its own, kept in the system keyring; your password is not stored. Changes made "
                "on this laptop so far are sent at the first sync."
            )
        )
        explanation.setWordWrap(True)
        self.problem = problem_label()
        self.problem.setObjectName("connectProblem")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = QPushButton(self.tr("&Connect"))
        self.buttons.addButton(self.connect_button, QDialogButtonBox.ButtonRole.AcceptRole)
        # Accepting waits for the server: the button submits, the answer closes the dialog.
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.connect_button.setDefault(True)  # Enter in any field connects
        self.url.setFocus()

    def submit(self) -> None:
        entered = self.form.read(self.problem)
        if entered is None:
            return
        self._set_working(True)
        self._run(
            lambda desk: desk.connect_server(
                entered.url, entered.login, entered.password, entered.device
            ),
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
