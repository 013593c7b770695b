"""The door: ESC-3, ESC-4, MTG-3, MTG-4 at check-in; scans; events never conflict."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from chapterdesk.domain.checkin import CheckInEventFacts, presence
from chapterdesk.domain.enums import CheckInKind, RegistrationStatus
from chapterdesk.domain.violations import RuleViolation
from chapterdesk.services import checkin
from chapterdesk.services import registrations as regs
from chapterdesk.services.desk import Desk
from chapterdesk.services.views import VerdictLevel
from chapterdesk.store.models import CheckInEvent, OutboxEntry
from tests.world import World, build_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = build_world(tmp_path / "data", capacity=6)
    yield w
    w.store.close()


@pytest.fixture
def desk(world: World) -> Desk:
    return Desk(world.store, world.leader)


def register(w: World, who: str, meeting: str | None = None, **kw: object) -> regs.Registered:
    with w.store.session() as s:
        return regs.register(s, w.leader, meeting or w.meeting, w.people[who], **kw)  # type: ignore[arg-type]


def events(w: World) -> int:
    with w.store.session() as s:
        return s.scalar(select(func.count()).select_from(CheckInEvent)) or 0


def test_customer_checks_in_green_and_it_is_an_event(world: World, desk: Desk) -> None:
    ann = register(world, "Ann")
    verdict = desk.check_in(ann.registration_id)
    assert verdict.level is VerdictLevel.OK and "Ann Lee is checked in" in verdict.headline
    assert verdict.attendee is not None and verdict.attendee.checked_in
    with world.store.session() as s:
        event = s.scalars(select(CheckInEvent)).one()
        assert event.kind is CheckInKind.IN and event.device_id == world.store.device_id
        assert (
            s.scalar(
                select(func.count())
                .select_from(OutboxEntry)
                .where(OutboxEntry.entity == "check_in_events")
            )
            == 1
        )


def test_second_check_in_says_when_and_where(world: World, desk: Desk) -> None:
    ann = register(world, "Ann")
    desk.check_in(ann.registration_id)
    again = desk.check_in(ann.registration_id)
    assert again.level is VerdictLevel.ATTENTION
    assert "already checked in" in again.headline
    assert world.store.device_id[:8] in again.detail
    assert events(world) == 1


def test_partner_waits_for_the_escort_ESC_3(world: World, desk: Desk) -> None:
    ann = register(world, "Ann")
    pat = register(world, "Pat", escort_registration_id=ann.registration_id)
    held = desk.check_in(pat.registration_id)
    assert held.level is VerdictLevel.ATTENTION and held.rule_id == "ESC-3"
    assert held.escort_to_check_in is not None
    assert held.escort_to_check_in.registration_id == ann.registration_id
    assert "Check Ann Lee in first" in held.fix
    assert events(world) == 0
    desk.check_in(ann.registration_id)
    assert desk.check_in(pat.registration_id).level is VerdictLevel.OK


def test_escort_leaving_flags_the_partners_inside_ESC_3(world: World, desk: Desk) -> None:
    ann = register(world, "Ann")
    pat = register(world, "Pat", escort_registration_id=ann.registration_id)
    desk.check_in(ann.registration_id)
    desk.check_in(pat.registration_id)
    out = desk.check_out(ann.registration_id)
    assert out.level is VerdictLevel.ATTENTION and out.rule_id == "ESC-3"
    assert "Pat Quinn" in out.detail
    undone = desk.undo_check_in(ann.registration_id)  # the check-out is taken back
    assert undone.level is VerdictLevel.OK
    rows = {a.registration_id: a for a in desk.attendees(world.meeting)}
    assert rows[ann.registration_id].checked_in


def test_undoing_the_escort_check_in_flags_partners_ESC_3(world: World, desk: Desk) -> None:
    ann = register(world, "Ann")
    pat = register(world, "Pat", escort_registration_id=ann.registration_id)
    desk.check_in(ann.registration_id)
    desk.check_in(pat.registration_id)
    verdict = desk.undo_check_in(ann.registration_id)
    assert verdict.rule_id == "ESC-3" and "Pat Quinn" in verdict.detail


def test_partner_whose_escort_cancelled_is_refused_ESC_4(world: World, desk: Desk) -> None:
    ann = register(world, "Ann")
    pat = register(world, "Pat", escort_registration_id=ann.registration_id)
    with world.store.session() as s:
        regs.cancel(s, world.leader, ann.registration_id)
    verdict = desk.check_in(pat.registration_id)
    assert verdict.level is VerdictLevel.REFUSED and verdict.rule_id == "ESC-4"
    assert events(world) == 0


def test_partner_at_partner_exclusive_meeting_needs_no_escort_ESC_1(
    world: World, desk: Desk
) -> None:
    pat = register(world, "Pat", meeting=world.exclusive)
    assert desk.check_in(pat.registration_id).level is VerdictLevel.OK


def test_waiting_list_and_pending_approval_are_refused_MTG_3_MTG_4(
    world: World, desk: Desk
) -> None:
    ann = register(world, "Ann")
    sam = register(world, "Sam", escort_registration_id=ann.registration_id)
    assert sam.status is RegistrationStatus.PENDING_APPROVAL
    desk.check_in(ann.registration_id)
    assert desk.check_in(sam.registration_id).rule_id == "MTG-4"
    bob = register(world, "Bob")
    cleo = register(world, "Cleo")
    register(world, "Mia")
    register(world, "Pia", escort_registration_id=bob.registration_id)  # 6 of 6 places
    nora = register(world, "Nora", escort_registration_id=cleo.registration_id)
    assert nora.status is RegistrationStatus.WAITLISTED
    desk.check_in(cleo.registration_id)
    refused = desk.check_in(nora.registration_id)
    assert refused.level is VerdictLevel.REFUSED and refused.rule_id == "MTG-3"
    assert "waiting list" in refused.detail


def test_scans(world: World, desk: Desk) -> None:
    ann = register(world, "Ann")
    other = register(world, "Bob", meeting=world.customers_only)
    garbage = desk.scan(world.meeting, "HELLO-123")
    assert garbage.level is VerdictLevel.REFUSED and "not a registration code" in garbage.headline
    unknown = desk.scan(world.meeting, "ABCDEFGHJK")
    assert unknown.level is VerdictLevel.REFUSED and "Unknown code" in unknown.headline
    elsewhere = desk.scan(world.meeting, other.code.lower())
    assert elsewhere.level is VerdictLevel.REFUSED
    assert "Customers talk budgets" in elsewhere.detail
    assert events(world) == 0  # none of those changed anything
    assert desk.scan(world.meeting, f"  {ann.code}\n").level is VerdictLevel.OK


def test_walk_ins_customers_yes_partners_no_MTG_2(world: World, desk: Desk) -> None:
    verdict = desk.register_new_walk_in(world.meeting, "Zoë", "Walker", "Fabrikam manufacturing")
    assert verdict.level is VerdictLevel.OK  # joins the existing customer organisation
    with pytest.raises(RuleViolation) as info:
        desk.register_new_walk_in(world.meeting, "Carl", "Vendor", "Contoso Consulting")
    assert info.value.rule_id == "MTG-2"
    names = {a.full_name for a in desk.attendees(world.meeting)}
    assert "Zoë Walker" in names and "Carl Vendor" not in names  # nothing half-done


def test_counts(world: World, desk: Desk) -> None:
    ann = register(world, "Ann")
    pat = register(world, "Pat", escort_registration_id=ann.registration_id)
    register(world, "Bob")
    desk.check_in(ann.registration_id)
    desk.check_in(pat.registration_id)
    counts = desk.desk_counts(world.meeting)
    assert (counts.registered, counts.checked_in, counts.partners_in, counts.escorts_in) == (
        3,
        2,
        1,
        1,
    )


def test_two_desks_checking_in_the_same_person_agree() -> None:
    """Events from two laptops, merged in any order, give one state; an undo names its
    event, so it undoes exactly that one."""
    t = datetime(2026, 11, 22, 18, tzinfo=UTC)
    a = CheckInEventFacts("a", "r", CheckInKind.IN, "0000000000001-00000-deska", "deska", t)
    b = CheckInEventFacts("b", "r", CheckInKind.IN, "0000000000002-00000-deskb", "deskb", t)
    u = CheckInEventFacts(
        "u", "r", CheckInKind.UNDO, "0000000000003-00000-deskb", "deskb", t, undoes_event_id="b"
    )
    for order in ([a, b, u], [u, b, a], [b, u, a]):
        state = presence(order)
        assert state.checked_in and state.since is not None and state.since.id == "a"
    assert presence([a, b]).since == a  # the first check-in is "since when"


def test_listing_hides_email_but_searches_its_prefix_for_leaders(world: World, desk: Desk) -> None:
    register(world, "Ann")
    row = desk.attendees(world.meeting)[0]
    assert "ann" in row.search_text and "@" not in row.search_text
    with world.store.session() as s:
        volunteer_rows = checkin.attendees(s, world.volunteer(), world.meeting)
    assert volunteer_rows[0].search_text == "ann lee city of ottawa " + row.code.lower()
