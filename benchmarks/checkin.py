"""Check-in desk benchmark: search as you type, scan-to-verdict and badge printing.

Builds a demo database in a temporary folder (``generate_demo(people=N)``), adds one big meeting
with ``--registrations`` registrations in the home chapter, then measures, each next to a
baseline on the same data:

1. search per keystroke — (a) the desk's in-memory filter over ``AttendeeRow.search_text``,
   (b) the Check-in page's table model + ``SearchProxy`` (``set_query`` + ``rowCount``), (c) the
   same with a ``QTableView`` laid out and painted offscreen; baseline: one raw SQLite ``LIKE``
   query per keystroke on the same database;
2. scan-to-verdict — ``Desk.scan`` from the code to the verdict (event committed), plus showing
   the verdict in two labels; baseline: raw "look up code + insert one event + commit";
3. badges — ``badges_pdf`` on Avery 5392; baseline: ReportLab ``drawString`` of the names on
   the same number of pages.

Run from the project root::

    uv run python benchmarks/checkin.py                      # 100,000 people, 2,000 registered
    uv run python benchmarks/checkin.py --people 20000 --scans 100
    uv run python benchmarks/checkin.py --profile             # + cProfile of each part
    uv run python benchmarks/checkin.py --with-secret-service # measure the encrypted store

See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import io
import math
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select

from chapterdesk.demo.generate import generate_demo
from chapterdesk.domain.codes import new_code
from chapterdesk.domain.enums import (
    JobRole,
    OrgCategory,
    RegistrationRole,
    RegistrationStatus,
)
from chapterdesk.domain.text import fold
from chapterdesk.paths import prepare_data_dir
from chapterdesk.services.desk import Desk, local_leader
from chapterdesk.services.views import AttendeeRow, BadgeData, Verdict, VerdictLevel
from chapterdesk.store.database import Store, forget_store, open_store
from chapterdesk.store.keys import keyring_status
from chapterdesk.store.models import Chapter, Meeting, Organisation, Person, Registration
from secret_service import add_secret_service_option, rerun_if_asked

if TYPE_CHECKING:  # imported when used: reports/badges.py must not stop the other parts
    from chapterdesk.reports.badges import LabelStock

AIM_SEARCH = 10.0
AIM_SCAN = 30.0
AIM_BADGES_S = 5.0
PARTNER_SHARE = 0.10  # of the big meeting's registrations


# ------------------------------------------------------------------------------ figures


def p95(values: Sequence[float]) -> float:
    """95th percentile, nearest rank (the value 95% of the samples do not exceed)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def ms(ns: int) -> float:
    """Nanoseconds to milliseconds."""
    return ns / 1e6


@dataclass(frozen=True)
class Figure:
    """One line of the summary: a measured value, its baseline and the aim (if any)."""

    label: str
    value: float
    baseline: float | None
    unit: str
    aim: float | None = None  # value must stay below this
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None

    @property
    def verdict(self) -> str:
        if self.aim is None:
            return "info"
        return "met" if self.value < self.aim else "NOT met"


def fmt(value: float | None, unit: str) -> str:
    """A value with its unit, or a dash."""
    if value is None:
        return "—"
    return f"{value:.3f} {unit}" if value < 10 else f"{value:.1f} {unit}"


def describe_series(label: str, values_ms: Sequence[float], base_ms: Sequence[float]) -> None:
    """Median and p95 of a series next to its baseline, with ratios."""
    med, top = statistics.median(values_ms), p95(values_ms)
    bmed, btop = statistics.median(base_ms), p95(base_ms)
    print(
        f"  {label:<34} median {med:>7.3f} ms  p95 {top:>7.3f} ms   "
        f"(baseline {bmed:.3f} / {btop:.3f} ms → ×{med / bmed:.2f} / ×{top / btop:.2f})"
    )


# ------------------------------------------------------------------------------ the data


@dataclass(frozen=True)
class BigMeeting:
    """The meeting the benchmark adds: who is in it and where."""

    id: str
    chapter_id: str
    chapter_name: str
    title: str
    starts_at: datetime
    registrations: int
    partners: int
    eligible_people: int


