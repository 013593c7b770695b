"""The Sync page as a leader sees it offline, with pending changes and a refused change.

    uv run python scripts/sync_screenshot.py [OUT_DIR]

Real end to end: a chapter server is started on loopback, a demo laptop connects and pushes a
partner registration with no escort (the server refuses it, ESC-1), the server is stopped,
and two more changes are made offline. Runs offscreen unless QT_QPA_PLATFORM says otherwise.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.memory_keyring

import httpx
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from chapterdesk.demo.generate import DEMO_ACCOUNTS, DEMO_PASSWORD
from chapterdesk.domain.enums import OrgCategory, RegistrationStatus
from chapterdesk.paths import prepare_data_dir
from chapterdesk.services.desk import Desk, local_leader
from chapterdesk.store.database import open_store
from chapterdesk.store.models import Meeting, Organisation, Person, Registration
from chapterdesk.ui.common.tasks import SyncTaskRunner
from chapterdesk.ui.main_window import MainWindow
from tests.memory_keyring import install_memory_keyring


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(app: QApplication, condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not condition():
        app.processEvents()
        time.sleep(0.05)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    install_memory_keyring()
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        port = _free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "chapterdesk.server",
                "serve",
                "--port",
                str(port),
                "--database-url",
                f"sqlite:///{tmp}/server.db",
                "--demo",
                "--demo-people",
                "1200",
            ],
            stdout=subprocess.DEVNULL,
            stderr=(out / "server.log").open("w"),
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            store = open_store(prepare_data_dir(Path(tmp) / "laptop"), allow_plaintext=True)
            Desk(store).set_up_laptop(DEMO_ACCOUNTS[0][1], DEMO_ACCOUNTS[0][0], DEMO_PASSWORD)
            desk = Desk(store, local_leader())
            desk.connect_server(url, DEMO_ACCOUNTS[0][0], DEMO_PASSWORD, "Front-desk laptop")
            desk.sync_now()
            with store.session() as s:  # a partner with no escort, as a broken laptop writes it
                partner = s.scalars(
                    select(Person)
                    .join(Organisation, Organisation.id == Person.organisation_id)
                    .where(
                        Organisation.category == OrgCategory.PARTNER,
                        Organisation.excluded_kind.is_(None),
                    )
                ).first()
                meeting = s.scalars(
                    select(Meeting).where(
                        Meeting.chapter_id == partner.chapter_id, Meeting.partners_welcome.is_(True)
                    )
                ).first()
                s.add(
                    Registration(
                        chapter_id=partner.chapter_id,
                        meeting_id=meeting.id,
                        person_id=partner.id,
                        organisation_id=partner.organisation_id,
                        category=OrgCategory.PARTNER,
                        status=RegistrationStatus.REGISTERED,
                        code="SHOT000001",
                    )
                )
                home = partner.chapter_id
            desk.sync_now()
        finally:
            server.kill()
            server.wait()
        with store.session() as s:  # two edits made at the venue, offline
            for person in s.scalars(select(Person).where(Person.chapter_id == home).limit(2)):
                person.job_title = "Controller"
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(SyncTaskRunner(), settings, demo=True)
        window.resize(1100, 720)
        window.show()
        window.attach(Desk(store), initial_chapter=home, sign_in_login=DEMO_ACCOUNTS[0][0])
        _wait(app, lambda: window.lock_screen.go.isVisible(), 30)
        window.lock_screen.password.setText(DEMO_PASSWORD)
        window.lock_screen.go.click()
        _wait(app, lambda: not window.is_locked(), 30)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "Offline" not in window.sync_indicator.text():
            app.processEvents()
            time.sleep(0.05)
        window.show_page("sync")
        end = time.monotonic() + 2
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.05)
        window.grab().save(str(out / "page-sync-offline.png"))
        window.close()
        store.close()
    print(f"screenshot in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots"))
