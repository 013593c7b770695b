"""The Community Partner programme: companies, applications through PRT-3, the PRT-1/PRT-2
checklist, conduct incidents (CND-1), benefits (PRT-4) and the contributions ledger (PRT-7).

Every function takes a session and an actor and checks ``MANAGE_PARTNERS`` (leaders); every
change writes an audit event, and reaches the outbox through the store's flush hook.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.enums import (
    ApplicationStatus,
    BenefitKind,
    ContributionKind,
    DeckDecision,
    IncidentStatus,
    Membership,
    OrgCategory,
    PartnerKind,
)
from chapterdesk.domain.partners import (
    NEEDS_REASON,
    TRANSITIONS,
    AdmissionFacts,
    ApplicantFacts,
    EligibilityFacts,
    ReferenceFacts,
    check_may_apply,
    check_not_revoked,
    check_transition,
    checklist,
)
from chapterdesk.domain.permissions import Action, require
from chapterdesk.domain.violations import NotFound, RuleViolation
from chapterdesk.services.changes import record_change
from chapterdesk.services.partner_views import (
    ApplicationStep,
    ApplicationView,
    BenefitRow,
    ContributionRow,
    DirectoryEntry,
    ImplementationRow,
    IncidentRow,
    PartnerCompanyRow,
    PartnerScore,
)
from chapterdesk.store.models import (
    Account,
    Chapter,
    ConductIncident,
    DeckVersion,
    Meeting,
    Organisation,
    PartnerApplication,
    PartnerApplicationEvent,
    PartnerBenefit,
    PartnerContribution,
    PartnerImplementation,
    PartnerProfile,
    Person,
    PresentationSlot,
)

S = ApplicationStatus
# Applications still in the committee's hands or in force: a company has at most one.
_LIVE = (S.SUBMITTED, S.UNDER_REVIEW, S.INFORMATION_REQUESTED, S.APPROVED, S.ADMITTED)

# PRT-7: points per contribution unless the chapter sets its own (Chapter.contribution_points).
DEFAULT_POINTS: dict[ContributionKind, int] = {
    ContributionKind.PRESENTATION: 5,
    ContributionKind.SPONSORSHIP: 5,
    ContributionKind.SPEAKER: 3,
    ContributionKind.DOOR_PRIZE: 1,
    ContributionKind.OTHER: 1,
}
MAX_ASSOCIATES_INVITED = 2  # PRT-4: up to two associates at member-wide events a year


# ------------------------------------------------------------------------------ loading
def _org(session: Session, actor: Actor, organisation_id: str) -> Organisation:
    org = session.get(Organisation, organisation_id)
    if org is None or org.deleted:
        raise NotFound("That company is not known to this chapter.")
    require(actor, Action.MANAGE_PARTNERS, org.chapter_id)
    return org


def _application(session: Session, actor: Actor, application_id: str) -> PartnerApplication:
    app = session.get(PartnerApplication, application_id)
    if app is None or app.deleted:
        raise NotFound("That application is not known to this chapter.")
    require(actor, Action.MANAGE_PARTNERS, app.chapter_id)
    return app


def _profile(session: Session, org: Organisation) -> PartnerProfile | None:
    return session.scalar(
        select(PartnerProfile).where(
            PartnerProfile.organisation_id == org.id, PartnerProfile.deleted.is_(False)
        )
    )


def _latest_status(session: Session, organisation_id: str) -> ApplicationStatus | None:
    status: ApplicationStatus | None = session.scalar(
        select(PartnerApplication.status)
        .where(
            PartnerApplication.organisation_id == organisation_id,
            PartnerApplication.deleted.is_(False),
        )
        .order_by(PartnerApplication.submitted_at.desc())
        .limit(1)
    )
    return status


def is_revoked(session: Session, organisation_id: str) -> bool:
    """True when the company's latest application was revoked for cause (PRT-3, CND-1)."""
    return _latest_status(session, organisation_id) is S.REVOKED


