"""server schema: the replicated tables, change log, devices, processed mutations

Revision ID: s0001
Revises:
Create Date: 2026-12-01
"""

from alembic import op

from chapterdesk.server.models import ServerBase
from chapterdesk.store.models import Base

revision = "s0001"
down_revision = None
branch_labels = None
depends_on = None

# The replicated tables of this revision (later revisions add their own; s0003 the partner
# programme's), as the laptop schema defines them, plus the audit trail the server's own
# services write. Columns come from today's models: a later revision that adds a column to
# one of these tables adds it only where it is missing.
TABLES = (
    "communities",
    "chapters",
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
    "accounts",
    "account_roles",
    "volunteer_assignments",
    "audit_events",
    "local_credentials",
)


def upgrade() -> None:
    bind = op.get_bind()
    Base.metadata.create_all(bind, tables=[Base.metadata.tables[name] for name in TABLES])
    ServerBase.metadata.create_all(bind)


def downgrade() -> None:
    bind = op.get_bind()
    ServerBase.metadata.drop_all(bind)
    Base.metadata.drop_all(bind, tables=[Base.metadata.tables[name] for name in TABLES])
