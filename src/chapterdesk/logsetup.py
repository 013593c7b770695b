"""A rotating log file in the user's log folder; unexpected errors land there with detail."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

import platformdirs

from chapterdesk.paths import APP_AUTHOR, APP_NAME


def configure_logging(verbose: bool = False) -> Path | None:
    """Log to ``<user log dir>/chapterdesk.log`` (5 × 1 MB); returns the file, or None if the
    folder cannot be written (then only warnings reach stderr)."""
    root = logging.getLogger()
    for existing in root.handlers:
        if getattr(existing, "chapterdesk_file", None) is not None:
            return Path(existing.chapterdesk_file)  # already configured in this process
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    root.addHandler(console)
    try:
        folder = Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "chapterdesk.log"
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s")
    )
    handler.chapterdesk_file = str(path)  # type: ignore[attr-defined]
    root.addHandler(handler)
    return path
