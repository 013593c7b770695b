"""Name badges for the check-in desk, as a PDF for label stock or plain paper.

Qt-free and database-free: it takes :class:`~chapterdesk.services.views.BadgeData` and writes a
PDF. Every piece of text is fitted to its box (shrunk, then cut with "…") and each label is
clipped, so nothing a registrant typed can spill onto the neighbouring badge.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import segno
from reportlab.lib.colors import Color, HexColor, black, white  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A6 as A6_PAGE  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch, mm  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from chapterdesk.reports._output import open_target
from chapterdesk.reports._text import (
    ASCENT,
    CAP_HEIGHT,
    DESCENT,
    Align,
    Fitted,
    draw_line,
    fit_line,
    fit_name,
    wrap,
)
from chapterdesk.reports.fonts import REGULAR, clean, register_fonts, text_width
from chapterdesk.services.views import BadgeData

INK = HexColor("#111111")
MUTED = HexColor("#555555")
RULE = HexColor("#BBBBBB")
# MTG-6: partners are marked as vendors. A dark orange band with white text: unmistakable in
# colour and still a dark band with readable white text on a black-and-white printer.
PARTNER_BAND = HexColor("#C2410C")


@dataclass(frozen=True)
class LabelStock:
    """Where the labels sit on a sheet. Lengths in PostScript points (1/72 in), origin top-left
    as you look at the sheet; labels are filled left to right, then top to bottom."""

    name: str
    page_size: tuple[float, float]
    label_width: float
    label_height: float
    columns: int
    rows: int
    left_margin: float
    top_margin: float
    column_gap: float = 0.0
    row_gap: float = 0.0
    padding: float = 0.15 * inch  # kept clear inside each label: holder rims, printer drift

    def __post_init__(self) -> None:
        page_w, page_h = self.page_size
        used_w = self.left_margin + self.columns * self.label_width
        used_h = self.top_margin + self.rows * self.label_height
        used_w += (self.columns - 1) * self.column_gap
        used_h += (self.rows - 1) * self.row_gap
        if self.columns < 1 or self.rows < 1 or used_w > page_w + 0.01 or used_h > page_h + 0.01:
            raise ValueError(f"label stock {self.name!r} does not fit on its page")

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def origin(self, slot: int) -> tuple[float, float]:
        """Bottom-left corner, in PDF coordinates, of label number ``slot`` on a sheet."""
        row, col = divmod(slot, self.columns)
        x = self.left_margin + col * (self.label_width + self.column_gap)
        top = self.page_size[1] - self.top_margin - row * (self.label_height + self.row_gap)
        return x, top - self.label_height


# Avery 5392 (and its twins 5384/8392, "Name Badge Inserts, 3 x 4 in"): US letter, 8.5 x 11 in,
# six 4 in wide x 3 in high inserts in 2 columns x 3 rows, top and bottom margins 1 in, left and
# right margins 0.25 in, no gap between inserts (0.25 + 4 + 4 + 0.25 = 8.5; 1 + 3 x 3 + 1 = 11).
# Source: Avery's 5392 template as reproduced by several open-source badge printers (label grid
# 288 x 216 pt, origin 18 pt from the left and 72 pt from the top).
AVERY_5392 = LabelStock(
    name="Avery 5392 (4 × 3 in, 6 per US letter sheet)",
    page_size=letter,
    label_width=4 * inch,
    label_height=3 * inch,
    columns=2,
    rows=3,
    left_margin=0.25 * inch,
    top_margin=1 * inch,
)

# One badge per A6 page (105 x 148 mm, portrait): for a desk printer fed with A6 card, or an A4
# printer told to print 4 pages per sheet. Desk printers cannot print the outer ~5 mm.
A6 = LabelStock(
    name="A6 (one badge per page)",
    page_size=A6_PAGE,
    label_width=A6_PAGE[0],
    label_height=A6_PAGE[1],
    columns=1,
    rows=1,
    left_margin=0,
    top_margin=0,
    padding=7 * mm,
)


def badges_pdf(
    badges: Sequence[BadgeData],
    target: BinaryIO | Path,
    stock: LabelStock = AVERY_5392,
    *,
    mark: str = "",
) -> int:
    """Write one badge per label, in the given order, and return the number of pages.

    ``mark`` (a sheet of a meeting's people is a printed list, ROS-4) goes in the sheet's
    bottom margin, outside the badges that are cut out and worn; a stock without a margin
    (A6, one badge a page) has nowhere to print it. A path is written atomically (see
    :func:`chapterdesk.reports._output.open_target`).
    """
    if not badges:
        raise ValueError("no badges to print")
    register_fonts()
    pages = math.ceil(len(badges) / stock.per_page)
    with open_target(target) as out:
        # initialFontName: otherwise ReportLab puts an unused Helvetica in every file.
        canvas = Canvas(out, pagesize=stock.page_size, pageCompression=1, initialFontName=REGULAR)
        first = badges[0]
        canvas.setTitle(clean(f"Badges — {first.meeting_title} {first.meeting_date}"))
        canvas.setAuthor(clean(first.chapter_name))
        canvas.setCreator("ChapterDesk")
        for page in range(pages):
            chunk = badges[page * stock.per_page : (page + 1) * stock.per_page]
            for slot, badge in enumerate(chunk):
                x, y = stock.origin(slot)
                canvas.saveState()
                canvas.translate(x, y)
                _draw_badge(canvas, badge, stock)
                canvas.restoreState()
            if mark:
                _draw_margin_mark(canvas, stock, mark)
            canvas.showPage()
        canvas.save()
    return pages


def _draw_margin_mark(canvas: Canvas, stock: LabelStock, mark: str) -> None:
    page_w, _page_h = stock.page_size
    grid_h = stock.rows * stock.label_height + (stock.rows - 1) * stock.row_gap
    bottom = stock.page_size[1] - stock.top_margin - grid_h
    if bottom < 14:
        return
    size = 7.0
    while size > 5 and text_width(mark, size) > page_w - 36:
        size -= 0.5
    canvas.setFillColor(MUTED)
    canvas.setFont(REGULAR, size)
    canvas.drawCentredString(page_w / 2, bottom / 2 - size / 3, clean(mark))


def badge_pdf(badge: BadgeData, target: BinaryIO | Path, stock: LabelStock = A6) -> int:
    """One badge on its own page: a late registration or a reprint at the desk."""
    return badges_pdf([badge], target, stock)


# --------------------------------------------------------------------------- drawing


def _draw_badge(canvas: Any, badge: BadgeData, stock: LabelStock) -> None:
    """Draw one badge with its bottom-left corner at the current origin."""
    w, h = stock.label_width, stock.label_height
    pad = stock.padding
    s = min(w / 288.0, h / 216.0)  # 1.0 on a 4 x 3 in insert
    inner_w = w - 2 * pad

    clip = canvas.beginPath()
    clip.rect(0, 0, w, h)
    canvas.clipPath(clip, stroke=0, fill=0)

    # Header: chapter, then meeting title and date, small, above a hairline.
    top = h - pad
    chapter = fit_line(clean(badge.chapter_name), inner_w, max_size=8.5 * s, min_size=6, bold=True)
    baseline = top - chapter.size * ASCENT
    canvas.setFillColor(MUTED)
    draw_line(canvas, pad, baseline, chapter.lines[0], chapter.size, bold=True)
    meeting_size = 7.5 * s
    date = clean(badge.meeting_date)
    date_w = text_width(date, meeting_size)
    title_room = max(inner_w - date_w - 10 * s, inner_w * 0.4)
    title = fit_line(
        clean(badge.meeting_title), title_room, max_size=meeting_size, min_size=meeting_size * 0.9
    )
    baseline -= chapter.size * DESCENT + title.size * ASCENT + 2 * s
    draw_line(canvas, pad, baseline, title.lines[0], title.size)
    date_fit = fit_line(date, inner_w - title_room - 6 * s, max_size=meeting_size, min_size=5)
    draw_line(canvas, w - pad, baseline, date_fit.lines[0], date_fit.size, align="right")
    rule_y = baseline - title.size * DESCENT - 3 * s
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(pad, rule_y, w - pad, rule_y)
    top = rule_y - 4 * s

    # The band's place is kept on every badge, so names and QR codes line up across a sheet
    # whether or not the neighbour is a partner.
    band_h = 22 * s
    if badge.is_partner:
        _draw_partner_band(canvas, badge, pad, inner_w, band_h, s)
    bottom = pad + band_h + 6 * s

    if w >= h:
        _draw_wide_body(canvas, badge, stock, s, top, bottom)
    else:
        _draw_tall_body(canvas, badge, stock, s, top, bottom)


def _draw_partner_band(
    canvas: Any, badge: BadgeData, pad: float, inner_w: float, band_h: float, s: float
) -> None:
    """MTG-6: "PARTNER · <organisation>" in a coloured band at the foot of the badge."""
    canvas.setFillColor(PARTNER_BAND)
    canvas.roundRect(pad, pad, inner_w, band_h, 3 * s, stroke=0, fill=1)
    organisation = clean(badge.organisation)
    text = f"PARTNER · {organisation}" if organisation else "PARTNER"
    # Readable from across the room beats complete: a long company name is cut, not shrunk away.
    fitted = fit_line(text, inner_w - 12 * s, max_size=11 * s, min_size=8.5 * s, bold=True)
    baseline = pad + (band_h - fitted.size * CAP_HEIGHT) / 2
    canvas.setFillColor(white)
    centre = pad + inner_w / 2
    draw_line(canvas, centre, baseline, fitted.lines[0], fitted.size, bold=True, align="centre")


def _draw_wide_body(
    canvas: Any, badge: BadgeData, stock: LabelStock, s: float, top: float, bottom: float
) -> None:
    """Landscape insert: first name across the full width, then surname and company on the left
    with the QR code on the right."""
    w, pad = stock.label_width, stock.padding
    inner_w = w - 2 * pad
    qr = min(0.27 * w, 0.34 * stock.label_height, (top - bottom) * 0.62)
    code_size = 6.5 * s
    code_h = code_size * (ASCENT + DESCENT)
    qr_x = w - pad - qr
    qr_y = bottom + code_h
    _draw_qr(canvas, badge.code, qr_x, qr_y, qr)
    lower_top = qr_y + qr

    first_zone_bottom = lower_top + 2 * s
    first = fit_name(
        clean(badge.first_name),
        inner_w,
        top - first_zone_bottom,
        max_size=44 * s,
        min_size=12 * s,
    )
    _draw_block(canvas, first, pad, top, first_zone_bottom, INK, align="left")

    left_w = qr_x - pad - 8 * s
    last = fit_line(clean(badge.last_name), left_w, max_size=20 * s, min_size=9 * s, bold=False)
    baseline = lower_top - 6 * s - last.size * ASCENT
    canvas.setFillColor(INK)
    draw_line(canvas, pad, baseline, last.lines[0], last.size)
    org_size = 11 * s
    baseline -= last.size * DESCENT + org_size * ASCENT + 5 * s
    org_lines = _room_for_lines(baseline, bottom, org_size)
    canvas.setFillColor(MUTED)
    for line in wrap(clean(badge.organisation), left_w, org_size, max_lines=min(org_lines, 3)):
        draw_line(canvas, pad, baseline, line, org_size)
        baseline -= org_size * 1.2
    _draw_code_caption(canvas, badge.code, qr_x + qr / 2, bottom, code_size, qr)


def _draw_tall_body(
    canvas: Any, badge: BadgeData, stock: LabelStock, s: float, top: float, bottom: float
) -> None:
    """Portrait card (A6): names and company centred, QR code centred below them."""
    w, pad = stock.label_width, stock.padding
    inner_w = w - 2 * pad
    centre = w / 2
    qr = min(0.42 * w, 0.3 * stock.label_height)
    code_size = 7 * s
    code_h = code_size * (ASCENT + DESCENT)
    qr_y = bottom + code_h
    _draw_qr(canvas, badge.code, centre - qr / 2, qr_y, qr)
    _draw_code_caption(canvas, badge.code, centre, bottom, code_size, qr)

    room = top - (qr_y + qr + 8 * s)
    first_h = room * 0.5
    first = fit_name(clean(badge.first_name), inner_w, first_h, max_size=60 * s, min_size=14 * s)
    _draw_block(canvas, first, centre, top, top - first_h, INK, align="centre")
    y = top - first_h
    last = fit_line(
        clean(badge.last_name), inner_w, max_size=26 * s, min_size=10 * s, height=room * 0.2
    )
    baseline = y - 4 * s - last.size * ASCENT
    canvas.setFillColor(INK)
    draw_line(canvas, centre, baseline, last.lines[0], last.size, align="centre")
    org_size = 14 * s
    baseline -= last.size * DESCENT + org_size * ASCENT + 8 * s
    org_lines = _room_for_lines(baseline, qr_y + qr + 8 * s, org_size)
    canvas.setFillColor(MUTED)
    for line in wrap(clean(badge.organisation), inner_w, org_size, max_lines=min(org_lines, 3)):
        draw_line(canvas, centre, baseline, line, org_size, align="centre")
        baseline -= org_size * 1.2


def _draw_block(
    canvas: Any, fitted: Fitted, x: float, top: float, bottom: float, colour: Color, *, align: Align
) -> None:
    """Centre a fitted block of lines vertically between ``top`` and ``bottom``."""
    line_h = fitted.line_height
    block_h = line_h * len(fitted.lines)
    baseline = top - max((top - bottom - block_h) / 2, 0) - fitted.size * ASCENT
    canvas.setFillColor(colour)
    for line in fitted.lines:
        draw_line(canvas, x, baseline, line, fitted.size, bold=fitted.bold, align=align)
        baseline -= line_h


def _draw_code_caption(
    canvas: Any, code: str, centre: float, bottom: float, size: float, width: float
) -> None:
    """The code in small print under the QR, for typing it in when a scanner fails."""
    fitted = fit_line(clean(code), width, max_size=size, min_size=4.5)
    canvas.setFillColor(MUTED)
    draw_line(
        canvas, centre, bottom + fitted.size * DESCENT, fitted.lines[0], fitted.size, align="centre"
    )


def _draw_qr(canvas: Any, code: str, x: float, y: float, size: float) -> None:
    """The registration code as a QR code (level M), quiet zone included in ``size``.

    Encoded with segno (which, like the standard asks, picks the best of the 8 masks) and drawn
    as one filled path of module runs straight onto the canvas: ReportLab's own widget and
    encoder took 17 s and then 7 s for 1,000 badges (``benchmarks/checkin.py``).
    """
    if not code:
        return
    modules = segno.make_qr(code, error="m", boost_error=False).matrix
    border = 3  # modules of white around the code; the label's padding adds to it
    box = size / (len(modules) + 2 * border)
    path = canvas.beginPath()
    for r, row in enumerate(modules):
        row_y = y + size - (r + border + 1) * box
        c = 0
        for dark, run in itertools.groupby(bool(m) for m in row):
            count = sum(1 for _ in run)
            if dark:
                path.rect(x + (c + border) * box, row_y, count * box, box)
            c += count
    canvas.setFillColor(black)
    canvas.drawPath(path, stroke=0, fill=1)


def _room_for_lines(baseline: float, floor: float, size: float) -> int:
    """How many lines of ``size`` fit from ``baseline`` down without crossing ``floor``."""
    if baseline - size * DESCENT < floor:
        return 0
    return 1 + int((baseline - size * DESCENT - floor) // (size * 1.2))
