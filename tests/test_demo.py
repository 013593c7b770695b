"""The demo generator: deterministic, realistic, and breaking only the rules it means to break."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from sqlalchemy import Engine, text

from chapterdesk.demo import PLANTED_PEOPLE, generate_demo
from chapterdesk.demo.generate import (
    CONNIE_BAILEY,
    HANNA_SOLBERG,
    HUNTER_HEADLEY,
    OPHELIE_STRAND,
    DemoSummary,
)
from chapterdesk.demo.names import CITIES
from chapterdesk.domain.codes import CODE_ALPHABET
from chapterdesk.domain.text import fold, search_key
from chapterdesk.hlc import Timestamp
from chapterdesk.paths import prepare_data_dir
from chapterdesk.store.database import Store, open_store

TODAY = date(2026, 3, 18)
CITY_OFFSETS = {city.name: city.utc_offset_hours for city in CITIES}


def _open(folder: Path) -> Store:
    return open_store(prepare_data_dir(folder), allow_plaintext=True)


def _rows(engine: Engine, sql: str, **params: Any) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(sql), params))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, DemoSummary]]:
    """One 5,000-person demo shared by the read-only tests (plaintext: no keyring at all)."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # never the real OS keyring from a module fixture
    try:
        store = _open(tmp_path_factory.mktemp("demo") / "d")
        summary = generate_demo(store.engine, seed=2026, today=TODAY, clock=store.clock)
        yield store, summary
        store.close()
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def engine(demo: tuple[Store, DemoSummary]) -> Engine:
    return demo[0].engine


@pytest.fixture
def summary(demo: tuple[Store, DemoSummary]) -> DemoSummary:
    return demo[1]


def _fingerprint(engine: Engine) -> tuple[list[Any], list[Any], list[Any]]:
    people = _rows(engine, "SELECT id, first_name, last_name, email FROM people ORDER BY id")
    regs = _rows(
        engine,
        "SELECT id, meeting_id, person_id, status, code, escort_registration_id, registered_at "
        "FROM registrations ORDER BY id",
    )
    meetings = _rows(engine, "SELECT id, title, starts_at, capacity FROM meetings ORDER BY id")
    return people, regs, meetings


# --- text folding ---------------------------------------------------------------------------


def test_fold_strips_accents_and_case() -> None:
    assert fold("Zoë Łukasz") == "zoe lukasz"
    assert fold("Siobhán Ó Súilleabháin") == "siobhan o suilleabhain"
    assert fold("NGUYỄN Đức") == "nguyen duc"
    assert (
        fold("Groß Øster Æble Œuvre Ħal Işıl Þórunn") == "gross oster aeble oeuvre hal isil thorunn"
    )
    assert fold("Montréal") == fold("MONTREAL") == "montreal"


def test_search_key_joins_folded_parts_with_single_spaces() -> None:
    key = search_key("José", " Muñoz ", "", "City of Zürich", "jose.munoz@city-of-zurich.example")
    assert key == "jose munoz city of zurich jose.munoz@city-of-zurich.example"


# --- determinism ----------------------------------------------------------------------------


def test_same_seed_and_today_give_identical_data(
    tmp_path: Path, engine: Engine, summary: DemoSummary
) -> None:
    store = _open(tmp_path / "again")
    try:
        again = generate_demo(store.engine, seed=2026, today=TODAY)
        assert again == summary
        assert _fingerprint(store.engine) == _fingerprint(engine)
    finally:
        store.close()


def test_another_seed_gives_other_data(tmp_path: Path, engine: Engine) -> None:
    store = _open(tmp_path / "other")
    try:
        generate_demo(store.engine, people=1000, seed=7, today=TODAY)
        ours = {r.id for r in _rows(engine, "SELECT id FROM people")}
        theirs = {r.id for r in _rows(store.engine, "SELECT id FROM people")}
        assert ours & theirs == {p.person_id for p in PLANTED_PEOPLE}  # fixed ids only
    finally:
        store.close()


