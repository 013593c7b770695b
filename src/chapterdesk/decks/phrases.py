"""The phrase lists (``resources/decks/*.toml``) as compiled matchers.

The lists are data, not code, so a chapter can extend them with its own file without a new
release; a mistake in that file is reported with the file and the entry at fault.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from chapterdesk.decks.matching import Folded, NameRules, WordIndex
from chapterdesk.domain.decks import Severity

_RESOURCES = ("resources", "decks")


class PhraseFileError(ValueError):
    """A phrase file cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class SalesGroup:
    """One kind of sales language (prices, offers, calls to action, pitches)."""

    name: str
    severity: Severity
    why: str


@dataclass(frozen=True)
class SalesMatch:
    """One piece of sales language found in a text."""

    group: SalesGroup
    text: str  # as written in the deck
    start: int  # position in the folded text, to keep matches in reading order


@dataclass(frozen=True)
class PhraseBook:
    """Everything DECK-2 and DECK-3 match with, compiled once."""

    groups: tuple[SalesGroup, ...]
    sales_phrases: WordIndex[int]  # folded words → index into ``groups``
    sales_patterns: re.Pattern[str] | None  # one named group per group with patterns: g0, …
    company: WordIndex[str]  # "about us", "who we are", …
    link_words: frozenset[str]
    names: NameRules

    def sales(self, text: Folded) -> list[SalesMatch]:
        """Every sales phrase and pattern in ``text``, in reading order."""
        found = [
            SalesMatch(self.groups[index], original, start)
            for index, original, start in self.sales_phrases.find(text)
        ]
        if self.sales_patterns is not None:
            for match, original in text.finditer(self.sales_patterns):
                group = next(k for k, v in match.groupdict().items() if v is not None)
                found.append(SalesMatch(self.groups[int(group[1:])], original, match.start()))
        return sorted(found, key=lambda m: m.start)


def _read_toml(source: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PhraseFileError(f"{source} is not valid TOML: {error}") from error


def _strings(source: str, where: str, value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PhraseFileError(f"{source}: {where} must be a list of strings")
    return list(value)


def _pattern(source: str, group: str, pattern: str) -> str:
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise PhraseFileError(
            f"{source}: pattern {pattern!r} in group {group!r} is not a valid regular "
            f"expression ({error})"
        ) from error
    if compiled.match(""):
        raise PhraseFileError(f"{source}: pattern {pattern!r} in group {group!r} matches nothing")
    return f"(?:{pattern})"


def _merge(book: dict[str, Any], source: str, data: dict[str, Any]) -> None:
    """Add one file's groups and lists to ``book`` (groups by name, lists appended)."""
    for entry in data.get("sales", []):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise PhraseFileError(f"{source}: every [[sales]] group needs a name")
        name = entry["name"]
        group = book["groups"].setdefault(
            name, {"severity": "breaks_rule", "why": "", "phrases": [], "patterns": []}
        )
        severity = entry.get("severity", group["severity"])
        if severity not in ("breaks_rule", "warning"):
            raise PhraseFileError(
                f'{source}: severity of group {name!r} must be "breaks_rule" or "warning"'
            )
        group["severity"] = severity
        group["why"] = str(entry.get("why") or group["why"])
        phrases = _strings(source, f"phrases of {name!r}", entry.get("phrases"))
        patterns = _strings(source, f"patterns of {name!r}", entry.get("patterns"))
        group["phrases"].extend(phrases)
        group["patterns"].extend(_pattern(source, name, p) for p in patterns)
    company = data.get("company", {})
    book["company"].extend(_strings(source, "[company] phrases", company.get("phrases")))
    links = data.get("links", {})
    book["links"].extend(_strings(source, "[links] sales_words", links.get("sales_words")))


def _resource(name: str) -> str:
    return resources.files("chapterdesk").joinpath(*_RESOURCES, name).read_text("utf-8")


def _name_rules() -> NameRules:
    data = _read_toml("names.toml", _resource("names.toml"))

    def words(key: str) -> frozenset[str]:
        return frozenset(w.replace(".", "") for w in _strings("names.toml", key, data.get(key)))

    return NameRules(
        legal_suffixes=words("legal_suffixes"),
        generic_words=words("generic_words"),
        common_words=words("common_words"),
    )


@cache
def _book(extra: Path | None, stamp: int) -> PhraseBook:
    del stamp  # only part of the cache key
    book: dict[str, Any] = {"groups": {}, "company": [], "links": []}
    shipped = "sales-phrases.toml"
    _merge(book, shipped, _read_toml(shipped, _resource(shipped)))
    if extra is not None:
        try:
            text = extra.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise PhraseFileError(f"The phrase file {extra} cannot be read: {error}") from error
        _merge(book, str(extra), _read_toml(str(extra), text))
    groups = []
    phrases: WordIndex[int] = WordIndex()
    patterns = []
    for index, (name, fields) in enumerate(book["groups"].items()):
        why = fields["why"] or f"{name.capitalize()} is sales language (DECK-3)."
        groups.append(SalesGroup(name=name, severity=Severity(fields["severity"]), why=why))
        for phrase in fields["phrases"]:
            phrases.add(phrase, index)
        if fields["patterns"]:
            patterns.append(f"(?P<g{index}>{'|'.join(fields['patterns'])})")
    company: WordIndex[str] = WordIndex()
    for phrase in book["company"]:
        company.add(phrase, phrase)
    return PhraseBook(
        groups=tuple(groups),
        sales_phrases=phrases,
        sales_patterns=re.compile("|".join(patterns)) if patterns else None,
        company=company,
        link_words=frozenset(w.lower() for w in book["links"]),
        names=_name_rules(),
    )


def load_phrases(extra: Path | None = None) -> PhraseBook:
    """The shipped phrase lists, plus the chapter's own file when given. Cached per file
    path *and* modification time, so an edited file is picked up on the next check."""
    if extra is None:
        return _book(None, 0)
    try:
        stamp = extra.stat().st_mtime_ns
    except OSError as error:
        raise PhraseFileError(f"The phrase file {extra} cannot be read: {error}") from error
    return _book(extra.resolve(), stamp)
