"""The deck review report a leader sends the presenting partner (DECK-5).

One click on the Decks page: which exact file was reviewed (name, version, SHA-256), the
decision and the leader's comments, every finding by slide with the text that triggered it and
why, dismissed findings with the reason, and what the cited rules say. The partner can then fix
the deck without a meeting about it. The data comes from
:func:`chapterdesk.services.decks.review_data`, which has already taken out anything that
would tell the partner who is registered (ROS-2); this module only lays it out.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime
from itertools import groupby
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.colors import Color, HexColor  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import letter  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import inch  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    BaseDocTemplate,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from chapterdesk.domain.decks import Severity
from chapterdesk.domain.enums import DeckDecision
from chapterdesk.reports._output import open_target
from chapterdesk.reports._text import ASCENT, Fitted, draw_line, fit_line
from chapterdesk.reports.fonts import BOLD, REGULAR, paragraph_markup, register_fonts
from chapterdesk.reports.signin import _numbered_canvas
from chapterdesk.services.views import FindingRow, ReviewData

INK = HexColor("#111111")
MUTED = HexColor("#5F5F5F")
FAINT = HexColor("#8A8A8A")
GRID = HexColor("#C4C4C4")
HEADER_FILL = HexColor("#ECECEC")

MARGIN = 0.6 * inch
HEADER_HEIGHT = 0.8 * inch
FOOTER_HEIGHT = 0.35 * inch
MAX_TEXT = 400  # characters of one finding's text: a whole pasted paragraph is not needed

DECISIONS: dict[DeckDecision, tuple[str, Color, Color]] = {
    # label, ink, fill
    DeckDecision.APPROVED: ("Approved", HexColor("#1B5E20"), HexColor("#E3F1E4")),
    DeckDecision.CHANGES_REQUESTED: (
        "Changes requested",
        HexColor("#8A4B00"),
        HexColor("#FCEFD9"),
    ),
    DeckDecision.REJECTED: ("Rejected", HexColor("#B71C1C"), HexColor("#FBE3E3")),
    DeckDecision.PENDING: ("Not decided yet", HexColor("#424242"), HexColor("#EEEEEE")),
}

SEVERITIES: dict[Severity, tuple[str, Color]] = {
    Severity.BREAKS_RULE: ("Breaks the rule", HexColor("#F9D6D5")),
    Severity.WARNING: ("Warning", HexColor("#FCEBC8")),
    Severity.INFO: ("Note", HexColor("#E8E8E8")),
}
DISMISSED_FILL = HexColor("#F4F4F4")


def review_report_pdf(
    data: ReviewData, target: BinaryIO | Path, *, pagesize: tuple[float, float] = letter
) -> int:
    """Write the review report and return its number of pages. A path is written atomically."""
    register_fonts()
    page_w, page_h = pagesize
    frame = Frame(
        MARGIN,
        MARGIN + FOOTER_HEIGHT,
        page_w - 2 * MARGIN,
        page_h - 2 * MARGIN - HEADER_HEIGHT - FOOTER_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )

    def heading(canvas: Any, _doc: Any) -> None:
        _draw_heading(canvas, pagesize, data)

    counter: list[int] = []
    footer = f"Review of “{_plain(data.filename)}”, version {data.version_number}, " + (
        f"SHA-256 {data.sha256[:12]}"
    )
    with open_target(target) as out:
        doc = BaseDocTemplate(
            out,
            pagesize=pagesize,
            pageTemplates=[PageTemplate(id="review", frames=[frame], onPage=heading)],
            title=f"Deck review — {_plain(data.topic)} — {_plain(data.filename)}",
            author=_plain(data.chapter_name),
            subject=f"Deck review for {_plain(data.partner_name)}",
            creator="ChapterDesk",
            initialFontName=REGULAR,
        )
        doc.build(_story(data, frame.width), canvasmaker=_numbered_canvas(footer, counter))
    return counter[0]


# ------------------------------------------------------------------------------ text


def _plain(text: str, limit: int | None = None) -> str:
    """Text from a deck or a leader, safe to print: control characters out, whitespace
    collapsed, and cut with "…" past ``limit`` characters."""
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text
    )
    text = " ".join(unicodedata.normalize("NFC", text).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _markup(text: str, *, bold: bool = False, limit: int | None = None) -> str:
    return paragraph_markup(_plain(text, limit), bold=bold)


def _lines_markup(text: str) -> str:
    """A leader's comment keeps its line breaks."""
    lines = [_plain(line) for line in text.splitlines()]
    return "<br/>".join(paragraph_markup(line) for line in lines if line)


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone() if moment.tzinfo else moment
    return local.strftime("%d %b %Y, %H:%M")


