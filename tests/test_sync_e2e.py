"""Two laptops and a real chapter server: the round trip works on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from chapterdesk.store.models import Person, Registration
from tests.conftest import StartServer
from tests.sync_helpers import add_leader, empty_laptop, world_laptop


def test_a_world_pushed_by_one_laptop_reaches_another(
    server_database_url: str, start_server: StartServer, tmp_path: Path
) -> None:
    add_leader(server_database_url)
    server = start_server(server_database_url)
    a, _world = world_laptop(tmp_path / "a")
    a.connect(server)
    report = a.sync()
    assert report.rejected == 0, a.desk.sync_status().issues
    assert a.pending() == 0
    b = empty_laptop(tmp_path / "b")
    b.connect(server)
    b.sync()
    with a.store.session() as sa, b.store.session() as sb:
        for model in (Person, Registration):
            assert sa.scalar(select(func.count()).select_from(model)) == sb.scalar(
                select(func.count()).select_from(model)
            )