def test_refuses_a_database_that_already_has_data(tmp_path: Path) -> None:
    store = _open(tmp_path / "twice")
    try:
        generate_demo(store.engine, people=200, today=TODAY)
        with pytest.raises(ValueError, match="empty database"):
            generate_demo(store.engine, people=200, today=TODAY)
    finally:
        store.close()


# --- shape ----------------------------------------------------------------------------------


def test_counts_match_the_summary_and_the_request(engine: Engine, summary: DemoSummary) -> None:
    counted = {
        table: _rows(engine, f"SELECT count(*) AS n FROM {table}")[0].n
        for table in (
            "communities",
            "chapters",
            "organisations",
            "people",
            "meetings",
            "registrations",
        )
    }
    assert counted == {
        "communities": summary.communities,
        "chapters": summary.chapters,
        "organisations": summary.organisations,
        "people": summary.people,
        "meetings": summary.meetings,
        "registrations": summary.registrations,
    }
    assert (summary.communities, summary.chapters, summary.people) == (4, 12, 5000)
    codes = {r.code for r in _rows(engine, "SELECT code FROM communities")}
    assert codes == {"AXUG", "CRMUG", "GPUG", "NAVUG"}


def test_people_mix_is_realistic_ORG_1_ORG_3_ORG_5(engine: Engine) -> None:
    rows = _rows(
        engine,
        "SELECT o.category, p.membership, count(*) AS n FROM people p "
        "JOIN organisations o ON o.id = p.organisation_id GROUP BY 1, 2",
    )
    by = {(r.category, r.membership): r.n for r in rows}
    total = sum(by.values())
    customers = by[("customer", "member")] + by[("customer", "prospect")]
    assert 0.72 < customers / total < 0.78
    assert 0.17 < by[("partner", "none")] / total < 0.23
    assert 0.04 < by[("microsoft", "none")] / total < 0.06
    assert 0.55 < by[("customer", "member")] / customers < 0.65
    assert ("customer", "none") not in by  # ORG-5
    assert set(by) == {
        ("customer", "member"),
        ("customer", "prospect"),
        ("partner", "none"),
        ("microsoft", "none"),
    }  # ORG-3: partners and Microsoft hold no membership
    members = _rows(
        engine,
        "SELECT count(*) AS n FROM people WHERE membership = 'member' "
        "AND (member_since IS NULL OR renewal_date IS NULL)",
    )
    assert members[0].n == 0


def test_the_home_chapter_is_ottawa_and_the_biggest(engine: Engine, summary: DemoSummary) -> None:
    sizes = {
        r.name: (r.id, r.n)
        for r in _rows(
            engine,
            "SELECT c.id, c.name, count(p.id) AS n FROM chapters c "
            "JOIN people p ON p.chapter_id = c.id GROUP BY c.id",
        )
    }
    assert sizes["Ottawa"][0] == summary.home_chapter_id
    assert max(sizes.values(), key=lambda v: v[1])[0] == summary.home_chapter_id
    assert {"Montréal", "Zürich"} <= set(sizes)  # accents get exercised


def test_names_emails_and_search_text_are_consistent(engine: Engine) -> None:
    rows = _rows(
        engine,
        "SELECT p.first_name, p.last_name, p.email, p.search_text, o.name AS org FROM people p "
        "JOIN organisations o ON o.id = p.organisation_id",
    )
    assert any(not (r.first_name + r.last_name).isascii() for r in rows)
    for r in rows:
        assert r.email.isascii() and r.email.endswith(".example") and r.email.count("@") == 1
        assert r.search_text == search_key(r.first_name, r.last_name, r.org, r.email)
    emails = Counter(r.email for r in rows)
    # one address, one person — but for the record typed in twice for the People page's
    # duplicates (issue 8): an initial for a first name, the same last name and address
    shared = [(email, n) for email, n in emails.items() if n > 1]
    assert len(shared) == 1 and shared[0][1] == 2
    twins = [r for r in rows if r.email == shared[0][0]]
    assert twins[0].last_name == twins[1].last_name and twins[0].org == twins[1].org


