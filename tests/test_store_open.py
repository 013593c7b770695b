"""Opening the local store: encryption at rest (ROS-5), key handling and "nothing is changed"
on every failure."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from chapterdesk.hlc import Timestamp
from chapterdesk.paths import DataDirError, DataPaths, prepare_data_dir
from chapterdesk.store.database import (
    SQLITE_HEADER,
    Store,
    StoreInfo,
    make_engine,
    open_store,
)
from chapterdesk.store.errors import (
    KeyMissing,
    KeyringUnavailable,
    NewerSchema,
    StoreError,
    UnreadableDatabase,
    WrongKey,
)
from chapterdesk.store.keys import KEY_BYTES, KEYRING_SERVICE, DatabaseKey, random_key
from chapterdesk.store.migrations import HEAD
from chapterdesk.store.models import Chapter, Community, LocalState

PASSPHRASE = "correct horse battery staple"


# -- helpers -------------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """sha256 and mtime of every file under ``folder``, by relative path."""
    return {
        str(path.relative_to(folder)): (
            hashlib.sha256(path.read_bytes()).hexdigest(),
            path.stat().st_mtime_ns,
        )
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def all_bytes(folder: Path) -> list[tuple[Path, bytes]]:
    return [(path, path.read_bytes()) for path in folder.rglob("*") if path.is_file()]


def keyring_key(memory_keyring, store_id: str) -> DatabaseKey:
    return DatabaseKey(bytes.fromhex(memory_keyring.secrets[(KEYRING_SERVICE, store_id)]))


def create_store(data_dir: Path, **kwargs) -> tuple[DataPaths, StoreInfo]:
    """Create a store, close it, return its paths and what store.json says."""
    paths = prepare_data_dir(data_dir)
    store = open_store(paths, **kwargs)
    info = store.info
    store.close()
    return paths, info


class Prompt:
    """A passphrase prompt that records whether it was asked while creating."""

    def __init__(self, answer: str | None) -> None:
        self.answer = answer
        self.calls: list[bool] = []

    def __call__(self, creating: bool) -> str | None:
        self.calls.append(creating)
        return self.answer


def open_and_close(paths: DataPaths, **kwargs) -> Store:
    store = open_store(paths, **kwargs)
    store.close()
    return store


# -- keyring mode: encrypted at rest (ROS-5) ------------------------------------------------


def test_roster_at_rest_is_encrypted_ROS_5(data_dir: Path, memory_keyring) -> None:
    """A new store on a machine with a keyring is an SQLCipher file, keyed from the keyring."""
    paths = prepare_data_dir(data_dir)
    store = open_store(paths)
    try:
        assert store.info.key_mode == "keyring"
        assert store.encrypted
        with store.session() as session:
            session.add(Community(code="AXUG", name="Dynamics AX user group"))
        device_id = store.device_id
    finally:
        store.close()

    raw = paths.database.read_bytes()
    assert not raw.startswith(SQLITE_HEADER)
    assert b"Dynamics AX user group" not in raw
    assert b"AXUG" not in raw
    assert set(memory_keyring.secrets) == {(KEYRING_SERVICE, store.info.store_id)}
    key = keyring_key(memory_keyring, store.info.store_id)
    assert len(key.raw) == KEY_BYTES

    reopened = open_and_close(paths)
    assert reopened.device_id == device_id
    assert reopened.info == store.info


def test_key_is_never_written_to_a_file_ROS_5(data_dir: Path, memory_keyring) -> None:
    paths, info = create_store(data_dir)
    key = keyring_key(memory_keyring, info.store_id)
    needles = [key.raw, key.raw.hex().encode(), key.raw.hex().upper().encode()]

    def assert_no_key_in_files() -> None:
        files = all_bytes(data_dir)
        assert {p.name for p, _ in files} >= {"chapterdesk.db", "store.json"}
        for path, content in files:
            for needle in needles:
                assert needle not in content, f"key material found in {path}"

    store = open_store(paths)
    try:
        with store.session() as session:
            session.add(Community(code="CRMUG", name="CRM user group"))
        assert_no_key_in_files()  # while open: the -wal and -shm files too
    finally:
        store.close()
    assert_no_key_in_files()

    stored = json.loads(paths.store_info.read_text(encoding="utf-8"))
    assert stored["key_mode"] == "keyring"
    assert stored["store_id"] == info.store_id
    assert stored.get("salt") is None


def test_key_is_not_in_repr() -> None:
    key = random_key()
    assert key.raw.hex() not in repr(key)
    assert key.raw.hex() not in str(key)


def test_reopen_sees_the_same_data(data_dir: Path) -> None:
    paths, _info = create_store(data_dir)
    store = open_store(paths)
    with store.session() as session:
        session.add(Community(code="GPUG", name="GP user group"))
    store.close()

    store = open_store(paths)
    try:
        with store.session() as session:
            names = session.scalars(select(Community.name)).all()
        assert names == ["GP user group"]
    finally:
        store.close()


# -- no keyring -----------------------------------------------------------------------------


@pytest.mark.usefixtures("no_keyring")
def test_no_keyring_and_no_passphrase_refuses_ROS_5(data_dir: Path) -> None:
    """Without a keyring and without a way to ask for a passphrase, nothing is created."""
    paths = prepare_data_dir(data_dir)
    with pytest.raises(KeyringUnavailable) as caught:
        open_store(paths, allow_plaintext=False)
    message = str(caught.value).lower()
    assert "keyring" in message
    assert "passphrase" in message
    assert not paths.database.exists()
    assert not paths.store_info.exists()
    assert list(data_dir.iterdir()) == []


@pytest.mark.usefixtures("no_keyring")
def test_no_keyring_uses_a_passphrase_ROS_5(data_dir: Path, memory_keyring) -> None:
    paths = prepare_data_dir(data_dir)
    prompt = Prompt(PASSPHRASE)
    store = open_store(paths, ask_passphrase=prompt)
    try:
        assert store.info.key_mode == "passphrase"
        assert store.encrypted
        with store.session() as session:
            session.add(Community(code="NAVUG", name="NAV user group"))
        device_id = store.device_id
    finally:
        store.close()
    assert prompt.calls == [True]

    stored = json.loads(paths.store_info.read_text(encoding="utf-8"))
    assert stored["key_mode"] == "passphrase"
    assert len(bytes.fromhex(stored["salt"])) >= 16
    assert memory_keyring.secrets == {}
    raw = paths.database.read_bytes()
    assert not raw.startswith(SQLITE_HEADER)
    assert b"NAV user group" not in raw
    for path, content in all_bytes(data_dir):
        assert PASSPHRASE.encode() not in content, f"passphrase found in {path}"

    again = Prompt(PASSPHRASE)
    reopened = open_and_close(paths, ask_passphrase=again)
    assert again.calls == [False]
    assert reopened.device_id == device_id


@pytest.mark.usefixtures("no_keyring")
def test_wrong_passphrase_changes_nothing(data_dir: Path) -> None:
    paths, _info = create_store(data_dir, ask_passphrase=Prompt(PASSPHRASE))
    before = snapshot(data_dir)

    with pytest.raises(WrongKey) as caught:
        open_store(paths, ask_passphrase=Prompt("correct horse battery stapler"))
    assert "passphrase does not open" in str(caught.value)
    assert str(paths.database) in str(caught.value)
    assert snapshot(data_dir) == before

    open_and_close(paths, ask_passphrase=Prompt(PASSPHRASE))


@pytest.mark.usefixtures("no_keyring")
def test_cancelled_passphrase_creates_nothing(data_dir: Path) -> None:
    paths = prepare_data_dir(data_dir)
    with pytest.raises(StoreError):
        open_store(paths, ask_passphrase=Prompt(None))
    assert list(data_dir.iterdir()) == []


@pytest.mark.usefixtures("no_keyring")
def test_passphrase_store_without_a_prompt_is_refused(data_dir: Path) -> None:
    paths, _info = create_store(data_dir, ask_passphrase=Prompt(PASSPHRASE))
    before = snapshot(data_dir)
    with pytest.raises(KeyringUnavailable, match="passphrase"):
        open_store(paths)
    assert snapshot(data_dir) == before


def test_passphrase_store_asks_even_when_a_keyring_appears(data_dir: Path, memory_keyring) -> None:
    """store.json, not today's keyring, decides how the key is kept."""
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    paths, _info = create_store(data_dir, ask_passphrase=Prompt(PASSPHRASE))
    keyring.set_keyring(memory_keyring)

    prompt = Prompt(PASSPHRASE)
    store = open_and_close(paths, ask_passphrase=prompt)
    assert store.info.key_mode == "passphrase"
    assert prompt.calls == [False]
    assert memory_keyring.secrets == {}


