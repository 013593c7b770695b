"""DECK-3: content is educational; sales and marketing language is not allowed.

Every text on a slide is searched (titles, bodies, tables, grouped shapes, charts, SmartArt,
footers, hidden slides), and the speaker notes: notes are not shown, so a match there is a
warning, unless one slide's notes hold three or more different phrases (a scripted pitch).
Links count when their address points at a sales page.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from chapterdesk.decks.checks.common import Context, finding, hidden_note, place
from chapterdesk.decks.checks.company import normalise_domain
from chapterdesk.decks.matching import fold_text, folded
from chapterdesk.decks.model import ALT_TEXT, NOTES, DeckFacts, SlideFacts
from chapterdesk.domain.decks import Finding, Severity

RULE = "DECK-3"
PITCH_IN_NOTES = 3  # different phrases in one slide's notes that make them a scripted pitch
_URL_IN_TEXT = re.compile(  # repetitions bounded: no slow paths on hostile text
    r"(?:https?://|www\.)[^\s<>\"')]{1,2000}"
    r"|(?<![\w@.\-])[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.[a-z]{2,24}/[^\s<>\"')]{0,2000}",
    re.IGNORECASE,
)


def check_sales(deck: DeckFacts, ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for slide in deck.slides:
        ctx.tick()
        out.extend(_slide_text(slide, ctx))
        out.extend(_notes(slide, ctx))
        out.extend(_links(slide, ctx))
    return out


def _matches(text: str, ctx: Context) -> list[tuple[str, str, Severity, str]]:
    """(group, text as written, severity, why) for every sales phrase in ``text``."""
    return [
        (m.group.name, m.text, m.group.severity, m.group.why) for m in ctx.book.sales(folded(text))
    ]


def _slide_text(slide: SlideFacts, ctx: Context) -> list[Finding]:
    out = []
    for spot in slide.spots:
        ctx.tick()
        if spot.where == ALT_TEXT:
            continue
        for _group, original, severity, why in _matches(spot.text, ctx):
            out.append(
                finding(
                    slide.number,
                    RULE,
                    severity,
                    original,
                    _with_hidden(why, slide.hidden),
                    place(spot.where, slide.hidden),
                )
            )
    return out


def _notes(slide: SlideFacts, ctx: Context) -> list[Finding]:
    """Notes are a warning each, unless they hold a scripted pitch: then the group's weight."""
    matches = _matches(slide.notes, ctx) if slide.notes else []
    distinct = len({fold_text(original) for _g, original, _s, _w in matches})
    out = []
    for group, original, severity, _why in matches:
        if distinct >= PITCH_IN_NOTES:
            why = (
                f"The speaker notes script a sales pitch ({distinct} sales phrases, this one "
                f"{_article(group)}); DECK-3 covers what is said, not only what is shown"
            )
        else:
            severity = Severity.WARNING
            why = (
                f"Speaker notes are not shown, but this {group} is what the speaker may say; "
                "check it (DECK-3)"
            )
        out.append(
            finding(
                slide.number,
                RULE,
                severity,
                original,
                _with_hidden(why + ".", slide.hidden),
                place(NOTES, slide.hidden),
            )
        )
    return out


def _article(group: str) -> str:
    return f"an {group}" if group[:1] in "aeiou" else f"a {group}"


def _with_hidden(why: str, hidden: bool) -> str:
    return why.removesuffix(".") + hidden_note(hidden) + "." if hidden else why


def _links(slide: SlideFacts, ctx: Context) -> list[Finding]:
    """Hyperlinks and addresses typed on the slide that lead to a sales page."""
    urls = [link.url for link in slide.links if link.hyperlink]
    for spot in slide.spots:
        if spot.where != ALT_TEXT:
            urls.extend(m.group(0) for m in _URL_IN_TEXT.finditer(spot.text))
    out = []
    domain = normalise_domain(ctx.company_domain)
    for url in dict.fromkeys(urls):
        words = _sales_words(url, ctx)
        if not words:
            continue
        host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
        theirs = bool(domain) and (host == domain or host.endswith("." + domain))
        out.append(
            finding(
                slide.number,
                RULE,
                Severity.BREAKS_RULE if theirs else Severity.WARNING,
                url,
                (
                    f"This link leads to the presenting company's sales page ({words}), "
                    "a call to action DECK-3 prohibits"
                    if theirs
                    else f"This link looks like a sales page ({words}); check whose it is (DECK-3)"
                )
                + hidden_note(slide.hidden)
                + ".",
                place("link", slide.hidden),
            )
        )
    return out


def _sales_words(url: str, ctx: Context) -> str:
    """The sales words in a link's path and query ("pricing, demo"), or ``""``."""
    parts = urlsplit(url if "//" in url else "//" + url)
    tail = f"{parts.path} {parts.query}".lower()
    tokens = set(re.split(r"[^a-z0-9\-]+", tail)) | set(re.split(r"[^a-z0-9]+", tail))
    return ", ".join(sorted(tokens & ctx.book.link_words))
