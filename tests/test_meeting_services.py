"""Creating and editing meetings and chapter limits (MTG-1, MTG-3, MTG-5, MTG-7, ESC-5)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from chapterdesk.domain.enums import RegistrationStatus
from chapterdesk.domain.violations import PermissionDenied, RuleViolation
from chapterdesk.services.desk import Desk
from chapterdesk.services.views import ChapterSettings, MeetingDraft
from tests.world import World, build_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = build_world(tmp_path / "data", capacity=2)
    yield w
    w.store.close()


def draft(**kw: object) -> MeetingDraft:
    start = datetime.now().replace(microsecond=0) + timedelta(days=14)
    values: dict[str, object] = {
        "title": "Power BI for Finance",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "venue": "Microsoft Ottawa",
        "capacity": 40,
        "partners_welcome": True,
    }
    values.update(kw)
    return MeetingDraft(**values)  # type: ignore[arg-type]


def test_create_and_edit_a_meeting(world: World) -> None:
    desk = Desk(world.store, world.leader)
    meeting_id = desk.create_meeting(world.chapter, draft())
    assert desk.meeting_draft(meeting_id).title == "Power BI for Finance"
    desk.update_meeting(meeting_id, draft(title="Power BI for Finance, part 2", capacity=60))
    row = next(m for m in desk.meetings(world.chapter) if m.id == meeting_id)
    assert (row.title, row.capacity) == ("Power BI for Finance, part 2", 60)


def test_partner_exclusive_meeting_welcomes_partners_MTG_7(world: World) -> None:
    desk = Desk(world.store, world.leader)
    meeting_id = desk.create_meeting(
        world.chapter, draft(partners_welcome=False, partner_exclusive=True)
    )
    assert desk.meeting_draft(meeting_id).partners_welcome


@pytest.mark.parametrize(
    "bad",
    [{"title": "  "}, {"capacity": 0}, {"ends_at": datetime.now() - timedelta(days=1)}],
)
def test_bad_meetings_are_refused_with_a_fix(world: World, bad: dict[str, object]) -> None:
    with pytest.raises(RuleViolation) as info:
        Desk(world.store, world.leader).create_meeting(world.chapter, draft(**bad))
    assert info.value.fix


def test_more_places_promote_the_waiting_list_MTG_3(world: World) -> None:
    desk = Desk(world.store, world.leader)
    desk.register(world.meeting, world.people["Ann"])
    desk.register(world.meeting, world.people["Bob"])
    waiting = desk.register(world.meeting, world.people["Cleo"])
    assert waiting.status is RegistrationStatus.WAITLISTED
    current = desk.meeting_draft(world.meeting)
    desk.update_meeting(world.meeting, draft(**{**current.__dict__, "capacity": 3}))
    rows = {a.registration_id: a for a in desk.attendees(world.meeting)}
    assert rows[waiting.registration_id].status is RegistrationStatus.REGISTERED


def test_inviting_customer_and_partner_register_together_ESC_1(world: World) -> None:
    desk = Desk(world.store, world.leader)
    done = desk.register_with_inviting_customer(
        world.meeting, world.people["Pat"], world.people["Ann"]
    )
    assert done.status is RegistrationStatus.REGISTERED
    with pytest.raises(RuleViolation):  # Hunter's firm is excluded: neither is registered
        desk.register_with_inviting_customer(
            world.meeting, world.people["Hunter"], world.people["Bob"]
        )
    names = {a.full_name for a in desk.attendees(world.meeting)}
    assert names == {"Ann Lee", "Pat Quinn"}


def test_chapter_limits_change_the_rules_MTG_5_ESC_5(world: World) -> None:
    desk = Desk(world.store, world.leader)
    desk.update_chapter_settings(world.chapter, ChapterSettings(1, 2))
    assert desk.chapter_settings(world.chapter) == ChapterSettings(1, 2)
    desk.update_meeting(world.meeting, draft(capacity=10))
    ann = desk.register(world.meeting, world.people["Ann"])
    desk.register(world.meeting, world.people["Pat"], ann.registration_id)
    desk.register(world.meeting, world.people["Nora"], ann.registration_id)  # 2 companies: ok
    with pytest.raises(RuleViolation) as info:
        desk.register(world.meeting, world.people["Pia"], ann.registration_id)
    assert info.value.rule_id == "MTG-5"  # one person per partner company now
    with pytest.raises(RuleViolation):
        desk.update_chapter_settings(world.chapter, ChapterSettings(0, 1))


def test_volunteer_cannot_create_meetings(world: World) -> None:
    with pytest.raises(PermissionDenied):
        Desk(world.store, world.volunteer()).create_meeting(world.chapter, draft())
