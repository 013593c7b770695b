"""DECK rules: what a finding is, and what a leader's decision applies to (DECK-1…5, PRT-5,
MTG-8). The checks that produce findings live in :mod:`chapterdesk.decks` (file handling); this
module holds the vocabulary both sides share."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How much a finding weighs in the leader's decision."""

    BREAKS_RULE = "breaks_rule"  # a DECK rule is broken: the deck cannot be approved as is
    WARNING = "warning"  # needs a look (e.g. speaker notes, embedded media)
    INFO = "info"  # for the record (e.g. sponsor exempt from DECK-1)


@dataclass(frozen=True)
class Finding:
    """One thing the checker found: where, which rule, what exactly, and why it matters.

    ``slide`` is 1-based; 0 means the deck as a whole (template, macros)."""

    slide: int
    rule_id: str  # DECK-1 … DECK-4, or "FILE" for file-level observations
    severity: Severity
    text: str  # the exact text that triggered it (phrase, company name, layout name …)
    why: str  # one sentence a leader understands
    where: str = ""  # "title", "body", "table", "notes", "hidden slide", "master" …


@dataclass(frozen=True)
class SlideText:
    """The text of one slide, for the outline view next to the findings."""

    number: int
    title: str
    body: list[str]
    notes: str
    hidden: bool
    layout: str


@dataclass(frozen=True)
class DeckReport:
    """Everything the checker learned about one deck version."""

    sha256: str
    filename: str
    slides: list[SlideText]
    findings: list[Finding]

    @property
    def breaks_rules(self) -> bool:
        return any(f.severity is Severity.BREAKS_RULE for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (``chapterdesk deck check --json``, stored outlines)."""
        data = asdict(self)
        for finding in data["findings"]:
            finding["severity"] = str(finding["severity"])
        data["breaks_rules"] = self.breaks_rules
        return data


@dataclass(frozen=True)
class CustomerFacts:
    """A customer organisation known to the chapter, as DECK-4 needs it for one meeting."""

    name: str
    registered: bool = False  # someone from it is registered for the meeting
    checked_in: bool = False  # … and is in the room (only once the meeting runs)
