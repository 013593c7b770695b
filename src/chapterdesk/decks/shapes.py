"""Text out of a slide's shape tree, read from the XML python-pptx has already parsed.

python-pptx's shape objects skip ``mc:AlternateContent`` wrappers and stop at the first shape
they do not model, and a partner's text can sit anywhere: in groups of groups, table cells,
SmartArt data, chart titles and labels, a picture's alt text. Walking the elements reaches all
of it and costs one pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from chapterdesk.decks.model import (
    ALT_TEXT,
    BODY,
    CHART,
    FOOTER,
    SMARTART,
    TABLE,
    TITLE,
    TextSpot,
)
from chapterdesk.decks.safe_open import parse_xml

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
_DGM = "{http://schemas.openxmlformats.org/drawingml/2006/diagram}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

_TITLES = {"title", "ctrTitle"}
_FOOTERS = {"ftr", "dt", "sldNum", "hdr"}
_MAX_DEPTH = 64  # groups nested deeper than this are not real decks
# One shape's text is cut here: real slides hold a few thousand characters, and matching a
# hostile megabyte-long text could not be interrupted by the deadline.
MAX_TEXT = 100_000

# Called for every shape so the deck's deadline can stop a pathological slide.
Tick = Callable[[], None]


def paragraphs(container: Any) -> list[str]:
    """The text of every ``a:p`` under ``container``, runs and fields joined, line breaks kept."""
    out: list[str] = []
    for para in container.iter(f"{_A}p"):
        pieces = [
            (node.text or "") if node.tag == f"{_A}t" else "\n"
            for node in para.iter(f"{_A}t", f"{_A}br")
        ]
        text = "".join(pieces).strip()
        if text:
            out.append(text)
    return out


def placeholder_type(shape: Any) -> str | None:
    """``"title"``, ``"body"``, ``"ftr"`` … for a placeholder, ``None`` for other shapes."""
    for nv in shape:
        if nv.tag.startswith(_P + "nv"):
            ph = nv.find(f"{_P}nvPr/{_P}ph")
            if ph is not None:
                return str(ph.get("type", "body"))
    return None


class ShapeReader:
    """Collects :class:`TextSpot` s from one slide (or notes) part."""

    def __init__(self, part: Any, tick: Tick) -> None:
        self._part = part
        self._tick = tick
        self.spots: list[TextSpot] = []
        self.title = ""
        self.problems: list[str] = []

    def read_tree(self, tree: Any, depth: int = 0) -> None:
        """Every shape in a ``p:spTree`` or ``p:grpSp``, groups recursively."""
        if depth > _MAX_DEPTH:
            self.problems.append("groups nested too deeply")
            return
        for child in tree:
            self._tick()
            tag = child.tag
            if tag == f"{_P}sp":
                self._shape(child)
            elif tag == f"{_P}grpSp":
                self.read_tree(child, depth + 1)
            elif tag == f"{_P}graphicFrame":
                self._graphic_frame(child)
            elif tag == f"{_P}pic":
                self._alt_text(child)
            elif tag == f"{_MC}AlternateContent":
                self._alternate(child, depth)

    def _add(self, where: str, texts: list[str]) -> None:
        text = "\n".join(texts).strip()
        if len(text) > MAX_TEXT:
            self.problems.append(
                f"a {where} text of {len(text):,} characters (only the first {MAX_TEXT:,} "
                "were checked)"
            )
            text = text[:MAX_TEXT]
        if text:
            self.spots.append(TextSpot(where, text))

    def _shape(self, shape: Any) -> None:
        kind = placeholder_type(shape)
        body = shape.find(f"{_P}txBody")
        texts = paragraphs(body) if body is not None else []
        if kind in _TITLES:
            if texts and not self.title:
                self.title = " ".join(" ".join(texts).split())
            self._add(TITLE, texts)
        elif kind in _FOOTERS:
            self._add(FOOTER, texts)
        else:
            self._add(BODY, texts)
        self._alt_text(shape)

    def _alt_text(self, shape: Any) -> None:
        """A picture's (or shape's) own name and alt text, as PowerPoint stores them: often
        the inserted file's name, which is how logos give themselves away."""
        for nv in shape:
            c_nv_pr = nv.find(f"{_P}cNvPr")
            if c_nv_pr is not None:
                words = [c_nv_pr.get(key, "") for key in ("descr", "title")]
                if shape.tag == f"{_P}pic":
                    words.insert(0, c_nv_pr.get("name", ""))
                self._add(ALT_TEXT, [w for w in words if w.strip()])
                return

    def _alternate(self, element: Any, depth: int) -> None:
        """Take the first ``mc:Choice``, as PowerPoint does, or else the ``mc:Fallback``."""
        branch = element.find(f"{_MC}Choice")
        if branch is None:
            branch = element.find(f"{_MC}Fallback")
        if branch is not None:
            self.read_tree(branch, depth + 1)

    def _graphic_frame(self, frame: Any) -> None:
        self._alt_text(frame)
        data = frame.find(f"{_A}graphic/{_A}graphicData")
        if data is None:
            return
        table = data.find(f"{_A}tbl")
        if table is not None:  # one spot per row: "cell | cell", never matched across cells
            for row in table.iter(f"{_A}tr"):
                cells = [" ".join(paragraphs(cell)) for cell in row.iter(f"{_A}tc")]
                self._add(TABLE, [" | ".join(cells)] if any(cells) else [])
            return
        chart = data.find(f"{_C}chart")
        if chart is not None:
            self._add(CHART, self._related_texts(chart.get(f"{_R}id"), _chart_texts))
            return
        diagram = data.find(f"{_DGM}relIds")
        if diagram is not None:
            self._add(SMARTART, self._related_texts(diagram.get(f"{_R}dm"), _smartart_texts))

    def _related_texts(self, r_id: str | None, read: Callable[[Any], list[str]]) -> list[str]:
        """Text of a chart or SmartArt part; a missing or broken part is noted, not fatal."""
        if not r_id:
            return []
        try:
            related = self._part.related_part(r_id)
            element = getattr(related, "_element", None)
            if element is None:
                element = parse_xml(related.blob)
            return read(element)
        except Exception as error:  # python-pptx raises KeyError, ValueError, … on bad parts
            self.problems.append(f"a chart or SmartArt part cannot be read ({error})")
            return []


def _chart_texts(chart: Any) -> list[str]:
    """Chart and axis titles, series names and category labels."""
    out: list[str] = []
    for title in chart.iter(f"{_C}title"):
        out.extend(paragraphs(title))
    for tag in (f"{_C}tx", f"{_C}cat"):
        for holder in chart.iter(tag):
            out.extend(v.text or "" for v in holder.iter(f"{_C}v"))
    return list(dict.fromkeys(text.strip() for text in out if text and text.strip()))


def _smartart_texts(data_model: Any) -> list[str]:
    return paragraphs(data_model)


def notes_text(notes_element: Any) -> str:
    """The speaker notes: the notes page's body placeholder (not its slide image, header,
    date or page number)."""
    bodies = [
        sp
        for sp in _iter_shapes(notes_element)
        if placeholder_type(sp) in ("body", None) and sp.find(f"{_P}txBody") is not None
    ]
    text = "\n".join(text for sp in bodies for text in paragraphs(sp.find(f"{_P}txBody")))
    return text[:MAX_TEXT]


def _iter_shapes(element: Any) -> Iterator[Any]:
    return iter(element.iter(f"{_P}sp"))
