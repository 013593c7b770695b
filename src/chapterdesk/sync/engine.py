"""One sync round: push the outbox, then pull each chapter's changes (docs/sync.md).

Every step commits with what it depends on: a pushed change is marked sent in the transaction
that stores the server's answer; a pulled page is applied in the transaction that moves the
cursor. A crash anywhere leaves either the old state or the new, never half of each.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import keyring
from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from chapterdesk.domain.text import search_key
from chapterdesk.hlc import Timestamp
from chapterdesk.store.database import APPLYING_REMOTE, Store
from chapterdesk.store.models import (
    AuditEvent,
    LocalState,
    Meeting,
    Organisation,
    OutboxEntry,
    Person,
    Registration,
    SyncIssueRow,
)
from chapterdesk.sync.bulk import insert_rows, insert_values
from chapterdesk.sync.client import CursorExpired, Revoked, ScopeRevoked, ServerClient
from chapterdesk.sync.entities import BY_NAME, DETACHED, FIELDS, ORDER
from chapterdesk.sync.errors import DeviceRevoked, NotConnected, ServerRefusedSignIn, SyncError
from chapterdesk.sync.status import SyncIssue, SyncReport, SyncStatus
from chapterdesk.sync.wire import decoder, to_wire

log = logging.getLogger(__name__)

TOKEN_SERVICE = "ChapterDesk device token"
PUSH_BATCH = 200
PULL_PAGE = 1000
SNAPSHOT_PAGE = 2000
SNAPSHOT_COMMIT_ROWS = 20_000

K_URL = "sync.server_url"
K_ACCOUNT = "sync.account"
K_DEVICE = "sync.device"
K_CHAPTERS = "sync.chapters"
K_LAST_OK = "sync.last_success"
K_LAST_ERROR = "sync.last_error"
K_ONLINE = "sync.online"
CURSOR = "sync.cursor."
SNAPSHOT = "sync.snapshot."

_NAMES = frozenset({"first_name", "last_name", "organisation_id"})

ClientFactory = Callable[[str, str | None], ServerClient]


def _now() -> datetime:
    return datetime.now(UTC)


class SyncEngine:
    """Push, pull, apply, wipe — Qt-free; the window calls it from a worker thread."""

    def __init__(self, store: Store, client_factory: ClientFactory | None = None) -> None:
        self.store = store
        self._factory = client_factory or (lambda url, token: ServerClient(url, token))

    # -------------------------------------------------------------------- local state
    def _get(self, s: Session, key: str) -> str | None:
        row = s.get(LocalState, key)
        return row.value if row else None

    def _set(self, s: Session, key: str, value: str | None) -> None:
        if value is None:
            s.execute(delete(LocalState).where(LocalState.key == key))
        else:
            s.merge(LocalState(key=key, value=value))

    def _token(self) -> str | None:
        try:
            return keyring.get_password(TOKEN_SERVICE, self.store.info.store_id)
        except Exception:  # no usable keyring: the laptop is simply not connected
            return None

    def _note(self, **values: str | None) -> None:
        with self.store.session() as s:
            for key, value in values.items():
                self._set(s, key, value)

    # -------------------------------------------------------------------------- status
    def status(self) -> SyncStatus:
        with self.store.session() as s:
            url = self._get(s, K_URL) or ""
            account = json.loads(self._get(s, K_ACCOUNT) or "{}")
            device = json.loads(self._get(s, K_DEVICE) or "{}")
            last = self._get(s, K_LAST_OK)
            online = self._get(s, K_ONLINE)
            pending = s.scalar(
                select(text("count(*)"))
                .select_from(OutboxEntry)
                .where(OutboxEntry.sent_at.is_(None))
            )
            issues = tuple(
                SyncIssue(
                    id=r.id,
                    kind="conflict" if r.kind == "conflict" else "rejected",
                    at=r.at,
                    chapter_id=r.chapter_id,
                    entity=r.entity,
                    entity_label=_label(s, r.entity, r.entity_id),
                    field=r.field,
                    rule_id=r.rule_id,
                    message=r.message,
                    fix=r.fix,
                    kept_value=r.kept_value,
                    lost_value=r.lost_value,
                )
                for r in s.scalars(
                    select(SyncIssueRow)
                    .where(SyncIssueRow.dismissed.is_(False))
                    .order_by(SyncIssueRow.at.desc())
                    .limit(500)
                )
            )
            last_error = self._get(s, K_LAST_ERROR) or ""
        configured = bool(url) and self._token() is not None
        return SyncStatus(
            configured=configured,
            server_url=url,
            account_login=account.get("login", ""),
            account_name=account.get("display_name", ""),
            device_id=device.get("id", ""),
            device_name=device.get("name", ""),
            online=None if online is None else online == "1",
            last_success=datetime.fromisoformat(last) if last else None,
            last_error=last_error,
            pending=int(pending or 0),
            issues=issues,
        )

    def dismiss(self, issue_id: str) -> None:
        with self.store.session() as s:
            row = s.get(SyncIssueRow, issue_id)
            if row is not None:
                row.dismissed = True

    # ------------------------------------------------------------------------- connect
    def connect(self, url: str, login: str, password: str, device_name: str) -> SyncStatus:
        """Sign in to the server; the device token goes to the OS keyring, never a file."""
        client = self._factory(url, None)
        try:
            answer = client.sign_in(login.strip().lower(), password, device_name)
        finally:
            client.close()
        try:
            keyring.set_password(TOKEN_SERVICE, self.store.info.store_id, answer["token"])
        except Exception as exc:
            raise ServerRefusedSignIn(
                "The system keyring is not usable, so ChapterDesk cannot keep the laptop's "
                "server token safely; start the keyring service and connect again."
            ) from exc
        self._note(
            **{
                K_URL: url.rstrip("/"),
                K_ACCOUNT: json.dumps(answer["account"]),
                K_DEVICE: json.dumps(answer.get("device") or {}),
                K_CHAPTERS: json.dumps(answer.get("chapters", [])),
                K_LAST_ERROR: None,
            }
        )
        return self.status()

    def server_roles(self) -> set[str]:
        """The roles the signed-in server account holds: in each chapter, and "everywhere"."""
        with self.store.session() as s:
            account = json.loads(self._get(s, K_ACCOUNT) or "{}")
            chapters = json.loads(self._get(s, K_CHAPTERS) or "[]")
        roles = {str(c.get("role", "")) for c in chapters if isinstance(c, dict)}
        if account.get("everywhere"):
            roles.add(str(account["everywhere"]))
        return roles - {""}

    def disconnect(self) -> None:
        with contextlib.suppress(Exception):  # already gone, or no keyring at all
            keyring.delete_password(TOKEN_SERVICE, self.store.info.store_id)
        self._note(**{K_URL: None, K_ACCOUNT: None, K_DEVICE: None, K_ONLINE: None})

    # --------------------------------------------------------------------------- round
    def sync_once(self) -> SyncReport:
        with self.store.session() as s:
            url = self._get(s, K_URL)
        token = self._token()
        if not url or not token:
            raise NotConnected(
                "This laptop is not connected to a chapter server (Sync page → Connect)."
            )
        client = self._factory(url, token)
        report = SyncReport()
        try:
            report = self._push(client, report)
            me = client.me()  # after the push: a chapter this laptop just created is in scope
            self._note(**{K_CHAPTERS: json.dumps(me.get("chapters", []))})
            chapters = ["", *[c["id"] for c in me.get("chapters", [])]]
            wiped = self._wipe_out_of_scope({c for c in chapters if c})
            pulled = 0
            resynced = False
            for chapter in chapters:
                try:
                    n, again = self._pull(client, chapter)
                except ScopeRevoked:
                    self.wipe_chapters([chapter])
                    wiped.append(chapter)
                    continue
                pulled += n
                resynced = resynced or again
            report = SyncReport(
                report.pushed,
                report.applied,
                report.merged,
                report.rejected,
                pulled,
                resynced,
                tuple(wiped),
            )
        except Revoked as revoked:
            held = self._held_chapters()
            self.wipe_chapters(sorted(set(revoked.chapters) | held))
            self.disconnect()
            raise DeviceRevoked(
                "The chapter server revoked this laptop's access, so the chapter data on it has "
                "been removed. A leader can connect it again from the Sync page."
            ) from None
        except SyncError as exc:
            self._note(**{K_ONLINE: "0", K_LAST_ERROR: str(exc)})
            raise
        finally:
            client.close()
        self._note(**{K_ONLINE: "1", K_LAST_OK: _now().isoformat(), K_LAST_ERROR: None})
        return report

    # ---------------------------------------------------------------------------- push
    def _push(self, client: ServerClient, report: SyncReport) -> SyncReport:
        pushed = applied = merged = rejected = 0
        while True:
            with self.store.session() as s:
                entries = s.scalars(
                    select(OutboxEntry)
                    .where(OutboxEntry.sent_at.is_(None))
                    .order_by(OutboxEntry.device_seq)
                    .limit(PUSH_BATCH)
                ).all()
                mutations = [self._mutation(s, e) for e in entries]
            if not mutations:
                break
            results = client.push(mutations)
            waiting = 0
            corrections: list[RemoteRow] = []
            with self.store.session() as s:
                # The batch's outbox rows in one query, marked in one flush at commit.
                stored = {
                    r.id: r
                    for r in s.scalars(
                        select(OutboxEntry).where(OutboxEntry.id.in_([e.id for e in entries]))
                    )
                }
                for entry, result in zip(entries, results, strict=True):
                    status = str(result.get("status", ""))
                    if status == "in_flight":
                        waiting += 1
                        continue
                    row = stored.get(entry.id)
                    if row is None:
                        continue
                    row.sent_at = _now()
                    row.result = status
                    row.result_detail = result
                    pushed += 1
                    if status == "applied":
                        applied += 1
                    elif status == "merged":
                        merged += 1
                    else:
                        rejected += 1
                        s.add(
                            SyncIssueRow(
                                kind="rejected",
                                chapter_id=entry.chapter_id,
                                entity=entry.entity,
                                entity_id=entry.entity_id,
                                rule_id=result.get("rule_id")
                                or f"HTTP {result.get('code', '')}".strip(),
                                message=str(result.get("message", "")),
                                fix=str(result.get("fix", "")),
                            )
                        )
                    for c in result.get("conflicts", []):
                        if c.get("stamp"):  # our value lost: take the server's right away
                            corrections.append(
                                RemoteRow(
                                    entry.entity,
                                    entry.entity_id,
                                    {c["field"]: c.get("kept")},
                                    {},
                                    c["stamp"],
                                )
                            )
                        s.add(
                            SyncIssueRow(
                                kind="conflict",
                                chapter_id=entry.chapter_id,
                                entity=entry.entity,
                                entity_id=entry.entity_id,
                                field=str(c.get("field", "")),
                                rule_id=None,
                                message=(
                                    "Two laptops changed this field without seeing each other's "
                                    f"change; the later one ({c.get('winner', 'another laptop')}) "
                                    "is kept on every laptop."
                                ),
                                fix="",
                                kept_value=_shown(c.get("kept")),
                                lost_value=_shown(c.get("lost")),
                            )
                        )
                self._apply(s, corrections)
            if waiting == len(entries):
                break  # the server is busy with exactly these: next round
        return SyncReport(
            report.pushed + pushed,
            report.applied + applied,
            report.merged + merged,
            report.rejected + rejected,
        )

    def _mutation(self, s: Session, entry: OutboxEntry) -> dict[str, Any]:
        patch = dict(entry.patch)
        detached = DETACHED.get(entry.entity, frozenset())
        if detached and "sha256" in patch:  # a new row: attach its big columns from the row
            row = s.get(BY_NAME[entry.entity], entry.entity_id)
            stamp = patch["sha256"][1]
            for name in detached:
                if row is not None:
                    patch[name] = [to_wire(getattr(row, name)), stamp]
        return {
            "mutation_id": f"{self.store.device_id}:{entry.device_seq}",
            "device_seq": entry.device_seq,
            "chapter_id": entry.chapter_id,
            "entity": entry.entity,
            "id": entry.entity_id,
            "patch": patch,
        }

    # ---------------------------------------------------------------------------- pull
    def _pull(self, client: ServerClient, chapter: str) -> tuple[int, bool]:
        """Pull one chapter; returns (rows applied, whether a snapshot was taken)."""
        pulled = 0
        resynced = False
        with self.store.session() as s:
            cursor_text = self._get(s, CURSOR + chapter)
            snapshot_left = self._get(s, SNAPSHOT + chapter)
        if cursor_text is None or snapshot_left is not None:
            pulled += self._snapshot(client, chapter)
            resynced = cursor_text is not None
        while True:
            with self.store.session() as s:
                cursor = int(self._get(s, CURSOR + chapter) or 0)
            try:
                page = client.changes(chapter, cursor, PULL_PAGE)
            except CursorExpired:
                with self.store.session() as s:
                    self._set(s, SNAPSHOT + chapter, json.dumps({"entity": ORDER[0], "after": ""}))
                pulled += self._snapshot(client, chapter)
                resynced = True
                continue
            rows = [_change_row(c) for c in page["changes"]]
            with self.store.session() as s:
                self._apply(s, rows)
                self._set(s, CURSOR + chapter, str(int(page["next_cursor"])))
            pulled += len(rows)
            if not page.get("has_more"):
                return pulled, resynced

    def _snapshot(self, client: ServerClient, chapter: str) -> int:
        """Every current row of the chapter, entity by entity, resumable after a crash: the
        place reached is committed with each page (scenario 10).

        The next page is fetched while this one is applied (one request in flight, on a
        helper thread), so the server's work and the laptop's overlap."""
        with self.store.session() as s:
            progress = json.loads(self._get(s, SNAPSHOT + chapter) or "null") or {
                "entity": ORDER[0],
                "after": "",
                "as_of": None,
            }
        as_of = progress.get("as_of")
        applied = 0
        place: tuple[str, str] | None = (progress["entity"], progress["after"])

        def fetch(entity: str, after: str) -> dict[str, Any]:
            return client.snapshot(chapter, entity, after, SNAPSHOT_PAGE)

        # Pages are committed a few at a time, each commit with the place it reaches: every
        # commit rewrites the index pages the rows touched, so committing each page costs
        # as much as inserting it. The write lock is held for a second or so at most. A fetch
        # that fails commits what was applied first, so a cut connection loses nothing.
        session: Session | None = None
        since_commit = 0
        with (
            ThreadPoolExecutor(1, thread_name_prefix="snapshot") as fetcher,
            contextlib.ExitStack() as stack,
        ):

            def commit() -> None:
                nonlocal session, since_commit
                if session is None:
                    return
                if place is not None:
                    reached = {"entity": place[0], "after": place[1], "as_of": as_of}
                    self._set(session, SNAPSHOT + chapter, json.dumps(reached))
                else:
                    self._set(session, CURSOR + chapter, str(int(as_of or 0)))
                    self._set(session, SNAPSHOT + chapter, None)
                stack.close()  # the rows and the place they reach, in one commit
                session, since_commit = None, 0

            coming = fetcher.submit(fetch, progress["entity"], progress["after"])
            while place is not None:
                after = place[1]
                try:
                    page = coming.result()
                except BaseException:
                    commit()
                    raise
                if as_of is None:
                    as_of = int(page["as_of"])
                # A page runs from the entity asked for through the ones after it (FK order).
                if page.get("has_more"):
                    place = (str(page["next_entity"]), str(page.get("next_after", after)))
                else:
                    place = None
                if place is not None:
                    coming = fetcher.submit(fetch, place[0], place[1])
                if session is None:
                    session = stack.enter_context(self.store.session())
                for chunk in page["entities"]:
                    rows = chunk["rows"]
                    self._apply_snapshot_page(session, chunk["entity"], chunk["columns"], rows)
                    applied += len(rows)
                    since_commit += len(rows)
                if since_commit >= SNAPSHOT_COMMIT_ROWS or place is None:
                    commit()
        return applied

    def _apply_snapshot_page(
        self, s: Session, entity: str, columns: list[str], rows: list[list[Any]]
    ) -> None:
        """A snapshot page: rows the laptop does not hold and whose fields all carry the row's
        stamp (all of them in a first sync) go straight from the wire into one
        ``executemany``; the others through :meth:`_apply`, field by field."""
        model: Any = BY_NAME.get(entity)
        if model is None or not rows:
            return
        names = tuple(columns)
        wanted = set(FIELDS[entity])
        direct = (
            set(names) <= wanted
            and not (entity == "people" and "search_text" not in names)  # volunteers: below
            and len(set(names)) == len(names)
        )
        held = _held(s, model.__tablename__, [r[0] for r in rows]) if direct else set()
        fresh = [r for r in rows if not r[2] and r[0] not in held] if direct else []
        decoders = (None, None, *(decoder(model, n) for n in names))
        s.info[APPLYING_REMOTE] = True
        s.execute(text("PRAGMA defer_foreign_keys = ON"))
        if fresh and insert_values(
            s.connection(),
            model.__table__,
            ("id", "updated_at", *names),
            ([r[0], r[1], *r[3:]] for r in fresh),
            decoders,
        ):
            self.store.clock.observe(Timestamp.decode(max(r[1] for r in fresh)))
            rows = [r for r in rows if r[2] or r[0] in held]
        self._apply(
            s,
            [
                RemoteRow(entity, r[0], dict(zip(names, r[3:], strict=True)), r[2] or {}, r[1])
                for r in rows
            ],
        )

    def _apply(self, s: Session, rows: list[RemoteRow]) -> None:
        """Apply server rows field by field; a field with a newer local edit still waiting to
        go out keeps the local value until the server has it (docs/sync.md, "Pull").

        Rows the laptop does not hold yet (all of them in a first sync) are inserted in bulk,
        one statement per entity; rows it holds are updated through the ORM."""
        if not rows:
            return
        s.info[APPLYING_REMOTE] = True
        s.execute(text("PRAGMA defer_foreign_keys = ON"))
        by_entity: dict[str, list[RemoteRow]] = {}
        for row in rows:
            if row.entity in BY_NAME:
                by_entity.setdefault(row.entity, []).append(row)
        newest_seen = ""
        for entity in ORDER:
            items = by_entity.get(entity)
            if items:
                newest_seen = max(newest_seen, self._apply_entity(s, entity, items))
        if newest_seen:
            self.store.clock.observe(Timestamp.decode(newest_seen))
        s.flush()

    def _apply_entity(self, s: Session, entity: str, items: list[RemoteRow]) -> str:
        """Apply one entity's rows; returns the newest stamp among them."""
        model: Any = BY_NAME[entity]
        ids = list(dict.fromkeys(r.id for r in items))
        held = _held(s, model.__tablename__, ids)
        pending = _pending_stamps(s, entity, list(held)) if held else {}
        decode = {n: decoder(model, n) for n in FIELDS[entity]}
        fresh: dict[str, dict[str, Any]] = {}
        updates: dict[str, tuple[dict[str, Any], str]] = {}
        newest_seen = ""
        for item in items:
            entity_id = item.id
            if not item.stamps and entity_id not in held and entity_id not in fresh:
                # A row new to the laptop, every field with the row's stamp (a first sync).
                row = {n: decode[n](v) for n, v in item.values.items() if n in decode}
                row["id"] = entity_id
                if item.stamp:
                    row["updated_at"] = item.stamp
                    newest_seen = max(newest_seen, item.stamp)
                fresh[entity_id] = row
                continue
            local = pending.get(entity_id, {})
            values: dict[str, Any] = {}
            newest = item.stamp
            stamps = item.stamps
            for name, value in item.values.items():
                convert = decode.get(name)
                if convert is None:
                    continue
                stamp = stamps.get(name, item.stamp) if stamps else item.stamp
                if stamp > newest:
                    newest = stamp
                if local and local.get(name, "") > stamp:
                    continue
                values[name] = convert(value)
            newest_seen = max(newest_seen, newest)
            if entity_id in held:
                before, stamp = updates.get(entity_id, ({}, ""))
                updates[entity_id] = ({**before, **values}, max(stamp, newest))
                continue
            row = fresh.setdefault(entity_id, {"id": entity_id})
            row.update(values)
            if newest:
                row["updated_at"] = max(row.get("updated_at", ""), newest)
        if fresh:
            if entity == "people":
                self._volunteer_search_text(s, list(fresh.values()))
            insert_rows(s.connection(), model.__table__, list(fresh.values()))
        if updates:
            existing = {o.id: o for o in s.scalars(select(model).where(model.id.in_(updates)))}
            touched: list[Any] = []
            for entity_id, (values, newest) in updates.items():
                row = existing[entity_id]
                for name, value in values.items():
                    if getattr(row, name) != value:
                        setattr(row, name, value)
                if newest:
                    row.updated_at = max(row.updated_at or "", newest)
                if entity == "people" and "search_text" not in values and _NAMES & values.keys():
                    touched.append(row)
            if touched:
                texts = self._search_texts(s, [_person_names(p) for p in touched])
                for person, search_text in zip(touched, texts, strict=True):
                    person.search_text = search_text
        return newest_seen

    def _volunteer_search_text(self, s: Session, people: list[dict[str, Any]]) -> None:
        """Volunteers receive no contact data, so no search text: search by names and company."""
        missing = [p for p in people if "search_text" not in p and _NAMES & p.keys()]
        if missing:
            texts = self._search_texts(s, missing)
            for person, search_text in zip(missing, texts, strict=True):
                person["search_text"] = search_text

    @staticmethod
    def _search_texts(s: Session, people: list[dict[str, Any]]) -> list[str]:
        orgs = dict(
            s.execute(
                select(Organisation.id, Organisation.name).where(
                    Organisation.id.in_({p.get("organisation_id") for p in people})
                )
            ).all()
        )
        return [
            search_key(
                p.get("first_name") or "",
                p.get("last_name") or "",
                orgs.get(p.get("organisation_id") or "", ""),
            )
            for p in people
        ]

    # ---------------------------------------------------------------------------- wipe
    def _held_chapters(self) -> set[str]:
        with self.store.session() as s:
            keys = s.scalars(select(LocalState.key).where(LocalState.key.like(CURSOR + "%")))
            held = {k.removeprefix(CURSOR) for k in keys}
        return {c for c in held if c}

    def _wipe_out_of_scope(self, in_scope: set[str]) -> list[str]:
        gone = sorted(self._held_chapters() - in_scope)
        if gone:
            self.wipe_chapters(gone)
        return gone

    def wipe_chapters(self, chapters: Iterable[str]) -> None:
        """Remove everything of these chapters from the laptop (revoked device or scope:
        docs/sync.md — no data left behind, unlike Sync Gateway #264)."""
        chapters = [c for c in chapters if c]
        if not chapters:
            return
        with self.store.session() as s:
            s.info[APPLYING_REMOTE] = True
            s.execute(text("PRAGMA defer_foreign_keys = ON"))
            for entity in reversed(ORDER):
                model: Any = BY_NAME[entity]
                if entity == "chapters":
                    s.execute(delete(model).where(model.id.in_(chapters)))
                elif hasattr(model, "chapter_id"):
                    s.execute(delete(model).where(model.chapter_id.in_(chapters)))
            s.execute(delete(AuditEvent).where(AuditEvent.chapter_id.in_(chapters)))
            s.execute(delete(OutboxEntry).where(OutboxEntry.chapter_id.in_(chapters)))
            s.execute(delete(SyncIssueRow).where(SyncIssueRow.chapter_id.in_(chapters)))
            for chapter in chapters:
                self._set(s, CURSOR + chapter, None)
                self._set(s, SNAPSHOT + chapter, None)
        log.warning("wiped %d chapter(s) from this laptop", len(chapters))


