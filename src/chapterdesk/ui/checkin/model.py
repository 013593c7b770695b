"""Columns of the check-in table: who is registered, as what, and whether they are in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from chapterdesk.domain.enums import Membership, OrgCategory, RegistrationStatus
from chapterdesk.domain.text import fold
from chapterdesk.services.views import AttendeeRow
from chapterdesk.ui.common.table import Column, RowTableModel


def tr(text: str) -> str:
    return QCoreApplication.translate("CheckIn", text)


STATUS_LABELS = {
    RegistrationStatus.REGISTERED: tr("Registered"),
    RegistrationStatus.WAITLISTED: tr("Waiting list"),
    RegistrationStatus.PENDING_APPROVAL: tr("Awaiting approval"),
    RegistrationStatus.ESCORT_NEEDED: tr("Escort needed"),
    RegistrationStatus.CANCELLED: tr("Cancelled"),
}
STATUS_TIPS = {
    RegistrationStatus.WAITLISTED: tr("The meeting is full; they wait for a place (MTG-3)."),
    RegistrationStatus.PENDING_APPROVAL: tr(
        "A partner in a sales role: a leader approves the registration first (MTG-4)."
    ),
    RegistrationStatus.ESCORT_NEEDED: tr(
        "Their escort cancelled: name another registered customer first (ESC-4)."
    ),
    RegistrationStatus.CANCELLED: tr("The registration was cancelled."),
}
_NEEDS_LEADER = {RegistrationStatus.PENDING_APPROVAL, RegistrationStatus.ESCORT_NEEDED}
_STYLE_ROLES = frozenset(
    int(r)
    for r in (
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.FontRole,
    )
)


class _Style:
    """Made once per model: a repaint asks for these hundreds of times."""

    def __init__(self) -> None:
        self.in_background = QBrush(CHECKED_IN_BACKGROUND)
        self.in_text = QBrush(CHECKED_IN_TEXT)
        self.bold = QFont()
        self.bold.setBold(True)
        self.struck = QFont()
        self.struck.setStrikeOut(True)


CHECKED_IN_BACKGROUND = QColor("#dcfce7")  # light green: black text stays readable on it
CHECKED_IN_TEXT = QColor("#14532d")


def type_label(row: AttendeeRow) -> str:
    """MTG-6: partners show as vendors; customers show whether they are members."""
    if row.category is OrgCategory.PARTNER:
        return tr("Partner · vendor")
    if row.category is OrgCategory.MICROSOFT:
        return tr("Microsoft")
    if row.membership is Membership.MEMBER:
        return tr("Member")
    if row.membership is Membership.PROSPECT:
        return tr("Prospect")
    return tr("Customer")


def checked_in_time(row: AttendeeRow) -> str:
    if not row.checked_in or row.checked_in_at is None:
        return ""
    return row.checked_in_at.astimezone().strftime("%H:%M")


class AttendeeModel(RowTableModel[AttendeeRow]):
    """Checked-in rows get a green tint, cancelled ones are greyed; the escort column says
    whether each partner's escort is in (ESC-3), which needs the other rows."""

    def __init__(self) -> None:
        self._style = _Style()
        super().__init__(
            [
                Column(
                    tr("Name"),
                    lambda a: a.full_name,
                    key=lambda a: (fold(a.last_name), fold(a.first_name)),
                    tooltip=lambda a: a.code,
                ),
                Column(tr("Company"), lambda a: a.organisation, tooltip=lambda a: a.organisation),
                Column(tr("Type"), type_label, tooltip=self._type_tip),
                Column(
                    tr("Status"),
                    lambda a: STATUS_LABELS[a.status],
                    key=lambda a: list(RegistrationStatus).index(a.status),
                    tooltip=lambda a: STATUS_TIPS.get(a.status, ""),
                    warning=lambda a: a.status in _NEEDS_LEADER,
                ),
                Column(
                    tr("Escort"),
                    self._escort,
                    tooltip=self._escort_tip,
                    warning=self._escort_missing,
                ),
                Column(
                    tr("Checked in"),
                    checked_in_time,
                    key=lambda a: (not a.checked_in, a.checked_in_at is None, a.checked_in_at),
                    tooltip=self._checked_in_tip,
                ),
            ],
            muted=lambda a: a.status is RegistrationStatus.CANCELLED,
        )
        self._inside: set[str] = set()
        self._by_id: dict[str, AttendeeRow] = {}
        self.partner_exclusive = False  # ESC-1: partners at such a meeting need no escort

    def set_rows(self, rows: Sequence[AttendeeRow]) -> None:
        self._by_id = {r.registration_id: r for r in rows}
        self._inside = {r.registration_id for r in rows if r.checked_in}
        super().set_rows(rows)

    def find(self, registration_id: str) -> AttendeeRow | None:
        return self._by_id.get(registration_id)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if index.isValid() and role in _STYLE_ROLES:
            row = self.row_at(index.row())
            if row.checked_in:
                if role == Qt.ItemDataRole.BackgroundRole:
                    return self._style.in_background
                if role == Qt.ItemDataRole.ForegroundRole:
                    return self._style.in_text
                if role == Qt.ItemDataRole.FontRole and index.column() in (0, 5):
                    return self._style.bold
            elif row.status is RegistrationStatus.CANCELLED and role == Qt.ItemDataRole.FontRole:
                return self._style.struck if index.column() == 0 else None
        return super().data(index, role)

    # ----------------------------------------------------------------------- cells
    def _type_tip(self, a: AttendeeRow) -> str:
        if a.category is OrgCategory.PARTNER:
            return tr("Partner: identify them as a vendor from {org} (MTG-6).").format(
                org=a.organisation
            )
        return ""

    def _escort(self, a: AttendeeRow) -> str:
        if not a.is_partner:
            return ""
        if not a.escort_registration_id:
            return tr("not needed") if self.partner_exclusive else tr("none")
        if a.escort_registration_id in self._inside:
            return tr("{name} · in").format(name=a.escort_name)
        return tr("{name} · not in yet").format(name=a.escort_name)

    def _escort_missing(self, a: AttendeeRow) -> bool:
        return a.is_partner and not a.escort_registration_id and not self.partner_exclusive

    def _escort_tip(self, a: AttendeeRow) -> str:
        if not a.is_partner:
            return ""
        if self._escort_missing(a):
            return tr("No escort: a registered customer must invite {name} (ESC-1, ESC-4).").format(
                name=a.full_name
            )
        if a.escort_registration_id and a.escort_registration_id not in self._inside:
            return tr("{name} can come in only after {escort} is checked in (ESC-3).").format(
                name=a.full_name, escort=a.escort_name
            )
        return ""

    def _checked_in_tip(self, a: AttendeeRow) -> str:
        if not a.checked_in:
            return ""
        return tr("Checked in at {time} on desk {desk}").format(
            time=checked_in_time(a), desk=a.checked_in_device[:8]
        )


def haystack(row: AttendeeRow) -> str:
    """Already folded by the service: name, company, code and (for leaders) email prefix."""
    return row.search_text
