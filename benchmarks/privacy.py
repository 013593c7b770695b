"""Privacy benchmark: roster exports, the audit trail, the retention purge and sign-in.

Builds a demo database in a temporary folder (``generate_demo(people=N)``), picks the largest
chapter, gives it years of old meetings with check-in events and a long audit trail, then
measures, each next to a raw baseline on the same data:

1. roster export of the whole chapter, every field (email and phone too), through
   ``Desk.export_roster`` as CSV and as PDF; baselines: the stdlib ``csv`` module fed by one raw
   SQL query, and a minimal ReportLab platypus table of the same rows (no mark, no footer);
2. the Audit view: ``Desk.audit_rows`` with and without a text filter and ``Desk.export_audit``
   over ``--audit-events`` events; baselines: raw SQL SELECTs (``LIKE`` for the filter) and
   ``csv.writer``;
3. retention: ``Desk.purge_preview`` and ``Desk.purge_old_data``; baseline: the same selection
   and the equivalent raw UPDATE / INSERT / DELETE statements in one transaction (rolled back,
   so the real purge then finds the same data);
4. sign-in: ``Desk.sign_in`` for a demo account; baseline: the bare ``hashlib.scrypt`` call with
   the parameters of the stored verifier.

Run from the project root::

    uv run python benchmarks/privacy.py                       # 100,000 people
    uv run python benchmarks/privacy.py --people 20000 --audit-events 10000
    uv run python benchmarks/privacy.py --profile             # + cProfile of the slow parts
    uv run python benchmarks/privacy.py --with-secret-service # measure the encrypted store

See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import hashlib
import io
import os
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text, update

from chapterdesk.demo.generate import DEMO_ACCOUNTS, DEMO_PASSWORD, generate_demo
from chapterdesk.domain.codes import new_code
from chapterdesk.domain.enums import (
    CheckInKind,
    Membership,
    OrgCategory,
    RegistrationRole,
    RegistrationStatus,
)
from chapterdesk.hlc import Timestamp
from chapterdesk.paths import prepare_data_dir
from chapterdesk.services import retention
from chapterdesk.services.accounts import SignInRefused
from chapterdesk.services.audit import AuditFilter
from chapterdesk.services.desk import Desk, local_leader
from chapterdesk.store.database import Store, forget_store, open_store
from chapterdesk.store.keys import keyring_status
from chapterdesk.store.models import (
    Account,
    AuditEvent,
    Chapter,
    CheckInEvent,
    LocalCredential,
    Meeting,
    Organisation,
    Person,
    Registration,
)
from secret_service import add_secret_service_option, rerun_if_asked

ALL_FIELDS = ("name", "organisation", "category", "membership", "job_title", "email", "phone")
PURPOSE = "Benchmark of the roster export"
BENCH_DEVICE = "benchdesk"  # device id in the HLC stamps of the old data
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![s\w])")
BENCH_ACTORS = (
    ("bench-leader-1", "Morgan Leclerc"),
    ("bench-leader-2", "Rosa Delgado"),
    ("bench-volunteer", "Sam Okafor"),
)


# ------------------------------------------------------------------------------ figures


@dataclass(frozen=True)
class Figure:
    """One line of the summary: a measured value next to its baseline."""

    label: str
    value: float  # seconds
    baseline: float | None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None


def fmt_s(seconds: float | None) -> str:
    """Seconds as ms below one second, else as s."""
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds ``work`` took (``time.perf_counter``) and what it returned."""
    t0 = time.perf_counter()
    result = work()
    return time.perf_counter() - t0, result


def median_of(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """Median seconds of ``runs`` calls of ``work`` and the last result."""
    times, result = [], None
    for _ in range(max(1, runs)):
        t, result = timed(work)
        times.append(t)
    return statistics.median(times), result


def pdf_pages(path: Path) -> str:
    """Page count from ``pdfinfo`` when installed, else counted in the file (ReportLab writes
    one ``/Type /Page`` object per page, uncompressed)."""
    if shutil.which("pdfinfo"):
        out = subprocess.run(
            ["pdfinfo", str(path)], capture_output=True, text=True, check=False
        ).stdout
        found = re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE)
        if found:
            return found.group(1)
    return f"{len(PAGE_OBJECT.findall(path.read_bytes()))} (counted)"


def compare(label: str, value: float, baseline: float | None, extra: str = "") -> None:
    """One indented result line with the ratio."""
    ratio = f"→ ×{value / baseline:.2f}" if baseline else ""
    print(f"  {label:<46} {fmt_s(value):>10}   baseline {fmt_s(baseline):>10}  {ratio}  {extra}")


# ------------------------------------------------------------------------------ the data


@dataclass(frozen=True)
class BenchChapter:
    """The chapter every part runs on: the largest one of the demo."""

    id: str
    name: str
    people: int
    prospects: int


def largest_chapter(store: Store) -> BenchChapter:
    with store.engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT c.id, c.name, count(p.id), sum(p.membership = 'prospect') "
                "FROM chapters c JOIN people p ON p.chapter_id = c.id AND p.deleted = 0 "
                "GROUP BY c.id ORDER BY 3 DESC, c.id LIMIT 1"
            )
        ).one()
    return BenchChapter(row[0], row[1], int(row[2]), int(row[3]))


