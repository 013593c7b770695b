"""Presentation slots and deck review through the Desk (DECK-1…5, PRT-5, MTG-8, ORG-1, ORG-4).

Decks are built here with python-pptx. Most tests run the real checker; the ones about what the
service does with findings (dismissals, decisions, refusals) use a small stand-in checker whose
findings are obvious from the deck text, so they test the services, not the checker's phrase
lists.
"""

from __future__ import annotations

import hashlib
import io
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from sqlalchemy import func, select

from chapterdesk.domain.decks import DeckReport, Finding, Severity, SlideText
from chapterdesk.domain.enums import DeckDecision, PartnerKind
from chapterdesk.domain.violations import PermissionDenied, RuleViolation
from chapterdesk.services import decks
from chapterdesk.services.desk import Desk
from chapterdesk.store.models import (
    AuditEvent,
    DeckFinding,
    DeckVersion,
    Meeting,
    Organisation,
    OutboxEntry,
    PartnerProfile,
)
from tests.world import World

CLEAN = [("Year-end close in Business Central", ["Close the books in five steps"])]
NAMES_FABRIKAM = [
    ("Year-end close", ["Posting periods", "Inventory close"]),
    ("Case study: Fabrikam Manufacturing", ["Closed the year in two days"]),
]
SALESY = [("Year-end close", ["Contact us for a free trial"])]


@pytest.fixture
def desk(world: World) -> Desk:
    return Desk(world.store, world.leader)


def make_deck(slides: list[tuple[str, list[str]]], notes: str = "") -> bytes:
    """A real .pptx: a title and bullet slide per entry."""
    prs = Presentation()
    layout = prs.slide_layouts[1]
    for title, bullets in slides:
        slide = prs.slides.add_slide(layout)
        slide.shapes.title.text = title
        body = slide.placeholders[1].text_frame
        body.text = bullets[0] if bullets else ""
        for line in bullets[1:]:
            body.add_paragraph().text = line
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- a stand-in deck checker


class StandInRefused(Exception):
    """What the stand-in raises for a file that is not a deck (like ``DeckRefused``)."""


@dataclass
class StandInChecker:
    """Findings anyone can predict: "contact us" breaks DECK-3; a customer named in the deck
    breaks DECK-4 unless registered (then it is noted as INFO). Records what it was given."""

    calls: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, data: bytes, filename: str, **facts: Any) -> DeckReport:
        self.calls.append(facts)
        if not data.startswith(b"PK"):
            raise StandInRefused("This is not a PowerPoint 2007+ deck (.pptx).")
        prs = Presentation(io.BytesIO(data))
        slides, findings = [], []
        for number, slide in enumerate(prs.slides, start=1):
            texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
            slides.append(SlideText(number, texts[0], texts[1:], "", False, "Title and Content"))
            joined = " ".join(texts)
            if "contact us" in joined.lower():
                findings.append(
                    Finding(
                        number,
                        "DECK-3",
                        Severity.BREAKS_RULE,
                        "Contact us",
                        "A call to action is sales language.",
                        "body",
                    )
                )
            for customer in facts.get("customers", ()):
                if customer.name in joined:
                    severity = Severity.INFO if customer.registered else Severity.BREAKS_RULE
                    why = "registered" if customer.registered else "not registered"
                    findings.append(
                        Finding(
                            number,
                            "DECK-4",
                            severity,
                            customer.name,
                            f"{customer.name} is {why} for this meeting.",
                            "title",
                        )
                    )
        sha = hashlib.sha256(data).hexdigest()
        return DeckReport(sha, filename, slides, findings)


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> StandInChecker:
    checker = StandInChecker()
    module = types.ModuleType("chapterdesk.decks")
    module.check_deck = checker  # type: ignore[attr-defined]
    module.DeckRefused = StandInRefused  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "chapterdesk.decks", module)
    return checker


def contoso_slot(desk: Desk, world: World, **kw: Any) -> str:
    orgs = {c.name: c for c in desk.presenter_choices(world.chapter)}
    return desk.create_slot(
        world.meeting,
        "Year-end close in Business Central",
        orgs["Contoso Consulting"].organisation_id,
        **kw,
    )


def org_id(world: World, name: str) -> str:
    with world.store.session() as s:
        found = s.scalar(select(Organisation.id).where(Organisation.name == name))
        assert found is not None
        return found


