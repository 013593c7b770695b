"""Copies of the database taken before anything risky (migrations); the copy stays encrypted."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from chapterdesk.paths import DataPaths

KEEP_BACKUPS = 5


def copy_database(engine: Engine, paths: DataPaths, reason: str) -> Path:
    """Checkpoint the WAL into the main file, then copy it to ``backups/``; keep the newest few."""
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    paths.backups.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = paths.backups / f"chapterdesk-{stamp}-{reason}.db"
    tmp = target.with_suffix(".partial")
    shutil.copy2(paths.database, tmp)
    tmp.replace(target)
    for old in sorted(paths.backups.glob("chapterdesk-*.db"))[:-KEEP_BACKUPS]:
        old.unlink()
    return target
