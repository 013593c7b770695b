"""Where ChapterDesk keeps its files: platformdirs by default, overridable for tests and demos."""

from __future__ import annotations

import errno
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from chapterdesk.i18n import _

APP_NAME = "ChapterDesk"
APP_AUTHOR = "ChapterDesk"
DATA_DIR_ENV = "CHAPTERDESK_DATA_DIR"
DATABASE_FILE = "chapterdesk.db"


class DataDirError(Exception):
    """The data folder cannot be created or written; the message says which and what to do."""


@dataclass(frozen=True)
class DataPaths:
    """Every file location derived from one data folder."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / DATABASE_FILE

    @property
    def store_info(self) -> Path:
        """Non-secret description of the store (its id and how its key is kept)."""
        return self.root / "store.json"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--data-dir`` wins, then ``$CHAPTERDESK_DATA_DIR``, then the platform's user data folder."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def prepare_data_dir(root: Path) -> DataPaths:
    """Create the folder if needed and prove it is writable, before anything is written to it."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = root / f".write-test-{uuid.uuid4().hex}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if exc.errno == errno.ENOSPC:
            fix = _("free some disk space")
        else:
            fix = _("fix its permissions or choose another folder with --data-dir")
        raise DataDirError(
            _(
                "ChapterDesk cannot write to its data folder {folder} ({reason}). "
                "To continue, {fix}. Nothing has been changed."
            ).format(folder=root, reason=reason, fix=fix)
        ) from exc
    return DataPaths(root)
