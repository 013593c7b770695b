"""Who receives what from the chapter server, against a real server process on SQLite and
PostgreSQL (docs/sync.md scenarios 8 and 9; ROS-1, ROS-2, ESC-1, DECK-5).

* Scope leaks: every byte the server sends a partner, a member, a volunteer and another
  chapter's leader is scanned for the seeded roster; new grants back-fill, removed grants purge.
* Device revocation wipes the laptop and its token; the token is never stored in plain text.
* Protocol mismatch both ways: 426, the outbox is kept and sent after the upgrade.
* The member and partner endpoints register (with the escort's code, ESC-1), cancel, submit a
  deck version and read the leader's decision.

Setup (accounts, a second chapter) runs the admin commands in-process (the same functions as
``chapterdesk-server admin``) to keep the run short; the commands under test (``remove-grant``,
``revoke-device``) run as the real CLI.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import keyring
import pytest
from sqlalchemy import func, select, text

from chapterdesk.domain.enums import DeckDecision, Role
from chapterdesk.domain.text import fold, search_key
from chapterdesk.server.admin import add_admin_commands, run_admin
from chapterdesk.server.auth import hash_token
from chapterdesk.server.db import Database
from chapterdesk.store.database import Store
from chapterdesk.store.models import (
    Account,
    AccountRole,
    Chapter,
    Meeting,
    Organisation,
    OutboxEntry,
    Person,
    Registration,
)
from chapterdesk.sync.client import PROTOCOL_HEADER, ServerClient
from chapterdesk.sync.engine import TOKEN_SERVICE, SyncEngine
from chapterdesk.sync.entities import ORDER
from chapterdesk.sync.errors import ClientTooOld, DeviceRevoked, NotConnected
from tests.server_process import ServerProcess, StartServer
from tests.sync_helpers import LEADER, PASSWORD, Laptop, admin, empty_laptop, world_laptop
from tests.world import World

PUBLIC = {"communities", "chapters", "meetings"}  # all a partner or member may receive (ROS-2)
ROSTER = {"people", "registrations", "check_in_events", "organisations"}


# ------------------------------------------------------------------------------ the server
@dataclass
class Served:
    url: str
    server: ServerProcess
    db: Database  # the server's database, for the admin commands run in-process


@pytest.fixture
def served(server_database_url: str, start_server: StartServer) -> Iterator[Served]:
    server = start_server(server_database_url)  # migrates the database on start
    db = Database(server_database_url)
    try:
        yield Served(server_database_url, server, db)
    finally:
        db.close()  # before the PostgreSQL database is dropped


def admin_here(db: Database, *args: str) -> str:
    """``chapterdesk-server admin ARGS`` in this process; the password is PASSWORD."""
    parser = argparse.ArgumentParser()
    add_admin_commands(parser)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run_admin(db, parser.parse_args(args), lambda _prompt: PASSWORD)
    assert code == 0, err.getvalue()
    return out.getvalue().strip()


def add_account(db: Database, login: str, name: str, role: str, *scope: str) -> str:
    return admin_here(db, "add-account", login, name, "--role", role, *scope)


def grant(db: Database, login: str, chapter_id: str, role: Role) -> None:
    """A chapter granted later to an existing account, written straight into the server's
    database (the admin CLI grants only when it creates an account)."""
    with db.session(write=True) as s:
        account = s.scalars(select(Account).where(Account.login == login)).one()
        s.add(AccountRole(account_id=account.id, chapter_id=chapter_id, role=role))


# ------------------------------------------------------------------------------- laptops
def roster_laptop(folder: Path, served: Served) -> tuple[Laptop, World]:
    """The world with contact data and registrations, pushed by a leader of every chapter."""
    add_account(served.db, LEADER, "Lee Leader", "leader", "--chapter", "all")
    laptop, world = world_laptop(folder)
    with laptop.store.session() as s:
        orgs = dict(s.execute(select(Organisation.id, Organisation.name)).all())
        for n, person in enumerate(s.scalars(select(Person).order_by(Person.last_name))):
            person.phone = f"+1 613 555 {n:04d}"
            person.search_text = search_key(  # as the People page writes it: name, company, email
                person.first_name, person.last_name, orgs[person.organisation_id], person.email
            )
    laptop.desk.register(world.meeting, world.people["Bob"])
    laptop.desk.register(world.meeting, world.people["Cleo"])
    laptop.desk.register_with_inviting_customer(
        world.meeting, world.people["Pat"], world.people["Ann"]
    )
    laptop.connect(served.server)
    report = laptop.sync()
    assert report.rejected == 0, laptop.desk.sync_status().issues
    assert laptop.pending() == 0
    return laptop, world


def count(store: Store, model: Any, chapter_id: str) -> int:
    with store.session() as s:
        return int(
            s.scalar(select(func.count()).select_from(model).where(model.chapter_id == chapter_id))
            or 0
        )


def token_of(laptop: Laptop) -> str | None:
    return keyring.get_password(TOKEN_SERVICE, laptop.store.info.store_id)


# ------------------------------------------------------------------------------ HTTP side
class Http:
    """A device talking to the server directly; keeps every response body it received."""

    def __init__(self, server: ServerProcess, version: int = 1, token: str | None = None) -> None:
        self.client = httpx.Client(
            base_url=server.url,
            headers={PROTOCOL_HEADER: str(version)},
            trust_env=False,
            timeout=30.0,
        )
        self.token = token
        self.bodies: list[bytes] = []

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.client.close()

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = self.client.request(method, path, headers=headers, **kwargs)
        self.bodies.append(response.content)
        return response

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.call(method, path, **kwargs)
        assert response.status_code == 200, (path, response.status_code, response.text)
        return response.json()

    def sign_in(self, login: str) -> dict[str, Any]:
        answer: dict[str, Any] = self.ok(
            "POST",
            "/v1/devices",
            json={"login": login, "password": PASSWORD, "device_name": "probe"},
        )
        self.token = answer["token"]
        return answer

    def pull(self, chapter: str) -> set[str] | None:
        """Every change and every snapshot page of ``chapter``: the entity kinds that came
        with rows, or None when the server refused the chapter (403 scope_revoked)."""
        received: set[str] = set()
        since = 0
        while True:
            r = self.call("GET", "/v1/changes", params={"chapter": chapter, "since": since})
            if r.status_code == 403:
                assert r.json()["error"] == "scope_revoked", r.text
                for entity in ORDER:  # the snapshot refuses it too, entity by entity
                    s = self.call(
                        "GET", "/v1/snapshot", params={"chapter": chapter, "entity": entity}
                    )
                    assert s.status_code == 403, (entity, s.text)
                    assert s.json()["error"] == "scope_revoked"
                return None
            assert r.status_code == 200, r.text
            page = r.json()
            received |= {c["entity"] for c in page["changes"]}
            since = page["next_cursor"]
            if not page["has_more"]:
                break
        for start in ORDER:  # from every entity on (a page runs on through the ones after it)
            entity, after = start, ""
            while True:
                page = self.ok(
                    "GET",
                    "/v1/snapshot",
                    params={"chapter": chapter, "entity": entity, "after": after, "limit": 3},
                )
                received |= {c["entity"] for c in page["entities"] if c["rows"]}
                if not page["has_more"]:
                    break
                entity, after = page["next_entity"], page["next_after"]
        return received

    def pull_everything(self, answer: dict[str, Any], *extra: str) -> dict[str, set[str] | None]:
        """The chapters the sign-in answer lists, the global one, and ``extra`` chapters."""
        self.ok("GET", "/v1/me")
        self.ok("GET", "/v1/me/registrations")
        self.ok("GET", "/v1/me/slots")
        self.ok("GET", "/v1/me/partner")
        chapters = ["", *[c["id"] for c in answer["chapters"]], *extra]
        return {c: self.pull(c) for c in dict.fromkeys(chapters)}


# ------------------------------------------------------------------------ scanning bodies
@dataclass
class Needles:
    """What of the roster may not appear in a body: label → byte strings (lower-cased)."""

    by_label: dict[str, list[bytes]] = field(default_factory=dict)

    def add(self, label: str, *values: str) -> None:
        variants = self.by_label.setdefault(label, [])
        for value in values:
            for form in {value, fold(value), json.dumps(value)[1:-1]}:
                if form:
                    variants.append(form.lower().encode())

    def found_in(self, bodies: Iterable[bytes]) -> list[str]:
        haystack = b"\n".join(bodies).lower()
        return sorted(
            label
            for label, variants in self.by_label.items()
            if any(v in haystack for v in variants)
        )


def roster_needles(
    store: Store, chapter_id: str, *, except_person: str | None = None, contact_only: bool = False
) -> Needles:
    """Every person of the chapter's names, email, phone, id, and their registrations' ids and
    badge codes — or only the contact data (what a volunteer may not see, ROS-1)."""
    needles = Needles()
    with store.session() as s:
        people = s.scalars(select(Person).where(Person.chapter_id == chapter_id)).all()
        registrations = s.scalars(
            select(Registration).where(Registration.chapter_id == chapter_id)
        ).all()
        for p in people:
            if p.id == except_person:
                continue
            who = f"{p.first_name} {p.last_name}"
            needles.add(f"{who}: email", p.email)
            needles.add(f"{who}: phone", p.phone)
            if contact_only:
                continue
            needles.add(f"{who}: name", who)
            needles.add(f"{who}: first name", f'"{p.first_name}"')
            needles.add(f"{who}: last name", f'"{p.last_name}"')
            needles.add(f"{who}: person id", p.id)
        for r in registrations:
            if r.person_id == except_person or contact_only:
                continue
            needles.add(f"registration {r.id[:8]}: id", r.id)
            needles.add(f"registration {r.id[:8]}: code", r.code)
    assert needles.by_label
    return needles


# ==================================================================================== tests
def test_partner_member_volunteer_and_other_chapter_leader_receive_no_roster(
    served: Served, tmp_path: Path
) -> None:
    """Scenario 8 / ROS-1, ROS-2: every body sent to a partner (Pat), a member (Ann), a
    volunteer and a leader of another chapter, for every chapter they can name and every
    entity of the snapshot, is scanned: zero roster names, emails, phones, ids or codes (a
    volunteer sees names, never contact data). The leader's own pull is the control: the same
    scan finds every needle there."""
    laptop, world = roster_laptop(tmp_path / "leader", served)
    ottawa, db = world.chapter, served.db
    boston = admin_here(db, "add-chapter", "AXUG", "Boston")
    pat, ann = world.people["Pat"], world.people["Ann"]
    add_account(db, "pat@contoso.example", "Pat Quinn", "partner", "--person", pat)
    add_account(db, "ann@city.example", "Ann Lee", "member", "--person", ann)
    add_account(db, "val@chapter.example", "Val Volunteer", "volunteer", "--chapter", ottawa)
    add_account(db, "bo@boston.example", "Bo Boston", "leader", "--chapter", boston)

    with Http(served.server) as leader:  # control: the needles do find the roster
        received = leader.pull_everything(leader.sign_in(LEADER), ottawa)
        assert (received[ottawa] or set()) >= ROSTER - {"check_in_events"}  # none in the world
        everything = roster_needles(laptop.store, ottawa)
        assert everything.found_in(leader.bodies) == sorted(everything.by_label)

    for login, own, extra in (
        ("pat@contoso.example", pat, boston),
        ("ann@city.example", ann, boston),
    ):
        with Http(served.server) as partner:
            answer = partner.sign_in(login)
            assert [c["id"] for c in answer["chapters"]] == [ottawa]
            received = partner.pull_everything(answer, ottawa, extra)
            assert received[extra] is None  # another chapter: refused
            public = received[ottawa]
            assert public is not None and public <= PUBLIC, received
            assert "meetings" in public  # they do get the public programme
            leaks = roster_needles(laptop.store, ottawa, except_person=own).found_in(partner.bodies)
            assert leaks == [], f"{login} received {leaks}"

    with Http(served.server) as volunteer:
        answer = volunteer.sign_in("val@chapter.example")
        received = volunteer.pull_everything(answer, ottawa, boston)
        assert received[boston] is None
        assert "people" in (received[ottawa] or set())  # names, for the check-in desk
        assert roster_needles(laptop.store, ottawa).found_in(volunteer.bodies)
        leaks = roster_needles(laptop.store, ottawa, contact_only=True).found_in(volunteer.bodies)
        assert leaks == [], f"a volunteer received {leaks}"

    with Http(served.server) as other:
        answer = other.sign_in("bo@boston.example")
        assert [c["id"] for c in answer["chapters"]] == [boston]
        received = other.pull_everything(answer, ottawa)
        assert received[ottawa] is None  # 403 scope_revoked, changes and every snapshot entity
        assert not (received[boston] or set()) & ROSTER
        leaks = roster_needles(laptop.store, ottawa).found_in(other.bodies)
        assert leaks == [], f"Boston's leader received {leaks}"
    laptop.close()


def test_a_new_grant_back_fills_and_a_removed_grant_purges_the_laptop(
    served: Served, tmp_path: Path
) -> None:
    """Scenario 8: a co-leader (laptop and sync engine) and a volunteer (HTTP) of Boston are
    granted Ottawa after their first sync: the next pull from cursor 0 / the snapshot brings
    every row (contact data for the co-leader only). ``admin remove-grant`` takes Ottawa away:
    the co-leader's laptop wipes every Ottawa row at its next sync and the server refuses it."""
    leader, world = roster_laptop(tmp_path / "leader", served)
    ottawa, db = world.chapter, served.db
    boston = admin_here(db, "add-chapter", "AXUG", "Boston")
    add_account(db, "co@chapter.example", "Cora Co", "co_leader", "--chapter", boston)
    add_account(db, "val@chapter.example", "Val Volunteer", "volunteer", "--chapter", boston)
    with leader.store.session() as s:
        people = set(s.scalars(select(Person.id).where(Person.chapter_id == ottawa)))
        registrations = set(s.scalars(select(Registration.id)))
    leader.close()

    co = empty_laptop(tmp_path / "co")
    co.connect(served.server, "co@chapter.example")
    co.sync()
    assert count(co.store, Person, ottawa) == 0
    with Http(served.server) as volunteer:
        volunteer.sign_in("val@chapter.example")
        assert volunteer.pull(ottawa) is None

        grant(db, "co@chapter.example", ottawa, Role.CO_LEADER)
        grant(db, "val@chapter.example", ottawa, Role.VOLUNTEER)

        co.sync()  # no cursor for Ottawa yet: a snapshot
        with co.store.session() as s:
            got = s.scalars(select(Person).where(Person.chapter_id == ottawa)).all()
            assert {p.id for p in got} == people
            assert all(p.email for p in got)  # a co-leader works with contact data
            assert set(s.scalars(select(Registration.id))) == registrations

        page = volunteer.ok(
            "GET", "/v1/changes", params={"chapter": ottawa, "since": 0, "limit": 5000}
        )
        rows = {(c["entity"], c["id"]): c["data"] for c in page["changes"]}
        assert {i for e, i in rows if e == "people"} == people
        assert {i for e, i in rows if e == "registrations"} == registrations
        assert not any("email" in d or "phone" in d for (e, _i), d in rows.items() if e == "people")
        snap = volunteer.ok("GET", "/v1/snapshot", params={"chapter": ottawa, "entity": "people"})
        chunk = next(c for c in snap["entities"] if c["entity"] == "people")
        assert {r[0] for r in chunk["rows"]} == people  # a row: id, stamp, stamps, values

    admin(served.url, "remove-grant", "co@chapter.example", "--chapter", ottawa)
    report = co.sync()
    assert ottawa in report.wiped_chapters
    for model in (Person, Registration, Meeting, Organisation):
        assert count(co.store, model, ottawa) == 0, model.__tablename__
    with co.store.session() as s:
        assert s.get(Chapter, ottawa) is None
        assert s.get(Chapter, boston) is not None  # the chapter it still works in stays
    with Http(served.server, token=token_of(co)) as again:
        assert again.pull(ottawa) is None
    co.close()