def stamp_at(when: datetime, counter: int = 0) -> str:
    """An HLC stamp at wall time ``when`` (old data written by another desk)."""
    return Timestamp(int(when.timestamp() * 1000), counter % 100_000, BENCH_DEVICE).encode()


@dataclass(frozen=True)
class OldData:
    """What :func:`build_old_data` added to the chapter."""

    meetings: int
    registrations: int
    check_in_events: int
    aged_prospects: int
    check_in_ids: list[tuple[str, str, datetime]]  # (id, kind, at): audit events name them
    registrations_made: list[tuple[str, str, datetime]]  # (person name, meeting title, at)


def build_old_data(
    store: Store, chapter_id: str, meetings: int, per_meeting: int, rng: random.Random
) -> OldData:
    """Years of history in the chapter, all older than the default 36-month retention:
    ``meetings`` monthly meetings 40 months ago and earlier, each with ``per_meeting``
    registrations of the chapter's customers (members and prospects) and their check-in
    events (88% came, 6% of those checked out, 3% checked in by mistake and undone); then
    every prospect's roster entry is made as old as the oldest meeting (imported years ago,
    never touched since). Core bulk inserts."""

    def uid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    with store.engine.connect() as conn:
        people = conn.execute(
            select(Person.id, Person.first_name, Person.last_name, Person.organisation_id)
            .join(Organisation, Organisation.id == Person.organisation_id)
            .where(
                Person.chapter_id == chapter_id,
                Person.deleted.is_(False),
                Organisation.category == OrgCategory.CUSTOMER,
                Organisation.excluded_kind.is_(None),
            )
            .order_by(Person.id)
        ).all()
        codes = set(conn.execute(select(Registration.code)).scalars())

    def code() -> str:
        while True:
            c = new_code(rng)
            if c not in codes:
                codes.add(c)
                return c

    today = date.today()
    meeting_rows: list[dict[str, Any]] = []
    reg_rows: list[dict[str, Any]] = []
    event_rows: list[dict[str, Any]] = []
    check_ins: list[tuple[str, str, datetime]] = []
    made: list[tuple[str, str, datetime]] = []
    counter = 0
    oldest = datetime.now(UTC)

    def event(reg_id: str, kind: CheckInKind, when: datetime, undoes: str | None = None) -> str:
        nonlocal counter
        counter += 1
        event_id = uid()
        event_rows.append(
            {
                "id": event_id,
                "updated_at": stamp_at(when, counter),
                "deleted": False,
                "chapter_id": chapter_id,
                "registration_id": reg_id,
                "kind": kind,
                "undoes_event_id": undoes,
                "device_id": BENCH_DEVICE,
                "hlc": stamp_at(when, counter),
                "actor_id": rng.choice(BENCH_ACTORS)[0],
                "at": when,
            }
        )
        check_ins.append((event_id, kind.value, when))
        return event_id

    for m in range(meetings):
        day = today - timedelta(days=round((40 + m) * 30.44))
        starts = datetime.combine(day, clock_time(17, 30))
        starts_utc = starts.astimezone(UTC)  # the venue's wall clock taken as local time
        oldest = min(oldest, starts_utc - timedelta(days=60))
        meeting_id = uid()
        title = f"Chapter meeting {day:%B %Y}"
        meeting_rows.append(
            {
                "id": meeting_id,
                "updated_at": stamp_at(starts_utc - timedelta(days=40)),
                "deleted": False,
                "chapter_id": chapter_id,
                "title": title,
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=3),
                "venue": "Community hall",
                "address": "1 Main Street",
                "capacity": per_meeting,
                "partners_welcome": False,
                "partner_exclusive": False,
                "cancelled": False,
                "agenda": "",
            }
        )
        for who in rng.sample(people, min(per_meeting, len(people))):
            registered = starts_utc - timedelta(minutes=rng.randrange(60, 45 * 24 * 60))
            counter += 1
            reg_id = uid()
            reg_rows.append(
                {
                    "id": reg_id,
                    "updated_at": stamp_at(registered, counter),
                    "deleted": False,
                    "chapter_id": chapter_id,
                    "meeting_id": meeting_id,
                    "person_id": who.id,
                    "organisation_id": who.organisation_id,
                    "category": OrgCategory.CUSTOMER,
                    "role": RegistrationRole.ATTENDEE,
                    "status": RegistrationStatus.REGISTERED,
                    "escort_registration_id": None,
                    "company_slot": None,
                    "waitlist_position": None,
                    "code": code(),
                    "registered_at": registered,
                    "approved_by": None,
                    "attended": None,
                }
            )
            made.append((f"{who.first_name} {who.last_name}", title, registered))
            if rng.random() >= 0.88:
                continue
            at = starts_utc - timedelta(minutes=30) + timedelta(minutes=rng.randint(0, 50))
            first = event(reg_id, CheckInKind.IN, at)
            roll = rng.random()
            if roll < 0.03:
                event(reg_id, CheckInKind.UNDO, at + timedelta(seconds=rng.randint(5, 90)), first)
            elif roll < 0.09:
                later = starts_utc + timedelta(minutes=rng.randint(60, 150))
                event(reg_id, CheckInKind.OUT, later)

    with store.engine.begin() as conn:
        conn.execute(insert(Meeting), meeting_rows)
        conn.execute(insert(Registration), reg_rows)
        conn.execute(insert(CheckInEvent), event_rows)
        aged = conn.execute(
            update(Person)
            .where(Person.chapter_id == chapter_id, Person.membership == Membership.PROSPECT)
            .values(updated_at=stamp_at(oldest))
        ).rowcount
    return OldData(len(meeting_rows), len(reg_rows), len(event_rows), aged, check_ins, made)


