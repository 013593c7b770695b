"""What a file is when it is not a PowerPoint 2007+ deck, told from its first bytes or its zip
entry names, so the refusal says what to ask the partner for ("save it as .pptx") instead of
"bad zip file"."""

from __future__ import annotations

from collections.abc import Collection

_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
_ASK_PPTX = "save it as a PowerPoint presentation (.pptx) and submit again."


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def refusal_for_bytes(data: bytes) -> str | None:
    """The refusal for data that is not a zip archive at all; ``None`` when it is one."""
    if not data:
        return (
            "The file is empty (0 bytes): the upload or copy failed; ask the partner to send "
            "the deck again."
        )
    head = data[:1024]
    if data.startswith(b"PK\x03\x04"):
        return None
    if data.startswith(b"PK\x05\x06"):
        return "This is an empty zip archive, not a PowerPoint deck; " + _ASK_PPTX
    if data.startswith(_OLE2):
        return _refusal_for_ole2(data)
    if b"%PDF-" in head:
        return (
            "This is a PDF, not a PowerPoint deck: the checks need the .pptx the PDF was made "
            "from; ask the partner for it."
        )
    if head.startswith(b"{\\rtf"):
        return "This is a Rich Text (RTF) document, not a PowerPoint deck; " + _ASK_PPTX
    for magic, kind in _IMAGES:
        if head.startswith(magic):
            return f"This is a {kind} picture, not a PowerPoint deck; " + _ASK_PPTX
    return _refusal_for_text(head) or (
        "This is not a PowerPoint 2007+ deck (.pptx): the file is not a zip package of any "
        "known kind; " + _ASK_PPTX
    )


_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "bitmap (BMP)"),
)


def _refusal_for_ole2(data: bytes) -> str:
    """Old-style Office files and password-protected new ones share the OLE2 container; the
    stream names inside (UTF-16) tell them apart."""
    if _utf16("EncryptedPackage") in data:
        return (
            "This deck is password-protected, so it cannot be checked; ask the partner to "
            "remove the password (File › Info › Protect Presentation) and submit again."
        )
    if _utf16("PowerPoint Document") in data:
        return (
            "This is a legacy PowerPoint 97–2003 file (.ppt); save it as .pptx in PowerPoint "
            "and submit again."
        )
    if _utf16("WordDocument") in data:
        return "This is a Word 97–2003 document (.doc), not a PowerPoint deck; " + _ASK_PPTX
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return "This is an Excel 97–2003 workbook (.xls), not a PowerPoint deck; " + _ASK_PPTX
    return (
        "This is an old-style Office file (OLE2), not a PowerPoint 2007+ deck; save it as "
        ".pptx in PowerPoint and submit again."
    )


def _refusal_for_text(head: bytes) -> str | None:
    """Text files: web pages, Flat XML presentations, plain text."""
    if not _mostly_text(head):
        return None
    text = head.decode("utf-8-sig", errors="replace")
    lowered = text.lstrip().lower()
    if "<html" in lowered or lowered.startswith("<!doctype html"):
        return "This is a web page (HTML), not a PowerPoint deck; " + _ASK_PPTX
    if "pkg:package" in lowered or 'progid="powerpoint.show"' in lowered:
        return (
            "This is a PowerPoint XML presentation (Flat XML), not a .pptx; open it in "
            "PowerPoint, " + _ASK_PPTX
        )
    if lowered.startswith("<"):
        return "This is an XML file, not a PowerPoint deck; " + _ASK_PPTX
    return "This is a plain text file, not a PowerPoint deck; " + _ASK_PPTX


def _mostly_text(head: bytes) -> bool:
    """Binary files are full of control bytes; text (any UTF-8 language) has almost none."""
    printable = sum(1 for byte in head if byte >= 32 or byte in b"\t\r\n")
    return printable >= 0.95 * len(head)


def refusal_for_zip(
    names: Collection[str], read_small: dict[str, bytes], *, theme_ok: bool = False
) -> str | None:
    """The refusal for a zip archive that is not a PowerPoint package; ``None`` when it has
    the parts of one (or of an Office theme, when ``theme_ok``: templates may be .thmx).
    ``read_small`` holds the ``mimetype`` entry when the zip has one."""
    if "[Content_Types].xml" in names and "ppt/presentation.xml" in names:
        return None
    if theme_ok and "[Content_Types].xml" in names and "theme/presentation.xml" in names:
        return None
    if "word/document.xml" in names:
        return (
            "This is a Word document (.docx), not a PowerPoint deck (perhaps renamed); " + _ASK_PPTX
        )
    if "xl/workbook.xml" in names:
        return (
            "This is an Excel workbook (.xlsx), not a PowerPoint deck (perhaps renamed); "
            + _ASK_PPTX
        )
    if "visio/document.xml" in names:
        return "This is a Visio drawing (.vsdx), not a PowerPoint deck; " + _ASK_PPTX
    mimetype = read_small.get("mimetype", b"").decode("ascii", errors="replace")
    if "opendocument.presentation" in mimetype:
        return (
            "This is an OpenDocument presentation (.odp, LibreOffice/OpenOffice); save it as "
            "PowerPoint (.pptx) and submit again."
        )
    if "opendocument" in mimetype:
        return "This is an OpenDocument file (LibreOffice/OpenOffice), not a deck; " + _ASK_PPTX
    if "index.apxl" in names or any(name.startswith("Index/") for name in names):
        return (
            "This is an Apple Keynote file; export it from Keynote as PowerPoint (.pptx) and "
            "submit again."
        )
    if any(name.startswith("theme/theme/") for name in names):
        return (
            "This is an Office theme (.thmx): it holds a design but no slides, so there is "
            "nothing to check; it can serve as a chapter template instead."
        )
    if "[Content_Types].xml" in names:
        return (
            "This Office file has no presentation part (ppt/presentation.xml), so it is not "
            "a PowerPoint deck or it is damaged; " + _ASK_PPTX
        )
    return "This is a zip archive, not a PowerPoint deck; " + _ASK_PPTX
