"""Untrusted deck bytes are inspected here before python-pptx sees them.

python-pptx reads every zip entry into memory (``zipfile.read``) and parses every XML part, so
everything it will do is bounded first: the file size, the entry count, the declared and the
*actual* uncompressed sizes (a zip can lie about them: each deflate stream is inflated here in
small chunks and stopped as soon as it passes its declared size), the compression ratio, the
compression methods (only the two PowerPoint writes; bzip2/LZMA would inflate unbounded chunks),
entry names, and document type declarations (python-pptx's parser does not resolve entities,
but PowerPoint never writes a DTD, so one is refused outright). Anything else that goes wrong
is reported as a damaged file, never as a traceback.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from lxml import etree  # type: ignore[import-untyped]

from chapterdesk.decks.deadline import Deadline
from chapterdesk.decks.errors import DeckRefused
from chapterdesk.decks.sniff import refusal_for_bytes, refusal_for_zip

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What a deck may be. Real decks stay far below (the corpus: ≤ 3 MB unpacked, ratio ≤ 42);
    tests pass smaller limits to exercise each one cheaply."""

    max_file_bytes: int = 100 * MB
    max_entries: int = 5_000
    max_total_bytes: int = 500 * MB  # all entries unpacked (python-pptx holds them all)
    max_xml_bytes: int = 100 * MB  # all XML unpacked (parsed into trees, ~10× in memory)
    max_ratio: float = 200.0  # unpacked ÷ packed, per entry …
    ratio_floor_bytes: int = 4 * MB  # … for entries bigger than this (blank bitmaps compress well)


DEFAULT_LIMITS = Limits()

# Presentation content types, and what the file is for the leader.
KINDS = {
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml": "pptm",
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml": "ppsx",
    "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml": "ppsm",
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml": "potx",
    "application/vnd.ms-powerpoint.template.macroEnabled.main+xml": "potm",
}

_SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)
_DTD = re.compile(
    b"|".join(
        re.escape(marker.encode(encoding))
        for marker in ("<!DOCTYPE", "<!ENTITY")
        for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
    )
)
_XML_NAMES = (".xml", ".rels", ".vml")
_IN_CHUNK = 64 * 1024
_OUT_CHUNK = 1 * MB
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def parse_xml(blob: bytes) -> etree._Element:
    """Parse XML from a deck without entities, DTDs or network access (for parts python-pptx
    leaves as bytes: themes, SmartArt data). Raises :class:`DeckRefused` on bad XML."""
    try:
        return etree.fromstring(blob, _SAFE_PARSER)
    except etree.XMLSyntaxError as error:
        raise damaged(f"an XML part cannot be read ({error})") from error


def damaged(reason: str) -> DeckRefused:
    """The refusal for a file PowerPoint itself would probably repair or reject."""
    reason = " ".join(reason.split())
    if len(reason) > 160:
        reason = reason[:157] + "…"
    return DeckRefused(
        f"The deck is damaged: {reason}. Ask the partner to open it in PowerPoint, save it "
        "again as .pptx and resubmit."
    )


@dataclass(frozen=True)
class PackageInfo:
    """What the inspection learned: enough to name the file's kind in findings."""

    entries: int
    unpacked_bytes: int
    kind: str  # "pptx", "pptm", "ppsx", "potx", … (from the presentation's content type)


def inspect_package(
    data: bytes,
    *,
    limits: Limits = DEFAULT_LIMITS,
    deadline: Deadline | None = None,
    template: bool = False,
) -> PackageInfo:
    """Check ``data`` against every limit; raise :class:`DeckRefused` with a specific message
    when it is not a PowerPoint 2007+ package python-pptx can safely open. ``template``
    also accepts an Office theme (.thmx), which has masters and layouts but no slides."""
    deadline = deadline or Deadline(60.0)
    if len(data) > limits.max_file_bytes:
        raise DeckRefused(
            f"The file is {len(data) / MB:.0f} MB; decks over {limits.max_file_bytes // MB} MB "
            "are refused. Ask the partner to compress the pictures (File › Compress Pictures) "
            "or remove videos, and submit again."
        )
    refusal = refusal_for_bytes(data)
    if refusal:
        raise DeckRefused(refusal)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise damaged(f"its zip structure is broken or the file is incomplete ({error})") from error
    if len(infos) > limits.max_entries:
        raise DeckRefused(
            f"The deck is made of {len(infos):,} parts (the limit is {limits.max_entries:,}); "
            "that is far more than any real deck has, so it was not opened."
        )
    _check_entries(infos, limits)
    names = {info.filename for info in infos}
    small = {"mimetype": _read_small(data, infos, "mimetype")}
    refusal = refusal_for_zip(names, small, theme_ok=template)
    if refusal:
        raise DeckRefused(refusal)
    xml_total = 0
    content_types = b""
    for info in infos:
        deadline.check()
        blob = _inflate(data, info, keep=_maybe_xml(info.filename), deadline=deadline)
        if blob is None:
            continue
        xml_total += len(blob)
        if xml_total > limits.max_xml_bytes:
            raise DeckRefused(
                f"The deck holds more than {limits.max_xml_bytes // MB} MB of slide XML, far "
                "more than any real deck; it was not opened."
            )
        if _DTD.search(blob):
            raise DeckRefused(
                f"The deck contains an XML document type declaration (in {info.filename}); "
                "PowerPoint never writes one and it can be used to attack XML readers, so the "
                "file was refused. Ask the partner to save the deck again from PowerPoint."
            )
        if info.filename == "[Content_Types].xml":
            content_types = blob
    return PackageInfo(
        entries=len(infos),
        unpacked_bytes=sum(info.file_size for info in infos),
        kind=_kind(content_types),
    )


