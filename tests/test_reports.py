"""Badges and sign-in sheets: valid PDFs, Unicode names, nothing spilling off a label, partners
marked as vendors (MTG-6), no contact data on paper (ROS-2), and no torn files on failure."""

from __future__ import annotations

import dataclasses
import errno
import inspect
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfgen.canvas import Canvas

from chapterdesk.domain.enums import OrgCategory
from chapterdesk.reports import _pages as pages_module
from chapterdesk.reports import badges as badges_module
from chapterdesk.reports import fonts
from chapterdesk.reports import signin as signin_module
from chapterdesk.reports._text import ELLIPSIS, fit_line, fit_name, wrap
from chapterdesk.reports.badges import A6, AVERY_5392, badge_pdf, badges_pdf
from chapterdesk.reports.signin import signin_sheet_pdf
from chapterdesk.services.views import BadgeData, SignInRow

CHAPTER = "Dynamics Communities — Rhein-Main Chapter"
TITLE = "Business Central: Year-end Close & Power BI Deep Dive"
DATE = "Thu 12 Mar 2026, 17:30"
VENUE = "Microsoft Deutschland, Walter-Gropius-Straße 5, München"
LONG_COMPANY = "Contoso International Business Solutions & Consulting Group"  # 60 characters
LONG_FIRST_NAME = "Maximilianus-Bartholomäus-Konstantinos"
MARK = f"Confidential — for {CHAPTER} use only — exported by Zoë Müller on 2026-03-12"

PEOPLE: list[tuple[str, str, str, OrgCategory]] = [
    ("Zoë", "Müller-Lüdenscheidt", "Contoso Pharma GmbH", OrgCategory.CUSTOMER),
    ("Łukasz", "Wiśniewski", "Fabrikam Logistics Sp. z o.o.", OrgCategory.PARTNER),
    ("Nguyễn", "Thị Minh Khai", "Microsoft", OrgCategory.MICROSOFT),
    ("Siobhán", "Ó Briain", "Northwind Traders Ireland Ltd", OrgCategory.CUSTOMER),
    ("Ø", "Sørensen", "Tailspin Toys A/S", OrgCategory.CUSTOMER),
    (LONG_FIRST_NAME, "von Hohenzollern-Sigmaringen", LONG_COMPANY, OrgCategory.PARTNER),
    ("Maria Guadalupe", "Fernández de Córdoba", "Wide World Importers", OrgCategory.CUSTOMER),
    ("Åsa", "Öberg", "Litware AB", OrgCategory.PARTNER),
    ("Jo", "Li", "", OrgCategory.CUSTOMER),
    ("王", "小明", "北京软件有限公司", OrgCategory.PARTNER),
    ("Zoe\u0308", "Ängström", "Trey Research", OrgCategory.CUSTOMER),  # decomposed ë
    ("Ngozi", "Okonkwo-Adeyemi", "Proseware, Inc.", OrgCategory.CUSTOMER),
    ("Bartholomew", "Featherstonehaugh-Cholmondeley", "A. Datum", OrgCategory.CUSTOMER),
]


def make_badges(count: int = len(PEOPLE)) -> list[BadgeData]:
    out = []
    for i in range(count):
        first, last, org, category = PEOPLE[i % len(PEOPLE)]
        out.append(
            BadgeData(
                first_name=first,
                last_name=last,
                organisation=org,
                is_partner=category is OrgCategory.PARTNER,
                code=f"R-{i:06d}-7KQ2X9PL",
                meeting_title=TITLE,
                meeting_date=DATE,
                chapter_name=CHAPTER,
            )
        )
    return out


def make_rows(count: int = len(PEOPLE)) -> list[SignInRow]:
    rows = []
    for i in range(count):
        first, last, org, category = PEOPLE[i % len(PEOPLE)]
        rows.append(SignInRow(name=f"{first} {last}", organisation=org, category=category))
    return rows


def page_count(pdf: bytes) -> int:
    """Page objects, not the /Pages tree node: enough to check a PDF without a parser."""
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))


