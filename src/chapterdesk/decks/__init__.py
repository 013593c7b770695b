"""Partner slide decks, checked against the chapter rules (DECK-1…4, PRT-5).

``check_deck(bytes, filename, …) -> DeckReport`` is the whole interface; it raises
``DeckRefused`` (a message for the leader) when the file is not analysed. Qt-free and
SQLAlchemy-free: services hand it plain facts (company, template, customers).
"""

from __future__ import annotations

from chapterdesk.decks.checker import check_deck
from chapterdesk.decks.errors import DeckRefused
from chapterdesk.decks.model import TemplateSignature
from chapterdesk.decks.phrases import PhraseFileError
from chapterdesk.domain.decks import CustomerFacts

__all__ = ["CustomerFacts", "DeckRefused", "PhraseFileError", "TemplateSignature", "check_deck"]
