"""snapshot paging index: (chapter_id, id) on every chapter table

A snapshot page is "this chapter's rows after id X, by id"; with only the chapter index the
database sorted the whole chapter for every page.

Revision ID: s0002
Revises: s0001
Create Date: 2026-12-02
"""

from alembic import op

from chapterdesk.store.models import Base
from chapterdesk.sync.entities import ORDER

revision = "s0002"
down_revision = "s0001"
branch_labels = None
depends_on = None


def _paged() -> list[str]:
    return [t for t in ORDER if "chapter_id" in Base.metadata.tables[t].c and t != "chapters"]


def upgrade() -> None:
    for table in _paged():
        op.create_index(f"ix_srv_{table}_chapter_page", table, ["chapter_id", "id"])


def downgrade() -> None:
    for table in _paged():
        op.drop_index(f"ix_srv_{table}_chapter_page", table_name=table)
