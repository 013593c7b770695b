"""DECK-4: a deck may showcase a customer only if that customer is registered for the meeting
(and, once the meeting runs, checked in).

Names are matched whole-word, blind to case and accents, with legal suffixes dropped ("Fabrikam
Inc." is found as "Fabrikam"); names shorter than four letters are never searched for, and
one-word names that are everyday words ("Target") only where written with a capital.
"""

from __future__ import annotations

from functools import lru_cache

from chapterdesk.decks.checks.common import Context, finding, hidden_note, place
from chapterdesk.decks.matching import NameRules, WordIndex, folded, name_variants
from chapterdesk.decks.model import ALT_TEXT, DeckFacts, SlideFacts, TextSpot
from chapterdesk.domain.decks import CustomerFacts, Finding, Severity

RULE = "DECK-4"


class CustomerMatcher:
    """All of the chapter's customers in one word index."""

    def __init__(self, ctx: Context) -> None:
        self.index = _index(tuple(ctx.customers), ctx.company, ctx.book.names)

    def find(self, text: str) -> list[tuple[CustomerFacts, str]]:
        """(customer, text as written) for every customer named in ``text``."""
        return [
            (customer, original)
            for (customer, everyday), original, _start in self.index.find(folded(text))
            if not everyday or original[:1].isupper()
        ]


@lru_cache(maxsize=8)
def _index(
    customers: tuple[CustomerFacts, ...], company: str, rules: NameRules
) -> WordIndex[tuple[CustomerFacts, bool]]:
    """Customer → name variants, built once per meeting's customer list (hundreds of names:
    each deck version of the meeting reuses it)."""
    own = set(name_variants(company, rules)) if company else set()
    # (customer, True when the name is an everyday word found only where capitalised)
    index: WordIndex[tuple[CustomerFacts, bool]] = WordIndex()
    for customer in customers:
        variants = name_variants(customer.name, rules)
        if own & set(variants):
            continue  # the presenting company is not its own customer
        for variant in variants:
            index.add(variant, (customer, " " not in variant and variant in rules.common_words))
    return index


def check_customers(deck: DeckFacts, ctx: Context) -> list[Finding]:
    matcher = CustomerMatcher(ctx)
    if not matcher.index:
        return []
    out: list[Finding] = []
    for slide in deck.slides:
        ctx.tick()
        spots = list(slide.spots)
        if slide.notes:
            spots.append(TextSpot("notes", slide.notes))
        seen: set[tuple[str, str]] = set()
        for spot in spots:
            ctx.tick()
            text = spot.text.replace("_", " ") if spot.where == ALT_TEXT else spot.text
            for customer, original in matcher.find(text):
                if (customer.name, spot.where) in seen:
                    continue
                seen.add((customer.name, spot.where))
                out.append(_finding(slide, spot.where, customer, original))
    return out


def _finding(slide: SlideFacts, where: str, customer: CustomerFacts, text: str) -> Finding:
    shown = where != "notes"
    if customer.registered and customer.checked_in:
        severity = Severity.INFO
        why = f"{customer.name} is registered for the meeting and checked in, so DECK-4 allows it"
    elif customer.registered:
        severity = Severity.WARNING
        why = (
            f"{customer.name} is registered but not checked in: someone from it will need to "
            "be in the room when this slide is shown (DECK-4)"
        )
    elif shown:
        severity = Severity.BREAKS_RULE
        why = (
            f"The deck showcases {customer.name}, a customer not registered for this meeting "
            "(DECK-4)"
        )
    else:
        severity = Severity.WARNING
        why = (
            f"The speaker notes name {customer.name}, a customer not registered for this "
            "meeting: the speaker should not showcase it (DECK-4)"
        )
    return finding(
        slide.number,
        RULE,
        severity,
        text,
        why + hidden_note(slide.hidden) + ".",
        place(where, slide.hidden),
    )
