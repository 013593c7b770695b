"""Builders shared by several test modules."""

from __future__ import annotations

from pathlib import Path

from chapterdesk.demo.generate import DemoSummary, generate_demo
from chapterdesk.paths import prepare_data_dir
from chapterdesk.store.database import Store, open_store


def demo_store(
    folder: Path, people: int = 1200, *, allow_plaintext: bool = False
) -> tuple[Store, DemoSummary]:
    """An encrypted (memory-keyring) store filled with a small deterministic demo."""
    store = open_store(prepare_data_dir(folder), allow_plaintext=allow_plaintext)
    summary = generate_demo(store.engine, people=people, clock=store.clock)
    return store, summary
