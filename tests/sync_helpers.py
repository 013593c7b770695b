"""Laptops that sync through a real chapter server: helpers for the sync scenario tests."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from chapterdesk.paths import prepare_data_dir
from chapterdesk.services.desk import Desk, local_leader
from chapterdesk.store.database import Store, open_store
from chapterdesk.store.models import OutboxEntry
from chapterdesk.sync.status import SyncReport
from tests.server_process import ServerProcess
from tests.world import World, build_world

LEADER = "lead@chapter.example"
PASSWORD = "correct-horse-battery"


def admin(database_url: str, *args: str, password: str | None = None) -> str:
    """Run ``chapterdesk-server admin …`` against the server's database; returns stdout."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "chapterdesk.server",
            "admin",
            "--database-url",
            database_url,
            *args,
        ],
        input=(password + "\n") if password else None,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def add_leader(database_url: str, login: str = LEADER, chapter: str = "all") -> str:
    return admin(
        database_url,
        "add-account",
        login,
        "Lee Leader",
        "--role",
        "leader",
        "--chapter",
        chapter,
        "--password-stdin",
        password=PASSWORD,
    )


@dataclass
class Laptop:
    store: Store
    desk: Desk

    def connect(self, server: ServerProcess, login: str = LEADER, password: str = PASSWORD) -> None:
        self.desk.connect_server(server.url, login, password, f"laptop-{self.store.device_id[:6]}")

    def sync(self) -> SyncReport:
        return self.desk.sync_now()

    def pending(self) -> int:
        with self.store.session() as s:
            return len(s.scalars(select(OutboxEntry.id).where(OutboxEntry.sent_at.is_(None))).all())

    def close(self) -> None:
        self.store.close()


def world_laptop(folder: Path) -> tuple[Laptop, World]:
    world = build_world(folder)
    return Laptop(world.store, Desk(world.store, local_leader())), world


def empty_laptop(folder: Path) -> Laptop:
    store = open_store(prepare_data_dir(folder))
    return Laptop(store, Desk(store, local_leader()))
