"""MTG-1…5, ESC-1, ESC-2, ESC-4, ESC-5 and ORG-4, enforced through the registration service."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from chapterdesk.domain.enums import RegistrationStatus
from chapterdesk.domain.violations import PermissionDenied, RuleViolation
from chapterdesk.services import registrations as regs
from chapterdesk.store.models import AuditEvent, OutboxEntry, Registration
from tests.world import World, build_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = build_world(tmp_path / "data", capacity=4)
    yield w
    w.store.close()


def register(w: World, who: str, meeting: str | None = None, **kw: object) -> regs.Registered:
    with w.store.session() as s:
        return regs.register(s, w.leader, meeting or w.meeting, w.people[who], **kw)  # type: ignore[arg-type]


def status(w: World, registration_id: str) -> RegistrationStatus:
    with w.store.session() as s:
        reg = s.get(Registration, registration_id)
        assert reg is not None
        return reg.status


def refused(w: World, rule: str, who: str, **kw: object) -> RuleViolation:
    before = outbox_count(w)
    with pytest.raises(RuleViolation) as info:
        register(w, who, **kw)
    assert info.value.rule_id == rule
    assert info.value.message and info.value.fix  # ESC-6: what is wrong and what to do
    assert outbox_count(w) == before  # nothing written
    return info.value


def outbox_count(w: World) -> int:
    with w.store.session() as s:
        return s.scalar(select(func.count()).select_from(OutboxEntry)) or 0


def test_customer_registers_and_gets_a_code_with_audit_and_outbox(world: World) -> None:
    done = register(world, "Ann")
    assert done.status is RegistrationStatus.REGISTERED and len(done.code) == 10
    with world.store.session() as s:
        audit = s.scalars(select(AuditEvent).where(AuditEvent.entity_id == done.registration_id))
        assert [a.action for a in audit] == ["registration.created"]
        entry = s.scalars(
            select(OutboxEntry).where(OutboxEntry.entity_id == done.registration_id)
        ).one()
        assert entry.entity == "registrations" and entry.patch["status"][0] == "registered"
        assert entry.patch["code"][0] == done.code  # the whole new row travels


def test_partner_without_escort_is_refused_ESC_1(world: World) -> None:
    register(world, "Ann")
    violation = refused(world, "ESC-1", "Pat")
    assert "Pat Quinn (Contoso Consulting) needs an escort" in violation.message
    assert "Ann Lee" in violation.fix  # ESC-6: offers the customers who could escort


def test_partner_with_registered_customer_escort_is_registered_ESC_1(world: World) -> None:
    ann = register(world, "Ann")
    pat = register(world, "Pat", escort_registration_id=ann.registration_id)
    assert pat.status is RegistrationStatus.REGISTERED


def test_partner_exclusive_meeting_needs_no_escort_ESC_1_MTG_7(world: World) -> None:
    pat = register(world, "Pat", meeting=world.exclusive)
    assert pat.status is RegistrationStatus.REGISTERED


@pytest.mark.parametrize("escort", ["Nora", "Mia"])
def test_escort_must_be_a_customer_ESC_2(world: World, escort: str) -> None:
    register(world, "Ann")
    not_customer = register(
        world,
        escort,
        **(
            {"escort_registration_id": register(world, "Bob").registration_id}
            if escort == "Nora"
            else {}
        ),
    )
    violation = refused(world, "ESC-2", "Pat", escort_registration_id=not_customer.registration_id)
    assert "must be a customer" in violation.message


def test_customers_only_meeting_refuses_partners_MTG_1(world: World) -> None:
    ann = register(world, "Ann", meeting=world.customers_only)
    violation = refused(
        world,
        "MTG-1",
        "Pat",
        meeting=world.customers_only,
        escort_registration_id=ann.registration_id,
    )
    assert "customers only" in violation.message


def test_partner_cannot_register_after_the_start_MTG_2(world: World) -> None:
    ann = register(world, "Ann")
    later = datetime.now() + timedelta(days=8)
    refused(world, "MTG-2", "Pat", escort_registration_id=ann.registration_id, now=later)


def test_partner_cannot_register_at_the_door_MTG_2(world: World) -> None:
    ann = register(world, "Ann")
    refused(world, "MTG-2", "Pat", escort_registration_id=ann.registration_id, at_the_door=True)


def test_customer_walk_in_at_the_door_is_fine_MTG_2(world: World) -> None:
    assert register(world, "Bob", at_the_door=True).status is RegistrationStatus.REGISTERED


def test_full_meeting_puts_people_on_an_ordered_waiting_list_MTG_3(world: World) -> None:
    placed = [register(world, who) for who in ("Ann", "Bob", "Cleo", "Mia")]
    assert all(p.status is RegistrationStatus.REGISTERED for p in placed)
    fifth = register(world, "Pat", escort_registration_id=placed[0].registration_id)
    sixth = register(world, "Nora", escort_registration_id=placed[1].registration_id)
    assert (fifth.status, fifth.waitlist_position) == (RegistrationStatus.WAITLISTED, 1)
    assert (sixth.status, sixth.waitlist_position) == (RegistrationStatus.WAITLISTED, 2)


def test_waiting_list_is_promoted_in_order_on_cancellation_MTG_3(world: World) -> None:
    placed = [register(world, who) for who in ("Ann", "Bob", "Cleo", "Mia")]
    waiting_1 = register(world, "Pat", escort_registration_id=placed[0].registration_id)
    waiting_2 = register(world, "Nora", escort_registration_id=placed[1].registration_id)
    assert (waiting_1.status, waiting_1.waitlist_position) == (RegistrationStatus.WAITLISTED, 1)
    assert (waiting_2.status, waiting_2.waitlist_position) == (RegistrationStatus.WAITLISTED, 2)
    with world.store.session() as s:
        outcome = regs.cancel(s, world.leader, placed[3].registration_id)  # Mia cancels
    assert outcome.promoted == ["Pat Quinn"]
    assert status(world, waiting_1.registration_id) is RegistrationStatus.REGISTERED
    with world.store.session() as s:
        second = s.get(Registration, waiting_2.registration_id)
        assert second is not None and second.waitlist_position == 1  # moved up the list


def test_sales_partner_waits_for_approval_MTG_4(world: World) -> None:
    ann = register(world, "Ann")
    sam = register(world, "Sam", escort_registration_id=ann.registration_id)
    assert sam.status is RegistrationStatus.PENDING_APPROVAL
    with world.store.session() as s:
        approved = regs.approve(s, world.leader, sam.registration_id)
    assert approved.status is RegistrationStatus.REGISTERED


def test_partner_company_sends_at_most_two_MTG_5(world: World) -> None:
    ann = register(world, "Ann")
    bob = register(world, "Bob")
    register(world, "Pat", escort_registration_id=ann.registration_id)
    register(world, "Pia", escort_registration_id=ann.registration_id)
    violation = refused(world, "MTG-5", "Pete", escort_registration_id=bob.registration_id)
    assert "Contoso Consulting already sends 2 people" in violation.message


def test_one_escort_for_one_partner_company_ESC_5(world: World) -> None:
    ann = register(world, "Ann")
    register(world, "Pat", escort_registration_id=ann.registration_id)
    violation = refused(world, "ESC-5", "Nora", escort_registration_id=ann.registration_id)
    assert "Ann Lee already escorts" in violation.message


def test_excluded_organisation_cannot_attend_as_partner_ORG_4(world: World) -> None:
    ann = register(world, "Ann")
    violation = refused(world, "ORG-4", "Hunter", escort_registration_id=ann.registration_id)
    assert "recruiter" in violation.message


def test_escort_cancelling_flags_partners_escort_needed_ESC_4(world: World) -> None:
    ann = register(world, "Ann")
    pat = register(world, "Pat", escort_registration_id=ann.registration_id)
    with world.store.session() as s:
        outcome = regs.cancel(s, world.leader, ann.registration_id)
    assert outcome.escort_needed == ["Pat Quinn"]
    assert status(world, pat.registration_id) is RegistrationStatus.ESCORT_NEEDED
    with world.store.session() as s:  # nothing silently deleted
        assert s.get(Registration, ann.registration_id) is not None
    bob = register(world, "Bob")
    with world.store.session() as s:
        regs.assign_escort(s, world.leader, pat.registration_id, bob.registration_id)
    assert status(world, pat.registration_id) is RegistrationStatus.REGISTERED


def test_restore_takes_a_place_or_joins_the_waiting_list_MTG_3(world: World) -> None:
    ann = register(world, "Ann")
    with world.store.session() as s:
        regs.cancel(s, world.leader, ann.registration_id)
    bob, _cleo, _mia = (register(world, who) for who in ("Bob", "Cleo", "Mia"))
    with world.store.session() as s:
        again = regs.restore(s, world.leader, ann.registration_id)
    assert again.status is RegistrationStatus.REGISTERED
    with world.store.session() as s:
        regs.cancel(s, world.leader, ann.registration_id)
    register(world, "Pat", escort_registration_id=bob.registration_id)  # the last place
    with world.store.session() as s:
        again = regs.restore(s, world.leader, ann.registration_id)
    assert (again.status, again.waitlist_position) == (RegistrationStatus.WAITLISTED, 1)


def test_registering_twice_is_refused(world: World) -> None:
    register(world, "Ann")
    refused(world, "MTG-3", "Ann")


def test_volunteers_cannot_register_in_advance_ROS(world: World) -> None:
    with world.store.session() as s, pytest.raises(PermissionDenied):
        regs.register(s, world.volunteer(), world.meeting, world.people["Ann"])
