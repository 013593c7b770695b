"""The first-run assistant (issue 9): each way in leads to a working desk, and a cancelled
set-up leaves nothing behind (ROS-5: the key is kept where the person chose)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLineEdit, QWizard
from pytestqt.qtbot import QtBot

from chapterdesk import app
from chapterdesk.domain.communities import community_id
from chapterdesk.domain.violations import FormProblem, PermissionDenied
from chapterdesk.paths import prepare_data_dir
from chapterdesk.services.desk import Desk
from chapterdesk.store.database import open_store
from chapterdesk.store.errors import WrongKey
from chapterdesk.store.keys import KeyringStatus, keyring_status
from chapterdesk.store.models import Community
from chapterdesk.ui.common.tasks import TaskRunner
from chapterdesk.ui.first_run.assistant import (
    PAGE_CHAPTER,
    PAGE_CONNECTED,
    PAGE_DEMO,
    PAGE_KEY,
    PAGE_MEMBERS,
    PAGE_SERVER,
    FirstRunAssistant,
    Start,
)
from chapterdesk.ui.people.import_dialog import ImportDialog
from tests.memory_keyring import MemoryKeyring
from tests.server_process import ServerProcess
from tests.sync_helpers import LEADER, PASSWORD, add_leader, admin

pytestmark = pytest.mark.gui
PASSWORD_10 = "a long enough password"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def assistant(qtbot: QtBot, folder: Path) -> Iterator[FirstRunAssistant]:
    runner = TaskRunner()
    wizard = FirstRunAssistant(folder, runner, keyring_status())
    qtbot.addWidget(wizard)
    wizard.show()
    yield wizard
    runner.wait_for_done(10_000)
    if wizard.desk is not None:
        wizard.desk.store.close()


def press_next(qtbot: QtBot, wizard: FirstRunAssistant, expect: int) -> None:
    """Next (or the commit button), then wait until the page's work put us on ``expect``."""
    page = wizard.currentPage()
    button = (
        QWizard.WizardButton.CommitButton
        if page.isCommitPage()
        else QWizard.WizardButton.NextButton
    )
    wizard.button(button).click()
    qtbot.waitUntil(
        lambda: (
            wizard.currentId() == expect
            or (
                not getattr(page, "working", False)
                and bool(getattr(page, "problem", None) and page.problem.text())
            )
        ),
        timeout=20_000,
    )


def problem(wizard: FirstRunAssistant) -> str:
    return str(wizard.currentPage().problem.text())  # type: ignore[attr-defined]


def fill_chapter(wizard: FirstRunAssistant, password: str = PASSWORD_10) -> None:
    page = wizard.chapter_page
    page.community.setCurrentIndex(page.community.findData("AXUG"))
    page.chapter.setText("Ottawa")
    page.region.setText("Ontario, Canada")
    page.name.setText("Lee Leader")
    page.login.setText("lee@chapter.example")
    page.password.setText(password)
    page.repeat.setText(password)


def store_info(folder: Path) -> dict[str, str]:
    return dict(json.loads((folder / "store.json").read_text()))


