"""``check_deck``: bytes and plain facts about the meeting in, a :class:`DeckReport` out.

Qt-free and SQLAlchemy-free, so the Decks page runs it in a worker, the command line runs it
directly, and tests call it with decks they build themselves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from chapterdesk.decks.checks import Context, run_checks
from chapterdesk.decks.deadline import Deadline
from chapterdesk.decks.errors import DeckRefused
from chapterdesk.decks.extract import extract
from chapterdesk.decks.matching import folded
from chapterdesk.decks.model import ALT_TEXT, TITLE, DeckFacts, TemplateSignature
from chapterdesk.decks.phrases import load_phrases
from chapterdesk.decks.safe_open import DEFAULT_LIMITS, Limits, inspect_package
from chapterdesk.decks.signature import default_signature, template_signature
from chapterdesk.domain.decks import CustomerFacts, DeckReport, SlideText

__all__ = ["CustomerFacts", "DeckRefused", "check_deck"]


def check_deck(
    data: bytes,
    filename: str,
    *,
    company: str = "",
    company_domain: str = "",
    template: bytes | TemplateSignature | None = None,
    sponsor: bool = False,
    customers: Sequence[CustomerFacts] = (),
    extra_phrases: Path | None = None,
    deadline_s: float = 20.0,
    limits: Limits = DEFAULT_LIMITS,
) -> DeckReport:
    """Check one deck version against DECK-1…4 and report what the file carries (FILE).

    ``template`` is the chapter template's bytes (.pptx/.potx/.thmx) or its signature; ``None``
    uses the template shipped with ChapterDesk. ``sponsor`` marks a Paid Annual Chapter Sponsor
    (PRT-5: exempt from DECK-1). ``customers`` are the chapter's customer organisations with
    their registration for this meeting (DECK-4).

    Raises :class:`DeckRefused` when the file is not analysed (not a deck, damaged, hostile,
    over the time limit) and :class:`chapterdesk.decks.phrases.PhraseFileError` when
    ``extra_phrases`` cannot be used. Nothing else escapes.
    """
    deadline = Deadline(deadline_s)
    book = load_phrases(extra_phrases)
    info = inspect_package(data, limits=limits, deadline=deadline)
    facts = extract(data, info.kind, deadline)
    signature, problem = _template(template, sponsor)
    ctx = Context(
        book=book,
        company=company.strip(),
        company_domain=company_domain.strip(),
        template=signature,
        template_problem=problem,
        sponsor=sponsor,
        customers=tuple(customers),
        tick=deadline.check,
    )
    deadline.check()
    try:
        findings = run_checks(facts, ctx, filename)
    finally:
        folded.cache_clear()  # the deck's text is not kept after its check
    deadline.check()
    return DeckReport(
        sha256=hashlib.sha256(data).hexdigest(),
        filename=filename,
        slides=outline(facts),
        findings=findings,
    )


def _template(
    template: bytes | TemplateSignature | None, sponsor: bool
) -> tuple[TemplateSignature | None, str]:
    """The signature to compare with, or why there is none (a sponsor needs none)."""
    if sponsor:
        return None, ""
    if isinstance(template, TemplateSignature):
        return template, ""
    try:
        return (default_signature() if template is None else _signature_of(template)), ""
    except DeckRefused as refused:
        return None, refused.message


@lru_cache(maxsize=4)
def _signature_of(template: bytes) -> TemplateSignature:
    """A chapter's template is read once, not for every deck checked against it."""
    return template_signature(template)


def outline(facts: DeckFacts) -> list[SlideText]:
    """The text of each slide for the outline next to the findings (no alt text)."""
    return [
        SlideText(
            number=slide.number,
            title=slide.title,
            body=[s.text for s in slide.spots if s.where not in (TITLE, ALT_TEXT)],
            notes=slide.notes,
            hidden=slide.hidden,
            layout=slide.layout,
        )
        for slide in facts.slides
    ]
