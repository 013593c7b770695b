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
    # The names decide which copies are the newest, so two copies made in the same instant
    # must neither overwrite each other nor sort out of order: microseconds, and on a clash a
    # sequence number after the highest one already used with that stamp.
    prefix = "chapterdesk-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    same_stamp = [p.name[len(prefix) :] for p in paths.backups.glob(f"{prefix}*.db")]
    if same_stamp:
        used = [int(rest[1:4]) for rest in same_stamp if rest[:1] == "." and rest[1:4].isdigit()]
        prefix = f"{prefix}.{max(used, default=0) + 1:03d}"
    target = paths.backups / f"{prefix}-{reason}.db"
    tmp = target.with_suffix(".partial")
    shutil.copy2(paths.database, tmp)
    tmp.replace(target)
    for old in sorted(paths.backups.glob("chapterdesk-*.db"))[:-KEEP_BACKUPS]:
        old.unlink()
    return target
