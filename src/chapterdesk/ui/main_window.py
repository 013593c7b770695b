"""The main window: navigation, chapter picker, status bar; pages load their data in workers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QWidget,
)
from shiboken6 import isValid

from chapterdesk.domain.violations import NotFound, PermissionDenied, RuleViolation
from chapterdesk.services.views import ChapterSummary, StoreFacts
from chapterdesk.store.errors import StoreError
from chapterdesk.ui.about import AboutDialog
from chapterdesk.ui.common.tasks import TaskRunner
from chapterdesk.ui.common.widgets import PlainLabel
from chapterdesk.ui.placeholder import ComingPage

if TYPE_CHECKING:  # the real import pulls in SQLAlchemy: not before the window is up
    from chapterdesk.services.desk import Desk
    from chapterdesk.ui.checkin.page import CheckInPage
    from chapterdesk.ui.decks.page import DecksPage
    from chapterdesk.ui.meetings.page import MeetingsPage
    from chapterdesk.ui.people.page import PeoplePage

log = logging.getLogger(__name__)

PAGE_KEYS = ("meetings", "checkin", "decks", "people", "partners", "sync")


class MainWindow(QMainWindow):
    """Emits ``ready`` once the first page shows its data (tests and the start-up benchmark)."""

    ready = Signal()
    loaded = Signal(str)  # page key, each time a page received fresh data

    def __init__(
        self,
        runner: TaskRunner,
        settings: QSettings,
        *,
        demo: bool = False,
        log_file: str = "",
    ) -> None:
        super().__init__()
        self.desk: Desk | None = None
        self.facts: StoreFacts | None = None
        self.runner = runner
        self.settings = settings
        self.demo = demo
        self.log_file = log_file
        self._chapters: list[ChapterSummary] = []
        self._stale: set[str] = set(PAGE_KEYS)
        self._generation: dict[str, int] = dict.fromkeys(PAGE_KEYS, 0)
        self._ready_sent = False
        self._initial_chapter: str | None = None

        self._built: dict[str, QWidget] = {}

        titles = [
            self.tr("Meetings"),
            self.tr("Check-in"),
            self.tr("Decks"),
            self.tr("People"),
            self.tr("Partners"),
            self.tr("Sync"),
        ]

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(self.tr("Pages"))
        self.nav.addItems(titles)
        self.nav.setFixedWidth(170)
        font = self.nav.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.nav.setFont(font)
        self.nav.setSpacing(3)
        self.stack = QStackedWidget()
        for _key in PAGE_KEYS:  # stand-ins: a page is built the first time it is shown
            self.stack.addWidget(QWidget())
        self.nav.currentRowChanged.connect(self._on_page_changed)

        central = QWidget()
        row = QHBoxLayout(central)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.chapter_picker = QComboBox()
        self.chapter_picker.setObjectName("chapterPicker")
        self.chapter_picker.setAccessibleName(self.tr("Chapter"))
        self.chapter_picker.setMinimumContentsLength(24)
        self.chapter_picker.currentIndexChanged.connect(self._on_chapter_changed)
        toolbar = QToolBar(self.tr("Chapter"))
        toolbar.setObjectName("chapterToolbar")
        toolbar.setMovable(False)
        chapter_label = QLabel(self.tr("&Chapter:"))
        chapter_label.setBuddy(self.chapter_picker)
        toolbar.addWidget(chapter_label)
        toolbar.addWidget(self.chapter_picker)
        self.addToolBar(toolbar)

        self._build_menus(titles)
        self._build_status_bar()
        self._restore_settings()
        self._update_title()

    # ----------------------------------------------------------------- construction
    def _build_menus(self, titles: list[str]) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        go_menu = self.menuBar().addMenu(self.tr("&Go"))
        self.page_actions: list[QAction] = []
        for number, title in enumerate(titles):
            action = QAction(title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{number + 1}"))
            action.triggered.connect(lambda _c=False, n=number: self.show_page(PAGE_KEYS[n]))
            go_menu.addAction(action)
            self.page_actions.append(action)
        go_menu.addSeparator()
        chapter_action = QAction(self.tr("Choose &chapter"), self)
        chapter_action.setShortcut(QKeySequence("Ctrl+K"))
        chapter_action.triggered.connect(self._focus_chapter_picker)
        go_menu.addAction(chapter_action)
        refresh = QAction(self.tr("&Refresh"), self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh)
        go_menu.addAction(refresh)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About ChapterDesk"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.connection_label = PlainLabel(self.tr("● Offline — no chapter server set up"))
        self.connection_label.setObjectName("connectionStatus")
        self.last_sync_label = PlainLabel(self.tr("Last sync: never"))
        self.last_sync_label.setObjectName("lastSync")
        self.pending_label = PlainLabel()
        self.pending_label.setObjectName("pendingChanges")
        for label in (self.connection_label, self.last_sync_label, self.pending_label):
            label.setContentsMargins(8, 0, 8, 0)
        bar.addPermanentWidget(self.connection_label)
        bar.addPermanentWidget(self.last_sync_label)
        bar.addPermanentWidget(self.pending_label)
        self._set_pending(0)
        self.opening_label = PlainLabel(self.tr("Opening the chapter data…"))
        self.opening_label.setObjectName("openingStatus")
        bar.addWidget(self.opening_label)

    def _show_encryption_warning(self) -> None:
        warning = PlainLabel(self.tr("⚠ Not encrypted"))
        warning.setObjectName("encryptionWarning")
        warning.setStyleSheet("color: #b91c1c; font-weight: bold")
        warning.setToolTip(
            self.tr(
                "No system keyring was available, so this demo database is stored unencrypted. "
                "Real chapter data is always encrypted (ROS-5)."
            )
        )
        self.statusBar().addPermanentWidget(warning)

    def _restore_settings(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        last = str(self.settings.value("window/page", "meetings"))
        self._initial_page = last if last in PAGE_KEYS else "meetings"

    # ------------------------------------------------------------------- start-up
    def attach(self, desk: Desk, initial_chapter: str | None = None) -> None:
        """Connect the window to an open store, then load the chapter list and the remembered
        page in workers. The window is usually already on screen by then."""
        self.desk = desk
        self.facts = desk.facts()
        self._initial_chapter = initial_chapter
        if not self.facts.encrypted:
            self._show_encryption_warning()
        self._update_title()
        self.opening_label.hide()
        self._submit("chapters", desk.chapters, self._on_chapters)
        self._submit("status", desk.pending_changes, self._set_pending)

    def _on_chapters(self, chapters: list[ChapterSummary]) -> None:
        self._chapters = chapters
        wanted = self._initial_chapter or str(self.settings.value("chapter/last", ""))
        index = next((i for i, c in enumerate(chapters) if c.id == wanted), 0)
        self.chapter_picker.blockSignals(True)
        self.chapter_picker.clear()
        for chapter in chapters:
            self.chapter_picker.addItem(chapter.label, chapter.id)
        self.chapter_picker.setCurrentIndex(index if chapters else -1)
        self.chapter_picker.blockSignals(False)
        self._update_title()
        self.nav.setCurrentRow(PAGE_KEYS.index(self._initial_page))
        self.stack.setCurrentIndex(PAGE_KEYS.index(self._initial_page))
        self._load_current_page()
        if not chapters:
            self._announce_ready()

    # ------------------------------------------------------------------ navigation
    def show_page(self, key: str) -> None:
        """Switch page (shortcut or menu) and put the keyboard in it, so typing searches."""
        self.nav.setCurrentRow(PAGE_KEYS.index(key))
        self.page(key).setFocus(Qt.FocusReason.ShortcutFocusReason)

    def current_page(self) -> str:
        return PAGE_KEYS[max(self.stack.currentIndex(), 0)]

    def current_chapter(self) -> ChapterSummary | None:
        index = self.chapter_picker.currentIndex()
        return self._chapters[index] if 0 <= index < len(self._chapters) else None

    def refresh(self) -> None:
        if self.desk is None:
            return
        self._stale = set(PAGE_KEYS)
        self._load_current_page()
        self._submit("status", self.desk.pending_changes, self._set_pending)

    def _focus_chapter_picker(self) -> None:
        self.chapter_picker.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.chapter_picker.showPopup()

    # ---------------------------------------------------------------------- pages
    def page(self, key: str) -> QWidget:
        """The page for ``key``, built on first use: the window appears sooner, and a page
        the leader never opens costs nothing."""
        built = self._built.get(key)
        if built is None:
            built = self._built[key] = self._build_page(key)
            index = PAGE_KEYS.index(key)
            stand_in = self.stack.widget(index)
            current = self.stack.currentIndex()
            self.stack.insertWidget(index, built)
            self.stack.removeWidget(stand_in)
            stand_in.deleteLater()
            self.stack.setCurrentIndex(current)
        return built

    def _build_page(self, key: str) -> QWidget:
        if key == "meetings":
            from chapterdesk.ui.meetings.page import MeetingsPage

            meetings = MeetingsPage()
            meetings.changed.connect(self._after_write)
            meetings.notice.connect(lambda text: self.statusBar().showMessage(text, 15000))
            return meetings
        if key == "checkin":
            from chapterdesk.ui.checkin.page import CheckInPage

            checkin = CheckInPage(self.run)
            checkin.changed.connect(self._after_write)
            return checkin
        if key == "people":
            from chapterdesk.ui.people.page import PeoplePage

            return PeoplePage()
        if key == "decks":
            from chapterdesk.ui.decks.page import DecksPage

            decks = DecksPage()
            decks.changed.connect(self._after_write)
            decks.notice.connect(lambda text: self.statusBar().showMessage(text, 15000))
            return decks
        title, purpose = {
            "partners": (
                self.tr("Partners"),
                self.tr(
                    "Community Partner applications, conduct and contributions (PRT-1…7). Not "
                    "available in this version yet."
                ),
            ),
            "sync": (
                self.tr("Sync"),
                self.tr(
                    "Connect this laptop to the chapter server to share check-ins and "
                    "registrations with other desks. Until then everything stays on this laptop."
                ),
            ),
        }[key]
        return ComingPage(title, purpose)

    @property
    def pages(self) -> dict[str, QWidget]:
        return {key: self.page(key) for key in PAGE_KEYS}

    @property
    def meetings_page(self) -> MeetingsPage:
        return cast("MeetingsPage", self.page("meetings"))

    @property
    def people_page(self) -> PeoplePage:
        return cast("PeoplePage", self.page("people"))

    @property
    def checkin_page(self) -> CheckInPage:
        return cast("CheckInPage", self.page("checkin"))

    def _on_page_changed(self, row: int) -> None:
        if row < 0:
            return
        self.page(PAGE_KEYS[row])
        self.stack.setCurrentIndex(row)
        self.settings.setValue("window/page", PAGE_KEYS[row])
        self._load_current_page()

    def _on_chapter_changed(self, _index: int) -> None:
        chapter = self.current_chapter()
        if chapter is not None:
            self.settings.setValue("chapter/last", chapter.id)
        self._stale = set(PAGE_KEYS)
        self._update_title()
        self._load_current_page()

    def _load_current_page(self) -> None:
        key = self.current_page()
        chapter = self.current_chapter()
        desk = self.desk
        if desk is None or chapter is None or key not in self._stale:
            return
        self._stale.discard(key)
        if key == "meetings":
            self.meetings_page.bind(self.run, chapter.id)
            self._submit(key, lambda: desk.meetings(chapter.id), self.meetings_page.set_rows)
        elif key == "people":
            self._submit(key, lambda: desk.people(chapter.id), self.people_page.set_rows)
        elif key == "decks":
            cast("DecksPage", self.page("decks")).bind(self.run, chapter.id)
            self._announce_ready()
        elif key == "checkin":
            self._submit(
                key,
                lambda: desk.meetings(chapter.id),
                lambda rows: self.checkin_page.set_meetings(rows, chapter.id),
            )
        else:
            self._announce_ready()

    def run(
        self,
        job: Callable[[Desk], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run a page's desk call off the GUI thread; by default refusals are shown by the
        window with their rule and fix, a page may show them itself (the check-in verdict)."""
        desk = self.desk
        if desk is None:
            return
        self.runner.submit(
            lambda: job(desk), self._alive(done), self._alive(failed or self.show_error)
        )

    def _alive(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        """A result that arrives after the window closed is dropped, not delivered to widgets
        Qt has already deleted."""

        def deliver(value: Any) -> None:
            if isValid(self):
                callback(value)

        return deliver

    def _after_write(self) -> None:
        """A page changed data: every page's figures may be stale now."""
        self._stale = set(PAGE_KEYS)
        self._stale.discard(self.current_page())
        chapter = self.current_chapter()
        desk = self.desk
        if desk is not None and chapter is not None and self.current_page() == "meetings":
            self._submit("meetings", lambda: desk.meetings(chapter.id), self.meetings_page.set_rows)
        if desk is not None:
            self._submit("status", desk.pending_changes, self._set_pending)

    def _submit(self, key: str, job: Callable[[], Any], show: Callable[[Any], None]) -> None:
        """Run ``job`` in a worker; drop its result if a newer load of ``key`` started since."""
        self._generation[key] = generation = self._generation.get(key, 0) + 1

        def on_result(result: Any) -> None:
            if self._generation[key] != generation:
                return
            if self.statusBar().currentMessage() == self.tr("Loading…"):
                self.statusBar().clearMessage()  # but keep any message an action left
            show(result)
            self.loaded.emit(key)
            if key in PAGE_KEYS:
                self._announce_ready()

        def on_error(exc: BaseException) -> None:
            self._stale.add(key)
            self.show_error(exc)
            self._announce_ready()

        self.statusBar().showMessage(self.tr("Loading…"), 2000)
        self.runner.submit(job, self._alive(on_result), self._alive(on_error))

    def _announce_ready(self) -> None:
        if not self._ready_sent:
            self._ready_sent = True
            self.ready.emit()

    # --------------------------------------------------------------------- display
    def _update_title(self) -> None:
        parts = ["ChapterDesk"]
        chapter = self.current_chapter()
        if chapter is not None:
            parts.append(chapter.label)
        if self.demo:
            parts.append(self.tr("DEMO DATA"))
        if self.facts is not None and not self.facts.encrypted:
            parts.append(self.tr("NOT ENCRYPTED"))
        self.setWindowTitle(" — ".join(parts))

    def _set_pending(self, count: int) -> None:
        self.pending_label.setText(self.tr("Pending changes: {n}").format(n=count))

    def show_about(self) -> AboutDialog | None:
        if self.facts is None:
            return None
        dialog = AboutDialog(self.facts, self)
        dialog.setModal(True)
        dialog.show()
        return dialog

    def show_error(self, exc: BaseException) -> None:
        """One plain sentence for the user; the detail is in the log file."""
        if isinstance(exc, RuleViolation | PermissionDenied | NotFound | StoreError):
            text = str(exc)
        else:
            log.error("unexpected error", exc_info=exc)
            text = self.tr(
                "Something went wrong: {error}. The details were written to {log}; "
                "your data is unchanged."
            ).format(error=exc, log=self.log_file)
        self.statusBar().showMessage(text, 10000)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("ChapterDesk"),
            text,
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/page", self.current_page())
        self.settings.sync()
        super().closeEvent(event)