AUDIT_MIX: tuple[tuple[str, str, float], ...] = (
    # action, entity, weight of the filler events beyond check-ins and registrations
    ("meeting.updated", "meetings", 3.0),
    ("registration.cancelled", "registrations", 3.0),
    ("badges.printed", "meetings", 1.0),
    ("roster.exported", "chapters", 0.6),
    ("roster.signin_sheet_printed", "meetings", 0.6),
    ("kiosk.started", "meetings", 0.8),
    ("kiosk.ended", "meetings", 0.8),
    ("deck_version.added", "deck_versions", 1.0),
    ("deck_version.checked", "deck_versions", 1.0),
    ("deck_finding.found", "deck_findings", 2.0),
    ("chapter.settings_changed", "chapters", 0.2),
)


def build_audit_trail(
    store: Store, chapter_id: str, wanted: int, old: OldData, rng: random.Random
) -> int:
    """Fill the chapter's audit trail up to ``wanted`` events, as the desk would have written
    them over the years: a ``check_in.*`` event naming each old check-in event, a
    ``registration.created`` event per old registration (person, meeting, status), then a mix
    of prints, exports, kiosks, deck checks and meeting changes spread over five years."""

    def uid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    rows: list[dict[str, Any]] = []

    def add(at: datetime, action: str, entity: str, entity_id: str | None, details: Any) -> None:
        actor_id, actor_name = rng.choice(BENCH_ACTORS)
        rows.append(
            {
                "id": uid(),
                "updated_at": stamp_at(at, len(rows)),
                "deleted": False,
                "chapter_id": chapter_id,
                "at": at,
                "actor_id": actor_id,
                "actor_name": actor_name,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "details": details,
            }
        )

    for event_id, kind, at in old.check_in_ids:
        if len(rows) >= wanted:
            break
        add(at, f"check_in.{kind}", "check_in_events", event_id, {})
    for person, title, at in old.registrations_made:
        if len(rows) >= wanted:
            break
        details = {"person": person, "meeting": title, "status": "registered", "at_the_door": False}
        add(at, "registration.created", "registrations", uid(), details)
    now = datetime.now(UTC)
    actions = [a for a, _e, _w in AUDIT_MIX]
    weights = [w for _a, _e, w in AUDIT_MIX]
    entity_of = {a: e for a, e, _w in AUDIT_MIX}
    while len(rows) < wanted:
        action = rng.choices(actions, weights)[0]
        at = now - timedelta(seconds=rng.randrange(5 * 365 * 86400))
        month = f"{at:%B %Y}"
        details: dict[str, Any] = {"meeting": f"Chapter meeting {month}"}
        if action == "roster.exported":
            details = {
                "purpose": rng.choice(("Name tags for the meeting", "Renewal reminders")),
                "fields": ["name", "organisation", "email"],
                "people": rng.randrange(50, 12000),
                "format": rng.choice(("pdf", "csv")),
                "file": f"roster-{at:%Y-%m}.csv",
                "mark": "Confidential — for the chapter's use only",
            }
        elif action == "badges.printed":
            details |= {"people": rng.randrange(20, 200), "fields": "name, company"}
        elif action.startswith("deck"):
            details = {"topic": "Power Automate in practice", "rule": "DECK-3", "slide": 4}
        elif action == "chapter.settings_changed":
            details = {"retention_months": 36, "idle_lock_minutes": 10}
        add(at, action, entity_of[action], uid(), details)
    with store.engine.begin() as conn:
        conn.execute(insert(AuditEvent), rows)
    return len(rows)


# ------------------------------------------------------------------------------ 1. roster

ROSTER_SQL = (
    "SELECT p.first_name || ' ' || p.last_name, o.name, o.category, p.membership, "
    "p.job_title, p.email, p.phone FROM people p "
    "JOIN organisations o ON o.id = p.organisation_id "
    "WHERE p.chapter_id = ? AND p.deleted = 0 ORDER BY p.last_name, p.first_name"
)


def raw_roster_csv(conn: Any, chapter_id: str, path: Path) -> int:
    """Baseline: one SQL query straight into ``csv.writer`` (UTF-8 with BOM, CRLF, fsynced
    like the real export), under a first line and a header row."""
    rows = conn.execute(ROSTER_SQL, (chapter_id,)).fetchall()
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["Confidential"])
        writer.writerow(ALL_FIELDS)
        writer.writerows(rows)
        out.flush()
        os.fsync(out.fileno())
    return len(rows)