def test_a_revoked_device_is_wiped_and_its_token_is_never_stored_in_plain_text(
    served: Served, tmp_path: Path
) -> None:
    """``admin revoke-device``: the laptop's next sync raises DeviceRevoked, its people and
    registrations are gone, and so is its token from the keyring. The server keeps only the
    token's SHA-256 (no plain token in the SQLite file or the srv_devices table), and no file
    of the test (laptop data folder, server log, server database) ever holds the token."""
    laptop, world = roster_laptop(tmp_path / "leader", served)
    token = token_of(laptop)
    assert token
    device_id = laptop.desk.sync_status().device_id
    assert device_id in admin_here(served.db, "list-devices")

    with served.db.session() as s:
        devices = [
            tuple(str(v) for v in row) for row in s.execute(text("SELECT * FROM srv_devices"))
        ]
    assert any(hash_token(token) in row for row in devices)
    assert not any(token in value for row in devices for value in row)

    def files_with_token() -> list[str]:
        return [
            str(path.relative_to(tmp_path))
            for path in sorted(tmp_path.rglob("*"))
            if path.is_file() and token.encode() in path.read_bytes()
        ]

    assert files_with_token() == []
    if served.url.startswith("sqlite"):
        assert any(p.name.startswith("server.db") for p in tmp_path.iterdir())  # scanned above

    assert count(laptop.store, Person, world.chapter) > 0
    assert count(laptop.store, Registration, world.chapter) > 0
    admin(served.url, "revoke-device", device_id)
    with pytest.raises(DeviceRevoked) as revoked:
        laptop.sync()
    assert "revoked" in str(revoked.value)
    assert count(laptop.store, Person, world.chapter) == 0
    assert count(laptop.store, Registration, world.chapter) == 0
    assert token_of(laptop) is None
    assert not laptop.desk.sync_status().configured
    with pytest.raises(NotConnected):
        laptop.sync()
    with Http(served.server, token=token) as stolen:  # the old token is refused
        r = stolen.call("GET", "/v1/changes", params={"chapter": world.chapter})
        assert r.status_code == 401 and r.json()["error"] == "device_revoked"
    assert files_with_token() == []
    laptop.close()


