"""The People page (issue 8): the roster with the selected person beside it, the organisations,
and possible duplicates — where a leader keeps the chapter's roster right, offline.

Every change is a desk call in a worker; a refusal comes back with its rule and fix (shown by
the window). After a change the page reloads what it shows and tells the window (``changed``),
so other pages and the sync status catch up.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.services.roster_views import (
    ChangePreview,
    DuplicateRow,
    MergePreview,
    MergeResult,
    OrganisationRow,
    PersonDetail,
)
from chapterdesk.services.views import PersonRow
from chapterdesk.ui.common.forms import DeskRun, FormDialog, day_of
from chapterdesk.ui.common.widgets import PlainLabel, page_title
from chapterdesk.ui.people.changes_dialog import ConfirmChangesDialog, MoveDialog
from chapterdesk.ui.people.duplicates_panel import DuplicatesPanel
from chapterdesk.ui.people.import_flow import MemberImport
from chapterdesk.ui.people.merge_dialog import MergeDialog
from chapterdesk.ui.people.organisations_panel import (
    OrganisationDialog,
    OrganisationsPanel,
    PartnerOfRecordDialog,
)
from chapterdesk.ui.people.page import PeoplePage
from chapterdesk.ui.people.person_dialog import OptionalDate, PersonDialog
from chapterdesk.ui.people.person_panel import PersonPanel

if TYPE_CHECKING:
    from chapterdesk.services.desk import Desk
    from chapterdesk.services.roster_views import OrganisationDraft


DUPLICATES_TAB = 2


class RosterPage(QWidget):
    """Tabs: People (list + person), Organisations, Possible duplicates."""

    changed = Signal()  # data changed: other pages may be stale
    notice = Signal(str)  # a sentence for the status bar
    loaded = Signal()  # a reload finished (tests wait on it)
    detail_shown = Signal(str)  # the person panel shows this person (tests)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._call: DeskRun | None = None
        self._chapter: str | None = None
        self._can_edit = False
        self._organisations: list[OrganisationRow] = []
        self._wanted_person = ""
        self._duplicates_stale = True

        self.people = PeoplePage()
        title = self.people.layout().itemAt(0).widget()  # the page has its own title
        if title is not None:
            title.hide()
        self.person = PersonPanel()
        self.person.setObjectName("personPanel")
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.people)
        split.addWidget(self.person)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([760, 540])
        self.organisations = OrganisationsPanel()
        self.duplicates = DuplicatesPanel()
        self.tabs = QTabWidget()
        self.tabs.addTab(split, self.tr("&Roster"))
        self.tabs.addTab(self.organisations, self.tr("&Organisations"))
        self.tabs.addTab(self.duplicates, self.tr("Possible &duplicates"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.result = PlainLabel()
        self.result.setObjectName("rosterResult")
        self.result.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("People")))
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.result)
        self.setFocusProxy(self.people)

        self.people.notice.connect(self.notice)
        self.people.person_selected.connect(self._person_selected)
        self.people.add_requested.connect(self.add_person)
        self.people.import_requested.connect(self.import_members)
        self.people.table.doubleClicked.connect(lambda _i: self._edit_selected())
        self.person.edit_requested.connect(self.edit_person)
        self.person.convert_requested.connect(self.convert_person)
        self.person.move_requested.connect(self.move_person)
        self.person.undo_merge_requested.connect(self.undo_merge)
        self.person.clear_flag_requested.connect(self.clear_flag)
        self.organisations.add_requested.connect(lambda: self.edit_organisation(None))
        self.organisations.edit_requested.connect(self.edit_organisation)
        self.organisations.record_requested.connect(self.set_partner_of_record)
        self.organisations.remove_record_requested.connect(self.remove_partner_of_record)
        self.duplicates.merge_requested.connect(self.merge)

    # ------------------------------------------------------------------ wiring
    def bind(self, call: DeskRun, chapter_id: str | None, *, can_edit: bool) -> None:
        self._call = call
        self._chapter = chapter_id
        self._can_edit = can_edit
        self.people.bind(call, chapter_id)
        self.people.set_can_edit(can_edit)
        self.person.set_editable(can_edit)
        self.organisations.set_editable(can_edit)
        self.duplicates.set_editable(can_edit)

    def set_rows(self, rows: list[PersonRow]) -> None:
        """The window's load of the roster."""
        self.people.set_rows(rows)
        if self._wanted_person:
            self.people.select_person(self._wanted_person)
        self._load_side_lists()

    def reload(self, select: str = "") -> None:
        call, chapter = self._call, self._chapter
        if call is None or chapter is None:
            return
        self._wanted_person = select or (self.person.detail.id if self.person.detail else "")
        call(lambda d: d.people(chapter), self.set_rows)

    def _load_side_lists(self) -> None:
        """The organisations, and the duplicates when their tab is open (finding them on a
        roster of 100,000 takes seconds: not after every change made on another tab)."""
        call, chapter = self._call, self._chapter
        if call is None or chapter is None:
            self.loaded.emit()
            return
        with_duplicates = self.tabs.currentIndex() == DUPLICATES_TAB
        self._duplicates_stale = not with_duplicates

        def fetch(desk: Desk) -> tuple[list[OrganisationRow], list[DuplicateRow] | None]:
            found = desk.roster.duplicates(chapter) if with_duplicates else None
            return desk.roster.organisations(chapter), found

        def show(result: tuple[list[OrganisationRow], list[DuplicateRow] | None]) -> None:
            if chapter != self._chapter:
                return
            self._organisations, found = result
            self.organisations.set_rows(self._organisations)
            if found is not None:
                self._show_duplicates(found)
            self.loaded.emit()

        call(fetch, show)

    def _show_duplicates(self, found: list[DuplicateRow]) -> None:
        self.duplicates.set_rows(found)
        self.tabs.setTabText(
            DUPLICATES_TAB,
            self.tr("Possible &duplicates ({n})").format(n=len(found))
            if found
            else self.tr("Possible &duplicates"),
        )

    def _tab_changed(self, index: int) -> None:
        self.result.setText("")
        call, chapter = self._call, self._chapter
        if index != DUPLICATES_TAB or not self._duplicates_stale or call is None or not chapter:
            return
        self._duplicates_stale = False
        self.duplicates.summary.setText(self.tr("Looking for people who are on the roster twice…"))

        def show(found: list[DuplicateRow]) -> None:
            if chapter == self._chapter:
                self._show_duplicates(found)
                self.loaded.emit()

        call(lambda d: d.roster.duplicates(chapter), show)

    def _after_change(self, text: str, select: str = "") -> None:
        self.result.setText(text)
        self.notice.emit(text)
        self.changed.emit()
        self.reload(select)

    # ------------------------------------------------------------------ the person
    def _person_selected(self, person_id: str) -> None:
        call = self._call
        if not person_id or call is None:
            self.person.show_detail(None)
            return

        def show(detail: PersonDetail) -> None:
            current = self.people.row_of(self.people.table.currentIndex())
            if current is not None and current.id != detail.id:
                return  # another person was chosen meanwhile
            self.person.show_detail(detail)
            self.detail_shown.emit(detail.id)

        call(lambda d: d.roster.person(person_id), show)

    def _edit_selected(self) -> None:
        if self.person.detail is not None and self._can_edit:
            self.edit_person(self.person.detail.id)

    def add_person(self) -> None:
        call, chapter = self._call, self._chapter
        if call is None or chapter is None or not self._can_edit:
            return
        org = self.people.organisation_filter.currentData() or None
        dialog = PersonDialog(self._organisations, preset_organisation=org, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        draft = dialog.draft()
        call(
            lambda d: d.roster.save_person(chapter, None, draft),
            lambda pid: self._after_change(
                self.tr("{name} added to the roster.").format(
                    name=f"{draft.first_name.strip()} {draft.last_name.strip()}"
                ),
                pid,
            ),
        )

    def import_members(self) -> None:
        """Choose the portal's export, check it in a preview, add the good rows at once."""
        call, chapter = self._call, self._chapter
        if call is None or chapter is None or not self._can_edit:
            return
        self.member_import = MemberImport(
            self, call, chapter, self._after_change, self._import_failed
        )
        self.member_import.choose_file()

    def _import_failed(self, text: str) -> None:
        self.result.setText(text)
        self.notice.emit(text)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Import members"),
            text,
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()

    def edit_person(self, person_id: str) -> None:
        call, chapter, detail = self._call, self._chapter, self.person.detail
        if call is None or chapter is None or detail is None or detail.id != person_id:
            return
        dialog = PersonDialog(
            self._organisations, detail, contact_visible=detail.contact_visible, parent=self
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        draft = dialog.draft()
        call(
            lambda d: d.roster.save_person(chapter, person_id, draft),
            lambda _pid: self._after_change(
                self.tr("{name} saved.").format(name=detail.full_name), person_id
            ),
        )

    def convert_person(self, person_id: str) -> None:
        call, detail = self._call, self.person.detail
        if call is None or detail is None:
            return
        dialog = FormDialog(self.tr("Make {name} a member").format(name=detail.full_name), self)
        since = dialog.date(self.tr("Member since"))
        renewal = OptionalDate(self.tr("known"))
        renewal.set_value(date.today().replace(year=date.today().year + 1, day=1))
        dialog.form.addRow(self.tr("Renewal date"), renewal)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        start, renew = day_of(since), renewal.value()
        call(
            lambda d: d.roster.convert_to_member(person_id, start, renew),
            lambda _r: self._after_change(
                self.tr("{name} is now a member (ORG-5).").format(name=detail.full_name),
                person_id,
            ),
        )

    def move_person(self, person_id: str) -> None:
        call, detail = self._call, self.person.detail
        if call is None or detail is None:
            return

        def ask(org_id: str, show: Any) -> None:
            call(lambda d: d.roster.move_preview(person_id, org_id), show)

        dialog = MoveDialog(
            detail.full_name, detail.draft.organisation_id, self._organisations, ask, self
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        target = dialog.organisation_id()
        if target is None:
            return
        name = next((o.name for o in self._organisations if o.id == target), "")

        def done(preview: ChangePreview) -> None:
            extra = " " + "; ".join(preview.lines) if preview.lines else ""
            self._after_change(
                self.tr("{person} now works for {org}.").format(person=detail.full_name, org=name)
                + extra,
                person_id,
            )

        call(lambda d: d.roster.move_person(person_id, target), done)

    def clear_flag(self, registration_id: str) -> None:
        call, detail = self._call, self.person.detail
        if call is None or detail is None:
            return
        call(
            lambda d: d.roster.clear_flag(registration_id),
            lambda _r: self._after_change(self.tr("Flag cleared."), detail.id),
        )

    # ------------------------------------------------------------------ organisations
    def edit_organisation(self, organisation_id: str | None) -> None:
        call, chapter = self._call, self._chapter
        if call is None or chapter is None or not self._can_edit:
            return
        row = next((o for o in self._organisations if o.id == organisation_id), None)
        dialog = OrganisationDialog(row, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        draft = dialog.draft()

        def confirm(preview: ChangePreview) -> None:
            if not preview.empty:
                ask = ConfirmChangesDialog(
                    self.tr("Change {org}").format(org=draft.name),
                    self.tr("Saving {org} this way changes the following. Apply?").format(
                        org=draft.name
                    ),
                    preview,
                    self,
                )
                if ask.exec() != QDialog.DialogCode.Accepted:
                    return
            self._save_organisation(chapter, organisation_id, draft)

        call(lambda d: d.roster.organisation_preview(chapter, organisation_id, draft), confirm)

    def _save_organisation(
        self, chapter: str, organisation_id: str | None, draft: OrganisationDraft
    ) -> None:
        call = self._call
        if call is None:
            return

        def done(result: tuple[str, ChangePreview]) -> None:
            org_id, applied = result
            text = self.tr("{org} saved.").format(org=" ".join(draft.name.split()))
            if applied.lines:
                text += " " + "; ".join(applied.lines) + "."
            self._after_change(text)
            self.organisations.select(org_id)

        call(lambda d: d.roster.save_organisation(chapter, organisation_id, draft), done)

    def set_partner_of_record(self, customer_id: str) -> None:
        call = self._call
        customer = next((o for o in self._organisations if o.id == customer_id), None)
        if call is None or customer is None:
            return
        partners = [o for o in self._organisations if o.draft.category.value == "partner"]
        dialog = PartnerOfRecordDialog(customer, partners, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        line, partner, since = dialog.values()
        call(
            lambda d: d.roster.set_partner_of_record(customer_id, line, partner, since),
            lambda _r: self._after_change(
                self.tr("Partner of record for {org} saved (CND-2).").format(org=customer.name)
            ),
        )

    def remove_partner_of_record(self, record_id: str) -> None:
        call = self._call
        if call is None:
            return
        call(
            lambda d: d.roster.remove_partner_of_record(record_id),
            lambda _r: self._after_change(self.tr("Partner of record removed.")),
        )

    # ------------------------------------------------------------------ duplicates
    def merge(self, survivor_id: str, merged_id: str) -> None:
        call = self._call
        if call is None:
            return
        call(lambda d: d.roster.merge_preview(survivor_id, merged_id), self._ask_merge)

    def _ask_merge(self, preview: MergePreview) -> None:
        call = self._call
        if call is None:
            return
        dialog = MergeDialog(preview, self)
        self.merge_dialog = dialog  # tests reach it
        dialog.swap_requested.connect(
            lambda: self.merge(preview.merged.detail.id, preview.survivor.detail.id)
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        choices = dialog.choices()
        survivor, merged = preview.survivor.detail, preview.merged.detail

        def done(result: MergeResult) -> None:
            until = result.undo_until.astimezone()
            gone = merged.id
            self._show_duplicates(  # at once; the tab looks again when it is next opened
                [r for r in self.duplicates.rows if gone not in (r.first_id, r.second_id)]
            )
            self.tabs.setCurrentIndex(0)
            self._after_change(
                self.tr(
                    "{merged} merged into {survivor}: {moved} registration(s) moved, "
                    "{carried} check-in(s) carried over. Undo on the person until "
                    "{until:%H:%M}."
                ).format(
                    merged=merged.full_name,
                    survivor=survivor.full_name,
                    moved=result.moved,
                    carried=result.carried_check_ins,
                    until=until,
                ),
                result.survivor_id,
            )

        call(lambda d: d.roster.merge(survivor.id, merged.id, choices), done)

    def undo_merge(self, merge_id: str) -> None:
        call = self._call
        if call is None:
            return
        call(
            lambda d: d.roster.undo_merge(merge_id),
            lambda person_id: self._after_change(
                self.tr(
                    "Merge undone: both people are on the roster again, with their own "
                    "registrations and check-ins."
                ),
                person_id,
            ),
        )
