"""Asking before a roster leaves the laptop: format, fields, purpose, and the mark it carries.

ROS-4: exports and prints of people lists are leaders only, need a purpose, carry a
confidential mark on every page and are recorded. The service refuses what breaks the rule
anyway; this dialog says it up front, so a leader is not refused after choosing a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.ui.common.pdf_files import suggested_path
from chapterdesk.ui.common.purpose import PurposeField
from chapterdesk.ui.common.widgets import PlainLabel

if TYPE_CHECKING:  # the services pull in SQLAlchemy: only for type checking here
    from chapterdesk.services.exports import ExportOptions

PDF = "pdf"  # services.exports.ExportFormat values, without importing the services here
CSV = "csv"


@dataclass(frozen=True)
class ExportChoice:
    kind: str  # "pdf" or "csv"
    fields: tuple[str, ...]  # services.exports.RosterField values, in print order
    purpose: str


class ExportDialog(QDialog):
    """Format, fields (contact fields marked and unticked), purpose, the exact mark; OK only
    once a purpose is given and at least one field is ticked."""

    def __init__(self, options: ExportOptions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.options = options
        self.setWindowTitle(
            self.tr("Export the roster — {chapter}").format(chapter=options.chapter_name)
        )

        self.pdf_button = QRadioButton(self.tr("&PDF, to print"))
        self.csv_button = QRadioButton(self.tr("&CSV, for a spreadsheet"))
        self.pdf_button.setChecked(True)
        formats = QButtonGroup(self)
        formats.addButton(self.pdf_button)
        formats.addButton(self.csv_button)
        format_row = QHBoxLayout()
        format_row.addWidget(self.pdf_button)
        format_row.addWidget(self.csv_button)
        format_row.addStretch(1)

        self.field_boxes: dict[str, QCheckBox] = {}
        fields_box = QGroupBox(self.tr("Fields"))
        fields_layout = QVBoxLayout(fields_box)
        for choice in options.fields:
            label = choice.label
            if choice.contact:
                label = self.tr("{field} — contact detail, confidential (ROS-1)").format(
                    field=choice.label
                )
            box = QCheckBox(label)
            box.setChecked(choice.checked and not choice.contact)
            box.toggled.connect(self._update_ok)
            self.field_boxes[choice.field.value] = box
            fields_layout.addWidget(box)

        self.purpose = PurposeField(options.min_purpose_length, options.max_purpose_length)
        self.purpose.validity_changed.connect(self._update_ok)

        self.mark = PlainLabel(options.mark)
        self.mark.setObjectName("exportMark")
        self.mark.setWordWrap(True)
        font = self.mark.font()
        font.setBold(True)
        self.mark.setFont(font)
        self.audit_note = PlainLabel(
            self.tr(
                "{n} people. The export is recorded in the chapter's audit trail: who, when, the "
                "purpose, the fields and how many people (ROS-4). Use it for chapter purposes "
                "only, never for advertising or campaigns (ROS-1, ROS-3)."
            ).format(n=options.people)
        )
        self.audit_note.setWordWrap(True)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("&Export…"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.why_not = PlainLabel()
        self.why_not.setObjectName("exportWhyNot")
        self.why_not.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Format:"), format_row)
        form.addRow(self.tr("P&urpose:"), self.purpose)
        form.addRow(self.tr("Every page says:"), self.mark)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(fields_box)
        layout.addWidget(self.audit_note)
        layout.addWidget(self.why_not)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())
        self.purpose.setFocus()
        self._update_ok()

    def chosen_fields(self) -> tuple[str, ...]:
        return tuple(
            c.field.value
            for c in self.options.fields
            if self.field_boxes[c.field.value].isChecked()
        )

    def kind(self) -> str:
        return CSV if self.csv_button.isChecked() else PDF

    def choice(self) -> ExportChoice:
        return ExportChoice(self.kind(), self.chosen_fields(), self.purpose.purpose())

    def _update_ok(self, *_args: object) -> None:
        missing = []
        if not self.purpose.is_valid():
            missing.append(self.tr("say what the list is for"))
        if not self.chosen_fields():
            missing.append(self.tr("tick at least one field"))
        self.ok_button.setEnabled(not missing)
        self.why_not.setText(
            self.tr("To export, {what}.").format(what=self.tr(" and ").join(missing))
            if missing
            else ""
        )


def ask_export_path(parent: QWidget, kind: str, suggested: str) -> Path | None:
    """The save dialog for a roster export, with a safe suggested name and the right ending."""
    suffix = f".{kind}"
    start = str(Path(suggested_path(suggested)).with_suffix(suffix))
    file_filter = parent.tr("CSV files (*.csv)") if kind == CSV else parent.tr("PDF files (*.pdf)")
    path, _filter = QFileDialog.getSaveFileName(
        parent, parent.tr("Save the roster"), start, file_filter
    )
    if not path:
        return None
    return Path(path if path.lower().endswith(suffix) else f"{path}{suffix}")
