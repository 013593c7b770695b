"""Partner programme papers: the yearly contributions report (PRT-7, seed 002's
partner-recognition conversation) with a ranked chart, and the Community Partner Directory
(PRT-4). Company facts only: neither paper carries a member's name or contact (ROS-2).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.graphics.charts.barcharts import HorizontalBarChart  # type: ignore[import-untyped]
from reportlab.graphics.shapes import Drawing, String  # type: ignore[import-untyped]
from reportlab.lib.colors import HexColor  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import letter  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import inch  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from chapterdesk.domain.enums import ContributionKind, PartnerKind
from chapterdesk.reports._output import open_target
from chapterdesk.reports.fonts import BOLD, REGULAR, paragraph_markup, register_fonts
from chapterdesk.services.partner_views import DirectoryEntry, PartnerScore

INK = HexColor("#111111")
MUTED = HexColor("#5F5F5F")
GRID = HexColor("#C4C4C4")
HEADER_FILL = HexColor("#ECECEC")
BAR = HexColor("#2F6DB5")
MARGIN = 0.7 * inch
CHART_ROWS = 12  # the chart shows the top partners; the table lists them all

KIND_WORDS: dict[ContributionKind, str] = {  # one contribution of the kind
    ContributionKind.PRESENTATION: "Presentation",
    ContributionKind.SPONSORSHIP: "Sponsorship",
    ContributionKind.DOOR_PRIZE: "Door prize",
    ContributionKind.SPEAKER: "Speaker brought in",
    ContributionKind.OTHER: "Other help",
}
COLUMN_WORDS: dict[ContributionKind, str] = {  # the ranking's count columns: one short word
    ContributionKind.PRESENTATION: "Talks",
    ContributionKind.SPONSORSHIP: "Sponsor",
    ContributionKind.DOOR_PRIZE: "Prizes",
    ContributionKind.SPEAKER: "Speakers",
    ContributionKind.OTHER: "Other",
}
PARTNER_KIND_WORDS = {
    PartnerKind.IMPLEMENTATION: "Implementation partner",
    PartnerKind.ISV: "ISV partner",
}


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("base", fontName=REGULAR, fontSize=9.5, leading=12.5, textColor=INK)
    return {
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=17, leading=21),
        "sub": ParagraphStyle("sub", parent=base, textColor=MUTED, fontSize=9.5, spaceAfter=10),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=BOLD, fontSize=12, leading=15, spaceBefore=12, spaceAfter=5
        ),
        "cell": base,
        "head": ParagraphStyle("head", parent=base, fontName=BOLD),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11, textColor=MUTED),
    }


def _p(text: str, style: ParagraphStyle, *, bold: bool = False) -> Paragraph:
    return Paragraph(paragraph_markup(text, bold=bold), style)


def _table(rows: list[list[Any]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _chart(scores: Sequence[PartnerScore], width: float) -> Drawing:
    """Points per partner, highest first, as horizontal bars with the points at their end."""
    top = list(scores[:CHART_ROWS])
    row = 20.0
    height = row * len(top) + 30
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    label_width = min(190.0, width * 0.38)
    chart.x, chart.y = label_width, 18
    chart.width, chart.height = width - label_width - 40, row * len(top)
    chart.data = [[s.points for s in reversed(top)]]
    chart.categoryAxis.categoryNames = [_short(s.company, 34) for s in reversed(top)]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 8.5
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(1, max(s.points for s in top)) * 1.1
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 8
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = BOLD
    chart.barLabels.fontSize = 8
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    drawing.add(
        String(
            chart.x + chart.width,
            2,
            "points",
            fontName=REGULAR,
            fontSize=8,
            fillColor=MUTED,
            textAnchor="end",
        )
    )
    return drawing


def _points(n: int) -> str:
    return f"{n} point" if n == 1 else f"{n} points"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def contributions_pdf(
    target: BinaryIO | Path,
    *,
    chapter: str,
    year: int,
    scores: Sequence[PartnerScore],
    points: dict[ContributionKind, int],
    partner: str | None = None,
) -> None:
    """The chapter's (or, with ``partner``, one company's) contributions in ``year``: ranked
    table and chart, then each partner's contributions by date."""
    st = _styles()
    shown = [s for s in scores if partner is None or s.organisation_id == partner]
    title = (
        f"Partner contributions {year}"
        if partner is None
        else f"{shown[0].company if shown else 'Partner'}: contributions {year}"
    )
    story: list[Any] = [
        _p(title, st["title"]),
        _p(
            f"{chapter} · PRT-7 contributions ledger · made {datetime.now():%Y-%m-%d} · "
            + "points per "
            + ", ".join(f"{KIND_WORDS[k].lower()} {v}" for k, v in points.items()),
            st["sub"],
        ),
    ]
    width = letter[0] - 2 * MARGIN
    if not shown:
        story.append(_p("No contributions were recorded for this year.", st["cell"]))
    else:
        if partner is None:
            story += [_chart(shown, width), Spacer(1, 8)]
        kinds = list(ContributionKind)
        head = ["#", "Partner", *(COLUMN_WORDS[k] for k in kinds), "Points"]
        rows: list[list[Any]] = [[_p(h, st["head"]) for h in head]]
        for s in shown:
            rows.append(
                [
                    str(s.rank),
                    _p(s.company, st["cell"]),
                    *(str(s.by_kind.get(k, 0) or "") for k in kinds),
                    _p(str(s.points), st["cell"], bold=True),
                ]
            )
        first, count_w, points_w = 0.35 * inch, 0.86 * inch, 0.75 * inch
        name_w = width - first - count_w * len(kinds) - points_w
        story.append(_table(rows, [first, name_w, *([count_w] * len(kinds)), points_w]))
        for s in shown:
            lines: list[list[Any]] = [
                [_p(h, st["head"]) for h in ("Date", "Kind", "What", "Points")]
            ]
            for c in s.contributions:
                what = c.description + (" (approved deck, presented)" if c.automatic else "")
                lines.append(
                    [
                        c.given_on.isoformat(),
                        _p(KIND_WORDS[c.kind], st["cell"]),
                        _p(what, st["cell"]),
                        str(c.points),
                    ]
                )
            block = [
                _p(f"{s.rank}. {s.company} — {_points(s.points)}", st["h2"]),
                _table(lines, [0.95 * inch, 1.45 * inch, width - 3.15 * inch, 0.75 * inch]),
            ]
            story.append(KeepTogether(block) if len(lines) < 12 else block[0])
            if len(lines) >= 12:
                story.append(block[1])
    _build(target, story, f"{title} — {chapter}")


