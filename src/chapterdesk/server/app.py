"""The HTTP API (FastAPI). Every route under /v1 checks the protocol version and the token."""

import base64
import binascii
import dataclasses
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import and_, case, insert, literal, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from chapterdesk import __version__
from chapterdesk.domain.enums import Role
from chapterdesk.server import PROTOCOL_VERSION
from chapterdesk.server.apply import DEFER_FLUSH, Rejected, apply_mutation, fingerprint
from chapterdesk.server.auth import Caller, Revoked, caller_for_token, check_password, issue_token
from chapterdesk.server.changelog import (
    GLOBAL,
    MUTATION_OF,
    Batch,
    begin_batch,
    end_batch,
    log_bounds,
)
from chapterdesk.server.db import Database
from chapterdesk.server.models import ChangeLogEntry, Device, FieldStamps, ProcessedMutation
from chapterdesk.store.models import Chapter
from chapterdesk.store.types import utc_now
from chapterdesk.sync.entities import BY_NAME, FIELDS, ORDER, RECEIVES, SELF_REFS, visible_fields
from chapterdesk.sync.wire import encoder

PROTOCOL_HEADER = "X-ChapterDesk-Protocol"
MAX_PAGE = 5000


class SignIn(BaseModel):
    login: str
    password: str
    device_name: str = Field(default="laptop", max_length=200)


class Mutation(BaseModel):
    mutation_id: str = Field(max_length=64)
    device_seq: int = 0
    chapter_id: str = ""
    entity: str
    id: str
    patch: dict[str, Any]


class Push(BaseModel):
    mutations: list[Mutation] = Field(max_length=1000)


