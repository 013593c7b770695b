"""``chapterdesk demo``: build a demo database (e.g. 100,000 people for benchmarks)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from chapterdesk.paths import DataDirError, prepare_data_dir
from chapterdesk.store.database import open_store
from chapterdesk.store.errors import StoreError


def create_demo(folder: str, people: int, seed: int) -> int:
    """Create the demo in an empty ``folder``; refuses to touch an existing store."""
    from chapterdesk.demo.generate import generate_demo

    if people < 100:
        print("chapterdesk demo: --people must be at least 100.", file=sys.stderr)
        return 2
    try:
        paths = prepare_data_dir(Path(folder).expanduser().resolve())
        if paths.store_info.exists() or paths.database.exists():
            print(
                f"chapterdesk demo: {paths.root} already holds a ChapterDesk database; "
                "choose an empty folder. Nothing has been changed.",
                file=sys.stderr,
            )
            return 2
        store = open_store(paths, allow_plaintext=True)
    except (DataDirError, StoreError) as exc:
        print(f"chapterdesk demo: {exc}", file=sys.stderr)
        return 2
    try:
        started = time.perf_counter()
        summary = generate_demo(store.engine, people=people, seed=seed, clock=store.clock)
        elapsed = time.perf_counter() - started
    finally:
        store.close()
    protection = (
        "encrypted, key in the system keyring"
        if store.encrypted
        else "NOT encrypted: no system keyring is available"
    )
    print(
        f"Demo data in {paths.root} ({protection}): {summary.people} people, "
        f"{summary.organisations} organisations, {summary.chapters} chapters, "
        f"{summary.meetings} meetings, {summary.registrations} registrations "
        f"in {elapsed:.1f} s."
    )
    print(f"Open it with: chapterdesk --data-dir {paths.root}")
    return 0
