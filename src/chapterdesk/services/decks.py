"""Presentation slots and deck review (DECK-1…5, PRT-5, MTG-8): slots, versions, checks,
dismissals, decisions and the data of the review report.

A leader asks a partner to present (a slot), the partner's files arrive as versions (stored
with their SHA-256, never replaced), the checker in :mod:`chapterdesk.decks` turns a version
into findings, and the leader decides on that exact file. Checking a deck can take seconds, so
it comes in three steps a caller can spread over two short transactions — read the inputs
(:func:`analysis_inputs`), run the checker with no session open (:func:`run_checks`), write the
findings (:func:`record_analysis`) — and :func:`analyse_version` chains them for one session.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePath, PureWindowsPath
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.checkin import CheckInEventFacts, presences
from chapterdesk.domain.decks import CustomerFacts, DeckReport, Finding, Severity, SlideText
from chapterdesk.domain.enums import DeckDecision, OrgCategory, RegistrationStatus
from chapterdesk.domain.permissions import Action, require
from chapterdesk.domain.violations import NotFound, RuleViolation
from chapterdesk.i18n import _
from chapterdesk.services.changes import record_change, record_row
from chapterdesk.services.facts import load_meeting
from chapterdesk.services.partners import check_partner_in_good_standing
from chapterdesk.services.views import (
    FindingRow,
    PresenterChoice,
    ReviewData,
    SlotRow,
    VersionRow,
)
from chapterdesk.store.models import (
    AuditEvent,
    Chapter,
    CheckInEvent,
    DeckAnalysis,
    DeckFinding,
    DeckVersion,
    Meeting,
    Organisation,
    PartnerProfile,
    Person,
    PresentationSlot,
    Registration,
)

# Stored in the encrypted database and copied to every backup: a 100 MB deck is already huge.
MAX_DECK_BYTES = 100 * 1024 * 1024

_SEVERITY_ORDER = {Severity.BREAKS_RULE: 0, Severity.WARNING: 1, Severity.INFO: 2}

# What the review report tells a partner about each rule it cites (docs/rules.md, shortened).
# Translated where used, so a catalogue installed after import still applies.
RULE_SUMMARIES: dict[str, str] = {
    "DECK-1": (
        "Partner presentations use the chapter's PowerPoint template. A Paid Annual Chapter "
        "Sponsor (PRT-5) may use its own."
    ),
    "DECK-2": "At most one slide highlights the presenting company.",
    "DECK-3": (
        "Content is purely educational: no pricing, offers, discounts, “contact us”, calls to "
        "action or product pitches — in slides, tables, notes and hidden slides alike."
    ),
    "DECK-4": (
        "A deck does not showcase customers unless they are registered for the meeting (and, at "
        "the meeting, checked in). The chapter checks this itself and cannot tell you who is "
        "registered (ROS-2)."
    ),
    "DECK-5": (
        "A leader asks for the presentation; every version of the deck is checked, and the "
        "decision applies only to that exact file, identified by its SHA-256 fingerprint."
    ),
    "PRT-5": (
        "A Paid Annual Chapter Sponsor may present on its own template and may hand out material "
        "under its sponsorship."
    ),
    "MTG-8": (
        "Handouts or promotional items need a leader's approval in advance, or a paid "
        "sponsorship that covers them."
    ),
    "FILE": (
        "Observations about the file itself: macros, embedded media or objects, external links, "
        "hidden slides."
    ),
}

# ROS-2: a partner learns nothing of the roster from the report, not even "X is registered".
_DECK_4_FOR_PARTNERS = (
    "The deck names a customer organisation. Customers may be showcased only when they attend "
    "this meeting; the chapter confirms that, not the presenter."
)


class DuplicateVersion(RuleViolation):
    """The file is byte for byte a version the slot already has; ``existing`` is that one."""

    def __init__(self, existing: VersionRow) -> None:
        super().__init__(
            "DECK-5",
            _("This file is already version {n} of the slot (“{name}”, SHA-256 {sha}).").format(
                n=existing.number, name=existing.filename, sha=existing.short_sha
            ),
            _("Nothing was added: review version {n}, or add the changed file.").format(
                n=existing.number
            ),
        )
        self.existing = existing


@dataclass(frozen=True)
class DeckInputs:
    """Everything the checker needs about one version, read in one short transaction."""

    version_id: str
    chapter_id: str
    filename: str
    data: bytes
    company: str
    company_domain: str
    sponsor: bool  # PRT-5: Paid Annual Chapter Sponsor in the meeting's year
    template: bytes | None  # None: the checker's default chapter template
    customers: tuple[CustomerFacts, ...]


@dataclass(frozen=True)
class CheckOutcome:
    """The checker's report; ``refused`` holds its message when it could not read the file."""

    report: DeckReport
    refused: str = ""


# ------------------------------------------------------------------------------ loading


