"""People page benchmark: loading the roster, search as you type and duplicate detection.

Builds a demo database in a temporary folder (``generate_demo(people=N)``, SQLCipher with its
key in an in-memory keyring), moves every chapter's rows into the home chapter so that one
roster holds all N people, then measures, each next to a baseline on the same data (median and
p95):

1. loading the roster — ``Desk.people(chapter)`` (the rows, attendance and flags); baseline:
   the same columns (people joined to organisations, same order) with one raw SQL ``SELECT``
   on the engine's own DB-API connection, no attendance;
2. search per keystroke on a real ``PeoplePage`` (offscreen): (a) the same filter without Qt,
   a list comprehension over the loaded ``PersonRow``s, (b) ``page.search.setText(prefix)``
   (the page's ``SearchProxy`` refilters every row), (c) the same plus the table's layout and
   one paint; baseline: one raw SQLite ``LIKE '%word%'`` per word on ``people.search_text``;
3. duplicate detection — ``Desk.roster.duplicates(chapter)``; baseline: raw SQL ``GROUP BY``
   on the lower-cased email and on the lower-cased name with the organisation.

Run from the project root::

    uv run python benchmarks/people.py                 # 100,000 people on one roster (~3 min)
    uv run python benchmarks/people.py --quick         # 10,000 people (<30 s)
    uv run python benchmarks/people.py --profile       # + cProfile of each part
    uv run python benchmarks/people.py --people 50000 --runs 5 --queries 6

See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from chapterdesk.demo.generate import generate_demo
from chapterdesk.domain.duplicates import REASON_WORDS, Reason
from chapterdesk.domain.text import fold
from chapterdesk.paths import prepare_data_dir
from chapterdesk.services.desk import Desk, local_leader
from chapterdesk.services.views import PersonRow
from chapterdesk.store.database import Store, open_store
from chapterdesk.store.models import Base, Chapter
from checkin import (
    Figure,
    SqlSearch,
    describe_series,
    fmt,
    keystrokes,
    ms,
    p95,
    paint_counter,
    profile,
    service_filter,
)

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # for tests.memory_keyring

from tests.memory_keyring import install_memory_keyring  # noqa: E402

KEPT_APART = frozenset({"account_roles"})  # an account's scope is not roster data


# ------------------------------------------------------------------------------ the data


@dataclass(frozen=True)
class Roster:
    """The measured chapter after the others were folded into it."""

    chapter_id: str
    name: str
    people: int
    moved_rows: int


def fold_into_home(store: Store, home_id: str) -> Roster:
    """Move every chapter-scoped row (people, organisations, meetings, registrations, check-in
    events, …) of the other demo chapters into the home chapter, so one roster holds them all.
    The demo puts only ~13% of its people in the home chapter; generating 8× as many would
    take minutes. Emails are unique across the demo and organisations keep their own ids, so
    no duplicate is made up by the move (a common name just meets more namesakes)."""
    moved = 0
    with store.engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            if "chapter_id" not in table.c or table.name in KEPT_APART:
                continue
            moved += conn.execute(
                update(table).where(table.c.chapter_id != home_id).values(chapter_id=home_id)
            ).rowcount
        name = conn.execute(select(Chapter.name).where(Chapter.id == home_id)).scalar_one()
        people = conn.exec_driver_sql(
            "SELECT count(*) FROM people WHERE chapter_id = ? AND deleted = 0", (home_id,)
        ).scalar_one()
    return Roster(home_id, str(name), int(people), moved)


def timed_ms(work: Callable[[], Any]) -> tuple[float, Any]:
    """Milliseconds ``work`` took (``time.perf_counter_ns``) and what it returned."""
    t0 = time.perf_counter_ns()
    result = work()
    return ms(time.perf_counter_ns() - t0), result


# ------------------------------------------------------------------------------ 1. roster

ROSTER_SQL = (
    "SELECT p.id, p.first_name, p.last_name, o.name, o.category, p.membership, p.job_title, "
    "p.email, p.phone, o.excluded_kind, p.organisation_id FROM people p "
    "JOIN organisations o ON o.id = p.organisation_id "
    "WHERE p.chapter_id = ? AND p.deleted = 0 ORDER BY p.last_name, p.first_name"
)


@dataclass
class Series:
    """Milliseconds per run of the real thing and of its baseline."""

    real: list[float]
    raw: list[float]


def bench_roster(
    desk: Desk, conn: Any, chapter_id: str, runs: int
) -> tuple[Series, list[PersonRow], int]:
    """``Desk.people`` and the raw ``SELECT`` alternately (no untimed warm-up: the first load
    of the process is one of the runs); the rows of the last call (the page gets them) and how
    many rows the baseline read."""
    series = Series([], [])
    rows: list[PersonRow] = []
    raw_rows: list[Any] = []
    for _ in range(runs):
        t, rows = timed_ms(lambda: desk.people(chapter_id))
        series.real.append(t)
        t, raw_rows = timed_ms(lambda: conn.execute(ROSTER_SQL, (chapter_id,)).fetchall())
        series.raw.append(t)
    return series, rows, len(raw_rows)


# ------------------------------------------------------------------------------ 2. search


class RosterSqlSearch(SqlSearch):
    """Baseline: one raw SQLite query per keystroke on the stored, already folded
    ``people.search_text`` ("name company email"), one ``LIKE '%word%'`` per word (the parent
    folds and escapes the words; its ``meeting_id`` holds the chapter id here)."""

    def sql(self, n_words: int) -> str:
        if n_words not in self._sql:
            likes = "".join(" AND search_text LIKE ? ESCAPE '\\'" for _ in range(n_words))
            self._sql[n_words] = (
                f"SELECT id FROM people WHERE chapter_id = ? AND deleted = 0{likes}"
            )
        return self._sql[n_words]


def pick_queries(rows: Sequence[PersonRow], rng: random.Random, count: int) -> list[str]:
    """What a leader types into the People page's search box, folded: a surname, a word of a
    company name, a short "first last" name ("ann lee"), and so on in turn."""
    surnames = sorted({fold(r.last_name) for r in rows if r.last_name.isalpha()})
    companies = sorted(
        {w for r in rows for w in fold(r.organisation).split() if len(w) >= 4 and w.isalpha()}
    )
    names = sorted(
        {
            f"{fold(r.first_name)} {fold(r.last_name)}"
            for r in rows
            if r.first_name.isalpha()
            and r.last_name.isalpha()
            and len(r.first_name) + len(r.last_name) <= 10
        }
    )
    pools = [surnames, companies, names]
    return [rng.choice(pools[i % len(pools)]) for i in range(count)]


@dataclass
class SearchResult:
    """Per-keystroke milliseconds of every method, and how often they agreed."""

    plain: list[float]
    page: list[float]
    painted: list[float]
    sql: list[float]
    queries: list[str]
    set_rows: float
    disagreements: list[str]


def bench_search(
    rows: Sequence[PersonRow], chapter_id: str, conn: Any, queries: Sequence[str]
) -> SearchResult:
    """A ``PeoplePage`` (1100×700, shown offscreen) holding ``rows``; every keystroke of every
    query through each method, one after the other. The next query replaces the previous one
    (select all, type), so the box is never cleared between queries."""
    from PySide6.QtWidgets import QApplication

    from chapterdesk.ui.people.page import PeoplePage

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    page = PeoplePage()
    page.resize(1100, 700)
    page.show()
    app.processEvents()
    set_rows, _ = timed_ms(lambda: page.set_rows(rows))
    app.processEvents()
    counter = paint_counter()
    viewport = page.table.viewport()
    viewport.installEventFilter(counter)
    sql = RosterSqlSearch(conn, chapter_id)
    sql("warm")  # statement cache

    result = SearchResult([], [], [], [], list(queries), set_rows, [])
    clock = time.perf_counter_ns
    for query in queries:
        for prefix in keystrokes(query):
            t0 = clock()
            found = service_filter(rows, prefix)  # type: ignore[arg-type]  # any .search_text
            t1 = clock()
            page.search.setText(prefix)
            t2 = clock()
            shown = page.proxy.rowCount()
            painted = counter.paints
            app.processEvents()  # the view's delayed layout, and usually its paint
            if counter.paints == painted:
                viewport.repaint()
            t3 = clock()
            hits = sql(prefix)
            t4 = clock()
            result.plain.append(ms(t1 - t0))
            result.page.append(ms(t2 - t1))
            result.painted.append(ms(t3 - t1))
            result.sql.append(ms(t4 - t3))
            if not len(found) == shown == len(hits):
                result.disagreements.append(f"{prefix!r}: {len(found)}/{shown}/{len(hits)}")
    page.close()
    return result


# ------------------------------------------------------------------------------ 3. duplicates

EMAIL_GROUPS = (
    "SELECT group_concat(id, ' ') FROM people "
    "WHERE chapter_id = ? AND deleted = 0 AND trim(email) <> '' "
    "GROUP BY lower(trim(email)) HAVING count(*) > 1"
)
NAME_GROUPS = (
    "SELECT group_concat(id, ' ') FROM people WHERE chapter_id = ? AND deleted = 0 "
    "GROUP BY lower(first_name || ' ' || last_name), organisation_id HAVING count(*) > 1"
)


def raw_duplicates(conn: Any, chapter_id: str) -> dict[tuple[str, str], Reason]:
    """Baseline: same-email pairs and same-name-same-organisation pairs from two ``GROUP BY``
    queries, each pair once with its stronger reason. SQLite's ``lower`` folds ASCII only and
    no accent or punctuation, and the name-only pairs at other organisations are not looked
    for: it does less work than the real detection."""
    pairs: dict[tuple[str, str], Reason] = {}
    for sql, reason in (
        (EMAIL_GROUPS, Reason.SAME_EMAIL),
        (NAME_GROUPS, Reason.SAME_NAME_SAME_ORGANISATION),
    ):
        for (ids,) in conn.execute(sql, (chapter_id,)):
            for a, b in combinations(sorted(ids.split()), 2):
                pairs.setdefault((a, b), reason)
    return pairs


def bench_duplicates(
    desk: Desk, conn: Any, chapter_id: str, runs: int
) -> tuple[Series, Counter[Reason], Counter[Reason]]:
    """``Desk.roster.duplicates`` and the raw baseline alternately; the pairs each found, by
    reason."""
    series = Series([], [])
    found: list[Any] = []
    raw: dict[tuple[str, str], Reason] = {}
    for _ in range(runs):
        t, found = timed_ms(lambda: desk.roster.duplicates(chapter_id))
        series.real.append(t)
        t, raw = timed_ms(lambda: raw_duplicates(conn, chapter_id))
        series.raw.append(t)
    return series, Counter(d.reason for d in found), Counter(raw.values())


def by_reason(counts: Counter[Reason]) -> str:
    """Pairs per reason, strongest first: "1 same email; 916 same name, same organisation; …"."""
    return "; ".join(f"{counts[r]:,} {REASON_WORDS[r]}" for r in sorted(Reason, reverse=True))


# ------------------------------------------------------------------------------ main


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description="People page: roster load, search per keystroke and duplicate detection on "
        "one large roster, each against a raw SQLite baseline on the same data."
    )
    parser.add_argument(
        "--people",
        type=int,
        default=None,
        help="people in the demo, all on one roster (default 100000; quick 10000)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=None,
        help="timed roster loads and duplicate searches, each (default 6; quick 7)",
    )
    parser.add_argument(
        "--queries",
        type=int,
        default=None,
        help="queries typed a key at a time: a surname, a company word, a short full name, "
        "and again (default 3; quick 4)",
    )
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    parser.add_argument(
        "--quick", action="store_true", help="10,000 people and more queries: under 30 s"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="after the timed runs, profile each part with cProfile and list the top functions",
    )
    args = parser.parse_args(argv)
    people, runs, queries = (10_000, 7, 4) if args.quick else (100_000, 6, 3)
    args.people = people if args.people is None else args.people
    args.runs = runs if args.runs is None else max(1, args.runs)
    args.queries = queries if args.queries is None else max(1, args.queries)
    return args


def print_summary(figures: Sequence[Figure], header: str) -> None:
    """One block with every figure, its baseline and the ratio (no aims: issue 8 sets none)."""
    print()
    print("=" * 100)
    print(f"SUMMARY — {header}")
    width = max(len(f.label) for f in figures)
    print(f"  {'figure':<{width}}  {'value':>11}  {'baseline':>11}  {'ratio':>9}")
    for f in figures:
        ratio = f"×{f.ratio:.2f}" if f.ratio is not None else "—"
        note = f"  ({f.note})" if f.note else ""
        print(
            f"  {f.label:<{width}}  {fmt(f.value, f.unit):>11}  {fmt(f.baseline, f.unit):>11}  "
            f"{ratio:>9}{note}"
        )
    print("=" * 100)


def both(label: str, real: Sequence[float], raw: Sequence[float], unit: str) -> list[Figure]:
    """A median and a p95 line for the summary (``unit`` "s" shows milliseconds as seconds)."""
    scale = 1000.0 if unit == "s" else 1.0
    return [
        Figure(
            f"{label}, median",
            statistics.median(real) / scale,
            statistics.median(raw) / scale,
            unit,
        ),
        Figure(f"{label}, p95", p95(real) / scale, p95(raw) / scale, unit),
    ]


def main(argv: list[str] | None = None) -> int:
    """Build the data, run the three parts, print the summary; returns the exit code."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    install_memory_keyring()  # the key never reaches the OS keyring or a file
    with tempfile.TemporaryDirectory(prefix="chapterdesk-people-bench-") as tmp:
        store = open_store(prepare_data_dir(Path(tmp) / "data"))
        try:
            return run(args, store)
        finally:
            store.close()