class _Styles:
    """The paragraph styles of the report, made once per report."""

    def __init__(self) -> None:
        base = ParagraphStyle(
            "base",
            fontName=REGULAR,
            fontSize=9.5,
            leading=12.5,
            textColor=INK,
            # A long URL must break inside the cell; ReportLab's embeddedHyphenation would stop
            # splitLongWords from doing that, so it stays off.
            splitLongWords=1,
        )
        self.body = base
        self.small = ParagraphStyle("small", parent=base, fontSize=8, leading=10, textColor=MUTED)
        self.label = ParagraphStyle("label", parent=base, fontName=BOLD, textColor=MUTED)
        self.head = ParagraphStyle("head", parent=base, fontName=BOLD, fontSize=8.5, leading=11)
        self.cell = ParagraphStyle("cell", parent=base, fontSize=9, leading=11.5)
        self.muted_cell = ParagraphStyle("muted_cell", parent=self.cell, textColor=MUTED)
        self.section = ParagraphStyle(
            "section",
            parent=base,
            fontName=BOLD,
            fontSize=12,
            leading=15,
            spaceBefore=14,
            spaceAfter=6,
            keepWithNext=1,
        )
        self.slide = ParagraphStyle(
            "slide",
            parent=base,
            fontName=BOLD,
            fontSize=10.5,
            leading=13.5,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        )
        self.decision = ParagraphStyle(
            "decision", parent=base, fontName=BOLD, fontSize=15, leading=19
        )


# ------------------------------------------------------------------------------ story


def _story(data: ReviewData, width: float) -> list[Any]:
    st = _Styles()
    story: list[Any] = [_facts(data, width, st), Spacer(1, 12), _decision(data, width, st)]
    story += _findings(data, width, st)
    story += _rules(data, width, st)
    return story


def _facts(data: ReviewData, width: float, st: _Styles) -> Any:
    """Who presents what, where, and exactly which file this review is about."""
    company = _markup(data.partner_name)
    if data.sponsor:
        company += " " + paragraph_markup("— Paid Annual Chapter Sponsor (PRT-5)")
    if data.handouts_allowed and data.sponsor:
        handouts = "Covered by the annual chapter sponsorship (PRT-5, MTG-8)."
    elif data.handouts_allowed:
        handouts = "Approved in advance by the chapter (MTG-8)."
    else:
        handouts = "Not approved: please bring no handouts or promotional items (MTG-8)."
    file_line = (
        _markup(data.filename, bold=True)
        + " "
        + paragraph_markup(
            f"— version {data.version_number} of {data.version_count}, "
            f"received {_when(data.uploaded_at)}"
        )
    )
    fingerprint = (
        paragraph_markup(data.sha256[:12], bold=True)
        + f'<br/><font size="7" color="#8A8A8A">{paragraph_markup(data.sha256)}</font>'
    )
    if data.refused:
        checked = "Could not be checked: " + _plain(data.refused, MAX_TEXT)
    elif data.checked_at:
        checked = f"Checked automatically on {_when(data.checked_at)}"
    else:
        checked = "Not checked yet"
    rows = [
        ("Company", company),
        ("Speaker", _markup(data.speaker_name) or paragraph_markup("—")),
        ("Meeting", _markup(f"{data.meeting_title}, {data.meeting_date}")),
        ("File", file_line),
        ("SHA-256", fingerprint),
        ("Checks", paragraph_markup(checked)),
        ("Handouts", paragraph_markup(handouts)),
    ]
    if _topic_line(data, width).lines[0] != _plain(data.topic):
        rows.insert(0, ("Topic", _markup(data.topic)))  # the page head had to cut it short
    label_w = 1.35 * inch
    table = Table(
        [[Paragraph(label, st.label), Paragraph(value, st.body)] for label, value in rows],
        colWidths=[label_w, width - label_w],
        hAlign="LEFT",
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LINEBELOW", (0, 0), (-1, -2), 0.4, GRID),
            ]
        ),
    )
    return table