# ------------------------------------------------------------------------------ slots


def test_a_leader_requests_a_slot_from_a_partner_DECK_5(desk: Desk, world: World) -> None:
    slot_id = contoso_slot(desk, world, speaker_person_id=world.people["Pat"])
    [row] = desk.slots(world.meeting)
    assert row.id == slot_id
    assert (row.partner_name, row.speaker_name) == ("Contoso Consulting", "Pat Quinn")
    assert (row.versions, row.latest, row.decision) == (0, None, DeckDecision.PENDING)
    assert [r.id for r in desk.chapter_slots(world.chapter)] == [slot_id]


def test_presenters_offered_are_partners_never_excluded_ones_ORG_4(
    desk: Desk, world: World
) -> None:
    names = [c.name for c in desk.presenter_choices(world.chapter)]
    assert names == ["Contoso Consulting", "Northwind Dynamics"]


def test_a_customer_cannot_be_the_presenting_partner_ORG_1(desk: Desk, world: World) -> None:
    with pytest.raises(RuleViolation) as info:
        desk.create_slot(world.meeting, "Our year-end", org_id(world, "Fabrikam Manufacturing"))
    assert info.value.rule_id == "ORG-1"
    assert "Fabrikam Manufacturing is a customer" in info.value.message
    assert desk.slots(world.meeting) == []


def test_an_excluded_company_cannot_present_ORG_4(desk: Desk, world: World) -> None:
    with pytest.raises(RuleViolation) as info:
        desk.create_slot(world.meeting, "Hiring in 2026", org_id(world, "Pinnacle Talent"))
    assert info.value.rule_id == "ORG-4"


def test_the_speaker_works_for_the_presenting_company(desk: Desk, world: World) -> None:
    with pytest.raises(RuleViolation) as info:
        contoso_slot(desk, world, speaker_person_id=world.people["Nora"])
    assert info.value.rule_id == "ORG-1"
    assert "Nora Ng does not work for Contoso Consulting" in info.value.message


def test_a_customers_only_meeting_has_no_partner_slots_MTG_1(desk: Desk, world: World) -> None:
    with pytest.raises(RuleViolation) as info:
        desk.create_slot(world.customers_only, "Budgets", org_id(world, "Contoso Consulting"))
    assert info.value.rule_id == "MTG-1"
    exclusive = desk.create_slot(world.exclusive, "Roadmap", org_id(world, "Contoso Consulting"))
    assert desk.slots(world.exclusive)[0].id == exclusive


def test_a_slot_needs_a_topic(desk: Desk, world: World) -> None:
    with pytest.raises(RuleViolation) as info:
        desk.create_slot(world.meeting, "   ", org_id(world, "Contoso Consulting"))
    assert info.value.fix


def test_chapter_slots_are_those_of_meetings_still_ahead(desk: Desk, world: World) -> None:
    ahead = contoso_slot(desk, world)
    with world.store.session() as s:
        meeting = s.get(Meeting, world.exclusive)
        assert meeting is not None
        past = Meeting(
            chapter_id=world.chapter,
            title="Last year",
            starts_at=meeting.starts_at.replace(year=meeting.starts_at.year - 1),
            ends_at=meeting.ends_at.replace(year=meeting.ends_at.year - 1),
            partners_welcome=True,
        )
        s.add(past)
        s.flush()
        past_id = past.id
    desk.create_slot(past_id, "Old talk", org_id(world, "Contoso Consulting"))
    assert [r.id for r in desk.chapter_slots(world.chapter)] == [ahead]
    assert len(desk.slots(past_id)) == 1


# ------------------------------------------------------------------------------ versions


def test_versions_keep_their_hash_and_history_DECK_5(desk: Desk, world: World) -> None:
    slot_id = contoso_slot(desk, world)
    first, second = make_deck(CLEAN), make_deck(SALESY)
    v1 = desk.add_deck_version(slot_id, "C:\\Users\\pat\\Desktop\\year-end.pptx", first)
    v2 = desk.add_deck_version(slot_id, "year-end v2.pptx", second)
    assert (v1.number, v1.filename, v1.size_bytes) == (1, "year-end.pptx", len(first))
    assert v1.sha256 == hashlib.sha256(first).hexdigest()
    assert (v2.number, v2.sha256) == (2, hashlib.sha256(second).hexdigest())
    assert [v.id for v in desk.deck_versions(slot_id)] == [v1.id, v2.id]
    latest = desk.slots(world.meeting)[0].latest
    assert latest is not None and latest.id == v2.id


