"""Plain facts read out of one deck: what the checks look at. Nothing here refers to
python-pptx, so the checks can be tested and reasoned about without a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chapterdesk.domain.text import fold

# Where a piece of text sits; these strings end up in ``Finding.where``.
TITLE = "title"
BODY = "body"
TABLE = "table"
CHART = "chart"
SMARTART = "SmartArt"
FOOTER = "footer"
NOTES = "notes"
ALT_TEXT = "picture"  # a picture's name or alt text ("contoso-logo.png")


@dataclass(frozen=True)
class TextSpot:
    """One piece of text on a slide: a shape's paragraphs, a table cell, a chart's labels."""

    where: str
    text: str


@dataclass(frozen=True)
class Link:
    """A relationship that points outside the file."""

    url: str
    hyperlink: bool  # False: a linked picture, video or object loaded from outside the file


@dataclass
class SlideFacts:
    """Everything the checks need from one slide."""

    number: int  # 1-based, in show order
    hidden: bool = False
    title: str = ""
    spots: list[TextSpot] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    layout: str = ""
    master: str = ""
    notes: str = ""
    problems: list[str] = field(default_factory=list)  # parts that could not be read

    def texts(self, *wheres: str) -> list[TextSpot]:
        """The spots in the given places (all of them when none are given)."""
        return [spot for spot in self.spots if not wheres or spot.where in wheres]


@dataclass(frozen=True)
class MasterSignature:
    """A slide master as DECK-1 compares it: its theme and the names of its layouts."""

    name: str  # the theme's name ("Office Theme"), which PowerPoint shows as the master's
    major_font: str = ""
    minor_font: str = ""
    colours: tuple[tuple[str, str], ...] = ()  # (slot, "RRGGBB") in scheme order
    layouts: tuple[str, ...] = ()


@dataclass(frozen=True)
class TemplateSignature:
    """What makes a deck look like the chapter's: slide size, masters, layouts, theme.

    Small and JSON-friendly so a chapter setting can keep it instead of the template file."""

    width: int  # EMU; 0 when the file does not say
    height: int
    masters: tuple[MasterSignature, ...]

    def master(self, name: str) -> MasterSignature | None:
        """The master of that name (case- and accent-blind), if any."""
        wanted = fold(name).strip()
        return next((m for m in self.masters if fold(m.name).strip() == wanted), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "width": self.width,
            "height": self.height,
            "masters": [
                {
                    "name": m.name,
                    "major_font": m.major_font,
                    "minor_font": m.minor_font,
                    "colours": dict(m.colours),
                    "layouts": list(m.layouts),
                }
                for m in self.masters
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TemplateSignature:
        return cls(
            width=int(data["width"]),
            height=int(data["height"]),
            masters=tuple(
                MasterSignature(
                    name=str(m["name"]),
                    major_font=str(m.get("major_font", "")),
                    minor_font=str(m.get("minor_font", "")),
                    colours=tuple((str(k), str(v)) for k, v in m.get("colours", {}).items()),
                    layouts=tuple(str(name) for name in m.get("layouts", ())),
                )
                for m in data["masters"]
            ),
        )


@dataclass(frozen=True)
class EmbeddedPart:
    """Media, objects and code carried inside the file."""

    name: str  # part name inside the package ("/ppt/media/media1.mp4")
    kind: str  # "video", "audio", "object", "macros", "ActiveX control"
    slides: tuple[int, ...] = ()  # slides that use it


@dataclass
class DeckFacts:
    """The whole deck: slides plus what belongs to no single slide."""

    kind: str  # "pptx", "pptm", "ppsx", "potx", …
    signature: TemplateSignature
    slides: list[SlideFacts] = field(default_factory=list)
    embedded: list[EmbeddedPart] = field(default_factory=list)
    deck_links: list[Link] = field(default_factory=list)  # from masters, layouts, the package
