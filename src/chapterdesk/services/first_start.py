"""The store a first start creates, and taking it back when the person cancels the assistant
before anything was put in it (a cancelled set-up leaves no half-made laptop behind)."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from chapterdesk.paths import DataPaths, prepare_data_dir
from chapterdesk.services.desk import Desk
from chapterdesk.store.database import KeyMode, forget_store, open_store
from chapterdesk.store.keys import KeyringKeys

log = logging.getLogger(__name__)


def create_local_store(
    folder: Path, key_mode: KeyMode, passphrase: str | None, keys: KeyringKeys | None = None
) -> Desk:
    """A new, empty, encrypted store whose key is kept as the person chose (ROS-5): a random
    key in the OS keyring, or one derived from their passphrase. Blocking: run it in a worker."""
    paths = prepare_data_dir(folder)
    ask = (lambda _creating: passphrase) if key_mode == "passphrase" else None
    store = open_store(paths, keys=keys, key_mode=key_mode, ask_passphrase=ask)
    return Desk(store)


def discard_new_store(desk: Desk, keys: KeyringKeys | None = None) -> bool:
    """Remove a store made moments ago, and its keyring entry, if nobody has an account in it
    yet; returns whether it was removed. A store with an account is real data: kept."""
    if desk.has_accounts():
        return False
    store = desk.store
    paths: DataPaths = store.paths
    store.close()
    forget_store(paths, keys)
    suffixes = ("", "-wal", "-shm", "-journal")
    for path in (*(Path(f"{paths.database}{s}") for s in suffixes), paths.store_info):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    log.info("first start cancelled; the new store in %s was removed", paths.root)
    return True
