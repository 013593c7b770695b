"""Import members from the membership portal's export: the file's first rows with a choice of
field per column (guessed from the headers), then what the import will add, leave and reject —
by row, with the rule — before anything is written (issue 9)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QListWidget,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.domain.member_import import FIELD_WORDS, FIELDS
from chapterdesk.services.member_import import ImportPreview, Table
from chapterdesk.ui.common.widgets import PlainLabel

SAMPLE_ROWS = 5


class ImportDialog(QDialog):
    """``ask_preview(mapping, show)`` runs the service's preview off the GUI thread."""

    def __init__(
        self,
        table: Table,
        ask_preview: Callable[[dict[int, str], Callable[[ImportPreview], None]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import members — {name}").format(name=table.name))
        self.table = table
        self._ask = ask_preview
        self.preview: ImportPreview | None = None
        guessed = table.guessed_mapping()

        intro = PlainLabel(
            self.tr(
                "{n} rows. Check which field each column holds; columns left at “—” are "
                "not imported."
            ).format(n=len(table.rows))
            + (f"\n{table.note}" if table.note else "")
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        self.columns: list[QComboBox] = []
        for c, header in enumerate(table.headers):
            box = QComboBox()
            box.setObjectName(f"column_{c}")
            box.addItem("—", "")
            for name in FIELDS:
                box.addItem(self.tr(FIELD_WORDS[name]), name)
            box.setCurrentIndex(max(0, box.findData(guessed.get(c, ""))))
            box.currentIndexChanged.connect(self._changed)
            self.columns.append(box)
            grid.addWidget(PlainLabel(header or self.tr("(no header)")), 0, c)
            grid.addWidget(box, 1, c)
            for r, row in enumerate(table.rows[:SAMPLE_ROWS]):
                value = row[c] if c < len(row) else ""
                cell = PlainLabel("" if value is None else str(value))
                cell.setStyleSheet("color: #374151;")
                grid.addWidget(cell, 2 + r, c)
        holder = QWidget()
        holder.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        scroll.setMinimumHeight(200)

        self.summary = PlainLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: 600;")
        self.report = QListWidget()
        self.report.setObjectName("importReport")
        self.report.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton(
            self.tr("&Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("confirmImport")
        self.import_button.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll)
        layout.addWidget(self.summary)
        layout.addWidget(self.report, 1)
        layout.addWidget(buttons)
        self.resize(900, 620)
        self._changed()

    def mapping(self) -> dict[int, str]:
        return {
            c: str(box.currentData()) for c, box in enumerate(self.columns) if box.currentData()
        }

    def _changed(self, _index: int = -1) -> None:
        self.import_button.setEnabled(False)
        self.summary.setText(self.tr("Checking every row…"))
        self.report.clear()
        mapping = self.mapping()

        def show(preview: ImportPreview) -> None:
            if mapping != self.mapping():
                return  # another choice since
            self.preview = preview
            self._show(preview)

        self._ask(mapping, show)

    def _show(self, preview: ImportPreview) -> None:
        self.report.clear()
        if preview.problems:
            self.summary.setText("\n".join(preview.problems))
            return
        plan = preview.plan
        parts = [self.tr("{n} people to add").format(n=len(plan.people))]
        if plan.new_organisations:
            parts.append(
                self.tr("{n} new customer organisation(s)").format(n=len(plan.new_organisations))
            )
        if plan.already:
            parts.append(
                self.tr("{n} already on the roster (left as they are)").format(n=len(plan.already))
            )
        if plan.rejected:
            parts.append(self.tr("{n} row(s) rejected — not imported").format(n=len(plan.rejected)))
        self.summary.setText("; ".join(parts) + ".")
        for r in plan.rejected:
            self.report.addItem(f"✘ row {r.row}: {r.text} ({r.rule})")
        for r in plan.already:
            self.report.addItem(f"= row {r.row}: {r.text}")
        for name in plan.new_organisations:
            self.report.addItem(f"+ {name}: " + self.tr("new customer organisation (ORG-1)"))
        self.import_button.setEnabled(preview.ready)
