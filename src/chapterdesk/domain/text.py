"""Accent- and case-blind text keys, so "zoe" finds "Zoë" and "lukasz" finds "Łukasz".

Leaders type names on a laptop keyboard at the door; rosters hold names from many languages.
Search therefore compares folded keys, never the names as written.
"""

from __future__ import annotations

import unicodedata

# Letters that carry their "accent" inside the letter itself: NFKD leaves them whole, so they
# are mapped by hand (after casefolding, hence mostly lower case; upper case kept for safety).
_UNDECOMPOSABLE = str.maketrans(
    {
        "Ł": "l",
        "ł": "l",
        "Ø": "o",
        "ø": "o",
        "Đ": "d",
        "đ": "d",
        "Ð": "d",
        "ð": "d",
        "ß": "ss",
        "Æ": "ae",
        "æ": "ae",
        "Œ": "oe",
        "œ": "oe",
        "Ħ": "h",
        "ħ": "h",
        "ı": "i",
        "Þ": "th",
        "þ": "th",
    }
)


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents: ``fold("Zoë Łukasz") == "zoe lukasz"``.

    Casefolding first lets ``ß`` become ``ss`` and ``İ`` decompose; NFKD then splits accented
    letters into base letter plus combining marks, which are dropped.
    """
    if text.isascii():  # most names and every email: skip the Unicode work
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_UNDECOMPOSABLE)


def search_key(*parts: str) -> str:
    """One folded, single-spaced search string from several fields (name, company, email).

    Stored beside the row so that search-as-you-type is a plain ``LIKE`` on one column.
    """
    return " ".join(" ".join(fold(part) for part in parts if part).split())