@dataclass(frozen=True, slots=True)
class RemoteRow:
    """A row as the server sent it: wire values, each field's stamp (``stamps``, else the
    row's ``stamp``)."""

    entity: str
    id: str
    values: dict[str, Any]
    stamps: dict[str, str]
    stamp: str = ""


def _change_row(change: dict[str, Any]) -> RemoteRow:
    """A change-log entry: ``data`` is ``{field: [value, stamp]}``."""
    data = change["data"]
    return RemoteRow(
        change["entity"],
        change["id"],
        {n: pair[0] for n, pair in data.items()},
        {n: pair[1] for n, pair in data.items()},
    )


def _held(s: Session, table: str, ids: list[str]) -> set[str]:
    """Which of ``ids`` the laptop holds: the list goes as one JSON parameter, not as
    thousands of bound ones (that statement would be compiled anew for each length)."""
    found = s.connection().exec_driver_sql(
        f'SELECT id FROM "{table}" WHERE id IN (SELECT value FROM json_each(?))',
        (json.dumps(ids),),
    )
    return set(found.scalars())


def _person_names(person: Person) -> dict[str, Any]:
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "organisation_id": person.organisation_id,
    }


def _pending_stamps(s: Session, entity: str, ids: list[str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for entity_id, patch in s.execute(
        select(OutboxEntry.entity_id, OutboxEntry.patch).where(
            OutboxEntry.entity == entity,
            OutboxEntry.entity_id.in_(ids),
            OutboxEntry.sent_at.is_(None),
        )
    ):
        fields = out.setdefault(entity_id, {})
        for name, pair in patch.items():
            fields[name] = max(fields.get(name, ""), pair[1])
    return out


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


def _label(s: Session, entity: str, entity_id: str) -> str:
    """A leader-readable name of the row an issue is about."""
    if entity == "registrations":
        row = s.execute(
            select(Person.first_name, Person.last_name, Meeting.title)
            .select_from(Registration)
            .join(Person, Person.id == Registration.person_id)
            .join(Meeting, Meeting.id == Registration.meeting_id)
            .where(Registration.id == entity_id)
        ).first()
        if row:
            return f"Registration of {row[0]} {row[1]} — {row[2]}"
    if entity == "people":
        person = s.get(Person, entity_id)
        if person:
            return f"{person.first_name} {person.last_name}"
    if entity == "meetings":
        meeting = s.get(Meeting, entity_id)
        if meeting:
            return meeting.title
    return f"{entity.replace('_', ' ')} {entity_id[:8]}"