def check_partner_in_good_standing(session: Session, organisation_id: str, what: str) -> None:
    """Refuse ``what`` (e.g. "register for meetings") for a revoked partner (PRT-3, CND-1)."""
    org = session.get(Organisation, organisation_id)
    if org is None or org.category is not OrgCategory.PARTNER:
        return
    check_not_revoked(org.name, is_revoked(session, organisation_id), what)


def _recorded(
    session: Session,
    actor: Actor,
    row: Any,
    action: str,
    details: dict[str, Any],
    *,
    new: bool = False,
) -> None:
    """Write ``row`` (added first when ``new``) and its audit event in the caller's
    transaction; the outbox row follows from the store's flush hook."""
    if new:
        session.add(row)
    session.flush()
    record_change(
        session,
        actor,
        chapter_id=row.chapter_id,
        entity=row.__tablename__,
        entity_id=row.id,
        fields={},
        action=action,
        details=details,
    )


# ------------------------------------------------------------------------------ companies
def partner_companies(session: Session, actor: Actor, chapter_id: str) -> list[PartnerCompanyRow]:
    """The chapter's partner companies with what the programme knows of each."""
    require(actor, Action.MANAGE_PARTNERS, chapter_id)
    orgs = session.scalars(
        select(Organisation)
        .where(
            Organisation.chapter_id == chapter_id,
            Organisation.category == OrgCategory.PARTNER,
            Organisation.deleted.is_(False),
        )
        .order_by(Organisation.name)
    ).all()
    ids = [o.id for o in orgs]
    profiles = {
        p.organisation_id: p
        for p in session.scalars(
            select(PartnerProfile).where(
                PartnerProfile.organisation_id.in_(ids), PartnerProfile.deleted.is_(False)
            )
        )
    }
    latest: dict[str, ApplicationStatus] = {}
    for org_id, status in session.execute(
        select(PartnerApplication.organisation_id, PartnerApplication.status)
        .where(PartnerApplication.organisation_id.in_(ids), PartnerApplication.deleted.is_(False))
        .order_by(PartnerApplication.submitted_at)
    ):
        latest[org_id] = status
    implementations = Counter(
        session.scalars(
            select(PartnerImplementation.organisation_id).where(
                PartnerImplementation.organisation_id.in_(ids),
                PartnerImplementation.deleted.is_(False),
            )
        )
    )
    incidents = Counter(
        session.scalars(
            select(ConductIncident.organisation_id).where(
                ConductIncident.organisation_id.in_(ids),
                ConductIncident.status != IncidentStatus.CLOSED,
                ConductIncident.deleted.is_(False),
            )
        )
    )
    people: dict[str, list[str]] = defaultdict(list)
    for org_id, first, last in session.execute(
        select(Person.organisation_id, Person.first_name, Person.last_name)
        .where(Person.organisation_id.in_(ids), Person.deleted.is_(False))
        .order_by(Person.last_name, Person.first_name)
    ):
        people[org_id].append(f"{first} {last}".strip())
    year = datetime.now(UTC).year
    rows = []
    for org in orgs:
        profile = profiles.get(org.id)
        rows.append(
            PartnerCompanyRow(
                organisation_id=org.id,
                name=org.name,
                website=org.website,
                kind=profile.kind if profile else None,
                mspp_certified=bool(profile and profile.mspp_certified),
                cfmd_certified=bool(profile and profile.cfmd_certified),
                certified_consultants=profile.certified_consultants if profile else 0,
                implementations=implementations[org.id],
                sponsor_year=(
                    profile.annual_chapter_sponsor_year
                    if profile and profile.annual_chapter_sponsor_year == year
                    else None
                ),
                code_of_conduct_signed_on=profile.code_of_conduct_signed_on if profile else None,
                status=latest.get(org.id),
                representatives=tuple(people[org.id]),
                open_incidents=incidents[org.id],
                excluded=org.excluded_kind,
                public_contact=profile.public_contact if profile else "",
            )
        )
    return rows


