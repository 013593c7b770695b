"""Badges and sign-in sheets from the Meetings page: choose where, write in a worker, open."""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QInputDialog, QWidget

from chapterdesk.ui.common.pdf_files import ask_save_path, open_saved

if TYPE_CHECKING:
    from chapterdesk.services.desk import Desk

DeskCall = Callable[[Callable[["Desk"], Any], Callable[[Any], None]], None]


def ask_purpose(parent: QWidget, title: str, question: str, prefill: str) -> str | None:
    """What a printed list of people is for (ROS-4); None when the leader cancels."""
    from chapterdesk.services.exports import MIN_PURPOSE_LENGTH  # the desk has loaded it
    from chapterdesk.ui.common.purpose import PurposeDialog

    dialog = PurposeDialog(title, question, prefill, MIN_PURPOSE_LENGTH, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.purpose.purpose()


def save_badges(
    parent: QWidget, call: DeskCall, meeting_id: str, title: str, done: Callable[[str], None]
) -> None:
    """Ask for the label stock, the purpose and the file, then draw every confirmed
    registration's badge; the sheet is marked in its margin and recorded (ROS-4)."""
    stocks = {
        parent.tr("Avery 5392 — 4 × 3 in, 6 per US-letter sheet"): "avery5392",
        parent.tr("A6 — one badge per page"): "a6",
    }
    choice, ok = QInputDialog.getItem(
        parent, parent.tr("Badge stock"), parent.tr("Print the badges on:"), list(stocks), 0, False
    )
    if not ok:
        return
    purpose = ask_purpose(
        parent,
        parent.tr("Badges — purpose"),
        parent.tr("What are the badges for “{title}” for?").format(title=title),
        parent.tr("Name badges for {title}").format(title=title),
    )
    if purpose is None:
        return
    target = ask_save_path(parent, parent.tr("Save badges"), f"badges {title}")
    if target is None:
        return
    stock = stocks[choice]
    call(
        lambda desk: desk.write_badges(meeting_id, purpose, target, stock),
        lambda n: open_saved(
            target, parent.tr("{n} badges saved to {path}").format(n=n, path=target), done
        ),
    )


def save_signin_sheet(
    parent: QWidget, call: DeskCall, meeting_id: str, title: str, done: Callable[[str], None]
) -> None:
    """Names and companies only (ROS-2). Asks what the sheet is for; the PDF carries the
    confidential mark on every page and the print is recorded with its purpose (ROS-4)."""
    purpose = ask_purpose(
        parent,
        parent.tr("Sign-in sheet — purpose"),
        parent.tr("What is the sign-in sheet for “{title}”?").format(title=title),
        parent.tr("Signatures at the door of {title}").format(title=title),
    )
    if purpose is None:
        return
    target = ask_save_path(parent, parent.tr("Save sign-in sheet"), f"sign-in {title}")
    if target is None:
        return

    def write(desk: Desk) -> int:
        return desk.write_signin_sheet(meeting_id, purpose, target)

    call(
        write,
        lambda n: open_saved(
            target,
            parent.tr("Sign-in sheet for {n} people saved to {path}").format(n=n, path=target),
            done,
        ),
    )


BADGE_KEEP_SECONDS = 600  # long enough for the viewer to open and print it


_badge_folder: Path | None = None


def badge_folder() -> Path:
    """This session's own folder for desk badges: made by ``mkdtemp`` (owner-only, a fresh
    unguessable name), so no other user of the computer can prepare or swap it."""
    global _badge_folder
    if _badge_folder is None:
        _badge_folder = Path(tempfile.mkdtemp(prefix="chapterdesk-badges-"))
    return _badge_folder


def forget_badges(older_than: float | None = None) -> None:
    """Remove single badges printed at the desk (name, company, QR code): those older than
    ``older_than`` seconds each time one is printed; the whole folder when the app quits."""
    folder = _badge_folder if older_than is None else badge_folder()
    if folder is None or not folder.is_dir():
        return
    now = time.time()
    for old in folder.glob("badge-*.pdf"):
        with contextlib.suppress(OSError):
            if older_than is None or now - old.stat().st_mtime >= older_than:
                old.unlink()
    if older_than is None:
        with contextlib.suppress(OSError):
            folder.rmdir()


def save_single_badge(
    call: Any, meeting_id: str, registration_id: str, code: str, done: Callable[[str], None]
) -> None:
    """One A6 badge, no questions asked (the door is busy): written to a private temporary
    folder, opened in the system viewer to print, deleted later (see :func:`forget_badges`)."""
    target = badge_folder() / f"badge-{code}.pdf"

    def write(desk: Desk) -> int:
        from chapterdesk.reports.badges import A6, badges_pdf

        forget_badges(older_than=BADGE_KEEP_SECONDS)
        data = desk.badges(meeting_id, [registration_id])
        badges_pdf(data, target, A6)
        return len(data)

    call(write, lambda _n: open_saved(target, str(target), done))
