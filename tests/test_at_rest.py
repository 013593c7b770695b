"""At rest (ROS-5, ROS-1): a laptop lost at a venue gives away no one's email.

Real work goes through the Desk, with logging at DEBUG into a file, on a store encrypted with a
key from the (in-memory) keyring; then every byte of the data folder (database, WAL, backups
made before a migration) and of the log folder is searched for the seeded people's emails, in
UTF-8 and UTF-16, whole and as local parts. A plaintext store doing the same work is the
control: there the same search must find them, so a search that finds nothing means something.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from chapterdesk import logsetup
from chapterdesk.domain.enums import Membership, OrgCategory, Role
from chapterdesk.domain.violations import RuleViolation
from chapterdesk.logsetup import configure_logging
from chapterdesk.paths import DataPaths, prepare_data_dir
from chapterdesk.services import accounts, passwords
from chapterdesk.services.desk import Desk
from chapterdesk.store import migrate
from chapterdesk.store.database import SQLITE_HEADER, Store, make_engine, open_store
from chapterdesk.store.keys import KEYRING_SERVICE, DatabaseKey
from chapterdesk.store.migrations import REVISIONS
from chapterdesk.store.models import (
    Chapter,
    Community,
    LocalCredential,
    Meeting,
    Organisation,
    Person,
)

PASSWORD = "plain-text-pass phrase 42"
# name, last name, organisation, membership, email, phone
PEOPLE = {
    "Ann": (
        "Ann",
        "Lee",
        "City",
        Membership.MEMBER,
        "ann.zyx-unique@example.org",
        "+1 613 555 0142",
    ),
    "Bob": (
        "Bob",
        "Roy",
        "City",
        Membership.PROSPECT,
        "bob.qwv-unique@example.org",
        "+1 613 555 0143",
    ),
    "Cleo": (
        "Cléo",
        "Dubé",
        "Fabrikam",
        Membership.MEMBER,
        "cleo.jkm-unique@example.org",
        "+1 613 555 0144",
    ),
    "Pat": (
        "Pat",
        "Quinn",
        "Contoso",
        Membership.NONE,
        "pat.vbn-unique@example.com",
        "+1 613 555 0145",
    ),
}
WALK_IN_EMAIL = "wally.hgf-unique@example.org"
LEADER_LOGIN = "lee.rtp-unique@example.org"  # the leader's account: a person's email too
ORGS = {
    "City": ("City of Ottawa", OrgCategory.CUSTOMER),
    "Fabrikam": ("Fabrikam Manufacturing", OrgCategory.CUSTOMER),
    "Contoso": ("Contoso Consulting", OrgCategory.PARTNER),
}
EMAILS = [p[4] for p in PEOPLE.values()] + [WALK_IN_EMAIL, LEADER_LOGIN]
PHONES = [p[5] for p in PEOPLE.values()]


def needles(secret: str) -> dict[str, bytes]:
    """The byte forms a secret can take on disk: UTF-8 and UTF-16 (both byte orders), whole
    and, for an email, its local part."""
    forms = {secret: secret}
    if "@" in secret:
        local = secret.split("@", 1)[0]
        forms[f"{local} (local part)"] = local
    found = {}
    for label, text in forms.items():
        found[f"{label} utf-8"] = text.encode("utf-8")
        found[f"{label} utf-16-le"] = text.encode("utf-16-le")
        found[f"{label} utf-16-be"] = text.encode("utf-16-be")
    return found


def files_under(*folders: Path) -> list[Path]:
    return sorted(
        p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()
    )


def occurrences(secrets: list[str], files: list[Path]) -> list[str]:
    """ "file: needle" for every needle found in a file's bytes."""
    hits = []
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            for label, needle in needles(secret).items():
                if needle in data:
                    hits.append(f"{path.name}: {label}")
    return hits


# ------------------------------------------------------------------------------- logging


