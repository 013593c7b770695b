"""Every service use case × every role (ROS-1, ROS-2, ROS-4).

A *use case* is a public module-level function of ``chapterdesk.services`` with a parameter
named ``actor``. :data:`MATRIX` gives each one a call and the roles allowed to make it:

* a forbidden role gets :class:`PermissionDenied` (or a ``RuleViolation`` of a ROS rule), and
  nothing is written;
* an allowed role gets a result, and whatever people data it carries shows contact details
  (email, phone, and the email in search keys) to those with ``VIEW_CONTACT_DETAILS`` only;
* a use case added without an entry fails :func:`test_every_use_case_has_a_matrix_entry`.

Every call runs in its own session that is rolled back afterwards, so roles cannot disturb one
another and one fixture world serves the whole module.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import chapterdesk.services as services_package
from chapterdesk.decks.samples import chapter_deck, rule_breaking_deck
from chapterdesk.domain.actors import Actor
from chapterdesk.domain.enums import (
    ApplicationStatus,
    BenefitKind,
    ContributionKind,
    DeckDecision,
    Membership,
    OrgCategory,
    PartnerKind,
    Role,
)
from chapterdesk.domain.permissions import PERMISSIONS, Action, allows, require
from chapterdesk.domain.violations import PermissionDenied, RuleViolation
from chapterdesk.services import (
    accounts,
    audit,
    changes,
    chapters,
    checkin,
    decks,
    exports,
    facts,
    meetings,
    member_import,
    merges,
    organisations,
    paper,
    partners,
    passwords,
    people,
    registrations,
    retention,
    roster,
    templates,
)
from chapterdesk.services.roster_views import OrganisationDraft, PersonDraft
from chapterdesk.services.views import ChapterSettings, MeetingDraft
from chapterdesk.store.models import (
    Account,
    AccountRole,
    AuditEvent,
    Base,
    Chapter,
    LocalCredential,
    Meeting,
    Organisation,
    PartnerApplication,
    Person,
)
from tests import roles
from tests.conftest import MemoryKeyring
from tests.roles import (
    CHAPTER_STAFF,
    DESK,
    EVERYONE,
    KIOSK,
    LEADERS,
    OTHER_LEADER,
    PARTNER,
    UNASSIGNED,
    VOLUNTEER,
)
from tests.world import World, build_world

PASSWORD = "correct horse battery staple"
PURPOSE = "Name tags for the June meeting"
NEW_PASSWORD = "another long pass phrase"

# ----------------------------------------------------------------------------- the world


@dataclass
class Fx:
    """Ids of everything the calls need, and the contact details of the seeded people."""

    world: World
    actors: dict[str, Actor]
    chapter: str
    meeting: str
    other_chapter: str
    other_meeting: str
    people: dict[str, str]  # first-name key → person id (tests/world.py, plus Dana)
    orgs: dict[str, str]  # short name → organisation id
    regs: dict[str, str]  # first-name key → registration id at ``meeting``
    codes: dict[str, str]  # first-name key → badge code
    emails: dict[str, str]  # person id → email
    phones: dict[str, str]  # person id → phone
    slot: str = ""
    version: str = ""
    application: str = ""  # Contoso's, submitted
    incident: str = ""  # about Contoso, open
    merge: str = ""  # a twin of Dana merged into her, still undoable
    record: str = ""  # City of Ottawa's partner of record for Finance: Contoso
    finding_open: str = ""
    finding_dismissed: str = ""
    inputs: decks.DeckInputs | None = None
    outcome: decks.CheckOutcome | None = None
    edited_draft: MeetingDraft | None = None
    new_draft: MeetingDraft | None = None
    purge_preview: retention.PurgePreview | None = None
    roster_export: exports.RosterExport | None = None
    out: Path = Path()  # where calls that write a file write it
    last_file: Path | None = None  # the file the current call was asked to write
    # Every seeded email, its local part, and phone: none may reach a role without
    # VIEW_CONTACT_DETAILS, in any field of any result.
    secrets: tuple[str, ...] = ()

    def local_part(self, person_id: str) -> str:
        return self.emails[person_id].split("@", 1)[0]

    def fresh_file(self, name: str) -> Path:
        self.last_file = self.out / f"{uuid.uuid4().hex[:8]}-{name}"
        return self.last_file


def _contact(key: str, n: int) -> tuple[str, str]:
    """A distinctive email and phone: the local part is not made of the person's name alone,
    so finding it in a search key means the email went there."""
    return f"{key.lower()}.zq{n}x@priv{n}.example.org", f"+1 613 555 73{n:02d}"


@pytest.fixture(scope="module")
def fx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fx]:
    previous = keyring.get_keyring()
    # Built once per module, before conftest's per-test memory keyring exists: a memory
    # keyring of its own holds the key meanwhile (never the real OS keyring).
    keyring.set_keyring(MemoryKeyring())
    try:
        world = build_world(tmp_path_factory.mktemp("matrix") / "data")
    finally:
        keyring.set_keyring(previous)
    try:
        seeded = _seed(world)
        seeded.out.mkdir()
        yield seeded
    finally:
        world.store.close()


def _seed(world: World) -> Fx:
    store = world.store
    leader = world.leader
    with store.session() as s:
        orgs = {
            o.name.split()[0]: o.id
            for o in s.scalars(select(Organisation).where(Organisation.chapter_id == world.chapter))
        }
        dana = Person(
            chapter_id=world.chapter,
            organisation_id=orgs["City"],
            first_name="Dana",
            last_name="Dunn",
            membership=Membership.MEMBER,
        )
        s.add(dana)
        s.flush()
        ids = {**world.people, "Dana": dana.id}
        emails, phones = {}, {}
        for n, (key, person_id) in enumerate(sorted(ids.items()), start=1):
            person = s.get(Person, person_id)
            assert person is not None
            person.email, person.phone = _contact(key, n)
            emails[person_id], phones[person_id] = person.email, person.phone
        # Another chapter of the same community, with its own roster and meeting.
        ottawa = s.get(Chapter, world.chapter)
        assert ottawa is not None
        toronto = Chapter(community_id=ottawa.community_id, name="Toronto")
        s.add(toronto)
        s.flush()
        acme = Organisation(chapter_id=toronto.id, name="Acme", category=OrgCategory.CUSTOMER)
        s.add(acme)
        s.flush()
        s.add(
            Person(
                chapter_id=toronto.id,
                organisation_id=acme.id,
                first_name="Tom",
                last_name="Tor",
                email="tom.zq99x@priv99.example.org",
                phone="+1 416 555 7399",
            )
        )
        start = datetime.now().replace(microsecond=0) + timedelta(days=9)
        elsewhere = Meeting(
            chapter_id=toronto.id,
            title="Toronto close",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            venue="Union",
            capacity=20,
        )
        s.add(elsewhere)
        # Accounts of everyone but the partner (partners never sign in, ROS-2); the kiosk
        # runs on the local leader's account.
        verifier = passwords.make_verifier(PASSWORD)
        grants = {
            roles.LEADER_ALL: (Role.LEADER, None),
            roles.LEADER: (Role.LEADER, world.chapter),
            roles.CO_LEADER: (Role.CO_LEADER, world.chapter),
            OTHER_LEADER: (Role.LEADER, toronto.id),
            VOLUNTEER: (Role.VOLUNTEER, world.chapter),
            UNASSIGNED: (Role.VOLUNTEER, world.chapter),
        }
        for name, (role, chapter_id) in grants.items():
            account_id = roles.ACCOUNT_IDS[name]
            s.add(Account(id=account_id, login=f"{name}@accounts.example.net", display_name=name))
            s.flush()
            s.add(AccountRole(account_id=account_id, chapter_id=chapter_id, role=role))
            s.add(LocalCredential(account_id=account_id, verifier=verifier))
        s.flush()
        other_chapter, other_meeting = toronto.id, elsewhere.id

    def reg(key: str, escort: str | None = None) -> registrations.Registered:
        with store.session() as s:
            return registrations.register(
                s, leader, world.meeting, ids[key], escort_registration_id=escort
            )

    done = {key: reg(key) for key in ("Ann", "Bob", "Cleo")}
    done["Pat"] = reg("Pat", done["Ann"].registration_id)  # Contoso, escorted by Ann
    done["Sam"] = reg("Sam", done["Bob"].registration_id)  # Northwind sales: MTG-4 pending
    done["Nora"] = reg("Nora", done["Cleo"].registration_id)  # Northwind
    regs = {key: r.registration_id for key, r in done.items()}
    codes = {key: r.code for key, r in done.items()}
    with store.session() as s:
        checkin.check_in(s, leader, regs["Bob"])  # in: to check out and undo
        registrations.cancel(s, leader, regs["Cleo"])  # to restore; Nora needs an escort (ESC-4)

    with store.session() as s:
        slot = decks.create_slot(
            s, leader, world.meeting, "Year-end close", orgs["Contoso"], ids["Pat"]
        )
        version = decks.add_version(s, leader, slot, "contoso.pptx", rule_breaking_deck()).id
    with store.session() as s:
        decks.analyse_version(s, leader, version)
        found = decks.list_findings(s, leader, version)
        assert len(found) >= 2, "the rule-breaking deck has findings to dismiss and restore"
        dismissed = decks.dismiss_finding(s, leader, found[0].id, "Discussed with the presenter")
        inputs = decks.analysis_inputs(s, leader, version)
    outcome = decks.run_checks(inputs)
    with store.session() as s:  # the partner programme: an application and an incident
        partners.save_profile(
            s,
            leader,
            orgs["Contoso"],
            kind=PartnerKind.IMPLEMENTATION,
            mspp_certified=True,
            cfmd_certified=False,
            certified_consultants=2,
        )
        application = partners.submit_application(
            s, leader, orgs["Contoso"], PartnerKind.IMPLEMENTATION
        )
        incident = partners.report_incident(
            s,
            leader,
            orgs["Contoso"],
            occurred_on=datetime(2026, 3, 1).date(),
            reported_by="A member",
            description="Handed out a price list",
        )
        admitted = PartnerApplication(  # Northwind is an admitted partner already (PRT-4)
            chapter_id=world.chapter,
            organisation_id=orgs["Northwind"],
            kind=PartnerKind.IMPLEMENTATION,
            status=ApplicationStatus.ADMITTED,
        )
        adatum = Organisation(
            chapter_id=world.chapter, name="Adatum Partners", category=OrgCategory.PARTNER
        )
        s.add_all([admitted, adatum])
        s.flush()
        orgs["Adatum"] = adatum.id
    with store.session() as s:  # roster management: a merged twin, a partner of record
        twin = roster.save_person(
            s,
            leader,
            world.chapter,
            None,
            PersonDraft("Dana", "Twin", orgs["City"], membership=Membership.PROSPECT),
        )
        merge = merges.merge_people(s, leader, ids["Dana"], twin).merge_id
        record = organisations.set_partner_of_record(
            s, leader, orgs["City"], "Dynamics 365 Finance", orgs["Contoso"]
        )
    with store.session() as s:
        current = meetings.meeting_draft(s, leader, world.meeting)
        purge_preview = retention.preview_purge(s, leader, world.chapter, retention.today())
        roster_export = exports.prepare_roster_export(
            s, leader, world.chapter, PURPOSE, [exports.RosterField.NAME]
        )

    scope = roles.Scope(
        chapter=world.chapter,
        meeting=world.meeting,
        other_chapter=other_chapter,
        volunteer_meetings=world.volunteer().meeting_ids,
    )
    secrets = tuple(
        s.lower()
        for pid in ids.values()
        for s in (emails[pid], emails[pid].split("@", 1)[0], phones[pid])
    )
    return Fx(
        world=world,
        actors=roles.actors(scope),
        chapter=world.chapter,
        meeting=world.meeting,
        other_chapter=other_chapter,
        other_meeting=other_meeting,
        people=ids,
        orgs=orgs,
        regs=regs,
        codes=codes,
        emails=emails,
        phones=phones,
        slot=slot,
        version=version,
        application=application,
        incident=incident,
        merge=merge,
        record=record,
        finding_open=found[1].id,
        finding_dismissed=dismissed.id,
        inputs=inputs,
        outcome=outcome,
        edited_draft=MeetingDraft(**{**current.__dict__, "capacity": current.capacity + 2}),
        new_draft=MeetingDraft(
            title="Power BI for Finance",
            starts_at=current.starts_at + timedelta(days=30),
            ends_at=current.ends_at + timedelta(days=30),
            venue="City Hall",
            capacity=30,
            partners_welcome=False,
        ),
        secrets=secrets,
        purge_preview=purge_preview,
        roster_export=roster_export,
        out=store.paths.root.parent / "files",
    )


# ---------------------------------------------------------------------------- the matrix

Call = Callable[[Session, Actor, Fx], Any]
Check = Callable[[Any, str, Fx, Session], None]


@dataclass(frozen=True)
class Entry:
    """One way of calling one use case, and the roles that may make that call."""

    function: str  # "module.function" under chapterdesk.services
    call: Call
    allowed: frozenset[str]
    variant: str = ""
    writes: bool = False  # False: an allowed call must leave every table as it was
    answers: bool = False  # a yes/no question: True for allowed roles, False (no refusal) else
    check: Check | None = None  # more to assert about an allowed role's result
    # Roles the matrix forbids but the code lets through: known gaps, reported, xfail(strict).
    gaps: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.function}({self.variant})" if self.variant else self.function


def _sees_only_its_chapters(result: Any, role: str, fx: Fx, _s: Session) -> None:
    seen = {c.id for c in result}
    if role == OTHER_LEADER:
        assert seen == {fx.other_chapter}
    elif role == roles.LEADER_ALL:
        assert seen == {fx.chapter, fx.other_chapter}
    else:
        assert seen == {fx.chapter}


def _meetings_of_its_desk(result: Any, role: str, fx: Fx, _s: Session) -> None:
    seen = {m.id for m in result}
    if role == UNASSIGNED:
        assert seen == set(), "a volunteer sees only the meetings they were assigned"
    elif role == KIOSK:
        assert seen == {fx.meeting}
    else:
        assert fx.meeting in seen
        assert fx.other_meeting not in seen


def _lists_attendees(result: Any, role: str, fx: Fx, _s: Session) -> None:
    assert {a.registration_id for a in result} >= {fx.regs["Ann"], fx.regs["Pat"]}


def _finds_ann(result: Any, role: str, fx: Fx, _s: Session) -> None:
    assert fx.people["Ann"] in {p.id for p in result}


def _email_probe(result: Any, role: str, fx: Fx, _s: Session) -> None:
    """ROS-1: searching by a piece of someone's email finds them for leaders only, so a
    volunteer cannot test which address belongs to whom."""
    found = {p.id for p in result}
    if role in LEADERS:
        assert found == {fx.people["Ann"]}
    else:
        assert found == set()


def _printed_sheet_is_recorded(result: Any, role: str, fx: Fx, s: Session) -> None:
    """ROS-4: the print is in the audit trail, with who and how many people."""
    _header, rows = result
    assert rows
    event = s.scalars(
        select(AuditEvent).where(AuditEvent.action == "roster.signin_sheet_printed")
    ).one()
    assert event.actor_id == fx.actors[role].account_id
    assert event.details["people"] == len(rows)


def _one_badge(result: Any, role: str, fx: Fx, _s: Session) -> None:
    assert [b.code for b in result] == [fx.codes["Ann"]]


def _is_the_kiosk(result: Any, role: str, fx: Fx, _s: Session) -> None:
    assert result.kiosk and result.role is Role.VOLUNTEER
    assert result.meeting_ids == frozenset({fx.meeting})
    assert result.chapter_ids == frozenset({fx.chapter}) and not result.all_chapters


def _checked_in(result: Any, role: str, fx: Fx, _s: Session) -> None:
    assert result.changed and result.attendee.registration_id == fx.regs["Ann"]


def _no_contact_data_even_for_leaders(result: Any, role: str, fx: Fx, _s: Session) -> None:
    """Audit rows, purge previews and name-only exports carry no email or phone at all."""
    strings: list[str] = []
    _walk(result, [], strings)
    assert not [x for x in strings for secret in fx.secrets if secret in x.lower()]


def _export_with_contact_details(result: Any, role: str, fx: Fx, _s: Session) -> None:
    ann = fx.people["Ann"]
    assert result.fields == (exports.RosterField.NAME, exports.RosterField.EMAIL)
    assert ("Ann Lee", fx.emails[ann]) in result.rows
    assert result.mark.startswith("Confidential")


def _audit_file_has_no_contact_data(result: Any, role: str, fx: Fx, _s: Session) -> None:
    assert fx.last_file is not None
    text = fx.last_file.read_text(encoding="utf-8-sig").lower()
    assert result >= 1, "the fixture world has an audit trail"
    assert not [secret for secret in fx.secrets if secret in text]


_FIELDS_TOUCHED = {"title": "Year-end close"}


def _is(result: Any, expected: Any) -> None:
    assert result == expected


IMPORTED = member_import.Table(
    "members.csv", ["First Name", "Last Name", "Company"], [["Eve", "Import", "Tailspin"]]
)
IMPORT_MAP = {0: "first_name", 1: "last_name", 2: "organisation"}

MATRIX: tuple[Entry, ...] = (
    # -- chapters
    Entry(
        "chapters.list_chapters",
        lambda s, a, fx: chapters.list_chapters(s, a),
        EVERYONE,  # each sees only its own chapters
        check=_sees_only_its_chapters,
    ),
    Entry(
        "chapters.create_chapter",
        lambda s, a, fx: chapters.create_chapter(s, a, "NAVUG", "Halifax"),
        frozenset({roles.LEADER_ALL}),  # the laptop's own leader: first start, offline
        writes=True,
    ),
    # -- meetings
    Entry(
        "meetings.list_meetings",
        lambda s, a, fx: meetings.list_meetings(s, a, fx.chapter),
        CHAPTER_STAFF,
        check=_meetings_of_its_desk,
    ),
    Entry(
        "meetings.create_meeting",
        lambda s, a, fx: meetings.create_meeting(s, a, fx.chapter, fx.new_draft),
        LEADERS,
        writes=True,
    ),
    Entry(
        "meetings.update_meeting",
        lambda s, a, fx: meetings.update_meeting(s, a, fx.meeting, fx.edited_draft),
        LEADERS,
        writes=True,
    ),
    Entry(
        "meetings.meeting_draft",
        lambda s, a, fx: meetings.meeting_draft(s, a, fx.meeting),
        DESK,
    ),
    Entry(
        "meetings.chapter_settings",
        lambda s, a, fx: meetings.chapter_settings(s, a, fx.chapter),
        CHAPTER_STAFF | {PARTNER},  # policy numbers only, no people (VIEW_CHAPTER)
    ),
    Entry(
        "meetings.update_chapter_settings",
        lambda s, a, fx: meetings.update_chapter_settings(
            s, a, fx.chapter, ChapterSettings(3, 2, 15, 24)
        ),
        LEADERS,
        writes=True,
    ),
    Entry(
        "facts.load_meeting",
        lambda s, a, fx: facts.load_meeting(s, a, fx.meeting, Action.VIEW_MEETINGS),
        DESK,
    ),
    # -- registrations
    Entry(
        "registrations.register",
        lambda s, a, fx: registrations.register(s, a, fx.meeting, fx.people["Dana"]),
        LEADERS,
        writes=True,
    ),
    Entry(
        "registrations.register",
        lambda s, a, fx: registrations.register(
            s, a, fx.meeting, fx.people["Dana"], at_the_door=True
        ),
        DESK,
        variant="at the door",
        writes=True,
    ),
    Entry(
        "registrations.cancel",
        lambda s, a, fx: registrations.cancel(s, a, fx.regs["Ann"]),
        LEADERS,
        writes=True,
    ),
    Entry(
        "registrations.restore",
        lambda s, a, fx: registrations.restore(s, a, fx.regs["Cleo"]),
        LEADERS,
        writes=True,
    ),
    Entry(
        "registrations.approve",
        lambda s, a, fx: registrations.approve(s, a, fx.regs["Sam"]),
        LEADERS,
        writes=True,
    ),
    Entry(
        "registrations.assign_escort",
        lambda s, a, fx: registrations.assign_escort(s, a, fx.regs["Nora"], fx.regs["Bob"]),
        LEADERS,
        writes=True,
    ),
    Entry(
        "registrations.fill_freed_places",
        lambda s, a, fx: registrations.fill_freed_places(s, a, fx.meeting),
        LEADERS,
        writes=True,
    ),
    # -- check-in desk
    Entry(
        "checkin.attendees",
        lambda s, a, fx: checkin.attendees(s, a, fx.meeting),
        DESK,
        check=_lists_attendees,
    ),
    Entry(
        "checkin.counts",
        lambda s, a, fx: checkin.counts(s, a, fx.meeting),
        DESK,
    ),
    Entry(
        "checkin.check_in",
        lambda s, a, fx: checkin.check_in(s, a, fx.regs["Ann"]),
        DESK,
        writes=True,
        check=_checked_in,
    ),
    Entry(
        "checkin.scan",
        lambda s, a, fx: checkin.scan(s, a, fx.meeting, fx.codes["Ann"]),
        DESK,
        writes=True,
        check=_checked_in,
    ),
    Entry(
        "checkin.check_out",
        lambda s, a, fx: checkin.check_out(s, a, fx.regs["Bob"]),
        DESK,
        writes=True,
    ),
    Entry(
        "checkin.undo",
        lambda s, a, fx: checkin.undo(s, a, fx.regs["Bob"]),
        DESK,
        writes=True,
    ),
    # -- the roster
    Entry(
        "people.list_people",
        lambda s, a, fx: people.list_people(s, a, fx.chapter),
        LEADERS,
        check=_finds_ann,
    ),
    Entry(
        "people.find_for_walk_in",
        lambda s, a, fx: people.find_for_walk_in(s, a, fx.meeting, "ann lee"),
        DESK,
        check=_finds_ann,
    ),
    Entry(
        "people.find_for_walk_in",
        lambda s, a, fx: people.find_for_walk_in(
            s, a, fx.meeting, fx.local_part(fx.people["Ann"]).split(".")[1]
        ),
        DESK,
        variant="probing an email",
        check=_email_probe,
    ),
    Entry(
        "people.add_walk_in",
        lambda s, a, fx: people.add_walk_in(
            s, a, fx.meeting, "Wendy", "Walker", "City of Ottawa", "wendy.walker@example.org"
        ),
        DESK,
        writes=True,
    ),
    # -- paper (ROS-4)
    Entry(
        "paper.sheet_mark",
        lambda s, a, fx: paper.sheet_mark(s, a, fx.meeting),
        LEADERS,  # the mark of a printed list: only those who may print one
    ),
    Entry(
        "paper.badges",
        lambda s, a, fx: paper.badges(s, a, fx.meeting, purpose=PURPOSE),
        LEADERS,  # a sheet of badges is a printed list of the meeting's people
        variant="sheet",
        writes=True,  # its audit event (ROS-4)
    ),
    Entry(
        "paper.badges",
        lambda s, a, fx: paper.badges(s, a, fx.meeting, [fx.regs["Ann"]]),
        DESK,  # one badge reprinted at the door
        variant="one",
        check=_one_badge,
    ),
    Entry(
        "paper.signin_sheet",
        lambda s, a, fx: paper.signin_sheet(s, a, fx.meeting, PURPOSE),
        LEADERS,
        writes=True,  # the audit row
        check=_printed_sheet_is_recorded,
    ),
    # -- accounts
    Entry(
        "accounts.list_accounts",
        lambda s, a, fx: accounts.list_accounts(s, a, fx.chapter),
        LEADERS,
    ),
    Entry(
        "accounts.create_account",
        lambda s, a, fx: accounts.create_account(
            s, a, fx.chapter, "Vic Newvol", "vic.newvol@example.net", PASSWORD, Role.VOLUNTEER
        ),
        LEADERS,
        writes=True,
    ),
    Entry(
        "accounts.assign_volunteer",
        lambda s, a, fx: accounts.assign_volunteer(s, a, fx.meeting, roles.ACCOUNT_IDS[UNASSIGNED]),
        LEADERS,
        writes=True,
    ),
    Entry(
        "accounts.change_password",
        lambda s, a, fx: accounts.change_password(s, a, PASSWORD, NEW_PASSWORD),
        # One's own password, proven by the current one; partners have no account here. A
        # kiosk runs on the leader's account but a volunteer holds it: refused (ROS-5).
        EVERYONE - {PARTNER, KIOSK},
        writes=True,
    ),
    Entry(
        "accounts.kiosk_actor",
        lambda s, a, fx: accounts.kiosk_actor(s, a, fx.meeting),
        LEADERS,
        writes=True,  # the audit row
        check=_is_the_kiosk,
    ),
    # -- decks (DECK-5): leaders only
    Entry(
        "decks.presenter_choices",
        lambda s, a, fx: decks.presenter_choices(s, a, fx.chapter),
        LEADERS,
    ),
    Entry(
        "decks.create_slot",
        lambda s, a, fx: decks.create_slot(
            s, a, fx.meeting, "Budgeting", fx.orgs["Northwind"], fx.people["Nora"]
        ),
        LEADERS,
        writes=True,
    ),
    Entry(
        "decks.list_slots",
        lambda s, a, fx: decks.list_slots(s, a, fx.meeting),
        LEADERS,
    ),
    Entry(
        "decks.chapter_slots",
        lambda s, a, fx: decks.chapter_slots(s, a, fx.chapter),
        LEADERS,
    ),
    Entry(
        "decks.set_handouts",
        lambda s, a, fx: decks.set_handouts(s, a, fx.slot, True),
        LEADERS,
        writes=True,
    ),
    Entry(
        "decks.list_versions",
        lambda s, a, fx: decks.list_versions(s, a, fx.slot),
        LEADERS,
    ),
    Entry(
        "decks.add_version",
        lambda s, a, fx: decks.add_version(s, a, fx.slot, "v2.pptx", chapter_deck(3)),
        LEADERS,
        writes=True,
    ),
    Entry(
        "decks.analysis_inputs",
        lambda s, a, fx: decks.analysis_inputs(s, a, fx.version),
        LEADERS,
    ),
    Entry(
        "decks.record_analysis",
        lambda s, a, fx: decks.record_analysis(s, a, fx.inputs, fx.outcome),
        LEADERS,
        writes=True,
    ),
    Entry(
        "decks.analyse_version",
        lambda s, a, fx: decks.analyse_version(s, a, fx.version),
        LEADERS,
        writes=True,
    ),
    Entry(
        "decks.list_findings",
        lambda s, a, fx: decks.list_findings(s, a, fx.version),
        LEADERS,
    ),
    Entry(
        "decks.outline",
        lambda s, a, fx: decks.outline(s, a, fx.version),
        LEADERS,
    ),
    Entry(
        "decks.dismiss_finding",
        lambda s, a, fx: decks.dismiss_finding(s, a, fx.finding_open, "Not a sales message"),
        LEADERS,
        writes=True,
    ),
    Entry(
        "decks.restore_finding",
        lambda s, a, fx: decks.restore_finding(s, a, fx.finding_dismissed),
        LEADERS,
        writes=True,
    ),
    Entry(
        "decks.decide",
        lambda s, a, fx: decks.decide(
            s, a, fx.version, DeckDecision.CHANGES_REQUESTED, "Drop the pricing slide."
        ),
        LEADERS,
        writes=True,
    ),
    Entry(
        "decks.review_data",
        lambda s, a, fx: decks.review_data(s, a, fx.version),
        LEADERS,
    ),
    # -- exports, audit, retention (ROS-1, ROS-4): leaders only
    Entry(
        "exports.export_options",
        lambda s, a, fx: exports.export_options(s, a, fx.chapter),
        LEADERS,
    ),
    Entry(
        "exports.prepare_roster_export",
        lambda s, a, fx: exports.prepare_roster_export(
            s, a, fx.chapter, PURPOSE, [exports.RosterField.NAME, exports.RosterField.ORGANISATION]
        ),
        LEADERS,
        variant="names",
        check=_no_contact_data_even_for_leaders,
    ),
    Entry(
        "exports.prepare_roster_export",
        lambda s, a, fx: exports.prepare_roster_export(
            s, a, fx.chapter, PURPOSE, [exports.RosterField.NAME, exports.RosterField.EMAIL]
        ),
        LEADERS,
        variant="emails",
        check=_export_with_contact_details,
    ),
    Entry(
        "audit.list_audit",
        lambda s, a, fx: audit.list_audit(s, a, fx.chapter),
        LEADERS,
        check=_no_contact_data_even_for_leaders,
    ),
    Entry(
        "audit.audit_kinds",
        lambda s, a, fx: audit.audit_kinds(s, a, fx.chapter),
        LEADERS,
    ),
    Entry(
        "audit.export_audit",
        lambda s, a, fx: audit.export_audit(
            s, a, fx.chapter, audit.AuditFilter(), PURPOSE, fx.fresh_file("audit.csv")
        ),
        LEADERS,
        writes=True,  # the audit row of the export itself
        check=_audit_file_has_no_contact_data,
    ),
    Entry(
        "retention.may_purge",
        lambda s, a, fx: retention.may_purge(a, fx.chapter),
        LEADERS,
        answers=True,
    ),
    Entry(
        "retention.preview_purge",
        lambda s, a, fx: retention.preview_purge(s, a, fx.chapter, retention.today()),
        LEADERS,
        check=_no_contact_data_even_for_leaders,
    ),
    Entry(
        "retention.purge",
        lambda s, a, fx: retention.purge(s, a, fx.chapter, retention.today(), fx.purge_preview),
        LEADERS,
        writes=True,
    ),
    # -- building blocks with an actor but no check of their own: the use case that calls
    # them has checked first. Listed so that nothing slips through unseen.
    Entry(
        "changes.record_change",
        lambda s, a, fx: changes.record_change(
            s,
            a,
            chapter_id=fx.chapter,
            entity="meetings",
            entity_id=fx.meeting,
            fields=_FIELDS_TOUCHED,
            action="meeting.updated",
        ),
        EVERYONE,
        writes=True,
    ),
    Entry(
        "changes.record_audit",
        lambda s, a, fx: changes.record_audit(
            s, a, chapter_id=fx.chapter, action="test.noted", entity="meetings"
        ),
        EVERYONE,
        writes=True,
    ),
    Entry(
        "changes.record_row",
        lambda s, a, fx: changes.record_row(
            s, a, s.get(Meeting, fx.meeting), ("title",), action="meeting.updated"
        ),
        EVERYONE,
        writes=True,
    ),
    Entry(
        "exports.record_roster_export",
        lambda s, a, fx: exports.record_roster_export(
            s, a, fx.roster_export, kind=exports.ExportFormat.CSV, file_name="roster.csv"
        ),
        EVERYONE,
        writes=True,
    ),
    # -- the Community Partner programme (leaders: MANAGE_PARTNERS)
    Entry(
        "partners.partner_companies",
        lambda s, a, fx: partners.partner_companies(s, a, fx.chapter),
        LEADERS,
    ),
    Entry(
        "partners.incident_meetings",
        lambda s, a, fx: partners.incident_meetings(s, a, fx.chapter),
        LEADERS,
    ),
    Entry(
        "partners.customer_companies",
        lambda s, a, fx: partners.customer_companies(s, a, fx.chapter),
        LEADERS,
    ),
    Entry(
        "partners.save_profile",
        lambda s, a, fx: partners.save_profile(
            s,
            a,
            fx.orgs["Northwind"],
            kind=PartnerKind.ISV,
            mspp_certified=False,
            cfmd_certified=True,
            certified_consultants=1,
        ),
        LEADERS,
        writes=True,
    ),
    Entry(
        "partners.record_code_of_conduct",
        lambda s, a, fx: partners.record_code_of_conduct(
            s, a, fx.orgs["Contoso"], datetime(2026, 2, 2).date()
        ),
        LEADERS,
        writes=True,
    ),
    Entry(
        "partners.add_implementation",
        lambda s, a, fx: partners.add_implementation(
            s, a, fx.orgs["Contoso"], fx.orgs["City"], positive_reference=True
        ),
        LEADERS,
        writes=True,
    ),
    Entry(
        "partners.implementations",
        lambda s, a, fx: partners.implementations(s, a, fx.orgs["Contoso"]),
        LEADERS,
    ),
    Entry(
        "partners.submit_application",
        lambda s, a, fx: partners.submit_application(s, a, fx.orgs["Adatum"], PartnerKind.ISV),
        LEADERS,
        writes=True,
    ),
    Entry(
        "partners.move_application",
        lambda s, a, fx: partners.move_application(
            s, a, fx.application, ApplicationStatus.UNDER_REVIEW, ""
        ),
        LEADERS,
        writes=True,
    ),
    Entry(
        "partners.record_fee_paid",
        lambda s, a, fx: partners.record_fee_paid(
            s, a, fx.application, datetime(2026, 2, 1).date()
        ),
        LEADERS,
        writes=True,
    ),
    Entry(
        "partners.application",
        lambda s, a, fx: partners.application(s, a, fx.application),
        LEADERS,
    ),
    Entry(
        "partners.applications",
        lambda s, a, fx: partners.applications(s, a, fx.chapter),
        LEADERS,
    ),
    Entry(
        "partners.report_incident",
        lambda s, a, fx: partners.report_incident(
            s,
            a,
            fx.orgs["Northwind"],
            occurred_on=datetime(2026, 3, 2).date(),
            reported_by="A member",
            description="Asked for a customer's rates",
        ),
        LEADERS,
        writes=True,
    ),
    Entry(
        "partners.review_incident",
        lambda s, a, fx: partners.review_incident(s, a, fx.incident, outcome="Warned", close=True),
        LEADERS,
        writes=True,
    ),
    Entry(
        "partners.incidents",
        lambda s, a, fx: partners.incidents(s, a, fx.chapter),
        LEADERS,
    ),
    Entry(
        "partners.record_benefit",
        lambda s, a, fx: partners.record_benefit(
            s, a, fx.orgs["Northwind"], BenefitKind.SHOWCASE_WEBINAR, year=2026
        ),
        LEADERS,
        writes=True,
    ),
    Entry(
        "partners.benefits",
        lambda s, a, fx: partners.benefits(s, a, fx.chapter, 2026),
        LEADERS,
    ),
    Entry(
        "partners.record_contribution",
        lambda s, a, fx: partners.record_contribution(
            s,
            a,
            fx.orgs["Contoso"],
            ContributionKind.DOOR_PRIZE,
            given_on=datetime(2026, 4, 1).date(),
            description="A tablet for the raffle",
        ),
        LEADERS,
        writes=True,
    ),
    Entry(
        "partners.set_points",
        lambda s, a, fx: partners.set_points(s, a, fx.chapter, {ContributionKind.SPEAKER: 4}),
        LEADERS,
        writes=True,
    ),
    Entry(
        "partners.contributions_report",
        lambda s, a, fx: partners.contributions_report(s, a, fx.chapter, 2026),
        LEADERS,
    ),
    Entry(
        "partners.directory",
        lambda s, a, fx: partners.directory(s, a, fx.chapter),
        LEADERS,
    ),
    # -- roster management (issue 8): leaders and co-leaders only
    Entry(
        "roster.load_person",
        lambda s, a, fx: roster.load_person(s, a, fx.people["Ann"], Action.VIEW_ROSTER).id,
        LEADERS,
    ),
    Entry(
        "roster.person_detail",
        lambda s, a, fx: roster.person_detail(s, a, fx.people["Ann"]),
        LEADERS,
    ),
    Entry(
        "roster.save_person",
        lambda s, a, fx: roster.save_person(
            s,
            a,
            fx.chapter,
            None,
            PersonDraft("Eve", "New", fx.orgs["City"], membership=Membership.PROSPECT),
        ),
        LEADERS,
        writes=True,
    ),
    Entry(
        "roster.convert_to_member",
        lambda s, a, fx: roster.convert_to_member(
            s, a, fx.people["Bob"], datetime(2026, 1, 1).date(), None
        ),
        LEADERS,
        writes=True,
    ),
    Entry(
        "roster.move_preview",
        lambda s, a, fx: roster.move_preview(s, a, fx.people["Bob"], fx.orgs["Fabrikam"]),
        LEADERS,
    ),
    Entry(
        "roster.move_person",
        lambda s, a, fx: roster.move_person(s, a, fx.people["Bob"], fx.orgs["Fabrikam"]),
        LEADERS,
        writes=True,
    ),
    Entry(
        "roster.clear_flag",
        lambda s, a, fx: roster.clear_flag(s, a, fx.regs["Ann"]),
        LEADERS,
    ),
    Entry(
        "organisations.organisation_rows",
        lambda s, a, fx: organisations.organisation_rows(s, a, fx.chapter),
        LEADERS,
    ),
    Entry(
        "organisations.organisation_preview",
        lambda s, a, fx: organisations.organisation_preview(
            s,
            a,
            fx.chapter,
            fx.orgs["Fabrikam"],
            OrganisationDraft("Fabrikam", OrgCategory.PARTNER),
        ),
        LEADERS,
    ),
    Entry(
        "organisations.save_organisation",
        lambda s, a, fx: organisations.save_organisation(
            s, a, fx.chapter, None, OrganisationDraft("Tailspin Toys", OrgCategory.CUSTOMER)
        ),
        LEADERS,
        writes=True,
    ),
    Entry(
        "organisations.set_partner_of_record",
        lambda s, a, fx: organisations.set_partner_of_record(
            s, a, fx.orgs["Fabrikam"], "Dynamics 365 Sales", fx.orgs["Northwind"]
        ),
        LEADERS,
        writes=True,
    ),
    Entry(
        "organisations.remove_partner_of_record",
        lambda s, a, fx: organisations.remove_partner_of_record(s, a, fx.record),
        LEADERS,
        writes=True,
    ),
    Entry(
        "merges.duplicate_rows",
        lambda s, a, fx: merges.duplicate_rows(s, a, fx.chapter),
        LEADERS,
    ),
    Entry(
        "merges.merge_preview",
        lambda s, a, fx: merges.merge_preview(s, a, fx.people["Ann"], fx.people["Bob"]),
        LEADERS,
    ),
    Entry(
        "merges.merge_people",
        lambda s, a, fx: merges.merge_people(s, a, fx.people["Ann"], fx.people["Bob"]),
        LEADERS,
        writes=True,
    ),
    Entry(
        "merges.undo_merge",
        lambda s, a, fx: merges.undo_merge(s, a, fx.merge),
        LEADERS,
        writes=True,
    ),
    Entry(
        "member_import.preview_import",
        # The preview lists the file's own rows, not the roster: its size is what matters here.
        lambda s, a, fx: len(
            member_import.preview_import(s, a, fx.chapter, IMPORTED, IMPORT_MAP).plan.people
        ),
        LEADERS,
        check=lambda result, role, fx, s: _is(result, 1),
    ),
    Entry(
        "member_import.apply_import",
        lambda s, a, fx: member_import.apply_import(s, a, fx.chapter, IMPORTED, IMPORT_MAP),
        LEADERS,
        writes=True,
    ),
    Entry(
        "templates.set_chapter_template",
        lambda s, a, fx: templates.set_chapter_template(
            s, a, fx.chapter, "chapter.potx", chapter_deck(1)
        ),
        LEADERS,
        writes=True,
    ),
    Entry(
        "templates.use_default_template",
        lambda s, a, fx: templates.use_default_template(s, a, fx.chapter),
        LEADERS,
    ),
    Entry(
        "exports.confidential_mark",
        lambda s, a, fx: exports.confidential_mark(s, a, fx.chapter),
        EVERYONE,  # the words printed on a list; no people
    ),
)


def _case(entry: Entry, role: str) -> Any:
    marks = []
    if role in entry.gaps:
        marks.append(pytest.mark.xfail(reason=f"gap: {entry.gaps[role]}", strict=True))
    return pytest.param(entry, role, id=f"{entry.name}-{role}", marks=marks)


CASES = [_case(entry, role) for entry in MATRIX for role in roles.ROLES]


# ------------------------------------------------------------------------------ checking


def _walk(value: Any, objects: list[Any], strings: list[str]) -> None:
    """Every dataclass instance and every string inside ``value`` (ORM objects and bytes are
    not looked into)."""
    if isinstance(value, str):
        strings.append(value)
    elif is_dataclass(value) and not isinstance(value, type):
        objects.append(value)
        for f in fields(value):
            _walk(getattr(value, f.name), objects, strings)
    elif isinstance(value, Mapping):
        for k, v in value.items():
            _walk(k, objects, strings)
            _walk(v, objects, strings)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _walk(item, objects, strings)


def _person_of(obj: Any, fx: Fx) -> str | None:
    for name in ("person_id", "id"):
        value = getattr(obj, name, None)
        if isinstance(value, str) and value in fx.emails:
            return value
    email = getattr(obj, "email", "")  # a form's draft names its person by the email alone
    return next((pid for pid, known in fx.emails.items() if email and known == email), None)


def assert_contact_details_only_for_leaders(result: Any, actor: Actor, fx: Fx) -> None:
    """ROS-1: email and phone (and the email inside search keys) for VIEW_CONTACT_DETAILS."""
    objects: list[Any] = []
    strings: list[str] = []
    _walk(result, objects, strings)
    if not allows(actor, Action.VIEW_CONTACT_DETAILS, fx.chapter):
        leaked = sorted(
            {secret for text in strings for secret in fx.secrets if secret in text.lower()}
        )
        assert not leaked, f"contact details reached {actor.role.value} {actor.display_name}"
        for obj in objects:
            for name in ("email", "phone"):
                if hasattr(obj, name):
                    assert getattr(obj, name) == "", f"{type(obj).__name__}.{name} not masked"
            search = getattr(obj, "search_text", "")
            assert "@" not in search, f"{type(obj).__name__}.search_text holds an email"
        return
    with_email = [obj for obj in objects if hasattr(obj, "email")]
    for obj in with_email:
        person = _person_of(obj, fx)
        if person is None:
            continue
        assert obj.email == fx.emails[person]
        if hasattr(obj, "phone"):
            assert obj.phone == fx.phones[person]
    if with_email:
        assert any(_person_of(obj, fx) for obj in with_email), "no seeded person's email shown"
    for obj in objects:
        person = _person_of(obj, fx)
        if person is not None and hasattr(obj, "search_text"):
            assert fx.local_part(person) in obj.search_text, "leaders search by email too"


def _rows_everywhere(session: Session) -> dict[str, int]:
    return {
        table.name: session.scalar(select(func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
    }


def _refusal_names_a_ros_rule(exc: BaseException) -> None:
    if isinstance(exc, RuleViolation):
        assert exc.rule_id.startswith("ROS-"), exc
    elif not isinstance(exc, accounts.SignInRefused):  # "wrong password" names no rule
        assert "ROS-" in str(exc), f"the refusal does not name its rule: {exc}"


@pytest.mark.parametrize(("entry", "role"), CASES)
def test_each_role_gets_exactly_what_the_matrix_allows(
    fx: Fx, entry: Entry, role: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    module_name, function_name = entry.function.split(".")
    module = importlib.import_module(f"chapterdesk.services.{module_name}")
    real = getattr(module, function_name)
    calls: list[str] = []

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(function_name)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, function_name, spy)
    actor = fx.actors[role]
    fx.last_file = None
    session = fx.world.store.sessions()
    try:
        before = _rows_everywhere(session)
        if entry.answers:
            assert entry.call(session, actor, fx) is (role in entry.allowed)
            assert calls and _rows_everywhere(session) == before
        elif role in entry.allowed:
            result = entry.call(session, actor, fx)
            assert calls, f"the matrix entry of {entry.name} does not call it"
            assert_contact_details_only_for_leaders(result, actor, fx)
            if entry.check is not None:
                entry.check(result, role, fx, session)
            if not entry.writes:
                assert _rows_everywhere(session) == before, f"{entry.name} wrote something"
        else:
            with pytest.raises((PermissionDenied, RuleViolation)) as refused:
                entry.call(session, actor, fx)
            assert calls, f"the matrix entry of {entry.name} does not call it"
            _refusal_names_a_ros_rule(refused.value)
            assert not (session.new or session.dirty or session.deleted)
            assert _rows_everywhere(session) == before, "a refused call wrote something"
            assert fx.last_file is None or not fx.last_file.exists(), "a refused call wrote"
    finally:
        session.rollback()
        session.close()


# --------------------------------------------------------------------------- completeness


def use_case_functions() -> set[str]:
    """``module.function`` of every public module-level function of chapterdesk.services
    that takes an ``actor``."""
    found = set()
    for info in pkgutil.iter_modules(services_package.__path__):
        module = importlib.import_module(f"{services_package.__name__}.{info.name}")
        for name, value in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(value):
                continue
            if value.__module__ != module.__name__:  # imported from elsewhere
                continue
            if "actor" in inspect.signature(value).parameters:
                found.add(f"{info.name}.{name}")
    return found


def test_every_use_case_has_a_matrix_entry() -> None:
    """A new service function that takes an actor must say who may call it."""
    in_matrix = {entry.function for entry in MATRIX}
    existing = use_case_functions()
    missing = sorted(existing - in_matrix)
    stale = sorted(in_matrix - existing)
    assert not missing, f"add these to MATRIX in {Path(__file__).name}: {missing}"
    assert not stale, f"MATRIX names functions that no longer exist: {stale}"


def test_the_matrix_tries_every_role_and_names_known_roles() -> None:
    assert len(CASES) == len(MATRIX) * len(roles.ROLES)
    for entry in MATRIX:
        assert entry.allowed <= EVERYONE, entry.name
        assert set(entry.gaps) <= EVERYONE - entry.allowed, entry.name
    assert len({entry.name for entry in MATRIX}) == len(MATRIX), "entry names repeat"


# --------------------------------------------------------------------- the role × action table

# Everything that shows, prints, exports or changes people, or hands the laptop on.
ROSTER_ACTIONS = frozenset(
    {
        Action.VIEW_MEETINGS,  # attendee lists
        Action.VIEW_ROSTER,
        Action.VIEW_CONTACT_DETAILS,
        Action.EDIT_ROSTER,
        Action.EXPORT_ROSTER,
        Action.CHECK_IN,
        Action.FIND_WALK_IN,
        Action.REVIEW_DECKS,  # presenter choices name people; DECK-4 knows who registered
        Action.VIEW_AUDIT,
        Action.PURGE_DATA,
        Action.MANAGE_ACCOUNTS,
        Action.START_KIOSK,
        Action.SYNC,
    }
)


def test_partners_get_no_roster_action_at_all_ROS_2() -> None:
    assert PERMISSIONS[Role.PARTNER].isdisjoint(ROSTER_ACTIONS)
    assert PERMISSIONS[Role.PARTNER] <= {Action.VIEW_CHAPTER}
    partner = Actor("p", "Pam Partner", Role.PARTNER, frozenset({"c"}), meeting_ids=frozenset())
    for action in ROSTER_ACTIONS:
        assert not allows(partner, action, "c")
    with pytest.raises(PermissionDenied, match="ROS-2"):
        require(partner, Action.VIEW_ROSTER, "c")


def test_volunteers_get_no_contact_export_or_deck_action_ROS_1_ROS_4() -> None:
    forbidden = {
        Action.VIEW_ROSTER,
        Action.VIEW_CONTACT_DETAILS,
        Action.EDIT_ROSTER,
        Action.EXPORT_ROSTER,
        Action.REVIEW_DECKS,
        Action.VIEW_AUDIT,
        Action.PURGE_DATA,
        Action.MANAGE_ACCOUNTS,
        Action.MANAGE_MEETINGS,
        Action.MANAGE_PARTNERS,
        Action.START_KIOSK,
        Action.SYNC,
    }
    assert PERMISSIONS[Role.VOLUNTEER].isdisjoint(forbidden)
    assert PERMISSIONS[Role.VOLUNTEER] == {
        Action.VIEW_CHAPTER,
        Action.VIEW_MEETINGS,
        Action.CHECK_IN,
        Action.FIND_WALK_IN,
    }


def test_leaders_and_co_leaders_may_do_everything_in_their_chapters() -> None:
    assert PERMISSIONS[Role.LEADER] == PERMISSIONS[Role.CO_LEADER] == frozenset(Action)
    other = Actor("o", "Olly", Role.LEADER, frozenset({"b"}))
    assert not any(allows(other, action, "a") for action in Action)


def test_the_kiosk_role_is_what_accounts_kiosk_actor_makes(fx: Fx) -> None:
    session = fx.world.store.sessions()
    try:
        made = accounts.kiosk_actor(session, fx.actors[roles.LEADER_ALL], fx.meeting)
    finally:
        session.rollback()
        session.close()
    assert made == fx.actors[KIOSK]


def test_a_printed_sheet_of_badges_is_recorded_ROS_4(fx: Fx) -> None:
    session = fx.world.store.sessions()
    try:
        before = session.scalar(select(func.count()).select_from(AuditEvent))
        sheet = paper.badges(session, fx.actors[roles.LEADER], fx.meeting, purpose=PURPOSE)
        assert len(sheet) > 1
        after = session.scalar(select(func.count()).select_from(AuditEvent))
    finally:
        session.rollback()
        session.close()
    assert after == (before or 0) + 1
