"""Open (create, unlock, migrate) the local store.

Order matters for "nothing is lost or half-written": the folder is proven writable, the key is
proven to open the file, the schema version is read, a backup is copied, and only then does
anything write to the database.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine, event, func, select, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, sessionmaker

from chapterdesk import __version__
from chapterdesk.hlc import HybridLogicalClock, Timestamp
from chapterdesk.i18n import _
from chapterdesk.paths import DataPaths
from chapterdesk.store import backup
from chapterdesk.store.errors import (
    KeyMissing,
    KeyringUnavailable,
    NewerSchema,
    StoreError,
    UnreadableDatabase,
    WrongKey,
)
from chapterdesk.store.keys import (
    DatabaseKey,
    KeyringKeys,
    key_from_passphrase,
    new_salt,
    random_key,
)
from chapterdesk.store.migrations import HEAD, REVISIONS
from chapterdesk.store.models import LocalState, OutboxEntry, Synced
from chapterdesk.sync.entities import DETACHED, FIELDS, LOCAL_ONLY, chapter_of
from chapterdesk.sync.wire import to_wire

log = logging.getLogger(__name__)

KeyMode = Literal["keyring", "passphrase", "none"]
SQLITE_HEADER = b"SQLite format 3\x00"
QUIET_CIPHER_LOG = "PRAGMA cipher_log_level = NONE"

PassphrasePrompt = Callable[[bool], "str | None"]
"""Asked for a passphrase; the flag says whether a new database is being created.
Returns ``None`` when the user cancels."""


@dataclass(frozen=True)
class StoreInfo:
    """The non-secret facts kept beside the database in ``store.json``."""

    store_id: str
    key_mode: KeyMode
    salt: str | None = None
    created_by_version: str = __version__

    @classmethod
    def load(cls, path: Path) -> StoreInfo:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            mode = raw["key_mode"]
            if mode not in ("keyring", "passphrase", "none"):
                raise ValueError(mode)
            salt = raw.get("salt")
            if mode == "passphrase":
                if not isinstance(salt, str) or not salt:
                    raise ValueError("no salt for the passphrase")
                bytes.fromhex(salt)  # ValueError if it is not hex
            return cls(str(raw["store_id"]), mode, salt, str(raw.get("created_by_version", "")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise UnreadableDatabase(
                _(
                    "{file} is damaged ({error}). Restore it from a backup of this folder or "
                    "start with another --data-dir. Nothing has been changed."
                ).format(file=path, error=exc)
            ) from exc

    def save(self, path: Path) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        os.replace(tmp, path)


class Store:
    """An open, unlocked, migrated database and the things every session needs."""

    def __init__(
        self, paths: DataPaths, info: StoreInfo, engine: Engine, keyring_backend: str
    ) -> None:
        self.paths = paths
        self.info = info
        self.engine = engine
        self.keyring_backend = keyring_backend
        self.device_id, high = _load_local_state(engine)
        self.clock = HybridLogicalClock(self.device_id)
        if high:
            self.clock.observe(Timestamp.decode(high))
        self.sessions = sessionmaker(engine, expire_on_commit=False, info={"clock": self.clock})
        event.listen(self.sessions, "before_flush", _stamp_changes)

    @property
    def encrypted(self) -> bool:
        return self.info.key_mode != "none"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on error, always closed."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()


def _stamp_changes(session: Session, _ctx: Any, _instances: Any) -> None:
    """Give every new or changed replicated row a fresh HLC ``updated_at`` and queue the
    changed fields, each with that stamp, in the outbox — in the same transaction, so no local
    change can miss the server (docs/sync.md). The highest stamp is remembered too, so a
    restart with a clock set back still stamps later than everything already written.

    Rows applied from the server (``session.info["applying_remote"]``) keep the server's
    stamps and are not sent back."""
    if session.info.get(APPLYING_REMOTE):
        return
    clock: HybridLogicalClock = session.info["clock"]
    last: str | None = None
    new = session.new  # built once: it is a fresh set on every access
    queued: list[tuple[str, str, str, dict[str, Any]]] = []
    edited = [o.id for o in session.dirty if isinstance(o, Synced)]
    unsent = _unsent_bases(session, edited) if edited else {}
    for obj in (*new, *session.dirty):
        if not isinstance(obj, Synced):
            continue
        entity = str(getattr(obj, "__tablename__", ""))
        fields = FIELDS.get(entity, ())
        if obj in new:
            _fill_defaults(obj)
            changed = list(fields)
        elif session.is_modified(obj):
            state = sa_inspect(obj)
            changed = [name for name in fields if state.attrs[name].history.has_changes()]
        else:
            continue
        # What this edit was made on: the row as the server last sent it — the base of an
        # earlier edit still waiting to go out, else the row's stamp.
        base = "" if obj in new else unsent.get(obj.id, obj.updated_at or "")
        obj.updated_at = last = clock.now().encode()
        if changed and entity not in LOCAL_ONLY:
            detached = DETACHED.get(entity, frozenset())
            # [value, stamp] for a new row; [value, stamp, base] for an edit, so the server
            # can tell an edit made without seeing another laptop's change (a conflict).
            patch = {
                name: [to_wire(getattr(obj, name)), last, *([base] if base else [])]
                for name in changed
                if name not in detached
            }
            queued.append((chapter_of(entity, obj), entity, obj.id, patch))
    if last is not None:
        session.merge(LocalState(key=HLC_HIGH, value=last))
    if queued:
        seq = session.scalar(select(func.max(OutboxEntry.device_seq))) or 0
        for chapter_id, entity, entity_id, patch in queued:
            seq += 1
            session.add(
                OutboxEntry(
                    device_seq=seq,
                    chapter_id=chapter_id,
                    entity=entity,
                    entity_id=entity_id,
                    patch=patch,
                )
            )


def _unsent_bases(session: Session, ids: list[str]) -> dict[str, str]:
    """For rows with edits not yet sent: the base those edits were made on ("" for a row
    the server has not seen yet)."""
    bases: dict[str, str] = {}
    with session.no_autoflush:
        rows = session.execute(
            select(OutboxEntry.entity_id, OutboxEntry.patch)
            .where(OutboxEntry.sent_at.is_(None), OutboxEntry.entity_id.in_(ids))
            .order_by(OutboxEntry.device_seq)
        ).all()
    for entity_id, patch in rows:
        if entity_id in bases:
            continue
        first = next(iter(patch.values()), None)
        bases[entity_id] = first[2] if first is not None and len(first) == 3 else ""
    return bases


def _fill_defaults(obj: Synced) -> None:
    """Column defaults are applied by the INSERT, after this hook: apply them now so the
    outbox carries the row as it will be stored."""
    for column in sa_inspect(type(obj)).columns:
        default = column.default
        key = column.key
        if default is None or getattr(obj, key, None) is not None:
            continue
        if default.is_scalar:
            setattr(obj, key, default.arg)
        elif default.is_callable:
            setattr(obj, key, default.arg(None))


APPLYING_REMOTE = "applying_remote"
DEVICE_ID = "device_id"
HLC_HIGH = "hlc_high"


def _load_local_state(engine: Engine) -> tuple[str, str | None]:
    """This laptop's device id (made on first open) and the highest HLC stamp it issued."""
    with Session(engine) as session, session.begin():
        device = session.get(LocalState, DEVICE_ID)
        if device is None:
            device = LocalState(key=DEVICE_ID, value=uuid.uuid4().hex)
            session.add(device)
        high = session.get(LocalState, HLC_HIGH)
        return device.value, (high.value if high else None)


