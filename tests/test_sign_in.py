"""Sign-in, roles and the kiosk hand-over at the service level (ROS-1, ROS-2, ROS-5)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from chapterdesk.domain.enums import Role
from chapterdesk.domain.violations import PermissionDenied, RuleViolation
from chapterdesk.services import accounts, registrations
from chapterdesk.services.accounts import SignInRefused
from chapterdesk.services.desk import MAX_FAILED_SIGN_INS, Desk
from chapterdesk.services.views import VerdictLevel
from chapterdesk.store.models import (
    Account,
    AccountRole,
    AuditEvent,
    Chapter,
    LocalCredential,
    Meeting,
    OutboxEntry,
)
from tests.world import World

PASSWORD = "correct horse battery"


@pytest.fixture
def desk(world: World) -> Desk:
    """A desk nobody has signed in to yet, on a laptop set up by Lee Leader."""
    desk = Desk(world.store)
    desk.set_up_laptop("Lee Leader", "lee@example.org", PASSWORD)
    desk.lock()
    return desk


def other_chapter(world: World) -> str:
    with world.store.session() as s:
        ottawa = s.get(Chapter, world.chapter)
        assert ottawa is not None
        toronto = Chapter(community_id=ottawa.community_id, name="Toronto")
        s.add(toronto)
        s.flush()
        return toronto.id


def test_a_locked_desk_refuses_every_data_call_ROS_5(world: World) -> None:
    desk = Desk(world.store)
    for call in (
        lambda: desk.chapters(),
        lambda: desk.people(world.chapter),
        lambda: desk.attendees(world.meeting),
    ):
        with pytest.raises(PermissionDenied, match="locked"):
            call()


def test_the_first_account_leads_everything_and_keeps_no_password_ROS_5(
    world: World, desk: Desk
) -> None:
    actor = desk.sign_in("  LEE@example.org ", PASSWORD)  # logins ignore case and spaces
    assert actor.role is Role.LEADER and actor.all_chapters
    assert [c.id for c in desk.chapters()] == [world.chapter]
    with world.store.session() as s:
        verifier = s.scalars(select(LocalCredential.verifier)).one()
    assert verifier.startswith("scrypt$") and PASSWORD not in verifier
    assert PASSWORD.encode().hex() not in verifier


def test_setting_up_twice_is_refused(desk: Desk) -> None:
    with pytest.raises(PermissionDenied, match="already set up"):
        desk.set_up_laptop("Mallory", "mallory@example.org", "another long password")


def test_weak_passwords_and_bad_logins_are_refused_with_ROS_5(world: World) -> None:
    desk = Desk(world.store)
    with pytest.raises(RuleViolation) as short:
        desk.set_up_laptop("Lee", "lee@example.org", "short")
    assert short.value.rule_id == "ROS-5" and "10" in short.value.fix
    with pytest.raises(RuleViolation, match="not an email"):
        desk.set_up_laptop("Lee", "lee", PASSWORD)
    with pytest.raises(RuleViolation, match="same as the login"):
        desk.set_up_laptop("Lee", "lee.leader@example.org", "lee.leader@example.org")
    assert not desk.has_accounts()


def test_wrong_password_and_unknown_login_get_the_same_answer(desk: Desk) -> None:
    with pytest.raises(SignInRefused) as wrong:
        desk.sign_in("lee@example.org", "not the password")
    with pytest.raises(SignInRefused) as unknown:
        desk.sign_in("nobody@example.org", PASSWORD)
    assert str(wrong.value) == str(unknown.value)
    assert desk.signed_in is None


def test_repeated_wrong_passwords_pause_sign_in(desk: Desk) -> None:
    for _ in range(MAX_FAILED_SIGN_INS):
        with pytest.raises(SignInRefused, match="Wrong login"):
            desk.sign_in("lee@example.org", "guess guess guess")
    with pytest.raises(SignInRefused, match="Wait"):
        desk.sign_in("lee@example.org", PASSWORD)  # even the right one waits
    assert desk.signed_in is None


def test_a_co_leader_sees_only_their_chapter(world: World, desk: Desk) -> None:
    toronto = other_chapter(world)
    desk.sign_in("lee@example.org", PASSWORD)
    desk.create_account(toronto, "Tia Toronto", "tia@example.org", PASSWORD, Role.CO_LEADER)
    desk.lock()
    tia = desk.sign_in("tia@example.org", PASSWORD)
    assert tia.role is Role.CO_LEADER and tia.chapter_ids == {toronto}
    assert [c.id for c in desk.chapters()] == [toronto]
    with pytest.raises(PermissionDenied):
        desk.people(world.chapter)  # Ottawa's roster is not hers
    with pytest.raises(PermissionDenied):
        desk.meetings(world.chapter)


def test_a_volunteer_works_only_the_meetings_assigned_ROS_1(
    world: World, desk: Desk, tmp_path: Path
) -> None:
    desk.sign_in("lee@example.org", PASSWORD)
    vol = desk.create_account(
        world.chapter, "Val Volunteer", "val@example.org", PASSWORD, Role.VOLUNTEER
    )
    with world.store.session() as s:
        accounts.assign_volunteer(s, desk.actor, world.meeting, vol.id)
        registrations.register(s, desk.actor, world.meeting, world.people["Ann"])
        other = registrations.register(s, desk.actor, world.customers_only, world.people["Bob"])
    desk.lock()
    val = desk.sign_in("val@example.org", PASSWORD)
    assert val.role is Role.VOLUNTEER and val.meeting_ids == {world.meeting}
    assert [m.id for m in desk.meetings(world.chapter)] == [world.meeting]
    rows = desk.attendees(world.meeting)
    assert [r.first_name for r in rows] == ["Ann"]
    assert all("@" not in r.search_text for r in rows)
    with pytest.raises(PermissionDenied, match="not assigned"):
        desk.check_in(other.registration_id)
    for refused in (
        lambda: desk.people(world.chapter),
        lambda: desk.write_signin_sheet(world.meeting, "Signatures at the door", tmp_path / "x"),
        # a sheet of badges is a printed list (ROS-4)
        lambda: desk.write_badges(world.meeting, "Badges please", tmp_path / "b.pdf", "a6"),
        lambda: desk.chapter_slots(world.chapter),
        lambda: desk.create_meeting(world.chapter, None),  # type: ignore[arg-type]
    ):
        with pytest.raises(PermissionDenied):
            refused()
    assert desk.check_in(rows[0].registration_id).level is VerdictLevel.OK
    one = desk.badges(world.meeting, [rows[0].registration_id])  # one badge at the desk is fine
    assert [b.first_name for b in one] == ["Ann"]


def test_the_walk_in_search_of_a_volunteer_never_matches_email(world: World, desk: Desk) -> None:
    desk.sign_in("lee@example.org", PASSWORD)
    vol = desk.create_account(
        world.chapter, "Val Volunteer", "val@example.org", PASSWORD, Role.VOLUNTEER
    )
    with world.store.session() as s:
        accounts.assign_volunteer(s, desk.actor, world.meeting, vol.id)
    assert [p.first_name for p in desk.roster_matches(world.meeting, "example.org")] != []
    desk.lock()
    desk.sign_in("val@example.org", PASSWORD)
    assert desk.roster_matches(world.meeting, "example.org") == []  # no probing addresses
    found = desk.roster_matches(world.meeting, "ann lee")
    assert [(p.first_name, p.email, p.phone) for p in found] == [("Ann", "", "")]
    assert desk.roster_matches(world.meeting, "le") == []  # two letters list nobody
    assert len(desk.roster_matches(world.meeting, "example", limit=1000)) <= 20  # capped
    assert all(p.job_title == "" for p in found)  # names and companies only


def test_partners_never_sign_in_to_a_leaders_laptop_ROS_2(world: World, desk: Desk) -> None:
    desk.sign_in("lee@example.org", PASSWORD)
    with pytest.raises(RuleViolation) as refused:
        desk.create_account(world.chapter, "Pat", "pat@example.org", PASSWORD, Role.PARTNER)
    assert refused.value.rule_id == "ROS-2"
    # A partner role that arrived some other way (e.g. the server) still cannot sign in here.
    with world.store.session() as s:
        account = Account(login="pia@example.org", display_name="Pia Partner")
        s.add(account)
        s.flush()
        s.add(AccountRole(account_id=account.id, chapter_id=world.chapter, role=Role.PARTNER))
        s.add(
            LocalCredential(
                account_id=account.id, verifier=accounts.passwords.make_verifier(PASSWORD)
            )
        )
    desk.lock()
    with pytest.raises(SignInRefused, match="ROS-2"):
        desk.sign_in("pia@example.org", PASSWORD)


def test_a_kiosk_is_one_meetings_desk_and_only_a_leader_ends_it(world: World, desk: Desk) -> None:
    toronto = other_chapter(world)
    desk.sign_in("lee@example.org", PASSWORD)
    desk.create_account(world.chapter, "Val", "val@example.org", PASSWORD, Role.VOLUNTEER)
    desk.create_account(toronto, "Tia", "tia@example.org", PASSWORD, Role.LEADER)
    desk.register(world.meeting, world.people["Ann"])
    kiosk = desk.start_kiosk(world.meeting)
    assert kiosk.kiosk and kiosk.role is Role.VOLUNTEER and kiosk.meeting_ids == {world.meeting}
    assert [m.id for m in desk.meetings(world.chapter)] == [world.meeting]
    assert [r.first_name for r in desk.attendees(world.meeting)] == ["Ann"]
    with pytest.raises(PermissionDenied):
        desk.people(world.chapter)
    with pytest.raises(PermissionDenied):
        desk.attendees(world.customers_only)
    desk.lock()  # a kiosk does not lock into "nobody": it stays a kiosk
    assert desk.signed_in == kiosk
    with pytest.raises(SignInRefused, match="only a leader"):
        desk.sign_in("val@example.org", PASSWORD)
    with pytest.raises(SignInRefused, match="only a leader"):
        desk.sign_in("tia@example.org", PASSWORD)  # a leader, of another chapter
    assert desk.signed_in == kiosk
    back = desk.sign_in("lee@example.org", PASSWORD)
    assert back.role is Role.LEADER and not back.kiosk
    with world.store.session() as s:
        actions = list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.at)))
    assert "kiosk.started" in actions and "kiosk.ended" in actions


def test_changing_the_password(world: World, desk: Desk) -> None:
    desk.sign_in("lee@example.org", PASSWORD)
    with pytest.raises(SignInRefused):
        desk.change_password("wrong current one", "a new long password")
    desk.change_password(PASSWORD, "a new long password")
    desk.lock()
    with pytest.raises(SignInRefused):
        desk.sign_in("lee@example.org", PASSWORD)
    assert desk.sign_in("lee@example.org", "a new long password").role is Role.LEADER


def test_meetings_of_other_chapters_stay_invisible(world: World, desk: Desk) -> None:
    toronto = other_chapter(world)
    desk.sign_in("lee@example.org", PASSWORD)
    with world.store.session() as s:
        s.add(
            Meeting(
                chapter_id=toronto,
                title="Toronto only",
                starts_at=datetime(2030, 1, 1, 17),
                ends_at=datetime(2030, 1, 1, 19),
            )
        )
    desk.create_account(world.chapter, "Oli", "oli@example.org", PASSWORD, Role.CO_LEADER)
    desk.lock()
    desk.sign_in("oli@example.org", PASSWORD)
    assert "Toronto only" not in {m.title for m in desk.meetings(world.chapter)}
    with pytest.raises(PermissionDenied):
        desk.meetings(toronto)


def test_accounts_stay_on_the_laptop_never_in_the_outbox(world: World, desk: Desk) -> None:
    """A laptop cannot grant anyone a role on the server: accounts, grants and volunteer
    assignments are per laptop, and the server's are managed by its administrator. The
    verifier never leaves the laptop either."""
    desk.sign_in("lee@example.org", PASSWORD)
    row = desk.create_account(world.chapter, "Val", "val@example.org", PASSWORD, Role.VOLUNTEER)
    desk.assign_volunteer(world.meeting, row.id)
    with world.store.session() as s:
        queued = [e.patch for e in s.scalars(select(OutboxEntry))]
        entities = set(s.scalars(select(OutboxEntry.entity)))
    assert not entities & {"accounts", "account_roles", "volunteer_assignments"}
    assert "val@example.org" not in str(queued) and "scrypt$" not in str(queued)


def test_leading_one_chapter_and_co_leading_another_gives_both(world: World, desk: Desk) -> None:
    toronto = other_chapter(world)
    desk.sign_in("lee@example.org", PASSWORD)
    row = desk.create_account(world.chapter, "Dee", "dee@example.org", PASSWORD, Role.LEADER)
    with world.store.session() as s:
        s.add(AccountRole(account_id=row.id, chapter_id=toronto, role=Role.CO_LEADER))
    desk.lock()
    dee = desk.sign_in("dee@example.org", PASSWORD)
    assert dee.chapter_ids == {world.chapter, toronto}


def test_guessing_the_current_password_is_paused_too(desk: Desk) -> None:
    desk.sign_in("lee@example.org", PASSWORD)
    for _ in range(MAX_FAILED_SIGN_INS):
        with pytest.raises(SignInRefused, match="current password"):
            desk.change_password("guess guess guess", "a new long password")
    with pytest.raises(SignInRefused, match="Wait"):
        desk.change_password(PASSWORD, "a new long password")
