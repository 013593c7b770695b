"""What a leader sees when the app cannot open their data: one clear message, nothing changed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from chapterdesk import app
from chapterdesk.paths import prepare_data_dir
from chapterdesk.store.database import make_engine, open_store
from chapterdesk.store.keys import KeyringKeys
from chapterdesk.ui.passphrase import PassphraseDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Collects what the start-up error box would say instead of blocking on it."""
    messages: list[str] = []

    def fake_fatal(message: str) -> int:
        messages.append(message)
        return 2

    monkeypatch.setattr(app, "_fatal", fake_fatal)
    return messages


def digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_unwritable_data_folder_is_explained(tmp_path: Path, shown: list[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code = app.run_gui(app.GuiOptions(data_dir=str(blocker / "data")))
    assert code == 2
    assert "cannot write to its data folder" in shown[0]
    assert "--data-dir" in shown[0]


def test_newer_database_is_refused_and_left_alone(
    tmp_path: Path, shown: list[str], memory_keyring: object
) -> None:
    folder = tmp_path / "data"
    store = open_store(prepare_data_dir(folder))
    store.close()
    key = KeyringKeys().get(store.info.store_id)
    engine = make_engine(folder / "chapterdesk.db", key)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    engine.dispose()
    before = digest(folder)
    assert app.run_gui(app.GuiOptions(data_dir=str(folder))) == 2
    assert "newer version of ChapterDesk" in shown[0]
    assert digest(folder) == before


def test_wrong_key_is_refused_and_left_alone(
    tmp_path: Path, shown: list[str], memory_keyring: object
) -> None:
    folder = tmp_path / "data"
    store = open_store(prepare_data_dir(folder))
    store.close()
    memory_keyring.secrets = {k: "ab" * 32 for k in memory_keyring.secrets}  # type: ignore[attr-defined]
    before = digest(folder)
    assert app.run_gui(app.GuiOptions(data_dir=str(folder))) == 2
    assert "does not open" in shown[0]
    assert digest(folder) == before


def test_new_passphrase_must_be_long_and_repeated(qtbot: QtBot) -> None:
    dialog = PassphraseDialog(creating=True, folder="/data", reason="no keyring")
    qtbot.addWidget(dialog)
    dialog.first.setText("short")
    dialog.second.setText("short")
    dialog._check()
    assert "at least" in dialog.problem.text() and not dialog.result()
    dialog.first.setText("a long passphrase")
    dialog.second.setText("a long passphrase!")
    dialog._check()
    assert "differ" in dialog.problem.text()
    dialog.second.setText("a long passphrase")
    with qtbot.waitSignal(dialog.accepted):
        dialog._check()
    assert dialog.passphrase() == "a long passphrase"


class ScriptedPassphrases:
    """Stands in for the passphrase dialog: answers from a script, records each question."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answers: list[str | None]) -> None:
        self.answers = answers
        self.asked: list[bool] = []
        script = self

        def fake_exec(dialog: PassphraseDialog) -> int:
            script.asked.append(dialog.creating)
            answer = script.answers.pop(0)
            if answer is None:
                return int(QDialog.DialogCode.Rejected)
            dialog.first.setText(answer)
            return int(QDialog.DialogCode.Accepted)

        monkeypatch.setattr(PassphraseDialog, "exec", fake_exec)


def test_without_keyring_a_new_store_asks_for_a_passphrase_ROS_5(
    tmp_path: Path, shown: list[str], no_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    script = ScriptedPassphrases(
        monkeypatch, ["correct horse battery", "wrong one", "correct horse battery"]
    )
    options = app.GuiOptions(data_dir=str(folder), exit_when_ready=True)
    assert app.run_gui(options) == 0
    assert script.asked == [True]
    assert '"key_mode": "passphrase"' in (folder / "store.json").read_text()
    # Next start: a wrong passphrase is asked again, the right one opens.
    assert app.run_gui(options) == 0
    assert script.asked == [True, False, False]
    assert shown == []


def test_cancelled_passphrase_keeps_the_data_locked(
    tmp_path: Path, shown: list[str], no_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    ScriptedPassphrases(monkeypatch, [None])
    # (--exit-when-ready skips the first-run assistant and creates the store as before)
    assert app.run_gui(app.GuiOptions(data_dir=str(folder), exit_when_ready=True)) == 2
    assert "stays locked" in shown[0]
    assert not (folder / "chapterdesk.db").exists()