def build_big_meeting(store: Store, chapter_id: str, wanted: int, rng: random.Random) -> BigMeeting:
    """Insert one meeting with ``wanted`` registrations of the chapter's people (Core bulk
    inserts): ~10% partners, each company escorted by its own registered customer (ESC-1/5),
    at most two people per partner company (MTG-5), sales partners approved (MTG-4)."""

    def uid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    with store.engine.connect() as conn:
        people = conn.execute(
            select(
                Person.id,
                Person.organisation_id,
                Organisation.category,
                Person.job_role,
            )
            .join(Organisation, Organisation.id == Person.organisation_id)
            .where(
                Person.chapter_id == chapter_id,
                Person.deleted.is_(False),
                Organisation.excluded_kind.is_(None),
            )
            .order_by(Person.id)
        ).all()
        codes = set(conn.execute(select(Registration.code)).scalars())
        chapter_name = conn.execute(select(Chapter.name).where(Chapter.id == chapter_id)).scalar()

    partners_by_org: dict[str, list[Any]] = {}
    others = []
    for row in people:
        if row.category is OrgCategory.PARTNER:
            partners_by_org.setdefault(row.organisation_id, []).append(row)
        else:
            others.append(row)
    wanted = min(wanted, len(people))
    n_partner = round(wanted * PARTNER_SHARE)
    companies: list[list[Any]] = []
    org_ids = sorted(partners_by_org)
    rng.shuffle(org_ids)
    taken = 0
    for org_id in org_ids:
        if taken >= n_partner:
            break
        k = min(len(partners_by_org[org_id]), rng.choice((1, 2)), n_partner - taken)
        companies.append(rng.sample(partners_by_org[org_id], k))
        taken += k
    attendees = rng.sample(others, min(wanted - taken, len(others)))
    customers = [p for p in attendees if p.category is OrgCategory.CUSTOMER]
    while len(companies) > len(customers):  # ESC-5: one company per escort
        taken -= len(companies.pop())

    def code() -> str:
        while True:
            c = new_code(rng)
            if c not in codes:
                codes.add(c)
                return c

    meeting_id = uid()
    starts = datetime.combine(date.today(), clock_time(17, 30))
    title = "Benchmark night: Dynamics 365 at scale"
    now = datetime.now(UTC)
    stamp = store.clock.now

    def registration(
        who: Any, escort: str | None = None, slot: int | None = None, approved: str | None = None
    ) -> dict[str, Any]:
        return {
            "id": uid(),
            "updated_at": stamp().encode(),
            "deleted": False,
            "chapter_id": chapter_id,
            "meeting_id": meeting_id,
            "person_id": who.id,
            "organisation_id": who.organisation_id,
            "category": who.category,
            "role": RegistrationRole.ATTENDEE,
            "status": RegistrationStatus.REGISTERED,
            "escort_registration_id": escort,
            "company_slot": slot,
            "waitlist_position": None,
            "code": code(),
            "registered_at": now - timedelta(seconds=rng.randrange(45 * 86400)),
            "approved_by": approved,
        }

    rows = [registration(p) for p in attendees]  # escorts first: the self-reference holds
    escorts = rng.sample([r for r in rows if r["category"] is OrgCategory.CUSTOMER], len(companies))
    for company, escort in zip(companies, escorts, strict=True):
        for slot, who in enumerate(company, 1):
            approved = "benchmark-leader" if who.job_role is JobRole.SALES else None
            rows.append(registration(who, escort["id"], slot, approved))

    with store.engine.begin() as conn:
        conn.execute(
            insert(Meeting),
            [
                {
                    "id": meeting_id,
                    "updated_at": stamp().encode(),
                    "deleted": False,
                    "chapter_id": chapter_id,
                    "title": title,
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=3),
                    "venue": "Convention Centre — hall B",
                    "address": "55 Colonel By Dr, Ottawa",
                    "capacity": len(rows),
                    "partners_welcome": True,
                    "partner_exclusive": False,
                    "cancelled": False,
                    "agenda": "",
                }
            ],
        )
        conn.execute(insert(Registration), rows)
    return BigMeeting(
        meeting_id,
        chapter_id,
        str(chapter_name),
        title,
        starts,
        len(rows),
        taken,
        len(people),
    )


