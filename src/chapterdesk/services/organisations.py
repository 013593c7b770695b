"""Organisations on the roster (ORG-1…4) and each customer's partner of record per product
line (seed 004, CND-2).

Changing an organisation's category or exclusion first shows what it does
(:func:`organisation_preview`), then :func:`save_organisation` applies exactly that list:
memberships change, upcoming registrations are re-labelled and flagged — never deleted.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.enums import ExcludedKind, Membership, OrgCategory
from chapterdesk.domain.people import EXCLUDED_KIND_LABELS, OrgFacts
from chapterdesk.domain.permissions import Action, require
from chapterdesk.domain.roster import Consequence, RosterPerson, consequences
from chapterdesk.domain.text import fold, search_key
from chapterdesk.domain.violations import NotFound, RuleViolation
from chapterdesk.i18n import _
from chapterdesk.services.changes import record_change
from chapterdesk.services.facts import org_facts
from chapterdesk.services.roster import (
    apply_consequences,
    load_organisation,
    preview,
    upcoming_registrations,
)
from chapterdesk.services.roster_views import (
    ChangePreview,
    OrganisationDraft,
    OrganisationRow,
    PartnerOfRecordRow,
)
from chapterdesk.store.models import Organisation, PartnerOfRecord, Person

PRODUCT_LINES = (  # suggestions; a chapter may name others
    "Dynamics 365 Finance",
    "Dynamics 365 Supply Chain Management",
    "Dynamics 365 Business Central",
    "Dynamics 365 Sales",
    "Dynamics 365 Customer Service",
    "Dynamics GP",
    "Dynamics NAV",
    "Dynamics AX",
    "Dynamics CRM",
    "Power Platform",
)


def organisation_rows(session: Session, actor: Actor, chapter_id: str) -> list[OrganisationRow]:
    """Every organisation with head counts and its partners of record."""
    require(actor, Action.VIEW_ROSTER, chapter_id)
    counts: dict[str, dict[Membership, int]] = {}
    for org_id, membership, n in session.execute(
        select(Person.organisation_id, Person.membership, func.count())
        .where(Person.chapter_id == chapter_id, Person.deleted.is_(False))
        .group_by(Person.organisation_id, Person.membership)
    ):
        counts.setdefault(org_id, {})[membership] = int(n)
    records = partners_of_record(session, chapter_id)
    rows = []
    for org in session.scalars(
        select(Organisation).where(
            Organisation.chapter_id == chapter_id, Organisation.deleted.is_(False)
        )
    ):
        by = counts.get(org.id, {})
        rows.append(
            OrganisationRow(
                id=org.id,
                draft=_draft_of(org),
                people=sum(by.values()),
                members=by.get(Membership.MEMBER, 0),
                prospects=by.get(Membership.PROSPECT, 0),
                partners_of_record=records.get(org.id, []),
            )
        )
    rows.sort(key=lambda r: fold(r.name))
    return rows


def _draft_of(org: Organisation) -> OrganisationDraft:
    return OrganisationDraft(
        name=org.name,
        category=org.category,
        uses_dynamics=org.uses_dynamics,
        excluded_kind=org.excluded_kind,
        website=org.website,
    )


def partners_of_record(session: Session, chapter_id: str) -> dict[str, list[PartnerOfRecordRow]]:
    """Per customer organisation, its partners of record by product line."""
    found: dict[str, list[PartnerOfRecordRow]] = {}
    for record, partner in session.execute(
        select(PartnerOfRecord, Organisation)
        .join(Organisation, Organisation.id == PartnerOfRecord.partner_organisation_id)
        .where(PartnerOfRecord.chapter_id == chapter_id, PartnerOfRecord.deleted.is_(False))
        .order_by(PartnerOfRecord.product_line)
    ):
        found.setdefault(record.customer_organisation_id, []).append(
            PartnerOfRecordRow(
                id=record.id,
                customer_organisation_id=record.customer_organisation_id,
                product_line=record.product_line,
                partner_organisation_id=partner.id,
                partner=partner.name,
                since=record.since,
            )
        )
    return found


def _check_draft(
    session: Session, chapter_id: str, organisation_id: str | None, draft: OrganisationDraft
) -> OrganisationDraft:
    name = " ".join(draft.name.split())
    if not name:
        raise RuleViolation(
            "ORG-1",
            _("The organisation has no name."),
            _("Enter the organisation's name."),
        )
    if draft.excluded_kind is not None and draft.category is OrgCategory.MICROSOFT:
        raise RuleViolation(
            "ORG-4",
            _("Microsoft cannot be an excluded organisation."),
            _("Choose the partner or customer category, or clear the exclusion."),
        )
    wanted = fold(name)
    for other_id, other in session.execute(
        select(Organisation.id, Organisation.name).where(
            Organisation.chapter_id == chapter_id, Organisation.deleted.is_(False)
        )
    ):
        if other_id != organisation_id and fold(other) == wanted:
            raise RuleViolation(
                "ORG-1",
                _("{name} is already on the roster.").format(name=other),
                _("Edit that organisation instead, or choose another name."),
            )
    website = draft.website.strip()
    return OrganisationDraft(
        name, draft.category, draft.uses_dynamics, draft.excluded_kind, website
    )


def _facts(draft: OrganisationDraft) -> OrgFacts:
    return OrgFacts(draft.name, draft.category, draft.uses_dynamics, draft.excluded_kind)


def _change_consequences(
    session: Session, org: Organisation, draft: OrganisationDraft
) -> list[Consequence]:
    people = list(
        session.scalars(
            select(Person).where(Person.organisation_id == org.id, Person.deleted.is_(False))
        )
    )
    own, escorted = upcoming_registrations(session, people)
    return consequences(
        org_facts(org),
        _facts(draft),
        [RosterPerson(p.id, f"{p.first_name} {p.last_name}", p.membership) for p in people],
        own,
        escorted,
    )


def organisation_preview(
    session: Session,
    actor: Actor,
    chapter_id: str,
    organisation_id: str | None,
    draft: OrganisationDraft,
) -> ChangePreview:
    """What saving ``draft`` will change, before it is saved (nothing for a new one)."""
    require(actor, Action.EDIT_ROSTER, chapter_id)
    draft = _check_draft(session, chapter_id, organisation_id, draft)
    if organisation_id is None:
        return preview([])
    org = load_organisation(session, chapter_id, organisation_id)
    return preview(_change_consequences(session, org, draft))


def save_organisation(
    session: Session,
    actor: Actor,
    chapter_id: str,
    organisation_id: str | None,
    draft: OrganisationDraft,
) -> tuple[str, ChangePreview]:
    """Add or change an organisation and apply what the change does to its people and their
    upcoming registrations, in one transaction with its audit event."""
    require(actor, Action.EDIT_ROSTER, chapter_id)
    draft = _check_draft(session, chapter_id, organisation_id, draft)
    if organisation_id is None:
        org = Organisation(
            chapter_id=chapter_id,
            name=draft.name,
            category=draft.category,
            uses_dynamics=draft.uses_dynamics,
            excluded_kind=draft.excluded_kind,
            website=draft.website,
        )
        session.add(org)
        session.flush()
        _record(session, actor, org, "organisation.created", {"category": org.category.value})
        return org.id, preview([])
    org = load_organisation(session, chapter_id, organisation_id)
    found = _change_consequences(session, org, draft)
    before = _draft_of(org)
    renamed = draft.name != org.name
    org.name, org.category = draft.name, draft.category
    org.uses_dynamics, org.excluded_kind, org.website = (
        draft.uses_dynamics,
        draft.excluded_kind,
        draft.website,
    )
    apply_consequences(session, found)
    if renamed:  # the roster search finds people by their company's name
        for person in session.scalars(select(Person).where(Person.organisation_id == org.id)):
            person.search_text = search_key(
                person.first_name, person.last_name, org.name, person.email
            )
    session.flush()
    changed = [
        k
        for k in ("name", "category", "uses_dynamics", "excluded_kind", "website")
        if getattr(before, k) != getattr(draft, k)
    ]
    if changed:
        action = (
            "organisation.excluded"
            if draft.excluded_kind is not None and before.excluded_kind is None
            else "organisation.updated"
        )
        _record(
            session,
            actor,
            org,
            action,
            {
                "fields": changed,
                "category": f"{before.category.value} → {draft.category.value}",
                "excluded": _excluded_words(draft.excluded_kind),
                "consequences": [f"{c.rule}: {c.text}" for c in found],
            },
        )
    return org.id, preview(found)


def _excluded_words(kind: ExcludedKind | None) -> str:
    return EXCLUDED_KIND_LABELS[kind] if kind is not None else ""


def _record(
    session: Session, actor: Actor, org: Organisation, action: str, details: dict[str, object]
) -> None:
    record_change(
        session,
        actor,
        chapter_id=org.chapter_id,
        entity="organisations",
        entity_id=org.id,
        fields={},
        action=action,
        details={"name": org.name, **details},
    )


def set_partner_of_record(
    session: Session,
    actor: Actor,
    customer_organisation_id: str,
    product_line: str,
    partner_organisation_id: str,
    since: date | None = None,
) -> str:
    """``partner`` is ``customer``'s partner of record for ``product_line``: one per product
    line, so an existing record for the line is replaced (seed 004)."""
    customer = session.get(Organisation, customer_organisation_id)
    if customer is None or customer.deleted:
        raise NotFound(_("That organisation is no longer on the roster; refresh the list."))
    require(actor, Action.EDIT_ROSTER, customer.chapter_id)
    partner = load_organisation(session, customer.chapter_id, partner_organisation_id)
    line = " ".join(product_line.split())
    if not line:
        raise RuleViolation(
            "CND-2",
            _("The product line is empty."),
            _("Name the product line (e.g. Dynamics 365 Finance)."),
        )
    if customer.category is not OrgCategory.CUSTOMER:
        raise RuleViolation(
            "CND-2",
            _("{org} is not a customer: only customers have a partner of record.").format(
                org=customer.name
            ),
            _("Record the partner of record on the customer organisation."),
        )
    if partner.category is not OrgCategory.PARTNER:
        raise RuleViolation(
            "CND-2",
            _("{org} is not a partner organisation, so it cannot be a partner of record.").format(
                org=partner.name
            ),
            _("Choose a partner company, or correct that organisation's category first."),
        )
    existing = next(
        (
            r
            for r in session.scalars(
                select(PartnerOfRecord).where(
                    PartnerOfRecord.customer_organisation_id == customer.id,
                    PartnerOfRecord.deleted.is_(False),
                )
            )
            if fold(r.product_line) == fold(line)
        ),
        None,
    )
    if existing is None:
        existing = PartnerOfRecord(
            chapter_id=customer.chapter_id,
            customer_organisation_id=customer.id,
            product_line=line,
            partner_organisation_id=partner.id,
            since=since,
        )
        session.add(existing)
    else:
        existing.partner_organisation_id, existing.since = partner.id, since
    session.flush()
    _record(
        session,
        actor,
        customer,
        "organisation.partner_of_record",
        {"product_line": line, "partner": partner.name},
    )
    return existing.id


def remove_partner_of_record(session: Session, actor: Actor, record_id: str) -> None:
    record = session.get(PartnerOfRecord, record_id)
    if record is None or record.deleted:
        raise NotFound(_("That partner of record was already removed; refresh the list."))
    require(actor, Action.EDIT_ROSTER, record.chapter_id)
    record.deleted = True
    customer = load_organisation(session, record.chapter_id, record.customer_organisation_id)
    session.flush()
    _record(
        session,
        actor,
        customer,
        "organisation.partner_of_record_removed",
        {"product_line": record.product_line},
    )


def incumbent_note(records: list[PartnerOfRecordRow], partner_organisation_id: str) -> str:
    """CND-2 for the leader, from the escort's company's partners of record: who else is its
    incumbent. Empty when the partner bringing the customer is its incumbent on every line, or
    there is none."""
    others = [row for row in records if row.partner_organisation_id != partner_organisation_id]
    if not others:
        return ""
    lines = ", ".join(f"{r.product_line}: {r.partner}" for r in others)
    return _(
        "Incumbent partner of the escort's company — {lines}. No luring customers from "
        "their partner (CND-2)."
    ).format(lines=lines)