def _load_slot(session: Session, actor: Actor, slot_id: str) -> PresentationSlot:
    slot = session.get(PresentationSlot, slot_id)
    if slot is None or slot.deleted:
        raise NotFound(_("That presentation slot no longer exists."))
    require(actor, Action.REVIEW_DECKS, slot.chapter_id)
    return slot


def _load_version(
    session: Session, actor: Actor, version_id: str, *, with_content: bool = False
) -> DeckVersion:
    query = select(DeckVersion).where(DeckVersion.id == version_id)
    if not with_content:  # a version list must not pull every file into memory
        query = query.options(defer(DeckVersion.content))
    version = session.scalar(query)
    if version is None or version.deleted:
        raise NotFound(_("That deck version no longer exists."))
    require(actor, Action.REVIEW_DECKS, version.chapter_id)
    return version


def _load_finding(session: Session, actor: Actor, finding_id: str) -> DeckFinding:
    finding = session.get(DeckFinding, finding_id)
    if finding is None or finding.deleted:
        raise NotFound(_("That finding no longer applies: the deck was checked again."))
    require(actor, Action.REVIEW_DECKS, finding.chapter_id)
    return finding


def _is_sponsor(session: Session, organisation_id: str, year: int) -> bool:
    """PRT-5: a Paid Annual Chapter Sponsor for ``year``."""
    sponsor_year = session.scalar(
        select(PartnerProfile.annual_chapter_sponsor_year).where(
            PartnerProfile.organisation_id == organisation_id, PartnerProfile.deleted.is_(False)
        )
    )
    return sponsor_year == year


def company_domain(website: str) -> str:
    """The bare host of a website ("https://www.contoso.com/about" → "contoso.com"), which the
    DECK-2 check looks for in slide text and links."""
    text = website.strip().lower()
    if not text:
        return ""
    host = urlsplit(text if "//" in text else f"//{text}").hostname or ""
    return host.removeprefix("www.")


def _clean_filename(filename: str) -> str:
    """The file's own name: a dropped path ("C:\\Users\\…\\deck.pptx") keeps only its last part."""
    name = PureWindowsPath(PurePath(filename).name).name.strip()
    return name[:300] or "deck.pptx"


# ------------------------------------------------------------------------------ rows


def _finding_row(f: DeckFinding) -> FindingRow:
    return FindingRow(
        id=f.id,
        version_id=f.version_id,
        slide=f.slide,
        rule_id=f.rule_id,
        severity=f.severity,
        text=f.text,
        why=f.why,
        where=f.where,
        dismissed_reason=f.dismissed_reason,
        dismissed_by_name=f.dismissed_by_name,
        dismissed_at=f.dismissed_at,
    )


def _finding_key(slide: int, rule_id: str, where: str, text: str) -> tuple[int, str, str, str]:
    return (slide, rule_id, where, text)


def _sort_findings(rows: Iterable[FindingRow]) -> list[FindingRow]:
    return sorted(rows, key=lambda f: (f.slide, _SEVERITY_ORDER[f.severity], f.rule_id, f.text))


def _version_rows(session: Session, slot_ids: Sequence[str]) -> dict[str, list[VersionRow]]:
    """Every version of the slots, numbered in upload order, with check and decision facts;
    a handful of grouped queries whatever the number of versions."""
    if not slot_ids:
        return {}
    versions = list(
        session.scalars(
            select(DeckVersion)
            .options(defer(DeckVersion.content))
            .where(DeckVersion.slot_id.in_(slot_ids), DeckVersion.deleted.is_(False))
            .order_by(DeckVersion.uploaded_at, DeckVersion.id)
        )
    )
    ids = [v.id for v in versions]
    checked: dict[str, tuple[datetime | None, str]] = {}
    for version_id, at, refused in session.execute(
        select(DeckAnalysis.version_id, DeckAnalysis.analysed_at, DeckAnalysis.refused)
        .where(DeckAnalysis.version_id.in_(ids), DeckAnalysis.deleted.is_(False))
        .order_by(DeckAnalysis.analysed_at)
    ):
        checked[version_id] = (at, refused)
    counts: dict[tuple[str, Severity, bool], int] = {}
    for version_id, severity, dismissed, n in session.execute(
        select(
            DeckFinding.version_id,
            DeckFinding.severity,
            DeckFinding.dismissed_reason.is_not(None),
            func.count(),
        )
        .where(DeckFinding.version_id.in_(ids), DeckFinding.deleted.is_(False))
        .group_by(
            DeckFinding.version_id,
            DeckFinding.severity,
            DeckFinding.dismissed_reason.is_not(None),
        )
    ):
        counts[(version_id, severity, bool(dismissed))] = n
    deciders: dict[str, str] = {}
    for decided_id, name in session.execute(
        select(AuditEvent.entity_id, AuditEvent.actor_name)
        .where(
            AuditEvent.entity == "deck_versions",
            AuditEvent.action == "deck_version.decided",
            AuditEvent.entity_id.in_(ids),
        )
        .order_by(AuditEvent.at)
    ):
        if decided_id is not None:
            deciders[decided_id] = name
    out: dict[str, list[VersionRow]] = {slot_id: [] for slot_id in slot_ids}
    for v in versions:
        rows = out[v.slot_id]
        checked_at, refused = checked.get(v.id, (None, ""))
        rows.append(
            VersionRow(
                id=v.id,
                slot_id=v.slot_id,
                number=len(rows) + 1,
                filename=v.filename,
                sha256=v.sha256,
                size_bytes=v.size_bytes,
                uploaded_at=v.uploaded_at,
                decision=v.decision,
                decided_at=v.decided_at,
                decided_by_name=deciders.get(v.id, "") if v.decided_by else "",
                comment=v.decision_comment,
                checked_at=checked_at,
                refused=refused,
                open_breaking=counts.get((v.id, Severity.BREAKS_RULE, False), 0),
                open_warnings=counts.get((v.id, Severity.WARNING, False), 0),
                dismissed=sum(n for (vid, _s, d), n in counts.items() if vid == v.id and d),
            )
        )
    return out