def test_the_same_file_twice_is_refused_politely(desk: Desk, world: World) -> None:
    slot_id = contoso_slot(desk, world)
    data = make_deck(CLEAN)
    v1 = desk.add_deck_version(slot_id, "deck.pptx", data)
    desk.add_deck_version(slot_id, "deck-v2.pptx", make_deck(SALESY))
    with pytest.raises(decks.DuplicateVersion) as info:
        desk.add_deck_version(slot_id, "deck (1).pptx", data)
    assert info.value.existing.id == v1.id
    assert "already version 1" in info.value.message
    assert len(desk.deck_versions(slot_id)) == 2


def test_a_removed_version_sent_again_comes_back(desk: Desk, world: World) -> None:
    slot_id = contoso_slot(desk, world)
    data = make_deck(CLEAN)
    v1 = desk.add_deck_version(slot_id, "deck.pptx", data)
    with world.store.session() as s:
        row = s.get(DeckVersion, v1.id)
        assert row is not None
        row.deleted = True  # a tombstone, as sync would bring one
    assert desk.deck_versions(slot_id) == []
    again = desk.add_deck_version(slot_id, "deck.pptx", data)
    assert again.id == v1.id and [v.id for v in desk.deck_versions(slot_id)] == [v1.id]


def test_empty_and_oversized_files_are_refused(
    desk: Desk, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slot_id = contoso_slot(desk, world)
    with pytest.raises(RuleViolation, match="empty"):
        desk.add_deck_version(slot_id, "deck.pptx", b"")
    monkeypatch.setattr(decks, "MAX_DECK_BYTES", 1000)
    big = tmp_path / "big.pptx"
    big.write_bytes(b"PK" + b"\0" * 2000)
    with pytest.raises(RuleViolation, match="smaller file"):
        desk.add_deck_file(slot_id, big)
    small = tmp_path / "small.pptx"
    small.write_bytes(b"PK" + b"\0" * 10)
    assert desk.add_deck_file(slot_id, small).filename == "small.pptx"


# ------------------------------------------------------------------------------ checks


def test_the_checker_gets_the_facts_of_the_slot(
    desk: Desk, world: World, stand_in: StandInChecker
) -> None:
    with world.store.session() as s:
        contoso = s.get(Organisation, org_id(world, "Contoso Consulting"))
        assert contoso is not None
        contoso.website = "https://www.contoso.com/dynamics"
    ann = desk.register(world.meeting, world.people["Ann"])
    desk.check_in(ann.registration_id)
    slot_id = contoso_slot(desk, world)
    version = desk.add_deck_version(slot_id, "deck.pptx", make_deck(CLEAN))
    desk.analyse_deck(version.id)
    [facts] = stand_in.calls
    assert facts["company"] == "Contoso Consulting"
    assert facts["company_domain"] == "contoso.com"
    assert facts["sponsor"] is False
    assert facts["template"] is None
    customers = {c.name: c for c in facts["customers"]}
    assert set(customers) == {"City of Ottawa", "Fabrikam Manufacturing"}
    assert customers["City of Ottawa"].registered and customers["City of Ottawa"].checked_in
    assert not customers["Fabrikam Manufacturing"].registered


def test_an_unregistered_customer_in_the_deck_breaks_DECK_4(desk: Desk, world: World) -> None:
    slot_id = contoso_slot(desk, world)
    version = desk.add_deck_version(slot_id, "deck.pptx", make_deck(NAMES_FABRIKAM))
    report = desk.analyse_deck(version.id)
    assert report.breaks_rules
    deck_4 = [f for f in desk.deck_findings(version.id) if f.rule_id == "DECK-4"]
    assert deck_4 and all(f.slide == 2 for f in deck_4)
    assert any(f.blocks_approval and "Fabrikam Manufacturing" in f.text for f in deck_4)
    assert desk.deck_versions(slot_id)[0].open_breaking >= 1

    desk.register(world.meeting, world.people["Cleo"])  # Cléo Dubé works at Fabrikam
    desk.analyse_deck(version.id)
    assert not any(
        f.blocks_approval for f in desk.deck_findings(version.id) if f.rule_id == "DECK-4"
    )


def test_dismissals_survive_a_new_check(desk: Desk, world: World, stand_in: StandInChecker) -> None:
    slot_id = contoso_slot(desk, world)
    version = desk.add_deck_version(slot_id, "deck.pptx", make_deck(NAMES_FABRIKAM))
    desk.analyse_deck(version.id)
    [finding] = desk.deck_findings(version.id)
    dismissed = desk.dismiss_finding(finding.id, "  Cléo confirmed   she is coming ")
    assert dismissed.dismissed_reason == "Cléo confirmed she is coming"
    assert dismissed.dismissed_by_name == world.leader.display_name
    desk.analyse_deck(version.id)  # the same finding again: still dismissed
    assert desk.deck_findings(version.id) == [dismissed]

    cleo = desk.register(world.meeting, world.people["Cleo"])
    desk.analyse_deck(version.id)  # now only an INFO note
    [info] = desk.deck_findings(version.id)
    assert info.severity is Severity.INFO and not info.blocks_approval
    desk.cancel_registration(cleo.registration_id)
    desk.analyse_deck(version.id)  # breaking again, and the old dismissal with it
    [again] = desk.deck_findings(version.id)
    assert again.id == finding.id
    assert again.severity is Severity.BREAKS_RULE
    assert again.dismissed_reason == "Cléo confirmed she is coming"


def test_a_dismissal_needs_a_reason(desk: Desk, world: World, stand_in: StandInChecker) -> None:
    slot_id = contoso_slot(desk, world)
    version = desk.add_deck_version(slot_id, "deck.pptx", make_deck(SALESY))
    desk.analyse_deck(version.id)
    [finding] = desk.deck_findings(version.id)
    with pytest.raises(RuleViolation) as info:
        desk.dismiss_finding(finding.id, "   ")
    assert "reason" in info.value.message
    assert not desk.deck_findings(version.id)[0].dismissed


def test_a_file_the_checker_refuses_is_a_finding_not_a_crash_DECK_5(
    desk: Desk, world: World, stand_in: StandInChecker
) -> None:
    slot_id = contoso_slot(desk, world)
    version = desk.add_deck_version(slot_id, "deck.ppt", b"\xd0\xcf\x11\xe0 legacy PowerPoint")
    report = desk.analyse_deck(version.id)
    assert report.breaks_rules
    [finding] = desk.deck_findings(version.id)
    assert (finding.rule_id, finding.slide) == ("DECK-5", 0)
    assert "not a PowerPoint" in finding.text
    assert "not a PowerPoint" in desk.deck_versions(slot_id)[0].refused
    with pytest.raises(RuleViolation) as info:
        desk.decide_deck(version.id, DeckDecision.APPROVED, "")
    assert info.value.rule_id == "DECK-5"


def test_the_outline_is_kept_for_the_decks_page(
    desk: Desk, world: World, stand_in: StandInChecker
) -> None:
    slot_id = contoso_slot(desk, world)
    version = desk.add_deck_version(slot_id, "deck.pptx", make_deck(NAMES_FABRIKAM))
    assert desk.deck_outline(version.id) == []
    desk.analyse_deck(version.id)
    outline = desk.deck_outline(version.id)
    assert [s.title for s in outline] == ["Year-end close", "Case study: Fabrikam Manufacturing"]
    assert outline[0].body == ["Posting periods\nInventory close"]


# ------------------------------------------------------------------------------ decisions


def test_approval_is_refused_while_a_rule_is_broken_DECK_5(
    desk: Desk, world: World, stand_in: StandInChecker
) -> None:
    slot_id = contoso_slot(desk, world)
    version = desk.add_deck_version(slot_id, "deck.pptx", make_deck(SALESY))
    desk.analyse_deck(version.id)
    with pytest.raises(RuleViolation) as info:
        desk.decide_deck(version.id, DeckDecision.APPROVED, "Looks fine")
    assert info.value.rule_id == "DECK-3"
    assert "slide 1" in info.value.message and "Contact us" in info.value.message
    assert "dismiss" in info.value.fix.lower() and "ask for changes" in info.value.fix.lower()
    assert desk.deck_versions(slot_id)[0].decision is DeckDecision.PENDING


def test_approval_after_dismissal_with_a_reason(
    desk: Desk, world: World, stand_in: StandInChecker
) -> None:
    slot_id = contoso_slot(desk, world)
    version = desk.add_deck_version(slot_id, "deck.pptx", make_deck(SALESY))
    desk.analyse_deck(version.id)
    [finding] = desk.deck_findings(version.id)
    desk.dismiss_finding(finding.id, "The speaker will skip that sentence")
    row = desk.decide_deck(version.id, DeckDecision.APPROVED, "Thanks, see you Thursday")
    assert row.decision is DeckDecision.APPROVED
    assert row.decided_by_name == world.leader.display_name
    assert row.comment == "Thanks, see you Thursday"
    # The approval rests on the dismissal: it cannot be taken back silently.
    with pytest.raises(RuleViolation, match="Ask for changes first"):
        desk.restore_finding(finding.id)


def test_an_unchecked_version_cannot_be_approved(desk: Desk, world: World) -> None:
    slot_id = contoso_slot(desk, world)
    version = desk.add_deck_version(slot_id, "deck.pptx", make_deck(CLEAN))
    with pytest.raises(RuleViolation, match="not been checked"):
        desk.decide_deck(version.id, DeckDecision.APPROVED, "")


def test_changes_and_rejections_need_a_comment(
    desk: Desk, world: World, stand_in: StandInChecker
) -> None:
    slot_id = contoso_slot(desk, world)
    version = desk.add_deck_version(slot_id, "deck.pptx", make_deck(SALESY))
    desk.analyse_deck(version.id)
    for decision in (DeckDecision.CHANGES_REQUESTED, DeckDecision.REJECTED):
        with pytest.raises(RuleViolation, match="comment"):
            desk.decide_deck(version.id, decision, " ")
    with pytest.raises(RuleViolation):
        desk.decide_deck(version.id, DeckDecision.PENDING, "undecided")
    row = desk.decide_deck(version.id, DeckDecision.CHANGES_REQUESTED, "Drop slide 1's offer")
    assert row.decision is DeckDecision.CHANGES_REQUESTED


def test_a_decision_names_one_exact_version_DECK_5(
    desk: Desk, world: World, stand_in: StandInChecker
) -> None:
    slot_id = contoso_slot(desk, world)
    v1 = desk.add_deck_version(slot_id, "deck.pptx", make_deck(CLEAN))
    desk.analyse_deck(v1.id)
    desk.decide_deck(v1.id, DeckDecision.APPROVED, "")
    assert desk.slots(world.meeting)[0].decision is DeckDecision.APPROVED

    v2 = desk.add_deck_version(slot_id, "deck-final.pptx", make_deck(CLEAN + SALESY))
    first, second = desk.deck_versions(slot_id)
    assert first.decision is DeckDecision.APPROVED  # the old decision stays on its file
    assert second.id == v2.id and second.decision is DeckDecision.PENDING
    assert desk.slots(world.meeting)[0].decision is DeckDecision.PENDING
    with world.store.session() as s:
        decided = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "deck_version.decided")
        ).all()
    assert [(e.entity_id, e.details["sha256"]) for e in decided] == [(v1.id, v1.sha256)]


