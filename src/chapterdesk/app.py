"""Composition root: show the window first, then open the store, build the services, attach.

The window appears before SQLAlchemy, the keyring and the database are even imported: those
load in a worker while the window paints, and the chapter data follows a moment later.
"""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from chapterdesk import __version__
from chapterdesk.logsetup import configure_logging
from chapterdesk.paths import APP_AUTHOR, APP_NAME, DataDirError, DataPaths, resolve_data_dir
from chapterdesk.store.errors import StoreError, WrongKey
from chapterdesk.ui.common.tasks import TaskRunner
from chapterdesk.ui.main_window import MainWindow

if TYPE_CHECKING:
    from chapterdesk.services.desk import Desk
    from chapterdesk.store.database import Store

log = logging.getLogger(__name__)
PASSPHRASE_TRIES = 3


@dataclass
class GuiOptions:
    data_dir: str | None = None
    demo: bool = False
    demo_people: int = 5000
    exit_when_ready: bool = False
    verbose: bool = False
    # (login, password) to sign in with at start, for benchmarks and screenshots; the
    # command line reads the password from standard input, never from an argument.
    sign_in: tuple[str, str] | None = None


class PassphraseNeeded(Exception):
    """Raised in the worker when the store needs a passphrase the GUI has not asked for yet."""

    def __init__(self, creating: bool, reason: str) -> None:
        super().__init__("passphrase needed")
        self.creating = creating
        self.reason = reason


@dataclass
class Opened:
    """What the worker hands back to the GUI thread once the store is open."""

    store: Store
    desk: Desk
    home_chapter: str | None = None
    sign_in_hint: str = ""
    sign_in_login: str = ""


def _fatal(text: str) -> int:
    """Tell the user why ChapterDesk cannot start; returns the exit code."""
    log.error(text)
    box = QMessageBox(QMessageBox.Icon.Critical, "ChapterDesk", text, QMessageBox.StandardButton.Ok)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()
    return 2


def _open_in_worker(options: GuiOptions, folder: Path, passphrase: str | None) -> Opened:
    """Runs off the GUI thread: imports the data layers, opens (and for a demo, fills) the store.
    Nobody is signed in afterwards unless ``options.sign_in`` says who."""
    from chapterdesk.paths import prepare_data_dir
    from chapterdesk.services.desk import Desk
    from chapterdesk.store.database import open_store
    from chapterdesk.store.keys import keyring_status

    def ask(creating: bool) -> str | None:
        if passphrase is None:
            raise PassphraseNeeded(creating, keyring_status().reason)
        return passphrase

    demo = options.demo
    paths = prepare_data_dir(folder)
    store = (
        open_store(paths, allow_plaintext=True) if demo else open_store(paths, ask_passphrase=ask)
    )
    try:
        desk = Desk(store)
        opened = Opened(store, desk)
        if demo:
            from chapterdesk.demo.generate import DEMO_ACCOUNTS, generate_demo, sign_in_hint

            if not desk.has_accounts():
                opened.home_chapter = generate_demo(
                    store.engine, people=options.demo_people, clock=store.clock
                ).home_chapter_id
            opened.sign_in_hint = sign_in_hint()
            opened.sign_in_login = DEMO_ACCOUNTS[0][0]
        if options.sign_in is not None:
            desk.sign_in(*options.sign_in)
        return opened
    except BaseException:
        store.close()
        raise


@dataclass
class _Startup:
    """Carries the start-up state between the worker and GUI callbacks."""

    app: QApplication
    runner: TaskRunner
    folder: Path
    options: GuiOptions
    window: MainWindow | None = None  # built while the worker opens the store
    throwaway: Path | None = None  # a demo's folder, removed at exit
    opened: Opened | None = None
    passphrase_given: bool = False
    tries: int = 0
    exit_code: int | None = None

    def open(self, passphrase: str | None = None) -> None:
        opts = self.options
        self.passphrase_given = passphrase is not None
        self.runner.submit(
            lambda: _open_in_worker(opts, self.folder, passphrase),
            self._on_opened,
            self._on_failed,
        )

    def _on_opened(self, opened: Opened) -> None:
        self.opened = opened
        assert self.window is not None  # results are delivered by the event loop, after show()
        self.window.attach(
            opened.desk,
            initial_chapter=opened.home_chapter,
            sign_in_hint=opened.sign_in_hint,
            sign_in_login=opened.sign_in_login,
        )

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, PassphraseNeeded):
            self._ask(exc.creating, exc.reason)
        elif isinstance(exc, WrongKey) and self.passphrase_given and self.tries < PASSPHRASE_TRIES:
            self._ask(False, str(exc))
        elif isinstance(exc, DataDirError | StoreError):
            self._stop(_fatal(str(exc)))
        else:
            log.error("could not open the data folder", exc_info=exc)
            self._stop(_fatal(f"ChapterDesk could not open {self.folder}: {exc}"))

    def _ask(self, creating: bool, reason: str) -> None:
        from chapterdesk.ui.passphrase import PassphraseDialog

        self.tries += 1
        dialog = PassphraseDialog(creating, str(self.folder), reason, self.window)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.open(dialog.passphrase())
        else:
            self._stop(_fatal("No passphrase given: the chapter data stays locked."))

    def first_run(self) -> None:
        """A data folder with no store yet: the assistant leads to a working desk (issue 9).
        Anything unforeseen ends the start with its message, not a window that waits forever."""
        try:
            self._first_run()
        except Exception as exc:
            log.error("the first-run assistant failed", exc_info=exc)
            self._stop(_fatal(f"ChapterDesk could not set up {self.folder}: {exc}"))

    def _first_run(self) -> None:
        from chapterdesk.paths import prepare_data_dir
        from chapterdesk.store.keys import keyring_status
        from chapterdesk.ui.first_run.assistant import FirstRunAssistant, Start

        try:
            prepare_data_dir(self.folder)  # an unwritable folder is said before any question
        except DataDirError as exc:
            self._stop(_fatal(str(exc)))
            return
        if self.window is not None:
            self.window.opening_label.setText(self.window.tr("Setting up this laptop…"))
        assistant = FirstRunAssistant(self.folder, self.runner, keyring_status(), self.window)
        assistant.setWindowModality(Qt.WindowModality.ApplicationModal)
        accepted = assistant.exec() == QDialog.DialogCode.Accepted
        start, desk = assistant.start, assistant.desk
        if not accepted or start is Start.DEMO:
            assistant.discard()  # a store made before the choice changed, or the cancel
        assistant.deleteLater()  # its fields held passwords: gone with it
        if not accepted:
            log.info("first start cancelled")
            self._stop(0)
            return
        if start is Start.DEMO:
            self.options = replace(self.options, demo=True)
            self.throwaway = self.folder = Path(tempfile.mkdtemp(prefix="chapterdesk-demo-"))
            assert self.window is not None
            self.window.demo = True
            self.open()
            return
        assert desk is not None  # the assistant finishes only with a set-up laptop
        self._on_opened(Opened(desk.store, desk))

    def _stop(self, code: int) -> None:
        self.exit_code = code
        self.app.exit(code)


