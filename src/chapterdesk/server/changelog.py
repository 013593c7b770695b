"""The change log: every write to a replicated row on the server appends the fields that
changed, with their stamps, under the chapter's next sequence number — in the writing
transaction (docs/sync.md, "Change log")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from chapterdesk.hlc import HybridLogicalClock
from chapterdesk.server.models import ChangeLogEntry, ChapterCounter, FieldStamps
from chapterdesk.store.models import Synced
from chapterdesk.sync.entities import BY_NAME, FIELDS, chapter_of
from chapterdesk.sync.wire import to_wire

GLOBAL = ""  # the "chapter" of communities and accounts


def next_seqs(session: Session, chapter_id: str, count: int) -> int:
    """Reserve ``count`` numbers in ``chapter_id``'s log; returns the last one. The counter
    row stays locked until the transaction ends."""
    conn = session.connection()
    last = conn.execute(
        update(ChapterCounter)
        .where(ChapterCounter.chapter_id == chapter_id)
        .values(last_seq=ChapterCounter.last_seq + count)
        .returning(ChapterCounter.last_seq)
    ).scalar()
    if last is None:
        conn.execute(insert(ChapterCounter).values(chapter_id=chapter_id, last_seq=0))
        return next_seqs(session, chapter_id, count)
    return int(last)


def log_changes(session: Session, _ctx: Any, _instances: Any) -> None:
    """before_flush: stamp and log every new or changed replicated row.

    Fields pushed by a laptop keep the laptop's (clamped) stamps, handed in through
    ``session.info["stamps"][(entity, id)]``; fields the server itself changes get a fresh
    server stamp."""
    clock: HybridLogicalClock = session.info["clock"]
    given: dict[tuple[str, str], dict[str, str]] = session.info.setdefault("stamps", {})
    mutation_id: str | None = session.info.get("mutation_id")
    owners: dict[tuple[str, str], str] = session.info.get(MUTATION_OF) or {}
    new = session.new
    pending: list[LogEntry] = []
    for obj in (*new, *session.dirty):
        if not isinstance(obj, Synced):
            continue
        entity = str(getattr(obj, "__tablename__", ""))
        if entity not in BY_NAME:
            continue
        if obj in new:
            _fill_defaults(obj)
            changed = list(FIELDS[entity])
        elif session.is_modified(obj):
            state = sa_inspect(obj)
            # Only attributes that were set can have changed (committed_state keeps them).
            touched = state.committed_state
            changed = [
                n for n in FIELDS[entity] if n in touched and state.attrs[n].history.has_changes()
            ]
        else:
            continue
        if not changed:
            continue
        stamps = given.get((entity, obj.id), {})
        fresh = clock.now().encode()
        data = {n: [to_wire(getattr(obj, n)), stamps.get(n, fresh)] for n in changed}
        before = None if obj in new else obj.updated_at
        obj.updated_at = max(stamp for _v, stamp in data.values())
        owner = owners.get((entity, obj.id), mutation_id)
        pending.append((chapter_of(entity, obj), entity, obj.id, data, owner))
        _merge_stamps(session, entity, obj.id, {n: s for n, (_v, s) in data.items()}, before)
    if not pending:
        return
    batch = batch_of(session)
    if batch is not None:
        batch.log.extend(pending)
    else:
        _write_log(session, pending)


LogEntry = tuple[str, str, str, dict[str, list[Any]], str | None]
StampKey = tuple[str, str]  # (entity, id)
_BATCH = "push_batch"
# session.info: which mutation changed each row, when one flush carries a whole push batch.
MUTATION_OF = "mutation_of"


@dataclass
class Batch:
    """A push batch's change-log entries and field stamps, kept in memory and written once at
    its end (:func:`end_batch`): one counter update per chapter, one insert, one stamps write
    per row, instead of several statements per change. ``undo_to`` forgets what a rolled-back
    savepoint had added."""

    log: list[LogEntry] = field(default_factory=list)
    stored: dict[StampKey, dict[str, str] | None] = field(default_factory=dict)
    current: dict[StampKey, dict[str, str] | None] = field(default_factory=dict)
    base: dict[StampKey, dict[str, str]] = field(default_factory=dict)

    def load(self, session: Session, entity: str, ids: list[str]) -> None:
        """Read many rows' stamps in one query."""
        wanted = [i for i in ids if (entity, i) not in self.stored]
        found = dict(
            session.execute(
                select(FieldStamps.entity_id, FieldStamps.stamps).where(
                    FieldStamps.entity == entity, FieldStamps.entity_id.in_(wanted)
                )
            ).all()
        )
        for entity_id in wanted:
            self.stored[(entity, entity_id)] = self.current[(entity, entity_id)] = found.get(
                entity_id
            )

    def stamps(self, session: Session, key: StampKey) -> dict[str, str] | None:
        if key not in self.stored:
            self.load(session, key[0], [key[1]])
        return self.current[key]

    def merge(
        self, session: Session, key: StampKey, stamps: dict[str, str], before: str | None
    ) -> None:
        known = self.stamps(session, key)
        if known is None:
            known = self.base.setdefault(key, _every_field(key[0], before))
        self.current[key] = {**known, **stamps}

    def mark(self) -> int:
        return len(self.log)

    def undo_to(self, mark: int) -> None:
        cut = {(e[1], e[2]) for e in self.log[mark:]}
        del self.log[mark:]
        for key in cut:
            merged = self.stored[key]
            for _c, entity, entity_id, data, _m in self.log:
                if (entity, entity_id) == key:
                    start = merged if merged is not None else self.base.get(key, {})
                    merged = {**start, **{n: st for n, (_v, st) in data.items()}}
            self.current[key] = merged


