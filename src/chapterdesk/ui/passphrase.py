"""Asks for the database passphrase when no OS keyring can hold the key (ROS-5)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.ui.common.widgets import PlainLabel, password_field, problem_label

MIN_LENGTH = 10


class PassphraseDialog(QDialog):
    """``creating`` asks twice and explains why; otherwise asks once to unlock."""

    def __init__(
        self, creating: bool, folder: str, reason: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.creating = creating
        self.setWindowTitle(
            self.tr("Protect the chapter data") if creating else self.tr("Unlock ChapterDesk")
        )
        self.setMinimumWidth(520)
        if creating:
            text = self.tr(
                "No system keyring is available on this computer{why}, so ChapterDesk cannot "
                "keep the database key there. Choose a passphrase instead: the roster in {folder} "
                "is encrypted with it, and it is never written to disk. Without it the data "
                "cannot be recovered."
            ).format(why=f" ({reason})" if reason else "", folder=folder)
        else:
            text = self.tr(
                "Enter the passphrase that protects the chapter data in {folder}."
            ).format(folder=folder)
        intro = PlainLabel(text)
        intro.setWordWrap(True)
        self.first = password_field(self.tr("Passphrase"))
        self.second = password_field(self.tr("Repeat passphrase"))
        self.problem = problem_label()
        form = QFormLayout()
        form.addRow(self.tr("Passphrase:"), self.first)
        if creating:
            form.addRow(self.tr("Repeat it:"), self.second)
        else:
            self.second.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def passphrase(self) -> str:
        return self.first.text()

    def _check(self) -> None:
        if self.creating:
            if len(self.first.text()) < MIN_LENGTH:
                self.problem.setText(self.tr("Use at least {n} characters.").format(n=MIN_LENGTH))
                return
            if self.first.text() != self.second.text():
                self.problem.setText(self.tr("The two passphrases differ."))
                return
        elif not self.first.text():
            self.problem.setText(self.tr("Enter the passphrase."))
            return
        self.accept()