class Problem(Exception):
    def __init__(self, status: int, error: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.body = status, {"error": error, "message": message, **extra}


def create_app(db: Database) -> FastAPI:
    app = FastAPI(title="ChapterDesk chapter server", version=__version__)
    app.state.db = db

    @app.exception_handler(Problem)
    async def _problem(_request: Request, exc: Problem) -> JSONResponse:
        return JSONResponse(exc.body, status_code=exc.status)

    def session() -> Iterator[Session]:
        with db.session() as s:
            yield s

    def writing() -> AbstractContextManager[Session]:
        # An endpoint that writes takes SQLite's write lock up front: upgrading a read
        # transaction fails under concurrency ("database is locked").
        return db.session(write=True)

    # Commit before the answer is sent: the laptop's next request must see this one's writes.
    db_session = Depends(session, scope="function")

    def protocol(
        version: Annotated[int | None, Header(alias=PROTOCOL_HEADER)] = None,
    ) -> None:
        if version != PROTOCOL_VERSION:
            older = version is None or version < PROTOCOL_VERSION
            raise Problem(
                426,
                "protocol_mismatch",
                "This ChapterDesk is older than the chapter server: install the new version "
                "to sync. Your changes are kept on the laptop until then."
                if older
                else "The chapter server is older than this ChapterDesk: ask its "
                "administrator to upgrade it. Your changes are kept on the laptop until then.",
                server_protocol=PROTOCOL_VERSION,
            )

    def caller(authorization: Annotated[str | None, Header()] = None) -> Caller:
        # A session of its own, closed before the endpoint runs: a connection held from one
        # worker thread to the next can starve the pool (every thread waiting for a
        # connection, every connection waiting for a thread).
        token = (authorization or "").removeprefix("Bearer ").strip()
        try:
            with db.session() as s:
                found = caller_for_token(s, token) if token else None
        except Revoked as revoked:
            raise Problem(
                401,
                "device_revoked",
                "This laptop's access was revoked: its chapter data has been removed.",
                chapters=revoked.chapters,
            ) from None
        if found is None:
            raise Problem(401, "unauthorised", "Sign in again on the Sync page.")
        return found

    versioned = Depends(protocol)

    @app.get("/v1/health")
    def health() -> dict[str, Any]:
        return {"ok": True, "protocol_version": PROTOCOL_VERSION, "version": __version__}

    @app.post("/v1/devices", dependencies=[versioned])
    def sign_in(body: SignIn) -> dict[str, Any]:
        # The (deliberately slow) password check reads only; the device is then written in a
        # write transaction of its own, so concurrent sign-ins on SQLite queue for the lock
        # instead of failing to upgrade a read transaction ("database is locked").
        with db.session() as s:
            account = check_password(s, body.login, body.password)
        if account is None:
            raise Problem(401, "sign_in_refused", "Wrong email or password.")
        with db.session(write=True) as w:
            device, token = issue_token(w, account, body.device_name)
            me = caller_for_token(w, token)
            assert me is not None
            device.chapters = sorted(me.roles)  # what a revocation tells the laptop to wipe
            answer = {"token": token, **_me(w, me)}
        return answer  # committed: the token works before the answer reaches the laptop

    @app.get("/v1/me", dependencies=[versioned])
    def me(
        who: Annotated[Caller, Depends(caller)], s: Annotated[Session, db_session]
    ) -> dict[str, Any]:
        return _me(s, who)

    @app.get("/v1/changes", dependencies=[versioned])
    def changes(
        who: Annotated[Caller, Depends(caller)],
        s: Annotated[Session, db_session],
        chapter: str,
        since: int = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1000,
    ) -> dict[str, Any]:
        role = _role(who, chapter)
        last, pruned = log_bounds(s, chapter)
        if since < pruned:
            raise Problem(
                410,
                "cursor_expired",
                "The laptop was offline longer than the server keeps changes; it re-syncs.",
                min_retained_seq=pruned + 1,
            )
        rows = s.scalars(
            select(ChangeLogEntry)
            .where(ChangeLogEntry.chapter_id == chapter, ChangeLogEntry.seq > since)
            .order_by(ChangeLogEntry.seq)
            .limit(limit)
        ).all()
        out = []
        for row in rows:
            data = _visible(row.entity, role, row.data)
            if data:
                out.append(
                    {"seq": row.seq, "entity": row.entity, "id": row.entity_id, "data": data}
                )
        s.commit()
        cursor = rows[-1].seq if rows else max(since, 0)
        return {
            "changes": out,
            "next_cursor": cursor,
            "has_more": len(rows) == limit,
            "min_retained_seq": pruned + 1,
            "last_seq": last,
        }

    @app.get("/v1/snapshot", dependencies=[versioned])
    def snapshot(
        who: Annotated[Caller, Depends(caller)],
        s: Annotated[Session, db_session],
        chapter: str,
        entity: str,
        after: str = "",
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 2000,
    ) -> dict[str, Any]:
        """Up to ``limit`` current rows of the chapter, from ``entity`` after ``after`` on and
        through the entities that follow it in FK order: a chapter's small tables come in one
        request instead of one each. Entities the role does not receive are skipped."""
        role = _role(who, chapter)
        last, _pruned = log_bounds(s, chapter)
        if entity not in BY_NAME:
            raise Problem(404, "unknown_entity", f"No entity {entity!r}.")
        chunks: list[dict[str, Any]] = []
        left = limit
        following = ORDER[ORDER.index(entity) :]
        for name in following:
            if name not in RECEIVES[role]:
                after = ""
                continue
            columns, rows, tail = _snapshot_rows(s, role, chapter, name, after, left)
            if rows:
                chunks.append({"entity": name, "columns": columns, "rows": rows})
            left -= len(rows)
            if left == 0:  # full: the next request goes on from this row
                s.commit()
                return {
                    "entities": chunks,
                    "has_more": True,
                    "next_entity": name,
                    "next_after": tail,
                    "as_of": last,
                }
            after = ""
        s.commit()
        return {"entities": chunks, "has_more": False, "as_of": last}

    @app.post("/v1/mutations", dependencies=[versioned])
    def push(body: Push, who: Annotated[Caller, Depends(caller)]) -> dict[str, Any]:
        return {"results": _push_batch(db, who, [m.model_dump() for m in body.mutations])}

    # ------------------------------------------------------------------ members & partners
    from chapterdesk.server.self_service import routes

    routes(app, session, writing, caller, versioned)
    return app


def _snapshot_rows(
    s: Session, role: Role, chapter: str, entity: str, after: str, limit: int
) -> tuple[list[str], list[list[Any]], str]:
    """One entity's rows after ``after``, in the order the laptop inserts them (rows naming a
    row of their own table last): the column names, the rows, and the place reached.

    A row is a list: id, the row's stamp, the stamps of fields whose own stamp differs (an
    edited field; null for most rows), then the values in column order."""
    model: Any = BY_NAME[entity]
    visible = visible_fields(entity, role)
    names = [n for n in FIELDS[entity] if n in visible]
    ref = SELF_REFS.get(entity)
    tier = case((getattr(model, ref).is_(None), 0), else_=1) if ref else literal(0)
    # Columns, not objects: a snapshot moves every row of a chapter.
    # Field stamps come with the row (most rows have none: every field has the row's).
    query = select(
        model.id,
        model.updated_at,
        tier,
        FieldStamps.stamps,
        *(getattr(model, n) for n in names),
    ).outerjoin(FieldStamps, and_(FieldStamps.entity == entity, FieldStamps.entity_id == model.id))
    if entity == "chapters":
        query = query.where(model.id == chapter)
    elif entity != "communities":
        query = query.where(model.chapter_id == chapter)
    after_tier, _sep, after_id = after.partition("|") if after else ("0", "", "")
    start = int(after_tier) if after_tier.isdigit() else 0
    page = (
        query.where(or_(tier > start, and_(tier == start, model.id > after_id))).order_by(
            tier, model.id
        )
        if ref
        else query.where(model.id > after_id).order_by(model.id)  # the (chapter, id) index
    )
    # Core, not the ORM's result machinery: plain tuples are all a snapshot needs.
    found = s.connection().execute(page.limit(limit)).all()
    encode = [(i, encoder(model, n)) for i, n in enumerate(names, start=4)]
    rows = []
    for r in found:
        own = r[3]
        differ = {n: st for n, st in own.items() if st != r[1] and n in visible} if own else None
        rows.append(
            [r[0], r[1], differ or None, *[r[i] if e is None else e(r[i]) for i, e in encode]]
        )
    tail = found[-1] if found else None
    return names, rows, f"{tail[2]}|{tail[0]}" if tail else after


def _me(s: Session, who: Caller) -> dict[str, Any]:
    names = dict(s.execute(select(Chapter.id, Chapter.name)).all())
    return {
        "account": {
            "id": who.account_id,
            "login": who.login,
            "display_name": who.display_name,
            # a grant for every chapter (the laptop's first start asks: a leader's laptop)
            "everywhere": who.everywhere.value if who.everywhere else None,
        },
        "device": {"id": who.device.id, "name": who.device.name} if who.device else None,
        "chapters": [
            {"id": c, "name": names.get(c, ""), "role": r.value}
            for c, r in sorted(who.roles.items())
        ],
        "protocol_version": PROTOCOL_VERSION,
    }


def _role(who: Caller, chapter: str) -> Role:
    if chapter == GLOBAL:  # communities only: every signed-in device needs the group names
        return Role.PARTNER if who.roles else _no_scope(chapter)
    role = who.role_in(chapter)
    if role is None:
        raise Problem(
            403,
            "scope_revoked",
            "This account no longer works in that chapter; its data is removed from the laptop.",
            chapter=chapter,
        )
    return role


def _no_scope(chapter: str) -> Role:
    raise Problem(403, "scope_revoked", "This account works in no chapter.", chapter=chapter)


def _visible(entity: str, role: Role, data: dict[str, Any]) -> dict[str, Any]:
    if entity not in RECEIVES[role]:
        return {}
    fields = visible_fields(entity, role)
    return {k: v for k, v in data.items() if k in fields}


def _push_batch(db: Database, who: Caller, mutations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A push in one transaction, its stored answers committed with it: a retry replays the
    answer and one refusal never blocks the rest (docs/sync.md).

    First all at once: the changes are applied with one flush at the end (the ORM sends the
    UPDATEs together). If any change is refused, or the database refuses the flush, or one
    row is changed twice in the batch, the batch is rolled back and done change by change, each
    in a savepoint of its own, so a refusal undoes only its own writes."""
    keys = [(m.get("entity"), m.get("id")) for m in mutations]
    if len(set(keys)) == len(keys):
        try:
            return _run_batch(db, who, mutations, careful=False)
        except _OneByOne:
            pass
    return _run_batch(db, who, mutations, careful=True)


class _OneByOne(Exception):
    """The all-at-once attempt met a refusal: nothing of it is kept."""


def _run_batch(
    db: Database, who: Caller, mutations: list[dict[str, Any]], *, careful: bool
) -> list[dict[str, Any]]:
    try:
        with db.session(write=True) as s:
            caller = caller_for_token_again(s, who)
            batch = begin_batch(s)
            held, done = _prefetch(s, batch, mutations)
            answers: list[ProcessedMutation] = []
            if careful:
                results = [_push_one(s, batch, caller, m, done, answers) for m in mutations]
            else:
                results = _push_all(s, caller, mutations, done, answers)
            end_batch(s)  # seq numbers taken last: the counter row is locked briefly
            # The answers in one insert. The same id committed meanwhile by a concurrent push
            # (PostgreSQL) fails it: then nothing of this batch is written and it is retried.
            if answers:
                s.execute(
                    insert(ProcessedMutation),
                    [
                        {
                            "mutation_id": a.mutation_id,
                            "fingerprint": a.fingerprint,
                            "result": a.result,
                        }
                        for a in answers
                    ],
                )
            del held
            return results
    except (OperationalError, IntegrityError):  # busy, or a concurrent duplicate: nothing written
        return [
            {
                "mutation_id": m["mutation_id"],
                "status": "in_flight",
                "code": 409,
                "message": "The server was busy with the same changes; they are retried.",
            }
            for m in mutations
        ]


def _push_all(
    s: Session,
    caller: Caller,
    mutations: list[dict[str, Any]],
    done: dict[str, ProcessedMutation],
    answers: list[ProcessedMutation],
) -> list[dict[str, Any]]:
    """Every change of the batch with no savepoints and one flush; ``_OneByOne`` at the first
    refusal (the caller's transaction is then rolled back)."""
    s.info[DEFER_FLUSH] = True
    owners: dict[tuple[str, str], str] = s.info.setdefault(MUTATION_OF, {})
    results = []
    try:
        for mutation in mutations:
            mutation_id = mutation["mutation_id"]
            print_ = fingerprint(mutation)
            if mutation_id in done:
                results.append(_replayed(done[mutation_id], print_))
                continue
            owners[(str(mutation.get("entity")), str(mutation.get("id")))] = mutation_id
            s.info["mutation_id"] = mutation_id  # rows the server changes as a consequence
            result = apply_mutation(s, caller, mutation).as_result(mutation_id)
            answer = ProcessedMutation(mutation_id=mutation_id, fingerprint=print_, result=result)
            answers.append(answer)
            done[mutation_id] = answer
            results.append(result)
        s.flush()
    except (Rejected, IntegrityError) as exc:
        raise _OneByOne from exc
    finally:
        s.info[DEFER_FLUSH] = False
    return results


def _prefetch(
    s: Session, batch: Batch, mutations: list[dict[str, Any]]
) -> tuple[list[Any], dict[str, ProcessedMutation]]:
    """Read what a batch touches in a few queries instead of several per change: the rows
    (kept in the session, so ``Session.get`` finds them), their field stamps, and the answers
    already stored for these mutation ids."""
    ids: dict[str, list[str]] = {}
    for m in mutations:
        entity, entity_id = str(m.get("entity", "")), str(m.get("id", ""))
        if entity in BY_NAME and entity_id:
            ids.setdefault(entity, []).append(entity_id)
    held: list[Any] = []
    for entity, wanted in ids.items():
        model: Any = BY_NAME[entity]
        unique = list(dict.fromkeys(wanted))
        held.extend(s.scalars(select(model).where(model.id.in_(unique))))
        batch.load(s, entity, unique)
    done = {
        p.mutation_id: p
        for p in s.scalars(
            select(ProcessedMutation).where(
                ProcessedMutation.mutation_id.in_([m["mutation_id"] for m in mutations])
            )
        )
    }
    return held, done


def _push_one(
    s: Session,
    batch: Batch,
    caller: Caller,
    mutation: dict[str, Any],
    done: dict[str, ProcessedMutation],
    answers: list[ProcessedMutation],
) -> dict[str, Any]:
    mutation_id = mutation["mutation_id"]
    print_ = fingerprint(mutation)
    s.info["mutation_id"] = mutation_id
    if mutation_id in done:
        return _replayed(done[mutation_id], print_)
    mark = batch.mark()
    try:
        with s.begin_nested():  # a refusal rolls back this change only
            result = apply_mutation(s, caller, mutation).as_result(mutation_id)
    except Rejected as refusal:
        batch.undo_to(mark)  # the refused change's log entries and stamps
        result = _refused(mutation_id, refusal)
    except IntegrityError as exc:  # e.g. an edit naming a row the server does not have
        batch.undo_to(mark)
        result = _refused(
            mutation_id,
            Rejected(
                "SYNC",
                f"The server could not store this change: {type(exc.orig).__name__}.",
                "Sync again after the rows it depends on; if it persists, tell the server's "
                "administrator.",
            ),
        )
    answer = ProcessedMutation(mutation_id=mutation_id, fingerprint=print_, result=result)
    answers.append(answer)
    done[mutation_id] = answer  # the same id again in this batch replays
    return result


def _refused(mutation_id: str, refusal: Rejected) -> dict[str, Any]:
    return {
        "mutation_id": mutation_id,
        "status": "rejected",
        "rule_id": refusal.rule_id,
        "message": refusal.message,
        "fix": refusal.fix,
    }


def _replayed(done: ProcessedMutation, print_: str) -> dict[str, Any]:
    if done.fingerprint != print_:
        return {
            "mutation_id": done.mutation_id,
            "status": "invalid",
            "code": 422,
            "message": "This change id was already used for a different change.",
        }
    return {**done.result, "replayed": True}


def caller_for_token_again(s: Session, who: Caller) -> Caller:
    """The caller bound to this transaction's session (the device row is re-read here); a
    copy, so a transaction rolled back leaves ``who`` usable for the next one."""
    if who.device is not None:
        device = s.get(Device, who.device.id)
        if device is not None:
            device.last_seen = utc_now()
            return dataclasses.replace(who, device=device)
    return who


def decode_b64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise HTTPException(422, "content is not base64") from exc


__all__ = ["ORDER", "create_app"]
