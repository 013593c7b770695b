"""Builds ``chapter-template.pptx``, the chapter template ChapterDesk ships (DECK-1).

Run ``uv run python src/chapterdesk/resources/decks/make_template.py`` after changing it and
commit both files. The output is byte-for-byte reproducible (fixed dates, fixed zip order), so
an unchanged script gives an unchanged file.

The template: 16:9, theme "ChapterDesk Chapter" (Segoe UI fonts, a blue/teal palette), six
layouts named "Chapter …" so they cannot be confused with Office's defaults, a thin accent bar
on the master, and one example title slide.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]
from pptx import Presentation
from pptx.util import Emu

OUT = Path(__file__).with_name("chapter-template.pptx")
THEME_NAME = "ChapterDesk Chapter"
MAJOR_FONT = "Segoe UI Semibold"
MINOR_FONT = "Segoe UI"
COLOURS = {
    "dk1": "1F2328",
    "lt1": "FFFFFF",
    "dk2": "0B3D5C",
    "lt2": "E8EEF2",
    "accent1": "0F6CBD",
    "accent2": "00A38D",
    "accent3": "F2A900",
    "accent4": "8E44AD",
    "accent5": "D64550",
    "accent6": "5B6770",
    "hlink": "0F6CBD",
    "folHlink": "6B4C9A",
}
# Office default layout name → the chapter's name for it; the others are removed.
LAYOUTS = {
    "Title Slide": "Chapter Title",
    "Title and Content": "Chapter Title and Content",
    "Section Header": "Chapter Section",
    "Two Content": "Chapter Two Content",
    "Title Only": "Chapter Title Only",
    "Blank": "Chapter Blank",
}
WIDTH, HEIGHT = 12_192_000, 6_858_000  # 13.333 × 7.5 in
FIXED = dt.datetime(2026, 1, 1)  # naive: what python-pptx's core properties take
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_BAR = f"""<p:sp xmlns:p="{_P}" xmlns:a="{_A}">
  <p:nvSpPr>
    <p:cNvPr id="100" name="Chapter accent bar"/><p:cNvSpPr/><p:nvPr userDrawn="1"/>
  </p:nvSpPr>
  <p:spPr>
    <a:xfrm><a:off x="0" y="{HEIGHT - 91440}"/><a:ext cx="{WIDTH}" cy="91440"/></a:xfrm>
    <a:prstGeom prst="rect"><a:avLst/></a:prstGeom>
    <a:solidFill><a:schemeClr val="accent1"/></a:solidFill>
    <a:ln><a:noFill/></a:ln>
  </p:spPr>
</p:sp>"""


def build() -> bytes:
    """The template as bytes."""
    prs = Presentation()
    scale = WIDTH / prs.slide_width
    prs.slide_width, prs.slide_height = Emu(WIDTH), Emu(HEIGHT)
    master = prs.slide_master
    for layout in list(master.slide_layouts):
        if layout.name not in LAYOUTS:
            master.slide_layouts.remove(layout)
    for layout in master.slide_layouts:
        layout._element.cSld.set("name", LAYOUTS[layout.name])
    for element in [master._element, *(layout._element for layout in master.slide_layouts)]:
        _widen(element, scale)
    master._element.cSld.spTree.append(etree.fromstring(_BAR))
    slide = prs.slides.add_slide(master.slide_layouts[0])
    slide.shapes.title.text = "Your talk title"
    slide.placeholders[1].text = "Speaker name · Chapter meeting, date"
    props = prs.core_properties
    props.title = "ChapterDesk chapter template"
    props.author = props.last_modified_by = "ChapterDesk"
    props.revision = 1
    props.created = props.modified = FIXED
    buffer = io.BytesIO()
    prs.save(buffer)
    return _rewrite(buffer.getvalue())


def _widen(element: etree._Element, scale: float) -> None:
    """Stretch 4:3 positions to 16:9: every own ``a:off``/``a:ext`` horizontally."""
    for off in element.iter(f"{{{_A}}}off"):
        off.set("x", str(round(int(off.get("x")) * scale)))
    for ext in element.iter(f"{{{_A}}}ext"):
        if ext.get("cx") is not None:
            ext.set("cx", str(round(int(ext.get("cx")) * scale)))


def _theme(xml: bytes) -> bytes:
    """Name the theme, set its fonts and colours."""
    root = etree.fromstring(xml)
    root.set("name", THEME_NAME)
    scheme = root.find(f"{{{_A}}}themeElements/{{{_A}}}clrScheme")
    scheme.set("name", "ChapterDesk")
    for slot, value in COLOURS.items():
        holder = scheme.find(f"{{{_A}}}{slot}")
        for child in list(holder):
            holder.remove(child)
        etree.SubElement(holder, f"{{{_A}}}srgbClr", val=value)
    fonts = root.find(f"{{{_A}}}themeElements/{{{_A}}}fontScheme")
    fonts.set("name", "ChapterDesk")
    fonts.find(f"{{{_A}}}majorFont/{{{_A}}}latin").set("typeface", MAJOR_FONT)
    fonts.find(f"{{{_A}}}minorFont/{{{_A}}}latin").set("typeface", MINOR_FONT)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _rewrite(data: bytes) -> bytes:
    """Re-zip with the edited theme, fixed timestamps and sorted names: reproducible."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    names = source.namelist()
    first = ["[Content_Types].xml"]  # OPC readers look for it first
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in first + sorted(n for n in names if n not in first):
            blob = source.read(name)
            if name == "ppt/theme/theme1.xml":
                blob = _theme(blob)
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, blob)
    return out.getvalue()


if __name__ == "__main__":
    OUT.write_bytes(build())
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")