def customer_companies(session: Session, actor: Actor, chapter_id: str) -> list[tuple[str, str]]:
    """(name, id) of the chapter's customer companies: who a reference can name (PRT-1)."""
    require(actor, Action.MANAGE_PARTNERS, chapter_id)
    return [
        (name, org_id)
        for org_id, name in session.execute(
            select(Organisation.id, Organisation.name)
            .where(
                Organisation.chapter_id == chapter_id,
                Organisation.category == OrgCategory.CUSTOMER,
                Organisation.deleted.is_(False),
            )
            .order_by(Organisation.name)
        )
    ]


def incident_meetings(session: Session, actor: Actor, chapter_id: str) -> list[tuple[str, str]]:
    """(label, id) of the chapter's meetings, newest first: where an incident happened."""
    require(actor, Action.MANAGE_PARTNERS, chapter_id)
    return [
        (f"{starts:%Y-%m-%d} {title}", meeting_id)
        for meeting_id, title, starts in session.execute(
            select(Meeting.id, Meeting.title, Meeting.starts_at)
            .where(Meeting.chapter_id == chapter_id, Meeting.deleted.is_(False))
            .order_by(Meeting.starts_at.desc())
        )
    ]


def save_profile(
    session: Session,
    actor: Actor,
    organisation_id: str,
    *,
    kind: PartnerKind,
    mspp_certified: bool,
    cfmd_certified: bool,
    certified_consultants: int,
    sponsor_year: int | None = None,
    public_contact: str | None = None,
) -> None:
    """What the chapter knows of a partner company (PRT-1, PRT-2, PRT-5)."""
    org = _org(session, actor, organisation_id)
    if certified_consultants < 0:
        raise RuleViolation(
            "PRT-1",
            "The number of certified consultants cannot be negative.",
            "Enter how many certified consultants the company has (0 or more).",
        )
    profile = _profile(session, org) or PartnerProfile(
        chapter_id=org.chapter_id, organisation_id=org.id, kind=kind
    )
    profile.kind = kind
    profile.mspp_certified = mspp_certified
    profile.cfmd_certified = cfmd_certified
    profile.certified_consultants = certified_consultants
    profile.annual_chapter_sponsor_year = sponsor_year
    if public_contact is not None:
        profile.public_contact = " ".join(public_contact.split())[:200]
    _recorded(
        session,
        actor,
        profile,
        "partner.profile",
        {"company": org.name, "kind": kind.value},
        new=True,
    )


def record_code_of_conduct(
    session: Session, actor: Actor, organisation_id: str, signed_on: date
) -> None:
    """CND-1: the signed Code of Conduct is on file (admission needs it, PRT-3)."""
    org = _org(session, actor, organisation_id)
    profile = _profile(session, org)
    if profile is None:
        raise RuleViolation(
            "PRT-3",
            f"{org.name} has no partner profile yet.",
            "Record the company's kind and certifications first.",
        )
    profile.code_of_conduct_signed_on = signed_on
    _recorded(
        session,
        actor,
        profile,
        "partner.code_of_conduct",
        {"company": org.name, "signed_on": signed_on.isoformat()},
    )


def add_implementation(
    session: Session,
    actor: Actor,
    organisation_id: str,
    customer_organisation_id: str,
    *,
    description: str = "",
    completed_on: date | None = None,
    positive_reference: bool = False,
) -> str:
    """A documented implementation with its reference customer (PRT-1, PRT-2)."""
    org = _org(session, actor, organisation_id)
    customer = session.get(Organisation, customer_organisation_id)
    if customer is None or customer.deleted or customer.chapter_id != org.chapter_id:
        raise NotFound("That customer is not known to this chapter.")
    if customer.category is not OrgCategory.CUSTOMER:
        raise RuleViolation(
            "PRT-1",
            f"{customer.name} is a {customer.category.value}: a reference must be a customer "
            "that runs the implementation.",
            "Pick the customer company the partner implemented Dynamics for.",
        )
    row = PartnerImplementation(
        chapter_id=org.chapter_id,
        organisation_id=org.id,
        customer_organisation_id=customer.id,
        description=description.strip(),
        completed_on=completed_on,
        positive_reference=positive_reference,
    )
    _recorded(
        session,
        actor,
        row,
        "partner.implementation",
        {"company": org.name, "customer": customer.name},
        new=True,
    )
    return row.id