def _version_row(session: Session, version: DeckVersion) -> VersionRow:
    return next(
        r for r in _version_rows(session, [version.slot_id])[version.slot_id] if r.id == version.id
    )


def _slot_rows(session: Session, slots: Sequence[PresentationSlot]) -> list[SlotRow]:
    versions = _version_rows(session, [s.id for s in slots])
    meetings = {
        m.id: m
        for m in session.scalars(
            select(Meeting).where(Meeting.id.in_({s.meeting_id for s in slots}))
        )
    }
    orgs = {
        o.id: o
        for o in session.scalars(
            select(Organisation).where(
                Organisation.id.in_({s.partner_organisation_id for s in slots})
            )
        )
    }
    speaker_ids = {s.speaker_person_id for s in slots if s.speaker_person_id}
    speakers = {
        p.id: f"{p.first_name} {p.last_name}"
        for p in session.scalars(select(Person).where(Person.id.in_(speaker_ids)))
    }
    rows = []
    for slot in slots:
        meeting = meetings[slot.meeting_id]
        mine = versions.get(slot.id, [])
        rows.append(
            SlotRow(
                id=slot.id,
                meeting_id=meeting.id,
                meeting_title=meeting.title,
                meeting_starts_at=meeting.starts_at,
                topic=slot.topic,
                partner_organisation_id=slot.partner_organisation_id,
                partner_name=orgs[slot.partner_organisation_id].name,
                speaker_person_id=slot.speaker_person_id,
                speaker_name=speakers.get(slot.speaker_person_id or "", ""),
                sponsor=_is_sponsor(session, slot.partner_organisation_id, meeting.starts_at.year),
                handouts_approved=slot.handouts_approved,
                versions=len(mine),
                latest=mine[-1] if mine else None,
            )
        )
    return rows


# ------------------------------------------------------------------------------ slots


def presenter_choices(session: Session, actor: Actor, chapter_id: str) -> list[PresenterChoice]:
    """The partner companies a leader may ask to present, with their people as speakers;
    excluded organisations (ORG-4) are never offered."""
    require(actor, Action.REVIEW_DECKS, chapter_id)
    year = datetime.now().year
    orgs = list(
        session.scalars(
            select(Organisation)
            .where(
                Organisation.chapter_id == chapter_id,
                Organisation.category == OrgCategory.PARTNER,
                Organisation.excluded_kind.is_(None),
                Organisation.deleted.is_(False),
            )
            .order_by(Organisation.name)
        )
    )
    people: dict[str, list[tuple[str, str]]] = {}
    for p in session.scalars(
        select(Person)
        .where(Person.organisation_id.in_([o.id for o in orgs]), Person.deleted.is_(False))
        .order_by(Person.last_name, Person.first_name)
    ):
        people.setdefault(p.organisation_id, []).append((p.id, f"{p.first_name} {p.last_name}"))
    return [
        PresenterChoice(o.id, o.name, _is_sponsor(session, o.id, year), tuple(people.get(o.id, [])))
        for o in orgs
    ]


def _check_presenter(session: Session, meeting: Meeting, organisation_id: str) -> Organisation:
    """DECK-5 asks a *partner* to present: the company must be a partner of this chapter that
    may take part at all (ORG-1, ORG-4), at a meeting that welcomes partners (MTG-1)."""
    org = session.get(Organisation, organisation_id)
    if org is None or org.deleted or org.chapter_id != meeting.chapter_id:
        raise NotFound(_("That company is not known to this chapter."))
    if org.excluded_kind is not None:
        raise RuleViolation(
            "ORG-4",
            _(
                "{org} is an excluded organisation ({kind}) and can never take part as a partner."
            ).format(org=org.name, kind=org.excluded_kind.value.replace("_", " ")),
            _("Ask a partner company that is not excluded."),
        )
    check_partner_in_good_standing(session, org.id, "present at meetings")
    if org.category is not OrgCategory.PARTNER:
        raise RuleViolation(
            "ORG-1",
            _(
                "{org} is a {category} organisation; presentation slots are for partner companies."
            ).format(org=org.name, category=org.category.value),
            _("Pick a partner company; a customer's own talk needs no deck review."),
        )
    if meeting.cancelled:
        raise RuleViolation(
            "DECK-5",
            _("{title} is cancelled.").format(title=meeting.title),
            _("Pick a meeting that takes place."),
        )
    if not (meeting.partners_welcome or meeting.partner_exclusive):
        raise RuleViolation(
            "MTG-1",
            _("{title} does not welcome partners, so {org} cannot present there.").format(
                title=meeting.title, org=org.name
            ),
            _("Mark the meeting as welcoming partners first, or pick another meeting."),
        )
    return org