def app_icon() -> QIcon:
    """The window and task-bar icon, at every size shipped (resources/icons)."""
    icon = QIcon()
    folder = resources.files("chapterdesk").joinpath("resources", "icons")
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        with resources.as_file(folder.joinpath(f"chapterdesk-{size}.png")) as path:
            icon.addFile(str(path))
    return icon


def run_gui(options: GuiOptions) -> int:
    """Start the desktop app; returns the process exit code."""
    started = time.perf_counter()
    log_file = configure_logging(options.verbose)
    QApplication.setApplicationName(APP_NAME)
    QApplication.setOrganizationName(APP_AUTHOR)
    QApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setWindowIcon(app_icon())
    QGuiApplication.setDesktopFileName("chapterdesk")  # Linux: the .desktop entry's icon

    throwaway = (
        Path(tempfile.mkdtemp(prefix="chapterdesk-demo-"))
        if (options.demo and not options.data_dir)
        else None
    )
    folder = throwaway or resolve_data_dir(options.data_dir)
    runner = TaskRunner()
    startup = _Startup(app, runner, folder, options, throwaway=throwaway)
    # A folder without a store is a first start: the assistant asks before anything is made
    # (not for --exit-when-ready, whose callers want the store made as before).
    first_run = not (
        options.demo or options.exit_when_ready or DataPaths(folder).store_info.exists()
    )
    if not first_run:
        startup.open()  # the worker imports and opens the store while the window is built
    window = MainWindow(runner, QSettings(), demo=options.demo, log_file=str(log_file or ""))
    startup.window = window
    sys.excepthook = _excepthook(window)
    if options.exit_when_ready:
        _report_timings(app, window, started)
    try:
        window.show()
        if first_run:
            QTimer.singleShot(0, startup.first_run)  # over the shown window
        code = app.exec()
        runner.wait_for_done(10_000)
        return startup.exit_code if startup.exit_code is not None else code
    finally:
        window.close()
        sys.excepthook = sys.__excepthook__
        from chapterdesk.ui.meetings.paper import forget_badges

        forget_badges()  # no badge PDF outlives the session
        if startup.opened is not None:
            startup.opened.store.close()
        if startup.throwaway is not None:
            _remove_throwaway(startup.throwaway)


def _remove_throwaway(folder: Path) -> None:
    """A throw-away demo leaves nothing behind: not its files, not its keyring entry."""
    from chapterdesk.paths import DataPaths
    from chapterdesk.store.database import forget_store

    try:
        forget_store(DataPaths(folder))
    except StoreError:
        log.warning("could not remove the demo key from the keyring", exc_info=True)
    shutil.rmtree(folder, ignore_errors=True)


def _report_timings(app: QApplication, window: MainWindow, started: float) -> None:
    """For the start-up benchmark: print when the window is up, and when its data is."""

    def shown() -> None:
        print(f"SHOWN {time.perf_counter() - started:.3f}", flush=True)

    def ready() -> None:
        print(f"READY {time.perf_counter() - started:.3f}", flush=True)
        app.quit()

    QTimer.singleShot(0, shown)  # runs once the event loop is idle after show()
    window.ready.connect(lambda: QTimer.singleShot(0, ready))


def _excepthook(window: QObject):  # type: ignore[no-untyped-def]
    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.critical("unhandled exception", exc_info=(kind, exc, tb))
        show = getattr(window, "show_error", None)
        if show is not None:
            show(exc)

    return hook