def _decision(data: ReviewData, width: float, st: _Styles) -> Any:
    """The decision in a coloured box, with who decided when and the leader's comments."""
    label, ink, fill = DECISIONS[data.decision]
    title = ParagraphStyle("decision_ink", parent=st.decision, textColor=ink)
    cells: list[Any] = [Paragraph(paragraph_markup(label), title)]
    if data.decision is not DeckDecision.PENDING:
        who = f"Decided by {_plain(data.decided_by_name) or 'a chapter leader'}"
        if data.decided_at:
            who += f" on {_when(data.decided_at)}"
        cells.append(Paragraph(paragraph_markup(who + " (DECK-5)."), st.small))
    else:
        cells.append(
            Paragraph(
                paragraph_markup("A chapter leader has not decided on this version yet (DECK-5)."),
                st.small,
            )
        )
    if data.comment.strip():
        cells.append(Spacer(1, 5))
        cells.append(Paragraph(paragraph_markup("Comments from the chapter", bold=True), st.body))
        cells.append(Paragraph(_lines_markup(data.comment), st.body))
    if data.decision is DeckDecision.APPROVED:
        note = (
            "This approval applies to this exact file only (see its SHA-256 above). "
            "Any change to the deck needs a new review."
        )
        cells.append(Spacer(1, 4))
        cells.append(Paragraph(paragraph_markup(note), st.small))
    return Table(
        [[cells]],
        colWidths=[width],
        hAlign="LEFT",
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("BACKGROUND", (0, 0), (-1, -1), fill),
                ("LINEBEFORE", (0, 0), (0, -1), 4, ink),
                ("LEFTPADDING", (0, 0), (-1, -1), 12),
                ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
            ]
        ),
    )


def _summary(findings: Sequence[FindingRow]) -> str:
    if not findings:
        return "The checks found nothing against the chapter rules."
    open_breaking = sum(f.blocks_approval for f in findings)
    dismissed = sum(f.dismissed for f in findings)
    slides = len({f.slide for f in findings if f.slide})
    parts = [
        f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
        + (f" on {slides} slide{'s' if slides != 1 else ''}" if slides else "")
    ]
    if open_breaking:
        parts.append(f"{open_breaking} break{'s' if open_breaking == 1 else ''} a rule")
    if dismissed:
        parts.append(f"{dismissed} dismissed by the chapter")
    return ": ".join([parts[0], ", ".join(parts[1:])]) + "." if len(parts) > 1 else parts[0] + "."


def _findings(data: ReviewData, width: float, st: _Styles) -> list[Any]:
    """Findings grouped by slide, each with its rule, weight, exact text and why."""
    out: list[Any] = [
        Paragraph("Findings by slide", st.section),
        Paragraph(paragraph_markup(_summary(data.findings)), st.body),
    ]
    widths = [0.72 * inch, 1.15 * inch]
    rest = width - sum(widths)
    widths += [rest * 0.42, rest * 0.58]
    for slide, group in groupby(data.findings, key=lambda f: f.slide):
        title = _plain(data.slide_titles.get(slide, ""), 120)
        if slide == 0:
            heading = "The file as a whole"
        else:
            heading = f"Slide {slide}" + (f" — {title}" if title else "")
        out.append(Paragraph(paragraph_markup(heading), st.slide))
        out.append(_finding_table(list(group), widths, st))
    return out