def test_an_approved_deck_that_breaks_a_rule_again_is_flagged(
    desk: Desk, world: World, stand_in: StandInChecker
) -> None:
    cleo = desk.register(world.meeting, world.people["Cleo"])
    slot_id = contoso_slot(desk, world)
    version = desk.add_deck_version(slot_id, "deck.pptx", make_deck(NAMES_FABRIKAM))
    desk.analyse_deck(version.id)
    assert desk.decide_deck(version.id, DeckDecision.APPROVED, "").approval_at_risk is False
    desk.cancel_registration(cleo.registration_id)
    desk.analyse_deck(version.id)
    row = desk.deck_versions(slot_id)[0]
    assert row.decision is DeckDecision.APPROVED and row.approval_at_risk


# ------------------------------------------------------------------------------ MTG-8, PRT-5


def test_handouts_need_a_leaders_approval_MTG_8(desk: Desk, world: World) -> None:
    slot_id = contoso_slot(desk, world)
    assert not desk.slots(world.meeting)[0].handouts_allowed
    row = desk.set_handouts(slot_id, True)
    assert row.handouts_approved and row.handouts_allowed
    assert not desk.set_handouts(slot_id, False).handouts_allowed


def test_a_paid_annual_sponsor_is_covered_PRT_5(
    desk: Desk, world: World, stand_in: StandInChecker
) -> None:
    with world.store.session() as s:
        meeting = s.get(Meeting, world.meeting)
        assert meeting is not None
        s.add(
            PartnerProfile(
                chapter_id=world.chapter,
                organisation_id=org_id(world, "Contoso Consulting"),
                kind=PartnerKind.IMPLEMENTATION,
                annual_chapter_sponsor_year=meeting.starts_at.year,
            )
        )
    slot_id = contoso_slot(desk, world)
    row = desk.slots(world.meeting)[0]
    assert row.sponsor and row.handouts_allowed and not row.handouts_approved
    version = desk.add_deck_version(slot_id, "deck.pptx", make_deck(CLEAN))
    desk.analyse_deck(version.id)
    assert stand_in.calls[-1]["sponsor"] is True


