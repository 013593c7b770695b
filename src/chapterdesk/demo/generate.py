"""Fill an empty store with a deterministic, realistic chapter world.

Same ``seed`` and ``today`` give the same rows (ids included): ids come from a seeded
``random.Random``, and only meeting dates depend on ``today``. HLC stamps (``updated_at``, check-in
``hlc``) come from the clock and are the one thing that differs between runs.

The home chapter (AXUG Ottawa) has rule problems waiting in its next upcoming meeting, so a leader
trying the app, and the tests, find them at once. Their ids are fixed, whatever the seed:

=============  =====================================  ===============================  ========
person         organisation                           problem                          rule
=============  =====================================  ===============================  ========
Hanna Solberg  Northwind Dynamics Services (partner)  registered with no escort        ESC-1
Hunter Headley Pinnacle Dynamics Talent (recruiter)   registered as a partner          ORG-4
Ophélie Strand Fabrikam Business Solutions (partner)  escort cancelled: escort needed  ESC-4
Connie Bailey  City of Ottawa (customer member)       the escort who cancelled         ESC-4
=============  =====================================  ===============================  ========

Person ids end in ``…0001``–``…0004`` and their registration ids in ``…0101``–``…0104`` in that
order (see :data:`PLANTED_PEOPLE`). Nothing else in the data breaks a rule: every other partner
registration is escorted by a registered customer of the same meeting (or is at the home
chapter's partner-exclusive meeting, which needs no escort), at most two people per partner
company per meeting (MTG-5), at most one partner company per escort (ESC-5).
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import accumulate
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select

from chapterdesk.demo import names
from chapterdesk.domain.codes import new_code
from chapterdesk.domain.communities import community_id
from chapterdesk.domain.enums import (
    ApplicationStatus,
    BenefitKind,
    CheckInKind,
    ContributionKind,
    ExcludedKind,
    IncidentStatus,
    JobRole,
    Membership,
    OrgCategory,
    PartnerKind,
    RegistrationRole,
    RegistrationStatus,
    Role,
)
from chapterdesk.domain.text import fold, search_key
from chapterdesk.hlc import HybridLogicalClock
from chapterdesk.services.passwords import make_verifier
from chapterdesk.store.models import (
    Account,
    AccountRole,
    AuditEvent,
    Chapter,
    CheckInEvent,
    Community,
    ConductIncident,
    LocalCredential,
    Meeting,
    Organisation,
    PartnerApplication,
    PartnerApplicationEvent,
    PartnerBenefit,
    PartnerContribution,
    PartnerImplementation,
    PartnerOfRecord,
    PartnerProfile,
    Person,
    PresentationSlot,
    Registration,
    VolunteerAssignment,
)

Row = dict[str, Any]

MIN_PEOPLE = 100  # below this the home chapter cannot hold its planted rule problems
DEVICES = ("demo-desk-1", "demo-desk-2")
# Sign-in accounts of the demo (ROS-5); the sign-in screen of a demo names them.
DEMO_PASSWORD = "chapter-demo"
DEMO_ACCOUNTS: tuple[tuple[str, str, Role, str], ...] = (
    # login, name, role, scope: "all" chapters, the "home" chapter, or the home "meeting"
    ("alex@chapterdesk.example", "Alex Morgan", Role.LEADER, "all"),
    ("priya@chapterdesk.example", "Priya Shah", Role.CO_LEADER, "home"),
    ("val@chapterdesk.example", "Val Dupont", Role.VOLUNTEER, "meeting"),
)


def sign_in_hint() -> str:
    """What the sign-in screen of a demo says: who to sign in as, and what each sees."""
    lines = ["Demo accounts (password “" + DEMO_PASSWORD + "”):"]
    scope = {
        "all": "leads every demo chapter",
        "home": f"co-leads {names.HOME_CITY} only",
        "meeting": f"volunteer at {names.HOME_CITY}'s next meeting",
    }
    lines += [f"• {login} — {name}, {scope[where]}" for login, name, _role, where in DEMO_ACCOUNTS]
    return "\n".join(lines)


DEMO_ACTOR_ID = "chapterdesk-demo"
DEMO_ACTOR_NAME = "ChapterDesk demo generator"
MICROSOFT_DOMAIN = "microsoft.example"


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`generate_demo` wrote, and where the app should open."""

    communities: int
    chapters: int
    organisations: int
    people: int
    meetings: int
    registrations: int
    home_chapter_id: str


@dataclass(frozen=True)
class PlantedPerson:
    """A person placed in the home chapter's next meeting to show one rule problem."""

    rule: str
    person_id: str
    registration_id: str
    first_name: str
    last_name: str
    organisation: str
    problem: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def _fixed_id(n: int) -> str:
    return f"00000000-de30-4000-8000-{n:012d}"


HANNA_SOLBERG = PlantedPerson(
    "ESC-1",
    _fixed_id(1),
    _fixed_id(101),
    "Hanna",
    "Solberg",
    "Northwind Dynamics Services",
    "partner registered without an escort",
)
HUNTER_HEADLEY = PlantedPerson(
    "ORG-4",
    _fixed_id(2),
    _fixed_id(102),
    "Hunter",
    "Headley",
    names.RECRUITER_NAME,
    "recruiter registered as a partner",
)
OPHELIE_STRAND = PlantedPerson(
    "ESC-4",
    _fixed_id(3),
    _fixed_id(103),
    "Ophélie",
    "Strand",
    "Fabrikam Business Solutions",
    "her escort cancelled: escort needed",
)
CONNIE_BAILEY = PlantedPerson(
    "ESC-4",
    _fixed_id(4),
    _fixed_id(104),
    "Connie",
    "Bailey",
    "City of Ottawa",
    "customer escort whose registration is cancelled",
)
PLANTED_PEOPLE: tuple[PlantedPerson, ...] = (
    HANNA_SOLBERG,
    HUNTER_HEADLEY,
    OPHELIE_STRAND,
    CONNIE_BAILEY,
)


def generate_demo(
    engine: Engine,
    *,
    people: int = 5000,
    seed: int = 2026,
    today: date | None = None,
    clock: HybridLogicalClock | None = None,
) -> DemoSummary:
    """Write the demo world into ``engine`` (migrated and empty) in one transaction.

    Core bulk inserts keep 100,000 people fast; nothing goes to the outbox, because demo data
    counts as already synced.
    """
    if people < MIN_PEOPLE:
        raise ValueError(f"the demo needs at least {MIN_PEOPLE} people, not {people}")
    world = _World(random.Random(seed), today or date.today(), clock or HybridLogicalClock("demo"))
    world.build(people, seed)
    with engine.begin() as conn:
        if conn.execute(select(func.count()).select_from(Community)).scalar_one():
            raise ValueError("demo data goes into an empty database only")
        world.insert(conn)
    return world.summary()