def _finding_table(findings: list[FindingRow], widths: list[float], st: _Styles) -> Any:
    rows: list[list[Any]] = [
        [Paragraph(h, st.head) for h in ("Rule", "Weight", "What was found", "Why it matters")]
    ]
    style: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
    ]
    for i, f in enumerate(findings, start=1):
        cell = st.muted_cell if f.dismissed else st.cell
        weight, fill = SEVERITIES[f.severity]
        if f.dismissed:
            weight, fill = f"Dismissed ({weight.lower()})", DISMISSED_FILL
        found = "“" + _markup(f.text, limit=MAX_TEXT) + "”"
        if f.where:
            found += f'<br/><font size="7.5" color="#5F5F5F">{_markup(f.where)}</font>'
        why = _markup(f.why)
        if f.dismissed:
            why += "<br/>" + paragraph_markup("Dismissed by the chapter:", bold=True) + " "
            why += _markup(f.dismissed_reason or "")
            if f.dismissed_by_name:
                why += " " + paragraph_markup(f"({_plain(f.dismissed_by_name)})")
        rows.append(
            [
                Paragraph(paragraph_markup(f.rule_id, bold=True), cell),
                Paragraph(paragraph_markup(weight), cell),
                Paragraph(found, cell),
                Paragraph(why, cell),
            ]
        )
        style.append(("BACKGROUND", (1, i), (1, i), fill))
        if f.dismissed:
            style.append(("BACKGROUND", (0, i), (0, i), DISMISSED_FILL))
            style.append(("BACKGROUND", (2, i), (-1, i), DISMISSED_FILL))
    return Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT", style=TableStyle(style))


def _rules(data: ReviewData, width: float, st: _Styles) -> list[Any]:
    """What each cited rule says, so the partner need not look it up. The heading stays with
    the first two rules; the rest may run on to the next page rather than leave a gap."""
    if not data.rules:
        return []
    id_w = 0.72 * inch
    rows = [
        [Paragraph(paragraph_markup(rule, bold=True), st.cell), Paragraph(_markup(text), st.cell)]
        for rule, text in data.rules
    ]
    style = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
    )

    def table(part: list[list[Any]]) -> Any:
        return Table(part, colWidths=[id_w, width - id_w], hAlign="LEFT", style=style)

    intro = Paragraph(
        paragraph_markup(
            "Partners present at chapter meetings as educators, at a leader's request. "
            "The findings above cite these rules of the chapter:"
        ),
        st.body,
    )
    head = [Paragraph("The rules cited", st.section), intro, Spacer(1, 4), table(rows[:2])]
    return [KeepTogether(head)] + ([table(rows[2:])] if rows[2:] else [])


# ------------------------------------------------------------------------------ page head


def _topic_line(data: ReviewData, width: float) -> Fitted:
    return fit_line(_plain(data.topic), width, max_size=15, min_size=10, bold=True)


def _draw_heading(canvas: Any, pagesize: tuple[float, float], data: ReviewData) -> None:
    """Chapter, topic and presenting company on every page, so a loose page still says which
    review it belongs to."""
    page_w, page_h = pagesize
    width = page_w - 2 * MARGIN
    top = page_h - MARGIN
    canvas.saveState()
    canvas.setFillColor(MUTED)
    label_size = 9.0
    draw_line(
        canvas,
        page_w - MARGIN,
        top - label_size * ASCENT,
        "DECK REVIEW",
        label_size,
        bold=True,
        align="right",
    )
    chapter = fit_line(
        _plain(data.chapter_name), width - 1.4 * inch, max_size=10, min_size=8, bold=True
    )
    baseline = top - chapter.size * ASCENT
    draw_line(canvas, MARGIN, baseline, chapter.lines[0], chapter.size, bold=True)
    title = _topic_line(data, width)
    baseline -= 6 + title.size * ASCENT
    canvas.setFillColor(INK)
    draw_line(canvas, MARGIN, baseline, title.lines[0], title.size, bold=True)
    who = f"Presented by {_plain(data.partner_name)} · {_plain(data.meeting_title)}"
    line = fit_line(who, width, max_size=10, min_size=8)
    baseline -= 5 + line.size * ASCENT
    canvas.setFillColor(MUTED)
    draw_line(canvas, MARGIN, baseline, line.lines[0], line.size)
    canvas.setStrokeColor(GRID)
    canvas.setLineWidth(0.5)
    rule_y = page_h - MARGIN - HEADER_HEIGHT + 8
    canvas.line(MARGIN, rule_y, page_w - MARGIN, rule_y)
    canvas.restoreState()