def implementations(
    session: Session, actor: Actor, organisation_id: str
) -> list[ImplementationRow]:
    org = _org(session, actor, organisation_id)
    rows = session.execute(
        select(PartnerImplementation, Organisation.name)
        .join(Organisation, Organisation.id == PartnerImplementation.customer_organisation_id)
        .where(
            PartnerImplementation.organisation_id == org.id,
            PartnerImplementation.deleted.is_(False),
        )
        .order_by(Organisation.name)
    ).all()
    members = _member_companies(session, [r[0].customer_organisation_id for r in rows])
    return [
        ImplementationRow(
            id=impl.id,
            customer=name,
            customer_is_member=impl.customer_organisation_id in members,
            description=impl.description,
            completed_on=impl.completed_on,
            positive_reference=impl.positive_reference,
        )
        for impl, name in rows
    ]


def _member_companies(session: Session, organisation_ids: Iterable[str]) -> set[str]:
    """Customer companies that are user-group members: at least one current member (ORG-5)."""
    return set(
        session.scalars(
            select(Person.organisation_id)
            .where(
                Person.organisation_id.in_(set(organisation_ids)),
                Person.membership == Membership.MEMBER,
                Person.deleted.is_(False),
            )
            .distinct()
        )
    )


# ------------------------------------------------------------------------------ applications
def submit_application(
    session: Session,
    actor: Actor,
    organisation_id: str,
    kind: PartnerKind,
    *,
    nominated_by_person_id: str | None = None,
    notes: str = "",
) -> str:
    """PRT-3's first step. Excluded kinds (ORG-4) and non-partner companies (ORG-3) are
    refused; a company with an application in progress or in force cannot open a second."""
    org = _org(session, actor, organisation_id)
    check_may_apply(ApplicantFacts(org.name, org.category, org.excluded_kind))
    current = _latest_status(session, org.id)
    if current in _LIVE:
        raise RuleViolation(
            "PRT-3",
            f"{org.name} already has an application that is {current.value.replace('_', ' ')}.",
            "Continue that application instead of opening another.",
        )
    if nominated_by_person_id is not None:
        _check_nominator(session, org, nominated_by_person_id)
    app = PartnerApplication(
        chapter_id=org.chapter_id,
        organisation_id=org.id,
        kind=kind,
        status=S.SUBMITTED,
        nominated_by_person_id=nominated_by_person_id,
        notes=notes.strip(),
    )
    session.add(app)
    session.flush()
    _step(session, actor, app, None, S.SUBMITTED, notes.strip())
    return app.id


def _check_nominator(session: Session, org: Organisation, person_id: str) -> None:
    person = session.get(Person, person_id)
    if person is None or person.deleted or person.chapter_id != org.chapter_id:
        raise NotFound("The nominating member is not known to this chapter.")
    if person.membership is not Membership.MEMBER:
        raise RuleViolation(
            "PRT-2",
            f"{person.first_name} {person.last_name} is not a current customer member, so "
            "cannot nominate an ISV.",
            "Name a customer who is a current member, or record the CfMD certification.",
        )


