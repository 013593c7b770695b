"""The chapter's slide template (DECK-1): set in the chapter settings, used by every deck
check of the chapter, synced like the rest. Without one, ChapterDesk's default template is the
reference."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.permissions import Action, require
from chapterdesk.domain.violations import NotFound, RuleViolation
from chapterdesk.i18n import _
from chapterdesk.services.changes import record_change
from chapterdesk.store.models import Chapter, ChapterTemplate

MAX_TEMPLATE_BYTES = 50 * 1024 * 1024


def _chapter(session: Session, actor: Actor, chapter_id: str) -> Chapter:
    chapter = session.get(Chapter, chapter_id)
    if chapter is None or chapter.deleted:
        raise NotFound(_("That chapter no longer exists."))
    require(actor, Action.MANAGE_MEETINGS, chapter_id)
    return chapter


def set_chapter_template(
    session: Session, actor: Actor, chapter_id: str, filename: str, data: bytes
) -> str:
    """Make ``data`` the chapter's template; refused, naming DECK-1, when it is not a
    PowerPoint template or deck whose masters can be compared. Returns its SHA-256."""
    chapter = _chapter(session, actor, chapter_id)
    from chapterdesk.decks import DeckRefused
    from chapterdesk.decks.signature import template_signature

    if len(data) > MAX_TEMPLATE_BYTES:
        raise RuleViolation(
            "DECK-1",
            _("{name} is too large for a slide template.").format(name=filename),
            _("Save the chapter's template as .potx or .pptx without sample slides."),
        )
    try:
        template_signature(data)
    except DeckRefused as refused:
        raise RuleViolation(
            "DECK-1",
            _("{name} cannot be the chapter's template: {why}").format(
                name=filename, why=refused.message
            ),
            _("Choose the chapter's PowerPoint template (.potx or .pptx)."),
        ) from refused
    digest = hashlib.sha256(data).hexdigest()
    existing = session.scalar(
        select(ChapterTemplate).where(
            ChapterTemplate.chapter_id == chapter_id,
            ChapterTemplate.sha256 == digest,
            ChapterTemplate.deleted.is_(False),
        )
    )
    if existing is None:
        session.add(
            ChapterTemplate(
                chapter_id=chapter_id,
                filename=filename,
                sha256=digest,
                size_bytes=len(data),
                content=data,
                uploaded_by=actor.account_id,
            )
        )
    chapter.template_sha256 = digest
    session.flush()
    record_change(
        session,
        actor,
        chapter_id=chapter_id,
        entity="chapters",
        entity_id=chapter_id,
        fields={},
        action="chapter.template_set",
        details={"file": filename, "sha256": digest},
    )
    return digest


def use_default_template(session: Session, actor: Actor, chapter_id: str) -> None:
    """Back to ChapterDesk's default template (the chapter's files stay, for the record)."""
    chapter = _chapter(session, actor, chapter_id)
    if chapter.template_sha256 is None:
        return
    chapter.template_sha256 = None
    session.flush()
    record_change(
        session,
        actor,
        chapter_id=chapter_id,
        entity="chapters",
        entity_id=chapter_id,
        fields={},
        action="chapter.template_default",
    )


def template_of(session: Session, chapter_id: str) -> tuple[str, bytes] | None:
    """(file name, bytes) of the template in force, or None for the default. Callers have
    checked the actor's rights on the chapter (no ``actor``: not a use case of its own)."""
    chapter = session.get(Chapter, chapter_id)
    if chapter is None or chapter.template_sha256 is None:
        return None
    row = session.scalar(
        select(ChapterTemplate).where(
            ChapterTemplate.chapter_id == chapter_id,
            ChapterTemplate.sha256 == chapter.template_sha256,
            ChapterTemplate.deleted.is_(False),
        )
    )
    return (row.filename, row.content) if row is not None else None


def template_name(session: Session, chapter_id: str) -> str:
    """The file name of the template in force ("" for the default), without its bytes."""
    chapter = session.get(Chapter, chapter_id)
    if chapter is None or chapter.template_sha256 is None:
        return ""
    name = session.scalar(
        select(ChapterTemplate.filename).where(
            ChapterTemplate.chapter_id == chapter_id,
            ChapterTemplate.sha256 == chapter.template_sha256,
        )
    )
    return name or ""