def create_slot(
    session: Session,
    actor: Actor,
    meeting_id: str,
    topic: str,
    partner_organisation_id: str,
    speaker_person_id: str | None = None,
) -> str:
    """DECK-5: a leader asks a partner company to present ``topic`` at a meeting."""
    meeting = load_meeting(session, actor, meeting_id, Action.REVIEW_DECKS)
    topic = " ".join(topic.split())
    if not topic:
        raise RuleViolation(
            "DECK-5",
            _("A presentation slot needs a topic."),
            _("Type the topic you asked the partner to present."),
        )
    org = _check_presenter(session, meeting, partner_organisation_id)
    if speaker_person_id is not None:
        speaker = session.get(Person, speaker_person_id)
        if speaker is None or speaker.deleted or speaker.chapter_id != meeting.chapter_id:
            raise NotFound(_("That speaker is not on this chapter's roster."))
        if speaker.organisation_id != org.id:
            raise RuleViolation(
                "ORG-1",
                _("{name} does not work for {org}.").format(
                    name=f"{speaker.first_name} {speaker.last_name}", org=org.name
                ),
                _("Pick a speaker from {org}, or leave the speaker empty.").format(org=org.name),
            )
    slot = PresentationSlot(
        chapter_id=meeting.chapter_id,
        meeting_id=meeting.id,
        topic=topic[:300],
        partner_organisation_id=org.id,
        speaker_person_id=speaker_person_id,
        requested_by=actor.account_id,
    )
    session.add(slot)
    session.flush()
    record_row(
        session,
        actor,
        slot,
        (
            "meeting_id",
            "topic",
            "partner_organisation_id",
            "speaker_person_id",
            "requested_by",
            "handouts_approved",
        ),
        action="presentation_slot.created",
        details={"meeting": meeting.title, "partner": org.name, "topic": slot.topic},
    )
    return slot.id


def list_slots(session: Session, actor: Actor, meeting_id: str) -> list[SlotRow]:
    """The meeting's presentation slots, each with its newest version and decision."""
    load_meeting(session, actor, meeting_id, Action.REVIEW_DECKS)
    slots = list(
        session.scalars(
            select(PresentationSlot)
            .where(PresentationSlot.meeting_id == meeting_id, PresentationSlot.deleted.is_(False))
            .order_by(PresentationSlot.topic)
        )
    )
    return _slot_rows(session, slots)


def chapter_slots(
    session: Session, actor: Actor, chapter_id: str, *, now: datetime | None = None
) -> list[SlotRow]:
    """Slots of the chapter's meetings that have not ended and are not cancelled, soonest
    first: the Decks page's work list."""
    require(actor, Action.REVIEW_DECKS, chapter_id)
    slots = list(
        session.scalars(
            select(PresentationSlot)
            .join(Meeting, Meeting.id == PresentationSlot.meeting_id)
            .where(
                PresentationSlot.chapter_id == chapter_id,
                PresentationSlot.deleted.is_(False),
                Meeting.deleted.is_(False),
                Meeting.cancelled.is_(False),
                Meeting.ends_at >= (now or datetime.now()),
            )
            .order_by(Meeting.starts_at, PresentationSlot.topic)
        )
    )
    return _slot_rows(session, slots)


def set_handouts(session: Session, actor: Actor, slot_id: str, approved: bool) -> SlotRow:
    """MTG-8: record whether the leader approved the slot's handouts or promotional items."""
    slot = _load_slot(session, actor, slot_id)
    if slot.handouts_approved != approved:
        slot.handouts_approved = approved
        record_change(
            session,
            actor,
            chapter_id=slot.chapter_id,
            entity="presentation_slots",
            entity_id=slot.id,
            fields={"handouts_approved": approved},
            action="presentation_slot.handouts_approved"
            if approved
            else "presentation_slot.handouts_withdrawn",
            details={"topic": slot.topic, "rule": "MTG-8"},
        )
    return _slot_rows(session, [slot])[0]


# ------------------------------------------------------------------------------ versions


def list_versions(session: Session, actor: Actor, slot_id: str) -> list[VersionRow]:
    """Every file received for the slot, oldest first; older versions keep their decisions."""
    slot = _load_slot(session, actor, slot_id)
    return _version_rows(session, [slot.id])[slot.id]