def move_application(
    session: Session, actor: Actor, application_id: str, target: ApplicationStatus, reason: str
) -> None:
    """One PRT-3 step, recorded with who, when and why; anything outside the life cycle,
    and admission without the fee paid and a signed Code of Conduct, is refused."""
    app = _application(session, actor, application_id)
    org = session.get(Organisation, app.organisation_id)
    assert org is not None
    profile = _profile(session, org)
    admission = AdmissionFacts(
        app.fee_paid_on, profile.code_of_conduct_signed_on if profile else None
    )
    check_transition(app.status, target, reason, admission)
    before = app.status
    app.status = target
    session.flush()
    _step(session, actor, app, before, target, reason.strip())


def record_fee_paid(session: Session, actor: Actor, application_id: str, paid_on: date) -> None:
    """The annual fee arrived (PRT-3: admission needs it)."""
    app = _application(session, actor, application_id)
    app.fee_paid_on = paid_on
    _recorded(session, actor, app, "partner.fee_paid", {"paid_on": paid_on.isoformat()})


def _step(
    session: Session,
    actor: Actor,
    app: PartnerApplication,
    before: ApplicationStatus | None,
    after: ApplicationStatus,
    reason: str,
) -> None:
    session.add(
        PartnerApplicationEvent(
            chapter_id=app.chapter_id,
            application_id=app.id,
            from_status=before,
            to_status=after,
            actor_id=actor.account_id,
            reason=reason,
        )
    )
    _recorded(
        session,
        actor,
        app,
        f"partner.application.{after.value}",
        {"from": before.value if before else None, "reason": reason},
    )


def application(session: Session, actor: Actor, application_id: str) -> ApplicationView:
    """An application with its checklist (PRT-1/PRT-2) and its history (PRT-3)."""
    app = _application(session, actor, application_id)
    org = session.get(Organisation, app.organisation_id)
    assert org is not None
    profile = _profile(session, org)
    refs = implementations(session, actor, org.id)
    nominator = (
        session.get(Person, app.nominated_by_person_id) if app.nominated_by_person_id else None
    )
    nominated_by = (
        f"{nominator.first_name} {nominator.last_name}"
        if nominator is not None and nominator.membership is Membership.MEMBER
        else None
    )
    facts = EligibilityFacts(
        kind=app.kind,
        mspp_certified=bool(profile and profile.mspp_certified),
        cfmd_certified=bool(profile and profile.cfmd_certified),
        certified_consultants=profile.certified_consultants if profile else 0,
        nominated_by=nominated_by,
        implementations=[
            ReferenceFacts(r.customer, r.customer_is_member, r.positive_reference) for r in refs
        ],
    )
    names = dict(session.execute(select(Account.id, Account.display_name)).all())
    events = session.scalars(
        select(PartnerApplicationEvent)
        .where(PartnerApplicationEvent.application_id == app.id)
        .order_by(PartnerApplicationEvent.at, PartnerApplicationEvent.updated_at)
    ).all()
    return ApplicationView(
        id=app.id,
        organisation_id=org.id,
        company=org.name,
        kind=app.kind,
        status=app.status,
        submitted_at=app.submitted_at,
        fee_paid_on=app.fee_paid_on,
        code_of_conduct_signed_on=profile.code_of_conduct_signed_on if profile else None,
        nominated_by=nominated_by,
        checklist=tuple(checklist(facts)),
        history=tuple(
            ApplicationStep(
                e.from_status, e.to_status, names.get(e.actor_id, e.actor_id), e.at, e.reason
            )
            for e in events
        ),
        next_steps=tuple(sorted(TRANSITIONS[app.status], key=list(S).index)),
    )


def applications(session: Session, actor: Actor, chapter_id: str) -> list[ApplicationView]:
    require(actor, Action.MANAGE_PARTNERS, chapter_id)
    ids = session.scalars(
        select(PartnerApplication.id)
        .where(PartnerApplication.chapter_id == chapter_id, PartnerApplication.deleted.is_(False))
        .order_by(PartnerApplication.submitted_at.desc())
    ).all()
    return [application(session, actor, i) for i in ids]


