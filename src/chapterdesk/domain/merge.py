"""Merging two roster entries that are one person (issue 8): which fields the merged person
keeps by default, and what happens to each registration — so that no registration, check-in
or history is lost.

A registration of the person merged away moves to the survivor, unless the survivor is
registered for the same meeting too (one registration per person and meeting). Then the
survivor's registration is kept, the other is cancelled and flagged as a merged duplicate —
its check-in events stay on it, untouched (append-only) — and if only the duplicate was
checked in, the survivor's registration gets a check-in carried over with the same time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from chapterdesk.domain.enums import Membership, RegistrationStatus

# The fields a leader chooses between, in the order the merge dialog shows them.
MERGE_FIELDS: tuple[str, ...] = (
    "first_name",
    "last_name",
    "organisation_id",
    "job_title",
    "job_role",
    "membership",
    "member_since",
    "renewal_date",
    "email",
    "phone",
    "consent_email",
    "notes",
)

MEMBERSHIP_RANK = {Membership.MEMBER: 2, Membership.PROSPECT: 1, Membership.NONE: 0}
# How far along a registration is: the kept one of two for the same meeting is the better.
_STATUS_RANK = {
    RegistrationStatus.REGISTERED: 4,
    RegistrationStatus.PENDING_APPROVAL: 3,
    RegistrationStatus.ESCORT_NEEDED: 2,
    RegistrationStatus.WAITLISTED: 1,
    RegistrationStatus.CANCELLED: 0,
}


def default_choice(name: str, survivor: object, merged: object) -> str:
    """Which side's value the dialog proposes for ``name``: ``"survivor"`` or ``"merged"``.

    The survivor's, unless it is empty and the other is not; the stronger membership; the
    earlier start and later renewal of a membership. Consent is never taken from the other
    record: if the two disagree the leader must choose (the default is the survivor's)."""
    if name == "membership":
        assert isinstance(survivor, Membership) and isinstance(merged, Membership)
        return "merged" if MEMBERSHIP_RANK[merged] > MEMBERSHIP_RANK[survivor] else "survivor"
    if name == "member_since" and isinstance(survivor, date) and isinstance(merged, date):
        return "merged" if merged < survivor else "survivor"
    if name == "renewal_date" and isinstance(survivor, date) and isinstance(merged, date):
        return "merged" if merged > survivor else "survivor"
    if name == "consent_email":
        return "survivor"
    empty = survivor in ("", None)
    return "merged" if empty and merged not in ("", None) else "survivor"


@dataclass(frozen=True, slots=True)
class MergeRegistration:
    """What the plan needs of one registration."""

    id: str
    meeting_id: str
    status: RegistrationStatus
    checked_in_at: datetime | None = None  # when the person is (derived) checked in
    event_count: int = 0


@dataclass(frozen=True, slots=True)
class Duplicate:
    """Two registrations for one meeting: ``kept`` (the survivor's) stays, ``dropped`` is
    cancelled and flagged; ``carry_check_in`` when only ``dropped`` was checked in."""

    kept: str
    dropped: str
    dropped_status: RegistrationStatus
    kept_status: RegistrationStatus
    new_kept_status: RegistrationStatus
    carry_check_in: datetime | None


@dataclass(frozen=True, slots=True)
class RegistrationPlan:
    moved: list[str] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)


def plan_registrations(
    survivor: Sequence[MergeRegistration], merged: Iterable[MergeRegistration]
) -> RegistrationPlan:
    """Move or combine every registration of ``merged`` into ``survivor``'s."""
    plan = RegistrationPlan()
    by_meeting = {r.meeting_id: r for r in survivor}
    for reg in merged:
        kept = by_meeting.get(reg.meeting_id)
        if kept is None:
            plan.moved.append(reg.id)
            continue
        better = reg.status if _STATUS_RANK[reg.status] > _STATUS_RANK[kept.status] else None
        carry = reg.checked_in_at if reg.checked_in_at and not kept.checked_in_at else None
        plan.duplicates.append(
            Duplicate(
                kept=kept.id,
                dropped=reg.id,
                dropped_status=reg.status,
                kept_status=kept.status,
                new_kept_status=better or kept.status,
                carry_check_in=carry,
            )
        )
    return plan
