"""Which chapters the acting person may work in."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.permissions import Action, allows
from chapterdesk.services.views import ChapterSummary
from chapterdesk.store.models import Chapter, Community


def list_chapters(session: Session, actor: Actor) -> list[ChapterSummary]:
    """The chapters ``actor`` may see, by community then name."""
    rows = session.execute(
        select(Chapter.id, Chapter.name, Community.code, Community.name)
        .join(Community, Community.id == Chapter.community_id)
        .where(Chapter.deleted.is_(False))
        .order_by(Community.code, Chapter.name)
    ).all()
    return [
        ChapterSummary(id=r[0], name=r[1], community_code=r[2], community_name=r[3])
        for r in rows
        if allows(actor, Action.VIEW_CHAPTER, r[0])
    ]
