"""How sync times and counts read on screen, shared by the page and the status-bar indicator."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication


def tr(text: str) -> str:
    return QCoreApplication.translate("Sync", text)


def local(moment: datetime) -> datetime:
    """``moment`` on this laptop's clock; a naive instant is UTC, as the store keeps them."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone()


def short_time(moment: datetime, now: datetime | None = None) -> str:
    """ "14:02" today, "3 Jun 14:02" another day: short enough for the status bar."""
    shown = local(moment)
    today = (now or datetime.now().astimezone()).date()
    if shown.date() == today:
        return shown.strftime("%H:%M")
    return shown.strftime("%d %b %H:%M").lstrip("0")


def full_time(moment: datetime, now: datetime | None = None) -> str:
    """ "2025-06-03 14:02 (today)": the date always, local time, seconds left out."""
    shown = local(moment)
    text = shown.strftime("%Y-%m-%d %H:%M")
    if shown.date() == (now or datetime.now().astimezone()).date():
        text = tr("{when} (today)").format(when=text)
    return text


def changes(count: int) -> str:
    if count == 0:
        return tr("none")
    if count == 1:
        return tr("1 change")
    return tr("{n} changes").format(n=f"{count:,}")


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` as written: Qt guesses rich text from a leading tag, and a
    server's message is not ours to trust."""
    return "<p style='white-space: pre-wrap'>" + html.escape(text) + "</p>"