def directory_pdf(
    target: BinaryIO | Path, *, chapter: str, entries: Sequence[DirectoryEntry]
) -> None:
    """PRT-4's Community Partner Directory: admitted partners with kind, public website and
    certifications. Nothing about members."""
    st = _styles()
    story: list[Any] = [
        _p("Community Partner Directory", st["title"]),
        _p(
            f"{chapter} · admitted Community Partners (PRT-4) · {datetime.now():%Y-%m-%d}",
            st["sub"],
        ),
    ]
    width = letter[0] - 2 * MARGIN
    if not entries:
        story.append(_p("No admitted Community Partners yet.", st["cell"]))
    else:
        rows: list[list[Any]] = [
            [_p(h, st["head"]) for h in ("Partner", "Kind", "Contact", "Certifications")]
        ]
        for e in sorted(entries, key=lambda e: e.company.lower()):
            name = e.company + (" — Paid Annual Chapter Sponsor" if e.sponsor else "")
            rows.append(
                [
                    _p(name, st["cell"], bold=e.sponsor),
                    _p(PARTNER_KIND_WORDS[e.kind], st["cell"]),
                    _p(
                        " · ".join(x for x in (e.website, e.public_contact) if x) or "—", st["cell"]
                    ),
                    _p("; ".join(e.certifications) or "—", st["cell"]),
                ]
            )
        story.append(_table(rows, [width * 0.25, width * 0.19, width * 0.3, width * 0.26]))
    story += [
        Spacer(1, 10),
        _p(
            "Community Partners agree to the user group's Code of Conduct (CND-1). The "
            "directory lists companies only; the chapter never shares its members' details.",
            st["small"],
        ),
    ]
    _build(target, story, f"Community Partner Directory — {chapter}")


def _build(target: BinaryIO | Path, story: list[Any], title: str) -> None:
    with open_target(target) as handle:
        doc = SimpleDocTemplate(
            handle,
            pagesize=letter,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=title,
            author="ChapterDesk",
        )

        def footer(canvas: Any, _doc: Any) -> None:
            canvas.saveState()
            canvas.setFont(REGULAR, 8)
            canvas.setFillColor(MUTED)
            canvas.drawRightString(letter[0] - MARGIN, MARGIN / 2, f"Page {canvas.getPageNumber()}")
            canvas.drawString(MARGIN, MARGIN / 2, title)
            canvas.restoreState()

        doc.build(story, onFirstPage=footer, onLaterPages=footer)
