"""The people who may sit at a leader's laptop, as :class:`Actor` values (ROS-1…5).

Shared by the permission matrix and anything else that tries "every role". A role here is a
*position relative to one chapter and one meeting*: the same Role enum value appears several
times (a leader of this chapter, a leader of another chapter only, a volunteer assigned to the
meeting, one who is not …).
"""

from __future__ import annotations

from dataclasses import dataclass

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.enums import Role

# Role names, as they appear in test ids ("people.list_people[volunteer]").
LEADER_ALL = "leader_all"  # the local leader of every chapter on the laptop (tests/world.py)
LEADER = "leader"  # leader of this chapter only
CO_LEADER = "co_leader"
OTHER_LEADER = "other_leader"  # leader of another chapter only
VOLUNTEER = "volunteer"  # assigned to the meeting's check-in desk
UNASSIGNED = "unassigned_volunteer"  # a volunteer of the chapter, not assigned to any meeting
PARTNER = "partner"
KIOSK = "kiosk"  # a leader handed the laptop over for the check-in of one meeting

ROLES: tuple[str, ...] = (
    LEADER_ALL,
    LEADER,
    CO_LEADER,
    OTHER_LEADER,
    VOLUNTEER,
    UNASSIGNED,
    PARTNER,
    KIOSK,
)

LEADERS = frozenset({LEADER_ALL, LEADER, CO_LEADER})
# The check-in desk of the meeting: leaders, its volunteer, its kiosk.
DESK = LEADERS | {VOLUNTEER, KIOSK}
# Everyone who belongs to the chapter in some role but is no partner.
CHAPTER_STAFF = DESK | {UNASSIGNED}
EVERYONE = frozenset(ROLES)

# Account ids (they fit the 36-character id columns, so tests can create the accounts).
ACCOUNT_IDS = {
    LEADER_ALL: "local-leader",
    LEADER: "acct-leader",
    CO_LEADER: "acct-co-leader",
    OTHER_LEADER: "acct-other-leader",
    VOLUNTEER: "vol-1",
    UNASSIGNED: "acct-unassigned",
    PARTNER: "acct-partner",
    KIOSK: "local-leader",  # a kiosk runs on the account of the leader who started it
}


@dataclass(frozen=True)
class Scope:
    """The chapter and meeting the roles are defined against."""

    chapter: str
    meeting: str
    other_chapter: str
    volunteer_meetings: frozenset[str]  # what the assigned volunteer works (tests/world.py)


def actors(scope: Scope) -> dict[str, Actor]:
    """One Actor per role name of :data:`ROLES`."""
    here = frozenset({scope.chapter})
    return {
        LEADER_ALL: Actor(ACCOUNT_IDS[LEADER_ALL], "Lou Local", Role.LEADER, all_chapters=True),
        LEADER: Actor(ACCOUNT_IDS[LEADER], "Lea Leader", Role.LEADER, here),
        CO_LEADER: Actor(ACCOUNT_IDS[CO_LEADER], "Cole Coleader", Role.CO_LEADER, here),
        OTHER_LEADER: Actor(
            ACCOUNT_IDS[OTHER_LEADER],
            "Olly Otherchapter",
            Role.LEADER,
            frozenset({scope.other_chapter}),
        ),
        VOLUNTEER: Actor(
            ACCOUNT_IDS[VOLUNTEER],
            "Val Volunteer",
            Role.VOLUNTEER,
            here,
            meeting_ids=scope.volunteer_meetings,
        ),
        UNASSIGNED: Actor(ACCOUNT_IDS[UNASSIGNED], "Una Unassigned", Role.VOLUNTEER, here),
        PARTNER: Actor(ACCOUNT_IDS[PARTNER], "Pam Partner", Role.PARTNER, here),
        KIOSK: Actor(
            ACCOUNT_IDS[KIOSK],
            "Check-in desk (kiosk of Lou Local)",
            Role.VOLUNTEER,
            here,
            meeting_ids=frozenset({scope.meeting}),
            kiosk=True,
        ),
    }
