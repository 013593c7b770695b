"""What every rule check shares: the facts about the meeting, and how places are named."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from chapterdesk.decks.model import TemplateSignature
from chapterdesk.decks.phrases import PhraseBook
from chapterdesk.domain.decks import CustomerFacts, Finding, Severity


@dataclass(frozen=True)
class Context:
    """What the checks know besides the deck: who presents, the template, the customers."""

    book: PhraseBook
    company: str = ""
    company_domain: str = ""  # "contoso.com"
    template: TemplateSignature | None = None
    template_problem: str = ""  # why the template could not be read, when it could not
    sponsor: bool = False  # a Paid Annual Chapter Sponsor (PRT-5)
    customers: Sequence[CustomerFacts] = ()
    tick: Callable[[], None] = lambda: None  # the deck's deadline, polled once per slide


def place(where: str, hidden: bool) -> str:
    """``Finding.where``: the place on the slide, and whether the slide is hidden."""
    return f"{where}, hidden slide" if hidden else where


def hidden_note(hidden: bool) -> str:
    """Appended to a why: hidden slides still travel with the deck and can be shown."""
    return " (on a hidden slide, which still travels with the deck)" if hidden else ""


def slide_list(numbers: Iterable[int]) -> str:
    """``[1, 2, 3, 7, 8]`` → ``"1–3, 7, 8"`` (a dash for three or more in a row)."""
    ordered = sorted(set(numbers))
    runs: list[list[int]] = []
    for n in ordered:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{run[0]}–{run[-1]}")
        else:
            parts.extend(str(n) for n in run)
    return ", ".join(parts)


def slides_named(numbers: Iterable[int]) -> str:
    """``[5]`` → ``"slide 5"``; ``[1, 2, 3, 7]`` → ``"slides 1–3, 7"``."""
    ordered = sorted(set(numbers))
    return f"slide {ordered[0]}" if len(ordered) == 1 else f"slides {slide_list(ordered)}"


def clean(text: str, limit: int = 200) -> str:
    """A matched text as a finding shows it: one line, no dangling spaces or commas."""
    text = " ".join(text.split()).strip(" ,;:")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def finding(
    slide: int, rule: str, severity: Severity, text: str, why: str, where: str = ""
) -> Finding:
    return Finding(
        slide=slide, rule_id=rule, severity=severity, text=clean(text), why=why, where=where
    )
