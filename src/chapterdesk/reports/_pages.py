"""The footer every printed list of people shares: the confidential mark and "Page N of M".

ROS-4 wants the mark on every page, whole: a loose page left on a venue table must still say
whose list it is and who printed it. So the mark is never cut with an ellipsis; it shrinks a
little and then takes a second (or third) line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib.colors import HexColor  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
)

from chapterdesk.reports._text import ASCENT, DESCENT, Fitted, draw_line, ellipsize
from chapterdesk.reports.fonts import REGULAR, text_width

MUTED = HexColor("#555555")
RULE = HexColor("#9A9A9A")

FOOTER_SIZE = 8.0
NUMBER_GAP = 14.0  # between the mark and the page number
RULE_GAP = 4.0  # between the rule and the first footer line's capitals


def _greedy_lines(text: str, width: float, size: float, *, bold: bool) -> list[str] | None:
    """Every word of ``text`` on lines no wider than ``width``; None if one word is too wide."""
    lines: list[str] = []
    for word in text.split():
        if text_width(word, size, bold=bold) > width:
            return None
        if lines and text_width(f"{lines[-1]} {word}", size, bold=bold) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def fit_whole(
    text: str,
    width: float,
    *,
    max_size: float,
    min_size: float,
    max_lines: int,
    bold: bool = False,
) -> Fitted:
    """``text`` complete, on as few lines as possible at the largest size that fits: one line
    down to ``min_size``, then two lines from ``max_size`` down, and so on. Only text that does
    not fit ``max_lines`` at ``min_size`` is cut."""
    for count in range(1, max_lines + 1):
        size = max_size
        while size >= min_size - 1e-6:
            lines = _greedy_lines(text, width, size, bold=bold)
            if lines is not None and len(lines) <= count:
                return Fitted(tuple(lines), size, bold)
            size -= 0.5
    lines = _greedy_lines(text, width, min_size, bold=bold) or [text]
    rest = ellipsize(" ".join(lines[max_lines - 1 :]), min_size, width, bold=bold)
    kept = [*lines[: max_lines - 1], rest]
    return Fitted(tuple(kept), min_size, bold)


def table_frame(
    page_w: float, page_h: float, margin: float, header_h: float, footer_h: float
) -> Frame:
    """The body of a list page between the running head and the marked footer, without the
    default 6 pt padding, so the table lines up with both."""
    return Frame(
        margin,
        margin + footer_h,
        page_w - 2 * margin,
        page_h - 2 * margin - header_h - footer_h,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="table",
    )


def footer_height(mark: str, page_width: float, margin: float, max_lines: int = 3) -> float:
    """Room the footer needs above the bottom margin for ``mark`` on a page this wide."""
    fitted = _fit_mark(mark, page_width, margin, max_lines)
    return len(fitted.lines) * fitted.line_height + RULE_GAP + 6


def _fit_mark(mark: str, page_width: float, margin: float, max_lines: int) -> Fitted:
    number_room = text_width("Page 9999 of 9999", FOOTER_SIZE)
    room = page_width - 2 * margin - number_room - NUMBER_GAP
    return fit_whole(mark, room, max_size=FOOTER_SIZE, min_size=6.5, max_lines=max_lines, bold=True)


def numbered_canvas(
    mark: str, margin: float, counter: list[int], *, max_lines: int = 3
) -> Callable[..., Canvas]:
    """A canvas class that holds pages back until the end, so each footer can say "of M", and
    prints ``mark`` at the foot of every page (on up to ``max_lines`` lines, see
    :func:`footer_height`); the page total is appended to ``counter``."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._draw_footer(total)
                super().showPage()
            counter.append(total)
            super().save()

        def _draw_footer(self, total: int) -> None:
            page_w, _ = self._pagesize
            fitted = _fit_mark(mark, page_w, margin, max_lines)
            step = fitted.line_height
            # The last line sits on the bottom margin; the others stack above it.
            baselines = [
                margin + DESCENT * fitted.size + (len(fitted.lines) - 1 - i) * step
                for i in range(len(fitted.lines))
            ]
            rule_y = baselines[0] + ASCENT * fitted.size + RULE_GAP
            self.saveState()
            self.setFillColor(MUTED)
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(margin, rule_y, page_w - margin, rule_y)
            for line, baseline in zip(fitted.lines, baselines, strict=True):
                draw_line(self, margin, baseline, line, fitted.size, bold=True)
            number = f"Page {self._pageNumber} of {total}"
            draw_line(self, page_w - margin, baselines[-1], number, FOOTER_SIZE, align="right")
            self.restoreState()

    return NumberedCanvas


class ListLayoutError(Exception):
    """ReportLab could not lay out a list of people. The message never quotes the cells."""


def build_marked_list(
    out: Any,
    story: list[Flowable],
    *,
    pagesize: tuple[float, float],
    frame: Frame,
    on_page: Callable[[Any, Any], None],
    footer: str,
    margin: float,
    counter: list[int],
    title: str,
    author: str,
    subject: str,
) -> None:
    """Lay a list of people out page by page: running head (``on_page``), the confidential
    mark and "page x of y" in the footer of every page (ROS-4)."""
    doc = BaseDocTemplate(
        out,
        pagesize=pagesize,
        pageTemplates=[PageTemplate(id="list", frames=[frame], onPage=on_page)],
        title=title,
        author=author,
        subject=subject,
        creator="ChapterDesk",
        initialFontName=REGULAR,  # no stray Helvetica in the file
    )
    try:
        doc.build(story, canvasmaker=numbered_canvas(footer, margin, counter))
    except OSError:
        raise
    except Exception as exc:
        # ReportLab's layout errors quote the flowable, i.e. people's names and addresses:
        # keep them out of the message and of the log (``from None``).
        raise ListLayoutError(
            f"The list could not be laid out on the page ({type(exc).__name__})."
        ) from None
