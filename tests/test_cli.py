"""The command line as a user types it: ``chapterdesk demo`` and ``chapterdesk --demo``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from chapterdesk.__main__ import main
from chapterdesk.paths import prepare_data_dir
from chapterdesk.services.desk import Desk, local_leader
from chapterdesk.store.database import open_store


def test_demo_command_builds_an_encrypted_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "big"
    assert main(["demo", "--data-dir", str(folder), "--people", "400"]) == 0
    out = capsys.readouterr().out
    assert "400 people" in out and "encrypted" in out and str(folder) in out
    assert not (folder / "chapterdesk.db").read_bytes().startswith(b"SQLite format 3")
    store = open_store(prepare_data_dir(folder))
    try:
        assert len(Desk(store, local_leader()).chapters()) == 12
    finally:
        store.close()


def test_demo_command_refuses_a_folder_that_holds_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "d"
    assert main(["demo", "--data-dir", str(folder), "--people", "200"]) == 0
    before = (folder / "chapterdesk.db").read_bytes()
    capsys.readouterr()
    assert main(["demo", "--data-dir", str(folder), "--people", "200"]) == 2
    assert "already holds a ChapterDesk database" in capsys.readouterr().err
    assert (folder / "chapterdesk.db").read_bytes() == before


def test_demo_command_reports_an_unwritable_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["demo", "--data-dir", str(blocker / "data")]) == 2
    err = capsys.readouterr().err
    assert "cannot write to its data folder" in err and str(blocker / "data") in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert "ChapterDesk 0.1.0" in capsys.readouterr().out


@pytest.mark.gui
def test_demo_window_opens_and_cleans_up_after_itself(tmp_path: Path) -> None:
    """The README's first command, in a child process, without a usable keyring."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "TMPDIR": str(tmp_path / "tmp"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    (tmp_path / "tmp").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "chapterdesk", "--demo", "--people", "300", "--exit-when-ready"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split()
    assert lines[0] == "SHOWN" and lines[2] == "READY"  # window first, then its data
    assert list((tmp_path / "tmp").iterdir()) == []  # the throw-away folder is gone
    assert (tmp_path / "config" / "ChapterDesk" / "ChapterDesk.conf").exists()
