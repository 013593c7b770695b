"""A required purpose for anything that takes a list of people off the laptop (ROS-4)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.ui.common.widgets import PlainLabel

DEFAULT_MIN_PURPOSE = 8  # services.exports.MIN_PURPOSE_LENGTH; callers pass the real one


class PurposeField(QWidget):
    """A required purpose: a line edit and a line saying what is missing (ROS-4).

    ``validity_changed`` fires when the text becomes acceptable or stops being so."""

    validity_changed = Signal(bool)

    def __init__(
        self,
        min_length: int = DEFAULT_MIN_PURPOSE,
        max_length: int = 300,
        text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._min = min_length
        self.edit = QLineEdit()
        self.edit.setMaxLength(max_length)
        self.edit.setPlaceholderText(self.tr("What is this list for? e.g. Name tags for June"))
        self.edit.setAccessibleName(self.tr("Purpose"))
        self.hint = PlainLabel()
        self.hint.setWordWrap(True)
        self.hint.setObjectName("purposeHint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.hint)
        self.setFocusProxy(self.edit)
        self._valid = False
        self.edit.textChanged.connect(self._check)
        self.edit.setText(text)
        self._check()

    def purpose(self) -> str:
        return " ".join(self.edit.text().split())

    def is_valid(self) -> bool:
        return self._valid

    def _check(self) -> None:
        text = self.purpose()
        if not text:
            self.hint.setText(
                self.tr(
                    "A purpose is required (ROS-4): say what the list is for. It is recorded "
                    "with the export."
                )
            )
        elif len(text) < self._min:
            self.hint.setText(
                self.tr("Say a little more: at least {n} characters (ROS-4).").format(n=self._min)
            )
        else:
            self.hint.setText(self.tr("Recorded with the print or export (ROS-4)."))
        valid = len(text) >= self._min
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)


class PurposeDialog(QDialog):
    """Just the purpose, for prints that have no fields to choose (the sign-in sheet)."""

    def __init__(
        self,
        title: str,
        question: str,
        prefill: str = "",
        min_length: int = DEFAULT_MIN_PURPOSE,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.question = PlainLabel(question)
        self.question.setWordWrap(True)
        self.purpose = PurposeField(min_length, text=prefill)
        note = PlainLabel(
            self.tr(
                "Every page will say it is confidential, who printed it and when; the print is "
                "recorded in the audit trail (ROS-4)."
            )
        )
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.purpose.validity_changed.connect(self.ok_button.setEnabled)
        self.ok_button.setEnabled(self.purpose.is_valid())
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.purpose)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.resize(480, self.sizeHint().height())
        self.purpose.edit.selectAll()
        self.purpose.setFocus()
