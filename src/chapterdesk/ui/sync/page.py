"""Sync page: which server, account and laptop; online or not; what waits to go out; the changes
the server refused (with the rule and the fix) and the conflicts it resolved (docs/sync.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.sync.status import SyncIssue, SyncStatus
from chapterdesk.ui.common.tasks import EXPECTED
from chapterdesk.ui.common.widgets import PlainLabel, page_title
from chapterdesk.ui.sync.connect_dialog import ConnectDialog, DeskRun
from chapterdesk.ui.sync.issues import (
    DASH,
    IssueTable,
    conflict_model,
    issue_details,
    refused_model,
)
from chapterdesk.ui.sync.scheduler import SyncRound
from chapterdesk.ui.sync.wording import changes, full_time, plain_tooltip, tr


def round_summary(outcome: SyncRound) -> str:
    """One sentence on what a round did (shown after Sync now)."""
    if outcome.error is not None:
        if isinstance(outcome.error, EXPECTED):
            return str(outcome.error)
        return tr("Sync failed: {error}. The details are in the log file.").format(
            error=type(outcome.error).__name__
        )
    report = outcome.report
    if report is None:
        return ""
    parts = []
    if report.pushed:
        parts.append(tr("sent {n}").format(n=f"{report.pushed:,}"))
    if report.pulled:
        parts.append(tr("received {n}").format(n=f"{report.pulled:,}"))
    if report.rejected:
        parts.append(tr("{n} refused — see Sync issues").format(n=report.rejected))
    if report.merged:
        parts.append(tr("{n} merged with newer edits").format(n=report.merged))
    if not parts:
        return tr("Synced: nothing to send or receive.")
    return tr("Synced: {what}.").format(what=", ".join(parts))


class SyncPage(QWidget):
    """Shows what the window hands it (:meth:`set_status`, from the scheduler); runs the
    connect, disconnect and dismiss calls itself through ``run`` (``MainWindow.run``). Rounds
    are the scheduler's: Sync now only asks for one (``sync_requested``)."""

    sync_requested = Signal()
    server_changed = Signal()  # connected or disconnected: the scheduler starts over
    changed = Signal()  # an issue was dismissed: the status is stale
    notice = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._run: DeskRun | None = None
        self._status: SyncStatus | None = None
        self._update_message = ""
        self.dialog: ConnectDialog | None = None
        self.confirm: QMessageBox | None = None

        self.headline = PlainLabel()
        self.headline.setObjectName("syncHeadline")
        self.headline.setWordWrap(True)
        self._scale(self.headline, 1.2, bold=True)

        self.server_value = self._value("syncServer")
        self.account_value = self._value("syncAccount")
        self.device_value = self._value("syncDevice")
        self.connection_value = self._value("syncConnection")
        self.last_sync_value = self._value("syncLast")
        self.pending_value = self._value("syncPending")
        facts = QGridLayout()
        facts.setHorizontalSpacing(12)
        facts.setVerticalSpacing(6)
        for row, column, caption, value in (
            (0, 0, tr("Server:"), self.server_value),
            (1, 0, tr("Account:"), self.account_value),
            (2, 0, tr("This laptop:"), self.device_value),
            (0, 2, tr("Connection:"), self.connection_value),
            (1, 2, tr("Last successful sync:"), self.last_sync_value),
            (2, 2, tr("Waiting to go out:"), self.pending_value),
        ):
            label = PlainLabel(caption)
            self._scale(label, 1.1)
            facts.addWidget(label, row, column, Qt.AlignmentFlag.AlignTop)
            facts.addWidget(value, row, column + 1, Qt.AlignmentFlag.AlignTop)
            label.setBuddy(value)
        facts.setColumnStretch(1, 3)
        facts.setColumnStretch(3, 2)

        self.problem = PlainLabel()
        self.problem.setObjectName("syncProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b91c1c")
        self._scale(self.problem, 1.1)

        self.sync_button = QPushButton(self.tr("&Sync now"))
        self.sync_button.setToolTip(self.tr("Send and receive changes now (Ctrl+Shift+S)."))
        self.sync_button.clicked.connect(self.sync_requested)
        self.connect_button = QPushButton(self.tr("Co&nnect to server…"))
        self.connect_button.clicked.connect(self.open_connect)
        self.disconnect_button = QPushButton(self.tr("&Disconnect…"))
        self.disconnect_button.setToolTip(
            self.tr("Sign this laptop out of the server. Nothing on the laptop is deleted.")
        )
        self.disconnect_button.clicked.connect(self.ask_disconnect)
        self.round_label = PlainLabel()
        self.round_label.setObjectName("syncRound")
        self.round_label.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.sync_button, self.connect_button, self.disconnect_button):
            self._scale(button, 1.1)
            buttons.addWidget(button)
        buttons.addWidget(self.round_label, 1)

        self.refused = IssueTable(refused_model(), self.tr("Changes the server refused"))
        self.conflicts = IssueTable(conflict_model(), self.tr("Conflicts the server resolved"))
        for table, widths in (
            (self.refused, (130, 70, 200, 220)),
            (self.conflicts, (130, 200, 110, 140)),
        ):
            for column, width in enumerate(widths):
                table.setColumnWidth(column, width)
            table.selectionModel().selectionChanged.connect(lambda *_a: self._show_details())
            table.doubleClicked.connect(lambda _i: self._show_details())
            dismiss = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), table)
            dismiss.setContext(Qt.ShortcutContext.WidgetShortcut)
            dismiss.activated.connect(self.dismiss_selected)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.refused, "")
        self.tabs.addTab(self.conflicts, "")
        self.tabs.currentChanged.connect(lambda _i: self._show_details())
        self.details = PlainLabel()
        self.details.setObjectName("syncIssueDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._scale(self.details, 1.1)
        self.dismiss_button = QPushButton(self.tr("D&ismiss"))
        self.dismiss_button.setToolTip(
            self.tr("Take the selected issue off the list (Delete). It stays in the audit trail.")
        )
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        detail_row = QHBoxLayout()
        detail_row.addWidget(self.details, 1)
        detail_row.addWidget(
            self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight
        )
        issues_title = PlainLabel(self.tr("Sync issues"))
        self._scale(issues_title, 1.2, bold=True)
        self.issues_summary = PlainLabel()
        self.issues_summary.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("Sync")))
        layout.addWidget(self.headline)
        layout.addLayout(facts)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        layout.addSpacing(8)
        layout.addWidget(issues_title)
        layout.addWidget(self.issues_summary)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(detail_row)
        self.setFocusProxy(self.sync_button)
        self._render()

    # ------------------------------------------------------------------ wiring
    def bind(self, run: DeskRun) -> None:
        """Run connect, disconnect and dismiss through ``run`` (``MainWindow.run``)."""
        self._run = run
        self._render_buttons()

    def set_status(self, status: SyncStatus) -> None:
        old = self._status
        self._status = status
        if old is None or old.issues != status.issues:
            self._set_issues(status.issues)
        self._render()

    def set_update_needed(self, message: str) -> None:
        """The server answered 426 with ``message`` ("" once a round went through again)."""
        self._update_message = message
        self._render()

    def set_busy(self, busy: bool) -> None:
        if busy:
            self.round_label.setText(self.tr("Syncing…"))
        elif self.round_label.text() == self.tr("Syncing…"):
            self.round_label.clear()

    def show_round(self, outcome: SyncRound) -> None:
        """What a round someone asked for came to (rounds of the timer say nothing here)."""
        if outcome.manual:
            self.round_label.setText(round_summary(outcome))

    @property
    def status(self) -> SyncStatus | None:
        return self._status

    # ----------------------------------------------------------------- actions
    def open_connect(self) -> ConnectDialog | None:
        run = self._run
        if run is None:
            return None
        dialog = ConnectDialog(run, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        status = self._status
        if status is not None and status.server_url:
            dialog.url.setText(status.server_url)
        if status is not None and status.account_login:
            dialog.login.setText(status.account_login)
        dialog.connected.connect(self._connected)
        dialog.destroyed.connect(lambda _o=None: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _connected(self, status: SyncStatus) -> None:
        self.set_status(status)
        self.notice.emit(
            self.tr("Connected to {server}. The first sync starts now.").format(
                server=status.server_url
            )
        )
        self.server_changed.emit()

    def ask_disconnect(self) -> QMessageBox | None:
        """Asks first (window-modal, not blocking); :meth:`disconnect_server` does it."""
        status = self._status
        if self._run is None or status is None or not status.configured:
            return None
        text = self.tr(
            "Disconnect this laptop from {server}? It stops sending and receiving changes "
            "until someone connects it again. Nothing on this laptop is deleted."
        ).format(server=status.server_url)
        if status.pending:
            text += " " + self.tr(
                "{n} not sent yet stay here and go out after connecting again."
            ).format(n=changes(status.pending))
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Disconnect from the server"),
            text,
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        yes = box.addButton(self.tr("Disconnect"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_result: int) -> None:
            if box.clickedButton() is yes:
                self.disconnect_server()

        box.finished.connect(answered)
        box.destroyed.connect(lambda _o=None: setattr(self, "confirm", None))
        self.confirm = box
        box.open()
        return box

    def disconnect_server(self) -> None:
        run = self._run
        if run is None:
            return

        def done(_none: object) -> None:
            self.notice.emit(self.tr("This laptop is no longer connected to the server."))
            self.server_changed.emit()

        run(lambda desk: desk.disconnect_server(), done)

    def dismiss_selected(self) -> None:
        table = self._current_table()
        issue = table.current_issue()
        run = self._run
        if issue is None or run is None:
            return
        row = table.issues().index(issue)

        def done(_none: object) -> None:
            status = self._status
            if status is not None:
                kept = tuple(i for i in status.issues if i.id != issue.id)
                self._status = status = _with_issues(status, kept)
                self._set_issues(kept, select_row=row)
                self._render()
            self.changed.emit()

        run(lambda desk: desk.dismiss_sync_issue(issue.id), done)

    # ----------------------------------------------------------------- display
    def _current_table(self) -> IssueTable:
        return self.refused if self.tabs.currentWidget() is self.refused else self.conflicts

    def _set_issues(self, issues: Sequence[SyncIssue], select_row: int = -1) -> None:
        for table, kind in ((self.refused, "rejected"), (self.conflicts, "conflict")):
            current = table.current_issue()
            table.issue_model().set_rows([i for i in issues if i.kind == kind])
            keep = select_row if table is self._current_table() else -1
            table.select_issue(current.id if current else None, keep)
        refused, conflicts = len(self.refused.issues()), len(self.conflicts.issues())
        self.tabs.setTabText(0, self.tr("Refused changes ({n})").format(n=refused))
        self.tabs.setTabText(1, self.tr("Conflicts resolved ({n})").format(n=conflicts))
        if refused == 0 and conflicts and self.tabs.currentIndex() == 0:
            self.tabs.setCurrentIndex(1)
        if refused + conflicts == 0:
            self.issues_summary.setText(
                self.tr("No sync issues: every change sent so far was taken as it was.")
            )
        else:
            self.issues_summary.setText(
                self.tr(
                    "Nothing is dropped silently: a refused change names the rule and the fix; "
                    "a conflict shows the value every laptop now has and the one that lost."
                )
            )
        self._show_details()

    def _show_details(self) -> None:
        table = self._current_table()
        issue = table.current_issue()
        if issue is not None:
            self.details.setText(issue_details(issue))
        elif table.issues():
            self.details.setText(self.tr("Select an issue to read all of it."))
        else:
            self.details.clear()
        self.dismiss_button.setEnabled(issue is not None and self._run is not None)

    def _render(self) -> None:
        status = self._status
        configured = status is not None and status.configured
        if status is None:
            self.headline.setText(self.tr("Reading the sync status…"))
        elif self._update_message:
            self.headline.setText(
                self.tr("Update needed: {message}").format(message=self._update_message)
            )
        elif not configured:
            self.headline.setText(
                self.tr(
                    "This laptop is not connected to a chapter server. Until it is, everything "
                    "stays on this laptop. Connect to share check-ins and registrations with the "
                    "other desks."
                )
            )
        elif status.online:
            self.headline.setText(
                self.tr("Online — changes go out and come in every few seconds.")
                if status.pending == 0
                else self.tr("Online — {n} waiting to go out.").format(n=changes(status.pending))
            )
        elif status.online is None:
            self.headline.setText(self.tr("Connecting to the server…"))
        else:
            self.headline.setText(
                self.tr(
                    "Offline — the server does not answer. Work goes on here; changes are kept "
                    "and sent when it answers again."
                )
            )
        colour = {True: "#15803d", False: "#b45309", None: ""}.get(
            status.online if configured and status is not None else None, ""
        )
        if self._update_message:
            colour = "#b91c1c"
        self.headline.setStyleSheet(f"color: {colour}" if colour else "")

        if status is None or not configured:
            self.server_value.setText(self.tr("not connected") if status is not None else DASH)
            self.account_value.setText(DASH)
            self.device_value.setText(DASH)
        else:
            self.server_value.setText(status.server_url or DASH)
            account = status.account_name or DASH
            if status.account_login:
                account = f"{account} ({status.account_login})"
            self.account_value.setText(account)
            self.device_value.setText(
                (status.device_name or DASH)
                + (f"\n{self.tr('id')} {status.device_id}" if status.device_id else "")
            )
        if status is None:
            connection = DASH
        elif self._update_message:
            connection = self.tr("Update needed")
        elif not configured:
            connection = self.tr("Not connected to a server")
        elif status.online:
            connection = "● " + self.tr("Online")
        elif status.online is None:
            connection = self.tr("Not tried yet")
        else:
            connection = "● " + self.tr("Offline")
        self.connection_value.setText(connection)
        self.connection_value.setStyleSheet(f"color: {colour}" if colour else "")
        if status is None:
            self.last_sync_value.setText(DASH)
            self.pending_value.setText(DASH)
        else:
            self.last_sync_value.setText(
                full_time(status.last_success) if status.last_success else self.tr("never")
            )
            self.pending_value.setText(changes(status.pending))
        problem = ""
        if status is not None and configured and status.last_error and not status.online:
            problem = self.tr("Last problem: {error}").format(error=status.last_error)
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.problem.setToolTip(plain_tooltip(problem) if problem else "")
        self._render_buttons()

    def _render_buttons(self) -> None:
        status = self._status
        bound = self._run is not None
        configured = status is not None and status.configured
        self.sync_button.setEnabled(bound and configured)
        self.connect_button.setVisible(not configured)
        self.connect_button.setEnabled(bound and status is not None)
        self.disconnect_button.setVisible(configured)
        self.disconnect_button.setEnabled(bound)
        self.dismiss_button.setEnabled(bound and self._current_table().current_issue() is not None)
        if not configured and status is not None:
            self.setFocusProxy(self.connect_button)
        else:
            self.setFocusProxy(self.sync_button)

    def _value(self, name: str) -> PlainLabel:
        value = PlainLabel()
        value.setObjectName(name)
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._scale(value, 1.1)
        return value

    @staticmethod
    def _scale(widget: QWidget, factor: float, *, bold: bool = False) -> None:
        font = widget.font()
        font.setPointSizeF(font.pointSizeF() * factor)
        font.setBold(bold)
        widget.setFont(font)


def _with_issues(status: SyncStatus, issues: tuple[SyncIssue, ...]) -> SyncStatus:
    return replace(status, issues=issues)
