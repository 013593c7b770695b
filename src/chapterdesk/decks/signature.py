"""The "template signature" DECK-1 compares: slide size, masters (by theme name), their layout
names, theme fonts and colours. Read the same way from the deck and from the chapter's
template (.pptx, .potx or .thmx), so the comparison is like for like."""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.package import Package
from pptx.parts.presentation import PresentationPart

from chapterdesk.decks.deadline import Deadline
from chapterdesk.decks.errors import DeckRefused
from chapterdesk.decks.model import MasterSignature, TemplateSignature
from chapterdesk.decks.safe_open import damaged, inspect_package, parse_xml

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_COLOUR_SLOTS = (
    "dk1",
    "lt1",
    "dk2",
    "lt2",
    "accent1",
    "accent2",
    "accent3",
    "accent4",
    "accent5",
    "accent6",
    "hlink",
    "folHlink",
)

DEFAULT_TEMPLATE = ("resources", "decks", "chapter-template.pptx")


def layout_name(layout_part: Any) -> str:
    """A layout's name as PowerPoint shows it (``p:cSld/@name``)."""
    c_sld = layout_part._element.find(f"{_P}cSld")
    return str(c_sld.get("name", "")) if c_sld is not None else ""


class SignatureReader:
    """Reads masters once and answers "which master is this layout on" for every slide."""

    def __init__(self, prs_part: Any, tick: Callable[[], None]) -> None:
        self._prs_part = prs_part
        self._tick = tick
        self._master_names: dict[Any, str] = {}

    def read(self) -> TemplateSignature:
        element = self._prs_part._element
        size = element.find(f"{_P}sldSz")
        width, height = (_int(size.get("cx")), _int(size.get("cy"))) if size is not None else (0, 0)
        masters: list[MasterSignature] = []
        id_list = element.find(f"{_P}sldMasterIdLst")
        for master_id in id_list if id_list is not None else ():
            self._tick()
            try:
                master_part = self._prs_part.related_part(master_id.get(f"{_R}id"))
            except (KeyError, AttributeError):
                continue  # a dangling master id: PowerPoint drops it too
            masters.append(self._master(master_part, len(masters) + 1))
        return TemplateSignature(width=width, height=height, masters=tuple(masters))

    def master_name(self, master_part: Any) -> str:
        """The master's name, read once per master part."""
        if master_part not in self._master_names:
            self._master_names[master_part] = self._master(master_part, 0).name
        return self._master_names[master_part]

    def _master(self, master_part: Any, number: int) -> MasterSignature:
        theme = _theme(master_part)
        c_sld = master_part._element.find(f"{_P}cSld")
        name = (
            (theme.get("name", "") if theme is not None else "")
            or (c_sld.get("name", "") if c_sld is not None else "")
            or f"Master {number}"
        )
        self._master_names[master_part] = name
        layouts = []
        id_list = master_part._element.find(f"{_P}sldLayoutIdLst")
        for layout_id in id_list if id_list is not None else ():
            self._tick()
            try:
                layouts.append(layout_name(master_part.related_part(layout_id.get(f"{_R}id"))))
            except (KeyError, AttributeError):
                continue
        fonts = theme.find(f"{_A}themeElements/{_A}fontScheme") if theme is not None else None
        scheme = theme.find(f"{_A}themeElements/{_A}clrScheme") if theme is not None else None
        return MasterSignature(
            name=name,
            major_font=_typeface(fonts, "majorFont"),
            minor_font=_typeface(fonts, "minorFont"),
            colours=_colours(scheme),
            layouts=tuple(layouts),
        )


def _theme(master_part: Any) -> Any:
    """The master's theme element (python-pptx keeps themes as bytes), or ``None``."""
    for rel in master_part.rels.values():
        if rel.reltype == RT.THEME and not rel.is_external:
            return parse_xml(rel.target_part.blob)
    return None


def _typeface(fonts: Any, which: str) -> str:
    latin = fonts.find(f"{_A}{which}/{_A}latin") if fonts is not None else None
    return str(latin.get("typeface", "")) if latin is not None else ""


def _colours(scheme: Any) -> tuple[tuple[str, str], ...]:
    if scheme is None:
        return ()
    out = []
    for slot in _COLOUR_SLOTS:
        holder = scheme.find(f"{_A}{slot}")
        if holder is None or len(holder) == 0:
            continue
        colour = holder[0]
        value = colour.get("lastClr") or colour.get("val") or ""
        out.append((slot, str(value).upper()))
    return tuple(out)


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


def open_presentation_part(data: bytes) -> Any:
    """python-pptx's presentation part for already-inspected bytes, whatever the file kind
    (.pptx, .pptm, .ppsx, .potx, or the presentation inside a .thmx)."""
    package = Package.open(io.BytesIO(data))
    main = package.main_document_part
    if isinstance(main, PresentationPart):
        return main
    for part in package.iter_parts():  # a .thmx: theme manager → presentation
        if isinstance(part, PresentationPart):
            return part
    raise damaged("it has no presentation part PowerPoint can open")


def template_signature(data: bytes, *, deadline: Deadline | None = None) -> TemplateSignature:
    """The signature of a chapter template file (.pptx, .potx or .thmx).

    Raises :class:`DeckRefused` (with the deck wording) when the file cannot be used."""
    deadline = deadline or Deadline(20.0)
    inspect_package(data, deadline=deadline, template=True)
    try:
        prs_part = open_presentation_part(data)
        return SignatureReader(prs_part, deadline.check).read()
    except DeckRefused:
        raise
    except Exception as error:  # python-pptx on a damaged package
        raise damaged(f"{type(error).__name__}: {error}") from error


@cache
def default_template() -> bytes:
    """The chapter template shipped with ChapterDesk (see ``make_template.py`` beside it)."""
    return resources.files("chapterdesk").joinpath(*DEFAULT_TEMPLATE).read_bytes()


@cache
def default_signature() -> TemplateSignature:
    return template_signature(default_template())
