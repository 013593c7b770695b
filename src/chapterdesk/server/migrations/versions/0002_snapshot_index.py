"""snapshot paging index: (chapter_id, id) on every chapter table

A snapshot page is "this chapter's rows after id X, by id"; with only the chapter index the
database sorted the whole chapter for every page.

Revision ID: s0002
Revises: s0001
Create Date: 2026-12-02
"""

from alembic import op

revision = "s0002"
down_revision = "s0001"
branch_labels = None
depends_on = None


# The chapter tables of s0001 (later revisions index their own new tables).
PAGED = (
    "organisations",
    "people",
    "meetings",
    "registrations",
    "check_in_events",
    "partner_profiles",
    "partner_applications",
    "presentation_slots",
    "deck_versions",
    "deck_analyses",
    "deck_findings",
    "account_roles",
    "volunteer_assignments",
)


def _paged() -> tuple[str, ...]:
    return PAGED


def upgrade() -> None:
    for table in _paged():
        op.create_index(f"ix_srv_{table}_chapter_page", table, ["chapter_id", "id"])


def downgrade() -> None:
    for table in _paged():
        op.drop_index(f"ix_srv_{table}_chapter_page", table_name=table)