def _check_entries(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Names, methods, encryption, sizes and ratios as the central directory declares them."""
    total = 0
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        if _unsafe_name(name):
            raise DeckRefused(
                f"The deck contains a part with an unsafe path ({name[:80]!r}): absolute or "
                "pointing outside the package, which PowerPoint never writes; it was refused."
            )
        if name in seen:
            raise damaged(f"the part {name[:80]!r} appears twice")
        seen.add(name)
        if info.flag_bits & 0x1:
            raise DeckRefused(
                "The deck's zip entries are encrypted, so it cannot be checked; ask for an "
                "unprotected .pptx."
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise damaged(
                f"the part {name[:80]!r} uses zip compression method {info.compress_type}, "
                "which PowerPoint never writes"
            )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise DeckRefused(
                f"The deck unpacks to more than {limits.max_total_bytes // MB} MB (a "
                "'zip bomb' or a deck full of uncompressed media); it was not opened."
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor_bytes and ratio > limits.max_ratio:
            raise DeckRefused(
                f"The part {name[:80]!r} unpacks {ratio:,.0f} times larger than it is packed "
                f"(the limit is {limits.max_ratio:g}); files built like this are 'zip bombs', "
                "so the deck was not opened."
            )


def _unsafe_name(name: str) -> bool:
    if not name or "\x00" in name or "\\" in name:
        return True
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return True
    return ".." in name.split("/")


def _maybe_xml(name: str) -> bool:
    return name.lower().endswith(_XML_NAMES) or name == "[Content_Types].xml"


def _raw(data: bytes, info: zipfile.ZipInfo) -> memoryview:
    """The entry's packed bytes, found through its local header."""
    start = info.header_offset
    header = data[start : start + 30]
    if len(header) < 30 or not header.startswith(b"PK\x03\x04"):
        raise damaged(f"the part {info.filename[:80]!r} has no valid zip header")
    name_len = int.from_bytes(header[26:28], "little")
    extra_len = int.from_bytes(header[28:30], "little")
    begin = start + 30 + name_len + extra_len
    raw = memoryview(data)[begin : begin + info.compress_size]
    if len(raw) < info.compress_size:
        raise damaged("the file is incomplete (it was cut off during upload or copy)")
    return raw


def _inflate(data: bytes, info: zipfile.ZipInfo, *, keep: bool, deadline: Deadline) -> bytes | None:
    """Unpack one entry in bounded chunks, checking its real size and CRC against the
    central directory. Returns the bytes when ``keep`` or when the entry starts like XML
    (whatever its name), else ``None``."""
    raw = _raw(data, info)
    pieces: list[bytes] = []
    produced = 0
    crc = 0
    first = True
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    try:
        for offset in range(0, len(raw), _IN_CHUNK):
            pending = bytes(raw[offset : offset + _IN_CHUNK])
            while pending:
                if inflater is None:
                    out, pending = pending, b""
                else:
                    out = inflater.decompress(pending, _OUT_CHUNK)
                    pending = inflater.unconsumed_tail
                produced += len(out)
                if produced > info.file_size:
                    raise damaged(
                        f"the part {info.filename[:80]!r} unpacks to more than the size its "
                        "zip entry declares"
                    )
                crc = zlib.crc32(out, crc)
                if first and out:
                    keep = keep or _starts_like_xml(out)
                    first = False
                if keep:
                    pieces.append(out)
            deadline.check()
            if inflater is not None and inflater.eof:
                break
    except zlib.error as error:
        raise damaged(f"the part {info.filename[:80]!r} cannot be unpacked ({error})") from error
    if produced != info.file_size or crc != info.CRC:
        raise damaged(f"the part {info.filename[:80]!r} fails its integrity check")
    return b"".join(pieces) if keep else None


def _starts_like_xml(head: bytes) -> bool:
    """XML in any encoding python-pptx's parser would accept starts with ``<`` after an
    optional byte-order mark and white space (UTF-16/32 put zero bytes around it)."""
    start = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    return not start or start.startswith(b"<")


def _read_small(data: bytes, infos: list[zipfile.ZipInfo], name: str) -> bytes:
    for info in infos:
        if info.filename == name and info.file_size <= 256:
            blob = _inflate(data, info, keep=True, deadline=Deadline(5.0))
            return blob or b""
    return b""


def _kind(content_types: bytes) -> str:
    """ "pptx", "ppsx", … from the presentation part's declared content type ("thmx" for the
    presentation inside an Office theme)."""
    root = parse_xml(content_types)
    for override in root.iter(f"{_CT_NS}Override"):
        part_name = override.get("PartName", "").lower()
        if part_name in ("/ppt/presentation.xml", "/theme/presentation.xml"):
            content_type = override.get("ContentType", "")
            if content_type in KINDS:
                return "thmx" if part_name.startswith("/theme/") else KINDS[content_type]
            raise DeckRefused(
                "The package's main part is not a PowerPoint presentation (its content type "
                f"is {content_type[:100]!r}); " + "save it as .pptx and submit again."
            )
    raise damaged("its list of content types does not name the presentation part")