# --- internals ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Attendee:
    """What a registration needs to know about a person."""

    person_id: str
    organisation_id: str
    category: OrgCategory
    job_role: JobRole


@dataclass(slots=True)
class _Org:
    id: str
    name: str
    category: OrgCategory
    domain: str
    is_isv: bool = False
    excluded: ExcludedKind | None = None
    people: list[_Attendee] = field(default_factory=list)


@dataclass
class _ChapterWorld:
    """One chapter while it is being built: its orgs and the pools meetings draw from."""

    id: str
    city: names.CitySpec
    home: bool
    leader_id: str
    customer_orgs: list[_Org] = field(default_factory=list)
    partner_orgs: list[_Org] = field(default_factory=list)  # eligible (not excluded)
    excluded_orgs: list[_Org] = field(default_factory=list)
    microsoft: _Org | None = None
    customers: list[_Attendee] = field(default_factory=list)
    microsoft_people: list[_Attendee] = field(default_factory=list)


@dataclass(slots=True)
class _Reg:
    """A registration being assembled before it becomes a row."""

    who: _Attendee
    registered_at: datetime
    cancelled: bool = False
    status: RegistrationStatus = RegistrationStatus.REGISTERED
    waitlist_position: int | None = None
    escort: _Reg | None = None
    company_slot: int | None = None
    role: RegistrationRole = RegistrationRole.ATTENDEE
    approved_by: str | None = None
    id: str = ""


_folded = lru_cache(maxsize=8192)(fold)  # names and companies repeat: fold each once


@lru_cache(maxsize=4096)
def _email_part(text: str) -> str:
    """ASCII local-part piece: "Ó Súilleabháin" → "osuilleabhain", "O'Brien" → "obrien"."""
    return re.sub(r"[^a-z0-9-]", "", _folded(text))


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name).replace("&", " and ")).strip("-")


def _weekday_evening(day: date) -> date:
    """Chapters meet Tuesday to Thursday; move forward to the next such day."""
    while day.weekday() not in (1, 2, 3):
        day += timedelta(days=1)
    return day


