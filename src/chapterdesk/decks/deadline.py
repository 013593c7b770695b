"""A time budget for one deck, checked between units of work.

A worker process could be killed at any moment, but processes are costly to start, awkward in a
PyInstaller build and need pickling; a deadline polled in every loop (parts, slides, shapes,
texts) is enough because the package limits of :mod:`.safe_open` bound every single step that
runs between two polls.
"""

from __future__ import annotations

import time

from chapterdesk.decks.errors import DeckRefused


class Deadline:
    """Raises :class:`DeckRefused` once ``seconds`` have passed since it was made."""

    __slots__ = ("_end", "seconds")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def check(self) -> None:
        """Stop the analysis with a "took too long" refusal when the budget is spent."""
        if time.monotonic() > self._end:
            raise DeckRefused(
                f"The deck took too long to check (more than {self.seconds:g} s) and was "
                "not analysed; ask for a smaller deck or open it in PowerPoint to review it "
                "by hand."
            )