def reason_needed(target: ApplicationStatus) -> bool:
    """Whether the step to ``target`` must say why (the UI asks before it tries)."""
    return target in NEEDS_REASON


# ------------------------------------------------------------------------------ conduct
def report_incident(
    session: Session,
    actor: Actor,
    organisation_id: str,
    *,
    occurred_on: date,
    reported_by: str,
    description: str,
    meeting_id: str | None = None,
    rule_id: str = "CND-1",
) -> str:
    """CND-1 / CND-2: what happened, at which meeting, reported by whom."""
    org = _org(session, actor, organisation_id)
    if not description.strip() or not reported_by.strip():
        raise RuleViolation(
            "CND-1",
            "An incident needs what happened and who reported it.",
            "Describe what happened and name who reported it.",
        )
    if rule_id not in ("CND-1", "CND-2"):
        raise ValueError("An incident is recorded under CND-1 or CND-2.")
    if meeting_id is not None:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None or meeting.chapter_id != org.chapter_id:
            raise NotFound("That meeting is not known to this chapter.")
    row = ConductIncident(
        chapter_id=org.chapter_id,
        organisation_id=org.id,
        meeting_id=meeting_id,
        occurred_on=occurred_on,
        reported_by=reported_by.strip(),
        rule_id=rule_id,
        description=description.strip(),
    )
    _recorded(
        session, actor, row, "partner.incident", {"company": org.name, "rule": rule_id}, new=True
    )
    return row.id


def review_incident(
    session: Session, actor: Actor, incident_id: str, *, outcome: str, close: bool
) -> None:
    """The committee's review: under review, or closed with its outcome. Revocation itself is
    a step of the company's application (PRT-3), taken separately with its reason."""
    row = session.get(ConductIncident, incident_id)
    if row is None or row.deleted:
        raise NotFound("That incident is not known to this chapter.")
    require(actor, Action.MANAGE_PARTNERS, row.chapter_id)
    if close and not outcome.strip():
        raise RuleViolation(
            "CND-1",
            "An incident is closed with its outcome.",
            "Write the committee's outcome, then close the incident.",
        )
    row.status = IncidentStatus.CLOSED if close else IncidentStatus.UNDER_REVIEW
    row.outcome = outcome.strip()
    row.reviewed_by = actor.account_id
    row.reviewed_at = datetime.now(UTC)
    _recorded(session, actor, row, "partner.incident_reviewed", {"status": row.status.value})


def incidents(session: Session, actor: Actor, chapter_id: str) -> list[IncidentRow]:
    require(actor, Action.MANAGE_PARTNERS, chapter_id)
    rows = session.execute(
        select(ConductIncident, Organisation.name, Meeting.title)
        .join(Organisation, Organisation.id == ConductIncident.organisation_id)
        .outerjoin(Meeting, Meeting.id == ConductIncident.meeting_id)
        .where(ConductIncident.chapter_id == chapter_id, ConductIncident.deleted.is_(False))
        .order_by(ConductIncident.occurred_on.desc())
    ).all()
    return [
        IncidentRow(
            i.id,
            company,
            i.occurred_on,
            title,
            i.reported_by,
            i.rule_id,
            i.description,
            i.status,
            i.outcome,
        )
        for i, company, title in rows
    ]