def test_organisations_include_excluded_kinds_and_microsoft_ORG_4(
    engine: Engine, summary: DemoSummary
) -> None:
    rows = _rows(
        engine,
        "SELECT chapter_id, name, category, excluded_kind, uses_dynamics, website "
        "FROM organisations",
    )
    per_chapter: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        per_chapter[r.chapter_id][r.excluded_kind or r.category] += 1
    assert len(per_chapter) == 12
    for counts in per_chapter.values():
        assert counts["microsoft"] == 1
        assert counts["recruiter"] == counts["competing_vendor"] == 1
        assert counts["partner"] >= 6 and counts["customer"] >= 12
    partners = [r for r in rows if r.category == "partner" and r.excluded_kind is None]
    assert any(r.uses_dynamics for r in partners)  # ORG-2: still partners
    assert all(r.website.endswith(".example") for r in partners)
    home = {r.name for r in rows if r.chapter_id == summary.home_chapter_id}
    assert {"Contoso Consulting", "Northwind Dynamics Services", "City of Ottawa"} <= home


# --- meetings and registrations -------------------------------------------------------------


def test_every_chapter_has_past_and_upcoming_meetings(engine: Engine) -> None:
    rows = _rows(engine, "SELECT chapter_id, starts_at, capacity, partners_welcome FROM meetings")
    past: Counter[str] = Counter()
    upcoming: Counter[str] = Counter()
    for r in rows:
        starts = datetime.fromisoformat(str(r.starts_at))
        (upcoming if starts.date() > TODAY else past)[r.chapter_id] += 1
        assert 30 <= r.capacity <= 120
        assert starts.hour >= 16  # evenings
    assert len(past) == len(upcoming) == 12
    assert all(3 <= n <= 8 for n in past.values())
    assert all(1 <= n <= 5 for n in upcoming.values())
    assert any(not r.partners_welcome for r in rows)  # some customers-only meetings
    exclusive = _rows(engine, "SELECT count(*) AS n FROM meetings WHERE partner_exclusive")
    assert exclusive[0].n == 1


def _registrations(engine: Engine) -> list[Any]:
    return _rows(
        engine,
        "SELECT r.*, m.capacity, m.partners_welcome, m.partner_exclusive, m.starts_at, "
        "o.excluded_kind FROM registrations r JOIN meetings m ON m.id = r.meeting_id "
        "JOIN organisations o ON o.id = r.organisation_id",
    )


def test_planted_rule_problems_wait_in_the_home_chapters_next_meeting(
    engine: Engine, summary: DemoSummary
) -> None:
    next_meeting = _rows(
        engine,
        "SELECT id, partners_welcome, partner_exclusive FROM meetings "
        "WHERE chapter_id = :ch AND starts_at > :today ORDER BY starts_at LIMIT 1",
        ch=summary.home_chapter_id,
        today=TODAY.isoformat(),
    )[0]
    assert next_meeting.partners_welcome and not next_meeting.partner_exclusive
    regs = {r.id: r for r in _registrations(engine) if r.meeting_id == next_meeting.id}
    people = {
        r.id: r for r in _rows(engine, "SELECT id, first_name, last_name, chapter_id FROM people")
    }
    for planted in PLANTED_PEOPLE:
        person = people[planted.person_id]
        assert (person.first_name, person.last_name) == (planted.first_name, planted.last_name)
        assert person.chapter_id == summary.home_chapter_id
        assert regs[planted.registration_id].person_id == planted.person_id

    hanna = regs[HANNA_SOLBERG.registration_id]  # ESC-1
    assert (hanna.category, hanna.status, hanna.escort_registration_id) == (
        "partner",
        "registered",
        None,
    )
    hunter = regs[HUNTER_HEADLEY.registration_id]  # ORG-4
    assert (hunter.category, hunter.excluded_kind, hunter.status) == (
        "partner",
        "recruiter",
        "registered",
    )
    ophelie = regs[OPHELIE_STRAND.registration_id]  # ESC-4
    assert ophelie.status == "escort_needed"
    assert ophelie.escort_registration_id == CONNIE_BAILEY.registration_id
    connie = regs[CONNIE_BAILEY.registration_id]
    assert (connie.category, connie.status) == ("customer", "cancelled")

    slot = _rows(engine, "SELECT * FROM presentation_slots")
    assert [s.meeting_id for s in slot] == [next_meeting.id]
    sponsor = _rows(
        engine,
        "SELECT organisation_id FROM partner_profiles WHERE annual_chapter_sponsor_year = 2026",
    )
    assert [s.organisation_id for s in sponsor] == [slot[0].partner_organisation_id]


