"""Paper sign-in sheets for a meeting.

A sign-in sheet is a roster on paper, so it carries names, companies and categories only, never
an e-mail address or phone number (ROS-2: :class:`~chapterdesk.services.views.SignInRow` has no
such field, and this module must not grow one), and every page carries the confidential mark
with who printed it and when (ROS-4).
Deciding *who* may print it, and recording that they did, is the service layer's job.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.colors import HexColor  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import letter  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import inch  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Paragraph,
    Table,
    TableStyle,
)

from chapterdesk.domain.enums import OrgCategory
from chapterdesk.reports._output import open_target
from chapterdesk.reports._pages import (
    build_marked_list,
    footer_height,
    numbered_canvas,
    table_frame,
)
from chapterdesk.reports._text import ASCENT, draw_line, fit_line
from chapterdesk.reports.fonts import (
    BOLD,
    REGULAR,
    clean,
    paragraph_markup,
    register_fonts,
    text_width,
)
from chapterdesk.services.views import SignInRow

INK = HexColor("#111111")
MUTED = HexColor("#555555")
GRID = HexColor("#9A9A9A")
HEADER_FILL = HexColor("#E6E6E6")
PARTNER_FILL = HexColor("#FBE3D6")  # the badge band's orange, faded so a pen still shows on it

MARGIN = 0.6 * inch
HEADER_HEIGHT = 0.85 * inch  # the running head drawn on every page above the table

# MTG-6: partners are named as vendors wherever attendees are listed.
TYPE_LABELS = {
    OrgCategory.CUSTOMER: "Customer",
    OrgCategory.PARTNER: "Partner (vendor)",
    OrgCategory.MICROSOFT: "Microsoft",
}


def signin_sheet_pdf(
    chapter_name: str,
    meeting_title: str,
    meeting_date: str,
    venue: str,
    rows: Sequence[SignInRow],
    target: BinaryIO | Path,
    *,
    mark: str,
    pagesize: tuple[float, float] = letter,
) -> int:
    """Write the sign-in sheet, rows in the order given, and return the number of pages.

    Every page repeats the meeting heading and the column headings, and ends with the
    confidential ``mark`` ("Confidential — for <chapter> use only — exported by <name> on
    <date>", ROS-4) and "Page N of M". A path is written atomically.
    """
    register_fonts()
    chapter, title = clean(chapter_name), clean(meeting_title)
    date, place = clean(meeting_date), clean(venue)
    footer = clean(mark)
    page_w, page_h = pagesize
    counter: list[int] = []
    footer_h = footer_height(footer, page_w, MARGIN)

    def heading(canvas: Any, _doc: Any) -> None:
        _draw_heading(canvas, pagesize, chapter, title, date, place)

    frame = table_frame(page_w, page_h, MARGIN, HEADER_HEIGHT, footer_h)
    with open_target(target) as out:
        build_marked_list(
            out,
            [_table(rows, frame.width)],
            pagesize=pagesize,
            frame=frame,
            on_page=heading,
            footer=footer,
            margin=MARGIN,
            counter=counter,
            title=f"Sign-in sheet — {title} — {date}",
            author=chapter,
            subject="Confidential: meeting sign-in sheet",
        )
    return counter[0]


def _table(rows: Sequence[SignInRow], width: float) -> Any:
    """The sign-in table; the header row repeats on every page."""
    # embeddedHyphenation: "Hohenzollern-Sigmaringen" breaks after its hyphen, not mid-word.
    cell = ParagraphStyle(
        "cell",
        fontName=REGULAR,
        fontSize=9.5,
        leading=11.5,
        textColor=INK,
        embeddedHyphenation=2,
    )
    number = ParagraphStyle("number", parent=cell, alignment=TA_RIGHT, textColor=MUTED)
    head = ParagraphStyle("head", parent=cell, fontName=BOLD)
    data: list[list[Any]] = [
        [Paragraph(text, head) for text in ("No.", "Name", "Company", "Type", "Signature")]
    ]
    partner_rows: list[int] = []
    for i, row in enumerate(rows, start=1):
        is_partner = row.category is OrgCategory.PARTNER
        if is_partner:
            partner_rows.append(i)
        data.append(
            [
                Paragraph(str(i), number),
                Paragraph(paragraph_markup(row.name), cell),
                Paragraph(paragraph_markup(row.organisation), cell),
                Paragraph(paragraph_markup(TYPE_LABELS[row.category], bold=is_partner), cell),
                "",  # the signature box
            ]
        )
    padding = 4
    number_w = 0.4 * inch
    type_w = max(text_width(label, cell.fontSize, bold=True) for label in TYPE_LABELS.values())
    type_w += 2 * padding + 2
    rest = width - number_w - type_w
    widths = [number_w, rest * 0.35, rest * 0.35, type_w, rest * 0.30]
    style = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # the empty signature cells, not Helvetica
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        ("TOPPADDING", (0, 1), (-1, -1), 7),  # ~26 pt rows: room to sign
        ("BOTTOMPADDING", (0, 1), (-1, -1), 7),
        ("TOPPADDING", (0, 0), (-1, 0), 4),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
    ]
    style += [("BACKGROUND", (3, i), (3, i), PARTNER_FILL) for i in partner_rows]
    return Table(data, colWidths=widths, repeatRows=1, style=TableStyle(style), hAlign="LEFT")


def _draw_heading(
    canvas: Any, pagesize: tuple[float, float], chapter: str, title: str, date: str, venue: str
) -> None:
    """Chapter, meeting, date and venue at the top of every page, so a loose page still says
    which meeting it belongs to."""
    page_w, page_h = pagesize
    width = page_w - 2 * MARGIN
    canvas.saveState()
    label = "SIGN-IN SHEET"
    label_size = 9.0
    top = page_h - MARGIN
    canvas.setFillColor(MUTED)
    draw_line(
        canvas,
        page_w - MARGIN,
        top - label_size * ASCENT,
        label,
        label_size,
        bold=True,
        align="right",
    )
    chapter_fit = fit_line(chapter, width - 1.4 * inch, max_size=10, min_size=8, bold=True)
    baseline = top - chapter_fit.size * ASCENT
    draw_line(canvas, MARGIN, baseline, chapter_fit.lines[0], chapter_fit.size, bold=True)
    title_fit = fit_line(title, width, max_size=15, min_size=11, bold=True)
    baseline -= 6 + title_fit.size * ASCENT
    canvas.setFillColor(INK)
    draw_line(canvas, MARGIN, baseline, title_fit.lines[0], title_fit.size, bold=True)
    where = " · ".join(part for part in (date, venue) if part)
    where_fit = fit_line(where, width, max_size=10, min_size=8)
    baseline -= 5 + where_fit.size * ASCENT
    canvas.setFillColor(MUTED)
    draw_line(canvas, MARGIN, baseline, where_fit.lines[0], where_fit.size)
    canvas.restoreState()


def _numbered_canvas(footer: str, counter: list[int]) -> Callable[..., Canvas]:
    """The footer of other reports (the deck review): one line, cut with "…" if need be."""
    return numbered_canvas(footer, MARGIN, counter, max_lines=1)
