"""Help → User guide: the guide opens in the app with its pictures. The pictures come from the
app itself: `scripts/screenshots.py --guide` refreshes them, and fails if the guide shows one it
does not take."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from chapterdesk.ui.common.tasks import TaskRunner
from chapterdesk.ui.guide import guide_file
from chapterdesk.ui.main_window import MainWindow

GUIDE = Path(guide_file())
PICTURES = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", GUIDE.read_text("utf-8"))


def test_every_picture_of_the_guide_is_there_and_is_a_png() -> None:
    assert len(PICTURES) >= 10
    for name in PICTURES:
        assert (GUIDE.parent / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name


@pytest.mark.gui
def test_help_opens_the_guide_with_its_pictures(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(
        TaskRunner(), QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    dialog = window.show_guide()
    qtbot.addWidget(dialog)
    browser = dialog.browser  # type: ignore[attr-defined]
    assert "Signing in" in browser.toPlainText()
    image = browser.document().resource(
        QTextDocument.ResourceType.ImageResource, browser.source().resolved(PICTURES[0])
    )
    assert image is not None and not image.isNull()