def assert_valid_pdf(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert b"startxref" in pdf[-64:]


def record_text(monkeypatch: pytest.MonkeyPatch, module: Any) -> list[dict[str, Any]]:
    """Spy on every line of text the module draws (content streams are compressed and
    glyph-encoded, so reading the PDF back would need a parser we do not ship)."""
    calls: list[dict[str, Any]] = []
    real: Callable[..., None] = module.draw_line

    def spy(canvas: Any, x: float, baseline: float, text: str, size: float, **kw: Any) -> None:
        calls.append({"x": x, "y": baseline, "text": text, "size": size, **kw})
        real(canvas, x, baseline, text, size, **kw)

    monkeypatch.setattr(module, "draw_line", spy)
    return calls


# --------------------------------------------------------------------------- badges


def test_thirteen_badges_on_avery_5392_make_three_pages(tmp_path: Path) -> None:
    target = tmp_path / "badges.pdf"
    pages = badges_pdf(make_badges(13), target)
    pdf = target.read_bytes()
    assert pages == 3
    assert_valid_pdf(pdf)
    assert page_count(pdf) == 3
    assert b"DejaVuSans" in pdf and b"DejaVuSans-Bold" in pdf  # embedded, not referenced
    assert b"FontFile2" in pdf
    assert b"Helvetica" not in pdf  # no Latin-1-only fallback anywhere in the file
    assert b"612 792" in pdf  # US letter


def test_avery_5392_geometry() -> None:
    # 8.5 x 11 in; 4 x 3 in labels; 0.25 in side margins, 1 in top and bottom, no gaps.
    assert AVERY_5392.per_page == 6
    assert [AVERY_5392.origin(slot) for slot in range(6)] == [
        (18, 504),
        (306, 504),
        (18, 288),
        (306, 288),
        (18, 72),
        (306, 72),
    ]
    right = AVERY_5392.origin(1)[0] + AVERY_5392.label_width
    assert right == pytest.approx(612 - 18)


def test_partner_badge_says_partner_MTG_6(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = record_text(monkeypatch, badges_module)
    partner, customer = make_badges(2)[1], make_badges(1)[0]
    assert partner.is_partner and not customer.is_partner

    badges_pdf([partner], io.BytesIO())
    partner_texts = [call["text"] for call in drawn]
    assert "PARTNER · Fabrikam Logistics Sp. z o.o." in partner_texts

    drawn.clear()
    badges_pdf([customer], io.BytesIO())
    assert not any("PARTNER" in call["text"] for call in drawn)
    # And on the sign-in sheet, partners are named as vendors too.
    assert "vendor" in signin_module.TYPE_LABELS[OrgCategory.PARTNER].lower()


def test_partner_band_cuts_a_long_company_rather_than_shrinking_it_MTG_6(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drawn = record_text(monkeypatch, badges_module)
    badges_pdf([make_badges(6)[5]], io.BytesIO())
    band = next(call for call in drawn if call["text"].startswith("PARTNER · "))
    assert band["text"].endswith(ELLIPSIS)
    assert band["size"] >= 8.5


@pytest.mark.parametrize("stock", [AVERY_5392, A6], ids=["avery5392", "a6"])
def test_no_text_leaves_its_label(monkeypatch: pytest.MonkeyPatch, stock: Any) -> None:
    drawn = record_text(monkeypatch, badges_module)
    badges_pdf(make_badges(), io.BytesIO(), stock)
    assert drawn
    for call in drawn:
        width = fonts.text_width(call["text"], call["size"], bold=call.get("bold", False))
        align = call.get("align", "left")
        left = call["x"] - (width if align == "right" else width / 2 if align == "centre" else 0)
        assert left >= stock.padding - 0.01, call
        assert left + width <= stock.label_width - stock.padding + 0.01, call
        assert stock.padding <= call["y"] <= stock.label_height - stock.padding, call


def test_long_first_name_shrinks_then_breaks_or_ellipsizes() -> None:
    fitted = fit_name(LONG_FIRST_NAME, 260, 55, max_size=44, min_size=12)
    for line in fitted.lines:
        assert fonts.text_width(line, fitted.size, bold=True) <= 260
    assert len(fitted.lines) == 2  # broken after a hyphen: larger than one squeezed line
    cut = fit_line("W" * 80, 100, max_size=44, min_size=12, bold=True)
    assert cut.size == 12 and cut.lines[0].endswith(ELLIPSIS)
    assert fonts.text_width(cut.lines[0], 12, bold=True) <= 100
    lines = wrap(LONG_COMPANY * 3, 150, 11, max_lines=2)
    assert len(lines) == 2 and lines[-1].endswith(ELLIPSIS)
    assert all(fonts.text_width(line, 11) <= 150 for line in lines)


def test_unicode_names_use_dejavu_glyphs() -> None:
    for name in ("Zoë", "Łukasz", "Nguyễn", "Siobhán", "Ø", "Ångström", "Dvořák"):
        assert fonts.font_runs(name, bold=True) == [(fonts.BOLD, name)]
    assert fonts.clean("Zoe\u0308 \n Smith") == "Zoë Smith"  # composed, one line


def test_cjk_uses_a_system_fallback_when_there_is_one() -> None:
    runs = fonts.font_runs("王小明 Zoë")
    if fonts.has_fallback():
        assert runs[0] == (fonts.FALLBACK, "王小明 ")
        assert runs[-1] == (fonts.REGULAR, "Zoë")
    else:
        assert {font for font, _ in runs} == {fonts.REGULAR}


def test_single_badge_on_a6(tmp_path: Path) -> None:
    target = tmp_path / "one.pdf"
    assert badge_pdf(make_badges(2)[1], target) == 1
    pdf = target.read_bytes()
    assert_valid_pdf(pdf)
    assert page_count(pdf) == 1
    assert b"/MediaBox [ 0 0 297.6378 419.5276 ]" in pdf


def test_file_object_target_is_left_open() -> None:
    buffer = io.BytesIO()
    assert badges_pdf(make_badges(7), buffer) == 2
    assert not buffer.closed
    assert_valid_pdf(buffer.getvalue())


def test_no_badges_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        badges_pdf([], tmp_path / "none.pdf")
    assert list(tmp_path.iterdir()) == []


def test_a_thousand_badges() -> None:
    buffer = io.BytesIO()
    assert badges_pdf(make_badges(1000), buffer) == 167
    assert page_count(buffer.getvalue()) == 167


# --------------------------------------------------------------------------- failed writes


def _full_disk(self: Canvas) -> None:
    """Stand-in for Canvas.save on a full disk: some bytes get out, then the write fails."""
    self._filename.write(b"%PDF-1.4\n% half a file")
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("kind", ["badges", "signin"])
def test_failed_write_leaves_no_file_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    target = tmp_path / f"{kind}.pdf"
    monkeypatch.setattr(Canvas, "save", _full_disk)
    with pytest.raises(OSError, match="No space"):
        if kind == "badges":
            badges_pdf(make_badges(), target)
        else:
            signin_sheet_pdf(CHAPTER, TITLE, DATE, VENUE, make_rows(), target, mark=MARK)
    assert list(tmp_path.iterdir()) == []  # neither the PDF nor a temporary file


def test_failed_write_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "badges.pdf"
    badges_pdf(make_badges(3), target)
    before = target.read_bytes()
    monkeypatch.setattr(Canvas, "save", _full_disk)
    with pytest.raises(OSError):
        badges_pdf(make_badges(), target)
    assert target.read_bytes() == before
    assert list(tmp_path.iterdir()) == [target]


def test_missing_folder_fails_without_creating_anything(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        badges_pdf(make_badges(), tmp_path / "nowhere" / "badges.pdf")
    with pytest.raises(FileNotFoundError):
        signin_sheet_pdf(
            CHAPTER, TITLE, DATE, VENUE, make_rows(), tmp_path / "no" / "s.pdf", mark=MARK
        )
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- sign-in sheets


def test_signin_sheet_is_a_valid_pdf_with_numbered_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn = record_text(monkeypatch, signin_module)
    footer = record_text(monkeypatch, pages_module)
    target = tmp_path / "signin.pdf"
    rows = make_rows(80)
    pages = signin_sheet_pdf(CHAPTER, TITLE, DATE, VENUE, rows, target, mark=MARK)
    pdf = target.read_bytes()
    assert_valid_pdf(pdf)
    assert pages == page_count(pdf) > 1
    assert b"DejaVuSans" in pdf and b"Helvetica" not in pdf
    texts = [call["text"] for call in drawn]
    footers = [call["text"] for call in footer]
    assert [t for t in footers if t.startswith("Page ")] == [
        f"Page {n} of {pages}" for n in range(1, pages + 1)
    ]
    # ROS-4: the whole mark on every page (on one line or wrapped, never cut).
    lines = [t for t in footers if not t.startswith("Page ")]
    assert " ".join(lines) == " ".join([MARK] * pages)
    assert texts.count(TITLE) == pages  # the meeting heading repeats on every page


def test_signin_sheet_on_a4_and_empty(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4

    target = tmp_path / "a4.pdf"
    assert signin_sheet_pdf(CHAPTER, TITLE, DATE, VENUE, [], target, mark=MARK, pagesize=A4) == 1
    pdf = target.read_bytes()
    assert_valid_pdf(pdf)
    assert b"595.2756 841.8898" in pdf


def test_signin_sheet_has_no_contact_fields_ROS_2() -> None:
    contact = re.compile(r"mail|phone|tel|mobile|address|contact|linkedin", re.IGNORECASE)
    fields = {field.name for field in dataclasses.fields(SignInRow)}
    assert fields == {"name", "organisation", "category"}
    assert not any(contact.search(name) for name in fields)
    # Nor can contact data be passed in beside the rows.
    params = inspect.signature(signin_sheet_pdf).parameters
    assert not any(contact.search(name) for name in params)
    assert not any(contact.search(f.name) for f in dataclasses.fields(BadgeData))
