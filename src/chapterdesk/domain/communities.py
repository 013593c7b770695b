"""The user groups a chapter belongs to, and the one id each has everywhere.

A laptop set up offline creates its community row itself. Its id is derived from the group's
code, so the same group made on a server or on another laptop is the same row when they sync,
not a second "AXUG" that the server would refuse (communities.code is unique).
"""

from __future__ import annotations

import uuid

COMMUNITIES: tuple[tuple[str, str], ...] = (
    ("AXUG", "AXUG — Dynamics 365 Finance & Supply Chain user group"),
    ("CRMUG", "CRMUG — Dynamics 365 Customer Engagement & Power Platform user group"),
    ("GPUG", "GPUG — Dynamics GP user group"),
    ("NAVUG", "NAVUG — Dynamics 365 Business Central & NAV user group"),
)

_NAMESPACE = uuid.UUID("6f1c5d2e-3b7a-4c1e-9a53-0c8d6a2f4b19")


def community_id(code: str) -> str:
    """The id of the community with ``code`` (case-blind), the same on every computer."""
    return str(uuid.uuid5(_NAMESPACE, code.strip().upper()))


def community_name(code: str) -> str:
    """The known full name of a group, or its code for one ChapterDesk does not know."""
    wanted = code.strip().upper()
    return next((name for c, name in COMMUNITIES if c == wanted), wanted)
