"""Alembic migrations of the local store.

``REVISIONS`` lists every revision oldest first, so start-up can tell "current", "behind" and
"newer than this app" without importing Alembic (a test keeps it equal to the scripts).
"""

from __future__ import annotations

from pathlib import Path

SCRIPT_LOCATION = Path(__file__).parent
REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006", "0007")
HEAD = REVISIONS[-1]
