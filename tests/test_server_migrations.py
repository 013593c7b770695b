"""The server's own Alembic history: a new database gets every table at head, and the
partner-programme (s0003) and roster-management (s0004) revisions go down and up again, on SQLite
and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import inspect

from chapterdesk.server.db import make_engine, migrate
from chapterdesk.store.models import Base
from chapterdesk.sync.entities import ORDER

PARTNER_TABLES = {
    "partner_application_events",
    "partner_implementations",
    "conduct_incidents",
    "partner_benefits",
    "partner_contributions",
}
ROSTER_TABLES = {"partners_of_record", "person_merges"}


def columns(engine, table: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {c["name"] for c in inspect(engine).get_columns(table)}


def test_server_schema_goes_to_head_down_one_revision_and_up(server_database_url: str) -> None:
    engine = make_engine(server_database_url)
    try:
        migrate(engine)
        tables = set(inspect(engine).get_table_names())
        assert set(ORDER) <= tables
        for table in ORDER:  # every replicated column of today's models is there
            assert {c.name for c in Base.metadata.tables[table].c} <= columns(engine, table)

        migrate(engine, "s0002", down=True)
        assert not (PARTNER_TABLES | ROSTER_TABLES) & set(inspect(engine).get_table_names())
        assert "flag_rule" not in columns(engine, "registrations")
        assert "contribution_points" not in columns(engine, "chapters")
        assert "nominated_by_person_id" not in columns(engine, "partner_applications")

        migrate(engine)  # up again: the columns are added to the tables that lack them
        assert set(inspect(engine).get_table_names()) >= PARTNER_TABLES | ROSTER_TABLES
        assert {"flag_rule", "flag_note"} <= columns(engine, "registrations")
        assert "contribution_points" in columns(engine, "chapters")
        assert "nominated_by_person_id" in columns(engine, "partner_applications")
    finally:
        engine.dispose()
