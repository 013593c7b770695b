"""Roster management through its services (issue 8): adding and editing people (ORG-1, ORG-3,
ORG-5, ROS-1), membership, attendance history, moving a person (past registrations keep their
organisation), organisation changes that flag registrations (ORG-4, ESC-1, ESC-2), partners of
record (CND-2), duplicates and merges that lose nothing and can be undone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chapterdesk.domain.checkin import presence
from chapterdesk.domain.duplicates import Reason
from chapterdesk.domain.enums import (
    CheckInKind,
    ExcludedKind,
    JobRole,
    Membership,
    OrgCategory,
    RegistrationStatus,
)
from chapterdesk.domain.violations import PermissionDenied, RuleViolation
from chapterdesk.services import checkin, merges, organisations, people, roster
from chapterdesk.services.checkin import _events
from chapterdesk.services.registrations import register
from chapterdesk.services.roster_views import OrganisationDraft, PersonDraft
from chapterdesk.store.models import (
    AuditEvent,
    CheckInEvent,
    Meeting,
    Organisation,
    OutboxEntry,
    Person,
    PersonMerge,
    Registration,
)
from tests.world import World


def org_id(s: Session, name: str) -> str:
    found = s.scalar(select(Organisation.id).where(Organisation.name == name))
    assert found is not None, name
    return found


def audit_actions(s: Session) -> list[str]:
    return list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.at)))


def queued(s: Session, entity: str, entity_id: str) -> bool:
    return bool(
        s.scalar(
            select(func.count())
            .select_from(OutboxEntry)
            .where(OutboxEntry.entity == entity, OutboxEntry.entity_id == entity_id)
        )
    )


def today_meeting(world: World, title: str = "Tonight") -> str:
    """A meeting under way now (the door is open), partners welcome."""
    now = datetime.now().replace(microsecond=0)
    with world.store.session() as s:
        m = Meeting(
            chapter_id=world.chapter,
            title=title,
            starts_at=now - timedelta(minutes=30),
            ends_at=now + timedelta(hours=2),
            capacity=40,
            partners_welcome=True,
        )
        s.add(m)
        s.flush()
        return m.id


def past_meeting(world: World, days_ago: int, title: str) -> str:
    start = datetime.now().replace(microsecond=0) - timedelta(days=days_ago)
    with world.store.session() as s:
        m = Meeting(
            chapter_id=world.chapter,
            title=title,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            capacity=40,
            partners_welcome=True,
        )
        s.add(m)
        s.flush()
        return m.id


def draft(s: Session, **kw: object) -> PersonDraft:
    values: dict[str, object] = {
        "first_name": "Dana",
        "last_name": "Scully",
        "organisation_id": org_id(s, "Fabrikam Manufacturing"),
        "membership": Membership.PROSPECT,
        "email": "dana@fabrikam.example",
        "job_role": JobRole.FUNCTIONAL,
    }
    values.update(kw)
    return PersonDraft(**values)  # type: ignore[arg-type]


# ------------------------------------------------------------------ people


def test_a_leader_adds_a_person_with_every_field_audited_and_queued(world: World) -> None:
    with world.store.session() as s:
        pid = roster.save_person(
            s,
            world.leader,
            world.chapter,
            None,
            draft(s, phone="+1 613 555 0100", consent_email=True, notes="Met at Summit"),
        )
    with world.store.session() as s:
        person = s.get(Person, pid)
        assert person is not None
        assert (person.first_name, person.phone, person.consent_email) == (
            "Dana",
            "+1 613 555 0100",
            True,
        )
        assert "fabrikam" in person.search_text
        assert "person.created" in audit_actions(s)
        assert queued(s, "people", pid)


@pytest.mark.parametrize(
    ("change", "rule", "words"),
    [
        ({"first_name": "  "}, "ORG-1", "first name"),
        ({"organisation_id": ""}, "ORG-1", "organisation"),
        ({"email": "dana@"}, "ROS-1", "not an email address"),
        ({"phone": "call me"}, "ROS-1", "not a phone number"),
        ({"membership": Membership.NONE}, "ORG-5", "member or a prospect"),
        ({"member_since": date(2024, 1, 1)}, "ORG-5", "Only members"),
    ],
)
def test_a_person_form_is_refused_naming_the_rule(
    world: World, change: dict[str, object], rule: str, words: str
) -> None:
    with world.store.session() as s, pytest.raises(RuleViolation) as refused:
        roster.save_person(s, world.leader, world.chapter, None, draft(s, **change))
    assert refused.value.rule_id == rule
    assert words in refused.value.message


def test_a_partner_person_holds_no_membership(world: World) -> None:  # ORG-3
    with world.store.session() as s:
        contoso = org_id(s, "Contoso Consulting")
        with pytest.raises(RuleViolation) as refused:
            roster.save_person(
                s, world.leader, world.chapter, None, draft(s, organisation_id=contoso)
            )
        assert refused.value.rule_id == "ORG-3"
        roster.save_person(
            s,
            world.leader,
            world.chapter,
            None,
            draft(s, organisation_id=contoso, membership=Membership.NONE),
        )


def test_a_prospect_converts_to_a_member_with_dates(world: World) -> None:  # ORG-5
    bob = world.people["Bob"]
    with world.store.session() as s:
        roster.convert_to_member(s, world.leader, bob, date(2026, 1, 15), date(2027, 1, 15))
    with world.store.session() as s:
        detail = roster.person_detail(s, world.leader, bob)
        assert detail.draft.membership is Membership.MEMBER
        assert detail.draft.member_since == date(2026, 1, 15)
        assert "person.became_member" in audit_actions(s)
        with pytest.raises(RuleViolation, match="already a member"):
            roster.convert_to_member(s, world.leader, bob, date(2026, 1, 15), None)


def test_volunteers_and_partners_cannot_edit_the_roster(world: World) -> None:  # ROS-1/2
    volunteer = world.volunteer()
    with world.store.session() as s:
        with pytest.raises(PermissionDenied):
            roster.save_person(s, volunteer, world.chapter, None, draft(s))
        with pytest.raises(PermissionDenied):
            roster.person_detail(s, volunteer, world.people["Ann"])
        with pytest.raises(PermissionDenied):
            merges.duplicate_rows(s, volunteer, world.chapter)


def test_editing_a_person_records_which_fields_changed_never_their_values(world: World) -> None:
    ann = world.people["Ann"]
    with world.store.session() as s:
        before = roster.person_detail(s, world.leader, ann).draft
        roster.save_person(
            s, world.leader, world.chapter, ann, replace(before, email="ann.lee@city.example")
        )
    with world.store.session() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "person.updated")).one()
        assert event.details["fields"] == ["email"]
        assert "ann.lee@city.example" not in str(event.details)


def test_history_lists_meetings_attended_with_the_organisation_of_the_time(world: World) -> None:
    ann = world.people["Ann"]
    tonight = today_meeting(world)
    with world.store.session() as s:
        reg = register(s, world.leader, tonight, ann).registration_id
        checkin.check_in(s, world.leader, reg)
        register(s, world.leader, world.meeting, ann)
    with world.store.session() as s:
        history = roster.person_detail(s, world.leader, ann).history
        assert [(h.meeting, h.attended, h.organisation) for h in history] == [
            ("Year-end close", False, "City of Ottawa"),
            ("Tonight", True, "City of Ottawa"),
        ]
        row = next(p for p in people.list_people(s, world.leader, world.chapter) if p.id == ann)
        assert row.attended == 1 and row.last_attended == date.today()


# ------------------------------------------------------------------ moving


def test_a_move_keeps_past_registrations_and_moves_upcoming_ones(world: World) -> None:
    bob = world.people["Bob"]
    tonight = today_meeting(world)
    with world.store.session() as s:
        past = register(s, world.leader, tonight, bob).registration_id
        upcoming = register(s, world.leader, world.meeting, bob).registration_id
        s.get(Registration, past).meeting_id  # noqa: B018
        m = s.get(Meeting, tonight)
        assert m is not None
        m.starts_at -= timedelta(days=30)
        m.ends_at -= timedelta(days=30)
    with world.store.session() as s:
        fabrikam = org_id(s, "Fabrikam Manufacturing")
        roster.move_person(s, world.leader, bob, fabrikam)
    with world.store.session() as s:
        assert s.get(Registration, past).organisation_id == org_id(s, "City of Ottawa")
        assert s.get(Registration, upcoming).organisation_id == org_id(s, "Fabrikam Manufacturing")
        assert s.get(Person, bob).membership is Membership.PROSPECT
        assert "person.moved" in audit_actions(s)


def test_moving_a_customer_to_a_partner_flags_what_breaks(world: World) -> None:
    ann = world.people["Ann"]
    with world.store.session() as s:
        ann_reg = register(s, world.leader, world.meeting, ann).registration_id
        pat_reg = register(
            s, world.leader, world.meeting, world.people["Pat"], escort_registration_id=ann_reg
        ).registration_id
        contoso = org_id(s, "Contoso Consulting")
        preview = roster.move_preview(s, world.leader, ann, contoso)
        rules = sorted(c.rule for c in preview.consequences)
        assert rules == ["ESC-1", "ESC-2", "ORG-3"]
        assert any("ESC-2" in line for line in preview.lines)
        roster.move_person(s, world.leader, ann, contoso)
    with world.store.session() as s:
        ann_row, pat_row = s.get(Registration, ann_reg), s.get(Registration, pat_reg)
        assert ann_row.category is OrgCategory.PARTNER
        assert ann_row.status is RegistrationStatus.ESCORT_NEEDED and ann_row.flag_rule == "ESC-1"
        assert pat_row.status is RegistrationStatus.ESCORT_NEEDED and pat_row.flag_rule == "ESC-2"
        assert s.get(Person, ann).membership is Membership.NONE  # ORG-3
        assert queued(s, "registrations", pat_reg)


# ------------------------------------------------------------------ organisations


def test_marking_a_partner_excluded_flags_its_upcoming_registrations(world: World) -> None:
    with world.store.session() as s:
        ann_reg = register(s, world.leader, world.meeting, world.people["Ann"]).registration_id
        regs = [
            register(
                s, world.leader, world.meeting, world.people[p], escort_registration_id=ann_reg
            ).registration_id
            for p in ("Nora",)
        ]
        cleo_reg = register(s, world.leader, world.meeting, world.people["Cleo"]).registration_id
        northwind = org_id(s, "Northwind Dynamics")
        draft = OrganisationDraft(
            "Northwind Dynamics",
            OrgCategory.PARTNER,
            uses_dynamics=True,
            excluded_kind=ExcludedKind.COMPETING_VENDOR,
        )
        preview = organisations.organisation_preview(
            s, world.leader, world.chapter, northwind, draft
        )
        assert preview.lines == [
            "1 upcoming registration(s) become invalid or need attention: ORG-4"
        ]
        organisations.save_organisation(s, world.leader, world.chapter, northwind, draft)
    with world.store.session() as s:
        nora = s.get(Registration, regs[0])
        assert nora.flag_rule == "ORG-4" and nora.status is not RegistrationStatus.CANCELLED
        assert "invalid" in nora.flag_note
        assert s.get(Registration, cleo_reg).flag_rule == ""  # another company: untouched
        assert "organisation.excluded" in audit_actions(s)
        flagged = {p.id: p.flagged for p in people.list_people(s, world.leader, world.chapter)}
        assert flagged[world.people["Nora"]] == 1
        roster.clear_flag(s, world.leader, regs[0])
        assert s.get(Registration, regs[0]).flag_rule == ""


def test_a_customer_turned_partner_loses_memberships_and_escorts(world: World) -> None:
    with world.store.session() as s:
        ann_reg = register(s, world.leader, world.meeting, world.people["Ann"]).registration_id
        pat_reg = register(
            s, world.leader, world.meeting, world.people["Pat"], escort_registration_id=ann_reg
        ).registration_id
        city = org_id(s, "City of Ottawa")
        _, done = organisations.save_organisation(
            s,
            world.leader,
            world.chapter,
            city,
            OrganisationDraft("City of Ottawa", OrgCategory.PARTNER),
        )
        assert {c.rule for c in done.consequences} == {"ORG-3", "ESC-1", "ESC-2"}
    with world.store.session() as s:
        assert s.get(Person, world.people["Ann"]).membership is Membership.NONE
        assert s.get(Person, world.people["Bob"]).membership is Membership.NONE
        assert s.get(Registration, pat_reg).flag_rule == "ESC-2"
        assert s.get(Registration, ann_reg).category is OrgCategory.PARTNER


def test_organisation_names_are_unique_and_microsoft_is_never_excluded(world: World) -> None:
    with world.store.session() as s:
        with pytest.raises(RuleViolation, match="already on the roster"):
            organisations.save_organisation(
                s,
                world.leader,
                world.chapter,
                None,
                OrganisationDraft("contoso  CONSULTING", OrgCategory.PARTNER),
            )
        with pytest.raises(RuleViolation) as refused:
            organisations.save_organisation(
                s,
                world.leader,
                world.chapter,
                None,
                OrganisationDraft(
                    "MS", OrgCategory.MICROSOFT, excluded_kind=ExcludedKind.UNRELATED
                ),
            )
        assert refused.value.rule_id == "ORG-4"
        new_id, _ = organisations.save_organisation(
            s,
            world.leader,
            world.chapter,
            None,
            OrganisationDraft("Tailspin", OrgCategory.CUSTOMER),
        )
        assert queued(s, "organisations", new_id)


def test_partner_of_record_per_product_line_and_the_cnd2_note(world: World) -> None:
    with world.store.session() as s:
        city, contoso, northwind = (
            org_id(s, n) for n in ("City of Ottawa", "Contoso Consulting", "Northwind Dynamics")
        )
        organisations.set_partner_of_record(s, world.leader, city, "Dynamics 365 Finance", contoso)
        organisations.set_partner_of_record(s, world.leader, city, "Power Platform", northwind)
        # one per product line: naming the line again replaces the partner
        organisations.set_partner_of_record(
            s, world.leader, city, "dynamics 365 finance", northwind
        )
        rows = {r.id: r for r in organisations.organisation_rows(s, world.leader, world.chapter)}[
            city
        ].partners_of_record
        assert [(r.product_line, r.partner) for r in rows] == [
            ("Dynamics 365 Finance", "Northwind Dynamics"),
            ("Power Platform", "Northwind Dynamics"),
        ]
        records = organisations.partners_of_record(s, world.chapter)[city]
        note = organisations.incumbent_note(records, contoso)
        assert "Northwind Dynamics" in note and "CND-2" in note
        assert organisations.incumbent_note(records, northwind) == ""
        with pytest.raises(RuleViolation) as refused:
            organisations.set_partner_of_record(s, world.leader, contoso, "Finance", northwind)
        assert refused.value.rule_id == "CND-2"


# ------------------------------------------------------------------ duplicates and merges


def add_twin(world: World, first: str = "Ann", last: str = "Lee", **kw: object) -> str:
    with world.store.session() as s:
        return roster.save_person(
            s,
            world.leader,
            world.chapter,
            None,
            draft(
                s,
                first_name=first,
                last_name=last,
                organisation_id=org_id(s, "City of Ottawa"),
                email="",
                phone="613 555 0199",
                **kw,
            ),
        )


def test_duplicates_are_found_with_their_reason(world: World) -> None:
    twin = add_twin(world, "ann", "LEE")
    with world.store.session() as s:
        rows = merges.duplicate_rows(s, world.leader, world.chapter)
        assert [(r.reason, {r.first_id, r.second_id}) for r in rows] == [
            (Reason.SAME_NAME_SAME_ORGANISATION, {twin, world.people["Ann"]})
        ]


def checked_in_count(s: Session, person_ids: set[str]) -> int:
    regs = list(s.scalars(select(Registration.id).where(Registration.person_id.in_(person_ids))))
    by_reg: dict[str, list] = {}
    for e in _events(s, regs):
        by_reg.setdefault(e.registration_id, []).append(e)
    return sum(1 for evs in by_reg.values() if presence(evs).checked_in)


def test_a_merge_moves_registrations_and_never_loses_a_check_in(world: World) -> None:
    ann, twin = world.people["Ann"], add_twin(world)
    tonight, other = today_meeting(world), today_meeting(world, "Other room")
    with world.store.session() as s:
        # both registered tonight; only the twin was checked in (two laptops at the door)
        register(s, world.leader, tonight, ann)
        twin_reg = register(s, world.leader, tonight, twin).registration_id
        checkin.check_in(s, world.leader, twin_reg)
        # only the twin registered for the other meeting, and escorts a partner there
        twin_other = register(s, world.leader, other, twin).registration_id
        checkin.check_in(s, world.leader, twin_other)
        events_before = s.scalar(select(func.count()).select_from(CheckInEvent))
        regs_before = s.scalar(select(func.count()).select_from(Registration))
        preview = merges.merge_preview(s, world.leader, ann, twin)
        assert (preview.moves, preview.duplicates, preview.carried_check_ins) == (1, 1, 1)
        phone = next(f for f in preview.fields if f[0] == "phone")
        assert phone[1:] == ("", "613 555 0199", "merged")  # the empty side takes the other's
        result = merges.merge_people(s, world.leader, ann, twin)
    with world.store.session() as s:
        assert s.scalar(select(func.count()).select_from(Registration)) == regs_before
        # nothing removed; one carried check-in added
        assert s.scalar(select(func.count()).select_from(CheckInEvent)) == events_before + 1
        assert s.get(Person, twin).deleted
        assert s.get(Person, ann).phone == "613 555 0199"
        assert checked_in_count(s, {ann}) == 2  # both meetings, for the one person
        dropped = s.get(Registration, twin_reg)
        assert dropped.status is RegistrationStatus.CANCELLED and dropped.flag_rule == "MERGE"
        assert s.get(Registration, twin_other).person_id == ann
        merged_event = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "person.merged")
        ).one()
        assert merged_event.details["check_ins_carried"] == 1
        assert "613 555 0199" not in str(merged_event.details)  # field names, never values
        assert queued(s, "person_merges", result.merge_id)
        assert [m.id for m in roster.person_detail(s, world.leader, ann).merges] == [
            result.merge_id
        ]


def test_an_undo_puts_back_exactly_what_the_merge_changed(world: World) -> None:
    ann, twin = world.people["Ann"], add_twin(world)
    tonight = today_meeting(world)
    with world.store.session() as s:
        ann_reg = register(s, world.leader, tonight, ann).registration_id
        twin_reg = register(s, world.leader, tonight, twin).registration_id
        checkin.check_in(s, world.leader, twin_reg)
        twin_next = register(s, world.leader, world.meeting, twin).registration_id
        result = merges.merge_people(s, world.leader, ann, twin)
    with world.store.session() as s:
        assert merges.undo_merge(s, world.leader, result.merge_id) == twin
    with world.store.session() as s:
        assert not s.get(Person, twin).deleted
        assert s.get(Person, ann).phone == ""
        assert s.get(Registration, twin_next).person_id == twin
        back = s.get(Registration, twin_reg)
        assert back.status is RegistrationStatus.REGISTERED and back.flag_rule == ""
        assert checked_in_count(s, {ann}) == 0  # the carried check-in was undone …
        assert checked_in_count(s, {twin}) == 1  # … the twin's own is where it was
        kinds = list(s.scalars(select(CheckInEvent.kind).order_by(CheckInEvent.hlc)))
        assert kinds == [CheckInKind.IN, CheckInKind.IN, CheckInKind.UNDO]  # appended only
        assert s.get(Registration, ann_reg).status is RegistrationStatus.REGISTERED
        assert "person.merge_undone" in audit_actions(s)
        with pytest.raises(RuleViolation, match="already undone"):
            merges.undo_merge(s, world.leader, result.merge_id)


def test_an_undo_after_the_window_is_refused(world: World) -> None:
    ann, twin = world.people["Ann"], add_twin(world)
    with world.store.session() as s:
        result = merges.merge_people(s, world.leader, ann, twin)
        record = s.get(PersonMerge, result.merge_id)
        record.undo_until = datetime.now().astimezone() - timedelta(seconds=1)
    with world.store.session() as s:
        with pytest.raises(RuleViolation, match="undo window"):
            merges.undo_merge(s, world.leader, result.merge_id)
        assert s.get(Person, twin).deleted


def test_a_merge_re_points_escorts_to_the_kept_registration(world: World) -> None:
    ann, twin = world.people["Ann"], add_twin(world)
    with world.store.session() as s:
        register(s, world.leader, world.meeting, ann)
        twin_reg = register(s, world.leader, world.meeting, twin).registration_id
        pat_reg = register(
            s, world.leader, world.meeting, world.people["Pat"], escort_registration_id=twin_reg
        ).registration_id
        merges.merge_people(s, world.leader, ann, twin)
    with world.store.session() as s:
        escort = s.get(Registration, s.get(Registration, pat_reg).escort_registration_id)
        assert escort.person_id == ann and escort.status is RegistrationStatus.REGISTERED


def test_a_merge_that_breaks_a_rule_is_refused_and_changes_nothing(world: World) -> None:
    ann, pat = world.people["Ann"], world.people["Pat"]
    with world.store.session() as s:
        # keeping Pat's partner organisation with Ann's membership: ORG-3
        with pytest.raises(RuleViolation) as refused:
            merges.merge_people(
                s, world.leader, ann, pat, {"organisation_id": "merged", "membership": "survivor"}
            )
        assert refused.value.rule_id == "ORG-3"
    with world.store.session() as s:
        assert not s.get(Person, pat).deleted
        assert s.scalar(select(func.count()).select_from(PersonMerge)) == 0


def test_leaders_see_the_escorts_incumbent_partner_and_flags_at_the_meeting(
    world: World,
) -> None:  # CND-2
    with world.store.session() as s:
        city, northwind = org_id(s, "City of Ottawa"), org_id(s, "Northwind Dynamics")
        organisations.set_partner_of_record(
            s, world.leader, city, "Dynamics 365 Finance", northwind
        )
        ann_reg = register(s, world.leader, world.meeting, world.people["Ann"]).registration_id
        pat_reg = register(
            s, world.leader, world.meeting, world.people["Pat"], escort_registration_id=ann_reg
        ).registration_id
        bob_reg = register(s, world.leader, world.meeting, world.people["Bob"]).registration_id
        nora_reg = register(
            s, world.leader, world.meeting, world.people["Nora"], escort_registration_id=bob_reg
        ).registration_id
        rows = {r.registration_id: r for r in checkin.attendees(s, world.leader, world.meeting)}
        assert "Dynamics 365 Finance: Northwind Dynamics" in rows[pat_reg].note
        assert "CND-2" in rows[pat_reg].note
        assert rows[nora_reg].note == ""  # Northwind is the incumbent itself
        assert rows[ann_reg].note == ""
        volunteer_rows = checkin.attendees(s, world.volunteer(), world.meeting)
        assert all(r.note == "" for r in volunteer_rows)  # a leader's concern
        organisations.save_organisation(
            s,
            world.leader,
            world.chapter,
            org_id(s, "Contoso Consulting"),
            OrganisationDraft(
                "Contoso Consulting", OrgCategory.PARTNER, excluded_kind=ExcludedKind.UNRELATED
            ),
        )
        rows = {r.registration_id: r for r in checkin.attendees(s, world.leader, world.meeting)}
        assert rows[pat_reg].problem == "ORG-4" and "invalid" in rows[pat_reg].note
