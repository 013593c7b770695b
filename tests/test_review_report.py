"""The deck review report for the partner (DECK-5): a valid PDF in our fonts, written
atomically, that names the exact file, the decision and every finding by slide."""

from __future__ import annotations

import dataclasses
import errno
import io
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfgen.canvas import Canvas

from chapterdesk.domain.decks import Severity
from chapterdesk.domain.enums import DeckDecision
from chapterdesk.reports import review as review_module
from chapterdesk.reports.review import review_report_pdf
from chapterdesk.services.decks import RULE_SUMMARIES
from chapterdesk.services.views import FindingRow, ReviewData

SHA = "3f9a0c2e7b5d41e8a6c9f01b2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4"
LONG_URL = (
    "https://www.contoso.com/pricing/business-central/year-end-close-accelerator"
    "?utm_source=axug&utm_campaign=ottawa"
)


def finding(slide: int, rule: str, severity: Severity, text: str, **kw: Any) -> FindingRow:
    values: dict[str, Any] = {
        "id": f"{slide}-{rule}-{text}",
        "version_id": "v2",
        "slide": slide,
        "rule_id": rule,
        "severity": severity,
        "text": text,
        "why": f"Why {text} matters.",
        "where": "body",
    }
    values.update(kw)
    return FindingRow(**values)


FINDINGS = (
    finding(0, "DECK-1", Severity.BREAKS_RULE, "Contoso Corporate 2025", where="master"),
    finding(3, "DECK-3", Severity.BREAKS_RULE, "Contact us today for a free trial"),
    finding(3, "DECK-3", Severity.WARNING, LONG_URL, where="notes"),
    finding(
        5,
        "DECK-4",
        Severity.BREAKS_RULE,
        "Fabrikam Manufacturing",
        dismissed_reason="Cléo Dubé of Fabrikam presents this part with Contoso",
        dismissed_by_name="Ann Lee",
        dismissed_at=datetime(2026, 11, 20, 18, 0, tzinfo=UTC),
    ),
)


def review(**kw: Any) -> ReviewData:
    cited = ("DECK-1", "DECK-3", "DECK-4", "DECK-5", "MTG-8")
    values: dict[str, Any] = {
        "chapter_name": "AXUG Ottawa",
        "meeting_title": "Year-end close",
        "meeting_date": "Thursday 03 December 2026, 18:00",
        "topic": "Year-end close in Business Central",
        "partner_name": "Contoso Consulting",
        "speaker_name": "Pat Quinn",
        "sponsor": False,
        "handouts_allowed": False,
        "filename": "Contoso year-end v2.pptx",
        "sha256": SHA,
        "version_number": 2,
        "version_count": 3,
        "uploaded_at": datetime(2026, 11, 19, 9, 30, tzinfo=UTC),
        "decision": DeckDecision.CHANGES_REQUESTED,
        "decided_by_name": "Ann Lee",
        "decided_at": datetime(2026, 11, 20, 18, 5, tzinfo=UTC),
        "comment": "Please drop the offer on slide 3.\nUse the chapter template.",
        "checked_at": datetime(2026, 11, 19, 9, 31, tzinfo=UTC),
        "refused": "",
        "findings": FINDINGS,
        "slide_titles": {3: "Why our accelerator", 5: "Case study: Fabrikam"},
        "rules": tuple((rule, RULE_SUMMARIES[rule]) for rule in cited),
    }
    values.update(kw)
    return ReviewData(**values)


def many(count: int, per_slide: int = 3) -> tuple[FindingRow, ...]:
    return tuple(
        finding(1 + i // per_slide, "DECK-3", Severity.WARNING, f"limited time offer {i}")
        for i in range(count)
    )


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))