def check_deck_size(filename: str, size: int) -> None:
    """Refuse an empty file, or one larger than any deck worth storing, before it is read."""
    if size == 0:
        raise RuleViolation(
            "DECK-5",
            _("“{name}” is empty.").format(name=filename),
            _("Add the deck file the partner sent."),
        )
    if size > MAX_DECK_BYTES:
        raise RuleViolation(
            "DECK-5",
            _("“{name}” is {size} MB; decks over {limit} MB are not stored.").format(
                name=filename, size=size // (1024 * 1024), limit=MAX_DECK_BYTES // (1024 * 1024)
            ),
            _("Ask the partner for a smaller file (PowerPoint can compress its pictures)."),
        )


def add_version(
    session: Session, actor: Actor, slot_id: str, filename: str, data: bytes
) -> VersionRow:
    """Store a file the partner sent as the slot's next version, with its SHA-256 (DECK-5).

    The same bytes twice are refused with :class:`DuplicateVersion` naming the version they
    already are. The file content is not put in the outbox patch: it is large and is identified
    by its hash, so sync moves it on its own."""
    slot = _load_slot(session, actor, slot_id)
    check_partner_in_good_standing(session, slot.partner_organisation_id, "submit decks")
    name = _clean_filename(filename)
    check_deck_size(name, len(data))
    sha = hashlib.sha256(data).hexdigest()
    existing = session.scalar(
        select(DeckVersion)
        .options(defer(DeckVersion.content))
        .where(DeckVersion.slot_id == slot.id, DeckVersion.sha256 == sha)
    )
    if existing is not None and not existing.deleted:
        raise DuplicateVersion(_version_row(session, existing))
    if existing is not None:  # a removed version sent again: (slot, sha256) is unique
        existing.deleted = False
        record_change(
            session,
            actor,
            chapter_id=slot.chapter_id,
            entity="deck_versions",
            entity_id=existing.id,
            fields={"deleted": False},
            action="deck_version.added_again",
            details={"topic": slot.topic, "filename": existing.filename, "sha256": sha},
        )
        session.flush()
        return _version_row(session, existing)
    version = DeckVersion(
        chapter_id=slot.chapter_id,
        slot_id=slot.id,
        filename=name,
        sha256=sha,
        size_bytes=len(data),
        content=data,
    )
    session.add(version)
    session.flush()
    row = _version_row(session, version)
    record_row(
        session,
        actor,
        version,
        ("slot_id", "filename", "sha256", "size_bytes", "uploaded_at", "decision"),
        action="deck_version.added",
        details={"topic": slot.topic, "filename": name, "sha256": sha, "version": row.number},
    )
    return row


# ------------------------------------------------------------------------------ checks


def _checked_in(session: Session, meeting_id: str) -> set[str]:
    """Registrations of the meeting checked in right now, derived from the door's events."""
    events = [
        CheckInEventFacts(
            e.id, e.registration_id, e.kind, e.hlc, e.device_id, e.at, e.undoes_event_id
        )
        for e in session.scalars(
            select(CheckInEvent)
            .join(Registration, Registration.id == CheckInEvent.registration_id)
            .where(Registration.meeting_id == meeting_id, CheckInEvent.deleted.is_(False))
        )
    ]
    return {rid for rid, p in presences(events).items() if p.checked_in}


def _customers(session: Session, meeting: Meeting) -> tuple[CustomerFacts, ...]:
    """The chapter's customer organisations and whether each is registered for (and checked in
    to) the meeting, by the organisation people had when they registered (DECK-4)."""
    orgs = session.scalars(
        select(Organisation).where(
            Organisation.chapter_id == meeting.chapter_id,
            Organisation.category == OrgCategory.CUSTOMER,
            Organisation.deleted.is_(False),
        )
    )
    registered: dict[str, list[str]] = {}
    for reg_id, org_id in session.execute(
        select(Registration.id, Registration.organisation_id).where(
            Registration.meeting_id == meeting.id,
            Registration.status == RegistrationStatus.REGISTERED,
            Registration.deleted.is_(False),
        )
    ):
        registered.setdefault(org_id, []).append(reg_id)
    present = _checked_in(session, meeting.id)
    return tuple(
        CustomerFacts(
            name=o.name,
            registered=o.id in registered,
            checked_in=any(rid in present for rid in registered.get(o.id, [])),
        )
        for o in orgs
    )


def analysis_inputs(session: Session, actor: Actor, version_id: str) -> DeckInputs:
    """Step 1 of a check: the file and the facts the DECK rules need, in one short read."""
    version = _load_version(session, actor, version_id, with_content=True)
    slot = _load_slot(session, actor, version.slot_id)
    meeting = load_meeting(session, actor, slot.meeting_id, Action.REVIEW_DECKS)
    org = session.get(Organisation, slot.partner_organisation_id)
    assert org is not None  # a foreign key, and organisations are tombstoned, not removed
    return DeckInputs(
        version_id=version.id,
        chapter_id=version.chapter_id,
        filename=version.filename,
        data=version.content,
        company=org.name,
        company_domain=company_domain(org.website),
        sponsor=_is_sponsor(session, org.id, meeting.starts_at.year),
        # The chapter's own template (DECK-1), or None: the checker's default chapter template.
        template=_template_bytes(session, version.chapter_id),
        customers=_customers(session, meeting),
    )


