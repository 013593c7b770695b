"""Small widgets shared by pages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget


class PlainLabel(QLabel):
    """A label that never interprets its text as HTML: names and venues are untrusted input."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)


def page_title(text: str) -> QLabel:
    label = PlainLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(text)
    return label


def problem_label(bold: bool = False) -> PlainLabel:
    """Where a form says what is wrong, in the red every form uses."""
    label = PlainLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #b91c1c" + ("; font-weight: bold" if bold else ""))
    return label


def password_field(name: str) -> QLineEdit:
    """A masked field, named for screen readers (the label alone is not read with it)."""
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field