# ------------------------------------------------------------------------------ the record


def test_every_write_is_audited_and_queued_for_sync(
    desk: Desk, world: World, stand_in: StandInChecker
) -> None:
    def counts() -> tuple[int, int]:
        with world.store.session() as s:
            audit = s.scalar(select(func.count()).select_from(AuditEvent)) or 0
            outbox = s.scalar(select(func.count()).select_from(OutboxEntry)) or 0
            return audit, outbox

    steps = [
        lambda: contoso_slot(desk, world),
        lambda: desk.add_deck_version(slot_id(), "deck.pptx", make_deck(SALESY)),
        lambda: desk.analyse_deck(version_id()),  # the run + one finding
        lambda: desk.dismiss_finding(desk.deck_findings(version_id())[0].id, "Skipped live"),
        lambda: desk.decide_deck(version_id(), DeckDecision.APPROVED, ""),
        lambda: desk.set_handouts(slot_id(), True),
    ]

    def slot_id() -> str:
        return desk.slots(world.meeting)[0].id

    def version_id() -> str:
        return desk.deck_versions(slot_id())[0].id

    expected = [1, 1, 2, 1, 1, 1]
    for step, more in zip(steps, expected, strict=True):
        before = counts()
        step()
        after = counts()
        assert after == (before[0] + more, before[1] + more)
    with world.store.session() as s:
        patches = s.scalars(
            select(OutboxEntry.patch).where(OutboxEntry.entity == "deck_versions")
        ).all()
    assert all("content" not in p for p in patches)  # the file travels by hash, not in JSON


