"""Render every page of the main window on a fresh demo to PNG files (no display needed).

    uv run python scripts/screenshots.py [OUT_DIR]

Used to look at the app as a user would, and (later) for the user guide, so pictures never go
stale. Runs offscreen unless QT_QPA_PLATFORM says otherwise (e.g. xcb under Xvfb).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from chapterdesk.decks.samples import rule_breaking_deck
from chapterdesk.demo.generate import DEMO_ACCOUNTS, DEMO_PASSWORD, generate_demo, sign_in_hint
from chapterdesk.paths import prepare_data_dir
from chapterdesk.services.desk import Desk, local_leader
from chapterdesk.store.database import forget_store, open_store
from chapterdesk.ui.common.tasks import SyncTaskRunner
from chapterdesk.ui.main_window import PAGE_KEYS, MainWindow


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        paths = prepare_data_dir(Path(tmp) / "data")
        store = open_store(paths, allow_plaintext=True)
        try:
            home = generate_demo(store.engine, people=5000, clock=store.clock).home_chapter_id
            desk = Desk(store, local_leader())
            slots = desk.chapter_slots(home)
            if slots:  # the demo's requested presentation gets a deck that breaks every rule
                version = desk.add_deck_version(
                    slots[0].id, "partner-deck.pptx", rule_breaking_deck()
                )
                desk.analyse_deck(version.id)
            settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
            window = MainWindow(SyncTaskRunner(), settings, demo=True)
            window.resize(1280, 800)
            window.show()
            window.attach(
                Desk(store),
                initial_chapter=home,
                sign_in_hint=sign_in_hint(),
                sign_in_login=DEMO_ACCOUNTS[0][0],
            )
            app.processEvents()
            window.grab().save(str(out / "lock-screen.png"))
            window.lock_screen.password.setText(DEMO_PASSWORD)
            window.lock_screen.go.click()  # signs in (the runner here runs jobs at once)
            app.processEvents()
            for key in PAGE_KEYS:
                window.show_page(key)
                app.processEvents()
                if key == "decks":  # a finding selected, its slide highlighted
                    page = window.page("decks")
                    page.findings_table.selectRow(3)  # type: ignore[attr-defined]
                    app.processEvents()
                if key == "meetings":  # show the registrations of the meeting with a problem
                    rows = window.meetings_page.visible_rows()
                    pick = next((r for r in rows if r.partners_without_escort), rows[0])
                    window.meetings_page.select_meeting(pick.id)
                    app.processEvents()
                window.grab().save(str(out / f"page-{key}.png"))
                if key == "partners":  # the committee's view and the recognition ranking
                    partners = window.page("partners")
                    for index, name in ((1, "applications"), (2, "conduct"), (3, "contributions")):
                        partners.tabs.setCurrentIndex(index)  # type: ignore[attr-defined]
                        app.processEvents()
                        window.grab().save(str(out / f"page-partners-{name}.png"))
            about = window.show_about()
            app.processEvents()
            about.grab().save(str(out / "about.png"))
            about.close()
            kiosk(app, window, out)
            window.close()
        finally:
            store.close()
            forget_store(paths)
    print(f"screenshots in {out}")


def kiosk(app: QApplication, window: MainWindow, out: Path) -> None:
    """The check-in desk handed to a volunteer, and the leader's form that ends it."""
    window.show_page("checkin")
    app.processEvents()
    window.kiosk_action.trigger()
    app.processEvents()
    page = window.checkin_page
    page.search.setText("a")
    app.processEvents()
    window.grab().save(str(out / "kiosk.png"))
    window.lock()
    app.processEvents()
    window.grab().save(str(out / "kiosk-leave.png"))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("artifacts/screens"))
