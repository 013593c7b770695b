"""Chapter roster exports: a PDF to print and a CSV for a spreadsheet (ROS-4).

Both take plain strings that the service layer prepared (the fields the leader chose and was
allowed to see) and the confidential mark, which the PDF prints at the foot of every page and
the CSV puts on its first line. Both write atomically: a temporary file beside the target,
fsynced, then moved over it; on any error the temporary file is removed and no partial target
is left. Nothing here logs, and errors never carry a cell's text (rows hold contact data).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.colors import HexColor  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import landscape, letter  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import inch  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    LongTable,
    Paragraph,
    Spacer,
    TableStyle,
)

from chapterdesk.reports._output import open_target
from chapterdesk.reports._pages import (
    build_marked_list,
    footer_height,
    table_frame,
)
from chapterdesk.reports._text import ASCENT, draw_line, fit_line
from chapterdesk.reports.csv_files import csv_file
from chapterdesk.reports.fonts import (
    BOLD,
    REGULAR,
    clean,
    font_runs,
    paragraph_markup,
    register_fonts,
    text_width,
)

INK = HexColor("#111111")
MUTED = HexColor("#555555")
GRID = HexColor("#B4B4B4")
HEADER_FILL = HexColor("#E6E6E6")
STRIPE = HexColor("#F4F4F4")

MARGIN = 0.5 * inch
HEADER_HEIGHT = 0.5 * inch  # the running head on every page, above the table
CELL_SIZE = 8.5
CELL_LEADING = 10.5
PADDING = 4.0
MAX_NATURAL = 3.2 * inch  # no column asks for more than this; longer text wraps
MAX_WORD = 2.4 * inch  # a column is at least as wide as its longest word, up to this
MIN_COLUMN = 0.6 * inch
SHORT_COLUMN = 1.6 * inch  # a column that needs no more than this never wraps (name, phone)
PORTRAIT_MAX_FIELDS = 4  # more fields than this print in landscape


def roster_csv(
    mark: str,
    labels: Sequence[str],
    rows: Sequence[Sequence[str]],
    target: BinaryIO | Path,
) -> int:
    """Write the mark, the header row and ``rows`` as CSV and return the number of rows.

    UTF-8 with a byte-order mark, so Excel opens "Zoë Müller" as written; CRLF line ends as
    RFC 4180 and Excel expect; formula-looking cells defused (see :mod:`.csv_files`)."""
    with csv_file(target) as writer:
        writer.writerow([mark])
        writer.writerow(list(labels))
        writer.writerows(rows)
    return len(rows)


def roster_pdf(
    chapter_name: str,
    mark: str,
    purpose: str,
    labels: Sequence[str],
    rows: Sequence[Sequence[str]],
    target: BinaryIO | Path,
    *,
    pagesize: tuple[float, float] = letter,
) -> int:
    """Write the roster as a table and return the number of pages.

    Landscape when there are more than four fields or the columns need the width; the column
    headings repeat on every page, and every page ends with ``mark`` and "Page N of M"."""
    register_fonts()
    chapter, footer = clean(chapter_name), clean(mark)
    cell, head = _styles()
    natural, floors = _column_needs(labels, rows, cell)
    number_w = max(
        text_width(str(len(rows)), CELL_SIZE), text_width("No.", CELL_SIZE, bold=True)
    ) + (2 * PADDING + 2)
    portrait_room = min(pagesize) - 2 * MARGIN - number_w
    wide = len(labels) > PORTRAIT_MAX_FIELDS or sum(natural) > portrait_room
    size = landscape(pagesize) if wide else (min(pagesize), max(pagesize))
    page_w, page_h = size
    footer_h = footer_height(footer, page_w, MARGIN)
    frame = table_frame(page_w, page_h, MARGIN, HEADER_HEIGHT, footer_h)
    widths = [number_w, *_fit_columns(natural, floors, frame.width - number_w)]
    counter: list[int] = []

    def heading(canvas: Any, _doc: Any) -> None:
        _draw_heading(canvas, size, chapter)

    intro = ParagraphStyle("intro", parent=cell, fontSize=9, leading=12, textColor=MUTED)
    story = [
        Paragraph(
            "<b>Purpose:</b> " + paragraph_markup(purpose)
            if purpose
            else paragraph_markup("No purpose given"),
            intro,
        ),
        Paragraph(
            paragraph_markup(f"{len(rows)} {'person' if len(rows) == 1 else 'people'}"), intro
        ),
        Spacer(1, 6),
        _table(labels, rows, widths, cell, head),
    ]
    with open_target(target) as out:
        build_marked_list(
            out,
            story,
            pagesize=size,
            frame=frame,
            on_page=heading,
            footer=footer,
            margin=MARGIN,
            counter=counter,
            title=f"Roster — {chapter}",
            author=chapter,
            subject="Confidential: chapter roster",
        )
    return counter[0]


def _styles() -> tuple[ParagraphStyle, ParagraphStyle]:
    # embeddedHyphenation: "Müller-Lüdenscheidt" breaks after its hyphen, not mid-word.
    cell = ParagraphStyle(
        "cell",
        fontName=REGULAR,
        fontSize=CELL_SIZE,
        leading=CELL_LEADING,
        textColor=INK,
        embeddedHyphenation=2,
    )
    head = ParagraphStyle("head", parent=cell, fontName=BOLD)
    return cell, head


def _column_needs(
    labels: Sequence[str], rows: Sequence[Sequence[str]], cell: ParagraphStyle
) -> tuple[list[float], list[float]]:
    """Per column: the width that shows every cell on one line (capped), and the least width
    that keeps every word whole (capped)."""
    natural: list[float] = []
    floors: list[float] = []
    for c, label in enumerate(labels):
        widest = text_width(clean(label), cell.fontSize, bold=True)
        word = max((text_width(w, cell.fontSize, bold=True) for w in label.split()), default=0)
        for row in rows:
            text = clean(row[c])
            if not text:
                continue
            widest = max(widest, text_width(text, cell.fontSize))
            if word < MAX_WORD:
                units = (u for w in text.split() for u in _break_units(w))
                word = max(word, *(text_width(u, cell.fontSize) for u in units))
        natural.append(min(widest, MAX_NATURAL) + 2 * PADDING + 1)
        floors.append(min(word, MAX_WORD) + 2 * PADDING + 1)
    return natural, floors


def _fit_columns(natural: list[float], floors: list[float], width: float) -> list[float]:
    """Widths that add up to ``width``: the natural widths stretched when they fit; otherwise
    every column keeps its floor (its longest word, or all of a short column), columns that
    need little get all they need, and the wide ones share the rest equally ("water-filling":
    one very long name does not squeeze every email address)."""
    if not natural:
        return []
    total = sum(natural)
    if total <= width:
        return [w * width / total for w in natural]
    floors = [
        n if n <= SHORT_COLUMN else min(max(f, MIN_COLUMN), n)
        for f, n in zip(floors, natural, strict=True)
    ]
    if sum(floors) >= width:
        return [f * width / sum(floors) for f in floors]

    def widths_at(level: float) -> list[float]:
        return [min(n, max(f, level)) for f, n in zip(floors, natural, strict=True)]

    low, high = 0.0, max(natural)
    for _ in range(50):  # sum(widths_at(level)) grows with level: bisect for ``width``
        mid = (low + high) / 2
        if sum(widths_at(mid)) < width:
            low = mid
        else:
            high = mid
    return widths_at(high)


def _cell_content(text: str, width: float, style: ParagraphStyle) -> Any:
    """A plain string when it fits on one line in DejaVu (fast for thousands of rows), else a
    paragraph that wraps and switches font for CJK."""
    text = clean(text)
    if not text:
        return ""
    runs = font_runs(text)
    size = style.fontSize
    if len(runs) == 1 and runs[0][0] == REGULAR and text_width(text, size) <= width:
        return text
    if " " not in text and text_width(text, size) > width:
        # An email address or web address: break it after "." "-" "_" or before "@", where a
        # reader expects it, rather than at whichever letter the column ends.
        lines = _break_word(text, width, size)
        return Paragraph("<br/>".join(paragraph_markup(line) for line in lines), style)
    return Paragraph(paragraph_markup(text), style)


def _break_units(word: str) -> list[str]:
    """``word`` cut where a reader accepts a line break: after "." "-" "_" "/", before "@"."""
    units: list[str] = []
    current = ""
    for ch in word:
        if ch == "@" and current:
            units.append(current)
            current = ""
        current += ch
        if ch in ".-_/":
            units.append(current)
            current = ""
    if current:
        units.append(current)
    return units


def _break_word(word: str, width: float, size: float) -> list[str]:
    """``word`` on as few lines as fit ``width``, cut at its natural break points if it can;
    an email address that fits on two lines is cut before its "@"."""
    local, at, domain = word.partition("@")
    if at and local and max(text_width(local, size), text_width(at + domain, size)) <= width:
        return [local, at + domain]
    lines: list[str] = []
    for part in _break_units(word):
        if lines and text_width(lines[-1] + part, size) <= width:
            lines[-1] += part
            continue
        while text_width(part, size) > width and len(part) > 1:  # no break point: cut it
            cut = _longest_prefix(part, width, size)
            lines.append(part[:cut])
            part = part[cut:]
        lines.append(part)
    return lines


def _longest_prefix(text: str, width: float, size: float) -> int:
    """How many leading characters of ``text`` fit ``width`` (at least one)."""
    for end in range(len(text) - 1, 1, -1):
        if text_width(text[:end], size) <= width:
            return end
    return 1


def _table(
    labels: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: list[float],
    cell: ParagraphStyle,
    head: ParagraphStyle,
) -> Any:
    """The roster table; the header row repeats on every page."""
    inner = [w - 2 * PADDING for w in widths]
    data: list[list[Any]] = [
        [Paragraph("No.", head), *(Paragraph(paragraph_markup(x), head) for x in labels)]
    ]
    for i, row in enumerate(rows, start=1):
        data.append(
            [
                str(i),
                *(
                    _cell_content(text, inner[c + 1], cell)
                    for c, text in enumerate(row[: len(labels)])
                ),
            ]
        )
    style = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
        ("LEADING", (0, 0), (-1, -1), CELL_LEADING),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("TEXTCOLOR", (0, 1), (0, -1), MUTED),
        ("ALIGN", (0, 1), (0, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, STRIPE]),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, GRID),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, GRID),
        ("BOX", (0, 0), (-1, -1), 0.5, GRID),
    ]
    return LongTable(data, colWidths=widths, repeatRows=1, style=TableStyle(style), hAlign="LEFT")


def _draw_heading(canvas: Any, pagesize: tuple[float, float], chapter: str) -> None:
    """The chapter and "Confidential roster" at the top of every page."""
    page_w, page_h = pagesize
    width = page_w - 2 * MARGIN
    top = page_h - MARGIN
    canvas.saveState()
    label = "CONFIDENTIAL ROSTER"
    label_size = 9.0
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
    room = width - text_width(label, label_size, bold=True) - 0.3 * inch
    fitted = fit_line(chapter, room, max_size=13, min_size=9, bold=True)
    canvas.setFillColor(INK)
    draw_line(canvas, MARGIN, top - fitted.size * ASCENT, fitted.lines[0], fitted.size, bold=True)
    canvas.setStrokeColor(GRID)
    canvas.setLineWidth(0.5)
    rule_y = top - HEADER_HEIGHT + 10
    canvas.line(MARGIN, rule_y, page_w - MARGIN, rule_y)
    canvas.restoreState()
