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


_LEADER = frozenset(Action)
_VOLUNTEER = frozenset({Action.VIEW_CHAPTER, Action.VIEW_MEETINGS, Action.CHECK_IN})
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
}


def allows(actor: Actor, action: Action, chapter_id: str | None = None) -> bool:
    """True when ``actor`` may do ``action`` (in ``chapter_id``, when one is given)."""
    if action not in PERMISSIONS[actor.role]:
        return False
    return chapter_id is None or actor.may_act_in(chapter_id)


def require(actor: Actor, action: Action, chapter_id: str | None = None) -> None:
    """Raise :class:`PermissionDenied` unless :func:`allows`."""
    if not allows(actor, action, chapter_id):
        raise PermissionDenied(
            _("{name} ({role}) may not {action} in this chapter ({rule}).").format(
                name=actor.display_name,
                role=actor.role.value,
                action=action.value.replace("_", " "),
                rule=_RULE_OF_ACTION.get(action, "ROS-1"),
            )
        )