def raw_roster_pdf(conn: Any, chapter_id: str, path: Path) -> int:
    """Baseline: the same rows in a minimal ReportLab platypus ``LongTable`` (landscape
    letter, the shipped DejaVu font so every name prints, plain strings, a grid, the header
    repeated) — no column fitting, wrapping, mark, running head or "Page N of M"."""
    from reportlab.lib.colors import HexColor  # type: ignore[import-untyped]
    from reportlab.lib.pagesizes import landscape, letter  # type: ignore[import-untyped]
    from reportlab.lib.units import inch  # type: ignore[import-untyped]
    from reportlab.platypus import (  # type: ignore[import-untyped]
        LongTable,
        SimpleDocTemplate,
        TableStyle,
    )

    from chapterdesk.reports.fonts import REGULAR, register_fonts

    register_fonts()
    rows = conn.execute(ROSTER_SQL, (chapter_id,)).fetchall()
    data = [list(ALL_FIELDS), *([str(c) for c in r] for r in rows)]
    size = landscape(letter)
    width = size[0] - inch
    share = (0.17, 0.2, 0.08, 0.08, 0.15, 0.2, 0.12)
    table = LongTable(data, colWidths=[width * s for s in share], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ("LEADING", (0, 0), (-1, -1), 10.5),
                ("GRID", (0, 0), (-1, -1), 0.25, HexColor("#B4B4B4")),
            ]
        )
    )
    with open(path, "wb") as out:
        SimpleDocTemplate(
            out,
            pagesize=size,
            leftMargin=0.5 * inch,
            rightMargin=0.5 * inch,
            topMargin=0.5 * inch,
            bottomMargin=0.5 * inch,
            initialFontName=REGULAR,
        ).build([table])
        out.flush()
        os.fsync(out.fileno())
    return len(rows)


def bench_roster(
    desk: Desk, conn: Any, chapter: BenchChapter, folder: Path, runs: int, pdf_runs: int
) -> list[Figure]:
    from chapterdesk.reports.fonts import register_fonts

    print(f"\n1. roster export — {chapter.name}, {chapter.people:,} people, all 7 fields")
    register_fonts()  # once, outside both timings
    figures = []
    csv_path, raw_csv = folder / "roster.csv", folder / "raw-roster.csv"
    t, n = median_of(
        runs, lambda: desk.export_roster(chapter.id, PURPOSE, ALL_FIELDS, "csv", csv_path)
    )
    tb, nb = median_of(runs, lambda: raw_roster_csv(conn, chapter.id, raw_csv))
    compare(
        f"CSV, median of {runs}",
        t,
        tb,
        f"{n:,} people ({csv_path.stat().st_size / 1e6:.1f} MB; baseline {nb:,} rows)",
    )
    figures.append(Figure(f"roster CSV, {n:,} people", t, tb))

    pdf_path, raw_pdf = folder / "roster.pdf", folder / "raw-roster.pdf"
    t, n = median_of(
        pdf_runs, lambda: desk.export_roster(chapter.id, PURPOSE, ALL_FIELDS, "pdf", pdf_path)
    )
    tb, nb = median_of(pdf_runs, lambda: raw_roster_pdf(conn, chapter.id, raw_pdf))
    pages, raw_pages = pdf_pages(pdf_path), pdf_pages(raw_pdf)
    compare(
        f"PDF, median of {pdf_runs}",
        t,
        tb,
        f"{n:,} people, {pages} pages, {pdf_path.stat().st_size / 1e6:.1f} MB "
        f"(baseline {nb:,} rows, {raw_pages} pages, {raw_pdf.stat().st_size / 1e6:.1f} MB)",
    )
    figures.append(Figure(f"roster PDF, {n:,} people", t, tb, f"{pages} pages vs {raw_pages}"))
    return figures


# ------------------------------------------------------------------------------ 2. audit

AUDIT_SQL = (
    "SELECT id, at, actor_name, action, entity, details FROM audit_events "
    "WHERE chapter_id = ?{where} ORDER BY at DESC, id DESC{limit}"
)
AUDIT_HAY = " AND lower(actor_name || ' ' || action || ' ' || details) LIKE ?"


def raw_audit(conn: Any, chapter_id: str, words: Sequence[str], limit: int | None) -> list[Any]:
    """Baseline: one SELECT of the chapter's events, newest first; each filter word a ``LIKE``
    over actor, action code and the stored JSON details."""
    sql = AUDIT_SQL.format(
        where=AUDIT_HAY * len(words), limit=f" LIMIT {limit}" if limit is not None else ""
    )
    return conn.execute(sql, (chapter_id, *(f"%{w}%" for w in words))).fetchall()


def raw_audit_csv(conn: Any, chapter_id: str, path: Path) -> int:
    """Baseline of the export: every event of the chapter straight into ``csv.writer``."""
    rows = raw_audit(conn, chapter_id, (), None)
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["When", "Who", "Action", "Entity", "Details"])
        writer.writerows((r[1], r[2], r[3], r[4], r[5]) for r in rows)
        out.flush()
        os.fsync(out.fileno())
    return len(rows)


def filter_word(old: OldData, rng: random.Random) -> str:
    """A surname from the registration events (plain ASCII, so the SQL ``LIKE`` over the
    JSON text finds exactly what the desk finds): what a leader types to see what happened
    to one person; it matches few events, so the whole trail is searched."""
    surnames = sorted(
        {p.split()[-1] for p, _t, _a in old.registrations_made if p.split()[-1].isalpha()}
    )
    ascii_names = [s for s in surnames if s.isascii() and len(s) >= 5]
    return rng.choice(ascii_names or surnames or ["nobody"]).lower()


