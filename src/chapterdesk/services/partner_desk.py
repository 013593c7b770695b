"""The Partners page's calls (``Desk.partners``): each opens its own unit of work and acts as
the signed-in person, so the page never holds a session or an ORM object."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from chapterdesk.domain.enums import (
    ApplicationStatus,
    BenefitKind,
    ContributionKind,
    PartnerKind,
)
from chapterdesk.services import partners
from chapterdesk.services.partner_views import (
    ApplicationView,
    BenefitRow,
    IncidentRow,
    PartnerCompanyRow,
    PartnerScore,
)
from chapterdesk.store.models import Chapter

if TYPE_CHECKING:
    from chapterdesk.domain.actors import Actor
    from chapterdesk.store.database import Store


@dataclass(frozen=True, slots=True)
class PartnersOverview:
    """Everything the Partners page shows for one chapter and year, read in one go."""

    chapter_id: str
    year: int
    companies: list[PartnerCompanyRow]
    applications: list[ApplicationView]
    incidents: list[IncidentRow]
    benefits: list[BenefitRow]
    scores: list[PartnerScore]
    points: dict[ContributionKind, int]
    customers: list[tuple[str, str]]  # (name, id): the companies a reference can name
    meetings: list[tuple[str, str]]  # (label, id): where an incident happened


class PartnerDesk:
    def __init__(self, store: Store, actor: Callable[[], Actor]) -> None:
        self._store = store
        self._actor = actor

    def overview(self, chapter_id: str, year: int) -> PartnersOverview:
        with self._store.session() as s:
            actor = self._actor()
            return PartnersOverview(
                chapter_id=chapter_id,
                year=year,
                companies=partners.partner_companies(s, actor, chapter_id),
                applications=partners.applications(s, actor, chapter_id),
                incidents=partners.incidents(s, actor, chapter_id),
                benefits=partners.benefits(s, actor, chapter_id, year),
                scores=partners.contributions_report(s, actor, chapter_id, year),
                points=partners.points_of(s, chapter_id),
                customers=partners.customer_companies(s, actor, chapter_id),
                meetings=partners.incident_meetings(s, actor, chapter_id),
            )

    def save_profile(
        self,
        organisation_id: str,
        kind: PartnerKind,
        mspp: bool,
        cfmd: bool,
        consultants: int,
        sponsor_year: int | None,
        public_contact: str = "",
    ) -> None:
        with self._store.session() as s:
            partners.save_profile(
                s,
                self._actor(),
                organisation_id,
                kind=kind,
                mspp_certified=mspp,
                cfmd_certified=cfmd,
                certified_consultants=consultants,
                sponsor_year=sponsor_year,
                public_contact=public_contact,
            )

    def add_implementation(
        self, organisation_id: str, customer_id: str, description: str, positive: bool
    ) -> str:
        with self._store.session() as s:
            return partners.add_implementation(
                s,
                self._actor(),
                organisation_id,
                customer_id,
                description=description,
                positive_reference=positive,
            )

    def submit_application(self, organisation_id: str, kind: PartnerKind) -> str:
        with self._store.session() as s:
            return partners.submit_application(s, self._actor(), organisation_id, kind)

    def move_application(self, application_id: str, target: ApplicationStatus, reason: str) -> None:
        with self._store.session() as s:
            partners.move_application(s, self._actor(), application_id, target, reason)

    def record_fee_paid(self, application_id: str, paid_on: date) -> None:
        with self._store.session() as s:
            partners.record_fee_paid(s, self._actor(), application_id, paid_on)

    def record_code_of_conduct(self, organisation_id: str, signed_on: date) -> None:
        with self._store.session() as s:
            partners.record_code_of_conduct(s, self._actor(), organisation_id, signed_on)

    def report_incident(
        self,
        organisation_id: str,
        occurred_on: date,
        reported_by: str,
        description: str,
        meeting_id: str | None = None,
    ) -> str:
        with self._store.session() as s:
            return partners.report_incident(
                s,
                self._actor(),
                organisation_id,
                occurred_on=occurred_on,
                reported_by=reported_by,
                description=description,
                meeting_id=meeting_id,
            )

    def review_incident(self, incident_id: str, outcome: str, close: bool) -> None:
        with self._store.session() as s:
            partners.review_incident(s, self._actor(), incident_id, outcome=outcome, close=close)

    def record_contribution(
        self, organisation_id: str, kind: ContributionKind, given_on: date, description: str
    ) -> str:
        with self._store.session() as s:
            return partners.record_contribution(
                s, self._actor(), organisation_id, kind, given_on=given_on, description=description
            )

    def record_benefit(
        self, organisation_id: str, kind: BenefitKind, year: int, held_on: date, note: str
    ) -> str:
        with self._store.session() as s:
            return partners.record_benefit(
                s, self._actor(), organisation_id, kind, year=year, held_on=held_on, note=note
            )

    def set_points(self, chapter_id: str, points: dict[ContributionKind, int]) -> None:
        with self._store.session() as s:
            partners.set_points(s, self._actor(), chapter_id, points)

    def write_contributions_report(
        self, chapter_id: str, year: int, path: Path, partner: str | None = None
    ) -> int:
        """PRT-7's yearly report as a PDF at ``path`` (written whole or not at all), for the
        chapter or, with ``partner``, one company; returns the number of partners in it."""
        from chapterdesk.reports.partners import contributions_pdf

        with self._store.session() as s:
            actor = self._actor()
            scores = partners.contributions_report(s, actor, chapter_id, year)
            points = partners.points_of(s, chapter_id)
            chapter = s.get(Chapter, chapter_id)
            name = chapter.name if chapter is not None else ""
        contributions_pdf(
            Path(path), chapter=name, year=year, scores=scores, points=points, partner=partner
        )
        return len([x for x in scores if partner is None or x.organisation_id == partner])

    def write_directory(self, chapter_id: str, path: Path) -> int:
        """PRT-4's Community Partner Directory as a PDF at ``path``."""
        from chapterdesk.reports.partners import directory_pdf

        with self._store.session() as s:
            entries = partners.directory(s, self._actor(), chapter_id)
            chapter = s.get(Chapter, chapter_id)
            name = chapter.name if chapter is not None else ""
        directory_pdf(Path(path), chapter=name, entries=entries)
        return len(entries)
