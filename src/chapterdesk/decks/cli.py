"""``chapterdesk deck check FILE``: the deck checker for leaders and scripts, without the app.

Exit codes: 0 no rule broken (warnings allowed), 1 a rule is broken, 2 the file was refused or
an argument cannot be used (the message goes to stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from chapterdesk.decks.checker import check_deck
from chapterdesk.decks.errors import DeckRefused
from chapterdesk.decks.phrases import PhraseFileError
from chapterdesk.domain.decks import CustomerFacts, DeckReport, Severity

_LABEL = {
    Severity.BREAKS_RULE: "BREAKS RULE",
    Severity.WARNING: "warning",
    Severity.INFO: "info",
}


def read_customers(path: Path) -> list[CustomerFacts]:
    """One customer organisation per line: ``Name``, ``Name | registered`` or
    ``Name | checked in``; blank lines and ``#`` comments are skipped."""
    out = []
    for line in path.read_text("utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, status = line.partition("|")
        status = " ".join(status.lower().replace("-", " ").split())
        checked_in = status in ("checked in", "in")
        out.append(
            CustomerFacts(
                name=name.strip(),
                registered=checked_in or status == "registered",
                checked_in=checked_in,
            )
        )
    return out


def deck_check(
    args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the checker as the parsed arguments ask and print the report."""
    out = out or sys.stdout
    err = err or sys.stderr
    path = Path(args.file)
    try:
        data = path.read_bytes()
        template = Path(args.template).read_bytes() if args.template else None
        customers = read_customers(Path(args.customers)) if args.customers else []
    except (OSError, UnicodeDecodeError) as error:
        print(f"chapterdesk deck check: {error}", file=err)
        return 2
    try:
        report = check_deck(
            data,
            path.name,
            company=args.company or "",
            company_domain=args.domain or "",
            template=template,
            sponsor=args.sponsor,
            customers=customers,
            extra_phrases=Path(args.phrases) if args.phrases else None,
            deadline_s=args.timeout,
        )
    except PhraseFileError as error:
        print(f"chapterdesk deck check: {error}", file=err)
        return 2
    except DeckRefused as refused:
        print(f"{path.name}: refused: {refused.message}", file=err)
        if args.json:
            json.dump({"filename": path.name, "refused": refused.message}, out, indent=2)
            out.write("\n")
        return 2
    if args.json:
        json.dump(report.to_dict(), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        print_report(report, out)
    return 1 if report.breaks_rules else 0


def print_report(report: DeckReport, out: TextIO) -> None:
    """Findings as a leader reads them: slide, rule, severity, where, the text, then why."""
    hidden = sum(s.hidden for s in report.slides)
    print(
        f"{report.filename}: {len(report.slides)} slides"
        + (f" ({hidden} hidden)" if hidden else "")
        + f", sha256 {report.sha256[:16]}…",
        file=out,
    )
    for f in report.findings:
        slide = "deck" if f.slide == 0 else f"slide {f.slide}"
        print(f"\n{slide:>9}  {f.rule_id:<6}  {_LABEL[f.severity]:<11}  {f.where}", file=out)
        print(f"{'':>9}  “{f.text}”", file=out)
        print(f"{'':>9}  {f.why}", file=out)
    broken = sorted({f.rule_id for f in report.findings if f.severity is Severity.BREAKS_RULE})
    counts = {s: sum(f.severity is s for f in report.findings) for s in Severity}
    print(
        f"\n{'Rules broken: ' + ', '.join(broken) if broken else 'No rule broken'} — "
        f"{counts[Severity.BREAKS_RULE]} breaking, {counts[Severity.WARNING]} warnings, "
        f"{counts[Severity.INFO]} for the record.",
        file=out,
    )
