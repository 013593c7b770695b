"""Decks page: presentation slots, deck versions, the checker's findings next to the slides,
and the leader's decision on one exact file (DECK-1…5, PRT-5, MTG-8)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.domain.decks import SlideText
from chapterdesk.domain.enums import DeckDecision
from chapterdesk.services.views import FindingRow, SlotRow, VersionRow
from chapterdesk.ui.common.pdf_files import ask_save_path, open_saved
from chapterdesk.ui.common.table import ROW_ROLE, RowTableModel, SearchProxy
from chapterdesk.ui.common.widgets import PlainLabel, page_title
from chapterdesk.ui.decks.dialogs import DecisionDialog, SlotDialog
from chapterdesk.ui.decks.model import DECISION_LABELS, finding_model, slot_model

if TYPE_CHECKING:
    from chapterdesk.services.desk import Desk

DeskCall = Callable[[Callable[["Desk"], Any], Callable[[Any], None]], None]
DECK_SUFFIXES = (".pptx", ".pptm", ".ppsx", ".potx")


def _table(model: RowTableModel[Any]) -> tuple[QTableView, SearchProxy]:
    proxy = SearchProxy(lambda _row: "")
    proxy.setSourceModel(model)
    table = QTableView()
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    return table, proxy


class DecksPage(QWidget):
    """The window binds a desk call and the chapter; everything else the page loads itself."""

    changed = Signal()
    notice = Signal(str)
    loaded = Signal()  # slots, versions or findings were (re)loaded: for tests

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._call: DeskCall | None = None
        self._chapter_id: str | None = None
        self._versions: list[VersionRow] = []
        self._outline: list[SlideText] = []
        self.setAcceptDrops(True)

        self.new_slot_button = QPushButton(self.tr("&New slot…"))
        self.add_button = QPushButton(self.tr("&Add deck…"))
        self.add_button.setToolTip(self.tr("Or drop a .pptx file on this page."))
        self.recheck_button = QPushButton(self.tr("Re-&check"))
        self.report_button = QPushButton(self.tr("Review &report…"))
        self.handouts = QCheckBox(self.tr("Handouts approved (MTG-8)"))
        self.new_slot_button.clicked.connect(self.new_slot)
        self.add_button.clicked.connect(self.choose_file)
        self.recheck_button.clicked.connect(self.recheck)
        self.report_button.clicked.connect(self.save_report)
        self.handouts.clicked.connect(self._set_handouts)
        actions = QHBoxLayout()
        for w in (
            self.new_slot_button,
            self.add_button,
            self.recheck_button,
            self.report_button,
            self.handouts,
        ):
            actions.addWidget(w)
        actions.addStretch(1)

        self.slots_model = slot_model()
        self.slots_table, self.slots_proxy = _table(self.slots_model)
        self.slots_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.slots_table.selectionModel().currentRowChanged.connect(
            lambda *_: self._load_versions()
        )

        self.version = QComboBox()
        self.version.setAccessibleName(self.tr("Deck version"))
        self.version.currentIndexChanged.connect(lambda _i: self._load_findings())
        self.version_state = PlainLabel()
        self.version_state.setWordWrap(True)

        self.findings_model = finding_model()
        self.findings_table, self.findings_proxy = _table(self.findings_model)
        header = self.findings_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.findings_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.findings_table.selectionModel().currentRowChanged.connect(self._on_finding)
        self.outline = QListWidget()
        self.outline.setAccessibleName(self.tr("Slides"))
        self.outline.setWordWrap(True)
        self.outline.setAlternatingRowColors(True)

        self.dismiss_button = QPushButton(self.tr("&Dismiss finding…"))
        self.restore_button = QPushButton(self.tr("Restore finding"))
        self.approve_button = QPushButton(self.tr("A&pprove"))
        self.changes_button = QPushButton(self.tr("Ask for &changes…"))
        self.reject_button = QPushButton(self.tr("Re&ject…"))
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        self.restore_button.clicked.connect(self.restore_selected)
        self.approve_button.clicked.connect(lambda: self.decide(DeckDecision.APPROVED))
        self.changes_button.clicked.connect(lambda: self.decide(DeckDecision.CHANGES_REQUESTED))
        self.reject_button.clicked.connect(lambda: self.decide(DeckDecision.REJECTED))
        decisions = QHBoxLayout()
        for b in (self.dismiss_button, self.restore_button):
            decisions.addWidget(b)
        decisions.addStretch(1)
        for b in (self.approve_button, self.changes_button, self.reject_button):
            decisions.addWidget(b)

        review = QSplitter(Qt.Orientation.Horizontal)
        review.addWidget(self.findings_table)
        review.addWidget(self.outline)
        review.setStretchFactor(0, 3)
        review.setStretchFactor(1, 2)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        version_row = QHBoxLayout()
        version_row.addWidget(PlainLabel(self.tr("Version:")))
        version_row.addWidget(self.version, 1)
        detail_layout.addLayout(version_row)
        detail_layout.addWidget(self.version_state)
        detail_layout.addWidget(review, 1)
        detail_layout.addLayout(decisions)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.slots_table)
        split.addWidget(detail)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)

        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("Decks")))
        layout.addLayout(actions)
        layout.addWidget(split, 1)
        self._update_buttons()

    # ------------------------------------------------------------------ wiring
    def bind(self, call: DeskCall, chapter_id: str | None) -> None:
        self._call = call
        self._chapter_id = chapter_id
        self.reload()

    def reload(self, select_slot: str | None = None) -> None:
        chapter, call = self._chapter_id, self._call
        if chapter is None or call is None:
            return
        keep = select_slot or (self.current_slot().id if self.current_slot() else None)

        def show(rows: list[SlotRow]) -> None:
            self.slots_model.set_rows(rows)
            self._select_slot(keep)
            self._update_buttons()
            self.loaded.emit()

        call(lambda d: d.chapter_slots(chapter), show)

    # -------------------------------------------------------------- selection
    def current_slot(self) -> SlotRow | None:
        index = self.slots_table.selectionModel().currentIndex()
        row: SlotRow | None = index.data(ROW_ROLE) if index.isValid() else None
        return row

    def current_version(self) -> VersionRow | None:
        i = self.version.currentIndex()
        return self._versions[i] if 0 <= i < len(self._versions) else None

    def current_finding(self) -> FindingRow | None:
        index = self.findings_table.selectionModel().currentIndex()
        row: FindingRow | None = index.data(ROW_ROLE) if index.isValid() else None
        return row

    def _select_slot(self, slot_id: str | None) -> None:
        for r in range(self.slots_proxy.rowCount()):
            row = self.slots_proxy.index(r, 0).data(ROW_ROLE)
            if slot_id is None or row.id == slot_id:
                self.slots_table.selectRow(r)
                return
        self._load_versions()

    # ------------------------------------------------------------------ loading
    def _load_versions(self, select_version: str | None = None) -> None:
        slot, call = self.current_slot(), self._call
        self.handouts.setChecked(bool(slot and slot.handouts_approved))
        self.handouts.setEnabled(slot is not None and not slot.sponsor)
        self.handouts.setToolTip(
            self.tr("Covered by the paid sponsorship (PRT-5)") if slot and slot.sponsor else ""
        )
        if slot is None or call is None:
            self._set_versions([], None)
            return
        call(
            lambda d: d.deck_versions(slot.id),
            lambda rows: self._set_versions(rows, select_version),
        )

    def _set_versions(self, rows: list[VersionRow], select_version: str | None) -> None:
        self._versions = sorted(rows, key=lambda v: v.number, reverse=True)
        self.version.blockSignals(True)
        self.version.clear()
        for v in self._versions:
            self.version.addItem(
                self.tr("v{n} — {name} ({sha}…) — {decision}").format(
                    n=v.number,
                    name=v.filename,
                    sha=v.short_sha,
                    decision=DECISION_LABELS[v.decision],
                ),
                v.id,
            )
        wanted = next((i for i, v in enumerate(self._versions) if v.id == select_version), 0)
        self.version.setCurrentIndex(wanted if self._versions else -1)
        self.version.blockSignals(False)
        self._load_findings()

    def _load_findings(self) -> None:
        version, call = self.current_version(), self._call
        self._describe_version(version)
        if version is None or call is None:
            self.findings_model.set_rows([])
            self._show_outline([])
            self._update_buttons()
            self.loaded.emit()
            return

        def show(result: tuple[list[FindingRow], list[SlideText]]) -> None:
            if self.current_version() is None or self.current_version().id != version.id:
                return
            findings, outline = result
            self.findings_model.set_rows(findings)
            self._show_outline(outline)
            self._update_buttons()
            self.loaded.emit()

        call(lambda d: (d.deck_findings(version.id), d.deck_outline(version.id)), show)

    def _describe_version(self, v: VersionRow | None) -> None:
        if v is None:
            slot = self.current_slot()
            self.version_state.setText(
                self.tr("No deck yet: add the partner's .pptx (or drop it here).")
                if slot
                else self.tr("Choose or create a presentation slot.")
            )
            return
        if v.refused:
            text = self.tr("The checker could not read this file: {why}").format(why=v.refused)
        elif not v.checked:
            text = self.tr("Not checked yet.")
        else:
            text = self.tr("{b} broken rule(s), {w} warning(s), {d} dismissed.").format(
                b=v.open_breaking, w=v.open_warnings, d=v.dismissed
            )
        decision = DECISION_LABELS[v.decision]
        if v.decided_by_name:
            decision += self.tr(" by {name}").format(name=v.decided_by_name)
        if v.comment:
            decision += f" — “{v.comment}”"
        self.version_state.setText(f"{text}  {self.tr('Decision')}: {decision}")

    def _show_outline(self, slides: list[SlideText]) -> None:
        self._outline = slides
        self.outline.clear()
        for s in slides:
            lines = [
                f"{s.number}. {s.title or self.tr('(no title)')}"
                + (self.tr("  [hidden]") if s.hidden else "")
            ]
            body = [line for text in s.body[:12] for line in text.splitlines() if line.strip()]
            lines += [f"    {line}" for line in body[:12]]
            if s.notes:
                notes = " ".join(s.notes.split())[:300]
                lines.append("    " + self.tr("Notes: {notes}").format(notes=notes))
            item = QListWidgetItem("\n".join(lines))
            item.setData(Qt.ItemDataRole.UserRole, s.number)
            self.outline.addItem(item)

    def _on_finding(self, current: QModelIndex | QPersistentModelIndex, _prev: object) -> None:
        """Jump from a finding to its slide in the outline."""
        finding: FindingRow | None = current.data(ROW_ROLE) if current.isValid() else None
        self._update_buttons()
        if finding is None or finding.slide == 0:
            return
        for i in range(self.outline.count()):
            if self.outline.item(i).data(Qt.ItemDataRole.UserRole) == finding.slide:
                self.outline.setCurrentRow(i)
                self.outline.scrollToItem(self.outline.item(i))
                return

    # ------------------------------------------------------------------ actions
    def new_slot(self) -> None:
        chapter, call = self._chapter_id, self._call
        if chapter is None or call is None:
            return

        def ask(result: tuple[list[Any], list[Any]]) -> None:
            meetings, presenters = result
            upcoming = [m for m in meetings if not m.is_past and not m.cancelled]
            dialog = SlotDialog(upcoming, presenters, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            meeting_id, topic, org_id, speaker = dialog.values()
            self._write(
                lambda d: d.create_slot(meeting_id, topic, org_id, speaker),
                lambda slot_id: self.reload(slot_id),
            )

        call(lambda d: (d.meetings(chapter), d.presenter_choices(chapter)), ask)

    def choose_file(self) -> None:
        if self.current_slot() is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Add a deck version"),
            "",
            self.tr("PowerPoint decks (*.pptx *.pptm *.ppsx *.potx);;All files (*)"),
        )
        if path:
            self.add_file(Path(path))

    def add_file(self, path: Path) -> None:
        """Store the file as a new version, then check it in the worker (DECK-5)."""
        slot = self.current_slot()
        if slot is None or self._call is None:
            return
        self.notice.emit(self.tr("Checking {name}…").format(name=path.name))

        def after(version: VersionRow) -> None:
            self._load_versions(version.id)
            self.recheck(version)

        self._write(lambda d: d.add_deck_file(slot.id, path), after)

    def recheck(self, version: VersionRow | None = None) -> None:
        version = version if isinstance(version, VersionRow) else self.current_version()
        if version is None:
            return
        self._write(
            lambda d: d.analyse_deck(version.id), lambda _report: self._after_check(version)
        )

    def _after_check(self, version: VersionRow) -> None:
        self.notice.emit(self.tr("{name} checked.").format(name=version.filename))
        self.reload()
        self._load_versions(version.id)

    def dismiss_selected(self) -> None:
        finding = self.current_finding()
        if finding is None or finding.dismissed:
            return
        reason, ok = QInputDialog.getText(
            self,
            self.tr("Dismiss finding"),
            self.tr("Why does “{text}” not break {rule}?").format(
                text=finding.text[:80], rule=finding.rule_id
            ),
        )
        if ok and reason.strip():
            self._write(
                lambda d: d.dismiss_finding(finding.id, reason.strip()),
                lambda _f: self._reload_version(),
            )

    def restore_selected(self) -> None:
        finding = self.current_finding()
        if finding is not None and finding.dismissed:
            self._write(lambda d: d.restore_finding(finding.id), lambda _f: self._reload_version())

    def decide(self, decision: DeckDecision) -> None:
        version = self.current_version()
        if version is None:
            return
        comment = ""
        if decision is not DeckDecision.APPROVED or version.open_warnings:
            dialog = DecisionDialog(decision, version.filename, version.short_sha, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            comment = dialog.text()
        self._write(
            lambda d: d.decide_deck(version.id, decision, comment),
            lambda _v: self._reload_version(),
        )

    def save_report(self) -> None:
        version = self.current_version()
        if version is None or self._call is None:
            return
        target = ask_save_path(
            self,
            self.tr("Save review report"),
            f"review {Path(version.filename).stem} v{version.number}",
        )
        if target is None:
            return

        def write(desk: Desk) -> Path:
            from chapterdesk.reports.review import review_report_pdf

            review_report_pdf(desk.review_data(version.id), target)
            return target

        self._call(
            write,
            lambda path: open_saved(
                path, self.tr("Review report saved to {path}").format(path=path), self.notice.emit
            ),
        )

    def _set_handouts(self, checked: bool) -> None:
        slot = self.current_slot()
        if slot is not None:
            self._write(lambda d: d.set_handouts(slot.id, checked), lambda _s: self.reload(slot.id))

    def _reload_version(self) -> None:
        version = self.current_version()
        self.reload()
        self._load_versions(version.id if version else None)

    def _write(self, job: Callable[[Desk], Any], then: Callable[[Any], None]) -> None:
        if self._call is None:
            return

        def done(result: Any) -> None:
            self.changed.emit()
            then(result)

        self._call(job, done)

    def _update_buttons(self) -> None:
        bound = self._call is not None and self._chapter_id is not None
        slot, version, finding = self.current_slot(), self.current_version(), self.current_finding()
        self.new_slot_button.setEnabled(bound)
        self.add_button.setEnabled(slot is not None)
        for b in (
            self.recheck_button,
            self.report_button,
            self.approve_button,
            self.changes_button,
            self.reject_button,
        ):
            b.setEnabled(version is not None)
        self.dismiss_button.setEnabled(finding is not None and not finding.dismissed)
        self.restore_button.setEnabled(finding is not None and finding.dismissed)

    # --------------------------------------------------------------- drag & drop
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        urls = event.mimeData().urls()
        if (
            self.current_slot() is not None
            and len(urls) == 1
            and urls[0].toLocalFile().lower().endswith(DECK_SUFFIXES)
        ):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        urls = event.mimeData().urls()
        if urls:
            self.add_file(Path(urls[0].toLocalFile()))
            event.acceptProposedAction()