def paragraphs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Spy on the markup of every paragraph the report lays out (the PDF's text is compressed
    and glyph-encoded)."""
    seen: list[str] = []
    real = review_module.Paragraph

    class Spy(real):  # type: ignore[misc, valid-type]
        def __init__(self, text: str, *args: Any, **kwargs: Any) -> None:
            seen.append(text)
            super().__init__(text, *args, **kwargs)

    monkeypatch.setattr(review_module, "Paragraph", Spy)
    return seen


def test_a_valid_pdf_in_dejavu(tmp_path: Path) -> None:
    target = tmp_path / "review.pdf"
    pages = review_report_pdf(review(), target)
    pdf = target.read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert pages == page_count(pdf) >= 1
    assert b"DejaVuSans" in pdf and b"Helvetica" not in pdf
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_it_names_the_file_the_decision_and_every_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = paragraphs(monkeypatch)
    review_report_pdf(review(), io.BytesIO())
    text = "\n".join(seen)
    for expected in (
        "Contoso year-end v2.pptx",
        "version 2 of 3",
        SHA[:12],
        SHA,  # in full too, so the partner can check the file
        "Changes requested",
        "Decided by Ann Lee",
        "Please drop the offer on slide 3.<br/>Use the chapter template.",
        "Slide 3 — Why our accelerator",
        "Slide 5 — Case study: Fabrikam",
        "The file as a whole",
        "Contact us today for a free trial",
        "Dismissed (breaks the rule)",
        "Cléo Dubé of Fabrikam presents this part with Contoso",
        "(Ann Lee)",
        RULE_SUMMARIES["DECK-3"].replace("'", "&#x27;")[:40],
        "Not approved: please bring no handouts",
    ):
        assert expected in text, expected
    # Slides in order; the deck as a whole (slide 0) first.
    order = [text.index(h) for h in ("The file as a whole", "Slide 3 —", "Slide 5 —")]
    assert order == sorted(order)


def test_the_findings_summary_counts_what_is_left_to_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = paragraphs(monkeypatch)
    review_report_pdf(review(), io.BytesIO())
    assert "4 findings on 2 slides: 2 break a rule, 1 dismissed by the chapter." in seen


@pytest.mark.parametrize(
    ("decision", "label"),
    [
        (DeckDecision.APPROVED, "Approved"),
        (DeckDecision.REJECTED, "Rejected"),
        (DeckDecision.PENDING, "Not decided yet"),
    ],
)
def test_every_decision_prints(
    monkeypatch: pytest.MonkeyPatch, decision: DeckDecision, label: str
) -> None:
    seen = paragraphs(monkeypatch)
    review_report_pdf(review(decision=decision), io.BytesIO())
    assert label in seen
    approved_note = any("applies to this exact file only" in s for s in seen)
    assert approved_note is (decision is DeckDecision.APPROVED)


def test_a_sponsor_is_covered_for_handouts_PRT_5_MTG_8(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = paragraphs(monkeypatch)
    review_report_pdf(review(sponsor=True, handouts_allowed=True), io.BytesIO())
    assert any("Covered by the annual chapter sponsorship" in s for s in seen)
    assert any("Paid Annual Chapter Sponsor (PRT-5)" in s for s in seen)


def test_no_findings_is_one_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = paragraphs(monkeypatch)
    target = tmp_path / "clean.pdf"
    assert review_report_pdf(review(findings=(), decision=DeckDecision.APPROVED), target) == 1
    assert "The checks found nothing against the chapter rules." in seen


def test_pages_grow_with_the_findings_about_ten_a_page(tmp_path: Path) -> None:
    counts = {}
    for n in (10, 60, 200):
        target = tmp_path / f"{n}.pdf"
        counts[n] = review_report_pdf(review(findings=many(n)), target)
        assert counts[n] == page_count(target.read_bytes())
    assert counts[10] <= 2
    assert counts[10] < counts[60] < counts[200]
    assert counts[200] <= 200 // 8 + 2


def test_one_slide_with_many_findings_splits_across_pages(tmp_path: Path) -> None:
    target = tmp_path / "one-slide.pdf"
    assert review_report_pdf(review(findings=many(60, per_slide=60)), target) >= 3


def test_a_long_url_stays_inside_its_cell() -> None:
    """ReportLab's embeddedHyphenation would stop long words from being split; a URL wider
    than its column must still break inside the cell."""
    st = review_module._Styles()
    para = review_module.Paragraph(review_module._markup(LONG_URL), st.cell)
    width = 150.0
    para.wrap(width, 1000)
    assert len(para.blPara.lines) > 1
    # Room left on each line (ReportLab's "extraSpace"); negative would spill out of the cell.
    lines = para.blPara.lines
    spare = [ln.extraSpace if hasattr(ln, "extraSpace") else ln[0] for ln in lines]
    assert min(spare) >= -0.01


def test_text_from_a_deck_is_made_printable() -> None:
    assert review_module._plain("Contact\x0bus\x00 today\u200b!\r\n") == "Contact us today !"
    assert review_module._plain("Zoe\u0308") == "Zoë"
    cut = review_module._plain("x" * 1000, 50)
    assert len(cut) == 50 and cut.endswith("…")


def test_unicode_and_a_long_topic_print(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = paragraphs(monkeypatch)
    topic = "Zoe\u0308 Ängström on year-end close, " * 4
    data = review(
        topic=topic,
        partner_name="Łukasz Wiśniewski Sp. z o.o.",
        filename="北京软件 — 年终结账.pptx",
    )
    review_report_pdf(data, tmp_path / "u.pdf")
    # The page head cuts a long topic short, so the facts table carries it in full.
    assert any(review_module._plain(topic) in s for s in seen)


def test_on_a4(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4

    target = tmp_path / "a4.pdf"
    review_report_pdf(review(), target, pagesize=A4)
    assert b"595.2756 841.8898" in target.read_bytes()


def _full_disk(self: Canvas) -> None:
    self._filename.write(b"%PDF-1.4\n% half a file")
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_failed_write_keeps_the_previous_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "review.pdf"
    review_report_pdf(review(), target)
    before = target.read_bytes()
    monkeypatch.setattr(Canvas, "save", _full_disk)
    with pytest.raises(OSError, match="No space"):
        review_report_pdf(review(decision=DeckDecision.APPROVED), target)
    assert target.read_bytes() == before
    assert list(tmp_path.iterdir()) == [target]


def test_a_failed_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Canvas, "save", _full_disk)
    with pytest.raises(OSError):
        review_report_pdf(review(), tmp_path / "review.pdf")
    assert list(tmp_path.iterdir()) == []


def test_the_report_carries_nothing_of_the_roster_ROS_2() -> None:
    contact = re.compile(r"mail|phone|regist|attend|roster|checked_in|customer", re.IGNORECASE)
    assert not any(contact.search(f.name) for f in dataclasses.fields(ReviewData))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext not installed")
def test_the_text_reads_back_from_the_pdf(tmp_path: Path) -> None:
    """What a partner's PDF reader extracts: the words are really in the file."""
    target = tmp_path / "review.pdf"
    review_report_pdf(review(), target)
    out = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in ("DECK REVIEW", "Contoso year-end v2.pptx", "Changes requested", "Cléo Dubé"):
        assert expected in out
