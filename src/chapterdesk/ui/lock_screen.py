"""What the window shows while nobody is signed in: no chapter data, only a way in (ROS-5).

Three forms share the card: sign in, set the laptop up (no account yet), and end kiosk mode
(a leader's sign-in; Esc goes back to the check-in desk).
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.ui.common.widgets import PlainLabel

MIN_PASSWORD = 10  # the service says the same (services/passwords.py); this only guides typing


class LockMode(Enum):
    SIGN_IN = "sign_in"
    SET_UP = "set_up"
    LEAVE_KIOSK = "leave_kiosk"


class LockScreen(QWidget):
    """Emits what the person typed; the window checks it in a worker and answers with
    :meth:`show_error` or by switching to the workspace."""

    sign_in_requested = Signal(str, str)  # login, password
    set_up_requested = Signal(str, str, str)  # name, login, password
    back_requested = Signal()  # leave-kiosk form cancelled: back to the desk

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.mode = LockMode.SIGN_IN

        self.title = PlainLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        self.title.setFont(font)
        self.explanation = PlainLabel()
        self.explanation.setWordWrap(True)

        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("Your name"))
        self.login = QLineEdit()
        self.login.setAccessibleName(self.tr("Login (email address)"))
        self.login.setPlaceholderText(self.tr("you@example.org"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName(self.tr("Repeat the password"))
        self.form = QFormLayout()
        self.form.addRow(self.tr("&Name:"), self.name)
        self.form.addRow(self.tr("&Login:"), self.login)
        self.form.addRow(self.tr("&Password:"), self.password)
        self.form.addRow(self.tr("&Repeat it:"), self.repeat)

        self.problem = PlainLabel()
        self.problem.setObjectName("signInProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b91c1c; font-weight: bold")
        self.hint = PlainLabel()
        self.hint.setObjectName("signInHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #1e40af")

        self.go = QPushButton()
        self.go.setDefault(True)
        self.go.setAutoDefault(True)
        self.go.clicked.connect(self._submit)
        self.back = QPushButton(self.tr("Back to the check-in desk"))
        self.back.clicked.connect(self.back_requested.emit)
        for field in (self.name, self.login, self.password, self.repeat):
            field.returnPressed.connect(self._submit)
            field.textChanged.connect(lambda _t: self.problem.clear())
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self._escape)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back)
        buttons.addWidget(self.go)

        card = QFrame()
        card.setObjectName("lockCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setMaximumWidth(560)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.setSpacing(12)
        inner.addWidget(self.title)
        inner.addWidget(self.explanation)
        inner.addLayout(self.form)
        inner.addWidget(self.problem)
        inner.addLayout(buttons)
        inner.addWidget(self.hint)

        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.show_sign_in()

    # ------------------------------------------------------------------------ forms
    def show_sign_in(self, hint: str = "", login: str = "") -> None:
        self._switch(LockMode.SIGN_IN)
        self.title.setText(self.tr("ChapterDesk is locked"))
        self.explanation.setText(
            self.tr(
                "Members' contact data is confidential (ROS-1). Sign in with your chapter "
                "account to continue."
            )
        )
        self.go.setText(self.tr("&Sign in"))
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        if login:
            self.login.setText(login)
        self._focus_first_empty()

    def show_set_up(self) -> None:
        self._switch(LockMode.SET_UP)
        self.title.setText(self.tr("Set up this laptop"))
        self.explanation.setText(
            self.tr(
                "Create the leader account for this laptop. It leads every chapter stored "
                "here. Your password is never stored — only a verifier that proves it — and "
                "the window locks itself when you step away (ROS-5). Use at least {n} "
                "characters."
            ).format(n=MIN_PASSWORD)
        )
        self.go.setText(self.tr("&Create account and sign in"))
        self.hint.hide()
        self._focus_first_empty()

    def show_leave_kiosk(self, meeting: str) -> None:
        self._switch(LockMode.LEAVE_KIOSK)
        self.title.setText(self.tr("End kiosk mode"))
        self.explanation.setText(
            self.tr(
                "This laptop is the check-in desk for {meeting}. A leader of the chapter "
                "signs in to take it back."
            ).format(meeting=meeting)
        )
        self.go.setText(self.tr("&Sign in and end kiosk mode"))
        self.login.clear()  # the leader's login is not shown to the volunteer
        self.hint.hide()
        self._focus_first_empty()

    def _switch(self, mode: LockMode) -> None:
        self.mode = mode
        setting_up = mode is LockMode.SET_UP
        for field in (self.name, self.repeat):
            self.form.setRowVisible(field, setting_up)
        self.back.setVisible(mode is LockMode.LEAVE_KIOSK)
        self.password.clear()
        self.repeat.clear()
        self.problem.clear()
        self.set_busy(False)

    def _focus_first_empty(self) -> None:
        fields = (
            [self.name, self.login, self.password]
            if self.mode is LockMode.SET_UP
            else [
                self.login,
                self.password,
            ]
        )
        target = next((f for f in fields if not f.text()), self.password)
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    # --------------------------------------------------------------------- answers
    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.password.clear()
        self.repeat.clear()
        self.problem.setText(text)
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_busy(self, busy: bool) -> None:
        self.go.setEnabled(not busy)
        if busy:
            self.problem.setText(self.tr("Checking…"))

    # ---------------------------------------------------------------------- events
    def _submit(self) -> None:
        if not self.go.isEnabled():
            return
        login, password = self.login.text().strip(), self.password.text()
        if self.mode is LockMode.SET_UP:
            name = self.name.text().strip()
            if not name or not login or not password:
                self.problem.setText(self.tr("Fill in your name, login and password."))
                return
            if password != self.repeat.text():
                self.show_error(self.tr("The two passwords differ. Type them again."))
                return
            self.set_busy(True)
            self.set_up_requested.emit(name, login, password)
            return
        if not login or not password:
            self.problem.setText(self.tr("Type your login and password."))
            self._focus_first_empty()
            return
        self.set_busy(True)
        self.sign_in_requested.emit(login, password)

    def _escape(self) -> None:
        if self.mode is LockMode.LEAVE_KIOSK:
            self.back_requested.emit()
