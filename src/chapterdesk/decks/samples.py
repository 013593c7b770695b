"""Decks built with python-pptx for tests, benchmarks and demos: a clean deck on the chapter
template, and one that breaks every rule (for looking at the Decks page and the review PDF).

Kept in the package, not in ``tests/``, because the benchmark and the demo need them too.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Sequence
from typing import Any

from pptx import Presentation
from pptx.util import Inches, Pt

from chapterdesk.decks.signature import default_template


def tiny_png() -> bytes:
    """A 1×1 white PNG, so pictures need no file on disk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


class DeckBuilder:
    """A deck on the chapter template (or on python-pptx's Office default with
    ``office=True``), one slide at a time. Layout 1 is "title and content" in both."""

    def __init__(self, *, office: bool = False, template: bytes | None = None) -> None:
        source = None if office else io.BytesIO(template or default_template())
        self.prs: Any = Presentation(source)
        if not office:  # drop the template's example slide
            slide_ids = self.prs.slides._sldIdLst
            for slide_id in list(slide_ids):
                self.prs.part.drop_rel(slide_id.rId)
                slide_ids.remove(slide_id)

    def slide(
        self,
        title: str = "",
        body: Sequence[str] = (),
        *,
        layout: int = 1,
        notes: str = "",
        hidden: bool = False,
    ) -> Any:
        """Add a slide; ``body`` lines go to the content placeholder (or a text box)."""
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[layout])
        if title and slide.shapes.title is not None:
            slide.shapes.title.text = title
        if body:
            holder = next((ph for ph in slide.placeholders if ph.placeholder_format.idx == 1), None)
            frame = (
                holder.text_frame
                if holder is not None
                else slide.shapes.add_textbox(Inches(1), Inches(2), Inches(8), Inches(4)).text_frame
            )
            frame.text = body[0]
            for line in body[1:]:
                frame.add_paragraph().text = line
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
        if hidden:
            slide._element.set("show", "0")
        return slide

    def table(self, slide: Any, rows: Sequence[Sequence[str]]) -> None:
        shape = slide.shapes.add_table(
            len(rows), len(rows[0]), Inches(1), Inches(2), Inches(8), Inches(0.4 * len(rows))
        )
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                shape.table.cell(r, c).text = text

    def group(self, slide: Any, texts: Sequence[str], *, nested: bool = True) -> None:
        """Text boxes inside a group (inside another group when ``nested``)."""
        group = slide.shapes.add_group_shape()
        inner = group.shapes.add_group_shape() if nested else group
        for i, text in enumerate(texts):
            box = inner.shapes.add_textbox(Inches(1 + i), Inches(5), Inches(2), Inches(0.5))
            box.text_frame.text = text

    def picture(self, slide: Any, file_name: str) -> None:
        """A picture whose alt text is ``file_name`` (what PowerPoint stores on insert)."""
        pic = slide.shapes.add_picture(io.BytesIO(tiny_png()), Inches(8), Inches(1), Inches(1))
        pic._element.nvPicPr.cNvPr.set("descr", file_name)

    def link(self, slide: Any, text: str, url: str) -> None:
        box = slide.shapes.add_textbox(Inches(1), Inches(6), Inches(6), Inches(0.5))
        run = box.text_frame.paragraphs[0].add_run()
        run.text = text
        run.font.size = Pt(14)
        run.hyperlink.address = url

    def build(self) -> bytes:
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()


def chapter_deck(slides: int = 100) -> bytes:
    """A clean educational deck on the chapter template: nothing to find."""
    deck = DeckBuilder()
    deck.slide("Posting profiles in Dynamics 365 Finance", ["Chapter meeting"], layout=0)
    for n in range(2, slides + 1):
        slide = deck.slide(
            f"Step {n}: configure the ledger",
            [
                "Open General ledger › Posting setup › Posting profiles.",
                "Each profile maps transaction types to main accounts.",
                f"Check the posting of journal batch {n:04d} before closing the period.",
            ],
            notes="Show the form, then the voucher transactions." if n % 5 == 0 else "",
        )
        if n % 10 == 0:
            deck.table(slide, [["Field", "Meaning"], ["Summary account", "Where balances go"]])
        if n % 7 == 0:
            deck.group(slide, ["Ledger", "Subledger"])
    return deck.build()


def rule_breaking_deck() -> bytes:
    """Breaks DECK-1 (Office template), DECK-2 (company slides 1 and 6), DECK-3 (prices in a
    table, a grouped call to action, a hidden free trial, a pitch in the notes, a pricing
    link) and DECK-4 (Fabrikam, Northwind Traders); carries a hidden slide and notes.
    Check it with ``company="Contoso Consulting", company_domain="contoso.com"``."""
    deck = DeckBuilder(office=True)
    first = deck.slide("About us: Contoso Consulting", ["Who we are", "Our team of 40"], layout=0)
    deck.picture(first, "contoso-logo.png")
    prices = deck.slide("Licensing made simple", ["Business Central for small teams"])
    deck.table(prices, [["Plan", "Price"], ["Essentials", "$70 per user per month"]])
    grouped = deck.slide("Faster month-end close", ["Reconcile banks in minutes"])
    deck.group(grouped, ["Request a demo", "20% off this quarter"])
    deck.slide("Early-bird offer", ["Free trial for chapter members"], hidden=True)
    deck.slide(
        "Case study: Fabrikam",
        ["Fabrikam cut close from 10 days to 4", "Northwind Traders went live in May"],
        notes="Call us today for a special offer; book a demo after the session.",
    )
    contact = deck.slide("Contact us", ["sales@contoso.com", "+1 613 555 0199"])
    deck.link(contact, "See our pricing", "https://www.contoso.com/pricing")
    return deck.build()