@pytest.fixture
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``configure_logging(verbose=True)`` (DEBUG) writing into a folder of this test, as the
    app does at start-up; the root logger is put back as it was afterwards."""
    folder = tmp_path / "logs"
    monkeypatch.setattr(logsetup.platformdirs, "user_log_dir", lambda *a, **k: str(folder))
    root = logging.getLogger()
    level = root.level
    # configure_logging does nothing when a file handler of ours is already there.
    earlier = [h for h in root.handlers if getattr(h, "chapterdesk_file", None) is not None]
    for handler in earlier:
        root.removeHandler(handler)
    present = set(root.handlers)
    path = configure_logging(verbose=True)
    added = [h for h in root.handlers if h not in present]
    try:
        assert path == folder / "chapterdesk.log"
        yield folder
    finally:
        for handler in added:
            root.removeHandler(handler)
            handler.close()
        for handler in earlier:
            root.addHandler(handler)
        root.setLevel(level)


# ---------------------------------------------------------------------------- the work


@dataclass
class Done:
    chapter: str
    meeting: str
    people: dict[str, str]


def seed(store: Store) -> Done:
    start = datetime.now().replace(microsecond=0) + timedelta(days=7)
    with store.session() as s:
        community = Community(code="AXUG", name="AXUG")
        s.add(community)
        s.flush()
        chapter = Chapter(community_id=community.id, name="Ottawa")
        s.add(chapter)
        s.flush()
        orgs = {}
        for key, (name, category) in ORGS.items():
            orgs[key] = Organisation(chapter_id=chapter.id, name=name, category=category)
            s.add(orgs[key])
        s.flush()
        ids = {}
        for key, (first, last, org, membership, email, phone) in PEOPLE.items():
            person = Person(
                chapter_id=chapter.id,
                organisation_id=orgs[org].id,
                first_name=first,
                last_name=last,
                membership=membership,
                email=email,
                phone=phone,
            )
            s.add(person)
            s.flush()
            ids[key] = person.id
        meeting = Meeting(
            chapter_id=chapter.id,
            title="Year-end close",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            venue="City Hall",
            capacity=20,
            partners_welcome=True,
        )
        s.add(meeting)
        s.flush()
        return Done(chapter.id, meeting.id, ids)


def run_in_worker(qtbot: QtBot, runner: Any, job: Callable[[], Any]) -> dict[str, Any]:
    """Run ``job`` as the window does (TaskRunner: a worker thread, result by signal)."""
    box: dict[str, Any] = {}
    runner.submit(job, lambda r: box.setdefault("result", r), lambda e: box.setdefault("error", e))
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return box


def real_work(store: Store, qtbot: QtBot) -> Done:
    """What a leader does on a meeting night, through the Desk and the window's worker pool."""
    from chapterdesk.ui.common.tasks import TaskRunner

    done = seed(store)
    desk = Desk(store)
    desk.set_up_laptop("Lee Leader", LEADER_LOGIN, PASSWORD)
    assert desk.chapters()
    assert {p.email for p in desk.people(done.chapter)} >= set(EMAILS[:4])
    assert desk.roster_matches(done.meeting, "ann")
    ann = desk.register(done.meeting, done.people["Ann"])
    pat = desk.register_with_inviting_customer(done.meeting, done.people["Pat"], done.people["Bob"])
    assert desk.check_in(ann.registration_id).changed
    bob = next(a for a in desk.attendees(done.meeting) if a.person_id == done.people["Bob"])
    assert desk.scan(done.meeting, bob.code).changed
    assert desk.check_in(pat.registration_id).changed  # ESC-3: Bob, the escort, is in
    walk_in = desk.register_new_walk_in(
        done.meeting, "Wally", "Walker", "City of Ottawa", WALK_IN_EMAIL
    )
    assert walk_in.changed
    sheet = store.paths.root.parent / "badges.pdf"  # where the leader chose, not the data folder
    assert desk.write_badges(done.meeting, "Name badges for the meeting", sheet, "avery5392")
    # Cléo volunteers: her account's login is her email.
    desk.create_account(done.chapter, "Cléo Dubé", PEOPLE["Cleo"][4], PASSWORD, Role.VOLUNTEER)
    desk.lock()
    with pytest.raises(accounts.SignInRefused):
        desk.sign_in(LEADER_LOGIN, "not the password at all")
    desk.sign_in(LEADER_LOGIN, PASSWORD)

    runner = TaskRunner()
    listed = run_in_worker(qtbot, runner, lambda: desk.people(done.chapter))
    assert "result" in listed
    # A refusal whose message quotes an email (the login of an existing account) is logged by
    # the worker pool: the log must keep the rule, not the message.
    refused = run_in_worker(
        qtbot,
        runner,
        lambda: desk.create_account(
            done.chapter, "Cléo again", PEOPLE["Cleo"][4], PASSWORD, Role.VOLUNTEER
        ),
    )
    assert isinstance(refused.get("error"), RuleViolation)
    assert PEOPLE["Cleo"][4] in str(refused["error"])  # the user is told which login
    # An unexpected failure while saving someone is logged with its traceback: the SQL error
    # must not carry the row's values.

    def broken_save() -> None:
        with store.session() as s:
            s.add(
                Person(
                    chapter_id=done.chapter,
                    organisation_id="no-such-organisation",
                    first_name="Ann",
                    last_name="Lee",
                    email=PEOPLE["Ann"][4],
                    phone=PEOPLE["Ann"][5],
                )
            )

    crashed = run_in_worker(qtbot, runner, broken_save)
    assert "error" in crashed and not isinstance(crashed["error"], RuleViolation)
    runner.wait_for_done(10_000)
    return done


