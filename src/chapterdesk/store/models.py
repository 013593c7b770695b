"""SQLAlchemy models for the domain of ``docs/rules.md``.

Every synced table has a UUID primary key made where the row is born, a ``chapter_id`` scope
(communities are global reference data), an HLC ``updated_at`` and a ``deleted`` tombstone, so
that the sync engine can move any row without reshaping it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from chapterdesk.domain.decks import Severity
from chapterdesk.domain.enums import (
    ApplicationStatus,
    BenefitKind,
    CheckInKind,
    ContributionKind,
    DeckDecision,
    ExcludedKind,
    IncidentStatus,
    JobRole,
    Membership,
    OrgCategory,
    PartnerKind,
    RegistrationRole,
    RegistrationStatus,
    Role,
)
from chapterdesk.store.types import UTCDateTime, enum_column, new_id, utc_now

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

HLC_LENGTH = 64


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Synced:
    """Columns every replicated row carries."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    updated_at: Mapped[str] = mapped_column(String(HLC_LENGTH), default="")
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class ChapterScoped(Synced):
    """A row that belongs to one chapter; the sync scope and the permission boundary."""

    chapter_id: Mapped[str] = mapped_column(String(36), ForeignKey("chapters.id"), index=True)


class Community(Synced, Base):
    """One product user group (AXUG, CRMUG, GPUG, NAVUG …)."""

    __tablename__ = "communities"
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class Chapter(Synced, Base):
    """A local group of one community; holds the chapter settings the rules refer to."""

    __tablename__ = "chapters"
    community_id: Mapped[str] = mapped_column(ForeignKey("communities.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(200), default="")
    max_partner_attendees: Mapped[int] = mapped_column(Integer, default=2)  # MTG-5
    max_escorted_companies: Mapped[int] = mapped_column(Integer, default=1)  # ESC-5
    idle_lock_minutes: Mapped[int] = mapped_column(Integer, default=10)
    retention_months: Mapped[int] = mapped_column(Integer, default=36)
    template_sha256: Mapped[str | None] = mapped_column(String(64), default=None)  # DECK-1
    # PRT-7: points per contribution kind for the partner-recognition report ({} = defaults).
    contribution_points: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)


class ChapterTemplate(ChapterScoped, Base):
    """A chapter's PowerPoint template (DECK-1), each file kept once by its hash; the chapter's
    ``template_sha256`` names the one in force (none: ChapterDesk's default template)."""

    __tablename__ = "chapter_templates"
    filename: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    uploaded_by: Mapped[str] = mapped_column(String(36))


class Organisation(ChapterScoped, Base):
    """ORG-1…4: category decides people's category; ``excluded_kind`` bars partnership."""

    __tablename__ = "organisations"
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[OrgCategory] = mapped_column(enum_column(OrgCategory))
    uses_dynamics: Mapped[bool] = mapped_column(Boolean, default=False)  # ORG-2
    excluded_kind: Mapped[ExcludedKind | None] = mapped_column(
        enum_column(ExcludedKind), default=None
    )
    website: Mapped[str] = mapped_column(String(200), default="")
    __table_args__ = (Index(None, "chapter_id", "name"),)


class Person(ChapterScoped, Base):
    """A person on the chapter's roster; contact fields are confidential (ROS-1)."""

    __tablename__ = "people"
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    job_title: Mapped[str] = mapped_column(String(200), default="")
    job_role: Mapped[JobRole] = mapped_column(enum_column(JobRole), default=JobRole.OTHER)
    membership: Mapped[Membership] = mapped_column(enum_column(Membership), default=Membership.NONE)
    member_since: Mapped[date | None] = mapped_column(Date, default=None)
    renewal_date: Mapped[date | None] = mapped_column(Date, default=None)
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    consent_email: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Lower-cased, accent-free "name company email" for search as you type.
    search_text: Mapped[str] = mapped_column(String(600), default="")
    __table_args__ = (Index(None, "chapter_id", "last_name", "first_name"),)


class Meeting(ChapterScoped, Base):
    """One chapter meeting. Times are wall-clock times at the venue."""

    __tablename__ = "meetings"
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    venue: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    capacity: Mapped[int] = mapped_column(Integer, default=40)  # MTG-3
    partners_welcome: Mapped[bool] = mapped_column(Boolean, default=False)  # MTG-1
    partner_exclusive: Mapped[bool] = mapped_column(Boolean, default=False)  # MTG-7
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    agenda: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (Index(None, "chapter_id", "starts_at"),)


class Registration(ChapterScoped, Base):
    """A person's place at a meeting. Cancelled, never deleted (ESC-4)."""

    __tablename__ = "registrations"
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id"))
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    # The organisation the person had when registering; later moves do not rewrite history.
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    category: Mapped[OrgCategory] = mapped_column(enum_column(OrgCategory))
    role: Mapped[RegistrationRole] = mapped_column(
        enum_column(RegistrationRole), default=RegistrationRole.ATTENDEE
    )
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_column(RegistrationStatus), default=RegistrationStatus.REGISTERED
    )
    # ESC-1: a partner names the customer registration that escorts them.
    escort_registration_id: Mapped[str | None] = mapped_column(
        ForeignKey("registrations.id"), default=None, index=True
    )
    company_slot: Mapped[int | None] = mapped_column(Integer, default=None)  # MTG-5
    waitlist_position: Mapped[int | None] = mapped_column(Integer, default=None)  # MTG-3
    code: Mapped[str] = mapped_column(String(32), unique=True)  # printed as QR on the badge
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    approved_by: Mapped[str | None] = mapped_column(String(36), default=None)  # MTG-4
    # Kept when check-in detail is purged after the retention period (ROS-1): whether the
    # person came, without the when, where and by whom.
    attended: Mapped[bool | None] = mapped_column(Boolean, default=None)
    # Set when a later change made this registration doubtful (its company became excluded,
    # ORG-4; its person moved to a partner, ESC-1; a merge left it a duplicate): the rule id
    # and why, until a leader clears it. Flagged, never silently deleted.
    flag_rule: Mapped[str] = mapped_column(String(16), default="")
    flag_note: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (
        Index(None, "meeting_id", "status"),
        UniqueConstraint("meeting_id", "person_id"),
    )


