"""Possible duplicates tab of the People page: pairs that look like one person (same email;
same name at the same organisation; same name with other accents or case), strongest first."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from chapterdesk.services.roster_views import DuplicateRow
from chapterdesk.ui.common.forms import fill_table, new_table, selected_key
from chapterdesk.ui.common.widgets import PlainLabel


class DuplicatesPanel(QWidget):
    """``merge_requested(first_id, second_id)``: the page opens the merge dialog."""

    merge_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[DuplicateRow] = []
        intro = PlainLabel(
            self.tr(
                "People who may be on the roster twice — e.g. registered once at the door "
                "and once in advance. Merging keeps every registration and check-in."
            )
        )
        intro.setWordWrap(True)
        self.table = new_table(
            [
                self.tr("Person"),
                self.tr("Organisation"),
                self.tr("Looks like"),
                self.tr("Organisation"),
                self.tr("Why"),
            ]
        )
        self.table.setObjectName("duplicatesTable")
        self.table.setWordWrap(False)
        self.table.itemSelectionChanged.connect(self._selected)
        self.table.doubleClicked.connect(lambda _i: self._merge())
        self.merge_button = QPushButton(self.tr("&Merge…"))
        self.merge_button.setObjectName("mergePeople")
        self.merge_button.clicked.connect(self._merge)
        self.summary = PlainLabel()
        self.summary.setObjectName("duplicatesSummary")
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.merge_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(bar)
        self.set_editable(False)
        self._selected()

    def set_editable(self, allowed: bool) -> None:
        self._editable = allowed
        self.merge_button.setVisible(allowed)

    def set_rows(self, rows: list[DuplicateRow]) -> None:
        self.rows = rows
        fill_table(
            self.table,
            [
                [
                    r.first_name,
                    r.first_organisation,
                    r.second_name,
                    r.second_organisation,
                    r.reason_text,
                ]
                for r in rows
            ],
            [f"{r.first_id}|{r.second_id}" for r in rows],
        )
        for index, r in enumerate(rows):  # the shared address, where the reader may see it
            for column, email in ((0, r.first_email), (2, r.second_email)):
                item = self.table.item(index, column)
                if item is not None and email:
                    item.setToolTip(email)
        self.summary.setText(
            self.tr("{n} possible duplicate pair(s)").format(n=len(rows))
            if rows
            else self.tr("No likely duplicates on the roster.")
        )
        self._selected()

    def _selected(self) -> None:
        self.merge_button.setEnabled(selected_key(self.table) is not None)

    def _merge(self) -> None:
        key = selected_key(self.table)
        if key and self._editable:
            first, second = key.split("|", 1)
            self.merge_requested.emit(first, second)