def test_every_other_partner_is_escorted_by_a_customer_of_the_same_meeting_ESC_1_ESC_2(
    engine: Engine,
) -> None:
    regs = _registrations(engine)
    by_id = {r.id: r for r in regs}
    planted = {p.registration_id for p in PLANTED_PEOPLE}
    for r in regs:
        if r.category != "partner":
            assert r.escort_registration_id is None
            continue
        assert r.partners_welcome  # MTG-1
        if r.partner_exclusive:
            assert r.escort_registration_id is None  # needs none (ESC-1, MTG-7)
            continue
        if r.id == HANNA_SOLBERG.registration_id:
            continue
        assert r.escort_registration_id is not None, "only Hanna Solberg lacks an escort"
        escort = by_id[r.escort_registration_id]
        assert escort.meeting_id == r.meeting_id
        assert escort.category == "customer" and escort.excluded_kind is None  # ESC-2
        if r.id not in planted:
            assert escort.status == "registered"
            assert r.excluded_kind is None  # ORG-4 only where planted


def test_no_partner_outside_the_home_chapter_lacks_an_escort(
    engine: Engine, summary: DemoSummary
) -> None:
    unescorted = [
        r
        for r in _registrations(engine)
        if r.category == "partner" and not r.partner_exclusive and not r.escort_registration_id
    ]
    assert [(r.chapter_id, r.id) for r in unescorted] == [
        (summary.home_chapter_id, HANNA_SOLBERG.registration_id)
    ]


def test_escorts_and_company_limits_ESC_5_MTG_5(engine: Engine) -> None:
    companies_per_escort: dict[str, set[str]] = defaultdict(set)
    per_company: Counter[tuple[str, str]] = Counter()
    for r in _registrations(engine):
        if r.category == "partner":
            assert r.company_slot in (1, 2)
            per_company[(r.meeting_id, r.organisation_id)] += 1
            if r.escort_registration_id:
                companies_per_escort[r.escort_registration_id].add(r.organisation_id)
    assert per_company and max(per_company.values()) <= 2
    assert companies_per_escort and all(len(c) == 1 for c in companies_per_escort.values())


def test_capacity_and_contiguous_waiting_lists_MTG_3(engine: Engine) -> None:
    by_meeting: dict[str, list[Any]] = defaultdict(list)
    for r in _registrations(engine):
        by_meeting[r.meeting_id].append(r)
    waitlisted_somewhere = False
    for regs in by_meeting.values():
        capacity = regs[0].capacity
        holding = [r for r in regs if r.status in ("registered", "pending_approval")]
        assert len(holding) <= capacity
        positions = sorted(r.waitlist_position for r in regs if r.status == "waitlisted")
        assert positions == list(range(1, len(positions) + 1))
        assert all(r.waitlist_position is None for r in regs if r.status != "waitlisted")
        if positions:
            waitlisted_somewhere = True
            assert len(holding) == capacity
        assert len(regs) >= 0.5 * capacity or regs[0].partner_exclusive
    assert waitlisted_somewhere
    statuses = Counter(r.status for rs in by_meeting.values() for r in rs)
    assert statuses["cancelled"] > 0 and statuses["pending_approval"] > 0


def test_codes_are_unique_and_readable_and_registrations_precede_meetings(engine: Engine) -> None:
    regs = _registrations(engine)
    offsets = {r.id: CITY_OFFSETS[r.name] for r in _rows(engine, "SELECT id, name FROM chapters")}
    codes = [r.code for r in regs]
    assert len(codes) == len(set(codes))
    assert all(len(c) == 10 and set(c) <= set(CODE_ALPHABET) for c in codes)
    for r in regs:
        registered = datetime.fromisoformat(r.registered_at)
        assert registered.tzinfo is not None
        local_start = datetime.fromisoformat(str(r.starts_at))  # wall-clock time at the venue
        starts = (local_start - timedelta(hours=offsets[r.chapter_id])).replace(tzinfo=UTC)
        assert registered < starts
    assert Counter(r.category for r in regs)["microsoft"] > 0


