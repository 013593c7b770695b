"""Alembic environment of the server schema: run on the caller's connection."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, version_table="srv_alembic_version")
with context.begin_transaction():
    context.run_migrations()