def bench_audit(
    desk: Desk, conn: Any, chapter: BenchChapter, word: str, folder: Path, runs: int
) -> list[Figure]:
    from chapterdesk.services.audit import AUDIT_LIMIT

    total = conn.execute(
        "SELECT count(*) FROM audit_events WHERE chapter_id = ?", (chapter.id,)
    ).fetchone()[0]
    print(f"\n2. audit trail — {chapter.name}, {total:,} events")
    figures = []
    t, rows = median_of(runs, lambda: desk.audit_rows(chapter.id))
    tb, raw = median_of(runs, lambda: raw_audit(conn, chapter.id, (), AUDIT_LIMIT))
    compare(
        f"audit_rows, no filter, median of {runs}", t, tb, f"{len(rows):,} rows (SQL {len(raw):,})"
    )
    figures.append(Figure(f"audit_rows, newest {len(rows):,}", t, tb))

    filters = AuditFilter(text=word)
    t, rows = median_of(runs, lambda: desk.audit_rows(chapter.id, filters))
    tb, raw = median_of(runs, lambda: raw_audit(conn, chapter.id, (word,), AUDIT_LIMIT))
    compare(
        f"audit_rows, filter “{word}”, median of {runs}",
        t,
        tb,
        f"{len(rows):,} rows (SQL {len(raw):,}); searches all {total:,}",
    )
    figures.append(Figure(f"audit_rows, filter ({len(rows)} hits)", t, tb))

    path, raw_path = folder / "audit.csv", folder / "raw-audit.csv"
    tb, nb = timed(lambda: raw_audit_csv(conn, chapter.id, raw_path))  # first: same rows
    t, n = timed(lambda: desk.export_audit(chapter.id, AuditFilter(), PURPOSE, path))
    compare(
        "export_audit, whole trail (1 run)",
        t,
        tb,
        f"{n:,} rows, {path.stat().st_size / 1e6:.1f} MB (baseline {nb:,} rows)",
    )
    figures.append(Figure(f"export_audit, {n:,} rows", t, tb))
    return figures


# ------------------------------------------------------------------------------ 3. retention


def _iso_utc(moment: datetime) -> str:
    """How ``UTCDateTime`` stores an instant."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def retention_params(conn: Any, chapter_id: str) -> dict[str, Any]:
    """The cutoff of the chapter's retention period in each form its columns are stored in."""
    months = conn.execute(
        "SELECT retention_months FROM chapters WHERE id = ?", (chapter_id,)
    ).fetchone()[0]
    cutoff = retention.months_before(retention.today(), months)
    local_midnight = datetime.combine(cutoff, clock_time.min).astimezone()
    return {
        "ch": chapter_id,
        "cutoff_ms": int(local_midnight.timestamp() * 1000),
        "cutoff_naive": datetime.combine(cutoff, clock_time.min).isoformat(sep=" ") + ".000000",
        "cutoff_utc": _iso_utc(local_midnight),
    }


# The prospects whose contact data goes: never members, some contact data, last touched
# (HLC wall time), last meeting and last registration all before the cutoff.
PROSPECTS_SQL = """
SELECT p.id, p.first_name, p.last_name, o.name FROM people p
JOIN organisations o ON o.id = p.organisation_id
WHERE p.chapter_id = :ch AND p.membership = 'prospect'
  AND p.member_since IS NULL AND p.renewal_date IS NULL
  AND (p.email <> '' OR p.phone <> '' OR p.notes <> '' OR p.consent_email = 1)
  AND CAST(substr(p.updated_at, 1, 13) AS INTEGER) < :cutoff_ms
  AND NOT EXISTS (
    SELECT 1 FROM registrations r JOIN meetings m ON m.id = r.meeting_id
    WHERE r.person_id = p.id AND r.deleted = 0
      AND (m.starts_at >= :cutoff_naive OR r.registered_at >= :cutoff_utc))
"""
# Meetings that ended before the cutoff and still have check-in events, and those events.
OLD_EVENTS_SQL = """
SELECT e.id, e.registration_id FROM check_in_events e
JOIN registrations r ON r.id = e.registration_id
JOIN meetings m ON m.id = r.meeting_id
WHERE m.chapter_id = :ch AND m.ends_at < :cutoff_naive AND e.deleted = 0
"""


def raw_preview(conn: Any, params: dict[str, Any]) -> tuple[int, int]:
    """Baseline of the preview: the two selections, rows fetched."""
    prospects = conn.execute(PROSPECTS_SQL, params).fetchall()
    events = conn.execute(OLD_EVENTS_SQL, params).fetchall()
    return len(prospects), len(events)


