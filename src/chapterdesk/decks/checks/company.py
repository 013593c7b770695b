"""DECK-2: at most one slide highlights the presenting company.

A slide counts when it names the company in its title, names it twice in its text, shows its
website or a link to it, a logo named after it, an "about us"-style phrase, or contact details
(e-mail addresses, phone numbers). Footers do not count (a name on every slide's footer is the
template's business, DECK-1), nor do speaker notes (they are not shown).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from chapterdesk.decks.checks.common import Context, finding, hidden_note, place, slides_named
from chapterdesk.decks.matching import Folded, WordIndex, compact, folded, name_variants
from chapterdesk.decks.model import ALT_TEXT, FOOTER, TITLE, DeckFacts, SlideFacts
from chapterdesk.domain.decks import Finding, Severity

RULE = "DECK-2"
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"\+\d{1,3}[\s.\-]?(?:\(\d{1,4}\)[\s.\-]?)?\d{1,4}(?:[\s.\-]?\d{2,4}){2,4}"  # +1 613 555 0199
    r"|\(?\d{3}\)?[\s.\-]\d{3}[\s.\-]\d{4}"  # (613) 555-0199
    r"|(?:tel|phone|telephone|telefon|telefono|mobile|cell)\.?\s?:?\s?\d[\d\s.\-()]{6,20}\d"
    r")(?![\w])"
)


@dataclass
class CompanySlide:
    """A slide that highlights the company: the first text that gave it away, and why."""

    number: int
    hidden: bool
    text: str
    where: str
    signals: list[str] = field(default_factory=list)


def normalise_domain(domain: str) -> str:
    """``"https://www.Contoso.com/about"`` → ``"contoso.com"``."""
    domain = domain.strip().lower()
    if "//" in domain:
        domain = urlsplit(domain).hostname or ""
    domain = domain.split("/")[0]
    return domain.removeprefix("www.")


class CompanyMatcher:
    """Finds the presenting company's name, website and logo in slide text."""

    def __init__(self, ctx: Context) -> None:
        variants = name_variants(ctx.company, ctx.book.names) if ctx.company else []
        common = ctx.book.names.common_words
        self.name: WordIndex[bool] = WordIndex()
        for variant in variants:  # True: an everyday word, found only where capitalised
            self.name.add(variant, " " not in variant and variant in common)
        self.logo_keys = sorted({compact(v) for v in variants}, key=len)
        self.domain = normalise_domain(ctx.company_domain)
        self.domain_re = (
            re.compile(r"(?<![\w.\-@])(?:www\.)?" + re.escape(self.domain) + r"(?![\w\-])")
            if self.domain
            else None
        )
        self.about = ctx.book.company
        self.tick = ctx.tick

    def names(self, text: Folded) -> list[str]:
        """Mentions of the company name (everyday-word names only where capitalised)."""
        return [
            original
            for everyday, original, _start in self.name.find(text)
            if not everyday or original[:1].isupper()
        ]

    def owns(self, url: str) -> bool:
        host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
        return bool(self.domain) and (host == self.domain or host.endswith("." + self.domain))


def company_slides(deck: DeckFacts, ctx: Context) -> list[CompanySlide]:
    """Every slide that highlights the presenting company, in show order."""
    matcher = CompanyMatcher(ctx)
    found = []
    for slide in deck.slides:
        ctx.tick()
        hit = _slide(slide, matcher)
        if hit is not None:
            found.append(hit)
    return found


def _slide(slide: SlideFacts, m: CompanyMatcher) -> CompanySlide | None:
    hit: CompanySlide | None = None

    def signal(text: str, where: str, why: str) -> None:
        nonlocal hit
        if hit is None:
            hit = CompanySlide(slide.number, slide.hidden, text, where)
        if why not in hit.signals:
            hit.signals.append(why)

    mentions: list[tuple[str, str]] = []  # (text as written, where)
    for spot in slide.spots:
        m.tick()
        if spot.where == FOOTER:
            continue
        if spot.where == ALT_TEXT:
            key = compact(spot.text)
            if any(k and k in key for k in m.logo_keys):
                signal(spot.text.splitlines()[0], spot.where, "a logo named after the company")
            continue
        text = folded(spot.text)
        names = m.names(text)
        if names and spot.where == TITLE:
            signal(names[0], spot.where, "its title names the company")
        mentions.extend((name, spot.where) for name in names)
        if m.domain_re is not None:
            for _match, original in text.finditer(m.domain_re):
                signal(original, spot.where, "it shows the company's website")
        for _phrase, original, _start in m.about.find(text):
            signal(original, spot.where, f"“{original}”")
        for regex, why in ((EMAIL, "contact details (e-mail)"), (PHONE, "contact details (phone)")):
            contact = regex.search(spot.text)
            if contact:
                signal(contact.group(0), spot.where, why)
    if len(mentions) >= 2:
        signal(*mentions[0], f"it names the company {len(mentions)} times")
    for link in slide.links:
        if link.hyperlink and m.owns(link.url):
            signal(link.url, "link", "a link to the company's website")
    return hit


def check_company(deck: DeckFacts, ctx: Context) -> list[Finding]:
    """One company slide is allowed (an INFO says which); each further one breaks DECK-2."""
    slides = company_slides(deck, ctx)
    if not slides:
        return []
    who = ctx.company or "the presenting company"
    first = slides[0]
    listing = slides_named(s.number for s in slides).capitalize()
    out = [
        finding(
            first.number,
            RULE,
            Severity.INFO,
            first.text,
            f"This slide highlights {who} ({'; '.join(first.signals)}); one such slide is "
            f"allowed (DECK-2){hidden_note(first.hidden)}.",
            place(first.where, first.hidden),
        )
    ]
    for extra in slides[1:]:
        out.append(
            finding(
                extra.number,
                RULE,
                Severity.BREAKS_RULE,
                extra.text,
                f"{listing} highlight {who}, and DECK-2 allows one (slide "
                f"{first.number}, the first, is the allowed one); this one: "
                f"{'; '.join(extra.signals)}{hidden_note(extra.hidden)}.",
                place(extra.where, extra.hidden),
            )
        )
    return out