def test_offline_with_the_keyring_makes_the_chapter_its_leader_and_imports_members_ROS_5(
    qtbot: QtBot,
    assistant: FirstRunAssistant,
    folder: Path,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assistant.start_page.offline.setChecked(True)
    press_next(qtbot, assistant, PAGE_KEY)
    assert assistant.key_page.keyring.isChecked()  # recommended when the keyring works
    press_next(qtbot, assistant, PAGE_CHAPTER)
    info = store_info(folder)
    assert info["key_mode"] == "keyring"
    assert memory_keyring.secrets  # the random key went to the keyring, not to a file
    assert "passphrase" not in info and not info.get("salt")

    # The form says what is missing before anything is written.
    assistant.chapter_page.chapter.setText("Ottawa")
    press_next(qtbot, assistant, PAGE_MEMBERS)
    assert assistant.currentId() == PAGE_CHAPTER and problem(assistant) == "Type your name."
    fill_chapter(assistant, password="short")
    press_next(qtbot, assistant, PAGE_MEMBERS)
    assert "at least 10 characters" in problem(assistant)
    fill_chapter(assistant)
    press_next(qtbot, assistant, PAGE_MEMBERS)
    assert assistant.currentId() == PAGE_MEMBERS
    assert assistant.is_set_up
    assert not assistant.button(QWizard.WizardButton.CancelButton).isVisible()
    assert assistant.chapter_page.password.text() == ""  # the password left the form

    export = tmp_path / "members.csv"
    export.write_text(
        "First Name,Last Name,Email,Company\n"
        "Dana,Scully,dana@fbi.example,Tailspin Toys\n"
        "Fox,,fox@fbi.example,Tailspin Toys\n",
        encoding="utf-8",
    )

    def answer(dialog: ImportDialog) -> QDialog.DialogCode:
        qtbot.waitUntil(dialog.import_button.isEnabled, timeout=10_000)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ImportDialog, "exec", answer)
    result = assistant.members_page.result
    assistant.members_page.read(export)
    qtbot.waitUntil(lambda: "imported" in result.text(), timeout=10_000)
    assert result.text().startswith("1 people imported from members.csv")
    assert "1 row(s) rejected" in result.text()

    desk = assistant.desk
    assert desk is not None and desk.signed_in is not None
    chapters = desk.chapters()
    assert [(c.community_code, c.name) for c in chapters] == [("AXUG", "Ottawa")]
    assert [p.full_name for p in desk.people(chapters[0].id)] == ["Dana Scully"]
    assistant.reject()  # Esc or the window's close button: the set-up is done, so it finishes
    assert assistant.result() == QDialog.DialogCode.Accepted


def test_a_passphrase_is_asked_twice_and_opens_the_store_next_time_ROS_5(
    qtbot: QtBot, assistant: FirstRunAssistant, folder: Path, memory_keyring: MemoryKeyring
) -> None:
    assistant.start_page.offline.setChecked(True)
    press_next(qtbot, assistant, PAGE_KEY)
    key = assistant.key_page
    key.passphrase.setChecked(True)
    key.first.setText("too short")
    press_next(qtbot, assistant, PAGE_CHAPTER)
    assert "at least 10 characters" in problem(assistant)
    key.first.setText("correct horse battery")
    key.second.setText("correct horse batterY")
    press_next(qtbot, assistant, PAGE_CHAPTER)
    assert "differ" in problem(assistant)
    assert not (folder / "store.json").exists()  # nothing made while the form is wrong
    key.second.setText("correct horse battery")
    press_next(qtbot, assistant, PAGE_CHAPTER)
    assert assistant.currentId() == PAGE_CHAPTER
    assert store_info(folder)["key_mode"] == "passphrase"
    assert not memory_keyring.secrets  # nothing of the key is kept anywhere
    fill_chapter(assistant)
    press_next(qtbot, assistant, PAGE_MEMBERS)
    assert assistant.desk is not None
    assistant.desk.store.close()
    assistant.desk = None

    with pytest.raises(WrongKey):
        open_store(prepare_data_dir(folder), ask_passphrase=lambda _new: "wrong horse battery")
    reopened = open_store(
        prepare_data_dir(folder), ask_passphrase=lambda _new: "correct horse battery"
    )
    try:
        desk = Desk(reopened)
        assert desk.has_accounts()
    finally:
        reopened.close()


def test_without_a_keyring_the_passphrase_is_the_only_choice_and_says_why(
    qtbot: QtBot, folder: Path
) -> None:
    wizard = FirstRunAssistant(
        folder, TaskRunner(), KeyringStatus(False, "fail Keyring", "no keyring service is running")
    )
    qtbot.addWidget(wizard)
    assert not wizard.key_page.keyring.isEnabled()
    assert wizard.key_page.passphrase.isChecked()
    texts = " ".join(
        label.text() for label in wizard.key_page.findChildren(type(wizard.key_page.problem))
    )
    assert "Not available here: no keyring service is running" in texts


