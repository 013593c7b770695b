"""Columns of the Decks page: slots with their latest decision, and the checker's findings."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from chapterdesk.domain.decks import Severity
from chapterdesk.domain.enums import DeckDecision
from chapterdesk.services.views import FindingRow, SlotRow
from chapterdesk.ui.common.table import Column, RowTableModel


def tr(text: str) -> str:
    return QCoreApplication.translate("Decks", text)


DECISION_LABELS = {
    DeckDecision.PENDING: tr("Waiting for review"),
    DeckDecision.APPROVED: tr("Approved"),
    DeckDecision.CHANGES_REQUESTED: tr("Changes requested"),
    DeckDecision.REJECTED: tr("Rejected"),
}
SEVERITY_LABELS = {
    Severity.BREAKS_RULE: tr("Breaks rule"),
    Severity.WARNING: tr("Warning"),
    Severity.INFO: tr("Note"),
}


def _latest(s: SlotRow) -> str:
    if s.latest is None:
        return tr("no deck yet")
    v = s.latest
    if v.refused:
        return tr("v{n}: could not be read").format(n=v.number)
    if not v.checked:
        return tr("v{n}: not checked yet").format(n=v.number)
    if v.open_breaking:
        return tr("v{n}: {k} rule(s) broken").format(n=v.number, k=v.open_breaking)
    return tr("v{n}: no broken rule").format(n=v.number)


def _decision(s: SlotRow) -> str:
    label = DECISION_LABELS[s.decision]
    if s.latest is not None and s.latest.approval_at_risk:
        label += tr(" — look again")
    return label


SLOT_COLUMNS: list[Column[SlotRow]] = [
    Column(
        tr("Meeting"),
        lambda s: s.meeting_starts_at.strftime("%d %b %Y"),
        key=lambda s: s.meeting_starts_at,
        tooltip=lambda s: s.meeting_title,
    ),
    Column(tr("Topic"), lambda s: s.topic, tooltip=lambda s: s.topic),
    Column(
        tr("Partner"),
        lambda s: s.partner_name + (tr(" (sponsor)") if s.sponsor else ""),
        tooltip=lambda s: (
            tr("Paid Annual Chapter Sponsor: own template allowed (PRT-5)") if s.sponsor else ""
        ),
    ),
    Column(
        tr("Latest deck"),
        _latest,
        warning=lambda s: (
            s.latest is not None and (s.latest.open_breaking > 0 or bool(s.latest.refused))
        ),
    ),
    Column(
        tr("Decision"),
        _decision,
        warning=lambda s: s.latest is not None and s.latest.approval_at_risk,
    ),
]


def _slide(f: FindingRow) -> str:
    return tr("deck") if f.slide == 0 else str(f.slide)


def _status(f: FindingRow) -> str:
    if f.dismissed:
        return tr("Dismissed: {reason}").format(reason=f.dismissed_reason)
    return SEVERITY_LABELS[f.severity]


FINDING_COLUMNS: list[Column[FindingRow]] = [
    Column(tr("Slide"), _slide, key=lambda f: f.slide, align_right=True),
    Column(tr("Rule"), lambda f: f.rule_id),
    Column(
        tr("Severity"),
        _status,
        warning=lambda f: f.blocks_approval,
        key=lambda f: (f.dismissed, list(Severity).index(f.severity)),
    ),
    Column(tr("Found"), lambda f: f.text, tooltip=lambda f: f.text),
    Column(tr("Why"), lambda f: f.why, tooltip=lambda f: f.why),
]


def slot_model() -> RowTableModel[SlotRow]:
    return RowTableModel(SLOT_COLUMNS)


def finding_model() -> RowTableModel[FindingRow]:
    return RowTableModel(FINDING_COLUMNS, muted=lambda f: f.dismissed)
