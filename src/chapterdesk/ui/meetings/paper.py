"""Badges and sign-in sheets from the Meetings page: choose where, write in a worker, open."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QInputDialog, QWidget

from chapterdesk.ui.common.pdf_files import ask_save_path, open_saved

if TYPE_CHECKING:
    from chapterdesk.services.desk import Desk

DeskCall = Callable[[Callable[["Desk"], Any], Callable[[Any], None]], None]


def save_badges(
    parent: QWidget, call: DeskCall, meeting_id: str, title: str, done: Callable[[str], None]
) -> None:
    """Ask for the label stock and the file, then draw every confirmed registration's badge."""
    from chapterdesk.reports.badges import A6, AVERY_5392

    stocks = {
        parent.tr("Avery 5392 — 4 × 3 in, 6 per US-letter sheet"): AVERY_5392,
        parent.tr("A6 — one badge per page"): A6,
    }
    choice, ok = QInputDialog.getItem(
        parent, parent.tr("Badge stock"), parent.tr("Print the badges on:"), list(stocks), 0, False
    )
    if not ok:
        return
    target = ask_save_path(parent, parent.tr("Save badges"), f"badges {title}")
    if target is None:
        return
    stock = stocks[choice]

    def write(desk: Desk) -> int:
        from chapterdesk.reports.badges import badges_pdf

        data = desk.badges(meeting_id)
        badges_pdf(data, target, stock)
        return len(data)

    call(
        write,
        lambda n: open_saved(
            target, parent.tr("{n} badges saved to {path}").format(n=n, path=target), done
        ),
    )


def save_signin_sheet(
    parent: QWidget, call: DeskCall, meeting_id: str, title: str, done: Callable[[str], None]
) -> None:
    """Names and companies only (ROS-2); the print is recorded (ROS-4)."""
    target = ask_save_path(parent, parent.tr("Save sign-in sheet"), f"sign-in {title}")
    if target is None:
        return

    def write(desk: Desk) -> int:
        from chapterdesk.reports.signin import signin_sheet_pdf

        header, rows = desk.signin_sheet(meeting_id)
        signin_sheet_pdf(
            header.chapter_name,
            header.meeting_title,
            header.meeting_date,
            header.venue,
            rows,
            target,
        )
        return len(rows)

    call(
        write,
        lambda n: open_saved(
            target,
            parent.tr("Sign-in sheet for {n} people saved to {path}").format(n=n, path=target),
            done,
        ),
    )


def save_single_badge(
    call: Any, meeting_id: str, registration_id: str, code: str, done: Callable[[str], None]
) -> None:
    """One A6 badge, no questions asked (the door is busy): written to a temporary folder and
    opened in the system viewer to print."""
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.TempLocation))
    target = folder / "chapterdesk-badges" / f"badge-{code}.pdf"

    def write(desk: Desk) -> int:
        from chapterdesk.reports.badges import A6, badges_pdf

        target.parent.mkdir(parents=True, exist_ok=True)
        data = desk.badges(meeting_id, [registration_id])
        badges_pdf(data, target, A6)
        return len(data)

    call(write, lambda _n: open_saved(target, str(target), done))
