"""Fitting text into boxes: shrink first, then cut with an ellipsis, never spill over a label."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from chapterdesk.reports.fonts import font_runs, text_width

ELLIPSIS = "…"
# DejaVu's accented capitals (Å, Ł, É) reach ~0.94 em and descenders ~0.24 em; the font's own
# typographic ascent (0.76) would let "Åsa" touch the line above.
ASCENT = 0.95
DESCENT = 0.24
CAP_HEIGHT = 0.73  # for centring capitals optically in a band

Align = Literal["left", "centre", "right"]


@dataclass(frozen=True)
class Fitted:
    """Lines ready to draw at one size."""

    lines: tuple[str, ...]
    size: float
    bold: bool

    @property
    def line_height(self) -> float:
        return self.size * (ASCENT + DESCENT)


def ellipsize(text: str, size: float, width: float, *, bold: bool = False) -> str:
    """``text`` cut short with "…" so it fits ``width``; unchanged when it already fits."""
    if text_width(text, size, bold=bold) <= width:
        return text
    lo, hi = 0, len(text)  # the longest prefix that fits with the ellipsis: binary search
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid].rstrip() + ELLIPSIS, size, bold=bold) <= width:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return ELLIPSIS if text_width(ELLIPSIS, size, bold=bold) <= width else ""
    return text[:lo].rstrip() + ELLIPSIS


def fit_line(
    text: str,
    width: float,
    *,
    max_size: float,
    min_size: float,
    height: float | None = None,
    bold: bool = False,
) -> Fitted:
    """One line at the largest size up to ``max_size`` that fits; below ``min_size`` it is cut."""
    size = max_size
    if height is not None:
        size = min(size, height / (ASCENT + DESCENT))
    natural = text_width(text, 1.0, bold=bold)
    if natural > 0:
        size = min(size, width / natural)
    if size >= min_size:
        return Fitted((text,), size, bold)
    size = min(min_size, max_size)
    return Fitted((ellipsize(text, size, width, bold=bold),), size, bold)


def fit_name(
    text: str,
    width: float,
    height: float,
    *,
    max_size: float,
    min_size: float,
    bold: bool = True,
) -> Fitted:
    """Like :func:`fit_line`, but a multi-word or hyphenated name ("Maria Guadalupe") may take two
    lines when that prints it clearly larger than squeezing it onto one."""
    one = fit_line(text, width, max_size=max_size, min_size=min_size, height=height, bold=bold)
    if one.size >= max_size * 0.9 and one.lines[0] == text:
        return one
    best: tuple[str, str] | None = None
    best_width = float("inf")
    for first, second in _breaks(text):
        widest = max(text_width(first, 1.0, bold=bold), text_width(second, 1.0, bold=bold))
        if widest < best_width:
            best, best_width = (first, second), widest
    if best is None:
        return one
    two_size = min(max_size, width / best_width, height / (2 * (ASCENT + DESCENT)))
    if two_size > one.size * 1.15 and two_size >= min_size:
        return Fitted(best, two_size, bold)
    return one


def _breaks(text: str) -> list[tuple[str, str]]:
    """Ways to put a name on two lines: at a space, or after a hyphen ("Anne-" / "Sophie")."""
    options: list[tuple[str, str]] = []
    for i, ch in enumerate(text):
        if ch == " ":
            options.append((text[:i].rstrip(), text[i + 1 :].lstrip()))
        elif ch in "-‐" and 0 < i < len(text) - 1:
            options.append((text[: i + 1], text[i + 1 :]))
    return [(a, b) for a, b in options if a and b]


def wrap(
    text: str, width: float, size: float, *, max_lines: int, bold: bool = False
) -> tuple[str, ...]:
    """Greedy word wrap into at most ``max_lines``; the last line ends in "…" if text is left,
    and a single word wider than the box is cut rather than allowed to spill."""
    words = text.split()
    if max_lines < 1:
        return ()
    lines: list[str] = []
    i = 0
    while i < len(words) and len(lines) < max_lines:
        line = words[i]
        i += 1
        while i < len(words) and text_width(f"{line} {words[i]}", size, bold=bold) <= width:
            line = f"{line} {words[i]}"
            i += 1
        lines.append(line)
    if i < len(words):
        lines[-1] = ellipsize(f"{lines[-1]} {' '.join(words[i:])}", size, width, bold=bold)
    return tuple(ellipsize(line, size, width, bold=bold) for line in lines)


def draw_line(
    canvas: Any,
    x: float,
    baseline: float,
    text: str,
    size: float,
    *,
    bold: bool = False,
    align: Align = "left",
) -> None:
    """Draw one line, switching font for CJK fallback runs; ``x`` is the left, centre or right
    edge according to ``align``."""
    if not text:
        return
    if align != "left":
        w = text_width(text, size, bold=bold)
        x -= w / 2 if align == "centre" else w
    obj = canvas.beginText(x, baseline)
    for font, segment in font_runs(text, bold=bold):
        obj.setFont(font, size)
        obj.textOut(segment)
    canvas.drawText(obj)
