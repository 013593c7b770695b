"""Hostile and wrong files: each is refused with its own message, never a traceback.

Bombs are built in memory; the default limits are used where that stays cheap (a 600 MB bomb
packs into under 3 MB and takes about a second), smaller limits elsewhere.
"""

from __future__ import annotations

import io
import struct
import time
import zipfile
from collections.abc import Callable

import pytest

from chapterdesk.decks import DeckRefused, check_deck
from chapterdesk.decks.safe_open import Limits, inspect_package
from chapterdesk.decks.samples import chapter_deck
from chapterdesk.decks.signature import template_signature

MB = 1024 * 1024


def refused(data: bytes, **kwargs: object) -> str:
    with pytest.raises(DeckRefused) as caught:
        check_deck(data, "deck.pptx", **kwargs)  # type: ignore[arg-type]
    message = caught.value.message
    assert message == str(caught.value) and message.endswith((".", "…"))
    return message


@pytest.fixture(scope="module")
def deck() -> bytes:
    return chapter_deck(3)


def rezip(
    data: bytes,
    change: Callable[[str, bytes], bytes | None] = lambda name, blob: blob,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """The deck re-zipped with some entries changed (``None`` drops one) or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            blob = change(name, source.read(name))
            if blob is not None:
                target.writestr(name, blob)
        for name, blob in (extra or {}).items():
            target.writestr(name, blob)
    return out.getvalue()


# ------------------------------------------------------------------------------ not a deck


def test_empty_file() -> None:
    assert "empty" in refused(b"")


def test_legacy_ppt() -> None:
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504) + "PowerPoint Document".encode("utf-16-le")
    assert refused(ole) == (
        "This is a legacy PowerPoint 97–2003 file (.ppt); save it as .pptx in PowerPoint and "
        "submit again."
    )


def test_password_protected_pptx() -> None:
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504) + "EncryptedPackage".encode("utf-16-le")
    assert "password-protected" in refused(ole)


def test_pdf() -> None:
    assert refused(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj").startswith(
        "This is a PDF, not a PowerPoint deck"
    )


def test_plain_text_and_html() -> None:
    assert "plain text file" in refused("Agenda:\n- Zoë's talk\n".encode())
    assert "web page" in refused(b"<!DOCTYPE html><html><body>deck</body></html>")


def test_renamed_docx_and_xlsx() -> None:
    def office(part: str) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr(part, "<x/>")
        return out.getvalue()

    assert "Word document (.docx)" in refused(office("word/document.xml"))
    assert "Excel workbook (.xlsx)" in refused(office("xl/workbook.xml"))


def test_plain_zip_and_odp() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.presentation")
        z.writestr("content.xml", "<x/>")
    assert "OpenDocument presentation (.odp" in refused(out.getvalue())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("notes.txt", "hello")
    assert "zip archive, not a PowerPoint deck" in refused(out.getvalue())


def test_truncated_pptx(deck: bytes) -> None:
    assert refused(deck[: len(deck) // 2]).startswith("The deck is damaged:")
    assert refused(deck[:-30]).startswith("The deck is damaged:")


def test_corrupted_part(deck: bytes) -> None:
    broken = bytearray(deck)
    start = deck.index(b"ppt/slides/slide1.xml") + len("ppt/slides/slide1.xml") + 8
    broken[start : start + 20] = bytes(20)
    message = refused(bytes(broken))
    assert message.startswith("The deck is damaged:") and "resubmit" in message


def test_missing_presentation_part(deck: bytes) -> None:
    data = rezip(deck, lambda name, blob: None if name == "ppt/presentation.xml" else blob)
    assert "no presentation part" in refused(data)


def test_broken_xml_is_damaged_not_a_traceback(deck: bytes) -> None:
    data = rezip(
        deck, lambda name, blob: b"<p:sld><oops" if name == "ppt/slides/slide1.xml" else blob
    )
    assert refused(data).startswith("The deck is damaged: XMLSyntaxError")


def test_office_theme_is_not_a_deck_but_can_be_a_template(deck: bytes) -> None:
    def as_theme(name: str, blob: bytes) -> bytes | None:
        if name.startswith("ppt/slides/") or name.startswith("docProps/"):
            return None
        return blob

    theme = rezip(deck, as_theme)
    # Moving every part under theme/ is what a .thmx looks like to the sniffing.
    moved = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(theme)) as source, zipfile.ZipFile(moved, "w") as target:
        for name in source.namelist():
            target.writestr(name.replace("ppt/", "theme/"), source.read(name))
    assert "Office theme (.thmx)" in refused(moved.getvalue())


# ------------------------------------------------------------------------------ hostile zips


def test_zip_bomb_by_total_size() -> None:
    """600 MB of zeros in one entry: over the 500 MB total (and the ratio)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("ppt/media/image1.bmp", "w", force_zip64=True) as entry:
            chunk = bytes(MB)
            for _ in range(600):
                entry.write(chunk)
    assert len(out.getvalue()) < 5 * MB
    assert "unpacks to more than 500 MB" in refused(out.getvalue())


def test_zip_bomb_by_ratio() -> None:
    """One 50 MB entry of zeros packs about 1000:1; the limit is 200:1."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("ppt/slides/slide1.xml", bytes(50 * MB))
    assert "'zip bombs'" in refused(out.getvalue())


def test_many_small_bombs_add_up() -> None:
    """Entries just under the ratio floor, many of them: the total still stops them."""
    limits = Limits(max_total_bytes=20 * MB, ratio_floor_bytes=4 * MB)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(6):
            z.writestr(f"ppt/media/image{i}.bmp", bytes(4 * MB))
    assert "unpacks to more than 20 MB" in refused(out.getvalue(), limits=limits)


def test_too_many_entries() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for i in range(5_001):
            z.writestr(f"ppt/media/{i}.bin", b"")
    assert "5,001 parts (the limit is 5,000)" in refused(out.getvalue())


def test_file_size_limit(deck: bytes) -> None:
    message = refused(deck, limits=Limits(max_file_bytes=1024))
    assert "decks over 0 MB" in message or "are refused" in message


@pytest.mark.parametrize("name", ["../../evil.xml", "/etc/passwd", "ppt/../../x.xml", "C:/x.xml"])
def test_paths_outside_the_package(deck: bytes, name: str) -> None:
    assert "unsafe path" in refused(rezip(deck, extra={name: b"<x/>"}))


def test_sizes_that_lie_are_caught(deck: bytes) -> None:
    """A central directory that understates a part's size (zipfile would inflate the rest
    into memory before noticing): caught while inflating in small chunks."""
    data = bytearray(deck)
    name = b"ppt/slides/slide1.xml"
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    (local,) = struct.unpack("<I", data[central + 42 : central + 46])
    data[central + 24 : central + 28] = struct.pack("<I", 10)  # uncompressed size
    data[local + 22 : local + 26] = struct.pack("<I", 10)
    assert "unpacks to more than the size its zip entry declares" in refused(bytes(data))


def test_unusual_compression_methods_are_refused(deck: bytes) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(deck)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            method = zipfile.ZIP_BZIP2 if info.filename.endswith(".rels") else zipfile.ZIP_DEFLATED
            target.writestr(info.filename, source.read(info), compress_type=method)
    assert "compression method 12" in refused(out.getvalue())


@pytest.mark.parametrize(
    "prolog",
    [
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>',
        b'<!DOCTYPE x SYSTEM "http://example.com/evil.dtd">',
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e "e">]>'.encode("utf-16-le"),
    ],
    ids=["billion-laughs", "external-dtd", "utf-16"],
)
def test_doctype_and_entities_are_refused(deck: bytes, prolog: bytes) -> None:
    def poison(name: str, blob: bytes) -> bytes:
        if name != "ppt/slides/slide1.xml":
            return blob
        body = blob.split(b"?>", 1)[1]
        return prolog + (body.decode().encode("utf-16-le") if b"\x00" in prolog else body)

    assert "document type declaration" in refused(rezip(deck, poison))


def test_doctype_in_a_part_with_an_odd_name(deck: bytes) -> None:
    """Parts are scanned by content, not only by their .xml name."""
    evil = b'  <!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
    assert "document type declaration" in refused(rezip(deck, extra={"ppt/x.dat": evil}))


def test_encrypted_entries(deck: bytes) -> None:
    data = bytearray(deck)
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x1
    assert "encrypted" in refused(bytes(data))


def test_time_limit(deck: bytes) -> None:
    assert "took too long" in refused(deck, deadline_s=0.0)


def test_inspection_passes_a_real_deck(deck: bytes) -> None:
    info = inspect_package(deck)
    assert info.kind == "pptx" and info.entries > 10


def test_a_hostile_template_is_refused_like_a_deck() -> None:
    with pytest.raises(DeckRefused, match="PDF"):
        template_signature(b"%PDF-1.4")


# ------------------------------------------------------------------------------ slow paths

HOSTILE_TEXTS = {
    "digits and spaces": "1 " * 10_000,
    "digits and commas after a dollar": "$" + "1," * 10_000,
    "dotted words": "a." * 10_000,
    "hyphenated words": "a-" * 10_000,
    "at signs": "a@" * 10_000,
    "one long word": "a" * 20_000,
    "phone prefixes": "tel 1 " * 3_000,
    "percent signs": "1 % " * 5_000,
}


@pytest.mark.parametrize("text", HOSTILE_TEXTS.values(), ids=HOSTILE_TEXTS.keys())
def test_every_shipped_pattern_is_fast_on_hostile_text(text: str) -> None:
    """A regular expression cannot be interrupted by the deadline, so none may go quadratic."""
    from chapterdesk.decks.checks.company import EMAIL, PHONE
    from chapterdesk.decks.checks.sales import _URL_IN_TEXT
    from chapterdesk.decks.phrases import load_phrases

    patterns = [load_phrases().sales_patterns, EMAIL, PHONE, _URL_IN_TEXT]
    for pattern in patterns:
        assert pattern is not None
        start = time.perf_counter()
        for _match in pattern.finditer(text):
            pass
        assert time.perf_counter() - start < 0.5, pattern.pattern[:60]


def test_a_huge_text_is_cut_and_said_so() -> None:
    from chapterdesk.decks.samples import DeckBuilder

    deck = DeckBuilder()
    deck.slide("Appendix", ["word " * 60_000 + "free trial"])
    report = check_deck(deck.build(), "deck.pptx")
    [cut] = [f for f in report.findings if f.rule_id == "FILE" and f.where == "slide"]
    assert "only the first 100,000 were checked" in cut.text
    assert cut.slide == 1 and cut.severity.value == "warning"


def test_xml_total_limit(deck: bytes) -> None:
    assert "of slide XML" in refused(deck, limits=Limits(max_xml_bytes=10_000))