def test_a_volunteer_cannot_review_decks(desk: Desk, world: World) -> None:
    slot_id = contoso_slot(desk, world)
    version = desk.add_deck_version(slot_id, "deck.pptx", make_deck(CLEAN))
    volunteer = Desk(world.store, world.volunteer())
    calls = [
        lambda: volunteer.presenter_choices(world.chapter),
        lambda: volunteer.create_slot(world.meeting, "Topic", org_id(world, "Contoso Consulting")),
        lambda: volunteer.slots(world.meeting),
        lambda: volunteer.chapter_slots(world.chapter),
        lambda: volunteer.deck_versions(slot_id),
        lambda: volunteer.add_deck_version(slot_id, "other.pptx", make_deck(SALESY)),
        lambda: volunteer.analyse_deck(version.id),
        lambda: volunteer.deck_findings(version.id),
        lambda: volunteer.deck_outline(version.id),
        lambda: volunteer.decide_deck(version.id, DeckDecision.REJECTED, "No"),
        lambda: volunteer.set_handouts(slot_id, True),
        lambda: volunteer.review_data(version.id),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied, match="review decks"):
            call()
    assert len(desk.deck_versions(slot_id)) == 1


def test_a_volunteer_cannot_dismiss_a_finding(
    desk: Desk, world: World, stand_in: StandInChecker
) -> None:
    slot_id = contoso_slot(desk, world)
    version = desk.add_deck_version(slot_id, "deck.pptx", make_deck(SALESY))
    desk.analyse_deck(version.id)
    [finding] = desk.deck_findings(version.id)
    with pytest.raises(PermissionDenied):
        Desk(world.store, world.volunteer()).dismiss_finding(finding.id, "fine")


