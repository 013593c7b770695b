"""Deck bytes (already through :mod:`.safe_open`) → :class:`DeckFacts`.

python-pptx opens the package and resolves relationships; the text is read from its parsed
XML (:mod:`.shapes`). A damaged slide is recorded as a problem on that slide and the rest of
the deck is still checked; only a package python-pptx cannot open at all is refused.
"""

from __future__ import annotations

from typing import Any

from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import PartFactory
from pptx.parts.presentation import PresentationPart

from chapterdesk.decks.deadline import Deadline
from chapterdesk.decks.errors import DeckRefused
from chapterdesk.decks.model import DeckFacts, EmbeddedPart, Link, SlideFacts
from chapterdesk.decks.safe_open import damaged
from chapterdesk.decks.shapes import ShapeReader, notes_text
from chapterdesk.decks.signature import SignatureReader, layout_name, open_presentation_part

_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

# python-pptx knows four presentation content types; macro-enabled shows and templates are
# the same XML, so they get the same part class (PartFactory's documented registration map).
for _content_type in (
    "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml",
    "application/vnd.ms-powerpoint.template.macroEnabled.main+xml",
):
    PartFactory.part_type_for.setdefault(_content_type, PresentationPart)

_VBA = "application/vnd.ms-office.vbaProject"
_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"


def extract(data: bytes, kind: str, deadline: Deadline) -> DeckFacts:
    """Read every slide of an inspected deck. Raises :class:`DeckRefused` when python-pptx
    cannot open the package or the deadline passes."""
    try:
        return _Extractor(open_presentation_part(data), kind, deadline).run()
    except DeckRefused:
        raise
    except Exception as error:  # python-pptx on a damaged package: never a traceback
        raise damaged(f"{type(error).__name__}: {error}") from error


class _Extractor:
    """One pass over the deck's parts; remembers which slides use which part."""

    def __init__(self, prs_part: Any, kind: str, deadline: Deadline) -> None:
        self._prs_part = prs_part
        self._deadline = deadline
        self._signatures = SignatureReader(prs_part, deadline.check)
        self._uses: dict[str, set[int]] = {}  # part name → slides relating to it
        self._slide_parts: set[Any] = set()  # slides and their notes
        self.facts = DeckFacts(kind=kind, signature=self._signatures.read())

    def run(self) -> DeckFacts:
        id_list = self._prs_part._element.find(f"{_P}sldIdLst")
        for number, slide_id in enumerate(id_list if id_list is not None else (), start=1):
            self._deadline.check()
            self.facts.slides.append(self._slide(number, str(slide_id.get(f"{_R}id", ""))))
        self._package()
        return self.facts

    def _slide(self, number: int, r_id: str) -> SlideFacts:
        facts = SlideFacts(number=number)
        try:
            part = self._prs_part.related_part(r_id)
            element = part._element
            if element.tag != f"{_P}sld":
                raise ValueError("it is not a slide")
        except Exception as error:
            facts.problems.append(f"the slide cannot be found in the file ({error})")
            return facts
        self._slide_parts.add(part)
        facts.hidden = element.get("show") in ("0", "false")
        reader = ShapeReader(part, self._deadline.check)
        tree = element.find(f"{_P}cSld/{_P}spTree")
        try:
            if tree is not None:
                reader.read_tree(tree)
        except DeckRefused:
            raise
        except Exception as error:
            reader.problems.append(f"its shapes cannot all be read ({type(error).__name__})")
        facts.title, facts.spots, facts.problems = reader.title, reader.spots, reader.problems
        for rel in list(part.rels.values()):
            self._slide_rel(rel, facts)
        return facts

    def _slide_rel(self, rel: Any, facts: SlideFacts) -> None:
        """Layout and master, notes, links and the media each slide uses."""
        if rel.is_external:
            facts.links.append(Link(str(rel.target_ref), rel.reltype == RT.HYPERLINK))
            return
        target = rel.target_part
        self._uses.setdefault(str(target.partname), set()).add(facts.number)
        try:
            if rel.reltype == RT.SLIDE_LAYOUT:
                facts.layout = layout_name(target)
                master = target.part_related_by(RT.SLIDE_MASTER)
                facts.master = self._signatures.master_name(master)
            elif rel.reltype == RT.NOTES_SLIDE:
                self._slide_parts.add(target)
                facts.notes = notes_text(target._element)
                facts.links.extend(
                    Link(str(r.target_ref), r.reltype == RT.HYPERLINK)
                    for r in target.rels.values()
                    if r.is_external
                )
        except DeckRefused:
            raise
        except Exception as error:
            facts.problems.append(f"its layout or notes cannot be read ({type(error).__name__})")

    def _package(self) -> None:
        """Macros, media, embedded objects, and links that belong to no single slide.

        A chart's own data workbook (an embedding only charts relate to) is not reported."""
        parts = list(self._prs_part.package.iter_parts())
        sources: dict[str, set[str]] = {}
        for part in parts:
            for rel in part.rels.values():
                if not rel.is_external:
                    target = str(rel.target_part.partname)
                    sources.setdefault(target, set()).add(str(part.content_type))
        for part in parts:
            self._deadline.check()
            name = str(part.partname)
            kind = _embedded_kind(name, str(part.content_type))
            related_from = sources.get(name, set())
            if kind == "object" and related_from and related_from <= {_CHART}:
                kind = ""
            if kind:
                slides = tuple(sorted(self._uses.get(name, ())))
                self.facts.embedded.append(EmbeddedPart(name=name, kind=kind, slides=slides))
            if part in self._slide_parts:
                continue
            self.facts.deck_links.extend(
                Link(str(rel.target_ref), rel.reltype == RT.HYPERLINK)
                for rel in part.rels.values()
                if rel.is_external
            )


def _embedded_kind(name: str, content_type: str) -> str:
    lowered = name.lower()
    if content_type == _VBA or lowered.endswith("vbaproject.bin"):
        return "macros"
    if content_type.startswith("video/") or lowered.endswith((".mp4", ".wmv", ".avi", ".mov")):
        return "video"
    if content_type.startswith("audio/") or lowered.endswith((".mp3", ".wav", ".m4a", ".wma")):
        return "audio"
    if lowered.startswith("/ppt/embeddings/"):
        return "object"
    if lowered.startswith("/ppt/activex/") and lowered.endswith(".xml"):
        return "ActiveX control"
    return ""
