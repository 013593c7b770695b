"""Who is acting: every service call carries an Actor and checks it (ROS-*)."""

from __future__ import annotations

from dataclasses import dataclass, field

from chapterdesk.domain.enums import Role


@dataclass(frozen=True)
class Actor:
    """A signed-in person with a role in some chapters.

    A volunteer works the check-in desk of the meetings in ``meeting_ids`` only; in kiosk mode
    that is the one meeting the leader handed the laptop over for (``kiosk`` is True)."""

    account_id: str
    display_name: str
    role: Role
    chapter_ids: frozenset[str] = field(default_factory=frozenset)
    all_chapters: bool = False
    meeting_ids: frozenset[str] = field(default_factory=frozenset)
    kiosk: bool = False

    def may_act_in(self, chapter_id: str) -> bool:
        """Leaders of chapter A see nothing of chapter B unless they lead it too."""
        return self.all_chapters or chapter_id in self.chapter_ids

    def may_work_meeting(self, meeting_id: str) -> bool:
        """Volunteers are bound to the meetings they were assigned; leaders are not."""
        return self.role is not Role.VOLUNTEER or meeting_id in self.meeting_ids

    @property
    def is_leader(self) -> bool:
        return self.role in (Role.LEADER, Role.CO_LEADER)