def make_engine(db_path: Path, key: DatabaseKey | None) -> Engine:
    """An engine whose every connection is keyed before any other statement runs."""

    def connect() -> sqlcipher.Connection:
        conn = sqlcipher.connect(str(db_path), check_same_thread=False, timeout=15)
        conn.execute(QUIET_CIPHER_LOG)
        if key is not None:
            conn.execute(key.pragma())
        return conn

    # hide_parameters: an error message (and so the log) never carries a row's values — a
    # failed insert would otherwise print the person's email with the SQL (ROS-1).
    engine = create_engine(
        f"sqlite:///{db_path}", creator=connect, module=sqlcipher, hide_parameters=True
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (see below)
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA cache_size = -32768")  # 32 MB: a first sync, a 100k roster
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def _probe(db_path: Path, key: DatabaseKey | None, mode: KeyMode) -> str | None:
    """Prove the key opens the file and return its schema revision, without writing."""
    if not db_path.exists():
        return None
    with db_path.open("rb") as fh:
        header = fh.read(16)
    if mode != "none" and header == SQLITE_HEADER:
        raise UnreadableDatabase(
            _(
                "{file} is not encrypted, but store.json says it should be. Someone may have "
                "replaced it. Nothing has been changed; restore the right file or choose another "
                "--data-dir."
            ).format(file=db_path)
        )
    try:
        # mode=rw never creates the file. Not mode=ro: a read-only handle on a WAL database
        # leaves -wal/-shm files behind, while a read-write one removes them when it closes.
        # Only SELECTs run here, so nothing is written either way.
        conn = sqlcipher.connect(f"file:{db_path}?mode=rw", uri=True)
    except sqlcipher.Error as exc:
        raise UnreadableDatabase(
            _("ChapterDesk cannot open {file}: {error}. Nothing has been changed.").format(
                file=db_path, error=exc
            )
        ) from exc
    try:
        conn.execute(QUIET_CIPHER_LOG)  # a wrong key is our message to give, not stderr noise
        if key is not None:
            conn.execute(key.pragma())
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        has_version = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if not has_version:
            tables = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            ).fetchone()[0]
            if tables:
                raise UnreadableDatabase(
                    _(
                        "{file} holds tables but no ChapterDesk schema version, so it is not a "
                        "ChapterDesk database (or a damaged one). Nothing has been changed; "
                        "choose another --data-dir."
                    ).format(file=db_path)
                )
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    except sqlcipher.DatabaseError as exc:
        if mode == "passphrase":
            raise WrongKey(
                _(
                    "The passphrase does not open {file}. Check it and try again; nothing has "
                    "been changed."
                ).format(file=db_path)
            ) from exc
        if mode == "keyring":
            raise WrongKey(
                _(
                    "The key in the system keyring does not open {file}: the file is damaged or "
                    "belongs to another computer's keyring. Nothing has been changed. Restore "
                    "the file from a backup (copies made before upgrades are in {backups}), "
                    "or start over with another --data-dir and sync "
                    "from the server."
                ).format(file=db_path, backups=db_path.parent / "backups")
            ) from exc
        raise UnreadableDatabase(
            _(
                "{file} is not a readable ChapterDesk database ({error}). Nothing has been changed."
            ).format(file=db_path, error=exc)
        ) from exc
    finally:
        conn.close()