# ------------------------------------------------------------------------------ search


def pick_terms(rows: Sequence[AttendeeRow], rng: random.Random, count: int = 40) -> list[str]:
    """What a leader types at the door: surnames, companies (first two words) and codes,
    folded (lower case, no accents), picked from the meeting's attendees."""
    surnames = sorted({fold(r.last_name) for r in rows})
    orgs = sorted({" ".join(fold(r.organisation).split()[:2]) for r in rows})
    codes = sorted(r.code.lower() for r in rows)
    n_org, n_code = count * 3 // 10, count // 7
    n_surname = count - n_org - n_code
    terms = rng.sample(surnames, min(n_surname, len(surnames)))
    terms += rng.sample(orgs, min(n_org, len(orgs)))
    terms += rng.sample(codes, min(n_code, len(codes)))
    rng.shuffle(terms)
    return terms


def paint_counter() -> Any:
    """An event filter that counts a widget's paint events (``.paints``), so each keystroke is
    timed until it was painted exactly once. Qt is imported only when a benchmark needs it."""
    from PySide6.QtCore import QEvent, QObject

    class PaintCounter(QObject):
        paints = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                self.paints += 1
            return False

    return PaintCounter()


def keystrokes(term: str) -> list[str]:
    """The search box after each key: "a", "an", "and", … up to the whole term."""
    return [term[:i] for i in range(1, len(term) + 1)]


def service_filter(rows: Sequence[AttendeeRow], query: str) -> list[AttendeeRow]:
    """The desk's filter (what ``SearchProxy`` decides per row), on the rows held in memory."""
    words = fold(query).split()
    return [r for r in rows if all(w in r.search_text for w in words)]


class SqlSearch:
    """Baseline: the same search as one raw SQLite query per keystroke (DB-API, no ORM).

    The haystack is the person's stored, already folded ``search_text`` ("name company email")
    cut before the email's "@" (the desk only searches the part before it) plus the code, so
    it finds exactly what the desk finds; every word of the query must occur (``LIKE``)."""

    HAY = (
        "(CASE WHEN instr(p.search_text, '@') > 0 "
        "THEN substr(p.search_text, 1, instr(p.search_text, '@') - 1) "
        "ELSE p.search_text END || ' ' || lower(r.code))"
    )

    def __init__(self, conn: Any, meeting_id: str) -> None:
        self.conn = conn
        self.meeting_id = meeting_id
        self._sql: dict[int, str] = {}

    def sql(self, n_words: int) -> str:
        if n_words not in self._sql:
            likes = "".join(f" AND {self.HAY} LIKE ? ESCAPE '\\'" for _ in range(n_words))
            self._sql[n_words] = (
                "SELECT r.id, p.first_name, p.last_name, o.name, r.code FROM registrations r "
                "JOIN people p ON p.id = r.person_id "
                "JOIN organisations o ON o.id = r.organisation_id "
                f"WHERE r.meeting_id = ? AND r.deleted = 0{likes}"
            )
        return self._sql[n_words]

    def __call__(self, query: str) -> list[Any]:
        words = fold(query).split()
        patterns = [
            "%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            for w in words
        ]
        return list(self.conn.execute(self.sql(len(words)), [self.meeting_id, *patterns]))


def make_table_model() -> Any:
    """The Check-in page's model when it exists (``ui/checkin/model.py``: ``make_model()``, or
    else its ``AttendeeModel``), otherwise a ``RowTableModel`` with the columns the desk shows."""
    if importlib.util.find_spec("chapterdesk.ui.checkin.model") is not None:
        module = importlib.import_module("chapterdesk.ui.checkin.model")
        if hasattr(module, "make_model"):
            return module.make_model()
        if hasattr(module, "AttendeeModel"):
            return module.AttendeeModel()
    from chapterdesk.ui.common.table import Column, RowTableModel

    columns: list[Column[AttendeeRow]] = [
        Column(
            "Name",
            lambda a: a.full_name,
            key=lambda a: (a.last_name.casefold(), a.first_name.casefold()),
        ),
        Column("Organisation", lambda a: a.organisation),
        Column("Code", lambda a: a.code),
        Column("Status", lambda a: a.status.value),
        Column("In", lambda a: a.checked_in_at.strftime("%H:%M") if a.checked_in_at else ""),
    ]
    return RowTableModel(columns)