def test_going_back_to_choose_the_other_key_makes_the_store_again(
    qtbot: QtBot, assistant: FirstRunAssistant, folder: Path, memory_keyring: MemoryKeyring
) -> None:
    assistant.start_page.offline.setChecked(True)
    press_next(qtbot, assistant, PAGE_KEY)
    press_next(qtbot, assistant, PAGE_CHAPTER)
    first_id = store_info(folder)["store_id"]
    assistant.back()
    assert assistant.currentId() == PAGE_KEY
    press_next(qtbot, assistant, PAGE_CHAPTER)  # the same choice: the same store
    assert store_info(folder)["store_id"] == first_id
    assistant.back()
    assistant.key_page.passphrase.setChecked(True)
    assistant.key_page.first.setText("correct horse battery")
    assistant.key_page.second.setText("correct horse battery")
    press_next(qtbot, assistant, PAGE_CHAPTER)
    info = store_info(folder)
    assert info["key_mode"] == "passphrase" and info["store_id"] != first_id
    assert not memory_keyring.secrets  # the first store's keyring entry went with it


def test_cancel_before_an_account_removes_the_store_and_its_key(
    qtbot: QtBot, assistant: FirstRunAssistant, folder: Path, memory_keyring: MemoryKeyring
) -> None:
    assistant.start_page.offline.setChecked(True)
    press_next(qtbot, assistant, PAGE_KEY)
    press_next(qtbot, assistant, PAGE_CHAPTER)
    assert (folder / "chapterdesk.db").exists() and memory_keyring.secrets
    assistant.reject()
    assistant.discard()
    assert not (folder / "store.json").exists()
    assert not list(folder.glob("chapterdesk.db*"))
    assert not memory_keyring.secrets


def test_a_refused_server_sign_in_is_said_and_nothing_local_is_made_then_it_connects(
    qtbot: QtBot, assistant: FirstRunAssistant, chapter_server: ServerProcess
) -> None:
    admin(chapter_server.database_url, "add-community", "AXUG", "AX user group")
    ottawa = admin(chapter_server.database_url, "add-chapter", "AXUG", "Ottawa")
    add_leader(chapter_server.database_url, chapter=ottawa)
    volunteer = "val@chapter.example"
    admin(
        chapter_server.database_url,
        *("add-account", volunteer, "Val Volunteer", "--role", "volunteer"),
        *("--chapter", ottawa, "--password-stdin"),
        password=PASSWORD,
    )
    assert assistant.start is Start.SERVER  # the first choice
    press_next(qtbot, assistant, PAGE_KEY)
    press_next(qtbot, assistant, PAGE_SERVER)
    page = assistant.server_page
    page.url.setText(chapter_server.url)
    page.login.setText(LEADER)
    page.password.setText("not the password")
    press_next(qtbot, assistant, PAGE_CONNECTED)
    assert assistant.currentId() == PAGE_SERVER
    assert problem(assistant) and page.password.text() == ""
    desk = assistant.desk
    assert desk is not None and not desk.has_accounts()

    # A volunteer's sign-in is good, but a laptop's first account leads it (ROS-4).
    page.login.setText(volunteer)
    page.password.setText(PASSWORD)
    press_next(qtbot, assistant, PAGE_CONNECTED)
    assert "not a leader or co-leader" in problem(assistant)
    assert not desk.has_accounts() and not desk.sync_status().configured

    page.login.setText(LEADER)
    page.password.setText(PASSWORD)
    press_next(qtbot, assistant, PAGE_CONNECTED)
    assert assistant.currentId() == PAGE_CONNECTED, problem(assistant)
    assert chapter_server.url in assistant.connected_page.summary.text()
    assert desk.signed_in is not None and desk.signed_in.display_name == "Lee Leader"
    desk.sync_now()  # what the window's scheduler runs at once
    assert [c.name for c in desk.chapters()] == ["Ottawa"]
    desk.lock()
    assert desk.sign_in(LEADER, PASSWORD) is not None  # the same password, offline