# ------------------------------------------------------------------------------ benefits
def record_benefit(
    session: Session,
    actor: Actor,
    organisation_id: str,
    kind: BenefitKind,
    *,
    year: int,
    held_on: date | None = None,
    note: str = "",
) -> str:
    """PRT-4: a benefit the company received in ``year`` (admitted partners only)."""
    org = _org(session, actor, organisation_id)
    if _latest_status(session, org.id) is not S.ADMITTED:
        raise RuleViolation(
            "PRT-4",
            f"{org.name} is not an admitted Community Partner, so it receives no programme "
            "benefits.",
            "Admit the company first (PRT-3).",
        )
    if kind is BenefitKind.ASSOCIATE_INVITED:
        invited = session.scalar(
            select(func.count())
            .select_from(PartnerBenefit)
            .where(
                PartnerBenefit.organisation_id == org.id,
                PartnerBenefit.year == year,
                PartnerBenefit.kind == BenefitKind.ASSOCIATE_INVITED,
                PartnerBenefit.deleted.is_(False),
            )
        )
        if (invited or 0) >= MAX_ASSOCIATES_INVITED:
            raise RuleViolation(
                "PRT-4",
                f"{org.name} has already had {MAX_ASSOCIATES_INVITED} associates invited to "
                f"member-wide events in {year}.",
                "The programme offers up to two a year; invite one next year.",
            )
    row = PartnerBenefit(
        chapter_id=org.chapter_id,
        organisation_id=org.id,
        year=year,
        kind=kind,
        held_on=held_on,
        note=note.strip(),
    )
    _recorded(
        session,
        actor,
        row,
        "partner.benefit",
        {"company": org.name, "kind": kind.value, "year": year},
        new=True,
    )
    return row.id


def benefits(session: Session, actor: Actor, chapter_id: str, year: int) -> list[BenefitRow]:
    require(actor, Action.MANAGE_PARTNERS, chapter_id)
    rows = session.execute(
        select(PartnerBenefit, Organisation.name)
        .join(Organisation, Organisation.id == PartnerBenefit.organisation_id)
        .where(
            PartnerBenefit.chapter_id == chapter_id,
            PartnerBenefit.year == year,
            PartnerBenefit.deleted.is_(False),
        )
        .order_by(Organisation.name, PartnerBenefit.held_on)
    ).all()
    return [BenefitRow(b.id, name, b.year, b.kind, b.held_on, b.note) for b, name in rows]


# ------------------------------------------------------------------------------ contributions
def record_contribution(
    session: Session,
    actor: Actor,
    organisation_id: str,
    kind: ContributionKind,
    *,
    given_on: date,
    description: str,
) -> str:
    """PRT-7: something the company gave the chapter, recorded by a leader."""
    org = _org(session, actor, organisation_id)
    if org.category is not OrgCategory.PARTNER:
        raise RuleViolation(
            "PRT-7",
            f"{org.name} is not a partner company; the ledger records partners' contributions.",
            "Pick the partner company that contributed.",
        )
    if not description.strip():
        raise RuleViolation(
            "PRT-7",
            "A contribution needs a few words on what it was.",
            "Describe it (e.g. “Door prize: a tablet for the raffle”).",
        )
    row = PartnerContribution(
        chapter_id=org.chapter_id,
        organisation_id=org.id,
        given_on=given_on,
        kind=kind,
        description=description.strip(),
        recorded_by=actor.account_id,
    )
    _recorded(
        session,
        actor,
        row,
        "partner.contribution",
        {"company": org.name, "kind": kind.value},
        new=True,
    )
    return row.id


def points_of(session: Session, chapter_id: str) -> dict[ContributionKind, int]:
    chapter = session.get(Chapter, chapter_id)
    custom = (chapter.contribution_points if chapter is not None else None) or {}
    points = dict(DEFAULT_POINTS)
    for name, value in custom.items():
        if name in ContributionKind.__members__.values() and isinstance(value, int):
            points[ContributionKind(name)] = value
    return points


def set_points(
    session: Session, actor: Actor, chapter_id: str, points: dict[ContributionKind, int]
) -> None:
    """The chapter's own points per kind (PRT-7)."""
    require(actor, Action.MANAGE_PARTNERS, chapter_id)
    if any(v < 0 for v in points.values()):
        raise RuleViolation(
            "PRT-7", "Points cannot be negative.", "Give each kind 0 points or more."
        )
    chapter = session.get(Chapter, chapter_id)
    if chapter is None:
        raise NotFound("That chapter is not known.")
    chapter.contribution_points = {k.value: int(v) for k, v in points.items()}
    session.flush()
    record_change(
        session,
        actor,
        chapter_id=chapter_id,
        entity="chapters",
        entity_id=chapter_id,
        fields={},
        action="partner.points",
        details=dict(chapter.contribution_points),
    )


