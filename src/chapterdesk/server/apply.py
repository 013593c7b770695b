"""Apply one pushed mutation on the server's own data: scope, role × entity, field-wise
last-writer-wins by HLC, and the chapter rules re-checked (ESC-*, MTG-*) — never trusting the
laptop's claim (docs/sync.md, "Push")."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from chapterdesk.domain.enums import OrgCategory, RegistrationStatus, Role
from chapterdesk.domain.registration import (
    check_company_quota,
    check_escort,
    check_not_registered,
)
from chapterdesk.domain.violations import NotFound, RuleViolation
from chapterdesk.hlc import HybridLogicalClock, Timestamp
from chapterdesk.server.auth import Caller
from chapterdesk.server.changelog import stamps_of
from chapterdesk.services.facts import (
    chapter_policy,
    meeting_facts,
    person_facts,
    registration_facts,
)
from chapterdesk.store.models import Base, Meeting, Registration, VolunteerAssignment
from chapterdesk.sync.entities import APPEND_ONLY, BY_NAME, FIELDS, WRITES
from chapterdesk.sync.wire import from_wire, to_wire

MAX_AHEAD_MS = 5 * 60 * 1000  # a stamp further ahead of the server than this is clamped


class Rejected(Exception):
    def __init__(self, rule_id: str, message: str, fix: str) -> None:
        super().__init__(message)
        self.rule_id, self.message, self.fix = rule_id, message, fix


@dataclass
class Outcome:
    status: str  # applied | merged
    conflicts: list[dict[str, Any]] = field(default_factory=list)

    def as_result(self, mutation_id: str) -> dict[str, Any]:
        return {"mutation_id": mutation_id, "status": self.status, "conflicts": self.conflicts}


# session.info flag: the caller flushes once for a whole push batch (server.app._push_all).
DEFER_FLUSH = "defer_flush"


def fingerprint(mutation: dict[str, Any]) -> str:
    body = {k: mutation.get(k) for k in ("entity", "id", "chapter_id", "patch")}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def clamp(stamp: str, clock: HybridLogicalClock) -> str:
    """A stamp from a laptop whose clock runs ahead cannot win every conflict forever."""
    try:
        ts = Timestamp.decode(stamp)
    except ValueError as exc:
        raise Rejected("SYNC", f"Malformed clock stamp {stamp!r}.", "Update ChapterDesk.") from exc
    now = clock.now()
    if ts.wall_ms > now.wall_ms + MAX_AHEAD_MS:
        return Timestamp(now.wall_ms + MAX_AHEAD_MS, ts.counter, ts.device).encode()
    clock.observe(ts)
    return stamp


def apply_mutation(session: Session, caller: Caller, mutation: dict[str, Any]) -> Outcome:
    entity = str(mutation.get("entity", ""))
    entity_id = str(mutation.get("id", ""))
    patch = mutation.get("patch")
    model = BY_NAME.get(entity)
    if model is None or not entity_id or not isinstance(patch, dict) or not patch:
        raise Rejected("SYNC", f"Unknown or empty change ({entity!r}).", "Update ChapterDesk.")
    unknown = set(patch) - set(FIELDS[entity])
    if unknown:
        raise Rejected(
            "SYNC", f"Unknown fields {sorted(unknown)} for {entity}.", "Update ChapterDesk."
        )
    clock: HybridLogicalClock = session.info["clock"]
    values: dict[str, Any] = {}
    stamps: dict[str, str] = {}
    bases: dict[str, str] = {}
    for name, pair in patch.items():
        if (
            not isinstance(pair, list)
            or len(pair) not in (2, 3)
            or not all(isinstance(p, str) for p in pair[1:])
        ):
            raise Rejected("SYNC", f"Malformed field {name}.", "Update ChapterDesk.")
        bases[name] = pair[2] if len(pair) == 3 else ""
        try:
            values[name] = from_wire(model, name, pair[0])
        except ValueError as exc:
            raise Rejected(
                "SYNC", f"Bad value: {exc}.", "Correct the value and save again."
            ) from exc
        stamps[name] = clamp(pair[1], clock)

    row = session.get(model, entity_id)
    chapter_id = _chapter(entity, entity_id, row, values)
    role = caller.role_in(chapter_id) if chapter_id else _global_role(caller)
    if role is None:
        raise Rejected(
            "ROS-1",
            "This account does not work in that chapter.",
            "Ask a leader of the chapter to add you.",
        )
    if entity not in WRITES[role]:
        rule = "ROS-2" if role is Role.PARTNER else "ROS-1"
        raise Rejected(
            rule,
            f"A {role.value.replace('_', '-')} may not change {entity.replace('_', ' ')}.",
            "Ask a chapter leader to make this change.",
        )
    if row is None:
        return _insert(session, caller, role, model, entity, entity_id, values, stamps)
    if role is Role.VOLUNTEER:
        raise Rejected(
            "ROS-1",
            "A check-in volunteer adds check-ins and walk-ins but changes nothing else.",
            "Ask a chapter leader to make this change.",
        )
    return _update(session, entity, row, values, stamps, bases)


def _global_role(caller: Caller) -> Role | None:
    """Communities and accounts belong to no chapter: a leader of every chapter may add
    them (a new laptop's first leader sets up the group it works for)."""
    return Role.LEADER if caller.everywhere is Role.LEADER else None


def _chapter(entity: str, entity_id: str, row: Base | None, values: dict[str, Any]) -> str:
    if entity == "chapters":
        return entity_id
    existing = getattr(row, "chapter_id", None) if row is not None else None
    wanted = values.get("chapter_id")
    if existing and wanted and wanted != existing:
        raise Rejected(
            "SYNC", "A row cannot move to another chapter.", "Create it again in the other chapter."
        )
    return str(existing or wanted or "")


def _insert(
    session: Session,
    caller: Caller,
    role: Role,
    model: type[Base],
    entity: str,
    entity_id: str,
    values: dict[str, Any],
    stamps: dict[str, str],
) -> Outcome:
    if values.get("deleted") and len(values) <= 3:
        return Outcome("applied")  # a tombstone for a row the server never had
    row = model(id=entity_id, **values)
    if entity == "registrations":
        _check_registration(session, caller, role, row)  # type: ignore[arg-type]
    if entity == "check_in_events" and role is Role.VOLUNTEER:
        _check_volunteer_meeting(session, caller, str(getattr(row, "registration_id", "")))
    session.info["stamps"][(entity, entity_id)] = stamps
    session.add(row)
    if session.info.get(DEFER_FLUSH):
        return Outcome("applied")
    try:
        session.flush()
    except Exception as exc:  # a missing field, or a parent row the server does not have
        raise Rejected(
            "SYNC",
            f"The server could not store this {entity} row: {type(exc).__name__}.",
            "Sync again after the rows it depends on; if it persists, tell the server's "
            "administrator.",
        ) from exc
    return Outcome("applied")


def _update(
    session: Session,
    entity: str,
    row: Base,
    values: dict[str, Any],
    stamps: dict[str, str],
    bases: dict[str, str],
) -> Outcome:
    """Last writer wins per field. A field changed on the server since the row the laptop
    edited (its ``base``) is a conflict: resolved the same way everywhere, and reported with
    both values so the leader sees what was replaced (decisions are never lost silently)."""
    if entity in APPEND_ONLY and set(values) - {"deleted", "device_id", "actor_id", "hlc", "at"}:
        raise Rejected(
            "SYNC",
            "Check-in events are never edited; undo adds a new event.",
            "Undo and check in again.",
        )
    current = stamps_of(session, entity, row.id, row.updated_at)  # type: ignore[attr-defined]
    winners: dict[str, str] = {}
    conflicts: list[dict[str, Any]] = []
    for name, value in values.items():
        theirs = current.get(name, "")
        old = getattr(row, name)
        unseen = bool(theirs) and theirs > bases.get(name, "") and old != value
        if stamps[name] > theirs:
            if unseen:
                conflicts.append(
                    {
                        "field": name,
                        "kept": to_wire(value),
                        "lost": to_wire(old),
                        "winner": "this laptop",
                    }
                )
            winners[name] = stamps[name]
            if old != value:
                setattr(row, name, value)
        elif old != value:
            conflicts.append(
                {
                    "field": name,
                    "kept": to_wire(old),
                    "lost": to_wire(value),
                    "winner": "another laptop",
                    "stamp": theirs,
                }
            )
    if entity == "registrations" and "status" in winners:
        _check_restore(session, row)  # type: ignore[arg-type]
    session.info["stamps"][(entity, row.id)] = winners  # type: ignore[attr-defined]
    if not session.info.get(DEFER_FLUSH):
        session.flush()
    lost_all = not winners
    return Outcome("merged" if conflicts or lost_all else "applied", conflicts)


def _device(stamp: str) -> str:
    return stamp.split("-", 2)[-1]


def _as_rejection(exc: RuleViolation) -> Rejected:
    return Rejected(exc.rule_id, exc.message, exc.fix)


def _check_registration(session: Session, caller: Caller, role: Role, reg: Registration) -> None:
    """The rules a laptop already checked, checked again on the server's data: the meeting
    exists and is in the chapter, the person is not registered twice, a partner has a
    registered customer escort (ESC-1/2/5) and the company quota holds (MTG-5)."""
    meeting = session.get(Meeting, reg.meeting_id)
    if meeting is None or meeting.deleted or meeting.chapter_id != reg.chapter_id:
        raise Rejected(
            "MTG-1",
            "The meeting of this registration is not on the server.",
            "Sync again; if the meeting was deleted, register for another.",
        )
    if role is Role.VOLUNTEER:
        _check_volunteer_assignment(session, caller, meeting.id)
    if reg.status in (RegistrationStatus.CANCELLED,):
        return
    try:
        person = person_facts(session, reg.person_id, reg.chapter_id)
        others = registration_facts(session, meeting.id)
        check_not_registered(person, others)
        if person.category is OrgCategory.PARTNER:
            policy = chapter_policy(session, reg.chapter_id)
            check_company_quota(person, others, policy)
            if not meeting_facts(meeting).partner_exclusive:
                escort = next((r for r in others if r.id == reg.escort_registration_id), None)
                check_escort(person, escort, others, policy)
    except RuleViolation as exc:
        raise _as_rejection(exc) from exc
    except NotFound as exc:
        raise Rejected("ORG-1", str(exc), "Sync the person first, then the registration.") from exc


def _check_restore(session: Session, reg: Registration) -> None:
    """A partner put back on the list needs an escort still registered (ESC-1, ESC-4)."""
    if reg.status is not RegistrationStatus.REGISTERED or reg.category is not OrgCategory.PARTNER:
        return
    meeting = session.get(Meeting, reg.meeting_id)
    if meeting is None or meeting_facts(meeting).partner_exclusive:
        return
    others = [r for r in registration_facts(session, reg.meeting_id) if r.id != reg.id]
    try:
        person = person_facts(session, reg.person_id, reg.chapter_id)
        escort = next((r for r in others if r.id == reg.escort_registration_id), None)
        check_escort(person, escort, others, chapter_policy(session, reg.chapter_id))
    except RuleViolation as exc:
        raise _as_rejection(exc) from exc


def _check_volunteer_meeting(session: Session, caller: Caller, registration_id: str) -> None:
    reg = session.get(Registration, registration_id)
    if reg is None:
        raise Rejected(
            "SYNC", "The registration of this check-in is not on the server.", "Sync again."
        )
    _check_volunteer_assignment(session, caller, reg.meeting_id)


def _check_volunteer_assignment(session: Session, caller: Caller, meeting_id: str) -> None:
    from sqlalchemy import select

    assigned = session.scalar(
        select(VolunteerAssignment.id).where(
            VolunteerAssignment.meeting_id == meeting_id,
            VolunteerAssignment.account_id == caller.account_id,
            VolunteerAssignment.deleted.is_(False),
        )
    )
    if assigned is None:
        raise Rejected(
            "ROS-1",
            "This volunteer is not assigned to that meeting's desk.",
            "Ask a chapter leader to assign you to the meeting.",
        )


def now_utc() -> datetime:
    from chapterdesk.store.types import utc_now

    return utc_now()