def raw_purge(conn: Any, params: dict[str, Any], actor_id: str) -> dict[str, int]:
    """Baseline of the purge: the same selections into temporary tables, then set-based
    statements doing the same writes — contact data cleared (search text without the email),
    one outbox row and one audit event per prospect, attendance flags set (a check-in not
    undone), check-in events tombstoned and scrubbed with an outbox row each, ``check_in.*``
    audit events unlinked, sent outbox rows of those rows deleted, one summary audit event.
    In one transaction that the caller rolls back."""
    now = datetime.now(UTC)
    p = {**params, "now": _iso_utc(now), "actor": actor_id, "stamp": stamp_at(now)}
    seq = "(SELECT coalesce(max(device_seq), 0) FROM outbox) + row_number() OVER ()"
    statements = [
        f"CREATE TEMP TABLE bench_p AS {PROSPECTS_SQL}",
        f"CREATE TEMP TABLE bench_e AS {OLD_EVENTS_SQL}",
        "CREATE INDEX temp.bench_p_id ON bench_p (id)",
        "CREATE INDEX temp.bench_e_id ON bench_e (id)",
        # Came: a check-in of the registration that no undo of the same registration undoes.
        "CREATE TEMP TABLE bench_r AS SELECT r.id, (coalesce(r.attended, 0) = 1 OR EXISTS ("
        "  SELECT 1 FROM check_in_events e WHERE e.registration_id = r.id AND e.deleted = 0 "
        "  AND e.kind = 'in' AND NOT EXISTS (SELECT 1 FROM check_in_events u "
        "  WHERE u.registration_id = r.id AND u.deleted = 0 AND u.kind = 'undo' "
        "  AND u.undoes_event_id = e.id))) AS came "
        "FROM registrations r WHERE r.deleted = 0 AND r.meeting_id IN ("
        "  SELECT DISTINCT r2.meeting_id FROM bench_e b JOIN registrations r2 "
        "  ON r2.id = b.registration_id)",
        "CREATE INDEX temp.bench_r_id ON bench_r (id)",
        "DELETE FROM bench_r WHERE came = (SELECT attended FROM registrations r "
        "  WHERE r.id = bench_r.id)",
        "DELETE FROM outbox WHERE sent_at IS NOT NULL AND ("
        "  (entity = 'people' AND entity_id IN (SELECT id FROM bench_p)) OR "
        "  (entity = 'check_in_events' AND entity_id IN (SELECT id FROM bench_e)))",
        "UPDATE people SET email = '', phone = '', notes = '', consent_email = 0, "
        "  updated_at = :stamp, search_text = CASE WHEN email <> '' "
        "  THEN rtrim(replace(search_text, lower(email), '')) ELSE search_text END "
        "WHERE id IN (SELECT id FROM bench_p)",
        "INSERT INTO outbox (id, device_seq, chapter_id, entity, entity_id, patch, created_at) "
        f"SELECT lower(hex(randomblob(16))), {seq}, :ch, 'people', id, "
        "  json_object('email', json_array('', :stamp), 'phone', json_array('', :stamp), "
        "  'notes', json_array('', :stamp), 'consent_email', json_array(json('false'), :stamp)),"
        "  :now FROM bench_p",
        "INSERT INTO audit_events (id, updated_at, deleted, chapter_id, at, actor_id, "
        "  actor_name, action, entity, entity_id, details) "
        "SELECT lower(hex(randomblob(16))), :stamp, 0, :ch, :now, :actor, 'benchmark', "
        "  'retention.contact_cleared', 'people', id, '{}' FROM bench_p",
        "UPDATE registrations SET updated_at = :stamp, "
        "  attended = (SELECT came FROM bench_r WHERE bench_r.id = registrations.id) "
        "WHERE id IN (SELECT id FROM bench_r)",
        "INSERT INTO outbox (id, device_seq, chapter_id, entity, entity_id, patch, created_at) "
        f"SELECT lower(hex(randomblob(16))), {seq}, :ch, 'registrations', id, "
        "  json_object('attended', json_array(json(CASE WHEN came THEN 'true' ELSE 'false' "
        "  END), :stamp)), :now FROM bench_r",
        "UPDATE check_in_events SET deleted = 1, device_id = '', actor_id = '', hlc = '', "
        "  at = '1970-01-01T00:00:00.000000+00:00', updated_at = :stamp "
        "WHERE id IN (SELECT id FROM bench_e)",
        "INSERT INTO outbox (id, device_seq, chapter_id, entity, entity_id, patch, created_at) "
        f"SELECT lower(hex(randomblob(16))), {seq}, :ch, 'check_in_events', id, "
        "  json_object('deleted', json_array(json('true'), :stamp), 'device_id', "
        "  json_array('', :stamp), 'actor_id', json_array('', :stamp), 'hlc', "
        "  json_array('', :stamp), 'at', json_array('1970-01-01T00:00:00+00:00', :stamp)), "
        "  :now FROM bench_e",
        "UPDATE audit_events SET entity_id = NULL WHERE entity = 'check_in_events' "
        "  AND action LIKE 'check_in.%' AND entity_id IN (SELECT id FROM bench_e)",
        "INSERT INTO audit_events (id, updated_at, deleted, chapter_id, at, actor_id, "
        "  actor_name, action, entity, entity_id, details) "
        "SELECT lower(hex(randomblob(16))), :stamp, 0, :ch, :now, :actor, 'benchmark', "
        "  'retention.purged', 'chapters', :ch, json_object('prospects_cleared', "
        "  (SELECT count(*) FROM bench_p), 'check_in_events_removed', "
        "  (SELECT count(*) FROM bench_e))",
    ]
    for sql in statements:
        names = set(re.findall(r":(\w+)", sql))
        conn.execute(sql, {k: v for k, v in p.items() if k in names})
    counts = {
        name: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for name, table in (
            ("prospects", "bench_p"),
            ("events", "bench_e"),
            ("attendance", "bench_r"),
        )
    }
    return counts


