"""Role × action: the one table services consult before doing anything (ROS-1…4).

The UI may hide what a role cannot do, but the services refuse it regardless.
"""

from __future__ import annotations

from enum import StrEnum

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.enums import Role
from chapterdesk.domain.violations import PermissionDenied
from chapterdesk.i18n import _


class Action(StrEnum):
    VIEW_CHAPTER = "view_chapter"
    VIEW_MEETINGS = "view_meetings"
    MANAGE_MEETINGS = "manage_meetings"
    VIEW_ROSTER = "view_roster"
    VIEW_CONTACT_DETAILS = "view_contact_details"
    EDIT_ROSTER = "edit_roster"
    EXPORT_ROSTER = "export_roster"
    CHECK_IN = "check_in"
    REVIEW_DECKS = "review_decks"
    MANAGE_PARTNERS = "manage_partners"
    SYNC = "sync"
    VIEW_AUDIT = "view_audit"
    PURGE_DATA = "purge_data"
    MANAGE_ACCOUNTS = "manage_accounts"
    START_KIOSK = "start_kiosk"
    FIND_WALK_IN = "find_walk_in"


_LEADER = frozenset(Action)
# The check-in desk of their meetings: names, companies, registration status; no contact
# details, no exports or printed lists, no decks (ROS-1, ROS-4).
_VOLUNTEER = frozenset(
    {Action.VIEW_CHAPTER, Action.VIEW_MEETINGS, Action.CHECK_IN, Action.FIND_WALK_IN}
)
# ROS-2: a partner never sees a roster in any form.
_PARTNER = frozenset({Action.VIEW_CHAPTER})

PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.LEADER: _LEADER,
    Role.CO_LEADER: _LEADER,
    Role.VOLUNTEER: _VOLUNTEER,
    Role.PARTNER: _PARTNER,
}


_RULE_OF_ACTION: dict[Action, str] = {
    Action.VIEW_ROSTER: "ROS-2",
    Action.VIEW_CONTACT_DETAILS: "ROS-1",
    Action.EDIT_ROSTER: "ROS-1",
    Action.EXPORT_ROSTER: "ROS-4",
    Action.VIEW_AUDIT: "ROS-4",
    Action.PURGE_DATA: "ROS-1",
    Action.CHECK_IN: "ROS-2",
    Action.FIND_WALK_IN: "ROS-2",
}


def allows(
    actor: Actor, action: Action, chapter_id: str | None = None, meeting_id: str | None = None
) -> bool:
    """True when ``actor`` may do ``action`` (in ``chapter_id`` and at ``meeting_id``, when
    given: a volunteer works only the meetings they were assigned)."""
    if action not in PERMISSIONS[actor.role]:
        return False
    if meeting_id is not None and not actor.may_work_meeting(meeting_id):
        return False
    return chapter_id is None or actor.may_act_in(chapter_id)


def require(
    actor: Actor, action: Action, chapter_id: str | None = None, meeting_id: str | None = None
) -> None:
    """Raise :class:`PermissionDenied` unless :func:`allows`."""
    if (
        meeting_id is not None
        and action in PERMISSIONS[actor.role]
        and not actor.may_work_meeting(meeting_id)
    ):
        raise PermissionDenied(
            _(
                "{name} ({role}) is not assigned to this meeting's check-in desk (ROS-1). "
                "Ask a chapter leader to assign you."
            ).format(name=actor.display_name, role=actor.role.value)
        )
    if not allows(actor, action, chapter_id, meeting_id):
        raise PermissionDenied(
            _("{name} ({role}) may not {action} in this chapter ({rule}).").format(
                name=actor.display_name,
                role=actor.role.value,
                action=action.value.replace("_", " "),
                rule=_RULE_OF_ACTION.get(action, "ROS-1"),
            )
        )
