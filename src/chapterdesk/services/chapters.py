"""Which chapters the acting person may work in, and a new chapter on a laptop set up offline."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.communities import community_id, community_name
from chapterdesk.domain.enums import Role
from chapterdesk.domain.permissions import Action, allows
from chapterdesk.domain.violations import FormProblem, PermissionDenied
from chapterdesk.i18n import _
from chapterdesk.services.changes import record_audit
from chapterdesk.services.views import ChapterSummary
from chapterdesk.store.models import Chapter, Community

NAME_LIMIT = 200


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


def create_chapter(
    session: Session, actor: Actor, community_code: str, name: str, region: str = ""
) -> ChapterSummary:
    """A chapter started on this laptop (first start, offline). Only the laptop's own leader,
    who leads every chapter stored here, may start one; its policy values are the defaults of
    rules.md until a leader changes them (MTG-5, ESC-5). It reaches the server at the first
    sync, which accepts it from a leader of every chapter."""
    if actor.role is not Role.LEADER or not actor.all_chapters or actor.kiosk:
        raise PermissionDenied(
            _(
                "Only this laptop's own leader, who leads every chapter on it, may start a new "
                "chapter (ROS-1: a chapter's data is for its leaders)."
            )
        )
    code, name, region = community_code.strip().upper(), name.strip(), region.strip()
    if not code or len(code) > 16 or not code.isalnum():
        raise FormProblem(_("Choose the user group the chapter belongs to, e.g. AXUG."))
    if not name or len(name) > NAME_LIMIT or len(region) > NAME_LIMIT:
        raise FormProblem(
            _("Type the chapter's name (usually its city), at most {n} characters.").format(
                n=NAME_LIMIT
            )
        )
    ident = community_id(code)
    community = (
        session.get(Community, ident)
        or session.scalars(select(Community).where(Community.code == code)).first()
    )
    if community is None:
        community = Community(id=ident, code=code, name=community_name(code))
        session.add(community)
        session.flush()
    taken = session.scalar(
        select(func.count())
        .select_from(Chapter)
        .where(
            Chapter.community_id == community.id,
            func.lower(Chapter.name) == name.lower(),
            Chapter.deleted.is_(False),
        )
    )
    if taken:
        raise FormProblem(
            _(
                "{code} already has a chapter called {name} on this laptop: choose it in the "
                "chapter list, or give the new one another name."
            ).format(code=code, name=name)
        )
    chapter = Chapter(community_id=community.id, name=name, region=region)
    session.add(chapter)
    session.flush()
    record_audit(
        session,
        actor,
        chapter_id=chapter.id,
        action="chapter.created",
        entity="chapters",
        entity_id=chapter.id,
        details={"community": code},
    )
    return ChapterSummary(chapter.id, chapter.name, community.code, community.name)
