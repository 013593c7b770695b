"""Likely duplicate people on a roster (issue 8): the same email; the same name at the same
organisation; the same name written with other accents, case or punctuation.

Pure and linear: people are bucketed by key, so 100,000 people cost one pass and a few dicts,
never a comparison of every pair. A very common name across many companies ("John Smith" ×
30) says little, so a name-only bucket larger than ``COMMON_NAME`` is not reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache
from itertools import combinations
from typing import NamedTuple

from chapterdesk.domain.text import fold

COMMON_NAME = 4  # more people than this with one name, at different companies: not reported

_NOT_NAME = re.compile(r"[^0-9a-z]+")


class Reason(IntEnum):
    """Why two people look like one; a higher value is stronger evidence."""

    SAME_NAME = 1  # accent-, case- and punctuation-blind, any organisation
    SAME_NAME_SAME_ORGANISATION = 2
    SAME_EMAIL = 3


REASON_WORDS = {
    Reason.SAME_EMAIL: "same email",
    Reason.SAME_NAME_SAME_ORGANISATION: "same name, same organisation",
    Reason.SAME_NAME: "same name, another organisation",
}


class PersonKey(NamedTuple):
    """What duplicate detection needs of a person (a tuple: 100,000 of them are cheap, and
    the cycle collector stops tracking tuples of strings)."""

    id: str
    first_name: str
    last_name: str
    organisation_id: str
    email: str = ""


@dataclass(frozen=True, slots=True)
class DuplicatePair:
    first_id: str  # the two ids in sorted order, so a pair has one spelling
    second_id: str
    reason: Reason


def name_key(first_name: str, last_name: str) -> str:
    """``"Anne-Marie  Dubé"`` and ``"anne marie dube"`` give the same key."""
    return f"{_name_part(first_name)} {_name_part(last_name)}".strip()


@lru_cache(maxsize=1 << 16)
def _name_part(text: str) -> str:
    """One name, folded: a roster repeats its first and last names, so each is folded once."""
    return " ".join(_NOT_NAME.sub(" ", fold(text)).split())


def email_key(email: str) -> str:
    return email.strip().casefold()


def find_duplicates(people: Iterable[PersonKey]) -> list[DuplicatePair]:
    """Every likely duplicate pair with its strongest reason, strongest first."""
    by_email: dict[str, list[str]] = {}
    by_name: dict[str, list[tuple[str, str]]] = {}
    for p in people:
        email = email_key(p.email)
        if email:
            by_email.setdefault(email, []).append(p.id)
        name = name_key(p.first_name, p.last_name)
        if name:
            by_name.setdefault(name, []).append((p.id, p.organisation_id))

    best: dict[tuple[str, str], Reason] = {}

    def note(a: str, b: str, reason: Reason) -> None:
        if a == b:
            return
        pair = (a, b) if a < b else (b, a)
        if best.get(pair, 0) < reason:
            best[pair] = reason

    for ids in by_email.values():
        for a, b in combinations(ids, 2):
            note(a, b, Reason.SAME_EMAIL)
    for members in by_name.values():
        if len(members) < 2:
            continue
        by_org: dict[str, list[str]] = {}
        for person_id, org in members:
            by_org.setdefault(org, []).append(person_id)
        for ids in by_org.values():
            for a, b in combinations(ids, 2):
                note(a, b, Reason.SAME_NAME_SAME_ORGANISATION)
        if len(members) <= COMMON_NAME:
            for (a, _oa), (b, _ob) in combinations(members, 2):
                note(a, b, Reason.SAME_NAME)
    pairs = [DuplicatePair(a, b, reason) for (a, b), reason in best.items()]
    pairs.sort(key=lambda p: (-p.reason, p.first_id, p.second_id))
    return pairs