class _World:
    """Builds every row in memory (fast, deterministic), then bulk-inserts them."""

    def __init__(self, rng: random.Random, today: date, clock: HybridLogicalClock) -> None:
        self.rng = rng
        self.today = today
        self.clock = clock
        self.now = datetime.combine(today, time(0, 0), UTC)  # registrations happened before
        self.rows: dict[str, list[Row]] = {
            name: []
            for name in (
                "communities",
                "chapters",
                "organisations",
                "people",
                "meetings",
                "registrations",
                "check_in_events",
                "partner_profiles",
                "partner_applications",
                "partner_application_events",
                "partner_implementations",
                "conduct_incidents",
                "partner_benefits",
                "partner_contributions",
                "partner_records",
                "presentation_slots",
                "audit_events",
                "accounts",
                "account_roles",
                "local_credentials",
                "volunteer_assignments",
            )
        }
        self.codes: set[str] = set()
        self.emails: set[str] = set()  # one address, one person, across chapters
        self.planted: dict[str, _Attendee] = {}
        self.home_chapter_id = ""
        self.home_next_meeting_id = ""

    # -- small helpers --------------------------------------------------------------------

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def stamp(self) -> str:
        return self.clock.now().encode()

    def synced(self, **values: Any) -> Row:
        """A row with the columns every replicated table needs (Core skips ORM defaults)."""
        values.setdefault("id", self.uid())
        values["updated_at"] = self.stamp()
        values["deleted"] = False
        return values

    def code(self) -> str:
        while True:
            code = new_code(self.rng)
            if code not in self.codes:
                self.codes.add(code)
                return code

    # -- the world ------------------------------------------------------------------------

    def build(self, people: int, seed: int) -> None:
        community_ids: dict[str, str] = {}
        for code, full_name in names.COMMUNITIES:
            row = self.synced(code=code, name=full_name)
            # The id every computer gives the group (a laptop started offline meets the demo
            # server's AXUG as the same row); drawn after synced() so the rest stays the same.
            row["id"] = community_id(code)
            community_ids[code] = row["id"]
            self.rows["communities"].append(row)

        weights = [1.6 if c.name == names.HOME_CITY else 1.0 for c in names.CITIES]
        counts = _apportion(people, weights)
        for city, count in zip(names.CITIES, counts, strict=True):
            chapter = _ChapterWorld(self.uid(), city, city.name == names.HOME_CITY, self.uid())
            if chapter.home:
                self.home_chapter_id = chapter.id
            self.rows["chapters"].append(
                self.synced(
                    id=chapter.id,
                    community_id=community_ids[city.community],
                    name=city.name,
                    region=city.region,
                    max_partner_attendees=2,
                    max_escorted_companies=1,
                    idle_lock_minutes=10,
                    retention_months=36,
                    template_sha256=None,
                )
            )
            self.build_chapter(chapter, count)
            self.rows["audit_events"].append(
                self.synced(
                    chapter_id=chapter.id,
                    at=self.now,
                    actor_id=DEMO_ACTOR_ID,
                    actor_name=DEMO_ACTOR_NAME,
                    action="demo.generated",
                    entity="chapter",
                    entity_id=chapter.id,
                    details={"seed": seed, "people": count, "today": self.today.isoformat()},
                )
            )

        self.make_accounts()

    def make_accounts(self) -> None:
        """A leader of every chapter, a co-leader of the home chapter only and a volunteer for
        its next meeting: signing in as each shows what each role may see (ROS-1…5). All share
        one verifier: hashing is deliberately slow."""
        verifier = make_verifier(DEMO_PASSWORD)
        for login, name, role, scope in DEMO_ACCOUNTS:
            account = self.synced(login=login, display_name=name, active=True)
            self.rows["accounts"].append(account)
            chapter = None if scope == "all" else self.home_chapter_id
            self.rows["account_roles"].append(
                self.synced(account_id=account["id"], chapter_id=chapter, role=role)
            )
            self.rows["local_credentials"].append(
                {"account_id": account["id"], "verifier": verifier, "changed_at": self.now}
            )
            if role is Role.LEADER and scope == "all":
                self.sign_programme_records(account["id"])
            if scope == "meeting":
                self.rows["volunteer_assignments"].append(
                    self.synced(
                        chapter_id=self.home_chapter_id,
                        meeting_id=self.home_next_meeting_id,
                        account_id=account["id"],
                    )
                )

    def build_chapter(self, ch: _ChapterWorld, count: int) -> None:
        # ~75% customers, ~20% partners (a few of them excluded, ORG-4), ~5% Microsoft.
        n_microsoft = max(1, round(count * 0.05))
        n_recruiters, n_vendor = (3, 2) if count >= 100 else (1, 1)
        n_partner = max(3, round(count * 0.20) - n_recruiters - n_vendor)
        n_customer = count - n_microsoft - n_recruiters - n_vendor - n_partner
        self.make_orgs(ch, n_customer, n_partner)
        self.make_people(ch, (n_customer, n_partner, n_recruiters, n_vendor, n_microsoft))
        if ch.home:
            self.plant_people(ch)
        self.make_meetings(ch)
        self.make_partner_records(ch)
        if ch.home:
            self.make_programme_records(ch)
            self.make_roster_records(ch)

    # -- organisations --------------------------------------------------------------------

    def add_org(
        self,
        ch: _ChapterWorld,
        name: str,
        category: OrgCategory,
        *,
        uses_dynamics: bool,
        excluded: ExcludedKind | None = None,
        is_isv: bool = False,
        domain: str | None = None,
    ) -> _Org:
        org = _Org(self.uid(), name, category, domain or f"{_slug(name)}.example", is_isv, excluded)
        self.rows["organisations"].append(
            self.synced(
                id=org.id,
                chapter_id=ch.id,
                name=name,
                category=category,
                uses_dynamics=uses_dynamics,
                excluded_kind=excluded,
                website=org.domain,
            )
        )
        return org

    def make_orgs(self, ch: _ChapterWorld, n_customer: int, n_partner: int) -> None:
        rng, city = self.rng, ch.city
        n_customer_orgs = min(400, max(min(12, n_customer), round(n_customer / 7)))
        ch.customer_orgs.append(
            self.add_org(ch, f"City of {city.name}", OrgCategory.CUSTOMER, uses_dynamics=True)
        )
        taken = {ch.customer_orgs[0].name}
        prefixes = city.local_prefixes * 3 + names.COMPANY_PREFIXES
        while len(ch.customer_orgs) < n_customer_orgs:
            base = rng.choice(names.CUSTOMER_SECTORS).format(p=rng.choice(prefixes))
            if base in taken:
                continue
            taken.add(base)
            name = f"{base} {city.legal_suffix}" if rng.random() < 0.3 else base
            org = self.add_org(
                ch, name, OrgCategory.CUSTOMER, uses_dynamics=True, domain=f"{_slug(base)}.example"
            )
            ch.customer_orgs.append(org)

        n_partner_orgs = min(150, max(min(6, n_partner), round(n_partner / 5)))
        for name, is_isv in names.ANCHOR_PARTNERS:
            ch.partner_orgs.append(
                self.add_org(
                    ch,
                    name,
                    OrgCategory.PARTNER,
                    is_isv=is_isv,
                    uses_dynamics=name.startswith("Contoso") or rng.random() < 0.35,
                )
            )
        taken = {name for name, _ in names.ANCHOR_PARTNERS}
        # Each brand once before any brand twice: "Wide World" thrice in one chapter looks fake.
        brands = rng.sample(names.PARTNER_PREFIXES, len(names.PARTNER_PREFIXES))
        while len(ch.partner_orgs) < n_partner_orgs:
            is_isv = rng.random() < 0.25
            suffixes = names.ISV_SUFFIXES if is_isv else names.IMPLEMENTATION_SUFFIXES
            brand = brands[(len(ch.partner_orgs) - len(names.ANCHOR_PARTNERS)) % len(brands)]
            name = f"{brand} {rng.choice(suffixes)}"
            if name not in taken:
                taken.add(name)
                ch.partner_orgs.append(
                    self.add_org(
                        ch,
                        name,
                        OrgCategory.PARTNER,
                        is_isv=is_isv,
                        uses_dynamics=rng.random() < 0.35,
                    )
                )

        # ORG-4: they call themselves partners; the chapter has marked them excluded.
        ch.excluded_orgs.append(
            self.add_org(
                ch,
                names.RECRUITER_NAME,
                OrgCategory.PARTNER,
                uses_dynamics=False,
                excluded=ExcludedKind.RECRUITER,
            )
        )
        ch.excluded_orgs.append(
            self.add_org(
                ch,
                names.COMPETING_VENDOR_NAME,
                OrgCategory.PARTNER,
                uses_dynamics=False,
                excluded=ExcludedKind.COMPETING_VENDOR,
            )
        )
        ch.microsoft = self.add_org(
            ch,
            city.microsoft_name,
            OrgCategory.MICROSOFT,
            uses_dynamics=True,
            domain=MICROSOFT_DOMAIN,
        )

    # -- people ---------------------------------------------------------------------------

    def make_people(self, ch: _ChapterWorld, counts: tuple[int, int, int, int, int]) -> None:
        n_customer, n_partner, n_recruiters, n_vendor, n_microsoft = counts
        rng = self.rng
        cultures = dict(names.DEFAULT_CULTURE_WEIGHTS)
        cultures.update(ch.city.culture_weights)
        culture_names = list(cultures)
        culture_cum = list(accumulate(cultures[c] for c in culture_names))

        def spread(orgs: Sequence[_Org], n: int) -> list[_Org]:
            """Every org gets someone; then a few big employers and a long tail."""
            cum = list(accumulate(1.0 / (i + 1) ** 0.7 for i in range(len(orgs))))
            rest = rng.choices(orgs, cum_weights=cum, k=max(0, n - len(orgs)))
            return list(orgs[:n]) + rest

        groups: list[tuple[list[_Org], tuple[tuple[str, JobRole, float], ...]]] = [
            (spread(ch.customer_orgs, n_customer), names.CUSTOMER_TITLES),
            (spread(ch.partner_orgs, n_partner), names.PARTNER_TITLES),
            ([ch.excluded_orgs[0]] * n_recruiters, names.RECRUITER_TITLES),
            ([ch.excluded_orgs[1]] * n_vendor, names.VENDOR_TITLES),
            ([ch.microsoft] * n_microsoft if ch.microsoft else [], names.MICROSOFT_TITLES),
        ]
        people_rows = self.rows["people"]
        for orgs, titles in groups:
            title_cum = list(accumulate(t[2] for t in titles))
            picked_titles = rng.choices(titles, cum_weights=title_cum, k=len(orgs))
            picked_cultures = rng.choices(culture_names, cum_weights=culture_cum, k=len(orgs))
            for org, (title, role, _w), culture in zip(
                orgs, picked_titles, picked_cultures, strict=True
            ):
                first = rng.choice(names.FIRST_NAMES[culture])
                if rng.random() < 0.2:  # families and marriages mix cultures
                    culture = rng.choices(culture_names, cum_weights=culture_cum)[0]
                last = rng.choice(names.LAST_NAMES[culture])
                row = self.person_row(ch, org, first, last, title, role)
                people_rows.append(row)
                who = _Attendee(row["id"], org.id, org.category, role)
                org.people.append(who)
                if org.category is OrgCategory.CUSTOMER:
                    ch.customers.append(who)
                elif org.category is OrgCategory.MICROSOFT:
                    ch.microsoft_people.append(who)

    def email(self, first: str, last: str, domain: str) -> str:
        local = f"{_email_part(first)}.{_email_part(last)}".strip(".")
        address, n = f"{local}@{domain}", 1
        while address in self.emails:  # two Sarah Smiths at one company
            n += 1
            address = f"{local}{n}@{domain}"
        self.emails.add(address)
        return address

    def person_row(
        self,
        ch: _ChapterWorld,
        org: _Org,
        first: str,
        last: str,
        title: str,
        role: JobRole,
    ) -> Row:
        rng = self.rng
        membership, since, renewal = Membership.NONE, None, None
        consent = rng.random() < 0.5
        notes = ""
        if org.category is OrgCategory.CUSTOMER:
            if rng.random() < 0.6:
                membership = Membership.MEMBER
                since = self.today - timedelta(days=rng.randrange(60, 12 * 365))
                renewal = _next_renewal(since, self.today)
                consent = rng.random() < 0.8
            else:
                membership = Membership.PROSPECT
                consent = rng.random() < 0.45
            if rng.random() < 0.04:
                notes = rng.choice(names.CUSTOMER_NOTES)
        email = self.email(first, last, org.domain)
        phone = (
            f"{ch.city.phone_prefix} {rng.randrange(100, 200):04d}" if rng.random() < 0.8 else ""
        )
        return self.synced(
            chapter_id=ch.id,
            organisation_id=org.id,
            first_name=first,
            last_name=last,
            job_title=title,
            job_role=role,
            membership=membership,
            member_since=since,
            renewal_date=renewal,
            email=email,
            phone=phone,
            consent_email=consent,
            notes=notes,
            search_text=search_key(_folded(first), _folded(last), _folded(org.name), email),
        )

    def plant_people(self, ch: _ChapterWorld) -> None:
        """Turn one generated person of each planted organisation into the named person."""
        by_id = {row["id"]: row for row in self.rows["people"] if row["chapter_id"] == ch.id}
        all_orgs = ch.customer_orgs + ch.partner_orgs + ch.excluded_orgs
        speaker = ch.partner_orgs[0].people[0]  # the sponsor's speaker (DECK-5): no sales pitch
        by_id[speaker.person_id].update(job_title="Solution Architect", job_role=JobRole.TECHNICAL)
        speaker.job_role = JobRole.TECHNICAL
        for planted in PLANTED_PEOPLE:
            org = next(o for o in all_orgs if o.name == planted.organisation)
            who = org.people.pop(0)  # out of the random pools: they only attend where planted
            if who in ch.customers:
                ch.customers.remove(who)
            row = by_id[who.person_id]
            row["id"] = who.person_id = planted.person_id
            row["first_name"], row["last_name"] = planted.first_name, planted.last_name
            row["email"] = self.email(planted.first_name, planted.last_name, org.domain)
            row["search_text"] = search_key(
                planted.first_name, planted.last_name, org.name, row["email"]
            )
            row["notes"] = ""  # the problems are for the leader to find, not to read here
            if org.category is OrgCategory.PARTNER:  # no sales role: MTG-4 stays out of it
                title, role = (
                    ("Senior Functional Consultant", JobRole.FUNCTIONAL)
                    if org.excluded is None
                    else ("Recruitment Consultant", JobRole.OTHER)
                )
                row["job_title"], row["job_role"] = title, role
                who.job_role = role
            if org.category is OrgCategory.CUSTOMER:
                row["membership"] = Membership.MEMBER
                row["member_since"] = self.today - timedelta(days=3 * 365)
                row["renewal_date"] = _next_renewal(row["member_since"], self.today)
            self.planted[planted.person_id] = who

    # -- meetings -------------------------------------------------------------------------

    def make_meetings(self, ch: _ChapterWorld) -> None:
        rng, city = self.rng, ch.city
        n_past = 6 if ch.home else rng.randint(5, 7)
        n_upcoming = 3 if ch.home else rng.randint(2, 4)
        titles = rng.sample(names.MEETING_TITLES[city.community], n_past + n_upcoming)
        first_ahead = 9 if ch.home else rng.randint(6, 35)
        days: list[int] = [-(21 + 49 * j + rng.randint(-7, 7)) for j in range(n_past)]
        days += [first_ahead + 49 * i + (rng.randint(-5, 5) if i else 0) for i in range(n_upcoming)]
        for index, (offset, title) in enumerate(zip(days, titles, strict=True)):
            upcoming = offset > 0
            exclusive = ch.home and index == 2  # a past Partner Advisory Group meeting
            problems = ch.home and index == n_past  # the next meeting: rule problems planted
            welcome = exclusive or problems or rng.random() < 0.75
            capacity = 40 if exclusive else 90 if problems else rng.randrange(30, 121, 5)
            day = _weekday_evening(self.today + timedelta(days=offset))
            starts = datetime.combine(day, rng.choice((time(16, 30), time(17), time(17, 30))))
            ends = starts + timedelta(minutes=rng.choice((150, 180)))
            venue, address = self.venue(ch, exclusive)
            if exclusive:
                title = names.PARTNER_EXCLUSIVE_TITLE
            meeting = self.synced(
                chapter_id=ch.id,
                title=title,
                starts_at=starts,
                ends_at=ends,
                venue=venue,
                address=address,
                capacity=capacity,
                partners_welcome=welcome,
                partner_exclusive=exclusive,
                cancelled=False,
                agenda=_agenda(starts, ends, title, welcome and not exclusive),
            )
            self.rows["meetings"].append(meeting)
            if problems:
                self.home_next_meeting_id = meeting["id"]
            self.register(ch, meeting, upcoming=upcoming, problems=problems)

    def venue(self, ch: _ChapterWorld, exclusive: bool) -> tuple[str, str]:
        rng, city = self.rng, ch.city
        number = rng.randrange(10, 1500)
        street = rng.choice(city.streets)
        european = city.utc_offset_hours > 0
        address = (
            f"{street} {number}, {city.name}" if european else f"{number} {street}, {city.name}"
        )
        kind = 0.5 if exclusive else rng.random()
        if kind < 0.4:
            host = rng.choice(ch.customer_orgs[:15])
            return f"{host.name} — head office", address
        if kind < 0.7:
            return f"{city.microsoft_name} — {city.name} office", address
        return f"{rng.choice(names.HOTEL_BRANDS)} {city.name} Downtown — conference room", address

    # -- registrations --------------------------------------------------------------------

    def register(self, ch: _ChapterWorld, meeting: Row, *, upcoming: bool, problems: bool) -> None:
        rng = self.rng
        capacity: int = meeting["capacity"]
        starts_utc = (meeting["starts_at"] - timedelta(hours=ch.city.utc_offset_hours)).replace(
            tzinfo=UTC
        )
        window_end: datetime = min(starts_utc - timedelta(hours=2), self.now)
        window_start = window_end - timedelta(days=45)
        span = (window_end - window_start).total_seconds()

        def when() -> datetime:
            return window_start + timedelta(seconds=int(rng.random() * span))

        target = round(capacity * (rng.uniform(0.7, 0.8) if problems else rng.uniform(0.6, 1.1)))
        exclusive, welcome = meeting["partner_exclusive"], meeting["partners_welcome"]
        share_partner = 0.85 if exclusive else 0.2 if welcome else 0.0
        n_partner = round(target * share_partner)
        n_microsoft = round(target * (0.12 if exclusive else 0.06))
        n_customer = 0 if exclusive else target - n_partner - n_microsoft

        regs = [
            _Reg(w, when()) for w in rng.sample(ch.customers, min(n_customer, len(ch.customers)))
        ]
        regs += [
            _Reg(w, when())
            for w in rng.sample(ch.microsoft_people, min(n_microsoft, len(ch.microsoft_people)))
        ]
        for reg in regs:
            reg.cancelled = rng.random() < 0.04 and not problems  # escorts needed below
        companies: list[list[_Reg]] = []
        speaker: _Reg | None = None
        if problems:  # the sponsor presents (DECK-5): its speaker is an escorted partner
            sponsor = ch.partner_orgs[0]
            speaker = _Reg(sponsor.people[0], when(), role=RegistrationRole.SPEAKER)
            companies.append([speaker])
        # In the problem meeting the planted partners' companies and the sponsor are set.
        skip = {p.organisation for p in PLANTED_PEOPLE} | {ch.partner_orgs[0].name}
        pool = [o for o in ch.partner_orgs if o.people and not (problems and o.name in skip)]
        rng.shuffle(pool)
        sent = sum(len(c) for c in companies)
        for org in pool:
            if sent >= n_partner:
                break
            k = min(len(org.people), 2 if rng.random() < 0.4 else 1, n_partner - sent)
            companies.append([_Reg(w, when()) for w in rng.sample(org.people, k)])
            sent += k

        while True:  # ESC-1/ESC-5: drop a company rather than leave it without an escort
            _assign_statuses(regs + [r for c in companies for r in c], capacity)
            if exclusive or self.assign_escorts(regs, companies):
                break
            companies.pop()

        for company in companies:
            for slot, reg in enumerate(sorted(company, key=lambda r: r.registered_at), 1):
                reg.company_slot = slot  # MTG-5
                if reg.who.job_role is JobRole.SALES:  # MTG-4
                    if (
                        upcoming
                        and reg.status is RegistrationStatus.REGISTERED
                        and rng.random() < 0.5
                    ):
                        reg.status = RegistrationStatus.PENDING_APPROVAL
                    else:
                        reg.approved_by = ch.leader_id
        all_regs = regs + [r for c in companies for r in c]
        if not upcoming and not exclusive:
            speakers = [
                r
                for r in regs
                if r.who.category is OrgCategory.MICROSOFT
                and r.status is RegistrationStatus.REGISTERED
            ]
            if speakers and rng.random() < 0.4:
                rng.choice(speakers).role = RegistrationRole.SPEAKER
        if problems:
            all_regs += self.planted_registrations(regs, companies, when)
            assert speaker is not None
            self.rows["presentation_slots"].append(
                self.synced(
                    chapter_id=ch.id,
                    meeting_id=meeting["id"],
                    topic=f"{meeting['title']}: a worked example",
                    partner_organisation_id=speaker.who.organisation_id,
                    speaker_person_id=speaker.who.person_id,
                    requested_by=ch.leader_id,
                    handouts_approved=False,
                )
            )

        for reg in all_regs:
            if not reg.id:
                reg.id = self.uid()
        # Escorts first, so the self-referencing foreign key holds row by row.
        all_regs.sort(key=lambda r: r.escort is not None)
        out = self.rows["registrations"]
        for reg in all_regs:
            out.append(
                self.synced(
                    id=reg.id,
                    chapter_id=ch.id,
                    meeting_id=meeting["id"],
                    person_id=reg.who.person_id,
                    organisation_id=reg.who.organisation_id,
                    category=reg.who.category,
                    role=reg.role,
                    status=reg.status,
                    escort_registration_id=reg.escort.id if reg.escort else None,
                    company_slot=reg.company_slot,
                    waitlist_position=reg.waitlist_position,
                    code=self.code(),
                    registered_at=reg.registered_at,
                    approved_by=reg.approved_by,
                )
            )
        if not upcoming:
            self.check_in(ch, all_regs, starts_utc)

    def assign_escorts(self, regs: list[_Reg], companies: list[list[_Reg]]) -> bool:
        """Each partner company gets its own registered customer as escort (ESC-1, ESC-5)."""
        free = [
            r
            for r in regs
            if r.who.category is OrgCategory.CUSTOMER and r.status is RegistrationStatus.REGISTERED
        ]
        if len(free) < len(companies):
            return False
        self.rng.shuffle(free)
        for company, escort in zip(companies, free, strict=False):
            for reg in company:
                reg.escort = escort
        return True

    def planted_registrations(
        self, regs: list[_Reg], companies: list[list[_Reg]], when: Callable[[], datetime]
    ) -> list[_Reg]:
        """The rule problems of the module docstring, in the home chapter's next meeting."""
        escorting = {id(r.escort) for company in companies for r in company}
        spare = next(
            r
            for r in regs
            if r.who.category is OrgCategory.CUSTOMER
            and r.status is RegistrationStatus.REGISTERED
            and id(r) not in escorting
        )
        hanna = _Reg(
            self.planted[HANNA_SOLBERG.person_id],
            when(),
            company_slot=1,
            id=HANNA_SOLBERG.registration_id,
        )
        hunter = _Reg(
            self.planted[HUNTER_HEADLEY.person_id],
            when(),
            company_slot=1,
            escort=spare,
            id=HUNTER_HEADLEY.registration_id,
        )
        connie = _Reg(
            self.planted[CONNIE_BAILEY.person_id],
            when(),
            status=RegistrationStatus.CANCELLED,
            cancelled=True,
            id=CONNIE_BAILEY.registration_id,
        )
        ophelie = _Reg(
            self.planted[OPHELIE_STRAND.person_id],
            when(),
            status=RegistrationStatus.ESCORT_NEEDED,
            escort=connie,
            company_slot=1,
            id=OPHELIE_STRAND.registration_id,
        )
        return [hanna, hunter, connie, ophelie]

    def check_in(self, ch: _ChapterWorld, regs: list[_Reg], starts_utc: datetime) -> None:
        """Most registered people came; partners only while their escort was in (ESC-3)."""
        rng = self.rng
        arrived: dict[int, datetime] = {}
        escorts = {id(r.escort) for r in regs if r.escort is not None}
        events = self.rows["check_in_events"]

        def event(reg: _Reg, kind: CheckInKind, at: datetime) -> None:
            events.append(
                self.synced(
                    chapter_id=ch.id,
                    registration_id=reg.id,
                    kind=kind,
                    undoes_event_id=None,
                    device_id=rng.choice(DEVICES),
                    hlc=self.stamp(),
                    actor_id=ch.leader_id,
                    at=at,
                )
            )

        present = [r for r in regs if r.status is RegistrationStatus.REGISTERED]
        present.sort(key=lambda r: r.escort is not None)  # escorts arrive before their guests
        for reg in present:
            if reg.escort is not None:
                escort_in = arrived.get(id(reg.escort))
                if escort_in is None or rng.random() < 0.05:
                    continue
                at = escort_in + timedelta(minutes=rng.randint(1, 8))
            elif rng.random() < 0.88:
                at = starts_utc - timedelta(minutes=30) + timedelta(minutes=rng.randint(0, 50))
            else:
                continue
            arrived[id(reg)] = at
            event(reg, CheckInKind.IN, at)
            # Someone who brought a partner stays: checking them out would flag the partner.
            if reg.escort is None and id(reg) not in escorts and rng.random() < 0.06:
                event(reg, CheckInKind.OUT, starts_utc + timedelta(minutes=rng.randint(60, 150)))

    # -- roster management (issue 8) -------------------------------------------------------

    def make_roster_records(self, ch: _ChapterWorld) -> None:
        """Partners of record for some customers (CND-2), and two people on the roster twice
        for the People page's duplicates: a member who came to the last meeting as an
        unrecognised walk-in (same name without accents, same company, a personal email: the
        walk-in record holds the check-in) and one typed in again with an initial and the same
        email. The twins are made of other generated people (who never registered), so the
        demo keeps the number of people asked for."""
        rng = self.rng
        lines = ("Dynamics 365 Finance", "Dynamics 365 Sales", "Power Platform")
        for customer in ch.customer_orgs[:10]:
            for line in rng.sample(lines, rng.randint(1, 2)):
                self.rows["partner_records"].append(
                    self.synced(
                        chapter_id=ch.id,
                        customer_organisation_id=customer.id,
                        product_line=line,
                        partner_organisation_id=rng.choice(ch.partner_orgs).id,
                        since=self.today - timedelta(days=rng.randrange(200, 2000)),
                    )
                )
        past = [
            m
            for m in self.rows["meetings"]
            if m["chapter_id"] == ch.id and m["starts_at"] < datetime.combine(self.today, time())
        ]
        if not past:
            return
        last = max(past, key=lambda m: m["starts_at"])
        registered = {r["person_id"] for r in self.rows["registrations"]}
        at_last = {
            r["person_id"] for r in self.rows["registrations"] if r["meeting_id"] == last["id"]
        }
        people = {r["id"]: r for r in self.rows["people"] if r["chapter_id"] == ch.id}
        planted = set(self.planted)
        members = [
            people[a.person_id]
            for a in ch.customers
            if a.person_id not in at_last | planted
            and people[a.person_id]["membership"] is Membership.MEMBER
        ]
        members.sort(key=lambda row: row["first_name"].isascii())  # accented names first
        donors = [
            people[a.person_id] for a in ch.customers if a.person_id not in registered | planted
        ]
        if len(members) < 2 or len(donors) < 2:
            return  # a tiny demo: nobody to spare
        org_names = {o.id: o.name for o in ch.customer_orgs}
        original, twin = members[0], donors[0]
        first, last_name = fold(original["first_name"]).title(), fold(original["last_name"]).title()
        self._become(
            twin,
            original,
            first,
            last_name,
            self.email(first, last_name, "personal-mail.example"),
            org_names[original["organisation_id"]],
        )
        twin["notes"] = "Walk-in"
        starts_utc = (last["starts_at"] - timedelta(hours=ch.city.utc_offset_hours)).replace(
            tzinfo=UTC
        )
        for who, came in ((original, False), (twin, True)):
            reg = self.synced(
                chapter_id=ch.id,
                meeting_id=last["id"],
                person_id=who["id"],
                organisation_id=who["organisation_id"],
                category=OrgCategory.CUSTOMER,
                role=RegistrationRole.ATTENDEE,
                status=RegistrationStatus.REGISTERED,
                escort_registration_id=None,
                company_slot=None,
                waitlist_position=None,
                code=self.code(),
                registered_at=starts_utc - timedelta(days=0 if came else 3, minutes=20),
                approved_by=None,
            )
            self.rows["registrations"].append(reg)
            if came:
                self.rows["check_in_events"].append(
                    self.synced(
                        chapter_id=ch.id,
                        registration_id=reg["id"],
                        kind=CheckInKind.IN,
                        undoes_event_id=None,
                        device_id=DEVICES[0],
                        hlc=self.stamp(),
                        actor_id=ch.leader_id,
                        at=starts_utc - timedelta(minutes=10),
                    )
                )
        second, again = members[1], donors[1]
        self._become(
            again,
            second,
            f"{second['first_name'][0]}.",
            second["last_name"],
            second["email"],  # the same address: the strongest sign of one person
            org_names[second["organisation_id"]],
        )

    def _become(
        self, row: Row, original: Row, first: str, last: str, email: str, org_name: str
    ) -> None:
        """Turn a generated person nobody registered into a second record of ``original``."""
        row.update(
            organisation_id=original["organisation_id"],
            first_name=first,
            last_name=last,
            job_title=original["job_title"],
            job_role=original["job_role"],
            membership=Membership.PROSPECT,
            member_since=None,
            renewal_date=None,
            email=email,
            phone="",
            consent_email=False,
            notes="",
            search_text=search_key(first, last, org_name, email),
        )

    # -- partner programme ----------------------------------------------------------------

    def make_partner_records(self, ch: _ChapterWorld) -> None:
        rng = self.rng
        applications: list[tuple[_Org, ApplicationStatus, str]] = []
        if ch.home:
            applications = [
                (
                    ch.partner_orgs[0],
                    ApplicationStatus.ADMITTED,
                    "Fee paid and signed Code of Conduct on file; Paid Annual Chapter Sponsor.",
                ),
                (
                    ch.excluded_orgs[1],
                    ApplicationStatus.REJECTED,
                    "Competing ERP vendor: excluded under ORG-4.",
                ),
            ]
            statuses = list(ApplicationStatus)
        else:
            statuses = rng.sample(list(ApplicationStatus), rng.randint(1, 2))
        others = rng.sample(ch.partner_orgs[3:], min(len(statuses), len(ch.partner_orgs) - 3))
        applications += [
            (org, st, _APPLICATION_NOTES[st]) for org, st in zip(others, statuses, strict=False)
        ]

        signed: dict[str, date] = {}
        for org, status, notes in applications:
            low, high = _APPLICATION_AGE_DAYS[status]
            submitted = self.now - timedelta(
                days=rng.randint(low, high), minutes=rng.randint(0, 600)
            )
            paid = None
            if status in (ApplicationStatus.ADMITTED, ApplicationStatus.REVOKED):
                paid = (submitted + timedelta(days=rng.randint(20, 60))).date()
                signed[org.id] = paid
            kind = PartnerKind.ISV if org.is_isv else PartnerKind.IMPLEMENTATION
            application = self.synced(
                chapter_id=ch.id,
                organisation_id=org.id,
                kind=kind,
                status=status,
                submitted_at=submitted,
                fee_paid_on=paid,
                notes=notes,
            )
            self.rows["partner_applications"].append(application)
            self.application_steps(ch, application["id"], status, submitted, notes)

        for index, org in enumerate(ch.partner_orgs):
            sponsor = ch.home and index == 0
            if org.is_isv:
                kind, mspp, cfmd = PartnerKind.ISV, False, rng.random() < 0.6
                consultants = rng.randint(0, 4)
            else:
                kind, mspp, cfmd = PartnerKind.IMPLEMENTATION, rng.random() < 0.85, False
                consultants = rng.randint(2, 40) if rng.random() < 0.9 else rng.randint(0, 1)
            if sponsor:
                mspp, consultants = True, max(consultants, 12)
            coc = signed.get(org.id)
            if coc is None and (sponsor or rng.random() < 0.6):
                coc = self.today - timedelta(days=rng.randint(30, 1000))
            self.rows["partner_profiles"].append(
                self.synced(
                    chapter_id=ch.id,
                    organisation_id=org.id,
                    kind=kind,
                    mspp_certified=mspp,
                    cfmd_certified=cfmd,
                    certified_consultants=consultants,
                    annual_chapter_sponsor_year=self.today.year if sponsor else None,
                    code_of_conduct_signed_on=coc,
                )
            )

    def application_steps(
        self,
        ch: _ChapterWorld,
        application_id: str,
        status: ApplicationStatus,
        submitted: datetime,
        notes: str,
    ) -> None:
        """PRT-3's recorded steps from submission to ``status``, with who and why."""
        s = ApplicationStatus
        path = {
            s.SUBMITTED: [s.SUBMITTED],
            s.UNDER_REVIEW: [s.SUBMITTED, s.UNDER_REVIEW],
            s.INFORMATION_REQUESTED: [s.SUBMITTED, s.UNDER_REVIEW, s.INFORMATION_REQUESTED],
            s.APPROVED: [s.SUBMITTED, s.UNDER_REVIEW, s.APPROVED],
            s.REJECTED: [s.SUBMITTED, s.UNDER_REVIEW, s.REJECTED],
            s.ADMITTED: [s.SUBMITTED, s.UNDER_REVIEW, s.APPROVED, s.ADMITTED],
            s.REVOKED: [s.SUBMITTED, s.UNDER_REVIEW, s.APPROVED, s.ADMITTED, s.REVOKED],
        }[status]
        reasons = {
            s.APPROVED: "Certifications confirmed, references validated; letter and invoice sent.",
            s.INFORMATION_REQUESTED: notes,
            s.REJECTED: notes,
            s.REVOKED: notes,
        }
        at, before = submitted, None
        for step in path:
            self.rows["partner_application_events"].append(
                self.synced(
                    chapter_id=ch.id,
                    application_id=application_id,
                    from_status=before,
                    to_status=step,
                    actor_id=ch.leader_id,
                    at=at,
                    reason=reasons.get(step, ""),
                )
            )
            before, at = step, at + timedelta(days=self.rng.randint(5, 25))

    def sign_programme_records(self, account_id: str) -> None:
        """The programme's steps and records were taken by the demo leader's account, so the
        Partners page names a person, not an id."""
        for table, column in (
            ("partner_application_events", "actor_id"),
            ("partner_contributions", "recorded_by"),
            ("conduct_incidents", "reviewed_by"),
        ):
            for row in self.rows[table]:
                row[column] = account_id

    def make_programme_records(self, ch: _ChapterWorld) -> None:
        """The home chapter's references (PRT-1/PRT-2), a conduct incident under review
        (CND-1), the sponsor's benefits (PRT-4) and a year of contributions (PRT-7)."""
        rng = self.rng
        members = [o for o in ch.customer_orgs if o.people]
        for org in ch.partner_orgs[:6]:
            for customer in rng.sample(members, min(len(members), rng.randint(1, 3))):
                self.rows["partner_implementations"].append(
                    self.synced(
                        chapter_id=ch.id,
                        organisation_id=org.id,
                        customer_organisation_id=customer.id,
                        description=rng.choice(_PROJECTS),
                        completed_on=self.today - timedelta(days=rng.randint(90, 1500)),
                        positive_reference=rng.random() < 0.85,
                    )
                )
        if len(ch.partner_orgs) > 2:
            self.rows["conduct_incidents"].append(
                self.synced(
                    chapter_id=ch.id,
                    organisation_id=ch.partner_orgs[2].id,
                    meeting_id=None,
                    occurred_on=self.today - timedelta(days=40),
                    reported_by="Chapter co-leader",
                    rule_id="CND-2",
                    description="Handed out a price list during the open forum and asked "
                    "attendees for their current partner's rates.",
                    status=IncidentStatus.UNDER_REVIEW,
                    outcome="Committee asked the partner for its account of the evening.",
                    reviewed_by=ch.leader_id,
                    reviewed_at=self.now - timedelta(days=30),
                )
            )
        sponsor = ch.partner_orgs[0]
        year = self.today.year
        for kind, note in (
            (BenefitKind.SHOWCASE_WEBINAR, "Spring Partner Showcase webinar"),
            (BenefitKind.ASSOCIATE_INVITED, "Associate at the member-wide summit"),
            (BenefitKind.DIRECTORY_ENTRY, "Listed in the Community Partner Directory"),
        ):
            self.rows["partner_benefits"].append(
                self.synced(
                    chapter_id=ch.id,
                    organisation_id=sponsor.id,
                    year=year,
                    kind=kind,
                    held_on=self.today - timedelta(days=rng.randint(10, 200)),
                    note=note,
                )
            )
        start = date(year, 1, 1)
        days = max(1, (self.today - start).days)
        for org in ch.partner_orgs[:5]:
            for _ in range(rng.randint(1, 4)):
                given, what = rng.choice(_CONTRIBUTIONS)
                self.rows["partner_contributions"].append(
                    self.synced(
                        chapter_id=ch.id,
                        organisation_id=org.id,
                        given_on=start + timedelta(days=rng.randrange(days)),
                        kind=given,
                        description=what,
                        recorded_by=ch.leader_id,
                    )
                )

    # -- output ---------------------------------------------------------------------------

    def insert(self, conn: Connection) -> None:
        """Parents before children; one executemany per table."""
        tables = {
            "communities": Community,
            "chapters": Chapter,
            "organisations": Organisation,
            "people": Person,
            "meetings": Meeting,
            "registrations": Registration,
            "check_in_events": CheckInEvent,
            "partner_profiles": PartnerProfile,
            "partner_applications": PartnerApplication,
            "partner_application_events": PartnerApplicationEvent,
            "partner_implementations": PartnerImplementation,
            "conduct_incidents": ConductIncident,
            "partner_benefits": PartnerBenefit,
            "partner_contributions": PartnerContribution,
            "partner_records": PartnerOfRecord,
            "presentation_slots": PresentationSlot,
            "audit_events": AuditEvent,
            "accounts": Account,
            "account_roles": AccountRole,
            "local_credentials": LocalCredential,
            "volunteer_assignments": VolunteerAssignment,
        }
        for name, model in tables.items():
            rows = self.rows[name]
            if rows:
                conn.execute(insert(model), rows)

    def summary(self) -> DemoSummary:
        return DemoSummary(
            communities=len(self.rows["communities"]),
            chapters=len(self.rows["chapters"]),
            organisations=len(self.rows["organisations"]),
            people=len(self.rows["people"]),
            meetings=len(self.rows["meetings"]),
            registrations=len(self.rows["registrations"]),
            home_chapter_id=self.home_chapter_id,
        )


