"""Composition root: open the store, build the services, show the window."""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from chapterdesk import __version__
from chapterdesk.logsetup import configure_logging
from chapterdesk.paths import APP_AUTHOR, APP_NAME, DataDirError, prepare_data_dir, resolve_data_dir
from chapterdesk.services.desk import Desk, local_leader
from chapterdesk.store.database import Store, forget_store, open_store
from chapterdesk.store.errors import StoreError, WrongKey
from chapterdesk.store.keys import keyring_status

log = logging.getLogger(__name__)
PASSPHRASE_TRIES = 3


@dataclass
class GuiOptions:
    data_dir: str | None = None
    demo: bool = False
    demo_people: int = 5000
    exit_when_ready: bool = False
    verbose: bool = False


def _fatal(text: str) -> int:
    log.error(text)
    box = QMessageBox(QMessageBox.Icon.Critical, "ChapterDesk", text, QMessageBox.StandardButton.Ok)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()
    return 2


def _ask_passphrase(folder: Path):  # type: ignore[no-untyped-def]
    from chapterdesk.ui.passphrase import PassphraseDialog

    def ask(creating: bool) -> str | None:
        dialog = PassphraseDialog(creating, str(folder), keyring_status().reason)
        return dialog.passphrase() if dialog.exec() == QDialog.DialogCode.Accepted else None

    return ask


def _open(folder: Path, demo: bool) -> Store:
    paths = prepare_data_dir(folder)
    if demo:
        return open_store(paths, allow_plaintext=True)
    ask = _ask_passphrase(folder)
    for attempt in range(PASSPHRASE_TRIES):
        try:
            return open_store(paths, ask_passphrase=ask)
        except WrongKey:
            if attempt == PASSPHRASE_TRIES - 1 or not paths.store_info.exists():
                raise
    raise AssertionError("unreachable")


def run_gui(options: GuiOptions) -> int:
    """Start the desktop app; returns the process exit code."""
    started = time.perf_counter()
    log_file = configure_logging(options.verbose)
    QApplication.setApplicationName(APP_NAME)
    QApplication.setOrganizationName(APP_AUTHOR)
    QApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(sys.argv)

    throwaway: Path | None = None
    if options.demo and not options.data_dir:
        throwaway = Path(tempfile.mkdtemp(prefix="chapterdesk-demo-"))
    folder = throwaway or resolve_data_dir(options.data_dir)
    try:
        try:
            store = _open(folder, options.demo)
        except (DataDirError, StoreError) as exc:
            return _fatal(str(exc))
        try:
            home = _ensure_demo(store, options.demo_people) if options.demo else None
            return _show(app, store, options, log_file, started, home)
        finally:
            store.close()
    finally:
        if throwaway is not None:
            forget_store(prepare_data_dir(throwaway))
            shutil.rmtree(throwaway, ignore_errors=True)


def _ensure_demo(store: Store, people: int) -> str | None:
    """Generate the demo into an empty store; returns the chapter to open on (None: kept)."""
    from chapterdesk.demo.generate import generate_demo

    if Desk(store, local_leader()).chapters():
        return None
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return generate_demo(store.engine, people=people, clock=store.clock).home_chapter_id
    finally:
        QApplication.restoreOverrideCursor()


def _show(
    app: QApplication,
    store: Store,
    options: GuiOptions,
    log_file: Path | None,
    started: float,
    home_chapter: str | None,
) -> int:
    from chapterdesk.ui.common.tasks import TaskRunner
    from chapterdesk.ui.main_window import MainWindow

    desk = Desk(store, local_leader())
    runner = TaskRunner()
    window = MainWindow(
        desk,
        runner,
        QSettings(),
        demo=options.demo,
        initial_chapter=home_chapter,
        log_file=str(log_file or ""),
    )
    sys.excepthook = _excepthook(window)
    if options.exit_when_ready:

        def report() -> None:
            print(f"READY {time.perf_counter() - started:.3f}", flush=True)
            app.quit()

        window.ready.connect(lambda: QTimer.singleShot(0, report))
    window.show()
    window.start()
    code = app.exec()
    runner.wait_for_done(5000)
    return code


def _excepthook(window: object):  # type: ignore[no-untyped-def]
    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.critical("unhandled exception", exc_info=(kind, exc, tb))
        show = getattr(window, "show_error", None)
        if show is not None:
            show(exc)

    return hook
