"""Columns of the People table."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication

from chapterdesk.domain.enums import Membership, OrgCategory
from chapterdesk.services.views import PersonRow
from chapterdesk.ui.common.table import Column, RowTableModel


def tr(text: str) -> str:
    return QCoreApplication.translate("People", text)


CATEGORY_LABELS = {
    OrgCategory.CUSTOMER: tr("Customer"),
    OrgCategory.PARTNER: tr("Partner"),
    OrgCategory.MICROSOFT: tr("Microsoft"),
}
MEMBERSHIP_LABELS = {
    Membership.MEMBER: tr("Member"),
    Membership.PROSPECT: tr("Prospect"),
    Membership.NONE: "",
}


def _category(p: PersonRow) -> str:
    label = CATEGORY_LABELS[p.category]
    return label + tr(" (excluded)") if p.excluded_organisation else label


def _category_tip(p: PersonRow) -> str:
    if p.excluded_organisation:
        return tr(
            "{org} is an excluded organisation: its people cannot take part as partners (ORG-4)."
        ).format(org=p.organisation)
    return ""


COLUMNS: list[Column[PersonRow]] = [
    Column(
        tr("Name"),
        lambda p: p.full_name,
        key=lambda p: (p.last_name.casefold(), p.first_name.casefold()),
    ),
    Column(tr("Organisation"), lambda p: p.organisation),
    Column(
        tr("Category"), _category, tooltip=_category_tip, warning=lambda p: p.excluded_organisation
    ),
    Column(tr("Membership"), lambda p: MEMBERSHIP_LABELS[p.membership]),
    Column(tr("Job title"), lambda p: p.job_title),
    Column(tr("Email"), lambda p: p.email),
    Column(
        tr("Last came"),
        lambda p: f"{p.last_attended:%Y-%m-%d}" if p.last_attended else tr("never"),
        key=lambda p: p.last_attended or date.min,
        tooltip=lambda p: tr("Attended {n} meeting(s)").format(n=p.attended),
    ),
    Column(
        tr("⚑"),
        lambda p: str(p.flagged) if p.flagged else "",
        key=lambda p: p.flagged,
        tooltip=lambda p: (
            tr(
                "{n} upcoming registration(s) flagged by a roster change: select the person to see "
                "which and why."
            ).format(n=p.flagged)
            if p.flagged
            else ""
        ),
        warning=lambda p: p.flagged > 0,
        align_right=True,
    ),
]


def make_model() -> RowTableModel[PersonRow]:
    return RowTableModel(COLUMNS)
