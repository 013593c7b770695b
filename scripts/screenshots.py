"""Render every page of the main window on a fresh demo to PNG files (no display needed).

    uv run python scripts/screenshots.py [OUT_DIR]
    uv run python scripts/screenshots.py --guide   # the user guide's pictures, refreshed

Used to look at the app as a user would, and for the user guide (Help → User guide), so its
pictures never go stale. Runs offscreen unless QT_QPA_PLATFORM says otherwise (e.g. xcb under
Xvfb).
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from chapterdesk.decks.samples import rule_breaking_deck
from chapterdesk.demo.generate import DEMO_ACCOUNTS, DEMO_PASSWORD, generate_demo, sign_in_hint
from chapterdesk.domain.duplicates import Reason
from chapterdesk.domain.enums import ExcludedKind
from chapterdesk.paths import prepare_data_dir
from chapterdesk.services.desk import Desk, local_leader
from chapterdesk.store.database import forget_store, open_store
from chapterdesk.store.keys import KeyringStatus
from chapterdesk.ui.common.tasks import SyncTaskRunner
from chapterdesk.ui.first_run.assistant import (
    PAGE_CHAPTER,
    PAGE_CONNECTED,
    PAGE_DEMO,
    PAGE_KEY,
    PAGE_MEMBERS,
    PAGE_SERVER,
    PAGE_START,
    FirstRunAssistant,
)
from chapterdesk.ui.main_window import PAGE_KEYS, MainWindow
from chapterdesk.ui.meetings.settings_dialog import LimitsDialog
from chapterdesk.ui.people.changes_dialog import ConfirmChangesDialog
from chapterdesk.ui.people.import_dialog import ImportDialog
from chapterdesk.ui.people.merge_dialog import MergeDialog
from chapterdesk.ui.people.person_dialog import PersonDialog


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
                if key == "people":
                    people_views(app, window, out)
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
            settings_dialog = LimitsDialog(desk.chapter_settings(home), window)
            settings_dialog.show()
            app.processEvents()
            settings_dialog.grab().save(str(out / "dialog-settings.png"))
            settings_dialog.close()
            kiosk(app, window, out)
            window.close()
        finally:
            store.close()
            forget_store(paths)
        first_run(app, Path(tmp), out)
    print(f"screenshots in {out}")


def first_run(app: QApplication, tmp: Path, out: Path) -> None:
    """Every page of the first-run assistant, filled in as a leader would (issue 9)."""
    wizard = FirstRunAssistant(
        tmp / "first-run", SyncTaskRunner(), KeyringStatus(True, "Secret Service", "")
    )
    wizard.server_page.url.setText("chapters.axug.example")
    wizard.server_page.login.setText("lee.leader@northwind.example")
    wizard.chapter_page.chapter.setText("Ottawa")
    wizard.chapter_page.region.setText("Ontario, Canada")
    wizard.chapter_page.name.setText("Lee Leader")
    wizard.chapter_page.login.setText("lee.leader@northwind.example")
    wizard.members_page.result.setText(
        "1,184 people imported from members-2026-11.xlsx (212 new organisation(s)); "
        "3 row(s) rejected, 0 already on the roster."
    )
    wizard.connected_page.summary.setText(
        "This laptop is connected to https://chapters.axug.example as Lee Leader. When you "
        "finish, the first sync brings the chapters you work in; after that it runs by itself "
        "whenever the laptop is online, and check-ins made offline go out at the next one."
    )
    pages = (
        ("start", PAGE_START),
        ("key", PAGE_KEY),
        ("server", PAGE_SERVER),
        ("chapter", PAGE_CHAPTER),
        ("members", PAGE_MEMBERS),
        ("connected", PAGE_CONNECTED),
        ("demo", PAGE_DEMO),
    )
    for name, number in pages:
        wizard.setStartId(number)
        wizard.restart()
        wizard.show()
        app.processEvents()
        wizard.grab().save(str(out / f"assistant-{name}.png"))
    wizard.close()
    no_keyring = FirstRunAssistant(
        tmp / "first-run", SyncTaskRunner(), KeyringStatus(False, "fail", "no D-Bus session")
    )
    no_keyring.setStartId(PAGE_KEY)
    no_keyring.restart()
    no_keyring.show()
    app.processEvents()
    no_keyring.grab().save(str(out / "assistant-key-no-keyring.png"))
    no_keyring.close()


def people_views(app: QApplication, window: MainWindow, out: Path) -> None:
    """A person with history beside the roster, the Organisations and duplicates tabs, and
    the person, merge and organisation-change dialogs (issue 8)."""
    roster = window.roster_page
    desk = window.desk
    chapter = window.current_chapter()
    assert desk is not None and chapter is not None
    pairs = desk.roster.duplicates(chapter.id)
    # the walk-in twin: the merge carries its check-in over
    first = next(p for p in pairs if p.reason == Reason.SAME_NAME_SAME_ORGANISATION)
    roster.people.select_person(first.first_id)
    app.processEvents()
    window.grab().save(str(out / "page-people-person.png"))
    roster.tabs.setCurrentIndex(1)
    app.processEvents()
    window.grab().save(str(out / "page-people-organisations.png"))
    roster.tabs.setCurrentIndex(2)
    app.processEvents()
    window.grab().save(str(out / "page-people-duplicates.png"))
    roster.tabs.setCurrentIndex(0)
    dialogs = {
        "merge": MergeDialog(desk.roster.merge_preview(first.first_id, first.second_id), window),
        "person": PersonDialog(
            desk.roster.organisations(chapter.id), desk.roster.person(first.first_id), parent=window
        ),
    }
    for name, dialog in dialogs.items():
        dialog.show()
        app.processEvents()
        dialog.grab().save(str(out / f"dialog-{name}.png"))
        dialog.close()
    export = out / "sample-member-export.csv"
    export.write_text(
        "First Name,Last Name,E-mail Address,Organization,Member Type,Member Since,Paid Through\n"
        "Dana,Scully,dana.scully@tailspin.example,Tailspin Toys,Member,2024-01-15,2027-01-15\n"
        "Fox,Mulder,fox@tailspin.example,Tailspin Toys,Prospect,,\n"
        "Walter,,walter@city.example,City of Ottawa,Member,03/01/2025,03/01/2026\n"
        "Alex,Krycek,alex@,Tailspin Toys,Member,,\n",
        encoding="utf-8",
    )
    table = desk.roster.read_import(export)
    export.unlink()
    chapter_id = chapter.id
    importing = ImportDialog(
        table,
        lambda mapping, show: show(desk.roster.import_preview(chapter_id, table, mapping)),
        window,
    )
    importing.show()
    app.processEvents()
    importing.grab().save(str(out / "dialog-import.png"))
    importing.close()
    orgs = desk.roster.organisations(chapter.id)
    partner = next(o for o in orgs if o.draft.category.value == "partner" and o.people > 1)
    draft = replace(partner.draft, excluded_kind=ExcludedKind.RECRUITER)
    preview = desk.roster.organisation_preview(chapter.id, partner.id, draft)
    confirm = ConfirmChangesDialog(
        f"Change {partner.name}", f"Saving {partner.name} this way changes:", preview, window
    )
    confirm.show()
    app.processEvents()
    confirm.grab().save(str(out / "dialog-organisation-change.png"))
    confirm.close()


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


GUIDE = Path(__file__).resolve().parents[1] / "src" / "chapterdesk" / "resources" / "guide"
GUIDE_WIDTH = 900  # pixels: readable in the guide's window, small in the bundle


def refresh_guide() -> None:
    """Take every picture, then keep the ones ``user-guide.md`` shows, scaled to its width."""
    import re

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    wanted = set(
        re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", (GUIDE / "user-guide.md").read_text("utf-8"))
    )
    with tempfile.TemporaryDirectory() as tmp:
        main(Path(tmp))
        missing = sorted(name for name in wanted if not (Path(tmp) / name).exists())
        if missing:
            raise SystemExit(f"the guide shows pictures this script does not take: {missing}")
        for old in GUIDE.glob("*.png"):
            old.unlink()
        for name in sorted(wanted):
            image = QImage(str(Path(tmp) / name))
            if image.width() > GUIDE_WIDTH:
                image = image.scaledToWidth(GUIDE_WIDTH, Qt.TransformationMode.SmoothTransformation)
            image.save(str(GUIDE / name), "PNG", 9)
    print(f"{len(wanted)} guide pictures in {GUIDE}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--guide"]:
        refresh_guide()
    else:
        main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("artifacts/screens"))