class CheckInEvent(ChapterScoped, Base):
    """Append-only: in, out or undo; two laptops checking in one person never conflict."""

    __tablename__ = "check_in_events"
    registration_id: Mapped[str] = mapped_column(ForeignKey("registrations.id"), index=True)
    kind: Mapped[CheckInKind] = mapped_column(enum_column(CheckInKind))
    undoes_event_id: Mapped[str | None] = mapped_column(
        ForeignKey("check_in_events.id"), default=None
    )
    device_id: Mapped[str] = mapped_column(String(36))
    hlc: Mapped[str] = mapped_column(String(HLC_LENGTH))
    actor_id: Mapped[str] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class PartnerProfile(ChapterScoped, Base):
    """What the chapter knows of a partner company (PRT-1, PRT-2, PRT-5)."""

    __tablename__ = "partner_profiles"
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), unique=True)
    kind: Mapped[PartnerKind] = mapped_column(enum_column(PartnerKind))
    mspp_certified: Mapped[bool] = mapped_column(Boolean, default=False)
    cfmd_certified: Mapped[bool] = mapped_column(Boolean, default=False)
    certified_consultants: Mapped[int] = mapped_column(Integer, default=0)
    annual_chapter_sponsor_year: Mapped[int | None] = mapped_column(Integer, default=None)
    code_of_conduct_signed_on: Mapped[date | None] = mapped_column(Date, default=None)
    # PRT-4: the company's public contact for the directory (an address or a phone line of the
    # company, never a member's).
    public_contact: Mapped[str] = mapped_column(String(200), default="")