def _template_bytes(session: Session, chapter_id: str) -> bytes | None:
    from chapterdesk.services.templates import template_of

    found = template_of(session, chapter_id)
    return found[1] if found is not None else None


def run_checks(inputs: DeckInputs) -> CheckOutcome:
    """Step 2: run the deck checker, with no session open (it can take seconds).

    A file the checker refuses (not a PowerPoint 2007+ deck, too big, a zip bomb …) becomes one
    DECK-5 finding that breaks the rule: the deck was not checked, so it cannot be approved
    until a leader has looked at it and dismissed that finding with a reason."""
    from chapterdesk.decks import DeckRefused, check_deck  # pptx and lxml: only when needed

    try:
        report = check_deck(
            inputs.data,
            inputs.filename,
            company=inputs.company,
            company_domain=inputs.company_domain,
            template=inputs.template,
            sponsor=inputs.sponsor,
            customers=inputs.customers,
        )
    except DeckRefused as refused:
        message = str(refused)
        finding = Finding(
            slide=0,
            rule_id="DECK-5",
            severity=Severity.BREAKS_RULE,
            text=message,
            why=_(
                "ChapterDesk could not check this file, so no rule was checked automatically; "
                "ask the partner for the deck as a .pptx file."
            ),
            where="file",
        )
        sha = hashlib.sha256(inputs.data).hexdigest()
        return CheckOutcome(DeckReport(sha, inputs.filename, [], [finding]), message)
    return CheckOutcome(report)


def _outline(slides: Iterable[SlideText]) -> list[dict[str, Any]]:
    return [
        {
            "number": s.number,
            "title": s.title,
            "body": list(s.body),
            "notes": s.notes,
            "hidden": s.hidden,
            "layout": s.layout,
        }
        for s in slides
    ]


def record_analysis(
    session: Session, actor: Actor, inputs: DeckInputs, outcome: CheckOutcome
) -> list[FindingRow]:
    """Step 3: store the run and merge its findings into the version's findings.

    A finding seen before (same slide, rule, place and text) keeps its row and its dismissal;
    one no longer found is tombstoned; one found again comes back with its old dismissal."""
    version = _load_version(session, actor, inputs.version_id)
    report = outcome.report
    analysis = DeckAnalysis(
        chapter_id=version.chapter_id,
        version_id=version.id,
        analysed_by=actor.account_id,
        slide_count=len(report.slides),
        outline=_outline(report.slides),
        refused=outcome.refused,
        sponsor=inputs.sponsor,
    )
    session.add(analysis)
    session.flush()
    fresh: dict[tuple[int, str, str, str], Finding] = {}
    for f in sorted(report.findings, key=lambda f: _SEVERITY_ORDER[f.severity]):
        fresh.setdefault(_finding_key(f.slide, f.rule_id, f.where, f.text), f)
    stored: dict[tuple[int, str, str, str], DeckFinding] = {}
    extra: list[DeckFinding] = []  # the same finding stored twice (two laptops checked at once)
    for row in session.scalars(
        select(DeckFinding)
        .where(DeckFinding.version_id == version.id)
        .order_by(DeckFinding.dismissed_reason.is_(None), DeckFinding.id)  # dismissed ones win
    ):
        key = _finding_key(row.slide, row.rule_id, row.where, row.text)
        if key in stored:
            extra.append(row)
        else:
            stored[key] = row
    current: list[DeckFinding] = []
    for key, f in fresh.items():
        row = stored.get(key) or _new_finding(session, actor, version, f)
        changes: dict[str, Any] = {}
        if row.deleted:
            changes["deleted"] = False
        if row.severity is not f.severity:
            changes["severity"] = f.severity
        if row.why != f.why:
            changes["why"] = f.why
        if changes:
            _finding_changed(session, actor, row, "deck_finding.found_again", **changes)
        current.append(row)
    for row in [row for key, row in stored.items() if key not in fresh] + extra:
        if not row.deleted:
            _finding_changed(session, actor, row, "deck_finding.gone", deleted=True)
    rows = _sort_findings(_finding_row(r) for r in current)
    record_row(
        session,
        actor,
        analysis,
        ("version_id", "analysed_at", "analysed_by", "slide_count", "refused", "sponsor"),
        action="deck_version.checked",
        details={
            "filename": version.filename,
            "sha256": version.sha256,
            "breaking": sum(r.blocks_approval for r in rows),
            "findings": len(rows),
            "refused": outcome.refused,
        },
    )
    return rows