# ------------------------------------------------------------------------------ review data


def test_review_data_for_the_partner_ROS_2(
    desk: Desk, world: World, stand_in: StandInChecker
) -> None:
    slot_id = contoso_slot(desk, world, speaker_person_id=world.people["Pat"])
    desk.add_deck_version(slot_id, "draft.pptx", make_deck(CLEAN))
    version = desk.add_deck_version(slot_id, "deck.pptx", make_deck(NAMES_FABRIKAM + SALESY))
    desk.analyse_deck(version.id)
    desk.decide_deck(version.id, DeckDecision.CHANGES_REQUESTED, "Please drop the offer")
    data = desk.review_data(version.id)
    assert (data.chapter_name, data.meeting_title) == ("Ottawa", "Year-end close")
    assert (data.partner_name, data.speaker_name) == ("Contoso Consulting", "Pat Quinn")
    assert (data.version_number, data.version_count) == (2, 2)
    assert data.sha256 == version.sha256
    assert data.decision is DeckDecision.CHANGES_REQUESTED
    assert data.comment == "Please drop the offer"
    assert data.slide_titles[2] == "Case study: Fabrikam Manufacturing"
    deck_4 = next(f for f in data.findings if f.rule_id == "DECK-4")
    assert "registered" not in deck_4.why  # the partner learns nothing of the roster
    assert [r for r, _text in data.rules] == ["DECK-3", "DECK-4", "DECK-5", "MTG-8"]
    assert all(text for _rule, text in data.rules)

    desk.register(world.meeting, world.people["Cleo"])
    desk.analyse_deck(version.id)  # now "Fabrikam is registered": left out for the partner
    assert not [f for f in desk.review_data(version.id).findings if f.rule_id == "DECK-4"]
    with world.store.session() as s:
        info = s.scalar(select(DeckFinding).where(DeckFinding.rule_id == "DECK-4"))
        assert info is not None and info.severity is Severity.INFO


def test_with_the_real_checker_end_to_end(desk: Desk, world: World) -> None:
    """Sales language, a customer who is registered but not yet in the room, a PDF sent as a
    deck: what the real checker says, stored and turned into the partner's report."""
    desk.register(world.meeting, world.people["Cleo"])
    slot_id = contoso_slot(desk, world)
    version = desk.add_deck_version(slot_id, "deck.pptx", make_deck(NAMES_FABRIKAM + SALESY))
    desk.analyse_deck(version.id)
    findings = desk.deck_findings(version.id)
    assert any(f.rule_id == "DECK-3" and f.blocks_approval and f.slide == 3 for f in findings)
    deck_4 = [f for f in findings if f.rule_id == "DECK-4"]
    assert deck_4 and not any(f.blocks_approval for f in deck_4)  # registered: DECK-4 allows
    with pytest.raises(RuleViolation) as info:
        desk.decide_deck(version.id, DeckDecision.APPROVED, "")
    # python-pptx's default template is not the chapter's (DECK-1), and the deck sells (DECK-3).
    assert info.value.rule_id == "DECK-1"
    assert "DECK-1, DECK-3" in info.value.message
    data = desk.review_data(version.id)
    assert not [f for f in data.findings if f.rule_id == "DECK-4"]  # ROS-2
    assert not any("registered" in f.why for f in data.findings)

    pdf = desk.add_deck_version(slot_id, "deck.pdf", b"%PDF-1.7\n" + b"x" * 500)
    desk.analyse_deck(pdf.id)
    [refusal] = desk.deck_findings(pdf.id)
    assert (refusal.rule_id, refusal.slide, refusal.blocks_approval) == ("DECK-5", 0, True)
    assert desk.deck_versions(slot_id)[-1].refused == refusal.text


@pytest.mark.parametrize(
    ("website", "domain"),
    [
        ("https://www.contoso.com/about", "contoso.com"),
        ("contoso.com", "contoso.com"),
        ("WWW.Northwind.ca", "northwind.ca"),
        ("http://consult.contoso.co.uk:8080/x", "consult.contoso.co.uk"),
        ("", ""),
    ],
)
def test_company_domain(website: str, domain: str) -> None:
    assert decks.company_domain(website) == domain