@pytest.mark.usefixtures("no_keyring")
def test_no_keyring_with_allow_plaintext_is_unencrypted(data_dir: Path) -> None:
    paths, info = create_store(data_dir, allow_plaintext=True)
    assert info.key_mode == "none"
    assert paths.database.read_bytes().startswith(SQLITE_HEADER)
    store = open_and_close(paths)
    assert not store.encrypted


def test_allow_plaintext_is_ignored_when_a_keyring_works(data_dir: Path) -> None:
    paths, info = create_store(data_dir, allow_plaintext=True)
    assert info.key_mode == "keyring"
    assert not paths.database.read_bytes().startswith(SQLITE_HEADER)


# -- the keyring holds the wrong key, or none ---------------------------------------------


def test_wrong_key_in_keyring_changes_nothing(data_dir: Path, memory_keyring) -> None:
    paths, info = create_store(data_dir)
    right = memory_keyring.secrets[(KEYRING_SERVICE, info.store_id)]
    memory_keyring.secrets[(KEYRING_SERVICE, info.store_id)] = random_key().raw.hex()
    before = snapshot(data_dir)

    with pytest.raises(WrongKey) as caught:
        open_store(paths)
    assert "keyring does not open" in str(caught.value)
    assert "Nothing has been changed" in str(caught.value)
    assert snapshot(data_dir) == before

    memory_keyring.secrets[(KEYRING_SERVICE, info.store_id)] = right
    open_and_close(paths)