def bench_retention(
    desk: Desk, conn: Any, chapter: BenchChapter, runs: int, profiled: bool
) -> list[Figure]:
    print(f"\n3. retention purge — {chapter.name}")
    params = retention_params(conn, chapter.id)
    t, preview = median_of(runs, lambda: desk.purge_preview(chapter.id))
    tb, (n_p, n_e) = median_of(runs, lambda: raw_preview(conn, params))
    print(
        f"  preview: cutoff {preview.cutoff}, {len(preview.prospects):,} prospects to clear, "
        f"{len(preview.meetings)} meetings with {preview.check_in_events:,} check-in events "
        f"(SQL selection: {n_p:,} prospects, {n_e:,} events)"
    )
    compare(f"purge_preview, median of {runs}", t, tb)
    figures = [Figure("purge_preview", t, tb)]

    def baseline() -> dict[str, int]:
        conn.execute("BEGIN")
        try:
            return raw_purge(conn, params, "local-leader")
        finally:
            conn.execute("ROLLBACK")
            for table in ("bench_p", "bench_e", "bench_r"):
                conn.execute(f"DROP TABLE IF EXISTS temp.{table}")

    tb, counts = timed(baseline)  # timed up to the rollback (excluded: a commit is cheaper)
    if profiled:  # a purge can only run once: profile the measured run itself
        profiler = cProfile.Profile()
        profiler.enable()
    t, result = timed(lambda: desk.purge_old_data(chapter.id, preview))
    if profiled:
        profiler.disable()
    print(
        f"  purge: {result.prospects_cleared:,} prospects cleared, "
        f"{result.check_in_events_removed:,} check-in events removed from {result.meetings} "
        f"meetings, {result.attendance_recorded:,} attendance flags set "
        f"(SQL: {counts['prospects']:,} / {counts['events']:,} / {counts['attendance']:,})"
    )
    note = "PROFILED, so slower; " if profiled else ""
    compare("purge_old_data (1 run)", t, tb, f"{note}baseline rolled back")
    figures.append(
        Figure(
            "purge_old_data",
            t,
            tb,
            f"{note}{result.prospects_cleared:,} prospects, "
            f"{result.check_in_events_removed:,} events",
        )
    )
    if profiled:
        print_profile("purge_old_data", profiler)
    return figures


# ------------------------------------------------------------------------------ 4. sign-in


def bench_sign_in(store: Store, runs: int) -> list[Figure]:
    login = DEMO_ACCOUNTS[0][0]
    with store.session() as s:
        verifier = s.scalar(
            select(LocalCredential.verifier)
            .join(Account, Account.id == LocalCredential.account_id)
            .where(Account.login == login)
        )
    assert verifier is not None, "the demo has no sign-in account"
    _scheme, n, r, p, salt_hex, digest_hex = verifier.split("$")
    from chapterdesk.services.passwords import DIGEST_BYTES, MAXMEM

    print(f"\n4. sign-in — {login}, scrypt n={n} r={r} p={p}, {DIGEST_BYTES}-byte digest")
    desk = Desk(store)
    salt = bytes.fromhex(salt_hex)

    def bare() -> bytes:
        return hashlib.scrypt(
            DEMO_PASSWORD.encode(),
            salt=salt,
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=MAXMEM,
            dklen=DIGEST_BYTES,
        )

    t, actor = median_of(runs, lambda: desk.sign_in(login, DEMO_PASSWORD))
    tb, digest = median_of(runs, bare)
    assert digest.hex() == digest_hex, "the bare hash does not reproduce the verifier"
    compare(f"Desk.sign_in, median of {runs}", t, tb, f"signed in as {actor.display_name}")
    figures = [Figure("sign_in", t, tb, "the hash is the cost, by design")]

    def unknown() -> None:  # refused after the same hash, so timing tells no login apart
        try:
            desk.sign_in("nobody@chapterdesk.example", DEMO_PASSWORD)
        except SignInRefused:
            return
        raise AssertionError("an unknown login was let in")

    tries = 3  # fewer than the five wrong tries that pause sign-in
    tu, _none = median_of(tries, unknown)
    compare(f"Desk.sign_in, unknown login, median of {tries}", tu, tb, "refused")
    figures.append(Figure("sign_in, unknown login", tu, tb, "refused after the same hash"))
    return figures


# ------------------------------------------------------------------------------ profiling


def profile(label: str, work: Callable[[], object]) -> None:
    """Run ``work`` under cProfile and print its top functions."""
    profiler = cProfile.Profile()
    profiler.enable()
    work()
    profiler.disable()
    print_profile(label, profiler)


def print_profile(label: str, profiler: cProfile.Profile, top: int = 18) -> None:
    """The functions with the most cumulative and own time."""
    for sort, title in (("cumulative", "cumulative"), ("tottime", "own time")):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(sort)
        stats.print_stats(top)
        lines = out.getvalue().splitlines()
        start = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith("ncalls")), 0)
        print(f"\ncProfile — {label}, top {top} by {title}:")
        for line in lines[start:]:
            if line.strip():
                print(f"  {line}")