def run(args: argparse.Namespace, store: Store) -> int:
    """The measurements proper, on an open store."""
    db = "ENCRYPTED (SQLCipher, key in an in-memory keyring)" if store.encrypted else "plain"
    print(f"database: {db}")
    print(f"generating a demo with {args.people:,} people …", flush=True)
    t0 = time.perf_counter()
    summary = generate_demo(store.engine, people=args.people, seed=args.seed, clock=store.clock)
    print(
        f"  {summary.people:,} people, {summary.organisations:,} organisations, "
        f"{summary.chapters} chapters, {summary.meetings} meetings, "
        f"{summary.registrations:,} registrations in {time.perf_counter() - t0:.1f} s"
    )
    t0 = time.perf_counter()
    roster = fold_into_home(store, summary.home_chapter_id)
    print(
        f"  the other {summary.chapters - 1} chapters folded into {roster.name} "
        f"({roster.moved_rows:,} rows moved in {time.perf_counter() - t0:.1f} s): "
        f"the measured roster has {roster.people:,} people"
    )
    print(f"  database file: {store.paths.database.stat().st_size / 1e6:.0f} MB", flush=True)

    desk = Desk(store, local_leader())
    raw_conn = store.engine.raw_connection()  # sqlcipher3 on the same file, keyed, same PRAGMAs
    conn = raw_conn.driver_connection
    figures: list[Figure] = []
    try:
        print(f"\n1. loading the roster ({args.runs} runs of each)", flush=True)
        load, rows, raw_count = bench_roster(desk, conn, roster.chapter_id, args.runs)
        attended = sum(1 for r in rows if r.attended)
        flagged = sum(1 for r in rows if r.flagged)
        print(
            f"  Desk.people(): {len(rows):,} rows ({attended:,} with attendance, {flagged} "
            f"flagged); raw SELECT: {raw_count:,} rows"
        )
        describe_series("Desk.people()", load.real, load.raw)
        figures += both("roster load, Desk.people()", load.real, load.raw, "s")

        rng = random.Random(args.seed)
        queries = pick_queries(rows, rng, args.queries)
        n_keys = sum(len(q) for q in queries)
        print(
            f"\n2. search per keystroke ({n_keys} keystrokes over {len(rows):,} rows)", flush=True
        )
        s = bench_search(rows, roster.chapter_id, conn, queries)
        print(
            f"  queries typed: {', '.join(repr(q) for q in s.queries)}; "
            f"PeoplePage.set_rows() took {s.set_rows:.0f} ms (once)"
        )
        describe_series("(a) list comprehension, no Qt", s.plain, s.sql)
        describe_series("(b) PeoplePage search.setText()", s.page, s.sql)
        describe_series("(c) … + layout and one paint", s.painted, s.sql)
        print(
            f"  baseline: raw SQL LIKE per keystroke, median {statistics.median(s.sql):.3f} ms, "
            f"p95 {p95(s.sql):.3f} ms"
        )
        print(
            "  Qt overhead, (b) / (a): "
            f"median ×{statistics.median(s.page) / statistics.median(s.plain):.1f}, "
            f"p95 ×{p95(s.page) / p95(s.plain):.1f}"
        )
        if s.disagreements:
            print(
                f"  row counts (a)/(b)/SQL differ on {len(s.disagreements)} keystrokes: "
                + "; ".join(s.disagreements[:5])
                + " (the page builds search_text from the loaded rows, SQL reads the stored one)"
            )
        else:
            print("  row counts: all three methods agree on every keystroke")
        figures += both("search (a) no Qt", s.plain, s.sql, "ms")
        figures += both("search (b) PeoplePage", s.page, s.sql, "ms")
        figures += both("search (c) + paint", s.painted, s.sql, "ms")

        print(f"\n3. duplicate detection ({args.runs} runs of each)", flush=True)
        dup, real, raw = bench_duplicates(desk, conn, roster.chapter_id, args.runs)
        print(f"  Desk.roster.duplicates(): {sum(real.values()):,} pairs ({by_reason(real)})")
        print(
            f"  raw GROUP BY: {sum(raw.values()):,} pairs ({by_reason(raw)}) — no accent or "
            "punctuation folding and no same-name pairs across organisations: less work"
        )
        describe_series("Desk.roster.duplicates()", dup.real, dup.raw)
        figures += both("duplicates", dup.real, dup.raw, "s")

        print_summary(
            figures,
            f"{roster.people:,} people on one roster; {args.runs} runs; {n_keys} keystrokes; "
            f"database {'ENCRYPTED' if store.encrypted else 'NOT encrypted'}",
        )
        if args.runs < 20:
            print(
                f"(with {args.runs} runs the p95 of the roster and duplicates is the slowest run)"
            )
        if args.profile:
            run_profiles(desk, roster.chapter_id, rows, queries)
    finally:
        raw_conn.close()
    return 0


def run_profiles(
    desk: Desk, chapter_id: str, rows: Sequence[PersonRow], queries: Sequence[str]
) -> None:
    """Profile each part once more, after the timed runs (profiling slows everything down)."""
    from PySide6.QtWidgets import QApplication

    from chapterdesk.ui.people.page import PeoplePage

    assert QApplication.instance() is not None
    page = PeoplePage()
    page.set_rows(rows)
    prefixes = keystrokes(queries[0])[:5]

    def search() -> None:
        for prefix in prefixes:
            page.search.setText(prefix)

    profile("Desk.people", lambda: desk.people(chapter_id))
    profile(f"PeoplePage search, {len(prefixes)} keystrokes", search)
    profile("Desk.roster.duplicates", lambda: desk.roster.duplicates(chapter_id))


if __name__ == "__main__":
    sys.exit(main())
