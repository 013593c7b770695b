"""chapter slide templates (DECK-1): the same table as the laptop's migration 0007

Revision ID: s0005
Revises: s0004
Create Date: 2026-12-02
"""

from alembic import op

from chapterdesk.store.models import Base

revision = "s0005"
down_revision = "s0004"
branch_labels = None
depends_on = None

TABLES = ("chapter_templates",)


def upgrade() -> None:
    Base.metadata.create_all(op.get_bind(), tables=[Base.metadata.tables[t] for t in TABLES])
    for table in TABLES:
        op.create_index(f"ix_srv_{table}_chapter_page", table, ["chapter_id", "id"])


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_srv_{table}_chapter_page", table_name=table)
    Base.metadata.drop_all(op.get_bind(), tables=[Base.metadata.tables[t] for t in TABLES])
