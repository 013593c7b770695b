"""Who is acting: every service call carries an Actor and checks it (ROS-*)."""

from __future__ import annotations

from dataclasses import dataclass, field

from chapterdesk.domain.enums import Role


@dataclass(frozen=True)
class Actor:
    """A signed-in person with a role in some chapters."""

    account_id: str
    display_name: str
    role: Role
    chapter_ids: frozenset[str] = field(default_factory=frozenset)
    all_chapters: bool = False

    def may_act_in(self, chapter_id: str) -> bool:
        """Leaders of chapter A see nothing of chapter B unless they lead it too."""
        return self.all_chapters or chapter_id in self.chapter_ids