class PartnerApplication(ChapterScoped, Base):
    """A Community Partner application moving through PRT-3."""

    __tablename__ = "partner_applications"
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[PartnerKind] = mapped_column(enum_column(PartnerKind))
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column(ApplicationStatus), default=ApplicationStatus.SUBMITTED
    )
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    fee_paid_on: Mapped[date | None] = mapped_column(Date, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")
    # PRT-2: an ISV may be nominated by an existing customer member instead of CfMD.
    nominated_by_person_id: Mapped[str | None] = mapped_column(
        ForeignKey("people.id"), default=None
    )


class PartnerApplicationEvent(ChapterScoped, Base):
    """One step of an application (PRT-3): who took it, when and why. Never edited."""

    __tablename__ = "partner_application_events"
    application_id: Mapped[str] = mapped_column(ForeignKey("partner_applications.id"), index=True)
    from_status: Mapped[ApplicationStatus | None] = mapped_column(
        enum_column(ApplicationStatus), default=None
    )
    to_status: Mapped[ApplicationStatus] = mapped_column(enum_column(ApplicationStatus))
    actor_id: Mapped[str] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    reason: Mapped[str] = mapped_column(Text, default="")


class PartnerImplementation(ChapterScoped, Base):
    """A documented implementation a partner names as a reference (PRT-1, PRT-2)."""

    __tablename__ = "partner_implementations"
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    customer_organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    description: Mapped[str] = mapped_column(String(300), default="")
    completed_on: Mapped[date | None] = mapped_column(Date, default=None)
    positive_reference: Mapped[bool] = mapped_column(Boolean, default=False)


class ConductIncident(ChapterScoped, Base):
    """A reported breach of the Code of Conduct (CND-1, CND-2), its review and outcome."""

    __tablename__ = "conduct_incidents"
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    meeting_id: Mapped[str | None] = mapped_column(ForeignKey("meetings.id"), default=None)
    occurred_on: Mapped[date] = mapped_column(Date)
    reported_by: Mapped[str] = mapped_column(String(200))
    rule_id: Mapped[str] = mapped_column(String(16), default="CND-1")
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[IncidentStatus] = mapped_column(
        enum_column(IncidentStatus), default=IncidentStatus.OPEN
    )
    outcome: Mapped[str] = mapped_column(Text, default="")
    reviewed_by: Mapped[str | None] = mapped_column(String(36), default=None)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class PartnerBenefit(ChapterScoped, Base):
    """A benefit a partner received in a year (PRT-4)."""

    __tablename__ = "partner_benefits"
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[BenefitKind] = mapped_column(enum_column(BenefitKind))
    held_on: Mapped[date | None] = mapped_column(Date, default=None)
    note: Mapped[str] = mapped_column(String(300), default="")


class PartnerContribution(ChapterScoped, Base):
    """What a partner gave the chapter (PRT-7, seed 002). Presentations of approved decks are
    counted from the decks themselves; these are the rest, recorded by leaders."""

    __tablename__ = "partner_contributions"
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    given_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[ContributionKind] = mapped_column(enum_column(ContributionKind))
    description: Mapped[str] = mapped_column(String(300), default="")
    recorded_by: Mapped[str] = mapped_column(String(36))


class PartnerOfRecord(ChapterScoped, Base):
    """A customer's incumbent partner for one product line (seed 004): one partner of record
    per product, possibly different partners for different products. Leaders see it when a
    partner brings that customer as escort (CND-2: no luring customers from their partner)."""

    __tablename__ = "partners_of_record"
    customer_organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )
    product_line: Mapped[str] = mapped_column(String(100))
    partner_organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    since: Mapped[date | None] = mapped_column(Date, default=None)


class PersonMerge(ChapterScoped, Base):
    """Two roster entries found to be one person, merged: what moved, so the merge can be
    undone within its window and the audit trail can say what happened (issue 8)."""

    __tablename__ = "person_merges"
    survivor_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    merged_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    actor_id: Mapped[str] = mapped_column(String(36))
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    undo_until: Mapped[datetime] = mapped_column(UTCDateTime)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # services.merge.MergePlan as JSON: registrations moved, duplicates cancelled, check-ins
    # carried over, escorts and slots re-pointed, the survivor's fields before the merge.
    plan: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class PresentationSlot(ChapterScoped, Base):
    """DECK-5: a leader asks a partner to present on a topic at a meeting."""

    __tablename__ = "presentation_slots"
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id"), index=True)
    topic: Mapped[str] = mapped_column(String(300))
    partner_organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    speaker_person_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"), default=None)
    requested_by: Mapped[str] = mapped_column(String(36))
    handouts_approved: Mapped[bool] = mapped_column(Boolean, default=False)  # MTG-8


class DeckVersion(ChapterScoped, Base):
    """One uploaded file for a slot; the decision applies to exactly this content hash."""

    __tablename__ = "deck_versions"
    slot_id: Mapped[str] = mapped_column(ForeignKey("presentation_slots.id"), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    decision: Mapped[DeckDecision] = mapped_column(
        enum_column(DeckDecision), default=DeckDecision.PENDING
    )
    decided_by: Mapped[str | None] = mapped_column(String(36), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    decision_comment: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (UniqueConstraint("slot_id", "sha256"),)


class AuditEvent(ChapterScoped, Base):
    """Who did what, when: written in the same transaction as the change it records."""

    __tablename__ = "audit_events"
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    actor_id: Mapped[str] = mapped_column(String(36))
    actor_name: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(36), default=None)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    __table_args__ = (Index(None, "chapter_id", "at"),)


class OutboxEntry(Base):
    """A local change waiting for the server; committed with the change itself.

    Local only (never replicated): ``id`` is the mutation id the server de-duplicates on.
    """

    __tablename__ = "outbox"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    device_seq: Mapped[int] = mapped_column(Integer, unique=True)
    chapter_id: Mapped[str] = mapped_column(String(36), index=True)
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(36))
    patch: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None, index=True)
    result: Mapped[str | None] = mapped_column(String(32), default=None)
    result_detail: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)


