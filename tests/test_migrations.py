"""Alembic migrations agree with the models, run both ways, and are preceded by a backup."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DatabaseError

import chapterdesk.store.backup as backup_module
from chapterdesk.paths import prepare_data_dir
from chapterdesk.store import database, migrate
from chapterdesk.store.backup import KEEP_BACKUPS, copy_database
from chapterdesk.store.database import SQLITE_HEADER, current_revision, make_engine, open_store
from chapterdesk.store.keys import KEYRING_SERVICE, DatabaseKey, random_key
from chapterdesk.store.migrate import alembic_config
from chapterdesk.store.migrations import HEAD, REVISIONS
from chapterdesk.store.models import Base, Community

# -- helpers -------------------------------------------------------------------------------


def schema_objects(engine: Engine) -> set[tuple[str, str]]:
    """Tables and named indexes, without SQLite's own."""
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
        ).all()
    return {(row.type, row.name) for row in rows}


def tables(engine: Engine) -> set[str]:
    return {name for kind, name in schema_objects(engine) if kind == "table"}


def schema_diff(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def script_revisions_oldest_first() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def previous(revision: str) -> str:
    index = REVISIONS.index(revision)
    return REVISIONS[index - 1] if index else "base"


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as conn:
        migrate.upgrade(conn, revision)


def downgrade(engine: Engine, revision: str) -> None:
    with engine.begin() as conn:
        migrate.downgrade(conn, revision)


MODEL_TABLES = set(Base.metadata.tables) | {"alembic_version"}


# -- the revision list ----------------------------------------------------------------------


def test_revisions_match_the_scripts() -> None:
    """Start-up compares against REVISIONS without importing Alembic; keep it in step."""
    script = ScriptDirectory.from_config(alembic_config())
    assert list(REVISIONS) == script_revisions_oldest_first()
    assert script.get_heads() == [HEAD]
    assert script.get_current_head() == HEAD
    assert len(set(REVISIONS)) == len(REVISIONS)


def test_revisions_form_one_line() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    for older, newer in zip(("base", *REVISIONS), REVISIONS, strict=False):
        down = script.get_revision(newer).down_revision
        assert (down or "base") == older


# -- upgrade head matches the models --------------------------------------------------------


@pytest.fixture(params=["plaintext", "encrypted"])
def engine(request: pytest.FixtureRequest, tmp_path: Path):
    key = random_key() if request.param == "encrypted" else None
    path = tmp_path / "migrations.db"
    engine = make_engine(path, key)
    try:
        yield engine
    finally:
        engine.dispose()
    if key is not None:
        assert not path.read_bytes().startswith(SQLITE_HEADER)


def test_upgrade_head_matches_the_models(engine: Engine) -> None:
    upgrade(engine)
    assert current_revision(engine) == HEAD
    assert tables(engine) == MODEL_TABLES
    assert schema_diff(engine) == []


def test_the_diff_check_notices_a_drift(engine: Engine) -> None:
    """compare_metadata is not vacuous here: a dropped index shows up."""
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_people_chapter_id"))
    assert schema_diff(engine) != []


def test_every_migration_goes_down_and_up(engine: Engine) -> None:
    """Step up from an empty file, recording the schema at each revision; then step all the
    way down and back up, and the schema at every revision must be what it was."""
    seen: dict[str, set[tuple[str, str]]] = {}
    upgrade(engine, "base")
    seen["base"] = schema_objects(engine)
    assert tables(engine) <= {"alembic_version"}
    for revision in REVISIONS:
        upgrade(engine, revision)
        assert current_revision(engine) == revision
        seen[revision] = schema_objects(engine)
    assert tables(engine) == MODEL_TABLES
    assert schema_diff(engine) == []

    for revision in reversed(REVISIONS):
        target = previous(revision)
        downgrade(engine, target)
        assert current_revision(engine) == (None if target == "base" else target)
        assert schema_objects(engine) == seen[target], f"downgrade {revision} -> {target}"
    assert tables(engine) <= {"alembic_version"}

    for revision in REVISIONS:
        upgrade(engine, revision)
        assert current_revision(engine) == revision
        assert schema_objects(engine) == seen[revision], f"upgrade to {revision}"
    assert schema_diff(engine) == []


def test_downgrade_keeps_no_model_table(engine: Engine) -> None:
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO local_state (key, value) VALUES ('k', 'v')"))
    downgrade(engine, "base")
    assert not (tables(engine) & set(Base.metadata.tables))


# -- backups --------------------------------------------------------------------------------


@pytest.fixture
def opened(data_dir: Path, memory_keyring):
    store = open_store(prepare_data_dir(data_dir))
    key = DatabaseKey(bytes.fromhex(memory_keyring.secrets[(KEYRING_SERVICE, store.info.store_id)]))
    try:
        yield store, key
    finally:
        store.close()


def test_backup_is_a_complete_encrypted_copy(opened) -> None:
    store, key = opened
    with store.session() as session:  # lands in the WAL: the backup must checkpoint it
        session.add(Community(code="AXUG", name="AX user group"))

    copy = copy_database(store.engine, store.paths, "test")

    assert copy.parent == store.paths.backups
    assert copy.name.startswith("chapterdesk-")
    assert copy.name.endswith("-test.db")
    assert copy.read_bytes() == store.paths.database.read_bytes()
    assert not copy.read_bytes().startswith(SQLITE_HEADER)
    assert not list(store.paths.backups.glob("*.partial"))

    restored = make_engine(copy, key)
    try:
        with restored.connect() as conn:
            names = conn.execute(select(Community.name)).scalars().all()
        assert names == ["AX user group"]
        assert current_revision(restored) == HEAD
    finally:
        restored.dispose()

    wrong = make_engine(copy, random_key())
    try:
        with pytest.raises(DatabaseError), wrong.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar()
    finally:
        wrong.dispose()


def test_only_the_newest_backups_are_kept(opened) -> None:
    store, _key = opened
    # Reasons that sort backwards, so that only the time stamp can put the copies in order.
    reasons = [f"z{'z' * (10 - i)}" for i in range(KEEP_BACKUPS + 3)]
    made = [copy_database(store.engine, store.paths, reason) for reason in reasons]
    assert len(set(made)) == len(made), "no copy overwrote another"
    kept = sorted(store.paths.backups.glob("chapterdesk-*.db"))
    assert kept == made[-KEEP_BACKUPS:]


class FrozenDatetime:
    """``datetime.now`` that always answers the same instant."""

    instant = datetime(2026, 5, 1, 12, 0, 0, tzinfo=UTC)

    @classmethod
    def now(cls, tz=None):
        return cls.instant


def test_backups_in_the_same_instant_do_not_overwrite(
    opened, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _key = opened
    monkeypatch.setattr(backup_module, "datetime", FrozenDatetime)
    made = [copy_database(store.engine, store.paths, "same") for _ in range(KEEP_BACKUPS + 2)]
    assert len(set(made)) == len(made)
    kept = sorted(store.paths.backups.glob("chapterdesk-*.db"))
    assert kept == made[-KEEP_BACKUPS:], "name order is creation order"


def test_migrating_an_older_database_backs_it_up_first(
    data_dir: Path, memory_keyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a single revision no real older database exists, so pretend "0000" preceded it
    and replace the migration with a recorder: the backup must exist, holding the old
    revision, before the migration runs."""
    paths = prepare_data_dir(data_dir)
    store = open_store(paths)
    store_id = store.info.store_id
    store.close()
    key = DatabaseKey(bytes.fromhex(memory_keyring.secrets[(KEYRING_SERVICE, store_id)]))
    engine = make_engine(paths.database, key)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    engine.dispose()

    backups_when_migrating: list[Path] = []

    def fake_migrate(engine: Engine) -> None:
        backups_when_migrating.extend(paths.backups.glob("chapterdesk-*.db"))
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": HEAD})

    monkeypatch.setattr(database, "REVISIONS", ("0000", *REVISIONS))
    monkeypatch.setattr(database, "_migrate", fake_migrate)

    store = open_store(paths)
    store.close()

    assert len(backups_when_migrating) == 1
    copy = backups_when_migrating[0]
    assert copy.name.endswith("-before-migrating-from-0000.db")
    old = make_engine(copy, key)
    try:
        assert current_revision(old) == "0000"
    finally:
        old.dispose()
    reopened = make_engine(paths.database, key)
    try:
        assert current_revision(reopened) == HEAD
    finally:
        reopened.dispose()


def test_a_current_database_is_not_backed_up(data_dir: Path) -> None:
    paths = prepare_data_dir(data_dir)
    open_store(paths).close()
    open_store(paths).close()
    assert not paths.backups.exists()
