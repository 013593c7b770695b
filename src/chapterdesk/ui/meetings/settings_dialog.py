"""The chapter's policy values: partner limits (MTG-5, ESC-5), idle lock (ROS-5), retention
(ROS-1) and the slide template (DECK-1), each with its default beside it and a way back to all
of them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.services.views import DEFAULT_CHAPTER_SETTINGS, ChapterSettings
from chapterdesk.ui.common.widgets import PlainLabel


def _spin(low: int, high: int, value: int, suffix: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSuffix(suffix)
    box.setValue(value)
    return box


class LimitsDialog(QDialog):
    """What a chapter sets. "Restore defaults" puts back the values of rules.md and the
    default template; nothing is saved until Save."""

    def __init__(self, settings: ChapterSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Chapter settings"))
        self.setMinimumWidth(620)
        d = DEFAULT_CHAPTER_SETTINGS
        self.per_company = _spin(1, 50, settings.max_partner_attendees)
        self.per_escort = _spin(1, 20, settings.max_escorted_companies)
        self.idle_lock = _spin(1, 240, settings.idle_lock_minutes, self.tr(" min"))
        self.retention = _spin(6, 120, settings.retention_months, self.tr(" months"))
        self._current_template = settings.template_name
        form = QFormLayout()
        for label, box, default in (
            (
                self.tr("People per partner company per meeting (MTG-5):"),
                self.per_company,
                d.max_partner_attendees,
            ),
            (
                self.tr("Partner companies one customer may escort (ESC-5):"),
                self.per_escort,
                d.max_escorted_companies,
            ),
            (
                self.tr("Lock this laptop after it is idle for (ROS-5):"),
                self.idle_lock,
                f"{d.idle_lock_minutes}{self.tr(' min')}",
            ),
            (
                self.tr("Keep prospects' contact data and check-in detail for (ROS-1):"),
                self.retention,
                f"{d.retention_months}{self.tr(' months')}",
            ),
        ):
            row = QHBoxLayout()
            row.addWidget(box)
            note = PlainLabel(self.tr("default {value}").format(value=default))
            box.setToolTip(self.tr("Default: {value}").format(value=default))
            note.setStyleSheet("color: #6b7280;")
            row.addWidget(note)
            row.addStretch(1)
            form.addRow(label, row)
        # DECK-1: the chapter's PowerPoint template; partners' decks are compared with it.
        self._template: str | None = None  # None: unchanged; "": the default; else a path
        self.template_label = QLabel()
        self.template_label.setObjectName("templateName")
        self._show_template(settings.template_name)
        choose = QPushButton(self.tr("Choose…"))
        choose.setObjectName("chooseTemplate")
        choose.clicked.connect(self._choose_template)
        default = QPushButton(self.tr("Use the default"))
        default.setObjectName("defaultTemplate")
        default.clicked.connect(self._default_template)
        row = QHBoxLayout()
        row.addWidget(self.template_label, 1)
        row.addWidget(choose)
        row.addWidget(default)
        form.addRow(self.tr("Slide template for partner decks (DECK-1):"), row)
        note = PlainLabel(
            self.tr(
                "These settings belong to the chapter: they reach the other leaders' laptops "
                "with the next sync."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #4b5563;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        self.restore_button = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        self.restore_button.clicked.connect(self.restore_defaults)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def settings(self) -> ChapterSettings:
        return ChapterSettings(
            self.per_company.value(),
            self.per_escort.value(),
            self.idle_lock.value(),
            self.retention.value(),
        )

    def template_choice(self) -> str | None:
        """None: keep the template; "": ChapterDesk's default; otherwise the chosen file."""
        return self._template

    def restore_defaults(self) -> None:
        d = DEFAULT_CHAPTER_SETTINGS
        self.per_company.setValue(d.max_partner_attendees)
        self.per_escort.setValue(d.max_escorted_companies)
        self.idle_lock.setValue(d.idle_lock_minutes)
        self.retention.setValue(d.retention_months)
        if self._current_template or self._template:
            self._default_template()

    def _show_template(self, name: str) -> None:
        self.template_label.setText(name or self.tr("ChapterDesk's default chapter template"))

    def _choose_template(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("The chapter's slide template"),
            "",
            self.tr("PowerPoint templates (*.potx *.pptx *.thmx)"),
        )
        if path:
            self._template = path
            self._show_template(Path(path).name)

    def _default_template(self) -> None:
        self._template = ""
        self._show_template("")
