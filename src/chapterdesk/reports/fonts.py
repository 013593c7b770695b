"""One Unicode font family for everything ChapterDesk prints.

ReportLab's built-in Helvetica only knows Latin-1 (and that only partly): "Łukasz" or "Nguyễn"
would print as black boxes or garbage. So we ship DejaVu Sans (regular + bold, licence beside it in
``chapterdesk/resources/fonts``) and register it once as :data:`REGULAR` / :data:`BOLD`.

DejaVu has no Chinese, Japanese or Korean. For those, :func:`font_runs` splits a string into runs
and hands the characters DejaVu lacks to a system CJK font, if one is installed and ReportLab can
read it (TrueType outlines only: Droid Sans Fallback, WenQuanYi, Microsoft YaHei, SimSun, Malgun
Gothic, Arial Unicode...; Noto Sans CJK is CFF-based and ReportLab refuses it). Without such a
font, those characters are drawn with DejaVu and show as empty boxes; every other script DejaVu
covers still prints correctly. Right-to-left scripts are not shaped (ReportLab does no shaping).
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]

REGULAR = "ChapterDesk-Sans"
BOLD = "ChapterDesk-Sans-Bold"
FALLBACK = "ChapterDesk-CJK"  # registered only when a usable system font is found

_FONT_PACKAGE = "chapterdesk"
_FONT_FOLDER = ("resources", "fonts")
_REGULAR_FILE = "DejaVuSans.ttf"
_BOLD_FILE = "DejaVuSans-Bold.ttf"

# (path, subfont index for .ttc collections). Tried in order; the first ReportLab can load wins.
_CJK_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallback.ttf", 0),
    ("/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc", 0),
    ("C:/Windows/Fonts/msyh.ttc", 0),
    ("C:/Windows/Fonts/simsun.ttc", 0),
    ("C:/Windows/Fonts/malgun.ttf", 0),
    ("C:/Windows/Fonts/msgothic.ttc", 0),
    ("C:/Windows/Fonts/arialuni.ttf", 0),
    ("/System/Library/Fonts/Supplemental/Arial Unicode.ttf", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
    ("/System/Library/Fonts/STHeiti Light.ttc", 0),
)

_lock = threading.Lock()
_registered = False
_dejavu_chars: frozenset[int] = frozenset()
_fallback_chars: frozenset[int] | None = None  # None: not looked for yet
_fallback_loaded = False


@contextmanager
def _font_file(name: str) -> Iterator[Path]:
    """A real file path for a packaged font (``as_file`` extracts it when running from a zip)."""
    ref = resources.files(_FONT_PACKAGE).joinpath(*_FONT_FOLDER, name)
    with resources.as_file(ref) as path:
        yield path


def register_fonts() -> None:
    """Register the DejaVu family with ReportLab; cheap and safe to call before every print."""
    global _registered, _dejavu_chars
    if _registered:
        return
    with _lock:
        if _registered:
            return
        with _font_file(_REGULAR_FILE) as regular_path, _font_file(_BOLD_FILE) as bold_path:
            # TTFont reads the whole file, so the path may vanish once we leave the block.
            regular = TTFont(REGULAR, str(regular_path))
            bold = TTFont(BOLD, str(bold_path))
        pdfmetrics.registerFont(regular)
        pdfmetrics.registerFont(bold)
        # <b> in platypus paragraphs picks the bold face; there is no italic, so it maps upright.
        pdfmetrics.registerFontFamily(
            REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
        )
        _dejavu_chars = frozenset(regular.face.charToGlyph) & frozenset(bold.face.charToGlyph)
        _registered = True


def _load_fallback() -> frozenset[int]:
    """Find and register a CJK font on first need; an empty set means there is none."""
    global _fallback_chars, _fallback_loaded
    if _fallback_chars is not None:
        return _fallback_chars
    with _lock:
        if _fallback_chars is not None:
            return _fallback_chars
        chars: frozenset[int] = frozenset()
        for path, index in _CJK_CANDIDATES:
            if not Path(path).is_file():
                continue
            try:
                font = TTFont(FALLBACK, path, subfontIndex=index)
            except Exception:  # CFF outlines, damaged or unreadable file: try the next one
                continue
            pdfmetrics.registerFont(font)
            # No bold CJK face: bold maps to the same face so <b> never falls back to Helvetica.
            addMapping(FALLBACK, 0, 0, FALLBACK)
            addMapping(FALLBACK, 1, 0, FALLBACK)
            addMapping(FALLBACK, 0, 1, FALLBACK)
            addMapping(FALLBACK, 1, 1, FALLBACK)
            chars = frozenset(font.face.charToGlyph)
            _fallback_loaded = True
            break
        _fallback_chars = chars
        return chars


def has_fallback() -> bool:
    """Whether a CJK fallback font was found (looks for one if not done yet)."""
    register_fonts()
    _load_fallback()
    return _fallback_loaded


def clean(text: str) -> str:
    """NFC-normalise and collapse whitespace: ReportLab does not compose accents or wrap on \\n,
    so "Zoe\\u0308" must become the single glyph "Zoë" and stray newlines a space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def font_runs(text: str, *, bold: bool = False) -> list[tuple[str, str]]:
    """Split ``text`` into ``(font name, segment)`` runs: DejaVu wherever it has the glyph, the CJK
    fallback for characters only that font has. Spaces stay with the run they are in."""
    register_fonts()
    main = BOLD if bold else REGULAR
    if all(ord(ch) in _dejavu_chars for ch in text):
        return [(main, text)] if text else []
    fallback = _load_fallback()
    runs: list[tuple[str, str]] = []
    current = main
    start = 0
    for i, ch in enumerate(text):
        code = ord(ch)
        if code in _dejavu_chars or code not in fallback:
            wanted = main
            if ch.isspace() and current == FALLBACK and code in fallback:
                wanted = FALLBACK
        else:
            wanted = FALLBACK
        if wanted != current:
            if i > start:
                runs.append((current, text[start:i]))
            current, start = wanted, i
    runs.append((current, text[start:]))
    return runs


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width in points of ``text`` set in our family at ``size`` (fallback runs included)."""
    return float(
        sum(pdfmetrics.stringWidth(seg, font, size) for font, seg in font_runs(text, bold=bold))
    )


def paragraph_markup(text: str, *, bold: bool = False) -> str:
    """Escaped platypus markup for ``text``, with ``<font>`` tags around CJK fallback runs."""
    parts: list[str] = []
    for font, seg in font_runs(clean(text), bold=bold):
        if font == FALLBACK:
            parts.append(f'<font name="{FALLBACK}">{escape(seg)}</font>')
        else:
            parts.append(escape(seg))
    body = "".join(parts)
    return f"<b>{body}</b>" if bold else body
