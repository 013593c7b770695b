"""DECK-1: partner decks use the chapter's template (a Paid Annual Chapter Sponsor, PRT-5, may
use its own)."""

from __future__ import annotations

from chapterdesk.decks.checks.common import Context, finding, place, slides_named
from chapterdesk.decks.model import DeckFacts, MasterSignature, TemplateSignature
from chapterdesk.domain.decks import Finding, Severity
from chapterdesk.domain.text import fold

RULE = "DECK-1"
_EMU_PER_INCH = 914_400
_RATIOS = {16 / 9: "16:9", 4 / 3: "4:3", 16 / 10: "16:10", 297 / 210: "A4"}


def check_template(deck: DeckFacts, ctx: Context) -> list[Finding]:
    """Slide size, masters, theme fonts and colours, and each slide's layout."""
    masters = _masters_in_use(deck)
    if ctx.sponsor:
        return [
            finding(
                0,
                RULE,
                Severity.INFO,
                "Paid Annual Chapter Sponsor",
                "The presenting company is a Paid Annual Chapter Sponsor, so it may use its own "
                f"template (PRT-5) and DECK-1 was not applied; the deck uses "
                f"{_names(masters)}.",
                "template",
            )
        ]
    template = ctx.template
    if template is None:
        return [
            finding(
                0,
                RULE,
                Severity.WARNING,
                "chapter template unusable",
                f"DECK-1 could not be checked because the chapter template cannot be read: "
                f"{ctx.template_problem}",
                "template",
            )
        ]
    findings = _size(deck.signature, template)
    for name, slides in masters.items():
        theirs = deck.signature.master(name)
        mine = _matching_master(name, theirs, template)
        if mine is None:
            findings.append(
                finding(
                    0,
                    RULE,
                    Severity.BREAKS_RULE,
                    name,
                    f"{slides_named(slides).capitalize()} {'uses' if len(slides) == 1 else 'use'} "
                    f"the master “{name}”, which is not part of the chapter template (DECK-1).",
                    "master",
                )
                if slides
                else finding(
                    0,
                    RULE,
                    Severity.BREAKS_RULE,
                    name,
                    f"The deck's master “{name}” is not part of the chapter template (DECK-1).",
                    "master",
                )
            )
            continue
        if theirs is not None:
            findings.extend(_theme(theirs, mine))
        findings.extend(_layouts(deck, name, mine))
    return findings


def _matching_master(
    name: str, theirs: MasterSignature | None, template: TemplateSignature
) -> MasterSignature | None:
    """The template's master of that name; failing that, one with the very same theme (fonts
    and all colours): a theme saved under another name is still the chapter's design."""
    mine = template.master(name)
    if mine is not None or theirs is None or not theirs.colours:
        return mine
    return next((m for m in template.masters if _same_theme(theirs, m)), None)


def _same_theme(a: MasterSignature, b: MasterSignature) -> bool:
    return (
        fold(a.major_font).strip() == fold(b.major_font).strip()
        and fold(a.minor_font).strip() == fold(b.minor_font).strip()
        and dict(a.colours) == dict(b.colours)
    )


def _masters_in_use(deck: DeckFacts) -> dict[str, list[int]]:
    """Master name → slides on it; every master when the deck has no readable slides."""
    used: dict[str, list[int]] = {}
    for slide in deck.slides:
        if slide.master:
            used.setdefault(slide.master, []).append(slide.number)
    if not used:
        used = {master.name: [] for master in deck.signature.masters}
    return used


def _names(masters: dict[str, list[int]]) -> str:
    names = [f"“{name}”" for name in masters]
    return ", ".join(names) if names else "no master"


def _size(deck: TemplateSignature, template: TemplateSignature) -> list[Finding]:
    if not (deck.width and deck.height and template.width and template.height):
        return []
    if (
        abs(deck.width - template.width) <= template.width * 0.005
        and abs(deck.height - template.height) <= template.height * 0.005
    ):
        return []
    return [
        finding(
            0,
            RULE,
            Severity.BREAKS_RULE,
            _describe_size(deck.width, deck.height),
            f"The slides are not the chapter template's size "
            f"({_describe_size(template.width, template.height)}) (DECK-1).",
            "slide size",
        )
    ]


def _describe_size(width: int, height: int) -> str:
    ratio = width / height
    shape = next((name for r, name in _RATIOS.items() if abs(ratio - r) < 0.01), "custom")
    return f"{width / _EMU_PER_INCH:.2f} × {height / _EMU_PER_INCH:.2f} in, {shape}"


def _theme(theirs: MasterSignature, mine: MasterSignature) -> list[Finding]:
    """A master named like the template's but with other fonts or colours was edited."""
    out: list[Finding] = []
    fonts = (theirs.major_font, theirs.minor_font)
    if [fold(f).strip() for f in fonts] != [
        fold(f).strip() for f in (mine.major_font, mine.minor_font)
    ]:
        out.append(
            finding(
                0,
                RULE,
                Severity.BREAKS_RULE,
                f"{theirs.major_font or '?'} / {theirs.minor_font or '?'}",
                f"The theme fonts of “{theirs.name}” were changed from the chapter template's "
                f"({mine.major_font} / {mine.minor_font}) (DECK-1).",
                "theme fonts",
            )
        )
    expected = dict(mine.colours)
    changed = [
        (slot, value)
        for slot, value in theirs.colours
        if slot in expected and expected[slot] != value
    ]
    if changed:
        out.append(
            finding(
                0,
                RULE,
                Severity.BREAKS_RULE,
                ", ".join(f"{slot} #{value}" for slot, value in changed),
                f"The theme colours of “{theirs.name}” differ from the chapter template's ("
                + ", ".join(f"{slot} #{expected[slot]}" for slot, _ in changed)
                + ") (DECK-1).",
                "theme colours",
            )
        )
    return out


def _layouts(deck: DeckFacts, master: str, mine: MasterSignature) -> list[Finding]:
    """Slides on the template's master but on a layout the template does not have."""
    known = {fold(name).strip() for name in mine.layouts}
    return [
        finding(
            slide.number,
            RULE,
            Severity.BREAKS_RULE,
            slide.layout or "(unnamed layout)",
            f"The layout “{slide.layout}” is not one of the chapter template's layouts (DECK-1).",
            place("layout", slide.hidden),
        )
        for slide in deck.slides
        if slide.master == master and fold(slide.layout).strip() not in known
    ]
