"""Saving a PDF the leader chooses and handing it to the system viewer (which prints it)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget


def suggested_path(name: str) -> str:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    safe = re.sub(r"[^\w\- ]+", "", name).strip().replace(" ", "-")[:60] or "document"
    return str(Path(folder) / f"{safe}.pdf")


def ask_save_path(parent: QWidget, title: str, suggested: str) -> Path | None:
    """The file dialog, with a safe suggested name; always ends in .pdf."""
    path, _filter = QFileDialog.getSaveFileName(
        parent, title, suggested_path(suggested), parent.tr("PDF files (*.pdf)")
    )
    if not path:
        return None
    return Path(path if path.lower().endswith(".pdf") else f"{path}.pdf")


def open_saved(path: Path, message: str, done: Callable[[str], None]) -> None:
    """Tell the user where it went and open it in the system viewer, from which it prints."""
    done(message)
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