def test_protocol_mismatch_both_ways_keeps_the_outbox_until_the_versions_agree(
    served: Served, tmp_path: Path
) -> None:
    """Scenario 9: a client one protocol version older or newer gets 426 with a message it can
    show (ClientTooOld); the laptop's outbox stays as it was and the server has none of it;
    a sync with the right version then sends it. Also: /openapi.json describes the API."""
    laptop, world = roster_laptop(tmp_path / "leader", served)
    api = httpx.get(f"{served.server.url}/openapi.json", timeout=30.0, trust_env=False)
    assert api.status_code == 200
    assert {"/v1/mutations", "/v1/changes"} <= set(api.json()["paths"])

    for version in (0, 2):
        with Http(served.server, version=version) as http:
            for r in (
                http.call("GET", "/v1/me"),
                http.call("POST", "/v1/devices", json={"login": LEADER, "password": PASSWORD}),
            ):
                assert r.status_code == 426, r.text
                assert r.json()["error"] == "protocol_mismatch" and r.json()["message"]
                assert r.json()["server_protocol"] == 1

    registered = laptop.desk.register(world.meeting, world.people["Mia"])
    waiting = laptop.pending()
    assert waiting > 0
    for version, words in ((0, "older than the chapter server"), (2, "server is older")):
        old = SyncEngine(
            laptop.store, lambda url, token, v=version: ServerClient(url, token, protocol_version=v)
        )
        with pytest.raises(ClientTooOld) as refused:
            old.sync_once()
        assert words in str(refused.value)
        assert laptop.pending() == waiting
        assert laptop.desk.sync_status().last_error == str(refused.value)
    with Http(served.server, token=token_of(laptop)) as http:
        page = http.ok("GET", "/v1/changes", params={"chapter": world.chapter, "limit": 5000})
        assert registered.registration_id not in {c["id"] for c in page["changes"]}

    report = laptop.sync()
    assert report.rejected == 0 and laptop.pending() == 0
    with Http(served.server, token=token_of(laptop)) as http:
        page = http.ok("GET", "/v1/changes", params={"chapter": world.chapter, "limit": 5000})
        assert registered.registration_id in {c["id"] for c in page["changes"]}
    laptop.close()


