"""The one exception the deck checker lets out, so callers need a single ``except``."""

from __future__ import annotations


class DeckRefused(Exception):
    """The file was not analysed. ``message`` is one or two sentences a leader can act on
    (what the file is, what to ask the partner for); it is shown as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
