"""How long the deck checker takes, next to python-pptx merely reading the same text.

Two measurements, each with a baseline (python-pptx opens the file and reads every shape's
text and the notes, which is the least any checker must do) and the ratio between them:

1. a generated 100-slide deck on the chapter template (tables, nested groups, notes), checked
   with a presenting company, its domain and 500 chapter customers: median of ``--runs``
   (the meeting's customer index is built once and reused, as for every version of a deck),
   plus the first check in the process and a "cold" one that builds the customer index;
2. every file of ``../shared/corpus/pptx``: the median of ``--corpus-runs`` per file, then the
   median over files and the slowest file by name.

Aims: 100 slides under 1 s; no corpus file over 5 s. Exit status 1 when an aim is missed.

    uv run python benchmarks/decks.py [--slides 100] [--runs 7] [--corpus-runs 3] [--profile]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from pptx import Presentation

from chapterdesk.decks import CustomerFacts, DeckRefused, check_deck
from chapterdesk.decks.checks.customers import _index as _customer_index
from chapterdesk.decks.samples import chapter_deck

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pptx"
AIM_DECK_S = 1.0
AIM_FILE_S = 5.0


def baseline(data: bytes) -> int:
    """python-pptx alone: open, and read the text of every shape and every notes page."""
    prs = Presentation(io.BytesIO(data))
    chars = 0
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                chars += len(shape.text_frame.text)
        if slide.has_notes_slide:
            chars += len(slide.notes_slide.notes_text_frame.text)
    return chars


def customers(count: int) -> list[CustomerFacts]:
    """A chapter's worth of customer organisations (none of them in the generated deck)."""
    return [
        CustomerFacts(f"Customer{n:04d} Manufacturing Ltd", registered=n % 3 == 0)
        for n in range(count)
    ]


def checker(data: bytes, name: str, chapter: list[CustomerFacts]) -> None:
    check_deck(
        data,
        name,
        company="Contoso Consulting",
        company_domain="contoso.com",
        customers=chapter,
        deadline_s=60.0,
    )


def timed(run: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        out.append(time.perf_counter() - start)
    return out


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def generated(slides: int, runs: int, chapter: list[CustomerFacts], profile: bool) -> bool:
    data = chapter_deck(slides)
    start = time.perf_counter()
    checker(data, "first.pptx", chapter)  # + imports' first use, phrase lists, template
    first = time.perf_counter() - start
    _customer_index.cache_clear()
    start = time.perf_counter()
    checker(data, "cold.pptx", chapter)  # the meeting's customer index built again
    cold = time.perf_counter() - start
    baseline(data)
    ours = statistics.median(timed(lambda: checker(data, "deck.pptx", chapter), runs))
    base = statistics.median(timed(lambda: baseline(data), runs))
    met = ours < AIM_DECK_S
    print(f"== generated deck: {slides} slides, {len(data) / 1024:.0f} KB, median of {runs}")
    print(f"   checker   {fmt(ours)}   (aim < {AIM_DECK_S:g} s: {'met' if met else 'MISSED'})")
    print(f"   first     {fmt(first)}   first check in the process (phrase lists, template)")
    print(f"   cold      {fmt(cold)}   first deck of a meeting ({len(chapter)} customers indexed)")
    print(f"   baseline  {fmt(base)}   python-pptx open + every shape's text and notes")
    print(f"   ratio     {ours / base:8.2f} ×")
    if profile:
        profiler = cProfile.Profile()
        profiler.runcall(checker, data, "deck.pptx", chapter)
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(15)
    return met


def corpus(runs: int, chapter: list[CustomerFacts]) -> bool:
    files = sorted(p for p in CORPUS.iterdir() if p.is_file()) if CORPUS.is_dir() else []
    if not files:
        print(f"== corpus: not found at {CORPUS}; skipped")
        return True
    rows: list[tuple[str, float, float | None, str]] = []
    for path in files:
        data = path.read_bytes()
        outcome = "analysed"

        def ours(data: bytes = data, name: str = path.name) -> None:
            with contextlib.suppress(DeckRefused):
                checker(data, name, chapter)

        try:
            checker(data, path.name, chapter)
        except DeckRefused:
            outcome = "refused"
        mine = statistics.median(timed(ours, runs))
        try:
            base: float | None = statistics.median(timed(partial(baseline, data), runs))
        except Exception:  # python-pptx cannot open it: no baseline
            base = None
        rows.append((path.name, mine, base, outcome))
    per_file = [mine for _n, mine, _b, _o in rows]
    with_base = [(mine, base) for _n, mine, base, _o in rows if base]
    slowest = max(rows, key=lambda row: row[1])
    met = slowest[1] < AIM_FILE_S
    print(f"== corpus: {len(rows)} files in {CORPUS}, median of {runs} runs per file")
    print(f"   {'file':<52} {'checker':>11} {'baseline':>11} {'ratio':>7}  outcome")
    for name, mine, base, outcome in rows:
        ratio = f"{mine / base:6.2f}×" if base else "     – "
        shown = fmt(base) if base else "          –"
        print(f"   {name[:52]:<52} {fmt(mine)} {shown} {ratio}  {outcome}")
    print(f"   median per file  {fmt(statistics.median(per_file))}")
    print(
        f"   baseline median  {fmt(statistics.median(b for _m, b in with_base))} "
        f"(the {len(with_base)} files python-pptx opens)"
    )
    print(f"   ratio of medians {statistics.median(m / b for m, b in with_base):8.2f} ×")
    print(
        f"   slowest file     {fmt(slowest[1])}  {slowest[0]}"
        f"   (aim < {AIM_FILE_S:g} s: {'met' if met else 'MISSED'})"
    )
    print(f"   whole corpus     {sum(per_file):8.2f} s")
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slides", type=int, default=100, help="slides in the generated deck")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of the generated deck")
    parser.add_argument("--corpus-runs", type=int, default=3, help="timed runs per corpus file")
    parser.add_argument("--customers", type=int, default=500, help="chapter customers (DECK-4)")
    parser.add_argument("--profile", action="store_true", help="cProfile the generated deck")
    args = parser.parse_args(argv)
    chapter = customers(args.customers)
    ok = generated(args.slides, args.runs, chapter, args.profile)
    ok = corpus(args.corpus_runs, chapter) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