def test_damaged_keyring_entry_is_a_wrong_key(data_dir: Path, memory_keyring) -> None:
    """An entry that is not hex gives a message (and never echoes the entry), not a crash."""
    paths, info = create_store(data_dir)
    memory_keyring.secrets[(KEYRING_SERVICE, info.store_id)] = "not-a-hex-key"
    before = snapshot(data_dir)
    with pytest.raises(WrongKey, match="damaged") as caught:
        open_store(paths)
    assert "not-a-hex-key" not in str(caught.value)
    assert snapshot(data_dir) == before


def test_missing_key_in_keyring_changes_nothing(data_dir: Path, memory_keyring) -> None:
    paths, info = create_store(data_dir)
    memory_keyring.delete_password(KEYRING_SERVICE, info.store_id)
    before = snapshot(data_dir)

    with pytest.raises(KeyMissing) as caught:
        open_store(paths)
    assert str(data_dir) in str(caught.value)
    assert snapshot(data_dir) == before
    assert memory_keyring.secrets == {}, "a missing key must not be replaced by a new one"


def test_keyring_store_on_a_machine_without_keyring(data_dir: Path, memory_keyring) -> None:
    import keyring
    from keyring.backends import fail

    paths, _info = create_store(data_dir)
    before = snapshot(data_dir)
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(KeyringUnavailable, match="keyring"):
        open_store(paths, ask_passphrase=Prompt(PASSPHRASE))
    assert snapshot(data_dir) == before


# -- schema from a newer version ------------------------------------------------------------


def test_newer_schema_changes_nothing(data_dir: Path, memory_keyring) -> None:
    paths, info = create_store(data_dir)
    engine = make_engine(paths.database, keyring_key(memory_keyring, info.store_id))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    before = snapshot(data_dir)

    with pytest.raises(NewerSchema) as caught:
        open_store(paths)
    message = str(caught.value)
    assert "newer version" in message
    assert "9999" in message
    assert "Nothing has been changed" in message
    assert snapshot(data_dir) == before
    assert not paths.backups.exists()


# -- the data folder ------------------------------------------------------------------------