def test_past_meetings_have_check_ins_partners_after_their_escort_ESC_3(engine: Engine) -> None:
    events = _rows(
        engine,
        "SELECT e.*, r.escort_registration_id, m.starts_at FROM check_in_events e "
        "JOIN registrations r ON r.id = e.registration_id JOIN meetings m ON m.id = r.meeting_id",
    )
    assert events
    assert {e.device_id for e in events} == {"demo-desk-1", "demo-desk-2"}
    assert Counter(e.kind for e in events)["out"] > 0
    first_in = {e.registration_id: e.at for e in events if e.kind == "in"}
    for e in events:
        assert datetime.fromisoformat(str(e.starts_at)).date() < TODAY
        Timestamp.decode(e.hlc)
        if e.escort_registration_id:
            assert e.escort_registration_id in first_in
            assert first_in[e.escort_registration_id] < e.at
    checked_in_meetings = {
        r.meeting_id
        for r in _rows(
            engine,
            "SELECT DISTINCT r.meeting_id FROM check_in_events e "
            "JOIN registrations r ON r.id = e.registration_id",
        )
    }
    past = {
        r.id
        for r in _rows(engine, "SELECT id FROM meetings WHERE starts_at < :t", t=TODAY.isoformat())
    }
    assert checked_in_meetings == past


def test_partner_programme_records(engine: Engine) -> None:
    profiles = _rows(engine, "SELECT kind, annual_chapter_sponsor_year FROM partner_profiles")
    assert {p.kind for p in profiles} == {"implementation", "isv"}
    assert [p.annual_chapter_sponsor_year for p in profiles if p.annual_chapter_sponsor_year] == [
        TODAY.year
    ]
    applications = _rows(
        engine, "SELECT status, submitted_at, fee_paid_on FROM partner_applications"
    )
    assert len({a.status for a in applications}) == 7  # every PRT-3 state shows up
    for a in applications:
        assert datetime.fromisoformat(a.submitted_at).date() <= TODAY
        assert a.fee_paid_on is None or date.fromisoformat(a.fee_paid_on) <= TODAY


def test_rows_are_synced_integral_and_not_queued_for_sync(engine: Engine) -> None:
    assert _rows(engine, "PRAGMA foreign_key_check") == []
    assert _rows(engine, "SELECT count(*) AS n FROM outbox")[0].n == 0
    for table in ("people", "registrations", "organisations", "meetings", "check_in_events"):
        for r in _rows(engine, f"SELECT updated_at, deleted FROM {table}"):
            Timestamp.decode(r.updated_at)
            assert not r.deleted
    audit = _rows(engine, "SELECT action FROM audit_events")
    assert {a.action for a in audit} == {"demo.generated"}


# --- sizes ----------------------------------------------------------------------------------


def test_the_smallest_demo_still_holds_the_planted_problems(tmp_path: Path) -> None:
    store = _open(tmp_path / "small")
    try:
        summary = generate_demo(store.engine, people=100, today=date(2028, 2, 29))
        assert summary.people == 100
        ids = {r.id for r in _rows(store.engine, "SELECT id FROM registrations")}
        assert {p.registration_id for p in PLANTED_PEOPLE} <= ids
        assert _rows(store.engine, "PRAGMA foreign_key_check") == []
        with pytest.raises(ValueError, match="at least"):
            generate_demo(store.engine, people=99)
    finally:
        store.close()


def test_twenty_thousand_people(tmp_path: Path) -> None:
    store = _open(tmp_path / "big")
    try:
        summary = generate_demo(store.engine, people=20_000, today=TODAY, clock=store.clock)
        assert summary.people == 20_000
        assert _rows(store.engine, "SELECT count(*) AS n FROM people")[0].n == 20_000
    finally:
        store.close()
