"""Two laptops and a real chapter server: the round trip works on SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlalchemy import func, select

from chapterdesk.store.models import Person, Registration
from tests.conftest import StartServer
from tests.sync_helpers import LEADER, PASSWORD, add_leader, empty_laptop, world_laptop


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


def test_concurrent_sign_ins_all_get_a_working_token(
    server_database_url: str, start_server: StartServer
) -> None:
    """Ten laptops signing in at once (a chapter's volunteers at the door) all succeed: on
    SQLite the device is written in a transaction that takes the write lock up front."""
    add_leader(server_database_url)
    server = start_server(server_database_url)
    headers = {"X-ChapterDesk-Protocol": "1"}

    def sign_in(n: int) -> httpx.Response:
        return httpx.post(
            f"{server.url}/v1/devices",
            json={"login": LEADER, "password": PASSWORD, "device_name": f"door {n}"},
            headers=headers,
            timeout=60,
        )

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(sign_in, range(10)))
    assert [a.status_code for a in answers] == [200] * 10, [a.text for a in answers]
    tokens = {a.json()["token"] for a in answers}
    assert len(tokens) == 10
    for token in tokens:
        me = httpx.get(
            f"{server.url}/v1/me", headers={**headers, "Authorization": f"Bearer {token}"}
        )
        assert me.status_code == 200