def test_prepare_data_dir_creates_the_folder(tmp_path: Path) -> None:
    root = tmp_path / "a" / "b" / "data"
    paths = prepare_data_dir(root)
    assert paths.root == root
    assert root.is_dir()
    assert list(root.iterdir()) == [], "the write probe is cleaned up"


def test_data_dir_under_a_file_is_refused(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_bytes(b"just a file")
    root = afile / "data"
    with pytest.raises(DataDirError) as caught:
        prepare_data_dir(root)
    assert str(root) in str(caught.value)
    assert "Nothing has been changed" in str(caught.value)
    assert afile.read_bytes() == b"just a file"


def test_data_dir_that_is_a_file_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "data"
    root.write_bytes(b"")
    with pytest.raises(DataDirError, match=str(root)):
        prepare_data_dir(root)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root ignores file permissions",
)
def test_read_only_data_dir_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "data"
    root.mkdir()
    root.chmod(0o500)
    try:
        with pytest.raises(DataDirError, match="permissions") as caught:
            prepare_data_dir(root)
        assert str(root) in str(caught.value)
        assert list(root.iterdir()) == []
    finally:
        root.chmod(0o700)


# -- damaged or mismatched files ------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\xffgarbage\xfe",
        b"{not json",
        b"[]",
        b'"keyring"',
        b'{"key_mode": "keyring"}',
        b'{"store_id": "abc", "key_mode": "cloud"}',
        b'{"store_id": "abc", "key_mode": "passphrase"}',
        b'{"store_id": "abc", "key_mode": "passphrase", "salt": "not hex"}',
    ],
    ids=[
        "binary",
        "not-json",
        "list",
        "string",
        "no-store-id",
        "unknown-mode",
        "passphrase-without-salt",
        "passphrase-bad-salt",
    ],
)
def test_damaged_store_json_changes_nothing(data_dir: Path, memory_keyring, content: bytes) -> None:
    paths, _info = create_store(data_dir)
    paths.store_info.write_bytes(content)
    secrets = dict(memory_keyring.secrets)
    before = snapshot(data_dir)

    prompt = Prompt(PASSPHRASE)
    with pytest.raises(UnreadableDatabase) as caught:
        open_store(paths, ask_passphrase=prompt)
    assert str(paths.store_info) in str(caught.value)
    assert "damaged" in str(caught.value)
    assert snapshot(data_dir) == before
    assert memory_keyring.secrets == secrets
    assert prompt.calls == [], "no passphrase is asked for a store that cannot be described"


def test_database_without_store_json_changes_nothing(data_dir: Path, memory_keyring) -> None:
    paths, _info = create_store(data_dir)
    paths.store_info.unlink()
    secrets = dict(memory_keyring.secrets)
    before = snapshot(data_dir)

    with pytest.raises(UnreadableDatabase) as caught:
        open_store(paths)
    assert "store.json" in str(caught.value)
    assert snapshot(data_dir) == before
    assert memory_keyring.secrets == secrets, "no new key is made for an existing database"


def test_garbage_database_is_unreadable(data_dir: Path) -> None:
    paths = prepare_data_dir(data_dir)
    StoreInfo("0123456789abcdef", "none").save(paths.store_info)
    paths.database.write_bytes(bytes(range(256)) * 64)
    before = snapshot(data_dir)

    with pytest.raises(UnreadableDatabase) as caught:
        open_store(paths)
    assert str(paths.database) in str(caught.value)
    assert snapshot(data_dir) == before


def test_plaintext_database_where_store_json_says_keyring(
    data_dir: Path, tmp_path: Path, memory_keyring
) -> None:
    """A swapped-in unencrypted file is refused, not silently used (ROS-5)."""
    paths, _info = create_store(data_dir)
    plain = make_engine(tmp_path / "plain.db", None)
    with plain.begin() as conn:
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
        conn.execute(text("INSERT INTO alembic_version VALUES (:head)"), {"head": HEAD})
    plain.dispose()
    shutil.copyfile(tmp_path / "plain.db", paths.database)
    assert paths.database.read_bytes().startswith(SQLITE_HEADER)
    before = snapshot(data_dir)

    with pytest.raises(UnreadableDatabase, match="not encrypted"):
        open_store(paths)
    assert snapshot(data_dir) == before


