"""FILE observations: what the deck carries besides its slides, for the leader to know.

Macros are a WARNING, not a broken rule: no chapter rule forbids them and the checker never
runs them, but a leader should not open a macro-enabled deck on the meeting laptop, and the fix
(ask for a .pptx) is cheap. Video, audio, embedded objects and ActiveX controls are warnings
(they can hold anything, including a sales video); links and hidden slides are for the record.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from chapterdesk.decks.checks.common import finding, slides_named
from chapterdesk.decks.model import DeckFacts, Link
from chapterdesk.domain.decks import Finding, Severity

RULE = "FILE"
_KINDS = {
    "ppsx": "a PowerPoint show (.ppsx), which opens straight into the slide show",
    "ppsm": "a macro-enabled PowerPoint show (.ppsm)",
    "potx": "a PowerPoint template (.potx) rather than a presentation",
    "potm": "a macro-enabled PowerPoint template (.potm)",
}
_MACRO_KINDS = {"pptm", "ppsm", "potm"}


def check_file(deck: DeckFacts, filename: str) -> list[Finding]:
    out = _kind(deck, filename)
    for part in deck.embedded:
        if part.kind == "macros":
            continue
        name = PurePosixPath(part.name).name
        used = f" ({slides_named(part.slides)})" if part.slides else ""
        out.append(
            finding(
                part.slides[0] if part.slides else 0,
                RULE,
                Severity.WARNING,
                name,
                f"The deck carries an embedded {part.kind}{used}; open it before the meeting, "
                "it can hold anything, including a sales video or document.",
                part.kind,
            )
        )
    out.extend(_links(deck))
    out.extend(_slides(deck))
    return out


def _kind(deck: DeckFacts, filename: str) -> list[Finding]:
    out = []
    macros = [p for p in deck.embedded if p.kind == "macros"]
    if macros or deck.kind in _MACRO_KINDS:
        named = PurePosixPath(filename).suffix.lower()
        mismatch = (
            f" although it is named {named}" if named and named[1:] not in _MACRO_KINDS else ""
        )
        out.append(
            finding(
                0,
                RULE,
                Severity.WARNING,
                PurePosixPath(macros[0].name).name if macros else f"macro-enabled .{deck.kind}",
                f"The deck is macro-enabled{mismatch}: macros can run code on the meeting "
                "laptop and no chapter talk needs them, so ask for a .pptx (the checker never "
                "runs them).",
                "macros",
            )
        )
    if deck.kind in _KINDS:
        out.append(
            finding(
                0,
                RULE,
                Severity.INFO,
                f".{deck.kind}",
                f"The file is {_KINDS[deck.kind]}; it was checked like a .pptx.",
                "file",
            )
        )
    return out


def _links(deck: DeckFacts) -> list[Finding]:
    """One finding per outside address: hyperlinks for the record, linked files as warnings
    (they may be missing, or different, on the day)."""
    placed: dict[str, tuple[int, Link]] = {}
    for slide in deck.slides:
        for link in slide.links:
            placed.setdefault(link.url, (slide.number, link))
    for link in deck.deck_links:
        placed.setdefault(link.url, (0, link))
    out = []
    for url, (number, link) in placed.items():
        if link.hyperlink:
            out.append(
                finding(
                    number,
                    RULE,
                    Severity.INFO,
                    url,
                    "A link to outside the deck, for the record.",
                    "link",
                )
            )
        else:
            out.append(
                finding(
                    number,
                    RULE,
                    Severity.WARNING,
                    url,
                    "The deck loads a picture, video or object from outside the file: it may "
                    "be missing or different at the meeting, so ask for it to be embedded.",
                    "linked file",
                )
            )
    return out


def _slides(deck: DeckFacts) -> list[Finding]:
    """Hidden slides, speaker notes, and slides that could not be read completely."""
    out = []
    hidden = [s.number for s in deck.slides if s.hidden]
    if hidden:
        out.append(
            finding(
                0,
                RULE,
                Severity.INFO,
                f"hidden {slides_named(hidden)}",
                "Hidden slides are not shown in the slide show but travel with the deck; they "
                "were checked like the others.",
                "hidden slides",
            )
        )
    noted = [s.number for s in deck.slides if s.notes.strip()]
    if noted:
        out.append(
            finding(
                0,
                RULE,
                Severity.INFO,
                f"speaker notes on {len(noted)} slide{'s' if len(noted) != 1 else ''}",
                f"Speaker notes on {slides_named(noted)} were checked for sales language too; "
                "notes are not shown but say what the speaker will tell the room.",
                "notes",
            )
        )
    for slide in deck.slides:
        for problem in slide.problems:
            out.append(
                finding(
                    slide.number,
                    RULE,
                    Severity.WARNING,
                    problem,
                    "Part of this slide could not be read, so it may hold text the checks did "
                    "not see; look at it in PowerPoint.",
                    "slide",
                )
            )
    return out