def test_members_and_partners_register_cancel_and_send_decks_themselves(
    served: Served, tmp_path: Path
) -> None:
    """The self-service endpoints: Ann (member) registers and gets a code; Pat (partner) is
    refused without an escort or with a wrong code (422, ESC-1, no one else's name in the
    answer) and registered with Ann's code; both cancel. Pat sends a deck version to the slot
    a leader created on a laptop; the leader's decision, made on the laptop and synced, is what
    Pat reads from /v1/me/slots."""
    add_account(served.db, LEADER, "Lee Leader", "leader", "--chapter", "all")
    laptop, world = world_laptop(tmp_path / "leader")
    laptop.connect(served.server)
    laptop.sync()
    ann, pat = world.people["Ann"], world.people["Pat"]
    add_account(served.db, "ann@city.example", "Ann Lee", "member", "--person", ann)
    add_account(served.db, "pat@contoso.example", "Pat Quinn", "partner", "--person", pat)
    others = roster_needles(laptop.store, world.chapter, except_person=pat)
    path = f"/v1/meetings/{world.meeting}/registrations"

    with Http(served.server) as member, Http(served.server) as partner:
        member.sign_in("ann@city.example")
        partner.sign_in("pat@contoso.example")
        mine = member.ok("POST", path, json={})
        assert mine["status"] == "registered" and mine["code"]

        for body in ({}, {"escort_code": "NOSUCHCODE"}):
            refused = partner.call("POST", path, json=body)
            assert refused.status_code == 422, refused.text
            assert refused.json()["rule_id"] == "ESC-1"
            assert refused.json()["fix"]
            assert others.found_in([refused.content]) == []
        escorted = partner.ok("POST", path, json={"escort_code": mine["code"].lower()})
        assert escorted["status"] == "registered"
        listed = partner.ok("GET", "/v1/me/registrations")
        assert [(r["id"], r["status"]) for r in listed] == [(escorted["id"], "registered")]

        cancelled = partner.ok("DELETE", f"/v1/registrations/{escorted['id']}")
        assert cancelled == {"id": escorted["id"], "status": "cancelled"}
        assert partner.call("DELETE", f"/v1/registrations/{mine['id']}").status_code == 404
        assert member.ok("DELETE", f"/v1/registrations/{mine['id']}")["status"] == "cancelled"
        assert [r["status"] for r in member.ok("GET", "/v1/me/registrations")] == ["cancelled"]

        laptop.sync()  # the leader sees what they did
        with laptop.store.session() as s:
            statuses = dict(s.execute(select(Registration.person_id, Registration.status)).all())
        assert {k: v.value for k, v in statuses.items()} == {ann: "cancelled", pat: "cancelled"}

        with laptop.store.session() as s:
            contoso = s.scalars(
                select(Organisation.id).where(Organisation.name == "Contoso Consulting")
            ).one()
        slot = laptop.desk.create_slot(world.meeting, "Year-end close in practice", contoso, pat)
        laptop.sync()
        slots = partner.ok("GET", "/v1/me/slots")
        assert [(x["id"], x["versions"]) for x in slots] == [(slot, [])]
        deck = b"PK\x03\x04 a deck about year-end close"
        sent = partner.ok(
            "POST",
            f"/v1/slots/{slot}/versions",
            json={"filename": "year-end.pptx", "content_b64": base64.b64encode(deck).decode()},
        )
        assert sent["decision"] == "pending"
        assert member.call("GET", "/v1/me/slots").json() == []  # Ann's company has no slot

        laptop.sync()
        version = laptop.desk.deck_versions(slot)[-1]
        assert version.id == sent["id"]
        laptop.desk.decide_deck(
            version.id, DeckDecision.CHANGES_REQUESTED, "Drop the pricing slide (DECK-3)."
        )
        assert laptop.sync().rejected == 0
        (seen,) = partner.ok("GET", "/v1/me/slots")[0]["versions"]
        assert seen["id"] == sent["id"] and seen["sha256"] == sent["sha256"]
        assert (seen["decision"], seen["comment"]) == (
            "changes_requested",
            "Drop the pricing slide (DECK-3).",
        )
        assert others.found_in(partner.bodies) == []
    with laptop.store.session() as s:  # nothing the members did is waiting to go back
        assert not s.scalars(select(OutboxEntry.id).where(OutboxEntry.sent_at.is_(None))).all()
    laptop.close()


