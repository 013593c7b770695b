"""Run Alembic on an open connection; imported only when the schema is not at head."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

from chapterdesk.store.migrations import SCRIPT_LOCATION


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection, revision: str = "head") -> None:
    command.upgrade(alembic_config(connection), revision)


def downgrade(connection: Connection, revision: str) -> None:
    command.downgrade(alembic_config(connection), revision)
