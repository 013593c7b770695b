"""Check-in at the door: state derived from append-only events, and ESC-3 / MTG-2 / MTG-3.

Every laptop derives the same state from the same set of events, in whatever order they
arrived, because events are ordered by their HLC stamp and an undo names the event it undoes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from chapterdesk.domain.enums import CheckInKind, OrgCategory, RegistrationStatus
from chapterdesk.domain.violations import RuleViolation
from chapterdesk.i18n import _


@dataclass(frozen=True)
class CheckInEventFacts:
    id: str
    registration_id: str
    kind: CheckInKind
    hlc: str
    device_id: str
    at: datetime
    undoes_event_id: str | None = None


@dataclass(frozen=True)
class Presence:
    """Derived: is the person in, and which event put them there (for "already in since …")."""

    checked_in: bool
    since: CheckInEventFacts | None = None


NOT_IN = Presence(False)


def presence(events: Iterable[CheckInEventFacts]) -> Presence:
    """Replay one registration's events in HLC order, skipping undone ones."""
    ordered = sorted(events, key=lambda e: e.hlc)
    undone = {e.undoes_event_id for e in ordered if e.kind is CheckInKind.UNDO}
    state = NOT_IN
    for event in ordered:
        if event.id in undone or event.kind is CheckInKind.UNDO:
            continue
        if event.kind is CheckInKind.IN:
            state = state if state.checked_in else Presence(True, event)
        elif event.kind is CheckInKind.OUT:
            state = NOT_IN
    return state


def presences(events: Iterable[CheckInEventFacts]) -> dict[str, Presence]:
    """:func:`presence` for every registration that has events."""
    by_registration: dict[str, list[CheckInEventFacts]] = {}
    for event in events:
        by_registration.setdefault(event.registration_id, []).append(event)
    return {rid: presence(evs) for rid, evs in by_registration.items()}


def last_undoable(events: Iterable[CheckInEventFacts]) -> CheckInEventFacts | None:
    """The check-in (or check-out) an "undo" would take back: the latest one not yet undone."""
    ordered = sorted(events, key=lambda e: e.hlc)
    undone = {e.undoes_event_id for e in ordered if e.kind is CheckInKind.UNDO}
    live = [e for e in ordered if e.kind is not CheckInKind.UNDO and e.id not in undone]
    return live[-1] if live else None


@dataclass(frozen=True)
class DoorFacts:
    """One registration as the door sees it."""

    registration_id: str
    name: str
    organisation: str
    category: OrgCategory
    status: RegistrationStatus
    escort_registration_id: str | None
    partner_exclusive_meeting: bool = False


def check_may_enter(
    who: DoorFacts, escort: DoorFacts | None, escort_presence: Presence | None
) -> None:
    """MTG-3 / MTG-4 / ESC-3 / ESC-4: whether the registration lets this person in now."""
    status = who.status
    if status is RegistrationStatus.CANCELLED:
        raise RuleViolation(
            "MTG-2",  # a cancelled registration is no registration
            _("{name}'s registration was cancelled.").format(name=who.name),
            _("Restore the registration on the Meetings page if they should attend."),
        )
    if status is RegistrationStatus.WAITLISTED:
        raise RuleViolation(
            "MTG-3",
            _("{name} is on the waiting list; the meeting is full.").format(name=who.name),
            _("Let them in only when a place frees up (someone cancels or does not come)."),
        )
    if status is RegistrationStatus.PENDING_APPROVAL:
        raise RuleViolation(
            "MTG-4",
            _("{name} ({org}) works in sales and is waiting for a leader's approval.").format(
                name=who.name, org=who.organisation
            ),
            _("A leader approves the registration first, then check them in."),
        )
    if who.category is not OrgCategory.PARTNER or who.partner_exclusive_meeting:
        return  # ESC-1: only partners need an escort, and not at a partner-exclusive meeting
    if status is RegistrationStatus.ESCORT_NEEDED or escort is None:
        raise RuleViolation(
            "ESC-4",
            _(
                "{name} ({org}) has no escort: the customer who invited them cancelled or none "
                "was named."
            ).format(name=who.name, org=who.organisation),
            _(
                "A registered customer who invited {name} must be named as escort before they "
                "can come in."
            ).format(name=who.name),
        )
    if escort.status is not RegistrationStatus.REGISTERED:
        raise RuleViolation(
            "ESC-4",
            _("{name}'s escort {escort} is no longer registered ({status}).").format(
                name=who.name, escort=escort.name, status=escort.status.value
            ),
            _("Name another registered customer as escort before checking {name} in.").format(
                name=who.name
            ),
        )
    if escort_presence is None or not escort_presence.checked_in:
        raise RuleViolation(
            "ESC-3",
            _(
                "{name} ({org}) can come in only with their escort, {escort}, who is not checked "
                "in yet."
            ).format(name=who.name, org=who.organisation, escort=escort.name),
            _("Check {escort} in first, then {name}.").format(escort=escort.name, name=who.name),
        )