# ------------------------------------------------------------------------------ main


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Roster export, audit trail, retention purge and sign-in on a large demo, "
        "each against a raw baseline on the same data."
    )
    parser.add_argument(
        "--people", type=int, default=100_000, help="people in the demo database (default 100000)"
    )
    parser.add_argument(
        "--audit-events",
        type=int,
        default=50_000,
        help="audit events of the measured chapter (default 50000)",
    )
    parser.add_argument(
        "--old-meetings",
        type=int,
        default=36,
        help="monthly meetings added 40 months ago and earlier (default 36)",
    )
    parser.add_argument(
        "--old-registrations",
        type=int,
        default=250,
        help="registrations per old meeting, most with check-in events (default 250)",
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="runs of each quick operation, median (default 3)"
    )
    parser.add_argument(
        "--pdf-runs", type=int, default=1, help="runs of each PDF export, median (default 1)"
    )
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile the roster PDF, the filtered audit view and the purge preview after "
        "their timed runs, and the purge during its one run (its time is then inflated), with "
        "cProfile; list the top functions",
    )
    add_secret_service_option(parser)
    return parser.parse_args(argv)


def print_summary(figures: Sequence[Figure], header: str) -> None:
    print()
    print("=" * 100)
    print(f"SUMMARY — {header}")
    width = max(len(f.label) for f in figures)
    print(f"  {'figure':<{width}}  {'seconds':>10}  {'baseline':>10}  {'ratio':>8}")
    for f in figures:
        ratio = f"×{f.ratio:.2f}" if f.ratio is not None else "—"
        base = f"{f.baseline:.4f}" if f.baseline is not None else "—"
        note = f"  {f.note}" if f.note else ""
        print(f"  {f.label:<{width}}  {f.value:>10.4f}  {base:>10}  {ratio:>8}{note}")
    print("=" * 100)


def main(argv: list[str] | None = None) -> int:
    raw_argv = sys.argv[1:] if argv is None else argv
    args = parse_args(raw_argv)
    rerun = rerun_if_asked(Path(__file__), args, raw_argv)
    if rerun is not None:
        return rerun
    status = keyring_status()
    print(
        f"keyring backend: {status.backend}"
        + ("" if status.usable else f" — not usable: {status.reason}")
    )
    with tempfile.TemporaryDirectory(prefix="chapterdesk-privacy-bench-") as tmp:
        folder = Path(tmp)
        paths = prepare_data_dir(folder / "data")
        store = open_store(paths, allow_plaintext=True)
        try:
            return run(args, store, folder)
        finally:
            store.close()
            if store.encrypted:
                forget_store(paths)


def run(args: argparse.Namespace, store: Store, folder: Path) -> int:
    rng = random.Random(args.seed + 1)  # not the demo's own stream: its ids would repeat
    db = (
        f"ENCRYPTED (SQLCipher, key in the keyring: {store.keyring_backend})"
        if store.encrypted
        else "NOT encrypted (no usable keyring: plaintext demo fallback)"
    )
    print(f"database: {db}")
    print(f"generating a demo with {args.people:,} people …", flush=True)
    t, summary = timed(lambda: generate_demo(store.engine, people=args.people, seed=args.seed))
    print(
        f"  {summary.people:,} people, {summary.organisations:,} organisations, "
        f"{summary.chapters} chapters, {summary.meetings} meetings in {t:.1f} s"
    )
    chapter = largest_chapter(store)
    t, old = timed(
        lambda: build_old_data(store, chapter.id, args.old_meetings, args.old_registrations, rng)
    )
    print(
        f"  largest chapter {chapter.name}: {chapter.people:,} people "
        f"({chapter.prospects:,} prospects); added {old.meetings} meetings 40+ months old with "
        f"{old.registrations:,} registrations and {old.check_in_events:,} check-in events, "
        f"aged {old.aged_prospects:,} prospects' roster entries, in {t:.1f} s"
    )
    t, audit_events = timed(
        lambda: build_audit_trail(store, chapter.id, args.audit_events, old, rng)
    )
    print(f"  audit trail: {audit_events:,} events inserted in {t:.1f} s")
    with store.engine.connect() as c:
        months = c.execute(select(Chapter.retention_months).where(Chapter.id == chapter.id))
        print(f"  retention period {months.scalar()} months")
    print(f"  database file: {store.paths.database.stat().st_size / 1e6:.0f} MB", flush=True)

    desk = Desk(store, local_leader())
    raw_conn = store.engine.raw_connection()  # the engine's own driver: keyed when encrypted
    conn = raw_conn.driver_connection
    word = filter_word(old, rng)
    figures: list[Figure] = []
    try:
        figures += bench_roster(desk, conn, chapter, folder, args.runs, args.pdf_runs)
        figures += bench_audit(desk, conn, chapter, word, folder, args.runs)
        if args.profile:
            profile(
                f"roster PDF, {chapter.people:,} people",
                lambda: desk.export_roster(
                    chapter.id, PURPOSE, ALL_FIELDS, "pdf", folder / "profiled.pdf"
                ),
            )
            profile(
                f"audit_rows with filter “{word}”",
                lambda: desk.audit_rows(chapter.id, AuditFilter(text=word)),
            )
            profile("purge_preview", lambda: desk.purge_preview(chapter.id))
        figures += bench_retention(desk, conn, chapter, args.runs, args.profile)
        figures += bench_sign_in(store, max(args.runs, 5))
    finally:
        raw_conn.close()
    print_summary(
        figures,
        f"{args.people:,} people; {chapter.name} ({chapter.people:,}); "
        f"{audit_events:,} audit events; database "
        f"{'ENCRYPTED' if store.encrypted else 'NOT encrypted'}",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
