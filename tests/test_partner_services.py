"""The Community Partner programme through its services: applications (PRT-3) with the
PRT-1/PRT-2 checklist, ORG-3/ORG-4 refusals, conduct and revocation (CND-1), benefits (PRT-4),
the contributions ledger and report (PRT-7), the directory — each change audited and queued
for sync."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chapterdesk.domain.enums import (
    ApplicationStatus,
    BenefitKind,
    ContributionKind,
    DeckDecision,
    Membership,
    OrgCategory,
    PartnerKind,
)
from chapterdesk.domain.violations import PermissionDenied, RuleViolation
from chapterdesk.services import partners
from chapterdesk.services.decks import create_slot
from chapterdesk.services.registrations import register
from chapterdesk.store.models import (
    AuditEvent,
    DeckVersion,
    Meeting,
    Organisation,
    OutboxEntry,
    PartnerApplication,
    Person,
    PresentationSlot,
)
from tests.world import World

S = ApplicationStatus


def org_id(s: Session, name: str) -> str:
    found = s.scalar(select(Organisation.id).where(Organisation.name == name))
    assert found is not None, name
    return found


def count(s: Session, model: type, **where: object) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return int(s.scalar(query) or 0)


def eligible_contoso(world: World) -> tuple[str, str]:
    """Contoso with a full PRT-1 record and a submitted application."""
    with world.store.session() as s:
        contoso = org_id(s, "Contoso Consulting")
        partners.save_profile(
            s,
            world.leader,
            contoso,
            kind=PartnerKind.IMPLEMENTATION,
            mspp_certified=True,
            cfmd_certified=False,
            certified_consultants=3,
        )
        for customer in ("City of Ottawa", "Fabrikam Manufacturing"):
            partners.add_implementation(
                s,
                world.leader,
                contoso,
                org_id(s, customer),
                description="Finance",
                positive_reference=True,
            )
        app = partners.submit_application(s, world.leader, contoso, PartnerKind.IMPLEMENTATION)
    return contoso, app


def test_org4_an_excluded_company_cannot_apply_and_nothing_is_written(world: World) -> None:
    with world.store.session() as s:
        recruiter = org_id(s, "Pinnacle Talent")
        with pytest.raises(RuleViolation) as refused:
            partners.submit_application(s, world.leader, recruiter, PartnerKind.IMPLEMENTATION)
        assert refused.value.rule_id == "ORG-4"
        assert count(s, PartnerApplication) == 0


def test_org3_a_customer_company_cannot_apply(world: World) -> None:
    with world.store.session() as s:
        with pytest.raises(RuleViolation) as refused:
            partners.submit_application(
                s, world.leader, org_id(s, "City of Ottawa"), PartnerKind.ISV
            )
        assert refused.value.rule_id == "ORG-3"


def test_prt1_checklist_is_filled_in_from_the_chapters_data(world: World) -> None:
    _contoso, app = eligible_contoso(world)
    with world.store.session() as s:
        view = partners.application(s, world.leader, app)
    assert [c.met for c in view.checklist] == [True, True, True]
    assert view.checklist[2].detail.startswith("2 of 2")

    # A reference whose company has prospects only does not count (members only, PRT-1).
    with world.store.session() as s:
        northwind = org_id(s, "Northwind Dynamics")
        prospect = Organisation(
            chapter_id=world.chapter, name="Prospect Co", category=OrgCategory.CUSTOMER
        )
        s.add(prospect)
        s.flush()
        s.add(
            Person(
                chapter_id=world.chapter,
                organisation_id=prospect.id,
                first_name="Paula",
                last_name="Prospect",
                membership=Membership.PROSPECT,
            )
        )
        partners.save_profile(
            s,
            world.leader,
            northwind,
            kind=PartnerKind.IMPLEMENTATION,
            mspp_certified=True,
            cfmd_certified=False,
            certified_consultants=1,
        )
        partners.add_implementation(
            s, world.leader, northwind, org_id(s, "City of Ottawa"), positive_reference=True
        )
        partners.add_implementation(
            s, world.leader, northwind, prospect.id, positive_reference=True
        )
        second = partners.submit_application(s, world.leader, northwind, PartnerKind.IMPLEMENTATION)
        view = partners.application(s, world.leader, second)
    consultants, references = view.checklist[1], view.checklist[2]
    assert not consultants.met and consultants.detail == "1 of 2"
    assert not references.met
    assert references.detail.startswith("1 of 2")
    assert "Prospect Co is a prospect, not a member" in references.detail


def test_prt3_life_cycle_records_who_when_why_and_admission_needs_fee_and_code(
    world: World,
) -> None:
    contoso, app = eligible_contoso(world)
    with world.store.session() as s:
        partners.move_application(s, world.leader, app, S.UNDER_REVIEW, "")
        partners.move_application(s, world.leader, app, S.APPROVED, "Letter and invoice sent")
        with pytest.raises(RuleViolation, match="fee is not recorded as paid") as refused:
            partners.move_application(s, world.leader, app, S.ADMITTED, "")
        assert refused.value.rule_id == "PRT-3"
        partners.record_fee_paid(s, world.leader, app, date(2026, 2, 1))
        with pytest.raises(RuleViolation, match="no signed Code of Conduct"):
            partners.move_application(s, world.leader, app, S.ADMITTED, "")
        partners.record_code_of_conduct(s, world.leader, contoso, date(2026, 2, 2))
        partners.move_application(s, world.leader, app, S.ADMITTED, "")
        with pytest.raises(RuleViolation) as skipped:  # no step outside the life cycle
            partners.move_application(s, world.leader, app, S.UNDER_REVIEW, "again")
        assert skipped.value.rule_id == "PRT-3"
        view = partners.application(s, world.leader, app)
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == app)).all()
    assert view.status is S.ADMITTED
    assert [(h.from_status, h.to_status) for h in view.history] == [
        (None, S.SUBMITTED),
        (S.SUBMITTED, S.UNDER_REVIEW),
        (S.UNDER_REVIEW, S.APPROVED),
        (S.APPROVED, S.ADMITTED),
    ]
    assert view.history[2].reason == "Letter and invoice sent"
    assert all(h.actor for h in view.history)
    assert view.next_steps == (S.REVOKED,)
    assert "partner.application.admitted" in actions and "partner.fee_paid" in actions


def admitted_contoso(world: World) -> tuple[str, str]:
    contoso, app = eligible_contoso(world)
    with world.store.session() as s:
        partners.move_application(s, world.leader, app, S.UNDER_REVIEW, "")
        partners.move_application(s, world.leader, app, S.APPROVED, "ok")
        partners.record_fee_paid(s, world.leader, app, date(2026, 2, 1))
        partners.record_code_of_conduct(s, world.leader, contoso, date(2026, 2, 2))
        partners.move_application(s, world.leader, app, S.ADMITTED, "")
    return contoso, app


def test_cnd1_a_revoked_partner_cannot_register_or_present(world: World) -> None:
    contoso, app = admitted_contoso(world)
    with world.store.session() as s:
        incident = partners.report_incident(
            s,
            world.leader,
            contoso,
            occurred_on=date(2026, 3, 1),
            reported_by="Ann Lee",
            description="Handed out price lists in the Q&A",
            meeting_id=world.meeting,
        )
        partners.review_incident(s, world.leader, incident, outcome="Revoked", close=True)
        with pytest.raises(RuleViolation, match="Say why"):
            partners.move_application(s, world.leader, app, S.REVOKED, "")
        partners.move_application(
            s, world.leader, app, S.REVOKED, "Sales pitch in open forum (CND-2)"
        )
    with world.store.session() as s:
        with pytest.raises(RuleViolation) as refused:
            register(s, world.leader, world.meeting, world.people["Pat"])
        assert refused.value.rule_id == "PRT-3" and "CND-1" in refused.value.message
        with pytest.raises(RuleViolation) as no_slot:
            create_slot(s, world.leader, world.meeting, "Year-end tips", contoso)
        assert no_slot.value.rule_id == "PRT-3"
        [row] = [
            r
            for r in partners.partner_companies(s, world.leader, world.chapter)
            if r.organisation_id == contoso
        ]
        assert row.status is S.REVOKED and row.open_incidents == 0
        [listed] = partners.incidents(s, world.leader, world.chapter)
        assert listed.meeting == "Year-end close" and listed.outcome == "Revoked"


def test_prt3_a_company_has_one_live_application(world: World) -> None:
    contoso, _app = eligible_contoso(world)
    with world.store.session() as s:
        with pytest.raises(RuleViolation) as refused:
            partners.submit_application(s, world.leader, contoso, PartnerKind.IMPLEMENTATION)
        assert refused.value.rule_id == "PRT-3"


def test_prt4_benefits_for_admitted_partners_and_at_most_two_associates_a_year(
    world: World,
) -> None:
    contoso, _app = admitted_contoso(world)
    with world.store.session() as s:
        northwind = org_id(s, "Northwind Dynamics")
        with pytest.raises(RuleViolation) as not_admitted:
            partners.record_benefit(
                s, world.leader, northwind, BenefitKind.SHOWCASE_WEBINAR, year=2026
            )
        assert not_admitted.value.rule_id == "PRT-4"
        partners.record_benefit(s, world.leader, contoso, BenefitKind.SHOWCASE_WEBINAR, year=2026)
        for _ in range(2):
            partners.record_benefit(
                s, world.leader, contoso, BenefitKind.ASSOCIATE_INVITED, year=2026
            )
        with pytest.raises(RuleViolation) as third:
            partners.record_benefit(
                s, world.leader, contoso, BenefitKind.ASSOCIATE_INVITED, year=2026
            )
        assert third.value.rule_id == "PRT-4"
        partners.record_benefit(s, world.leader, contoso, BenefitKind.ASSOCIATE_INVITED, year=2027)
        assert len(partners.benefits(s, world.leader, world.chapter, 2026)) == 3


def test_prt7_report_ranks_partners_and_counts_presented_approved_decks(world: World) -> None:
    contoso, _app = admitted_contoso(world)
    year = 2026
    with world.store.session() as s:
        northwind = org_id(s, "Northwind Dynamics")
        partners.set_points(
            s,
            world.leader,
            world.chapter,
            {ContributionKind.PRESENTATION: 10, ContributionKind.DOOR_PRIZE: 2},
        )
        partners.record_contribution(
            s,
            world.leader,
            northwind,
            ContributionKind.DOOR_PRIZE,
            given_on=date(year, 4, 1),
            description="Surface tablet",
        )
        partners.record_contribution(
            s,
            world.leader,
            northwind,
            ContributionKind.SPEAKER,
            given_on=date(year, 5, 1),
            description="Brought a Microsoft product manager",
        )
        partners.record_contribution(  # another year: not in the report
            s,
            world.leader,
            contoso,
            ContributionKind.SPONSORSHIP,
            given_on=date(year - 1, 5, 1),
            description="Pizza",
        )
        past = Meeting(
            chapter_id=world.chapter,
            title="Spring meeting",
            starts_at=datetime(year, 3, 10, 18),
            ends_at=datetime(year, 3, 10, 20),
            venue="Hall",
            capacity=40,
            partners_welcome=True,
        )
        s.add(past)
        s.flush()
        for topic, decision in (
            ("Approved talk", DeckDecision.APPROVED),
            ("Rejected talk", DeckDecision.REJECTED),
        ):
            slot = PresentationSlot(
                chapter_id=world.chapter,
                meeting_id=past.id,
                topic=topic,
                partner_organisation_id=contoso,
                requested_by=world.leader.account_id,
            )
            s.add(slot)
            s.flush()
            s.add(
                DeckVersion(
                    chapter_id=world.chapter,
                    slot_id=slot.id,
                    filename="d.pptx",
                    sha256="x" * 64,
                    size_bytes=1,
                    content=b"x",
                    decision=decision,
                )
            )
        report = partners.contributions_report(
            s, world.leader, world.chapter, year, now=datetime(year, 12, 31)
        )
    assert [(r.rank, r.company, r.points) for r in report] == [
        (1, "Contoso Consulting", 10),  # one presented, approved deck at the chapter's 10 points
        (2, "Northwind Dynamics", 5),  # door prize 2 + speaker 3 (default)
    ]
    [talk] = report[0].contributions
    assert talk.automatic and "Approved talk" in talk.description


def test_directory_lists_admitted_partners_with_company_facts_only(world: World) -> None:
    admitted_contoso(world)
    with world.store.session() as s:
        entries = partners.directory(s, world.leader, world.chapter)
    assert [e.company for e in entries] == ["Contoso Consulting"]
    assert entries[0].certifications == ("Microsoft Dynamics certified (MSPP)",)
    text = repr(entries)
    assert "@example.org" not in text and "Pat" not in text  # ROS-2: no member data


def test_partner_changes_are_audited_and_queued_for_sync(world: World) -> None:
    _contoso, app = admitted_contoso(world)
    with world.store.session() as s:
        queued = set(s.scalars(select(OutboxEntry.entity).where(OutboxEntry.sent_at.is_(None))))
        audited = count(s, AuditEvent, entity="partner_applications", entity_id=app)
    assert {
        "partner_profiles",
        "partner_implementations",
        "partner_applications",
        "partner_application_events",
    } <= queued
    assert audited >= 5


def test_only_leaders_manage_partners(world: World) -> None:
    with world.store.session() as s:
        with pytest.raises(PermissionDenied):
            partners.partner_companies(s, world.volunteer(), world.chapter)
        with pytest.raises(PermissionDenied):
            partners.submit_application(
                s, world.volunteer(), org_id(s, "Contoso Consulting"), PartnerKind.ISV
            )


def test_prt2_an_isv_nominated_by_a_member_meets_the_first_criterion(world: World) -> None:
    with world.store.session() as s:
        northwind = org_id(s, "Northwind Dynamics")
        with pytest.raises(RuleViolation) as prospect:
            partners.submit_application(
                s,
                world.leader,
                northwind,
                PartnerKind.ISV,
                nominated_by_person_id=world.people["Bob"],  # a prospect
            )
        assert prospect.value.rule_id == "PRT-2"
        app = partners.submit_application(
            s, world.leader, northwind, PartnerKind.ISV, nominated_by_person_id=world.people["Ann"]
        )
        view = partners.application(s, world.leader, app)
    assert view.checklist[0].met and "Ann Lee" in view.checklist[0].detail
    assert view.checklist[0].rule_id == "PRT-2"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext not installed")
def test_prt7_report_and_prt4_directory_pdfs_carry_company_facts_only(
    world: World, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from chapterdesk.reports.partners import contributions_pdf, directory_pdf

    def pdf_text(path) -> str:  # type: ignore[no-untyped-def]
        done = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        )
        return done.stdout

    contoso, _app = admitted_contoso(world)
    with world.store.session() as s:
        partners.record_contribution(
            s,
            world.leader,
            contoso,
            ContributionKind.DOOR_PRIZE,
            given_on=date(2026, 4, 1),
            description="Xbox for the raffle",
        )
        partners.save_profile(
            s,
            world.leader,
            contoso,
            kind=PartnerKind.IMPLEMENTATION,
            mspp_certified=True,
            cfmd_certified=False,
            certified_consultants=3,
            public_contact="partners@contoso.example · +1 613 555 0100",
        )
        scores = partners.contributions_report(s, world.leader, world.chapter, 2026)
        points = partners.points_of(s, world.chapter)
        entries = partners.directory(s, world.leader, world.chapter)
    report, directory = tmp_path / "contributions.pdf", tmp_path / "directory.pdf"
    contributions_pdf(report, chapter="Ottawa", year=2026, scores=scores, points=points)
    directory_pdf(directory, chapter="Ottawa", entries=entries)
    text = pdf_text(report)
    assert "Contoso Consulting" in text and "Xbox for the raffle" in text
    listed = pdf_text(directory)
    assert "Contoso Consulting" in listed and "Implementation" in listed
    assert "partners@contoso" in listed  # the company's own public contact (PRT-4)
    for secret in ("example.org", "Pat Quinn", "Ann Lee"):
        assert secret not in text and secret not in listed


def test_incomplete_entries_are_refused_with_the_rule_and_the_fix(world: World) -> None:
    contoso, _app = eligible_contoso(world)
    with world.store.session() as s:
        for call, rule in (
            (
                lambda: partners.record_contribution(
                    s,
                    world.leader,
                    contoso,
                    ContributionKind.OTHER,
                    given_on=date(2026, 1, 2),
                    description="  ",
                ),
                "PRT-7",
            ),
            (
                lambda: partners.report_incident(
                    s,
                    world.leader,
                    contoso,
                    occurred_on=date(2026, 1, 2),
                    reported_by="",
                    description="x",
                ),
                "CND-1",
            ),
            (
                lambda: partners.set_points(
                    s, world.leader, world.chapter, {ContributionKind.OTHER: -1}
                ),
                "PRT-7",
            ),
        ):
            with pytest.raises(RuleViolation) as refused:
                call()
            assert refused.value.rule_id == rule and refused.value.fix