def make_proxy(rows: Sequence[AttendeeRow]) -> tuple[Any, Any]:
    """A ``SearchProxy`` over a fresh table model holding ``rows``, set up like the Check-in
    page does it (the folded ``search_text`` as haystack, no extra filter), and that model
    (keep it referenced as long as the proxy)."""
    from chapterdesk.ui.common.table import SearchProxy

    model = make_table_model()
    proxy = SearchProxy(lambda r: r.search_text)
    proxy.setSourceModel(model)
    model.set_rows(rows)
    return proxy, model


@dataclass
class SearchResult:
    """Per-keystroke times (ms) of every method, and how often the methods agreed."""

    service: list[float]
    qt_model: list[float]
    qt_view: list[float]
    sql: list[float]
    keystrokes: int
    terms: int
    disagreements: int
    model_name: str


def bench_search(
    rows: Sequence[AttendeeRow], meeting_id: str, conn: Any, rng: random.Random
) -> SearchResult:
    """Every keystroke of every term through each method, interleaved (same keystroke, one
    method after the other), so drift hits all methods alike."""
    from PySide6.QtWidgets import QApplication, QTableView

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    proxy, model = make_proxy(rows)
    view_proxy, _view_model = make_proxy(rows)
    view = QTableView()
    view.setModel(view_proxy)
    view.resize(1100, 700)
    view.show()
    counter = paint_counter()
    view.viewport().installEventFilter(counter)
    app.processEvents()
    sql = SqlSearch(conn, meeting_id)

    terms = pick_terms(rows, rng)
    model_name = f"{type(model).__module__}.{type(model).__name__}"
    result = SearchResult([], [], [], [], 0, len(terms), 0, model_name)
    clock = time.perf_counter_ns
    for warm in ("a", "an", "and"):  # warm-up: caches, statement cache, first layout
        service_filter(rows, warm)
        proxy.set_query(warm)
        proxy.rowCount()
        sql(warm)
    for term in terms:
        for query in keystrokes(term):
            t0 = clock()
            found = service_filter(rows, query)
            t1 = clock()
            proxy.set_query(query)
            shown = proxy.rowCount()
            t2 = clock()
            view_proxy.set_query(query)
            view_proxy.rowCount()
            painted = counter.paints
            app.processEvents()  # the view's delayed layout, and usually its paint
            if counter.paints == painted:
                view.viewport().repaint()
            t3 = clock()
            hits = sql(query)
            t4 = clock()
            result.service.append(ms(t1 - t0))
            result.qt_model.append(ms(t2 - t1))
            result.qt_view.append(ms(t3 - t2))
            result.sql.append(ms(t4 - t3))
            result.keystrokes += 1
            if not len(found) == shown == len(hits):
                result.disagreements += 1
        for p in (proxy, view_proxy):  # the leader clears the box: not a search keystroke
            p.set_query("")
        app.processEvents()
    view.close()
    return result


# ------------------------------------------------------------------------------ scanning


def scan_plan(rows: Sequence[AttendeeRow], wanted: int, rng: random.Random) -> list[AttendeeRow]:
    """``wanted`` registrations in random arrival order; a partner's escort is always scanned
    before the partner (added just before them if the draw had not picked them)."""
    by_id = {r.registration_id: r for r in rows}
    shuffled = list(rows)
    rng.shuffle(shuffled)
    plan: list[AttendeeRow] = []
    planned: set[str] = set()
    for row in shuffled:
        if len(plan) >= wanted:
            break
        if row.registration_id in planned:
            continue
        escort_id = row.escort_registration_id
        if escort_id and escort_id not in planned:
            if len(plan) + 2 > wanted:
                continue
            plan.append(by_id[escort_id])
            planned.add(escort_id)
        plan.append(row)
        planned.add(row.registration_id)
    return plan