def _new_finding(session: Session, actor: Actor, version: DeckVersion, f: Finding) -> DeckFinding:
    row = DeckFinding(
        chapter_id=version.chapter_id,
        version_id=version.id,
        slide=f.slide,
        rule_id=f.rule_id,
        severity=f.severity,
        text=f.text,
        why=f.why,
        where=f.where,
        deleted=False,
    )
    session.add(row)
    session.flush()
    fields = ("version_id", "slide", "rule_id", "severity", "text", "why", "where")
    _finding_changed(
        session, actor, row, "deck_finding.found", **{n: getattr(row, n) for n in fields}
    )
    return row


def _finding_changed(
    session: Session, actor: Actor, row: DeckFinding, action: str, **fields: Any
) -> None:
    for name, value in fields.items():
        setattr(row, name, value)
    record_change(
        session,
        actor,
        chapter_id=row.chapter_id,
        entity="deck_findings",
        entity_id=row.id,
        fields=fields,
        action=action,
        details={"rule": row.rule_id, "slide": row.slide},
    )


def analyse_version(session: Session, actor: Actor, version_id: str) -> DeckReport:
    """Check one version against the DECK rules and store its findings, in one session.

    Long work: the UI calls it (or :meth:`Desk.analyse_deck`, which splits it into two short
    transactions) from a worker thread."""
    inputs = analysis_inputs(session, actor, version_id)
    outcome = run_checks(inputs)
    record_analysis(session, actor, inputs, outcome)
    return outcome.report


def list_findings(session: Session, actor: Actor, version_id: str) -> list[FindingRow]:
    """The version's current findings by slide, broken rules first within a slide."""
    version = _load_version(session, actor, version_id)
    return _sort_findings(
        _finding_row(f)
        for f in session.scalars(
            select(DeckFinding).where(
                DeckFinding.version_id == version.id, DeckFinding.deleted.is_(False)
            )
        )
    )


def outline(session: Session, actor: Actor, version_id: str) -> list[SlideText]:
    """The slide texts of the version's latest check (empty before the first check)."""
    version = _load_version(session, actor, version_id)
    stored = session.scalar(
        select(DeckAnalysis.outline)
        .where(DeckAnalysis.version_id == version.id, DeckAnalysis.deleted.is_(False))
        .order_by(DeckAnalysis.analysed_at.desc())
        .limit(1)
    )
    return [
        SlideText(
            number=int(s["number"]),
            title=str(s["title"]),
            body=[str(line) for line in s["body"]],
            notes=str(s["notes"]),
            hidden=bool(s["hidden"]),
            layout=str(s["layout"]),
        )
        for s in stored or []
    ]


def dismiss_finding(session: Session, actor: Actor, finding_id: str, reason: str) -> FindingRow:
    """A leader sets a finding aside; the reason is required and printed on the review report."""
    finding = _load_finding(session, actor, finding_id)
    reason = " ".join(reason.split())
    if not reason:
        raise RuleViolation(
            "DECK-5",
            _("A finding is dismissed only with a reason."),
            _("Say why it does not apply; the partner sees it on the review report."),
        )
    _finding_changed(
        session,
        actor,
        finding,
        "deck_finding.dismissed",
        dismissed_reason=reason,
        dismissed_by=actor.account_id,
        dismissed_by_name=actor.display_name,
        dismissed_at=datetime.now(UTC),
    )
    return _finding_row(finding)


def restore_finding(session: Session, actor: Actor, finding_id: str) -> FindingRow:
    """Take a dismissal back. Refused for a broken rule on an approved version: the approval
    rested on that dismissal."""
    finding = _load_finding(session, actor, finding_id)
    if finding.dismissed_reason is None:
        return _finding_row(finding)
    version = _load_version(session, actor, finding.version_id)
    if finding.severity is Severity.BREAKS_RULE and version.decision is DeckDecision.APPROVED:
        raise RuleViolation(
            "DECK-5",
            _("“{name}” was approved with this finding dismissed.").format(name=version.filename),
            _("Ask for changes first, then restore the finding."),
        )
    _finding_changed(
        session,
        actor,
        finding,
        "deck_finding.restored",
        dismissed_reason=None,
        dismissed_by=None,
        dismissed_by_name="",
        dismissed_at=None,
    )
    return _finding_row(finding)


# ------------------------------------------------------------------------------ decisions


def _check_may_approve(session: Session, row: VersionRow) -> None:
    """DECK-5: only a checked version with no broken rule left standing can be approved."""
    if not row.checked:
        raise RuleViolation(
            "DECK-5",
            _("Version {n} (“{name}”) has not been checked yet.").format(
                n=row.number, name=row.filename
            ),
            _("Run the checks first, then decide."),
        )
    blocking = [
        f
        for f in _sort_findings(
            _finding_row(f)
            for f in session.scalars(
                select(DeckFinding).where(
                    DeckFinding.version_id == row.id, DeckFinding.deleted.is_(False)
                )
            )
        )
        if f.blocks_approval
    ]
    if not blocking:
        return
    rules = list(dict.fromkeys(f.rule_id for f in blocking))
    examples = "; ".join(
        _("slide {slide}: {rule} “{text}”").format(slide=f.slide, rule=f.rule_id, text=f.text)
        if f.slide
        else _("{rule} “{text}”").format(rule=f.rule_id, text=f.text)
        for f in blocking[:3]
    )
    more = len(blocking) - 3
    raise RuleViolation(
        rules[0],
        _("Version {n} (“{name}”) still breaks {rules}: {examples}{more}.").format(
            n=row.number,
            name=row.filename,
            rules=", ".join(rules),
            examples=examples,
            more=_(" and {n} more").format(n=more) if more > 0 else "",
        ),
        _("Dismiss each finding with a reason, or ask for changes."),
    )


