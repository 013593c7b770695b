"""Search as you type over a large roster: every word of the query must occur in a row's
folded search text (the same rule as the check-in desk's ``SearchProxy``), answered fast enough
for each keystroke on 100,000 rows.

One string holds every row's text, one row per line, so the longest word of the query is found
with ``str.find`` at C speed and mapped back to rows; the other words are checked on those rows
only. A query that extends the previous one (the next keystroke) searches only the previous
matches.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from chapterdesk.domain.text import fold


class TextIndex:
    """Rows by position; :meth:`search` returns the positions of the matching rows in order."""

    def __init__(self, texts: Sequence[str]) -> None:
        # The texts are folded already; a line break never occurs in one (search_key joins
        # words with single spaces), so a match never spans two rows.
        self._texts = [t.replace("\n", " ") for t in texts]
        self._blob = "\n".join(self._texts)
        starts = [0] * len(self._texts)
        at = 0
        for i, text in enumerate(self._texts):
            starts[i] = at
            at += len(text) + 1
        self._starts = starts
        self._last_words: list[str] = []
        self._last: list[int] = []

    def __len__(self) -> int:
        return len(self._texts)

    def search(self, query: str) -> list[int]:
        words = fold(query).split()
        if not words:
            self._last_words, self._last = [], []
            return list(range(len(self._texts)))
        if self._last_words and _narrows(self._last_words, words):
            texts = self._texts
            found = [i for i in self._last if all(w in texts[i] for w in words)]
        else:
            found = self._scan(words)
        self._last_words, self._last = words, found
        return found

    def _scan(self, words: list[str]) -> list[int]:
        longest = max(words, key=len)
        rest = [w for w in words if w is not longest]
        blob, starts, texts = self._blob, self._starts, self._texts
        found: list[int] = []
        at = blob.find(longest)
        while at >= 0:
            row = bisect_right(starts, at) - 1
            if all(w in texts[row] for w in rest):
                found.append(row)
            nxt = row + 1  # on to the next row: one hit per row
            if nxt >= len(starts):
                break
            at = blob.find(longest, starts[nxt])
        return found


def _narrows(before: list[str], after: list[str]) -> bool:
    """Every row matching ``after`` also matches ``before``: each earlier word is contained in
    a word typed now (typing on, or adding a word)."""
    return all(any(old in new for new in after) for old in before)