class RawCheckIn:
    """Baseline: look the code up, insert one check-in event row, commit (DB-API, no ORM)."""

    INSERT = (
        "INSERT INTO check_in_events (id, updated_at, deleted, chapter_id, registration_id, kind,"
        " undoes_event_id, device_id, hlc, actor_id, at) VALUES (?, ?, 0, ?, ?, 'in', NULL, ?,"
        " ?, ?, ?)"
    )

    def __init__(self, conn: Any, store: Store) -> None:
        self.conn = conn
        self.store = store

    def __call__(self, code: str) -> None:
        conn = self.conn
        conn.execute("BEGIN")
        try:
            reg_id, chapter_id = conn.execute(
                "SELECT id, chapter_id FROM registrations WHERE code = ? AND deleted = 0", (code,)
            ).fetchone()
            stamp = self.store.clock.now().encode()
            at = datetime.now(UTC).isoformat(timespec="microseconds")
            conn.execute(
                self.INSERT,
                (
                    str(uuid.uuid4()),
                    stamp,
                    chapter_id,
                    reg_id,
                    self.store.device_id,
                    stamp,
                    "local-leader",
                    at,
                ),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


class VerdictPanel:
    """What the desk shows after a scan: a headline and a detail line, painted offscreen."""

    def __init__(self) -> None:
        from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

        self.widget = QWidget()
        self.headline = QLabel()
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self.widget)
        layout.addWidget(self.headline)
        layout.addWidget(self.detail)
        self.widget.resize(600, 160)
        self.widget.show()

    def show(self, verdict: Verdict) -> None:
        self.headline.setText(verdict.headline)
        detail = verdict.detail or (verdict.attendee.organisation if verdict.attendee else "")
        self.detail.setText(detail + (f"\n{verdict.fix}" if verdict.fix else ""))
        self.widget.repaint()


@dataclass
class ScanResult:
    """Per-scan times (ms) and the verdicts seen."""

    scan: list[float]
    shown: list[float]
    raw: list[float]
    levels: dict[str, int]
    partners: int


def bench_scans(
    desk: Desk,
    meeting_id: str,
    rows: Sequence[AttendeeRow],
    wanted: int,
    conn: Any,
    rng: random.Random,
) -> tuple[ScanResult, list[AttendeeRow]]:
    """Scan ``wanted`` codes through the desk, each followed by one raw baseline check-in of a
    registration the desk does not scan; returns the result and the registrations left over."""
    plan = scan_plan(rows, wanted, rng)
    in_plan = {r.registration_id for r in plan}
    spare = [r for r in rows if r.registration_id not in in_plan]
    rng.shuffle(spare)
    baseline_codes = [r.code for r in spare[: len(plan)]]
    leftover = spare[len(plan) :]
    raw = RawCheckIn(conn, store=desk.store)
    panel = VerdictPanel()
    result = ScanResult([], [], [], {}, sum(1 for r in plan if r.escort_registration_id))
    clock = time.perf_counter_ns
    for i, row in enumerate(plan):
        t0 = clock()
        verdict = desk.scan(meeting_id, row.code)
        t1 = clock()
        panel.show(verdict)
        t2 = clock()
        result.scan.append(ms(t1 - t0))
        result.shown.append(ms(t2 - t1))
        result.levels[verdict.level.value] = result.levels.get(verdict.level.value, 0) + 1
        if i < len(baseline_codes):
            t3 = clock()
            raw(baseline_codes[i])
            result.raw.append(ms(clock() - t3))
    return result, leftover


# ------------------------------------------------------------------------------ badges


def badge_data(
    desk: Desk, rows: Sequence[AttendeeRow], meeting: BigMeeting, count: int
) -> tuple[list[BadgeData], str]:
    """Badges for the first ``count`` attendees in list order (by surname), from
    ``Desk.badges`` when the desk has it, else made here from the attendee rows; and which."""
    if hasattr(desk, "badges"):
        t = time.perf_counter_ns()
        from chapterdesk.services import paper

        with desk.store.session() as s:  # a sheet of badges is printed for a purpose (ROS-4)
            made: list[BadgeData] = paper.badges(
                s, desk.actor, meeting.id, purpose="Name tags for the benchmark meeting"
            )
        took = ms(time.perf_counter_ns() - t)
        return made[:count], f"paper.badges() ({len(made):,} badges in {took:.0f} ms)"
    when = meeting.starts_at.strftime("%a %d %b %Y")
    return [
        BadgeData(
            first_name=r.first_name,
            last_name=r.last_name,
            organisation=r.organisation,
            is_partner=r.is_partner,
            code=r.code,
            meeting_title=meeting.title,
            meeting_date=when,
            chapter_name=meeting.chapter_name,
        )
        for r in rows[:count]
    ], "made from the attendee rows"


