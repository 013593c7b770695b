"""Import members in three steps, each off the GUI thread: read the chosen file, preview it in
:class:`ImportDialog` (mapping, rejected rows), then add the good rows in one transaction.

Shared by the People page and the first-run assistant, so both say the same things.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from chapterdesk.ui.common.forms import DeskRun
from chapterdesk.ui.people.import_dialog import ImportDialog

if TYPE_CHECKING:
    from chapterdesk.services.member_import import ImportResult, Table


def tr(text: str) -> str:
    return QCoreApplication.translate("MemberImport", text)


def result_text(result: ImportResult, file_name: str) -> str:
    return tr(
        "{added} people imported from {name} ({orgs} new organisation(s)); "
        "{rejected} row(s) rejected, {already} already on the roster."
    ).format(
        added=result.added,
        name=file_name,
        orgs=result.organisations,
        rejected=result.rejected,
        already=result.already,
    )


class MemberImport:
    """One import into ``chapter_id``. ``done(text)`` gets the outcome in words; ``failed``
    gets "Nothing was imported: why" (the file is refused whole, never half-read)."""

    def __init__(
        self,
        parent: QWidget,
        call: DeskRun,
        chapter_id: str,
        done: Callable[[str], None],
        failed: Callable[[str], None],
    ) -> None:
        self.parent = parent
        self.call = call
        self.chapter_id = chapter_id
        self.done = done
        self.failed = failed
        self.dialog: ImportDialog | None = None  # tests reach it

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self.parent,
            tr("Import members"),
            "",
            tr("Member exports (*.csv *.xlsx *.txt);;All files (*)"),
        )
        if path:
            self.read(Path(path))

    def read(self, path: Path) -> None:
        self.call(lambda d: d.roster.read_import(path), self._preview, self._refused)

    def _refused(self, exc: BaseException) -> None:
        self.failed(tr("Nothing was imported: {why}").format(why=exc))

    def _preview(self, table: Table) -> None:
        chapter = self.chapter_id

        def ask(mapping: dict[int, str], show: Any) -> None:
            self.call(lambda d: d.roster.import_preview(chapter, table, mapping), show)

        dialog = ImportDialog(table, ask, self.parent)
        self.dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        mapping = dialog.mapping()
        self.call(
            lambda d: d.roster.import_members(chapter, table, mapping),
            lambda result: self.done(result_text(result, table.name)),
            self._refused,
        )