def backup_by_migration(paths: DataPaths, key: DatabaseKey | None) -> list[Path]:
    """Take the schema one revision back, then open the store as the app does: it copies the
    database to ``backups/`` before it migrates (store/backup.py).

    The downgrade runs with foreign keys off: SQLite's batch mode recreates ``registrations``,
    which ``check_in_events`` refer to (the app never downgrades; this only makes an older
    database full of real data)."""
    engine = make_engine(paths.database, key)

    @event.listens_for(engine, "connect")
    def _no_foreign_keys(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys = OFF")
        cursor.close()

    try:
        with engine.begin() as conn:
            migrate.downgrade(conn, REVISIONS[-2])
    finally:
        engine.dispose()
    open_store(paths, allow_plaintext=key is None).close()
    made = sorted(paths.backups.glob(f"chapterdesk-*-before-migrating-from-{REVISIONS[-2]}.db"))
    assert len(made) == 1, "opening an older schema backs the database up first"
    return made


def keyring_key(memory_keyring: Any, store: Store) -> DatabaseKey:
    return DatabaseKey(
        bytes.fromhex(memory_keyring.secrets[(KEYRING_SERVICE, store.info.store_id)])
    )


# ------------------------------------------------------------------------------- the tests


def test_no_email_in_the_database_backups_or_log_ROS_5(
    tmp_path: Path, log_folder: Path, memory_keyring: Any, qtbot: QtBot
) -> None:
    paths = prepare_data_dir(tmp_path / "data")
    store = open_store(paths)
    assert store.encrypted and store.info.key_mode == "keyring"
    key = keyring_key(memory_keyring, store)
    try:
        real_work(store, qtbot)
        # Mid-session, before any checkpoint: the WAL holds the latest pages.
        assert paths.database.with_name(paths.database.name + "-wal").exists()
        mid_session = occurrences(EMAILS + PHONES, files_under(paths.root))
        assert not mid_session, mid_session
    finally:
        store.close()
    backups = backup_by_migration(paths, key)
    assert not backups[0].read_bytes().startswith(SQLITE_HEADER), "the backup stays encrypted"

    logging.getLogger("chapterdesk.tests").debug("at-rest probe: DEBUG reaches the file")
    log_files = files_under(log_folder)
    log_text = "\n".join(p.read_text(encoding="utf-8") for p in log_files)
    assert "at-rest probe" in log_text and "signed in" in log_text, "the log was written"
    assert "refused" in log_text, "the worker pool logged the refusal"
    assert "IntegrityError" in log_text, "the worker pool logged the unexpected error"

    everything = files_under(paths.root, log_folder)
    assert backups[0] in everything
    assert not occurrences(EMAILS + PHONES, everything)
    # ROS-5: the password and the database key are nowhere on disk either.
    secrets = [PASSWORD, key.raw.hex()]
    assert not occurrences(secrets, everything)
    assert not any(key.raw in p.read_bytes() for p in everything)


def test_a_plaintext_store_shows_the_emails_so_the_search_works(
    tmp_path: Path, log_folder: Path, no_keyring: None, qtbot: QtBot
) -> None:
    """The control: ``key_mode`` none (demo data only) stores the same work readably."""
    paths = prepare_data_dir(tmp_path / "data")
    store = open_store(paths, allow_plaintext=True)
    assert store.info.key_mode == "none"
    try:
        real_work(store, qtbot)
        live = files_under(paths.root)  # the database and its WAL
        for email in EMAILS:
            assert any(email.encode() in p.read_bytes() for p in live), email
    finally:
        store.close()
    backups = backup_by_migration(paths, None)
    data = backups[0].read_bytes()
    assert data.startswith(SQLITE_HEADER)
    for key in ("Ann", "Bob", "Cleo", "Pat"):
        email = PEOPLE[key][4]
        assert email.encode() in data and email.split("@")[0].encode() in data
    # The log stays clean whatever the store: it never was the place for emails.
    assert not occurrences(EMAILS + PHONES, files_under(log_folder))


def test_the_sign_in_verifier_never_holds_the_password_ROS_5(tmp_path: Path) -> None:
    store = open_store(prepare_data_dir(tmp_path / "data"))
    try:
        with store.session() as s:
            leader = accounts.create_first_leader(s, "Lee Leader", LEADER_LOGIN, PASSWORD)
        with store.session() as s:
            chapter = Chapter(community_id=_community(s), name="Ottawa")
            s.add(chapter)
            s.flush()
            volunteer = accounts.create_account(
                s, leader, chapter.id, "Val", "val.unique@example.org", PASSWORD, Role.VOLUNTEER
            )
        with store.session() as s:
            verifiers = {
                c.account_id: c.verifier
                for c in s.query(LocalCredential).all()  # every account on the laptop
            }
        assert set(verifiers) == {leader.account_id, volunteer.id}
        for verifier in verifiers.values():
            assert verifier.startswith(f"{passwords.SCHEME}$")
            lowered = verifier.lower()
            for form in (PASSWORD, PASSWORD.encode().hex(), PASSWORD.encode("utf-16-le").hex()):
                assert form.lower() not in lowered
            assert "plain-text" not in lowered
        # Salted: the same password gives two different verifiers.
        assert verifiers[leader.account_id] != verifiers[volunteer.id]

        with store.session() as s:
            assert accounts.sign_in(s, LEADER_LOGIN, PASSWORD).account_id == leader.account_id
            assert accounts.sign_in(s, LEADER_LOGIN.upper(), PASSWORD).is_leader
            with pytest.raises(accounts.SignInRefused) as wrong:
                accounts.sign_in(s, LEADER_LOGIN, PASSWORD + "!")
            with pytest.raises(accounts.SignInRefused) as unknown:
                accounts.sign_in(s, "nobody.unique@example.org", PASSWORD)
            with pytest.raises(accounts.SignInRefused):
                accounts.sign_in(s, LEADER_LOGIN, "")
        assert str(wrong.value) == str(unknown.value), "the refusal does not say which was wrong"
        assert PASSWORD not in str(wrong.value)
    finally:
        store.close()


def _community(s: Any) -> str:
    community = Community(code="AXUG", name="AXUG")
    s.add(community)
    s.flush()
    return community.id


def test_desk_badges_do_not_outlive_the_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F4 badges go to a private temp folder; old ones go at the next print, all at quit."""
    from chapterdesk.ui.meetings import paper as ui_paper

    monkeypatch.setattr(ui_paper, "_badge_folder", tmp_path)
    old, new = tmp_path / "badge-OLD.pdf", tmp_path / "badge-NEW.pdf"
    old.write_bytes(b"%PDF old")
    new.write_bytes(b"%PDF new")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    ui_paper.forget_badges(older_than=ui_paper.BADGE_KEEP_SECONDS)
    assert not old.exists() and new.exists()
    ui_paper.forget_badges()
    assert not new.exists() and not tmp_path.exists()  # the session's folder goes too
