"""server schema: the replicated tables, change log, devices, processed mutations

Revision ID: s0001
Revises:
Create Date: 2026-12-01
"""

from alembic import op

from chapterdesk.server.models import ServerBase
from chapterdesk.store.models import Base
from chapterdesk.sync.entities import ORDER

revision = "s0001"
down_revision = None
branch_labels = None
depends_on = None

# The replicated tables as the laptop schema defines them (client migration 0003), plus the
# audit trail the server's own services write.
TABLES = (*ORDER, "audit_events", "local_credentials")


def upgrade() -> None:
    bind = op.get_bind()
    Base.metadata.create_all(bind, tables=[Base.metadata.tables[name] for name in TABLES])
    ServerBase.metadata.create_all(bind)


def downgrade() -> None:
    bind = op.get_bind()
    ServerBase.metadata.drop_all(bind)
    Base.metadata.drop_all(bind, tables=[Base.metadata.tables[name] for name in TABLES])