# How long ago an application in each state was submitted (days): PRT-3 takes its time.
_PROJECTS = (
    "Finance and supply chain go-live",
    "Upgrade to the cloud version",
    "Warehouse management roll-out",
    "Field service and scheduling",
    "Sales and customer service on one platform",
)
_CONTRIBUTIONS = (
    (ContributionKind.DOOR_PRIZE, "Door prize: a tablet for the raffle"),
    (ContributionKind.SPONSORSHIP, "Sponsored the meeting's dinner"),
    (ContributionKind.SPEAKER, "Brought a Microsoft product manager to speak"),
    (ContributionKind.OTHER, "Hosted the meeting at its offices"),
)

_APPLICATION_AGE_DAYS: dict[ApplicationStatus, tuple[int, int]] = {
    ApplicationStatus.SUBMITTED: (3, 30),
    ApplicationStatus.UNDER_REVIEW: (15, 60),
    ApplicationStatus.INFORMATION_REQUESTED: (30, 90),
    ApplicationStatus.APPROVED: (30, 120),
    ApplicationStatus.REJECTED: (30, 300),
    ApplicationStatus.ADMITTED: (90, 600),
    ApplicationStatus.REVOKED: (200, 700),
}

_APPLICATION_NOTES: dict[ApplicationStatus, str] = {
    ApplicationStatus.SUBMITTED: "Application received; references not contacted yet.",
    ApplicationStatus.UNDER_REVIEW: "MSPP certification confirmed; calling the two references.",
    ApplicationStatus.INFORMATION_REQUESTED: (
        "Could not reach the second customer reference; asked for another one."
    ),
    ApplicationStatus.APPROVED: (
        "Approval letter and invoice sent; waiting for the fee and a signed Code of Conduct."
    ),
    ApplicationStatus.REJECTED: "Certifications could not be confirmed.",
    ApplicationStatus.ADMITTED: "Fee paid and signed Code of Conduct on file.",
    ApplicationStatus.REVOKED: "Revoked for cause after a Code of Conduct incident (CND-1).",
}