def plain_pdf(badges: Sequence[BadgeData], target: Path, stock: LabelStock) -> int:
    """Baseline: the names with ``canvas.drawString`` (Helvetica), one per label slot, on the
    same number of pages; no QR code, no fitting, no fonts to embed."""
    from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

    canvas = Canvas(str(target), pagesize=stock.page_size, pageCompression=1)
    pages = math.ceil(len(badges) / stock.per_page)
    for page in range(pages):
        canvas.setFont("Helvetica", 24)
        for slot, badge in enumerate(badges[page * stock.per_page : (page + 1) * stock.per_page]):
            x, y = stock.origin(slot)
            canvas.drawString(x + 18, y + stock.label_height / 2, badge.first_name)
            canvas.drawString(x + 18, y + stock.label_height / 2 - 30, badge.last_name)
        canvas.showPage()
    canvas.save()
    return pages


@dataclass(frozen=True)
class BadgeResult:
    """Seconds for the real badges and the baseline, and what was written."""

    seconds: float
    baseline_seconds: float
    badges: int
    pages: int
    size_bytes: int
    baseline_size_bytes: int


def bench_badges(badges: Sequence[BadgeData], folder: Path) -> BadgeResult:
    """``badges_pdf`` on Avery 5392 (first print of the process: fonts get registered), then
    the plain baseline; both to files in ``folder``."""
    from chapterdesk.reports.badges import AVERY_5392, badges_pdf

    target, plain = folder / "badges.pdf", folder / "plain.pdf"
    t0 = time.perf_counter_ns()
    pages = badges_pdf(badges, target, stock=AVERY_5392)
    t1 = time.perf_counter_ns()
    plain_pdf(badges, plain, AVERY_5392)
    t2 = time.perf_counter_ns()
    return BadgeResult(
        (t1 - t0) / 1e9,
        (t2 - t1) / 1e9,
        len(badges),
        pages,
        target.stat().st_size,
        plain.stat().st_size,
    )


# ------------------------------------------------------------------------------ profiling