# -- engine settings and HLC stamping -------------------------------------------------------


@pytest.fixture
def store(data_dir: Path):
    store = open_store(prepare_data_dir(data_dir))
    try:
        yield store
    finally:
        store.close()


def test_engine_connections_use_wal_and_foreign_keys(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(IntegrityError), store.session() as session:
        session.add(Chapter(community_id="no-such-community", name="Orphan"))
    with store.session() as session:
        assert session.scalars(select(Chapter)).all() == []


def test_device_id_is_kept_in_local_state(store: Store) -> None:
    with store.session() as session:
        state = session.get(LocalState, "device_id")
    assert state is not None
    assert state.value == store.device_id
    assert "-" not in store.device_id


def decoded(stamp: str) -> Timestamp:
    assert stamp
    return Timestamp.decode(stamp)


def test_new_and_changed_rows_get_hlc_stamps(store: Store) -> None:
    with store.session() as session:
        community = Community(code="AXUG", name="AX user group")
        session.add(community)
    first = decoded(community.updated_at)
    assert first.device == store.device_id

    with store.session() as session:
        loaded = session.get(Community, community.id)
        assert loaded is not None
        assert loaded.updated_at == community.updated_at, "the stamp is stored"
        loaded.name = "Dynamics AX user group"
    second = decoded(loaded.updated_at)
    assert second > first
    assert loaded.updated_at > community.updated_at, "text order is clock order"
    assert second.device == store.device_id


def test_unchanged_rows_keep_their_stamp(store: Store) -> None:
    with store.session() as session:
        community = Community(code="AXUG", name="AX user group")
        session.add(community)
    with store.session() as session:
        loaded = session.get(Community, community.id)
        assert loaded is not None
        loaded.name = "AX user group"  # same value: not a change
    assert loaded.updated_at == community.updated_at


def test_stamps_increase_within_one_flush(store: Store) -> None:
    with store.session() as session:
        rows = [Community(code=f"C{i}", name=f"Community {i}") for i in range(20)]
        session.add_all(rows)
    stamps = [decoded(row.updated_at) for row in rows]
    assert len(set(stamps)) == len(stamps)


# -- the "nothing changed" check itself ----------------------------------------------------


def test_snapshot_sees_changes(tmp_path: Path) -> None:
    """The "nothing changed" checks above would notice a change."""
    (tmp_path / "f").write_bytes(b"a")
    before = snapshot(tmp_path)
    (tmp_path / "f").write_bytes(b"b")
    assert snapshot(tmp_path) != before
    (tmp_path / "g").write_bytes(b"")
    assert set(snapshot(tmp_path)) == {"f", "g"}


def test_clock_set_back_still_stamps_after_earlier_edits(data_dir: Path) -> None:
    """The highest HLC stamp survives a restart, so a laptop whose clock was set back an hour
    cannot make its new edits lose to its own older ones."""
    store = open_store(prepare_data_dir(data_dir))
    with store.session() as s:
        s.add(Community(code="AXUG", name="AXUG"))
    with store.session() as s:
        first = s.scalars(select(Community)).one().updated_at
    store.close()

    reopened = open_store(prepare_data_dir(data_dir))
    try:
        behind = Timestamp.decode(first).wall_ms - 3_600_000
        reopened.clock._now_ms = lambda: behind  # the wall clock went back an hour
        with reopened.session() as s:
            s.scalars(select(Community)).one().name = "AXUG (renamed)"
        with reopened.session() as s:
            second = s.scalars(select(Community)).one().updated_at
        assert second > first
    finally:
        reopened.close()


def test_foreign_tables_without_schema_version_are_refused(data_dir: Path) -> None:
    paths = prepare_data_dir(data_dir)
    store = open_store(paths)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE alembic_version")
    store.close()
    before = snapshot(data_dir)
    with pytest.raises(UnreadableDatabase, match="no ChapterDesk schema version"):
        open_store(paths)
    assert snapshot(data_dir) == before