def decide(
    session: Session, actor: Actor, version_id: str, decision: DeckDecision, comment: str
) -> VersionRow:
    """Approve, ask for changes or reject one exact version (its SHA-256 is recorded with the
    decision); other versions keep theirs, and a new version starts pending (DECK-5)."""
    version = _load_version(session, actor, version_id)
    row = _version_row(session, version)
    comment = comment.strip()
    if decision is DeckDecision.PENDING:
        raise RuleViolation(
            "DECK-5",
            _("“Pending” is not a decision."),
            _("Approve, ask for changes, or reject."),
        )
    if decision is not DeckDecision.APPROVED and not comment:
        raise RuleViolation(
            "DECK-5",
            _("Asking for changes or rejecting needs a comment the partner can act on."),
            _("Say what has to change, or why the deck is rejected."),
        )
    if decision is DeckDecision.APPROVED:
        _check_may_approve(session, row)
    previous = version.decision
    version.decision = decision
    version.decided_by = actor.account_id
    version.decided_at = datetime.now(UTC)
    version.decision_comment = comment
    record_change(
        session,
        actor,
        chapter_id=version.chapter_id,
        entity="deck_versions",
        entity_id=version.id,
        fields={
            "decision": decision,
            "decided_by": version.decided_by,
            "decided_at": version.decided_at,
            "decision_comment": comment,
        },
        action="deck_version.decided",
        details={
            "decision": decision,
            "previous": previous,
            "sha256": version.sha256,
            "filename": version.filename,
            "version": row.number,
        },
    )
    session.flush()
    return _version_row(session, version)


# ------------------------------------------------------------------------------ report


def _for_partner(finding: FindingRow) -> FindingRow | None:
    """ROS-2: the partner learns nothing of the roster from the report. The checker's DECK-4
    wording says who is or is not registered, so it is replaced; and only DECK-4 findings that
    break the rule are kept — the others exist *because* a customer is registered."""
    if finding.rule_id != "DECK-4":
        return finding
    if finding.severity is not Severity.BREAKS_RULE:
        return None
    return dataclasses.replace(finding, why=_(_DECK_4_FOR_PARTNERS))


def review_data(session: Session, actor: Actor, version_id: str) -> ReviewData:
    """What the review report for the partner says about one version: the decision, the
    leader's comments, the findings by slide and the rules they cite."""
    version = _load_version(session, actor, version_id)
    slot = _load_slot(session, actor, version.slot_id)
    meeting = load_meeting(session, actor, slot.meeting_id, Action.REVIEW_DECKS)
    chapter = session.get(Chapter, slot.chapter_id)
    slot_row = _slot_rows(session, [slot])[0]
    rows = _version_rows(session, [slot.id])[slot.id]
    row = next(r for r in rows if r.id == version.id)
    findings = [
        f for f in map(_for_partner, list_findings(session, actor, version.id)) if f is not None
    ]
    titles = {s.number: s.title for s in outline(session, actor, version.id)}
    cited = {f.rule_id for f in findings} | {"DECK-5", "MTG-8"}
    if slot_row.sponsor:
        cited.add("PRT-5")
    return ReviewData(
        chapter_name=chapter.name if chapter else "",
        meeting_title=meeting.title,
        meeting_date=meeting.starts_at.strftime("%A %d %B %Y, %H:%M"),
        topic=slot.topic,
        partner_name=slot_row.partner_name,
        speaker_name=slot_row.speaker_name,
        sponsor=slot_row.sponsor,
        handouts_allowed=slot_row.handouts_allowed,
        filename=version.filename,
        sha256=version.sha256,
        version_number=row.number,
        version_count=len(rows),
        uploaded_at=version.uploaded_at,
        decision=version.decision,
        decided_by_name=row.decided_by_name,
        decided_at=version.decided_at,
        comment=version.decision_comment,
        checked_at=row.checked_at,
        refused=row.refused,
        findings=tuple(findings),
        slide_titles=titles,
        rules=tuple(
            (rule, _(RULE_SUMMARIES[rule]) if rule in RULE_SUMMARIES else "")
            for rule in sorted(cited, key=_rule_order)
        ),
    )


def _rule_order(rule_id: str) -> tuple[int, str]:
    order = list(RULE_SUMMARIES)
    return (order.index(rule_id) if rule_id in order else len(order), rule_id)