def profile(label: str, work: Callable[[], object], top: int = 18) -> None:
    """Run ``work`` under cProfile; print the functions with the most cumulative and own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    work()
    profiler.disable()
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


def run_profiles(
    desk: Desk,
    meeting: BigMeeting,
    rows: Sequence[AttendeeRow],
    leftover: Sequence[AttendeeRow],
    scans: int,
    badges: Sequence[BadgeData],
    folder: Path,
) -> None:
    """Profile each part once more, after the timed runs (profiling slows everything down)."""
    from PySide6.QtWidgets import QApplication

    from chapterdesk.reports.badges import AVERY_5392, badges_pdf

    rng = random.Random(1)
    queries = [q for t in pick_terms(rows, rng) for q in keystrokes(t)]
    assert QApplication.instance() is not None
    proxy, _model = make_proxy(rows)

    def search() -> None:
        for q in queries:
            proxy.set_query(q)
            proxy.rowCount()

    customers = [r for r in leftover if not r.escort_registration_id][:scans]

    def scan() -> None:
        for r in customers:
            desk.scan(meeting.id, r.code)

    profile(f"SearchProxy, {len(queries)} keystrokes", search)
    profile(f"Desk.scan, {len(customers)} scans", scan)
    profile(
        f"badges_pdf, {len(badges)} badges",
        lambda: badges_pdf(badges, folder / "profiled.pdf", stock=AVERY_5392),
    )


# ------------------------------------------------------------------------------ main


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description="Check-in desk search, scan-to-verdict and badge printing on a large demo, "
        "each against a raw baseline on the same data."
    )
    parser.add_argument(
        "--people", type=int, default=100_000, help="people in the demo database (default 100000)"
    )
    parser.add_argument(
        "--registrations",
        type=int,
        default=2000,
        help="registrations of the big meeting (default 2000)",
    )
    parser.add_argument(
        "--scans", type=int, default=300, help="codes scanned at the desk (default 300)"
    )
    parser.add_argument("--badges", type=int, default=1000, help="badges printed (default 1000)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="after the timed runs, profile each part with cProfile and list the top functions",
    )
    add_secret_service_option(parser)
    return parser.parse_args(argv)


def print_summary(figures: Sequence[Figure], header: str) -> None:
    """One block with every figure, its baseline, the ratio and the aim."""
    print()
    print("=" * 100)
    print(f"SUMMARY — {header}")
    width = max(len(f.label) for f in figures)
    print(f"  {'figure':<{width}}  {'value':>11}  {'baseline':>11}  {'ratio':>8}  aim")
    for f in figures:
        ratio = f"×{f.ratio:.2f}" if f.ratio is not None else "—"
        aim = f"< {fmt(f.aim, f.unit)}: {f.verdict}" if f.aim is not None else "info"
        note = f"  ({f.note})" if f.note else ""
        print(
            f"  {f.label:<{width}}  {fmt(f.value, f.unit):>11}  {fmt(f.baseline, f.unit):>11}  "
            f"{ratio:>8}  {aim}{note}"
        )
    missed = [f.label for f in figures if f.verdict == "NOT met"]
    print("all aims met" if not missed else f"aims NOT met: {', '.join(missed)}")
    print("=" * 100)


def main(argv: list[str] | None = None) -> int:
    """Build the data, run the three parts, print the summary; returns the exit code."""
    raw_argv = sys.argv[1:] if argv is None else argv
    args = parse_args(raw_argv)
    rerun = rerun_if_asked(Path(__file__), args, raw_argv)
    if rerun is not None:
        return rerun
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    rng = random.Random(args.seed)
    status = keyring_status()
    print(
        f"keyring backend: {status.backend}"
        + ("" if status.usable else f" — not usable: {status.reason}")
    )

    with tempfile.TemporaryDirectory(prefix="chapterdesk-checkin-bench-") as tmp:
        folder = Path(tmp)
        paths = prepare_data_dir(folder / "data")
        store = open_store(paths, allow_plaintext=True)
        try:
            return run(args, store, folder, rng)
        finally:
            store.close()
            if store.encrypted:
                forget_store(paths)


def run(args: argparse.Namespace, store: Store, folder: Path, rng: random.Random) -> int:
    """The measurements proper, on an open store."""
    db = (
        f"ENCRYPTED (SQLCipher, key in the keyring: {store.keyring_backend})"
        if store.encrypted
        else "NOT encrypted (no usable keyring: plaintext demo fallback)"
    )
    print(f"database: {db}")
    print(f"generating a demo with {args.people:,} people …", flush=True)
    t0 = time.perf_counter()
    summary = generate_demo(store.engine, people=args.people, seed=args.seed)
    print(
        f"  {summary.people:,} people, {summary.organisations:,} organisations, "
        f"{summary.chapters} chapters, {summary.meetings} meetings, "
        f"{summary.registrations:,} registrations in {time.perf_counter() - t0:.1f} s"
    )
    t0 = time.perf_counter()
    meeting = build_big_meeting(store, summary.home_chapter_id, args.registrations, rng)
    print(
        f"  big meeting in {meeting.chapter_name}: {meeting.registrations:,} registrations "
        f"({meeting.partners} partners, each escorted by a registered customer) drawn from "
        f"{meeting.eligible_people:,} people of the chapter, inserted in "
        f"{time.perf_counter() - t0:.2f} s"
    )
    if meeting.registrations < args.registrations:
        print(f"  note: the home chapter has only {meeting.eligible_people} eligible people")
    print(f"  database file: {store.paths.database.stat().st_size / 1e6:.0f} MB")

    desk = Desk(store, local_leader())
    raw_conn = store.engine.raw_connection()  # sqlcipher3 on the same file, keyed, same PRAGMAs
    conn = raw_conn.driver_connection
    figures: list[Figure] = []
    try:
        load = []
        for _ in range(3):
            t = time.perf_counter_ns()
            rows = desk.attendees(meeting.id)
            load.append(ms(time.perf_counter_ns() - t))
        print(
            f"\nDesk.attendees(): {len(rows):,} rows in {statistics.median(load):.1f} ms "
            "(median of 3; loaded once when the desk opens)"
        )

        print("\n1. search per keystroke", flush=True)
        s = bench_search(rows, meeting.id, conn, rng)
        print(
            f"  {s.terms} terms, {s.keystrokes} keystrokes over {len(rows):,} attendees; "
            f"model: {s.model_name}; result counts disagree on {s.disagreements} keystrokes"
        )
        describe_series("(a) service filter, in memory", s.service, s.sql)
        describe_series("(b) table model + SearchProxy", s.qt_model, s.sql)
        describe_series("(c) … + QTableView layout + paint", s.qt_view, s.sql)
        print(f"  baseline: raw SQL LIKE per keystroke, median {statistics.median(s.sql):.3f} ms")
        figures += [
            Figure("search (a) service, p95", p95(s.service), p95(s.sql), "ms", AIM_SEARCH),
            Figure("search (b) Qt proxy, p95", p95(s.qt_model), p95(s.sql), "ms", AIM_SEARCH),
            Figure(
                "search (c) Qt view, p95",
                p95(s.qt_view),
                p95(s.sql),
                "ms",
                note="offscreen raster",
            ),
        ]

        print("\n2. scan-to-verdict", flush=True)
        sc, leftover = bench_scans(desk, meeting.id, rows, args.scans, conn, rng)
        levels = ", ".join(f"{k}: {v}" for k, v in sorted(sc.levels.items()))
        print(f"  {len(sc.scan)} scans ({sc.partners} partners, escorts first); verdicts {levels}")
        describe_series("Desk.scan → verdict", sc.scan, sc.raw)
        both = [a + b for a, b in zip(sc.scan, sc.shown, strict=True)]
        describe_series("Desk.scan → verdict shown", both, sc.raw)
        print(
            f"  verdict shown alone (2 labels, repaint): median {statistics.median(sc.shown):.3f}"
            f" ms, p95 {p95(sc.shown):.3f} ms"
        )
        figures += [
            Figure("scan → verdict, p95", p95(sc.scan), p95(sc.raw), "ms", AIM_SCAN),
            Figure("scan → verdict shown, p95", p95(both), p95(sc.raw), "ms", AIM_SCAN),
        ]
        if sc.levels.get(VerdictLevel.OK.value, 0) != len(sc.scan):
            print("  note: not every scan was a plain check-in; see the verdicts above")

        print("\n3. badges", flush=True)
        badges, source = badge_data(desk, rows, meeting, args.badges)
        print(f"  badge data: {source}")
        b = bench_badges(badges, folder)
        print(
            f"  badges_pdf: {b.badges:,} badges on {b.pages} Avery 5392 sheets in "
            f"{b.seconds:.2f} s ({b.badges / b.seconds:.0f} badges/s, "
            f"{b.size_bytes / 1e6:.1f} MB)"
        )
        print(
            f"  baseline drawString: {b.baseline_seconds:.2f} s "
            f"({b.badges / b.baseline_seconds:.0f} badges/s, {b.baseline_size_bytes / 1e6:.1f} "
            f"MB) → ×{b.seconds / b.baseline_seconds:.1f}"
        )
        figures.append(
            Figure(
                f"badges_pdf, {b.badges:,} badges",
                b.seconds,
                b.baseline_seconds,
                "s",
                AIM_BADGES_S,
                note=f"{b.badges / b.seconds:.0f} badges/s",
            )
        )

        print_summary(
            figures,
            f"{args.people:,} people; meeting of {meeting.registrations:,} registrations; "
            f"database {'ENCRYPTED' if store.encrypted else 'NOT encrypted'}",
        )
        if args.profile:
            run_profiles(desk, meeting, rows, leftover, min(args.scans, 100), badges, folder)
    finally:
        raw_conn.close()
    return 0 if all(f.verdict != "NOT met" for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
