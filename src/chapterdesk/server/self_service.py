"""Endpoints for members and partners themselves: register for a meeting (a partner names
the customer who invited them by that customer's registration code, ESC-1), cancel, and for a
partner submit a deck version to their slot and read the decision. Each acts only on the
caller's own roster entry, through the same services the laptop uses, so the same rules hold."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Annotated, Any

from fastapi import Depends, FastAPI
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.enums import OrgCategory, Role
from chapterdesk.domain.violations import NotFound, RuleViolation
from chapterdesk.services import decks, registrations
from chapterdesk.store.models import (
    DeckVersion,
    Meeting,
    Organisation,
    PartnerApplication,
    PartnerApplicationEvent,
    PartnerBenefit,
    PartnerContribution,
    Person,
    PresentationSlot,
    Registration,
)


class RegisterBody(BaseModel):
    escort_code: str | None = Field(default=None, max_length=32)  # the inviting customer's code


class DeckBody(BaseModel):
    filename: str = Field(max_length=300)
    content_b64: str


def routes(
    app: FastAPI,
    session: Any,
    writing: Callable[[], AbstractContextManager[Session]],
    caller: Any,
    versioned: Any,
) -> None:
    """``session`` is the request's read session (a dependency); an endpoint that writes opens
    ``writing()`` in its own body, so it holds a connection only while it runs (never while
    it waits for a worker thread)."""
    from chapterdesk.server.app import Problem, decode_b64

    who_t = Annotated[Any, Depends(caller)]
    session_t = Annotated[Session, Depends(session, scope="function")]

    def refuse(exc: RuleViolation | NotFound) -> Problem:
        if isinstance(exc, RuleViolation):
            return Problem(422, "rule", exc.message, rule_id=exc.rule_id, fix=exc.fix)
        return Problem(404, "not_found", str(exc))

    def acting_for(who: Any, chapter_id: str) -> Actor:
        # The service checks the rules; the caller may only ever act on their own entry.
        return Actor(
            who.account_id, who.display_name, Role.LEADER, chapter_ids=frozenset({chapter_id})
        )

    def own_person(who: Any, s: Session, chapter_id: str) -> Person:
        for person_id, chapter in who.people.items():
            if chapter == chapter_id:
                person = s.get(Person, person_id)
                if person is not None and not person.deleted:
                    return person
        raise Problem(403, "not_a_member", "Your account has no roster entry in this chapter.")

    @app.get("/v1/me/registrations", dependencies=[versioned])
    def my_registrations(who: who_t, s: session_t) -> list[dict[str, Any]]:
        rows = s.execute(
            select(Registration, Meeting.title, Meeting.starts_at)
            .join(Meeting, Meeting.id == Registration.meeting_id)
            .where(Registration.person_id.in_(list(who.people)), Registration.deleted.is_(False))
        ).all()
        return [
            {
                "id": r.id,
                "meeting_id": r.meeting_id,
                "meeting": title,
                "starts_at": starts.isoformat(),
                "status": r.status.value,
                "code": r.code,
            }
            for r, title, starts in rows
        ]

    @app.post("/v1/meetings/{meeting_id}/registrations", dependencies=[versioned])
    def register(meeting_id: str, body: RegisterBody, who: who_t) -> dict[str, Any]:
        with writing() as s:
            return registering(s, meeting_id, body, who)

    def registering(s: Session, meeting_id: str, body: RegisterBody, who: Any) -> dict[str, Any]:
        meeting = s.get(Meeting, meeting_id)
        if meeting is None or meeting.deleted:
            raise Problem(404, "not_found", "No such meeting.")
        person = own_person(who, s, meeting.chapter_id)
        escort_id = None
        if body.escort_code:
            escort_id = s.scalar(
                select(Registration.id).where(
                    Registration.meeting_id == meeting_id,
                    Registration.code == body.escort_code.strip().upper(),
                    Registration.deleted.is_(False),
                )
            )
        try:
            with s.begin_nested():
                done = registrations.register(
                    s,
                    acting_for(who, meeting.chapter_id),
                    meeting_id,
                    person.id,
                    escort_registration_id=escort_id,
                )
        except (RuleViolation, NotFound) as exc:
            # ESC-6: the refusal names the rule and the fix, never another person's details.
            if isinstance(exc, RuleViolation) and exc.rule_id.startswith("ESC"):
                raise Problem(
                    422,
                    "rule",
                    "Partners register with the registration code of the customer who "
                    "invited them, who must be registered for this meeting.",
                    rule_id=exc.rule_id,
                    fix="Ask the customer who invited you for their registration code.",
                ) from None
            raise refuse(exc) from None
        s.commit()
        return {
            "id": done.registration_id,
            "status": done.status.value,
            "code": done.code,
            "waitlist_position": done.waitlist_position,
        }

    @app.delete("/v1/registrations/{registration_id}", dependencies=[versioned])
    def cancel(registration_id: str, who: who_t) -> dict[str, Any]:
        with writing() as s:
            return cancelling(s, registration_id, who)

    def cancelling(s: Session, registration_id: str, who: Any) -> dict[str, Any]:
        reg = s.get(Registration, registration_id)
        if reg is None or reg.person_id not in who.people:
            raise Problem(404, "not_found", "No such registration of yours.")
        try:
            registrations.cancel(s, acting_for(who, reg.chapter_id), registration_id)
        except (RuleViolation, NotFound) as exc:
            raise refuse(exc) from None
        s.commit()
        return {"id": reg.id, "status": reg.status.value}

    def own_slot(who: Any, s: Session, slot_id: str) -> PresentationSlot:
        slot = s.get(PresentationSlot, slot_id)
        orgs = set(s.scalars(select(Person.organisation_id).where(Person.id.in_(list(who.people)))))
        if slot is None or slot.deleted or slot.partner_organisation_id not in orgs:
            raise Problem(404, "not_found", "No such presentation slot for your company.")
        return slot

    @app.get("/v1/me/slots", dependencies=[versioned])
    def my_slots(who: who_t, s: session_t) -> list[dict[str, Any]]:
        orgs = set(s.scalars(select(Person.organisation_id).where(Person.id.in_(list(who.people)))))
        out = []
        for slot in s.scalars(
            select(PresentationSlot).where(
                PresentationSlot.partner_organisation_id.in_(orgs),
                PresentationSlot.deleted.is_(False),
            )
        ):
            versions = s.scalars(
                select(DeckVersion)
                .where(DeckVersion.slot_id == slot.id)
                .order_by(DeckVersion.uploaded_at)
            ).all()
            out.append(
                {
                    "id": slot.id,
                    "meeting_id": slot.meeting_id,
                    "topic": slot.topic,
                    "versions": [
                        {
                            "id": v.id,
                            "filename": v.filename,
                            "sha256": v.sha256,
                            "decision": v.decision.value,
                            "comment": v.decision_comment,
                        }
                        for v in versions
                    ],
                }
            )
        return out

    @app.get("/v1/me/partner", dependencies=[versioned])
    def my_programme(who: who_t, s: session_t) -> list[dict[str, Any]]:
        """A partner's own Community Partner record: its applications with their steps and
        reasons (PRT-3), benefits (PRT-4) and contributions (PRT-7) — nothing of any other
        company, and nothing of the roster (ROS-2)."""
        orgs = s.scalars(
            select(Organisation)
            .join(Person, Person.organisation_id == Organisation.id)
            .where(
                Person.id.in_(list(who.people)),
                Organisation.category == OrgCategory.PARTNER,
                Organisation.deleted.is_(False),
            )
            .distinct()
        ).all()
        return [_programme_of(s, org) for org in orgs]

    @app.post("/v1/slots/{slot_id}/versions", dependencies=[versioned])
    def submit_deck(slot_id: str, body: DeckBody, who: who_t) -> dict[str, Any]:
        with writing() as s:
            return submitting(s, slot_id, body, who)

    def submitting(s: Session, slot_id: str, body: DeckBody, who: Any) -> dict[str, Any]:
        slot = own_slot(who, s, slot_id)
        data = decode_b64(body.content_b64)
        try:
            row = decks.add_version(
                s, acting_for(who, slot.chapter_id), slot_id, body.filename, data
            )
        except (RuleViolation, NotFound) as exc:
            raise refuse(exc) from None
        s.commit()
        return {
            "id": row.id,
            "sha256": row.sha256,
            "decision": row.decision.value if hasattr(row.decision, "value") else str(row.decision),
        }


def _programme_of(s: Session, org: Organisation) -> dict[str, Any]:
    applications = s.scalars(
        select(PartnerApplication)
        .where(PartnerApplication.organisation_id == org.id, PartnerApplication.deleted.is_(False))
        .order_by(PartnerApplication.submitted_at)
    ).all()
    steps = s.scalars(
        select(PartnerApplicationEvent)
        .where(PartnerApplicationEvent.application_id.in_([a.id for a in applications]))
        .order_by(PartnerApplicationEvent.at)
    ).all()
    benefits = s.scalars(
        select(PartnerBenefit)
        .where(PartnerBenefit.organisation_id == org.id, PartnerBenefit.deleted.is_(False))
        .order_by(PartnerBenefit.year, PartnerBenefit.held_on)
    ).all()
    given = s.scalars(
        select(PartnerContribution)
        .where(
            PartnerContribution.organisation_id == org.id, PartnerContribution.deleted.is_(False)
        )
        .order_by(PartnerContribution.given_on)
    ).all()
    return {
        "company": org.name,
        "chapter_id": org.chapter_id,
        "applications": [
            {
                "id": a.id,
                "kind": a.kind.value,
                "status": a.status.value,
                "submitted_at": a.submitted_at.isoformat(),
                "fee_paid_on": a.fee_paid_on.isoformat() if a.fee_paid_on else None,
                "steps": [
                    {"status": e.to_status.value, "at": e.at.isoformat(), "reason": e.reason}
                    for e in steps
                    if e.application_id == a.id
                ],
            }
            for a in applications
        ],
        "benefits": [
            {
                "year": b.year,
                "kind": b.kind.value,
                "held_on": b.held_on.isoformat() if b.held_on else None,
                "note": b.note,
            }
            for b in benefits
        ],
        "contributions": [
            {"given_on": c.given_on.isoformat(), "kind": c.kind.value, "description": c.description}
            for c in given
        ],
    }
