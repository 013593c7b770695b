"""Case- and accent-blind, whole-word matching that still reports the text *as written*.

Text is folded with :func:`chapterdesk.domain.text.fold` (what search uses), matched there, and
each match is mapped back to the original characters, so a finding quotes "Essai Gratuit"
rather than "essai gratuit".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

from chapterdesk.domain.text import fold

T = TypeVar("T")
_RUNS = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})


def fold_text(text: str) -> str:
    """The key text is matched on: folded, with curly apostrophes made straight."""
    return fold(text).translate(_QUOTES)


@lru_cache(maxsize=8192)
def folded(text: str) -> Folded:
    """The folded form of a slide text, made once although several checks read it."""
    return Folded(text)


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
        for run in _RUNS.finditer(original):  # ASCII stretches in bulk, other chars one by one
            text, start = run.group(0), run.start()
            piece = text.lower().translate(_QUOTES) if text.isascii() else fold_text(text)
            pieces.append(piece)
            if len(piece) == len(text):
                index.extend(range(start, start + len(text)))
            else:
                index.extend([start] * len(piece))
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


WORD = re.compile(r"\w+")


def words_of(phrase: str) -> tuple[str, ...]:
    """The folded words of a phrase: what it is indexed and looked up by."""
    return tuple(WORD.findall(fold_text(phrase)))


class WordIndex(Generic[T]):
    r"""Whole-word phrases looked up by word sequence, longest first.

    One dictionary probe per word (and per extra word of the longest phrase starting with it)
    instead of a regular expression with hundreds of alternatives tried at every character:
    500 customer names cost the same as five. Words are ``\w+`` runs of the folded text, so a
    phrase's words may be separated by spaces, line breaks, hyphens or punctuation."""

    def __init__(self) -> None:
        self._phrases: dict[tuple[str, ...], T] = {}
        self._longest: dict[str, int] = {}  # first word → words in its longest phrase

    def add(self, phrase: str, value: T) -> None:
        """Index ``phrase``; the first value given for a phrase wins."""
        key = words_of(phrase)
        if key and key not in self._phrases:
            self._phrases[key] = value
            self._longest[key[0]] = max(self._longest.get(key[0], 0), len(key))

    def __bool__(self) -> bool:
        return bool(self._phrases)

    def find(self, text: Folded) -> Iterator[tuple[T, str, int]]:
        """(value, original text, folded position) for each phrase in ``text``, left to
        right, never overlapping."""
        spans = [(m.start(), m.end()) for m in WORD.finditer(text.folded)]
        words = [text.folded[a:b] for a, b in spans]
        i = 0
        while i < len(words):
            longest = self._longest.get(words[i], 0)
            for n in range(min(longest, len(words) - i), 0, -1):
                key = tuple(words[i : i + n])
                value = self._phrases.get(key)
                if value is not None:
                    start, end = spans[i][0], spans[i + n - 1][1]
                    yield value, text.original_span(start, end), start
                    i += n
                    break
            else:
                i += 1


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
