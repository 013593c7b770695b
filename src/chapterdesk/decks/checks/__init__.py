"""The rule checks over a deck's facts: DECK-1 template, DECK-2 company slides, DECK-3 sales
language, DECK-4 customers, and FILE observations. Each check is a pure function of
(:class:`DeckFacts`, :class:`Context`) → findings, so it is tested without a file."""

from __future__ import annotations

from chapterdesk.decks.checks.common import Context
from chapterdesk.decks.checks.company import check_company
from chapterdesk.decks.checks.customers import check_customers
from chapterdesk.decks.checks.file import check_file
from chapterdesk.decks.checks.sales import check_sales
from chapterdesk.decks.checks.template import check_template
from chapterdesk.decks.model import DeckFacts
from chapterdesk.domain.decks import Finding, Severity

__all__ = ["Context", "run_checks"]

_WEIGHT = {Severity.BREAKS_RULE: 0, Severity.WARNING: 1, Severity.INFO: 2}


def run_checks(deck: DeckFacts, ctx: Context, filename: str) -> list[Finding]:
    """Every check's findings, in slide order (deck-level first), rules broken first within
    a slide. A finding is kept once per (slide, rule, where, text): that is how a re-check
    recognises a finding a leader has already dismissed."""
    findings = [
        *check_template(deck, ctx),
        *check_company(deck, ctx),
        *check_sales(deck, ctx),
        *check_customers(deck, ctx),
        *check_file(deck, filename),
    ]
    unique: dict[tuple[int, str, str, str], Finding] = {}
    for f in findings:
        key = (f.slide, f.rule_id, f.where, f.text)
        kept = unique.get(key)
        if kept is None or _WEIGHT[f.severity] < _WEIGHT[kept.severity]:
            unique[key] = f
    return sorted(unique.values(), key=lambda f: (f.slide, _WEIGHT[f.severity], f.rule_id))
