"""partner programme: application steps, implementations, conduct, benefits, contributions

The same tables and columns as the laptop's migration 0005. Revision s0001 builds its tables
from today's models, so on a new database the two new columns are already there: they are
added only where missing.

Revision ID: s0003
Revises: s0002
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from chapterdesk.store.models import Base

revision = "s0003"
down_revision = "s0002"
branch_labels = None
depends_on = None

TABLES = (
    "partner_application_events",
    "partner_implementations",
    "conduct_incidents",
    "partner_benefits",
    "partner_contributions",
)


def _columns() -> list[tuple[str, sa.Column[object]]]:
    return [
        (
            "chapters",
            sa.Column("contribution_points", sa.JSON(), nullable=False, server_default="{}"),
        ),
        (
            "partner_profiles",
            sa.Column("public_contact", sa.String(200), nullable=False, server_default=""),
        ),
        (
            "partner_applications",
            sa.Column(
                "nominated_by_person_id",
                sa.String(36),
                sa.ForeignKey(
                    "people.id", name="fk_partner_applications_nominated_by_person_id_people"
                ),
                nullable=True,
            ),
        ),
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