def test_a_partner_reads_its_own_programme_record_and_a_revoked_one_is_refused(
    served: Served, tmp_path: Path
) -> None:
    """Partner records made on a leader's laptop reach the server like every entity; Pat's
    account reads Contoso's application with its steps, benefits and contributions — never
    Northwind's, never a member's name. Once Contoso is revoked for cause (CND-1), Pat's own
    registration is refused on the server with PRT-3."""
    from datetime import date

    from chapterdesk.domain.enums import ApplicationStatus, BenefitKind, ContributionKind
    from chapterdesk.domain.enums import PartnerKind as Kind
    from chapterdesk.services import partners

    add_account(served.db, LEADER, "Lee Leader", "leader", "--chapter", "all")
    laptop, world = world_laptop(tmp_path / "leader")
    laptop.connect(served.server)
    leader = laptop.desk.actor
    with laptop.store.session() as s:
        org = {n: i for i, n in s.execute(select(Organisation.id, Organisation.name)).all()}
        contoso, northwind = org["Contoso Consulting"], org["Northwind Dynamics"]
        partners.save_profile(
            s,
            leader,
            contoso,
            kind=Kind.IMPLEMENTATION,
            mspp_certified=True,
            cfmd_certified=False,
            certified_consultants=3,
        )
        app = partners.submit_application(s, leader, contoso, Kind.IMPLEMENTATION)
        partners.submit_application(s, leader, northwind, Kind.IMPLEMENTATION)
        partners.move_application(s, leader, app, ApplicationStatus.UNDER_REVIEW, "")
        partners.move_application(s, leader, app, ApplicationStatus.APPROVED, "Welcome")
        partners.record_fee_paid(s, leader, app, date(2026, 2, 1))
        partners.record_code_of_conduct(s, leader, contoso, date(2026, 2, 2))
        partners.move_application(s, leader, app, ApplicationStatus.ADMITTED, "")
        partners.record_benefit(s, leader, contoso, BenefitKind.SHOWCASE_WEBINAR, year=2026)
        partners.record_contribution(
            s,
            leader,
            contoso,
            ContributionKind.DOOR_PRIZE,
            given_on=date(2026, 4, 1),
            description="Tablet for the raffle",
        )
        partners.record_contribution(
            s,
            leader,
            northwind,
            ContributionKind.SPONSORSHIP,
            given_on=date(2026, 4, 1),
            description="Northwind's dinner",
        )
    assert laptop.sync().rejected == 0
    pat = world.people["Pat"]
    add_account(served.db, "pat@contoso.example", "Pat Quinn", "partner", "--person", pat)
    others = roster_needles(laptop.store, world.chapter, except_person=pat)
    with Http(served.server) as partner:
        partner.sign_in("pat@contoso.example")
        answer = partner.call("GET", "/v1/me/partner")
        assert answer.status_code == 200, answer.text
        [mine] = answer.json()
        assert mine["company"] == "Contoso Consulting"
        [application] = mine["applications"]
        assert application["status"] == "admitted"
        assert [st["status"] for st in application["steps"]] == [
            "submitted",
            "under_review",
            "approved",
            "admitted",
        ]
        assert application["steps"][2]["reason"] == "Welcome"
        assert [b["kind"] for b in mine["benefits"]] == ["showcase_webinar"]
        assert [c["description"] for c in mine["contributions"]] == ["Tablet for the raffle"]
        assert b"Northwind" not in answer.content
        assert others.found_in([answer.content]) == []  # ROS-2

        with laptop.store.session() as s:
            partners.move_application(
                s, leader, app, ApplicationStatus.REVOKED, "Price list handed out (CND-2)"
            )
        assert laptop.sync().rejected == 0
        ann = partner.call("GET", "/v1/me/partner").json()[0]["applications"][0]
        assert ann["status"] == "revoked"
        refused = partner.call(
            "POST", f"/v1/meetings/{world.meeting}/registrations", json={"escort_code": "X"}
        )
        assert refused.status_code == 422, refused.text
        assert refused.json()["rule_id"] == "PRT-3"