def begin_batch(session: Session) -> Batch:
    batch = Batch()
    session.info[_BATCH] = batch
    return batch


def batch_of(session: Session) -> Batch | None:
    found: Batch | None = session.info.get(_BATCH)
    return found


def end_batch(session: Session) -> None:
    """Write the batch's log and stamps (before its transaction commits)."""
    batch: Batch | None = session.info.pop(_BATCH, None)
    if batch is None or not batch.log:
        return
    _write_log(session, batch.log)
    conn = session.connection()
    fresh, changed, uniform = [], [], []
    for key in dict.fromkeys((e[1], e[2]) for e in batch.log):
        merged, stored = batch.current[key], batch.stored[key]
        if merged is None:
            continue
        if _uniform(key[0], merged):
            if stored is not None:
                uniform.append({"e": key[0], "i": key[1]})
        elif stored is None:
            fresh.append({"entity": key[0], "entity_id": key[1], "stamps": merged})
        else:
            changed.append({"e": key[0], "i": key[1], "s": merged})
    same_row = (FieldStamps.entity == bindparam("e"), FieldStamps.entity_id == bindparam("i"))
    if fresh:
        conn.execute(insert(FieldStamps), fresh)
    if changed:
        conn.execute(update(FieldStamps).where(*same_row).values(stamps=bindparam("s")), changed)
    if uniform:
        conn.execute(delete(FieldStamps).where(*same_row), uniform)


def _write_log(session: Session, entries: list[LogEntry]) -> None:
    by_chapter: dict[str, int] = {}
    for chapter_id, *_rest in entries:
        by_chapter[chapter_id] = by_chapter.get(chapter_id, 0) + 1
    first: dict[str, int] = {
        chapter: next_seqs(session, chapter, count) - count + 1
        for chapter, count in sorted(by_chapter.items())
    }
    rows = []
    for chapter_id, entity, entity_id, data, mutation_id in entries:
        seq = first[chapter_id]
        first[chapter_id] += 1
        rows.append(
            {
                "chapter_id": chapter_id,
                "seq": seq,
                "entity": entity,
                "entity_id": entity_id,
                "data": data,
                "mutation_id": mutation_id,
            }
        )
    session.connection().execute(insert(ChangeLogEntry), rows)


def _every_field(entity: str, stamp: str | None) -> dict[str, str]:
    """The stamps of a row without a stamps row: every field carries the row's stamp."""
    return dict.fromkeys(FIELDS[entity], stamp) if stamp else {}


def _uniform(entity: str, stamps: dict[str, str]) -> bool:
    """One stamp on every field: the row's own stamp says it all, no stamps row is kept (most
    rows are never edited field by field, and a snapshot then reads no stamps for them)."""
    return len(set(stamps.values())) == 1 and set(FIELDS[entity]) <= stamps.keys()


