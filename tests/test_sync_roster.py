"""Roster management offline, then synced (issue 8): a move, an organisation marked excluded
(ORG-4) with its flagged registration, a partner of record (CND-2) and a merge with its carried
check-in go from one leader's laptop through the server to another — on SQLite and PostgreSQL —
and the server accepts every change (no rejections)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from chapterdesk.domain.enums import ExcludedKind, Membership, OrgCategory
from chapterdesk.services import checkin, merges, organisations, roster
from chapterdesk.services.registrations import register
from chapterdesk.services.roster_views import OrganisationDraft, PersonDraft
from chapterdesk.store.models import (
    CheckInEvent,
    Organisation,
    PartnerOfRecord,
    Person,
    PersonMerge,
    Registration,
)
from tests.conftest import StartServer
from tests.sync_helpers import add_leader, empty_laptop, world_laptop
from tests.test_roster_services import today_meeting


def test_roster_changes_made_offline_reach_another_laptop(
    server_database_url: str, start_server: StartServer, tmp_path: Path
) -> None:
    add_leader(server_database_url)
    server = start_server(server_database_url)
    a, world = world_laptop(tmp_path / "a")
    leader = a.desk.actor
    tonight = today_meeting(world)
    with a.store.session() as s:
        org = {n: i for i, n in s.execute(select(Organisation.id, Organisation.name)).all()}
        ann_reg = register(s, leader, world.meeting, world.people["Ann"]).registration_id
        nora_reg = register(
            s, leader, world.meeting, world.people["Nora"], escort_registration_id=ann_reg
        ).registration_id
        twin = roster.save_person(
            s,
            leader,
            world.chapter,
            None,
            PersonDraft("Bob", "Roy", org["City of Ottawa"], membership=Membership.PROSPECT),
        )
        twin_reg = register(s, leader, tonight, twin).registration_id
        checkin.check_in(s, leader, twin_reg)
        register(s, leader, tonight, world.people["Bob"])
    a.connect(server)
    assert a.sync().rejected == 0  # the world as it was, then the offline edits below
    with a.store.session() as s:
        roster.move_person(s, leader, world.people["Cleo"], org["City of Ottawa"])
        organisations.save_organisation(
            s,
            leader,
            world.chapter,
            org["Northwind Dynamics"],
            OrganisationDraft(
                "Northwind Dynamics",
                OrgCategory.PARTNER,
                uses_dynamics=True,
                excluded_kind=ExcludedKind.COMPETING_VENDOR,
            ),
        )
        organisations.set_partner_of_record(
            s, leader, org["City of Ottawa"], "Dynamics 365 Finance", org["Contoso Consulting"]
        )
        merged = merges.merge_people(s, leader, world.people["Bob"], twin)
    report = a.sync()
    assert report.rejected == 0, a.desk.sync_status().issues
    assert a.pending() == 0

    b = empty_laptop(tmp_path / "b")
    b.connect(server)
    b.sync()
    with b.store.session() as s:
        assert s.get(Person, world.people["Cleo"]).organisation_id == org["City of Ottawa"]
        nora = s.get(Registration, nora_reg)
        assert nora.flag_rule == "ORG-4" and "invalid" in nora.flag_note
        assert s.scalar(select(func.count()).select_from(PartnerOfRecord)) == 1
        assert s.get(Person, twin).deleted
        record = s.get(PersonMerge, merged.merge_id)
        assert record is not None and record.survivor_id == world.people["Bob"]
        assert s.get(Registration, twin_reg).flag_rule == "MERGE"
        kept = s.scalars(
            select(Registration).where(
                Registration.meeting_id == tonight, Registration.person_id == world.people["Bob"]
            )
        ).one()
        carried = s.scalars(
            select(CheckInEvent).where(CheckInEvent.registration_id == kept.id)
        ).all()
        assert len(carried) == 1  # the walk-in's check-in, carried to the kept registration


def test_the_chapters_slide_template_reaches_another_laptop(
    server_database_url: str, start_server: StartServer, tmp_path: Path
) -> None:
    """DECK-1: the template file travels like a deck (its bytes read from the row at push)."""
    from chapterdesk.services import templates
    from tests.test_chapter_template import office_template

    add_leader(server_database_url)
    server = start_server(server_database_url)
    a, world = world_laptop(tmp_path / "a")
    a.connect(server)
    data = office_template()
    with a.store.session() as s:
        templates.set_chapter_template(s, a.desk.actor, world.chapter, "Ottawa.potx", data)
    assert a.sync().rejected == 0, a.desk.sync_status().issues
    b = empty_laptop(tmp_path / "b")
    b.connect(server)
    b.sync()
    with b.store.session() as s:
        assert templates.template_of(s, world.chapter) == ("Ottawa.potx", data)
