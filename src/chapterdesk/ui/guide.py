"""Help → User guide: the short guide (``resources/guide/user-guide.md``) with its pictures,
which ``scripts/screenshots.py --guide`` takes from the app itself, shown in the app — offline,
and the same in the installed bundle as from source."""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget


def guide_file() -> str:
    """The guide's path on disk (inside the package, or the bundle's data folder)."""
    ref = resources.files("chapterdesk").joinpath("resources", "guide", "user-guide.md")
    return str(ref)


class GuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("ChapterDesk user guide"))
        self.browser = QTextBrowser()
        self.browser.setObjectName("userGuide")
        self.browser.setOpenExternalLinks(True)
        self.browser.setSource(QUrl.fromLocalFile(guide_file()))  # .md: read as Markdown
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(980, 760)