def _resolve_key(
    paths: DataPaths,
    info: StoreInfo,
    keys: KeyringKeys,
    ask_passphrase: PassphrasePrompt | None,
    creating: bool,
) -> DatabaseKey | None:
    if info.key_mode == "none":
        return None
    if info.key_mode == "keyring":
        if creating:
            key = random_key()
            keys.put(info.store_id, key)
            return key
        found = keys.get(info.store_id)
        if found is None:
            raise KeyMissing(
                _(
                    "The key of the database in {folder} is not in this computer's keyring "
                    "({backend}). Without it the data cannot be read. If the folder was copied "
                    "from another computer, open it there; otherwise start with another "
                    "--data-dir and sync from the server. Nothing has been changed."
                ).format(folder=paths.root, backend=keys.status.backend)
            )
        return found
    if ask_passphrase is None:
        raise KeyringUnavailable(
            _(
                "The database in {folder} is protected by a passphrase; start ChapterDesk "
                "with its window to enter it."
            ).format(folder=paths.root)
        )
    passphrase = ask_passphrase(creating)
    if not passphrase:
        raise StoreError(_("No passphrase given: the database stays locked."))
    assert info.salt is not None
    return key_from_passphrase(passphrase, info.salt)


def _choose_mode(
    keys: KeyringKeys, ask_passphrase: PassphrasePrompt | None, allow_plaintext: bool
) -> KeyMode:
    if keys.status.usable:
        return "keyring"
    if ask_passphrase is not None:
        return "passphrase"
    if allow_plaintext:
        return "none"
    keys.get("")  # raises KeyringUnavailable with the reason
    raise AssertionError("unreachable")


def open_store(
    paths: DataPaths,
    *,
    keys: KeyringKeys | None = None,
    ask_passphrase: PassphrasePrompt | None = None,
    allow_plaintext: bool = False,
    key_mode: KeyMode | None = None,
) -> Store:
    """Open the store in ``paths``, creating and migrating it as needed.

    ``allow_plaintext`` is for throw-away demo data only: when no keyring is usable the demo
    runs unencrypted instead of asking for a passphrase. ``key_mode`` is how a new store keeps
    its key when the person chose (the first-run assistant); otherwise the keyring when it is
    usable, else a passphrase.
    """
    keys = keys or KeyringKeys()
    creating = not paths.store_info.exists()
    if creating:
        if paths.database.exists():
            raise UnreadableDatabase(
                _(
                    "{file} exists but {info} is missing, so ChapterDesk cannot tell how it is "
                    "protected. Restore store.json from a backup or move the database away. "
                    "Nothing has been changed."
                ).format(file=paths.database, info=paths.store_info)
            )
        mode = key_mode or _choose_mode(keys, ask_passphrase, allow_plaintext)
        info = StoreInfo(uuid.uuid4().hex, mode, new_salt() if mode == "passphrase" else None)
    else:
        info = StoreInfo.load(paths.store_info)

    key = _resolve_key(paths, info, keys, ask_passphrase, creating)
    revision = _probe(paths.database, key, info.key_mode)
    if revision is not None and revision not in REVISIONS:
        raise NewerSchema(
            _(
                "{file} was written by a newer version of ChapterDesk (schema {rev}); this is "
                "version {version}. Install the newer ChapterDesk to open it. Nothing has been "
                "changed."
            ).format(file=paths.database, rev=revision, version=__version__)
        )
    if creating:
        info.save(paths.store_info)

    engine = make_engine(paths.database, key)
    try:
        if revision != HEAD:
            if revision is not None:
                backup.copy_database(engine, paths, f"before-migrating-from-{revision}")
            _migrate(engine)
        backend = keys.backend if info.key_mode == "keyring" else ""
        return Store(paths, info, engine, backend)
    except BaseException:
        engine.dispose()
        raise


def _migrate(engine: Engine) -> None:
    from chapterdesk.store import migrate  # Alembic is slow to import: only when needed

    with engine.begin() as conn:
        migrate.upgrade(conn)
    log.info("database migrated to %s", HEAD)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return conn.execute(
            select(text("version_num")).select_from(text("alembic_version"))
        ).scalar_one_or_none()


def forget_store(paths: DataPaths, keys: KeyringKeys | None = None) -> None:
    """Delete a store's key from the keyring (for throw-away demo folders)."""
    if paths.store_info.exists():
        info = StoreInfo.load(paths.store_info)
        (keys or KeyringKeys()).delete(info.store_id)
