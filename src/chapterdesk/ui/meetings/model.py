"""Columns of the Meetings table."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from chapterdesk.domain.text import fold
from chapterdesk.services.views import MeetingRow
from chapterdesk.ui.common.table import Column, RowTableModel


def tr(text: str) -> str:
    return QCoreApplication.translate("Meetings", text)


def _when(m: MeetingRow) -> str:
    return m.starts_at.strftime("%a %d %b %Y  %H:%M")


def _registered(m: MeetingRow) -> str:
    return f"{m.registered} / {m.capacity}"


def _partners(m: MeetingRow) -> str:
    if m.partners_without_escort:
        return tr("{n} · {k} without escort").format(n=m.partners, k=m.partners_without_escort)
    return str(m.partners)


def _partners_tip(m: MeetingRow) -> str:
    if not m.partners_without_escort:
        return ""
    return tr(
        "{k} partner registration(s) have no valid escort (ESC-1, ESC-4): register the "
        "inviting customer or pick another escort before the meeting."
    ).format(k=m.partners_without_escort)


def _policy(m: MeetingRow) -> str:
    if m.partner_exclusive:
        return tr("Partner-exclusive")
    return tr("Partners welcome") if m.partners_welcome else tr("Customers only")


def _title(m: MeetingRow) -> str:
    return tr("Cancelled: {title}").format(title=m.title) if m.cancelled else m.title


COLUMNS: list[Column[MeetingRow]] = [
    Column(tr("Date"), _when, key=lambda m: m.starts_at),
    Column(tr("Meeting"), _title, tooltip=_title),
    Column(tr("Venue"), lambda m: m.venue, tooltip=lambda m: m.venue),
    Column(
        tr("Registered"),
        _registered,
        key=lambda m: (m.registered, m.capacity),
        tooltip=lambda m: tr("{n} registered of {c} places").format(n=m.registered, c=m.capacity),
        align_right=True,
    ),
    Column(
        tr("Waiting"),
        lambda m: str(m.waitlisted) if m.waitlisted else "",
        key=lambda m: m.waitlisted,
        align_right=True,
        tooltip=lambda m: tr("Waiting list (MTG-3)") if m.waitlisted else "",
    ),
    Column(
        tr("Partners"),
        _partners,
        key=lambda m: (m.partners_without_escort, m.partners),
        tooltip=_partners_tip,
        warning=lambda m: m.partners_without_escort > 0,
    ),
    Column(tr("Partner policy"), _policy),
]


def make_model() -> RowTableModel[MeetingRow]:
    return RowTableModel(COLUMNS, muted=lambda m: m.is_past or m.cancelled)


def haystack(m: MeetingRow) -> str:
    return fold(f"{m.title} {m.venue} {_when(m)}")
