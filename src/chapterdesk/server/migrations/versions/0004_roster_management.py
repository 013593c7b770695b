"""roster management: registration flags, partners of record, person merges

The same tables and columns as the laptop's migration 0006. Revision s0001 builds its tables
from today's models, so on a new database the registration flags are already there: they are
added only where missing.

Revision ID: s0004
Revises: s0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from chapterdesk.store.models import Base

revision = "s0004"
down_revision = "s0003"
branch_labels = None
depends_on = None

TABLES = ("partners_of_record", "person_merges")


def _columns() -> list[tuple[str, sa.Column[object]]]:
    return [
        ("registrations", sa.Column("flag_rule", sa.String(16), nullable=False, server_default="")),
        ("registrations", sa.Column("flag_note", sa.Text(), nullable=False, server_default="")),
    ]


def _missing(table: str, column: str) -> bool:
    return column not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    bind = op.get_bind()
    for table, column in _columns():
        if _missing(table, column.name):
            with op.batch_alter_table(table) as batch:
                batch.add_column(column)
    Base.metadata.create_all(bind, tables=[Base.metadata.tables[t] for t in TABLES])
    for table in TABLES:
        op.create_index(f"ix_srv_{table}_chapter_page", table, ["chapter_id", "id"])


def downgrade() -> None:
    bind = op.get_bind()
    for table in TABLES:
        op.drop_index(f"ix_srv_{table}_chapter_page", table_name=table)
    Base.metadata.drop_all(bind, tables=[Base.metadata.tables[t] for t in reversed(TABLES)])
    for table, column in _columns():
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column.name)
