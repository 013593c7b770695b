"""Case- and accent-blind, whole-word matching that still reports the text *as written*.

Text is folded with :func:`chapterdesk.domain.text.fold` (what search uses), matched there, and
each match is mapped back to the original characters, so a finding quotes "Essai Gratuit"
rather than "essai gratuit".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from chapterdesk.domain.text import fold

_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
# Between the words of a phrase: spaces, line breaks and hyphens all count as one gap.
GAP = r"[\s\-‐‑–]+"


def fold_text(text: str) -> str:
    """The key text is matched on: folded, with curly apostrophes made straight."""
    return fold(text).translate(_QUOTES)


class Folded:
    """A text and its folded form, with a map from folded positions back to the original."""

    __slots__ = ("_map", "folded", "original")

    def __init__(self, original: str) -> None:
        self.original = original
        if original.isascii():
            self.folded = original.lower().translate(_QUOTES)
            self._map: list[int] | None = None
            return
        pieces: list[str] = []
        index: list[int] = []
        for position, char in enumerate(original):
            piece = fold_text(char)
            pieces.append(piece)
            index.extend([position] * len(piece))
        self.folded = "".join(pieces)
        self._map = index

    def original_span(self, start: int, end: int) -> str:
        """The original text behind ``folded[start:end]`` (with any trailing accents)."""
        if self._map is None:
            return self.original[start:end]
        if start >= end or start >= len(self._map):
            return ""
        first, last = self._map[start], self._map[end - 1] + 1
        while last < len(self.original) and unicodedata.combining(self.original[last]):
            last += 1
        return self.original[first:last]

    def finditer(self, pattern: re.Pattern[str]) -> Iterator[tuple[re.Match[str], str]]:
        """Each match on the folded text, with the original text it covers."""
        for match in pattern.finditer(self.folded):
            yield match, self.original_span(match.start(), match.end())


def phrase_regex(phrase: str) -> str:
    """A whole-word, gap-tolerant regular expression for a plain phrase."""
    words = [re.escape(word) for word in re.split(r"[\s\-‐‑–]+", fold_text(phrase)) if word]
    return r"(?<!\w)" + GAP.join(words) + r"(?!\w)" if words else ""


def alternation(regexes: Iterable[str]) -> str:
    """One ``(?:a|b|…)`` with longer alternatives first, so "call us today" beats "call us"."""
    unique = sorted({r for r in regexes if r}, key=lambda r: (-len(r), r))
    return "(?:" + "|".join(unique) + ")" if unique else r"(?!x)x"


@dataclass(frozen=True)
class NameRules:
    """Word lists from ``names.toml``: how organisation names are trimmed and guarded."""

    legal_suffixes: frozenset[str]
    generic_words: frozenset[str]
    common_words: frozenset[str]
    min_letters: int = 4


def name_variants(name: str, rules: NameRules) -> list[str]:
    """The folded forms an organisation is found by: the name, the name without its legal
    suffix ("Contoso Ltd." → "contoso"), and without trailing generic words ("Northwind
    Traders" → "northwind") unless too short or an everyday word. Longest first."""
    words = [w for w in re.split(r"[\s,;:()]+", fold_text(name)) if w]
    words = [w.strip(".'\"-&") or w for w in words]
    variants: list[list[str]] = [list(words)]
    while len(words) > 1 and (
        words[-1].replace(".", "") in rules.legal_suffixes or words[-1] in ("&", "and", "+")
    ):
        words = words[:-1]
    variants.append(list(words))
    trimmed = list(words)
    while len(trimmed) > 1 and trimmed[-1] in rules.generic_words:
        trimmed = trimmed[:-1]
        core = " ".join(trimmed)
        if len(core.replace(" ", "")) >= rules.min_letters and core not in rules.common_words:
            variants.append(list(trimmed))
    out: list[str] = []
    for variant in variants:
        text = " ".join(variant).strip()
        letters = sum(ch.isalnum() for ch in text)
        if letters >= rules.min_letters and text not in out:
            out.append(text)
    return sorted(out, key=len, reverse=True)


def is_common(variant: str, rules: NameRules) -> bool:
    """A one-word name that is an everyday word: only found where written with a capital."""
    return " " not in variant and variant in rules.common_words


def compact(text: str) -> str:
    """Letters and digits only, folded: for picture file names ("Contoso_Logo-2.png")."""
    return "".join(ch for ch in fold_text(text) if ch.isalnum())