def _assign_statuses(regs: list[_Reg], capacity: int) -> None:
    """MTG-3: first come, first served; beyond capacity a numbered waiting list."""
    regs.sort(key=lambda r: r.registered_at)
    taken = waiting = 0
    for reg in regs:
        reg.waitlist_position = None
        if reg.cancelled:
            reg.status = RegistrationStatus.CANCELLED
        elif taken < capacity:
            reg.status = RegistrationStatus.REGISTERED
            taken += 1
        else:
            waiting += 1
            reg.status, reg.waitlist_position = RegistrationStatus.WAITLISTED, waiting


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` by ``weights`` into whole numbers that add up (largest remainder)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _next_renewal(since: date, today: date) -> date:
    """The membership anniversary this year, or next year if it lapsed over 60 days ago."""
    renewal = date(today.year, since.month, min(since.day, 28))
    if renewal < today - timedelta(days=60):
        renewal = date(today.year + 1, since.month, min(since.day, 28))
    return renewal


def _agenda(starts: datetime, ends: datetime, title: str, partners: bool) -> str:
    def at(minutes: int) -> str:
        return (starts + timedelta(minutes=minutes)).strftime("%H:%M")

    welcome = (
        "Welcome, chapter news and partner introductions"
        if partners
        else "Welcome and chapter news"
    )
    return "\n".join(
        (
            f"{at(0)}  Doors open: registration, networking and a light dinner",
            f"{at(30)}  {welcome}",
            f"{at(45)}  {title}",
            f"{at(105)}  Break",
            f"{at(120)}  Open forum: members' questions and roundtable",
            f"{ends.strftime('%H:%M')}  Close",
        )
    )
