"""The application facade the UI talks to: one session per call, one actor for all calls.

Widgets call these methods (usually from a worker thread) and get plain dataclasses back; they
never see a ``Session`` or an ORM object.
"""

from __future__ import annotations

import getpass

from sqlalchemy import func, select

from chapterdesk import __version__
from chapterdesk.domain.actors import Actor
from chapterdesk.domain.enums import Role
from chapterdesk.services import chapters, meetings, people
from chapterdesk.services.views import ChapterSummary, MeetingRow, PersonRow, StoreFacts
from chapterdesk.store.database import Store
from chapterdesk.store.migrations import HEAD
from chapterdesk.store.models import OutboxEntry


def local_leader() -> Actor:
    """Until sign-in exists, the person at this laptop leads every chapter stored on it."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "leader"
    return Actor(account_id="local-leader", display_name=name, role=Role.LEADER, all_chapters=True)


class Desk:
    """Everything the window needs, backed by one open store."""

    def __init__(self, store: Store, actor: Actor) -> None:
        self.store = store
        self.actor = actor

    def chapters(self) -> list[ChapterSummary]:
        with self.store.session() as s:
            return chapters.list_chapters(s, self.actor)

    def meetings(self, chapter_id: str) -> list[MeetingRow]:
        with self.store.session() as s:
            return meetings.list_meetings(s, self.actor, chapter_id)

    def people(self, chapter_id: str) -> list[PersonRow]:
        with self.store.session() as s:
            return people.list_people(s, self.actor, chapter_id)

    def pending_changes(self) -> int:
        """Local changes not yet confirmed by the server (shown in the status bar)."""
        with self.store.session() as s:
            return (
                s.scalar(
                    select(func.count())
                    .select_from(OutboxEntry)
                    .where(OutboxEntry.sent_at.is_(None))
                )
                or 0
            )

    def facts(self) -> StoreFacts:
        store = self.store
        kept_in = {
            "keyring": f"system keyring ({store.keyring_backend})",
            "passphrase": "derived from your passphrase (scrypt)",
            "none": "not encrypted",
        }[store.info.key_mode]
        return StoreFacts(
            version=__version__,
            data_folder=str(store.paths.root),
            database_file=str(store.paths.database),
            encrypted=store.encrypted,
            key_kept_in=kept_in,
            device_id=store.device_id,
            schema_revision=HEAD,
        )
