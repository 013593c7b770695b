"""The Sync page's issue lists: changes the server refused (rule, what, problem, fix) and
conflicts it resolved (field, the value kept, the value lost)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from chapterdesk.sync.status import SyncIssue
from chapterdesk.ui.common.table import ROW_ROLE, Column, RowTableModel, install_copy
from chapterdesk.ui.sync.wording import local, tr

DASH = "—"


def _when(issue: SyncIssue) -> str:
    return local(issue.at).strftime("%Y-%m-%d %H:%M")


def _what(issue: SyncIssue) -> str:
    return issue.entity_label or issue.entity


def refused_model() -> RowTableModel[SyncIssue]:
    return RowTableModel(
        [
            Column(tr("When"), _when, key=lambda i: i.at),
            Column(tr("Rule"), lambda i: i.rule_id or DASH, warning=lambda i: bool(i.rule_id)),
            Column(tr("What"), _what, tooltip=_what),
            Column(tr("Problem"), lambda i: i.message, tooltip=lambda i: i.message),
            Column(tr("Fix"), lambda i: i.fix, tooltip=lambda i: i.fix),
        ]
    )


def conflict_model() -> RowTableModel[SyncIssue]:
    return RowTableModel(
        [
            Column(tr("When"), _when, key=lambda i: i.at),
            Column(tr("What"), _what, tooltip=_what),
            Column(tr("Field"), lambda i: i.field or DASH),
            Column(
                tr("Kept"), lambda i: i.kept_value or DASH, tooltip=lambda i: i.kept_value or ""
            ),
            Column(
                tr("Lost"), lambda i: i.lost_value or DASH, tooltip=lambda i: i.lost_value or ""
            ),
        ]
    )


def issue_details(issue: SyncIssue) -> str:
    """Everything about one issue, for the pane under the table (cells cut long text)."""
    if issue.kind == "rejected":
        head = f"{issue.rule_id} · {_what(issue)}" if issue.rule_id else _what(issue)
        lines = [head, issue.message]
        if issue.fix:
            lines.append(tr("Fix: {fix}").format(fix=issue.fix))
        return "\n".join(lines)
    head = _what(issue) + (f" · {issue.field}" if issue.field else "")
    lines = [
        head,
        tr("Kept: {value}").format(value=issue.kept_value or DASH),
        tr("Lost: {value} (kept in the audit trail)").format(value=issue.lost_value or DASH),
    ]
    if issue.message:
        lines.append(issue.message)
    if issue.fix:
        lines.append(tr("Fix: {fix}").format(fix=issue.fix))
    return "\n".join(lines)


class IssueTable(QTableView):
    def __init__(self, model: RowTableModel[SyncIssue], name: str) -> None:
        super().__init__()
        self.setModel(model)
        self.setAccessibleName(name)
        self.setSortingEnabled(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        install_copy(self)

    def issue_model(self) -> RowTableModel[SyncIssue]:
        model = self.model()
        assert isinstance(model, RowTableModel)
        return model

    def current_issue(self) -> SyncIssue | None:
        rows = self.selectionModel().selectedRows()
        if not rows:
            return None
        issue: SyncIssue = rows[0].data(ROW_ROLE)
        return issue

    def issues(self) -> list[SyncIssue]:
        model = self.issue_model()
        return [model.row_at(r) for r in range(model.rowCount())]

    def select_issue(self, issue_id: str | None, fallback_row: int = -1) -> None:
        issues = self.issues()
        row = next((r for r, i in enumerate(issues) if i.id == issue_id), -1)
        if row < 0 and issues and fallback_row >= 0:
            row = min(fallback_row, len(issues) - 1)
        if row >= 0:
            self.selectionModel().setCurrentIndex(
                self.model().index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
