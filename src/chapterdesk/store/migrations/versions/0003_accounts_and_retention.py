"""accounts, local sign-in verifiers, volunteer assignments, attended

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 07:31:11.497409
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("login", sa.String(length=254), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.String(length=64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("login", name=op.f("uq_accounts_login")),
    )
    op.create_table(
        "local_credentials",
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("verifier", sa.String(length=400), nullable=False),
        sa.Column("changed_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_local_credentials_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_local_credentials")),
    )
    op.create_table(
        "account_roles",
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("chapter_id", sa.String(length=36), nullable=True),
        sa.Column(
            "role",
            sa.Enum(
                "leader",
                "co_leader",
                "volunteer",
                "partner",
                name="role",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.String(length=64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_account_roles_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["chapter_id"], ["chapters.id"], name=op.f("fk_account_roles_chapter_id_chapters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_roles")),
    )
    with op.batch_alter_table("account_roles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_account_roles_account_id"), ["account_id"], unique=False
        )

    op.create_table(
        "volunteer_assignments",
        sa.Column("meeting_id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("chapter_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.String(length=64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_volunteer_assignments_account_id_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["chapter_id"],
            ["chapters.id"],
            name=op.f("fk_volunteer_assignments_chapter_id_chapters"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_volunteer_assignments_meeting_id_meetings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_assignments")),
        sa.UniqueConstraint(
            "meeting_id", "account_id", name=op.f("uq_volunteer_assignments_meeting_id_account_id")
        ),
    )
    with op.batch_alter_table("volunteer_assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_volunteer_assignments_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_volunteer_assignments_chapter_id"), ["chapter_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_volunteer_assignments_meeting_id"), ["meeting_id"], unique=False
        )

    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attended", sa.Boolean(), nullable=True))


def downgrade() -> None:
    # SQLite drops a plain column in place; a batch rebuild of "registrations" would trip the
    # foreign keys of its check-in events.
    op.execute("ALTER TABLE registrations DROP COLUMN attended")

    with op.batch_alter_table("volunteer_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_assignments_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_volunteer_assignments_chapter_id"))
        batch_op.drop_index(batch_op.f("ix_volunteer_assignments_account_id"))

    op.drop_table("volunteer_assignments")
    with op.batch_alter_table("account_roles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_roles_account_id"))

    op.drop_table("account_roles")
    op.drop_table("local_credentials")
    op.drop_table("accounts")
