"""Services behind the Meetings and People pages: figures, scope and permissions (ROS-*)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.enums import OrgCategory, RegistrationStatus, Role
from chapterdesk.domain.violations import PermissionDenied
from chapterdesk.services import chapters, meetings, people
from chapterdesk.services.desk import Desk, local_leader
from chapterdesk.store.database import Store
from chapterdesk.store.models import Meeting, Person, Registration
from tests.helpers import demo_store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, str]]:
    import keyring

    from tests.conftest import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    store, summary = demo_store(tmp_path_factory.mktemp("svc") / "data")
    try:
        yield store, summary.home_chapter_id
    finally:
        store.close()
        keyring.set_keyring(previous)


def actor(role: Role, *chapter_ids: str) -> Actor:
    return Actor("a1", f"Test {role.value}", role, frozenset(chapter_ids))


def test_meeting_figures_match_the_registrations(store: tuple[Store, str]) -> None:
    db, home = store
    with db.session() as s:
        rows = meetings.list_meetings(s, local_leader(), home)
        assert rows, "the home chapter has meetings"
        assert rows == sorted(rows, key=lambda r: r.starts_at, reverse=True)
        for row in rows:
            active = s.scalar(
                select(func.count())
                .select_from(Registration)
                .where(
                    Registration.meeting_id == row.id,
                    Registration.status.in_(
                        [
                            RegistrationStatus.REGISTERED,
                            RegistrationStatus.PENDING_APPROVAL,
                            RegistrationStatus.ESCORT_NEEDED,
                        ]
                    ),
                )
            )
            waiting = s.scalar(
                select(func.count())
                .select_from(Registration)
                .where(
                    Registration.meeting_id == row.id,
                    Registration.status == RegistrationStatus.WAITLISTED,
                )
            )
            partners = s.scalar(
                select(func.count())
                .select_from(Registration)
                .where(
                    Registration.meeting_id == row.id,
                    Registration.category == OrgCategory.PARTNER,
                    Registration.status.in_(
                        [
                            RegistrationStatus.REGISTERED,
                            RegistrationStatus.PENDING_APPROVAL,
                            RegistrationStatus.ESCORT_NEEDED,
                        ]
                    ),
                )
            )
            assert (row.registered, row.waitlisted, row.partners) == (active, waiting, partners)
        total = s.scalar(
            select(func.count()).select_from(Meeting).where(Meeting.chapter_id == home)
        )
        assert len(rows) == total


def test_demo_problems_show_as_partners_without_escort_ESC_1_ESC_4(
    store: tuple[Store, str],
) -> None:
    db, home = store
    with db.session() as s:
        rows = meetings.list_meetings(s, local_leader(), home)
    upcoming = [r for r in rows if not r.is_past]
    assert any(r.partners_without_escort >= 2 for r in upcoming)


def test_leader_of_another_chapter_sees_nothing_here_ROS_1(store: tuple[Store, str]) -> None:
    db, home = store
    outsider = actor(Role.LEADER, "some-other-chapter")
    with db.session() as s:
        assert all(c.id != home for c in chapters.list_chapters(s, outsider))
        with pytest.raises(PermissionDenied):
            meetings.list_meetings(s, outsider, home)
        with pytest.raises(PermissionDenied):
            people.list_people(s, outsider, home)


@pytest.mark.parametrize("role", [Role.PARTNER, Role.VOLUNTEER])
def test_partners_and_volunteers_get_no_roster_ROS_2(store: tuple[Store, str], role: Role) -> None:
    db, home = store
    with db.session() as s, pytest.raises(PermissionDenied, match="ROS-2"):
        people.list_people(s, actor(role, home), home)


def test_roster_lists_everyone_of_the_chapter_with_category_ORG_1(store: tuple[Store, str]) -> None:
    db, home = store
    with db.session() as s:
        rows = people.list_people(s, local_leader(), home)
        count = s.scalar(select(func.count()).select_from(Person).where(Person.chapter_id == home))
    assert len(rows) == count
    assert {r.category for r in rows} == set(OrgCategory)
    assert any(r.excluded_organisation for r in rows)  # ORG-4 problem is visible
    assert all(r.search_text == r.search_text.casefold() for r in rows)


def test_desk_facts_name_the_database_file(store: tuple[Store, str]) -> None:
    db, _home = store
    facts = Desk(db, local_leader()).facts()
    assert facts.database_file == str(db.paths.database)
    assert facts.encrypted
    assert Desk(db, local_leader()).pending_changes() == 0


def test_chapters_are_listed_by_community(store: tuple[Store, str]) -> None:
    db, _home = store
    with db.session() as s:
        listed = chapters.list_chapters(s, local_leader())
    assert len(listed) >= 12
    assert {c.community_code for c in listed} >= {"AXUG", "CRMUG", "GPUG", "NAVUG"}
    assert listed == sorted(listed, key=lambda c: (c.community_code, c.name))
