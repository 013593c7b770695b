"""How long the first-run assistant's writing steps keep a leader waiting (issue 9).

    uv run python benchmarks/first_start.py [--runs 7]

Each run starts from an empty folder and times, in this process:
- **key page (keyring)**: `create_local_store(folder, "keyring")` — a random key put in the
  keyring, the encrypted database created and migrated to HEAD with Alembic;
- **key page (passphrase)**: the same with the key derived from a passphrase (scrypt);
- **chapter page**: `Desk.set_up_laptop` (password verifier) + `Desk.create_chapter`.

Baseline for the first two: the same schema made in one go with `metadata.create_all` on a new
SQLCipher file keyed with a raw key (what a store would cost without migrations, its checks and
its key handling). The keyring is an in-memory one, so the OS keyring's own latency is not in it.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend


class _MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


def _timed(runs: int, step: Callable[[Path], float | None]) -> list[float]:
    times: list[float] = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            inner = step(Path(tmp) / "data")
            times.append(inner if inner is not None else time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each step (default 7)")
    args = parser.parse_args()
    keyring.set_keyring(_MemoryKeyring())

    from chapterdesk.services.first_start import create_local_store
    from chapterdesk.store.database import make_engine
    from chapterdesk.store.keys import random_key
    from chapterdesk.store.models import Base

    def baseline(folder: Path) -> None:
        folder.mkdir(parents=True)
        engine = make_engine(folder / "raw.db", random_key())
        Base.metadata.create_all(engine)
        engine.dispose()

    def store(mode: str) -> Callable[[Path], None]:
        def make(folder: Path) -> None:
            desk = create_local_store(
                folder,
                mode,
                "correct horse battery" if mode == "passphrase" else None,  # type: ignore[arg-type]
            )
            desk.store.close()

        return make

    def chapter(folder: Path) -> float:
        desk = create_local_store(folder, "keyring", None)
        try:
            started = time.perf_counter()
            desk.set_up_laptop("Lee Leader", "lee@chapter.example", "a long enough password")
            desk.create_chapter("AXUG", "Ottawa", "Ontario, Canada")
            return time.perf_counter() - started
        finally:
            desk.store.close()

    baseline(Path(tempfile.mkdtemp()) / "warm")  # imports and first connection, not counted
    base = statistics.median(_timed(args.runs, baseline))
    print(f"baseline: create_all on a new SQLCipher file  median {base * 1000:7.0f} ms")
    for name, step in (
        ("key page, keyring", store("keyring")),
        ("key page, passphrase", store("passphrase")),
    ):
        times = _timed(args.runs, step)
        median = statistics.median(times)
        print(
            f"{name:<22} median {median * 1000:7.0f} ms  max {max(times) * 1000:7.0f} ms  "
            f"×{median / base:.1f} the baseline"
        )
    times = _timed(args.runs, chapter)
    print(
        f"{'chapter page':<22} median {statistics.median(times) * 1000:7.0f} ms  "
        f"max {max(times) * 1000:7.0f} ms  (the password verifier is deliberately slow, ROS-5)"
    )


if __name__ == "__main__":
    main()