def test_a_chapter_started_offline_reaches_the_server_under_its_groups_id(
    qtbot: QtBot, assistant: FirstRunAssistant, chapter_server: ServerProcess
) -> None:
    """The server's AXUG and the laptop's are one row (communities.code is unique)."""
    admin(chapter_server.database_url, "add-community", "AXUG", "AX user group")
    add_leader(chapter_server.database_url)  # a leader of every chapter may start one
    assistant.start_page.offline.setChecked(True)
    press_next(qtbot, assistant, PAGE_KEY)
    press_next(qtbot, assistant, PAGE_CHAPTER)
    fill_chapter(assistant)
    press_next(qtbot, assistant, PAGE_MEMBERS)
    desk = assistant.desk
    assert desk is not None
    desk.connect_server(chapter_server.url, LEADER, PASSWORD, "laptop")
    report = desk.sync_now()
    assert report.rejected == 0
    chapters = desk.chapters()
    assert [(c.community_code, c.name) for c in chapters] == [("AXUG", "Ottawa")]
    assert "Ottawa" in admin(chapter_server.database_url, "list-chapters")
    with desk.store.session() as s:
        assert s.get(Community, community_id("axug")) is not None


def test_the_demo_choice_opens_a_throwaway_demo_and_keeps_nothing(
    qtbot: QtBot, folder: Path, monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    """Even after a store was made (offline, Next, then Back to choose the demo)."""
    seen: dict[str, object] = {}

    def choose_demo_late(wizard: FirstRunAssistant) -> int:
        wizard.show()
        wizard.start_page.offline.setChecked(True)
        press_next(qtbot, wizard, PAGE_KEY)
        press_next(qtbot, wizard, PAGE_CHAPTER)
        seen["made"] = (folder / "store.json").exists() and bool(memory_keyring.secrets)
        wizard.back()
        wizard.back()
        wizard.start_page.demo.setChecked(True)
        wizard.button(QWizard.WizardButton.NextButton).click()
        seen["page"] = wizard.currentId()
        finish = wizard.button(QWizard.WizardButton.FinishButton)
        seen["finish"] = finish.isVisible()
        finish.click()
        return int(wizard.result())

    monkeypatch.setattr(FirstRunAssistant, "exec", choose_demo_late)
    original = app.MainWindow.attach

    def attach_and_quit(self: app.MainWindow, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        seen["demo"] = self.demo
        seen["hint"] = kwargs.get("sign_in_hint", "")
        app.QApplication.instance().quit()  # type: ignore[union-attr]

    monkeypatch.setattr(app.MainWindow, "attach", attach_and_quit)
    assert app.run_gui(app.GuiOptions(data_dir=str(folder), demo_people=100)) == 0
    assert seen["made"] is True
    assert seen["page"] == PAGE_DEMO and seen["finish"] is True
    assert seen["demo"] is True and seen["hint"]
    assert list(folder.iterdir()) == []  # the store made first went: the next start asks again
    assert not memory_keyring.secrets


def test_a_cancelled_first_start_quits_and_leaves_the_folder_empty(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FirstRunAssistant, "exec", lambda _w: int(QDialog.DialogCode.Rejected))
    assert app.run_gui(app.GuiOptions(data_dir=str(folder))) == 0
    assert list(folder.iterdir()) == []


def test_a_new_chapter_starts_with_the_defaults_the_settings_dialog_restores_MTG_5_ESC_5(
    qtbot: QtBot, folder: Path
) -> None:
    from chapterdesk.services.first_start import create_local_store
    from chapterdesk.services.views import DEFAULT_CHAPTER_SETTINGS, ChapterSettings
    from chapterdesk.ui.meetings.settings_dialog import LimitsDialog

    desk = create_local_store(folder, "keyring", None)
    try:
        # Account and first chapter go in together: a refused chapter leaves no account.
        with pytest.raises(FormProblem, match="at most 200 characters"):
            desk.set_up_with_chapter(
                "Lee Leader", "lee@chapter.example", PASSWORD_10, "GPUG", "x" * 201
            )
        assert not desk.has_accounts() and desk.signed_in is None
        chapter = desk.set_up_with_chapter(
            "Lee Leader", "lee@chapter.example", PASSWORD_10, "gpug", "Halifax", "Nova Scotia"
        )
        assert (chapter.community_code, chapter.name) == ("GPUG", "Halifax")
        settings = desk.chapter_settings(chapter.id)
        assert settings == DEFAULT_CHAPTER_SETTINGS
        assert chapter.id != ""
        assert (settings.max_partner_attendees, settings.max_escorted_companies) == (2, 1)
        with pytest.raises(FormProblem, match="GPUG already has a chapter called halifax"):
            desk.create_chapter("GPUG", "halifax")
        desk.lock()
        with pytest.raises(PermissionDenied):
            desk.create_chapter("GPUG", "Truro")
    finally:
        desk.store.close()

    dialog = LimitsDialog(ChapterSettings(5, 3, 45, 12, "Own.potx"))
    qtbot.addWidget(dialog)
    dialog.restore_button.click()
    assert dialog.settings() == DEFAULT_CHAPTER_SETTINGS
    assert dialog.template_choice() == ""  # back to ChapterDesk's default template (DECK-1)


def test_without_a_keyring_the_server_start_says_so_before_signing_in(
    qtbot: QtBot, folder: Path, no_keyring: None
) -> None:
    runner = TaskRunner()
    wizard = FirstRunAssistant(folder, runner, keyring_status())
    qtbot.addWidget(wizard)
    wizard.show()
    key = wizard.key_page
    press_next(qtbot, wizard, PAGE_KEY)
    key.first.setText("correct horse battery")
    key.second.setText("correct horse battery")
    press_next(qtbot, wizard, PAGE_SERVER)
    page = wizard.server_page
    page.url.setText("127.0.0.1:9")  # never asked: the keyring is checked first
    page.login.setText(LEADER)
    page.password.setText(PASSWORD)
    press_next(qtbot, wizard, PAGE_CONNECTED)
    assert wizard.currentId() == PAGE_SERVER
    assert "needs the system keyring" in problem(wizard)
    assert wizard.desk is not None and not wizard.desk.has_accounts()
    wizard.reject()
    wizard.discard()
    runner.wait_for_done(10_000)
    assert not (folder / "store.json").exists()


def test_a_leader_without_a_chapter_is_told_and_starts_one_from_the_file_menu(
    qtbot: QtBot, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A laptop set up on the lock screen (no assistant) has no chapter yet."""
    from PySide6.QtCore import QSettings

    from chapterdesk.services.first_start import create_local_store
    from chapterdesk.ui.common.forms import FormDialog
    from chapterdesk.ui.main_window import MainWindow

    desk = create_local_store(folder, "keyring", None)
    try:
        desk.set_up_laptop("Lee Leader", "lee@chapter.example", PASSWORD_10)
        window = MainWindow(
            TaskRunner(), QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
        )
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(window.ready, timeout=10_000):
            window.attach(desk)
        assert "File → New chapter…" in window.statusBar().currentMessage()
        assert window.new_chapter_action.isEnabled()
        dialog = window.new_chapter()
        assert isinstance(dialog, FormDialog)
        dialog.findChild(QLineEdit, "newChapterName").setText("Ottawa")
        with qtbot.waitSignal(
            window.loaded, timeout=10_000, check_params_cb=lambda k: k == "chapters"
        ):
            dialog.accept()
        qtbot.waitUntil(lambda: window.current_chapter() is not None, timeout=10_000)
        chapter = window.current_chapter()
        assert chapter is not None and chapter.label == "AXUG Ottawa"
        window.close()
    finally:
        desk.store.close()


def test_the_demo_and_the_server_admin_give_a_group_the_id_every_laptop_gives_it(
    tmp_path: Path,
) -> None:
    """So a chapter started offline meets the demo server's AXUG as the same row."""
    from sqlalchemy import select

    from chapterdesk.demo.generate import generate_demo

    store = open_store(prepare_data_dir(tmp_path / "demo"), allow_plaintext=True)
    try:
        generate_demo(store.engine, people=100, clock=store.clock)
        with store.session() as s:
            rows = s.execute(select(Community.code, Community.id)).all()
        assert rows and all(ident == community_id(code) for code, ident in rows)
    finally:
        store.close()