def contributions_report(
    session: Session,
    actor: Actor,
    chapter_id: str,
    year: int,
    *,
    now: datetime | None = None,
) -> list[PartnerScore]:
    """PRT-7's yearly report: every partner with contributions in ``year``, ranked by points.
    Presentations come from approved decks of meetings that took place (counted once per
    slot); everything else from the ledger."""
    require(actor, Action.MANAGE_PARTNERS, chapter_id)
    points = points_of(session, chapter_id)
    moment = (now or datetime.now(UTC)).replace(tzinfo=None)
    lines: dict[str, list[ContributionRow]] = defaultdict(list)
    names: dict[str, str] = {}
    for row, name in session.execute(
        select(PartnerContribution, Organisation.name)
        .join(Organisation, Organisation.id == PartnerContribution.organisation_id)
        .where(
            PartnerContribution.chapter_id == chapter_id,
            PartnerContribution.deleted.is_(False),
            extract("year", PartnerContribution.given_on) == year,
        )
    ):
        names[row.organisation_id] = name
        lines[row.organisation_id].append(
            ContributionRow(name, row.given_on, row.kind, row.description, points[row.kind], False)
        )
    approved = (
        select(DeckVersion.slot_id)
        .where(DeckVersion.decision == DeckDecision.APPROVED, DeckVersion.deleted.is_(False))
        .distinct()
    )
    for slot, meeting, name in session.execute(
        select(PresentationSlot, Meeting, Organisation.name)
        .join(Meeting, Meeting.id == PresentationSlot.meeting_id)
        .join(Organisation, Organisation.id == PresentationSlot.partner_organisation_id)
        .where(
            PresentationSlot.chapter_id == chapter_id,
            PresentationSlot.deleted.is_(False),
            PresentationSlot.id.in_(approved),
            Meeting.cancelled.is_(False),
            Meeting.starts_at < moment,
            extract("year", Meeting.starts_at) == year,
        )
    ):
        org_id = slot.partner_organisation_id
        names[org_id] = name
        lines[org_id].append(
            ContributionRow(
                name,
                meeting.starts_at.date(),
                ContributionKind.PRESENTATION,
                f"“{slot.topic}” at {meeting.title}",
                points[ContributionKind.PRESENTATION],
                True,
            )
        )
    ranked = sorted(
        lines.items(), key=lambda item: (-sum(c.points for c in item[1]), names[item[0]].lower())
    )
    scores = []
    rank, last = 0, None
    for position, (org_id, rows) in enumerate(ranked, start=1):
        total = sum(c.points for c in rows)
        if total != last:
            rank, last = position, total
        scores.append(
            PartnerScore(
                rank=rank,
                organisation_id=org_id,
                company=names[org_id],
                points=total,
                by_kind=dict(Counter(c.kind for c in rows)),
                contributions=tuple(sorted(rows, key=lambda c: c.given_on)),
            )
        )
    return scores


# ------------------------------------------------------------------------------ directory
def directory(session: Session, actor: Actor, chapter_id: str) -> list[DirectoryEntry]:
    """PRT-4: admitted partners with kind, website and certifications — company facts only."""
    rows = partner_companies(session, actor, chapter_id)
    year = datetime.now(UTC).year
    out = []
    for r in rows:
        if r.status is not S.ADMITTED or r.kind is None:
            continue
        certs = tuple(
            name
            for name, held in (
                ("Microsoft Dynamics certified (MSPP)", r.mspp_certified),
                ("Certified for Microsoft Dynamics (CfMD)", r.cfmd_certified),
            )
            if held
        )
        out.append(
            DirectoryEntry(
                r.name, r.kind, r.website, certs, r.sponsor_year == year, r.public_contact
            )
        )
    return out
