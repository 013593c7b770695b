"""The vocabularies of the rules, shared by store, services, sync and server.

Values are stable strings: they are stored in the database and sent over the wire.
"""

from __future__ import annotations

from enum import StrEnum


class OrgCategory(StrEnum):
    """ORG-1: an organisation's category decides its people's category."""

    CUSTOMER = "customer"
    PARTNER = "partner"
    MICROSOFT = "microsoft"


class ExcludedKind(StrEnum):
    """ORG-4: kinds of organisation that may never take part as partners."""

    RECRUITER = "recruiter"
    COMPETING_VENDOR = "competing_vendor"
    LICENCE_ONLY_RESELLER = "licence_only_reseller"
    UNRELATED = "unrelated"


class Membership(StrEnum):
    """ORG-5: a customer person is a member or a prospect; others have no membership."""

    MEMBER = "member"
    PROSPECT = "prospect"
    NONE = "none"


class JobRole(StrEnum):
    """MTG-4: sales roles of partner registrants need a leader's approval."""

    TECHNICAL = "technical"
    FUNCTIONAL = "functional"
    SALES = "sales"
    MANAGEMENT = "management"
    OTHER = "other"


class RegistrationRole(StrEnum):
    ATTENDEE = "attendee"
    SPEAKER = "speaker"
    ORGANISER = "organiser"


class RegistrationStatus(StrEnum):
    """Where a registration stands; nothing is deleted, only moved between these (ESC-4)."""

    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    PENDING_APPROVAL = "pending_approval"
    ESCORT_NEEDED = "escort_needed"
    CANCELLED = "cancelled"


class CheckInKind(StrEnum):
    """Append-only check-in events; "checked in" is derived from them."""

    IN = "in"
    OUT = "out"
    UNDO = "undo"


class PartnerKind(StrEnum):
    """PRT-1 / PRT-2."""

    IMPLEMENTATION = "implementation"
    ISV = "isv"


class ApplicationStatus(StrEnum):
    """PRT-3 life cycle of a Community Partner application."""

    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    INFORMATION_REQUESTED = "information_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    ADMITTED = "admitted"
    REVOKED = "revoked"


class DeckDecision(StrEnum):
    """DECK-5: a leader's decision on one exact deck version."""

    PENDING = "pending"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"


class Role(StrEnum):
    """Who is acting; see :mod:`chapterdesk.domain.permissions`."""

    LEADER = "leader"
    CO_LEADER = "co_leader"
    VOLUNTEER = "volunteer"
    PARTNER = "partner"


class IncidentStatus(StrEnum):
    """CND-1: an incident is reported, reviewed, then closed with an outcome."""

    OPEN = "open"
    UNDER_REVIEW = "under_review"
    CLOSED = "closed"


class BenefitKind(StrEnum):
    """PRT-4: what the programme gives a partner each year."""

    SHOWCASE_WEBINAR = "showcase_webinar"
    ASSOCIATE_INVITED = "associate_invited"
    SPONSORSHIP_OPTION = "sponsorship_option"
    DIRECTORY_ENTRY = "directory_entry"


class ContributionKind(StrEnum):
    """PRT-7 (seed 002): what a partner gives back to a chapter."""

    PRESENTATION = "presentation"
    SPONSORSHIP = "sponsorship"
    DOOR_PRIZE = "door_prize"
    SPEAKER = "speaker"
    OTHER = "other"