# ------------------------------------------------------------------------ accounts (ROS-*)


class Account(Synced, Base):
    """Someone who may sign in to ChapterDesk: a leader, a co-leader or a volunteer."""

    __tablename__ = "accounts"
    login: Mapped[str] = mapped_column(String(254), unique=True)  # lower-cased email
    display_name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AccountRole(Synced, Base):
    """An account's role in one chapter, or in every chapter on the laptop (``chapter_id``
    None: the person who set the laptop up)."""

    __tablename__ = "account_roles"
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    chapter_id: Mapped[str | None] = mapped_column(ForeignKey("chapters.id"), default=None)
    role: Mapped[Role] = mapped_column(enum_column(Role))


class VolunteerAssignment(ChapterScoped, Base):
    """A volunteer works the check-in desk of this meeting."""

    __tablename__ = "volunteer_assignments"
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id"), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    __table_args__ = (UniqueConstraint("meeting_id", "account_id"),)


class LocalCredential(Base):
    """The offline sign-in verifier of an account on this laptop: a scrypt hash with its salt
    and cost, never the password. Not replicated."""

    __tablename__ = "local_credentials"
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    verifier: Mapped[str] = mapped_column(String(400))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class LocalState(Base):
    """Per-laptop facts (device id, clock, cursors); never replicated."""

    __tablename__ = "local_state"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# ------------------------------------------------------------------------------ deck review


class DeckAnalysis(ChapterScoped, Base):
    """One run of the deck checker over one version (DECK-5: every version is checked).

    A row per run, never updated, so two laptops checking the same file never conflict; the
    newest run is the current one. The slide outline is kept so the Decks page can show the
    text of each slide without unpacking the file again."""

    __tablename__ = "deck_analyses"
    version_id: Mapped[str] = mapped_column(ForeignKey("deck_versions.id"), index=True)
    analysed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    analysed_by: Mapped[str] = mapped_column(String(36))
    slide_count: Mapped[int] = mapped_column(Integer, default=0)
    outline: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The checker's message when it could not read the file ("not a PowerPoint 2007+ deck").
    refused: Mapped[str] = mapped_column(Text, default="")
    sponsor: Mapped[bool] = mapped_column(Boolean, default=False)  # PRT-5 when checked


class DeckFinding(ChapterScoped, Base):
    """One finding on one version, kept across re-checks so a dismissal and its reason survive.

    A re-check matches findings by (slide, rule, where, text): a finding seen again keeps its
    dismissal; one no longer seen (a customer registered, DECK-4) gets the ``deleted`` tombstone
    and comes back, dismissal and all, if a later check finds it again."""

    __tablename__ = "deck_findings"
    version_id: Mapped[str] = mapped_column(ForeignKey("deck_versions.id"))
    slide: Mapped[int] = mapped_column(Integer)  # 1-based; 0 is the deck as a whole
    rule_id: Mapped[str] = mapped_column(String(16))
    severity: Mapped[Severity] = mapped_column(enum_column(Severity))
    text: Mapped[str] = mapped_column(Text)
    why: Mapped[str] = mapped_column(Text, default="")
    where: Mapped[str] = mapped_column(String(64), default="")
    dismissed_reason: Mapped[str | None] = mapped_column(Text, default=None)
    dismissed_by: Mapped[str | None] = mapped_column(String(36), default=None)
    dismissed_by_name: Mapped[str] = mapped_column(String(200), default="")
    dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    __table_args__ = (Index(None, "version_id", "slide"),)


class SyncIssueRow(Base):
    """A change the server refused, or a conflict it resolved, kept on this laptop until a
    leader dismisses it (docs/sync.md: nothing is dropped silently). Not replicated."""

    __tablename__ = "sync_issues"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    kind: Mapped[str] = mapped_column(String(16))  # rejected | conflict
    chapter_id: Mapped[str] = mapped_column(String(36), index=True)
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str | None] = mapped_column(String(64), default=None)
    rule_id: Mapped[str | None] = mapped_column(String(32), default=None)
    message: Mapped[str] = mapped_column(Text, default="")
    fix: Mapped[str] = mapped_column(Text, default="")
    kept_value: Mapped[str | None] = mapped_column(Text, default=None)
    lost_value: Mapped[str | None] = mapped_column(Text, default=None)
    dismissed: Mapped[bool] = mapped_column(Boolean, default=False)
