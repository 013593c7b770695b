"""deck review: checker runs and their findings (DECK-5)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 05:30:18.733061
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deck_analyses",
        sa.Column("version_id", sa.String(length=36), nullable=False),
        sa.Column("analysed_at", sa.String(length=32), nullable=False),
        sa.Column("analysed_by", sa.String(length=36), nullable=False),
        sa.Column("slide_count", sa.Integer(), nullable=False),
        sa.Column("outline", sa.JSON(), nullable=False),
        sa.Column("refused", sa.Text(), nullable=False),
        sa.Column("sponsor", sa.Boolean(), nullable=False),
        sa.Column("chapter_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.String(length=64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chapter_id"], ["chapters.id"], name=op.f("fk_deck_analyses_chapter_id_chapters")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["deck_versions.id"],
            name=op.f("fk_deck_analyses_version_id_deck_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deck_analyses")),
    )
    with op.batch_alter_table("deck_analyses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deck_analyses_chapter_id"), ["chapter_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_deck_analyses_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "deck_findings",
        sa.Column("version_id", sa.String(length=36), nullable=False),
        sa.Column("slide", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=16), nullable=False),
        sa.Column(
            "severity",
            sa.Enum(
                "breaks_rule", "warning", "info", name="severity", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("where", sa.String(length=64), nullable=False),
        sa.Column("dismissed_reason", sa.Text(), nullable=True),
        sa.Column("dismissed_by", sa.String(length=36), nullable=True),
        sa.Column("dismissed_by_name", sa.String(length=200), nullable=False),
        sa.Column("dismissed_at", sa.String(length=32), nullable=True),
        sa.Column("chapter_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.String(length=64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chapter_id"], ["chapters.id"], name=op.f("fk_deck_findings_chapter_id_chapters")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["deck_versions.id"],
            name=op.f("fk_deck_findings_version_id_deck_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deck_findings")),
    )
    with op.batch_alter_table("deck_findings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deck_findings_chapter_id"), ["chapter_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_deck_findings_version_id_slide"), ["version_id", "slide"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("deck_findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deck_findings_version_id_slide"))
        batch_op.drop_index(batch_op.f("ix_deck_findings_chapter_id"))

    op.drop_table("deck_findings")
    with op.batch_alter_table("deck_analyses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deck_analyses_version_id"))
        batch_op.drop_index(batch_op.f("ix_deck_analyses_chapter_id"))

    op.drop_table("deck_analyses")
