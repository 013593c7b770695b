"""The People page's roster-management calls (``Desk.roster``): each opens its own unit of
work and acts as the signed-in person, so the page never holds a session or an ORM object."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from chapterdesk.domain.permissions import Action, allows
from chapterdesk.services import member_import, merges, organisations, roster
from chapterdesk.services.roster_views import (
    ChangePreview,
    DuplicateRow,
    MergePreview,
    MergeResult,
    OrganisationDraft,
    OrganisationRow,
    PersonDetail,
    PersonDraft,
)

if TYPE_CHECKING:
    from chapterdesk.domain.actors import Actor
    from chapterdesk.store.database import Store


class RosterDesk:
    def __init__(self, store: Store, actor: Callable[[], Actor]) -> None:
        self._store = store
        self._actor = actor

    def may_edit(self, chapter_id: str) -> bool:
        return allows(self._actor(), Action.EDIT_ROSTER, chapter_id)

    # -------------------------------------------------------------- people
    def person(self, person_id: str) -> PersonDetail:
        with self._store.session() as s:
            return roster.person_detail(s, self._actor(), person_id)

    def save_person(self, chapter_id: str, person_id: str | None, draft: PersonDraft) -> str:
        with self._store.session() as s:
            return roster.save_person(s, self._actor(), chapter_id, person_id, draft)

    def convert_to_member(self, person_id: str, since: date, renewal: date | None) -> None:
        with self._store.session() as s:
            roster.convert_to_member(s, self._actor(), person_id, since, renewal)

    def move_preview(self, person_id: str, organisation_id: str) -> ChangePreview:
        with self._store.session() as s:
            return roster.move_preview(s, self._actor(), person_id, organisation_id)

    def move_person(self, person_id: str, organisation_id: str) -> ChangePreview:
        with self._store.session() as s:
            return roster.move_person(s, self._actor(), person_id, organisation_id)

    def clear_flag(self, registration_id: str) -> None:
        with self._store.session() as s:
            roster.clear_flag(s, self._actor(), registration_id)

    # -------------------------------------------------------------- organisations
    def organisations(self, chapter_id: str) -> list[OrganisationRow]:
        with self._store.session() as s:
            return organisations.organisation_rows(s, self._actor(), chapter_id)

    def organisation_preview(
        self, chapter_id: str, organisation_id: str | None, draft: OrganisationDraft
    ) -> ChangePreview:
        with self._store.session() as s:
            return organisations.organisation_preview(
                s, self._actor(), chapter_id, organisation_id, draft
            )

    def save_organisation(
        self, chapter_id: str, organisation_id: str | None, draft: OrganisationDraft
    ) -> tuple[str, ChangePreview]:
        with self._store.session() as s:
            return organisations.save_organisation(
                s, self._actor(), chapter_id, organisation_id, draft
            )

    def set_partner_of_record(
        self, customer_id: str, product_line: str, partner_id: str, since: date | None
    ) -> str:
        with self._store.session() as s:
            return organisations.set_partner_of_record(
                s, self._actor(), customer_id, product_line, partner_id, since
            )

    def remove_partner_of_record(self, record_id: str) -> None:
        with self._store.session() as s:
            organisations.remove_partner_of_record(s, self._actor(), record_id)

    # -------------------------------------------------------------- importing (issue 9)
    def read_import(self, path: Path) -> member_import.Table:
        """The file as a table; ``ImportFileError`` says why it cannot be read."""
        return member_import.read_table(path)

    def import_preview(
        self, chapter_id: str, table: member_import.Table, mapping: dict[int, str]
    ) -> member_import.ImportPreview:
        with self._store.session() as s:
            return member_import.preview_import(s, self._actor(), chapter_id, table, mapping)

    def import_members(
        self, chapter_id: str, table: member_import.Table, mapping: dict[int, str]
    ) -> member_import.ImportResult:
        with self._store.session() as s:
            return member_import.apply_import(s, self._actor(), chapter_id, table, mapping)

    # -------------------------------------------------------------- duplicates
    def duplicates(self, chapter_id: str) -> list[DuplicateRow]:
        with self._store.session() as s:
            return merges.duplicate_rows(s, self._actor(), chapter_id)

    def merge_preview(self, survivor_id: str, merged_id: str) -> MergePreview:
        with self._store.session() as s:
            return merges.merge_preview(s, self._actor(), survivor_id, merged_id)

    def merge(
        self, survivor_id: str, merged_id: str, choices: dict[str, str] | None = None
    ) -> MergeResult:
        with self._store.session() as s:
            return merges.merge_people(s, self._actor(), survivor_id, merged_id, choices)

    def undo_merge(self, merge_id: str) -> str:
        with self._store.session() as s:
            return merges.undo_merge(s, self._actor(), merge_id)
