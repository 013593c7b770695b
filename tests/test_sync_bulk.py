"""The bulk insert a first sync uses (``sync.bulk``): values stored exactly as the ORM would
store them, absent columns given their defaults, and a per-row default left to SQLAlchemy."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    select,
    text,
)

from chapterdesk.domain.enums import CheckInKind, JobRole, Membership
from chapterdesk.store.models import Person
from chapterdesk.sync.bulk import insert_rows, insert_values
from chapterdesk.sync.wire import decoder


def test_wire_values_are_stored_as_the_orm_stores_them(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from chapterdesk.store.models import Base

    engine = create_engine(f"sqlite:///{tmp_path / 'a.db'}")
    Base.metadata.create_all(engine)
    names = ("id", "chapter_id", "organisation_id", "first_name", "last_name", "job_role")
    names += ("member_since", "updated_at")
    decoders = tuple(decoder(Person, n) for n in names)
    wire = ["p1", "c1", "o1", "Åsa", "Ölund", JobRole.TECHNICAL.value, "2024-03-01", "s"]
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        assert insert_values(conn, Person.__table__, names, [wire], decoders)
        got = conn.execute(select(Person.__table__).where(Person.id == "p1")).one()._mapping
        stored = conn.exec_driver_sql("SELECT member_since FROM people").scalar()
    assert stored == "2024-03-01"  # SQLite's DATE storage, as the ORM writes it
    assert got["first_name"] == "Åsa"
    assert got["job_role"] == JobRole.TECHNICAL
    assert got["member_since"] == date(2024, 3, 1)
    # Absent columns took the model's scalar defaults.
    assert got["membership"] == Membership.NONE
    assert got["email"] == "" and got["consent_email"] is False


def test_a_per_row_default_goes_through_sqlalchemy() -> None:
    metadata = MetaData()
    table = Table(
        "t",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("name", String, default="nobody"),
        Column("at", DateTime, default=lambda: datetime(2026, 1, 2, tzinfo=UTC)),
    )
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as conn:
        assert not insert_values(conn, table, ("id",), [[1]])  # `at` must be worked out per row
        insert_rows(conn, table, [{"id": 1}, {"id": 2, "name": "Bo"}])
        rows = conn.execute(select(table).order_by(table.c.id)).all()
    assert [(r.id, r.name, r.at.year) for r in rows] == [(1, "nobody", 2026), (2, "Bo", 2026)]


def test_an_instant_is_stored_as_the_orm_stores_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.orm import Session

    from chapterdesk.store.models import Base, CheckInEvent

    engine = create_engine(f"sqlite:///{tmp_path / 'b.db'}")
    Base.metadata.create_all(engine)
    at = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)  # no microseconds: sqlite3 alone would drop them
    names = ("id", "chapter_id", "registration_id", "kind", "device_id", "hlc", "actor_id", "at")
    with Session(engine) as s:
        s.execute(text("PRAGMA foreign_keys = OFF"))
        fields = {"chapter_id": "c", "registration_id": "r", "device_id": "d", "hlc": "h"}
        s.add(CheckInEvent(id="orm", kind=CheckInKind.IN, actor_id="a", at=at, **fields))
        s.flush()
        decoders = tuple(decoder(CheckInEvent, n) for n in names)
        wire = ["bulk", "c", "r", CheckInKind.IN.value, "d", "h", "a", at.isoformat()]
        assert insert_values(s.connection(), CheckInEvent.__table__, names, [wire], decoders)
        stored = dict(s.connection().exec_driver_sql("SELECT id, at FROM check_in_events").all())
    assert stored["bulk"] == stored["orm"]


def test_a_malformed_wire_value_is_refused_naming_the_field(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from chapterdesk.store.models import Base

    engine = create_engine(f"sqlite:///{tmp_path / 'c.db'}")
    Base.metadata.create_all(engine)
    names = ("id", "chapter_id", "organisation_id", "first_name", "job_role", "updated_at")
    decoders = tuple(decoder(Person, n) for n in names)
    good = ["p1", "c", "o", "Ann", JobRole.TECHNICAL.value, "s"]
    for bad, field in (
        (["p2", "c", "o", 42, JobRole.TECHNICAL.value, "s"], "first_name"),
        (["p3", "c", "o", "Bo", "astronaut", "s"], "job_role"),
    ):
        with engine.begin() as conn, pytest.raises(ValueError, match=field):
            conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
            insert_values(conn, Person.__table__, names, [good, bad], decoders)
    with engine.begin() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM people").scalar() == 0
