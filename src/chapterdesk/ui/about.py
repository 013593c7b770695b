"""About dialog: which version, and exactly where this laptop keeps the chapter data."""

from __future__ import annotations

import platform
from typing import TYPE_CHECKING

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from chapterdesk.ui.common.widgets import PlainLabel, page_title

if TYPE_CHECKING:
    from chapterdesk.services.views import StoreFacts


class AboutDialog(QDialog):
    def __init__(self, facts: StoreFacts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About ChapterDesk"))
        self.setMinimumWidth(560)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fields: dict[str, PlainLabel] = {}
        encryption = (
            self.tr("Encrypted (SQLCipher); key kept in {place}").format(place=facts.key_kept_in)
            if facts.encrypted
            else self.tr("NOT encrypted (demo data)")
        )
        for key, label, value in (
            ("version", self.tr("Version"), facts.version),
            ("data_folder", self.tr("Data folder"), facts.data_folder),
            ("database_file", self.tr("Database file"), facts.database_file),
            ("encryption", self.tr("Encryption"), encryption),
            ("schema", self.tr("Database schema"), facts.schema_revision),
            ("device", self.tr("Device id"), facts.device_id),
            (
                "runtime",
                self.tr("Runtime"),
                f"Python {platform.python_version()} · Qt for Python {pyside_version}",
            ),
        ):
            field = PlainLabel(value)
            field.setObjectName(f"about_{key}")
            field.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
            self.fields[key] = field
            form.addRow(label + ":", field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title("ChapterDesk"))
        layout.addWidget(
            PlainLabel(
                self.tr("Meetings, check-in, partner decks and rosters for user-group chapters.")
            )
        )
        layout.addLayout(form)
        layout.addWidget(buttons)
