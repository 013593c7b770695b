"""The People page's search index finds exactly what the check-in desk's per-row rule finds
(every folded word of the query in the row's search text), keystroke after keystroke."""

from __future__ import annotations

import random

from chapterdesk.domain.search import TextIndex
from chapterdesk.domain.text import fold, search_key

FIRST = ["Ann", "Anne-Marie", "Zoë", "Łukasz", "Bob", "Cléo", "Renée", "Dana"]
LAST = ["Lee", "Dubé", "Baker", "Dąbrowski", "Roy", "Nguyen", "O'Neil"]
ORGS = ["City of Ottawa", "Fabrikam", "Contoso Consulting", "Highland Engineering"]


def texts(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        out.append(search_key(first, last, rng.choice(ORGS), f"{first}.{last}{i}@x.example"))
    return out


def naive(rows: list[str], query: str) -> list[int]:
    words = fold(query).split()
    return [i for i, t in enumerate(rows) if all(w in t for w in words)]


def test_every_keystroke_matches_the_per_row_rule() -> None:
    rows = texts(3000)
    index = TextIndex(rows)
    for term in ["dabrowski", "anne marie", "zoe fab", "ROY city", "lee", "o'neil high", "xyz"]:
        for i in range(1, len(term) + 1):  # typing on: the index narrows its last answer
            assert index.search(term[:i]) == naive(rows, term[:i]), term[:i]
        for i in range(len(term), 0, -1):  # deleting: a wider query scans again
            assert index.search(term[:i]) == naive(rows, term[:i]), term[:i]


def test_accents_case_and_an_empty_query() -> None:
    rows = texts(200)
    index = TextIndex(rows)
    assert index.search("  ") == list(range(200))
    assert index.search("CLÉO DUBÉ") == naive(rows, "cleo dube")
    assert index.search("łukasz") == naive(rows, "lukasz") != []


def test_a_match_never_spans_two_rows() -> None:
    index = TextIndex(["ann lee", "bob roy"])
    assert index.search("lee bob") == []
    assert TextIndex([]).search("ann") == []