def _merge_stamps(
    session: Session, entity: str, entity_id: str, stamps: dict[str, str], before: str | None
) -> None:
    """Note the stamps of fields just written; ``before`` is the row's stamp before this
    write (None for a new row)."""
    batch = batch_of(session)
    if batch is not None:
        batch.merge(session, (entity, entity_id), stamps, before)
        return
    conn = session.connection()
    key = (FieldStamps.entity == entity, FieldStamps.entity_id == entity_id)
    current = conn.execute(select(FieldStamps.stamps).where(*key)).scalar()
    merged = {**(current if current is not None else _every_field(entity, before)), **stamps}
    if _uniform(entity, merged):
        if current is not None:
            conn.execute(delete(FieldStamps).where(*key))
    elif current is None:
        conn.execute(insert(FieldStamps).values(entity=entity, entity_id=entity_id, stamps=merged))
    else:
        conn.execute(update(FieldStamps).where(*key).values(stamps=merged))


def stamps_of(
    session: Session, entity: str, entity_id: str, row_stamp: str | None
) -> dict[str, str]:
    """Each field's stamp; a row without a stamps row has its own stamp on every field."""
    batch = batch_of(session)
    if batch is not None:
        found = batch.stamps(session, (entity, entity_id))
    else:
        found = session.execute(
            select(FieldStamps.stamps).where(
                FieldStamps.entity == entity, FieldStamps.entity_id == entity_id
            )
        ).scalar()
    return dict(found) if found is not None else _every_field(entity, row_stamp)


def _fill_defaults(obj: Synced) -> None:
    for column in sa_inspect(type(obj)).columns:
        default = column.default
        if default is None or getattr(obj, column.key, None) is not None:
            continue
        if default.is_scalar:
            setattr(obj, column.key, default.arg)
        elif default.is_callable:
            setattr(obj, column.key, default.arg(None))


def adopt_existing(session: Session, batch: int = 5000) -> int:
    """Log rows written without the ORM (the demo's bulk insert): one entry per row, in
    dependency order, each field stamped with the row's ``updated_at`` (or now)."""
    clock: HybridLogicalClock = session.info["clock"]
    conn = session.connection()
    logged = 0
    for entity, model in BY_NAME.items():
        fields = FIELDS[entity]
        offset = 0
        while True:
            objs = session.scalars(
                select(model).order_by(model.id).limit(batch).offset(offset)  # type: ignore[attr-defined]
            ).all()
            if not objs:
                break
            offset += len(objs)
            entries: dict[str, list[tuple[str, dict[str, list[Any]]]]] = {}
            stamp_rows = []
            for obj in objs:
                row_id: str = obj.id  # type: ignore[attr-defined]
                own = getattr(obj, "updated_at", "")
                stamp = own or clock.now().encode()
                data = {n: [to_wire(getattr(obj, n)), stamp] for n in fields}
                entries.setdefault(chapter_of(entity, obj), []).append((row_id, data))
                if not own:  # every field stamped alike: the row's stamp says so, if it has one
                    stamp_rows.append(
                        {
                            "entity": entity,
                            "entity_id": row_id,
                            "stamps": dict.fromkeys(fields, stamp),
                        }
                    )
            for chapter_id, items in entries.items():
                last = next_seqs(session, chapter_id, len(items))
                start = last - len(items) + 1
                conn.execute(
                    insert(ChangeLogEntry),
                    [
                        {
                            "chapter_id": chapter_id,
                            "seq": start + i,
                            "entity": entity,
                            "entity_id": entity_id,
                            "data": data,
                            "mutation_id": None,
                        }
                        for i, (entity_id, data) in enumerate(items)
                    ],
                )
            if stamp_rows:
                conn.execute(insert(FieldStamps), stamp_rows)
            logged += len(objs)
            session.expunge_all()
    return logged


def log_bounds(session: Session, chapter_id: str) -> tuple[int, int]:
    """(last seq, pruned-through seq) of a chapter's log."""
    row = session.execute(
        select(ChapterCounter.last_seq, ChapterCounter.pruned_through).where(
            ChapterCounter.chapter_id == chapter_id
        )
    ).first()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def prune(session: Session, chapter_id: str, through_seq: int) -> int:
    """Drop log entries up to ``through_seq``; a laptop whose cursor is older re-syncs (410)."""
    result = session.execute(
        delete(ChangeLogEntry).where(
            ChangeLogEntry.chapter_id == chapter_id, ChangeLogEntry.seq <= through_seq
        )
    )
    session.execute(
        update(ChapterCounter)
        .where(ChapterCounter.chapter_id == chapter_id)
        .values(pruned_through=func.max(ChapterCounter.pruned_through, through_seq))
        if session.bind is not None and session.bind.dialect.name == "sqlite"
        else update(ChapterCounter)
        .where(ChapterCounter.chapter_id == chapter_id)
        .values(pruned_through=func.greatest(ChapterCounter.pruned_through, through_seq))
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
