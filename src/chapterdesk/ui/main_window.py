"""The main window: navigation, chapter picker, status bar; pages load their data in workers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.enums import Role
from chapterdesk.domain.permissions import Action, allows
from chapterdesk.domain.violations import NotFound, PermissionDenied, RuleViolation
from chapterdesk.store.errors import StoreError
from chapterdesk.sync.errors import SyncError
from chapterdesk.sync.status import SyncStatus
from chapterdesk.ui.about import AboutDialog
from chapterdesk.ui.common.tasks import EXPECTED, TaskRunner
from chapterdesk.ui.common.widgets import PlainLabel
from chapterdesk.ui.idle import IdleWatcher
from chapterdesk.ui.lock_screen import LockScreen
from chapterdesk.ui.sync.indicator import SyncIndicator
from chapterdesk.ui.sync.scheduler import SyncRound, SyncScheduler

if TYPE_CHECKING:  # the real import pulls in SQLAlchemy: not before the window is up
    from chapterdesk.services.desk import Desk
    from chapterdesk.services.views import ChapterSettings, ChapterSummary, MeetingRow, StoreFacts
    from chapterdesk.ui.audit.page import AuditPage
    from chapterdesk.ui.checkin.page import CheckInPage
    from chapterdesk.ui.decks.page import DecksPage
    from chapterdesk.ui.meetings.page import MeetingsPage
    from chapterdesk.ui.partners.page import PartnersPage
    from chapterdesk.ui.people.page import PeoplePage
    from chapterdesk.ui.people.roster_page import RosterPage
    from chapterdesk.ui.sync.page import SyncPage

log = logging.getLogger(__name__)

MIN_WIDTH, MIN_HEIGHT = 640, 480  # below this the lock card and the pages are cut off
PAGE_KEYS = ("meetings", "checkin", "decks", "people", "partners", "sync", "audit")
# What a page needs; the page is not offered (nor reachable by shortcut) without it. The
# services refuse regardless: this only keeps people from meeting a refusal.
PAGE_ACTION = {
    "meetings": Action.MANAGE_MEETINGS,
    "checkin": Action.CHECK_IN,
    "decks": Action.REVIEW_DECKS,
    "people": Action.VIEW_ROSTER,
    "partners": Action.MANAGE_PARTNERS,
    "sync": Action.SYNC,
    "audit": Action.VIEW_AUDIT,
}


class MainWindow(QMainWindow):
    """Emits ``ready`` once the first page shows its data (tests and the start-up benchmark)."""

    ready = Signal()
    loaded = Signal(str)  # page key, each time a page received fresh data
    locked = Signal()  # the chapter data left the screen (Ctrl+L, idle, start-up)
    unlocked = Signal()  # someone signed in, or a kiosk started

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
        self._sign_in_hint = ""
        self._sign_in_login = ""
        self._kiosk_meeting: MeetingRow | None = None

        self._built: dict[str, QWidget] = {}
        self._allowed_pages: set[str] = set()
        self._epoch = 0  # bumped whenever the pages are discarded; see _alive

        titles = [
            self.tr("Meetings"),
            self.tr("Check-in"),
            self.tr("Decks"),
            self.tr("People"),
            self.tr("Partners"),
            self.tr("Sync"),
            self.tr("Audit"),
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

        self.kiosk_banner = self._build_kiosk_banner()
        self.workspace = QWidget()
        self.workspace.setObjectName("workspace")
        row = QHBoxLayout()
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        column = QVBoxLayout(self.workspace)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.kiosk_banner)
        column.addLayout(row, 1)

        # Nobody is signed in until someone signs in: the lock screen is the first thing shown.
        self.lock_screen = LockScreen()
        self.lock_screen.setEnabled(False)  # until the store is open
        self.lock_screen.sign_in_requested.connect(self._sign_in)
        self.lock_screen.set_up_requested.connect(self._set_up)
        self.lock_screen.back_requested.connect(self._back_to_kiosk)
        self.screens = QStackedWidget()
        self.screens.addWidget(self.lock_screen)
        self.screens.addWidget(self.workspace)
        self.setCentralWidget(self.screens)

        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self._on_idle)

        # Sync rounds run in a pool of their own (one thread: a slow network never holds up a
        # page's load); the status reads share the pages' pool.
        self.sync_scheduler = SyncScheduler(
            TaskRunner(self, max_threads=1),
            status_runner=runner,
            guard=self._as_submitted,
            parent=self,
        )
        self.sync_scheduler.status_changed.connect(self._show_sync_status)
        self.sync_scheduler.update_needed.connect(self._show_update_needed)
        self.sync_scheduler.chapters_removed.connect(self._reload_after_wipe)
        self.sync_scheduler.data_changed.connect(self._after_sync_pull)
        self.sync_scheduler.device_revoked.connect(self._show_device_revoked)
        self.sync_scheduler.busy_changed.connect(self._show_sync_busy)
        self.sync_scheduler.round_finished.connect(self._show_sync_round)

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
        toolbar.hide()  # shown once someone is signed in
        self.addToolBar(toolbar)
        self.chapter_toolbar = toolbar

        self._build_menus(titles)
        self._offer_no_pages()
        self._build_status_bar()
        self._restore_settings()
        self._update_title()

    # ----------------------------------------------------------------- construction
    def _build_kiosk_banner(self) -> QWidget:
        banner = QWidget()
        banner.setObjectName("kioskBanner")
        banner.setStyleSheet("#kioskBanner { background: #1e3a8a; } QLabel { color: white; }")
        self.kiosk_label = PlainLabel()
        font = self.kiosk_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.kiosk_label.setFont(font)
        end = QPushButton(self.tr("End kiosk mode… (Ctrl+L)"))
        end.setObjectName("endKiosk")
        end.clicked.connect(self.lock)
        row = QHBoxLayout(banner)
        row.setContentsMargins(12, 6, 12, 6)
        row.addWidget(self.kiosk_label, 1)
        row.addWidget(end)
        banner.hide()
        return banner

    def _build_menus(self, titles: list[str]) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.kiosk_action = QAction(self.tr("Hand over as check-in &kiosk…"), self)
        self.kiosk_action.setShortcut(QKeySequence("Ctrl+Shift+K"))
        self.kiosk_action.setToolTip(
            self.tr(
                "A volunteer checks people in for the meeting on the Check-in page: names and "
                "companies only, nothing else reachable until a leader signs in (ROS-1)."
            )
        )
        self.kiosk_action.triggered.connect(self.start_kiosk)
        file_menu.addAction(self.kiosk_action)
        self.accounts_action = QAction(self.tr("&Accounts…"), self)
        self.accounts_action.triggered.connect(self.open_accounts)
        file_menu.addAction(self.accounts_action)
        self.new_chapter_action = QAction(self.tr("&New chapter…"), self)
        self.new_chapter_action.setToolTip(
            self.tr("Start another chapter on this laptop (this laptop's own leader).")
        )
        self.new_chapter_action.triggered.connect(self.new_chapter)
        file_menu.addAction(self.new_chapter_action)
        self.settings_action = QAction(self.tr("Chapter &settings…"), self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.setToolTip(
            self.tr("Partner limits (MTG-5, ESC-5), idle lock, retention and the slide template.")
        )
        self.settings_action.triggered.connect(self.open_settings)
        file_menu.addAction(self.settings_action)
        self.password_action = QAction(self.tr("Change &password…"), self)
        self.password_action.triggered.connect(self.open_password)
        file_menu.addAction(self.password_action)
        self.sync_action = QAction(self.tr("&Sync now"), self)
        self.sync_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.sync_action.setToolTip(
            self.tr("Send and receive changes with the chapter server now.")
        )
        self.sync_action.triggered.connect(self.sync_now)
        self.addAction(self.sync_action)
        file_menu.addAction(self.sync_action)
        self.lock_action = QAction(self.tr("&Lock"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        self.addAction(self.lock_action)  # works while the menu bar is hidden (kiosk)
        file_menu.addAction(self.lock_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        self.go_menu = go_menu = self.menuBar().addMenu(self.tr("&Go"))
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
        guide = QAction(self.tr("&User guide"), self)
        guide.setShortcut(QKeySequence.StandardKey.HelpContents)
        guide.triggered.connect(self.show_guide)
        help_menu.addAction(guide)
        about = QAction(self.tr("&About ChapterDesk"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.account_label = PlainLabel()
        self.account_label.setObjectName("signedInAs")
        self.account_label.setContentsMargins(8, 0, 8, 0)
        # Online or not, the last sync, what waits to go out; a click opens the Sync page.
        self.sync_indicator = SyncIndicator()
        self.sync_indicator.clicked.connect(lambda: self.show_page("sync"))
        bar.addPermanentWidget(self.account_label)
        bar.addPermanentWidget(self.sync_indicator)
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
        """The last size and place, but never smaller than the pages need: a geometry saved on
        another screen (or by a window manager that shrank it) must not cramp the door desk."""
        screen = self.screen().availableGeometry()
        # A minimum size, not a resize: Qt applies a restored geometry again when the window
        # is first shown (xcb), and only a size constraint holds through that.
        self.setMinimumSize(min(MIN_WIDTH, screen.width()), min(MIN_HEIGHT, screen.height()))
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        last = str(self.settings.value("window/page", "meetings"))
        self._initial_page = last if last in PAGE_KEYS else "meetings"

    # ------------------------------------------------------------------- start-up
    def attach(
        self,
        desk: Desk,
        initial_chapter: str | None = None,
        *,
        sign_in_hint: str = "",
        sign_in_login: str = "",
    ) -> None:
        """Connect the window to an open store. With nobody signed in yet the lock screen asks
        for an account (or, on a new laptop, creates the first one); once someone is, the
        chapter list and the remembered page load in workers."""
        self.desk = desk
        self.facts = desk.facts()
        self._initial_chapter = initial_chapter
        self._sign_in_hint = sign_in_hint
        self._sign_in_login = sign_in_login
        if not self.facts.encrypted:
            self._show_encryption_warning()
        self._update_title()
        self.opening_label.hide()
        if desk.signed_in is not None:
            self._enter_workspace()
        else:
            self._submit("accounts", desk.has_accounts, self._show_lock_form)

    # --------------------------------------------------------------- sign-in, lock, kiosk
    @property
    def actor(self) -> Actor | None:
        return self.desk.signed_in if self.desk is not None else None

    def _show_lock_form(self, has_accounts: bool) -> None:
        self.lock_screen.setEnabled(True)
        if has_accounts:
            self.lock_screen.show_sign_in(self._sign_in_hint, self._sign_in_login)
        else:
            self.lock_screen.show_set_up()
        self._announce_ready()  # the window is usable: it waits for a person

    def _sign_in(self, login: str, password: str) -> None:
        desk = self.desk
        if desk is not None:
            self.runner.submit(
                lambda: desk.sign_in(login, password),
                self._alive(lambda _actor: self._enter_workspace()),
                self._alive(self._sign_in_failed),
            )

    def _set_up(self, name: str, login: str, password: str) -> None:
        desk = self.desk
        if desk is not None:
            self.runner.submit(
                lambda: desk.set_up_laptop(name, login, password),
                self._alive(lambda _actor: self._enter_workspace()),
                self._alive(self._sign_in_failed),
            )

    def _sign_in_failed(self, exc: BaseException) -> None:
        if isinstance(exc, EXPECTED):
            self.lock_screen.show_error(str(exc))
        else:
            self.lock_screen.show_error(self.tr("Sign-in failed."))
            self.show_error(exc)

    def _enter_workspace(self) -> None:
        """Someone is signed in (or a kiosk started): offer exactly the pages their role may
        use, then load the chapters they may see."""
        desk, actor = self.desk, self.actor
        if desk is None or actor is None:
            return
        self._discard_pages()
        kiosk = actor.kiosk
        allowed = {key for key in PAGE_KEYS if allows(actor, PAGE_ACTION[key])}
        if kiosk:
            allowed = {"checkin"}
        for number, key in enumerate(PAGE_KEYS):
            item = self.nav.item(number)
            item.setHidden(key not in allowed)
            self.page_actions[number].setEnabled(key in allowed)
        self._allowed_pages = allowed
        if self._initial_page not in allowed:
            self._initial_page = next(k for k in PAGE_KEYS if k in allowed)
        self.nav.setVisible(not kiosk)
        self.chapter_toolbar.setVisible(not kiosk)
        self.menuBar().setVisible(not kiosk)
        self.go_menu.setEnabled(not kiosk)
        self.kiosk_action.setEnabled(allows(actor, Action.START_KIOSK))
        self.accounts_action.setEnabled(allows(actor, Action.MANAGE_ACCOUNTS))
        self.settings_action.setEnabled("meetings" in allowed and not kiosk)
        self.new_chapter_action.setEnabled(_starts_chapters(actor))
        self.password_action.setEnabled(not kiosk)
        self.kiosk_banner.setVisible(kiosk)
        if kiosk and self._kiosk_meeting is not None:
            self.kiosk_label.setText(
                self.tr("Check-in kiosk — {meeting}").format(meeting=self._kiosk_meeting.title)
            )
        self.account_label.setText(
            self.tr("{name} — volunteer rights: names and companies only").format(
                name=actor.display_name
            )
            if kiosk
            else self.tr("Signed in: {name} ({role})").format(
                name=actor.display_name, role=actor.role.value.replace("_", "-")
            )
        )
        self.screens.setCurrentWidget(self.workspace)
        self.lock_screen.setEnabled(True)
        if kiosk:
            self.idle.stop()  # the volunteer has no account to unlock with; Ctrl+L still works
        else:
            self.idle.start()
        self._stale = set(PAGE_KEYS)
        self._update_title()
        self.unlocked.emit()
        self._submit("chapters", desk.chapters, self._on_chapters)
        self.sync_action.setEnabled("sync" in allowed)
        self.sync_scheduler.start(desk)  # every signed-in desk's changes go out, kiosk too

    def _discard_pages(self) -> None:
        """Pages hold chapter data in their models: they are destroyed, not just hidden, when
        the window locks or changes hands. Open dialogs go with them."""
        self._epoch += 1  # results still on their way belong to the previous screen
        self.statusBar().clearMessage()  # a notice may name people
        for dialog in self.findChildren(QDialog):
            dialog.reject()
            dialog.deleteLater()  # hidden is not gone: its fields may hold names
        for key, built in list(self._built.items()):
            index = PAGE_KEYS.index(key)
            stand_in = QWidget()
            self.stack.insertWidget(index, stand_in)
            self.stack.removeWidget(built)
            built.deleteLater()
        self._built.clear()
        self._chapters = []
        self.chapter_picker.blockSignals(True)
        self.chapter_picker.clear()
        self.chapter_picker.blockSignals(False)

    def lock(self) -> None:
        """Ctrl+L, the idle timer, or "End kiosk mode": the data leaves the screen. A kiosk
        keeps running behind the leader's sign-in form until a leader signs in."""
        desk, actor = self.desk, self.actor
        if desk is None or actor is None:
            return
        if actor.kiosk:
            title = self._kiosk_meeting.title if self._kiosk_meeting else ""
            self.lock_screen.show_leave_kiosk(title)
            self.screens.setCurrentWidget(self.lock_screen)
            return
        desk.lock()
        self.idle.stop()
        self.sync_scheduler.stop()  # no round, and no round's result, behind the lock
        self._initial_page = self.current_page()  # where the next sign-in comes back to
        self._discard_pages()
        self.sync_indicator.show_paused()
        self._offer_no_pages()
        self.nav.hide()
        self.chapter_toolbar.hide()
        self.account_label.clear()
        self.lock_screen.show_sign_in(login=self._sign_in_login)
        self.screens.setCurrentWidget(self.lock_screen)
        self._update_title()
        self.locked.emit()

    def _offer_no_pages(self) -> None:
        self._allowed_pages = set()
        for action in (
            *self.page_actions,
            self.kiosk_action,
            self.accounts_action,
            self.settings_action,
            self.new_chapter_action,
            self.password_action,
            self.sync_action,
        ):
            action.setEnabled(False)

    def is_locked(self) -> bool:
        return self.screens.currentWidget() is self.lock_screen

    def _back_to_kiosk(self) -> None:
        if self.actor is not None and self.actor.kiosk:
            self.screens.setCurrentWidget(self.workspace)
            self.checkin_page.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_idle(self) -> None:
        actor = self.actor
        if actor is not None and not actor.kiosk and not self.is_locked():
            log.info("locked after %d idle minutes", self.idle.minutes)
            self.lock()

    def open_accounts(self) -> QDialog | None:
        """Leaders add co-leaders and volunteers and assign volunteers to meetings."""
        chapter, actor = self.current_chapter(), self.actor
        if chapter is None or actor is None or not allows(actor, Action.MANAGE_ACCOUNTS):
            return None
        from chapterdesk.ui.accounts_dialog import AccountsDialog

        def show(meetings: list[MeetingRow]) -> None:
            dialog = AccountsDialog(self.run, chapter.id, chapter.label, meetings, self)
            dialog.open()

        self.run(lambda desk: desk.meetings(chapter.id), show)
        return None

    def new_chapter(self) -> QDialog | None:
        """Another chapter on this laptop: its leader names the user group and the chapter."""
        actor = self.actor
        if actor is None or not _starts_chapters(actor):
            return None
        from chapterdesk.domain.communities import COMMUNITIES
        from chapterdesk.ui.common.forms import FormDialog

        dialog = FormDialog(self.tr("New chapter"), self)
        group = dialog.combo(self.tr("&User group:"), [(name, code) for code, name in COMMUNITIES])
        name = dialog.line(self.tr("&Chapter:"))
        name.setObjectName("newChapterName")
        name.setPlaceholderText(self.tr("usually the city, e.g. Ottawa"))
        region = dialog.line(self.tr("Re&gion:"))
        region.setPlaceholderText(self.tr("optional"))
        name.setFocus()

        def create() -> None:
            code, title, where = str(group.currentData()), name.text(), region.text()
            self.run(lambda d: d.create_chapter(code, title, where), self._chapter_created)

        dialog.accepted.connect(create)
        dialog.open()
        return dialog

    def _chapter_created(self, chapter: ChapterSummary) -> None:
        self._initial_chapter = chapter.id
        self.statusBar().showMessage(
            self.tr("{chapter} started. Its settings have the defaults of the rules.").format(
                chapter=chapter.label
            ),
            10000,
        )
        desk = self.desk
        if desk is not None:
            self._submit("chapters", desk.chapters, self._on_chapters)

    def open_settings(self) -> None:
        """The chapter's policy values, from the menu as from the Meetings page."""
        if "meetings" not in self._allowed_pages or self.current_chapter() is None:
            return
        self.show_page("meetings")
        self.meetings_page.edit_limits()

    def open_password(self) -> QDialog | None:
        if self.actor is None or self.actor.kiosk:
            return None
        from chapterdesk.ui.accounts_dialog import PasswordDialog

        dialog = PasswordDialog(self.run, self)
        dialog.open()
        return dialog

    def start_kiosk(self) -> None:
        """Hand the laptop to a volunteer for the meeting chosen on the Check-in page."""
        desk, actor = self.desk, self.actor
        if desk is None or actor is None or not allows(actor, Action.START_KIOSK):
            return
        meeting = self.checkin_page.current_meeting() if "checkin" in self._built else None
        if self.current_page() != "checkin" or meeting is None:
            self.show_page("checkin")
            self.statusBar().showMessage(
                self.tr("Choose the meeting on the Check-in page, then start the kiosk."), 10000
            )
            return
        self._kiosk_meeting = meeting
        self._initial_page = "checkin"
        self.runner.submit(
            lambda: desk.start_kiosk(meeting.id),
            self._alive(lambda _actor: self._enter_workspace()),
            self._alive(self.show_error),
        )

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
        self.page(self._initial_page)
        self.stack.setCurrentIndex(PAGE_KEYS.index(self._initial_page))
        self._load_current_page()
        self._load_idle_minutes()
        if not chapters:
            actor = self.actor
            if actor is not None and _starts_chapters(actor):
                self.statusBar().showMessage(
                    self.tr(
                        "No chapter on this laptop yet: File → New chapter…, or connect to "
                        "your chapter's server on the Sync page."
                    )
                )
            self._announce_ready()

    def _load_idle_minutes(self) -> None:
        """ROS-5: each chapter sets how long an idle laptop stays unlocked."""
        chapter, desk = self.current_chapter(), self.desk
        if chapter is None or desk is None:
            return

        def apply(settings: ChapterSettings) -> None:
            self.idle.set_minutes(settings.idle_lock_minutes)

        self._submit("idle", lambda: desk.chapter_settings(chapter.id), apply)

    # ------------------------------------------------------------------ navigation
    def show_page(self, key: str) -> None:
        """Switch page (shortcut or menu) and put the keyboard in it, so typing searches.
        A page the signed-in role may not use is not shown (kiosk: only the check-in desk)."""
        if key not in self._allowed_pages:
            return
        self.nav.setCurrentRow(PAGE_KEYS.index(key))
        self.page(key).setFocus(Qt.FocusReason.ShortcutFocusReason)

    def current_page(self) -> str:
        return PAGE_KEYS[max(self.stack.currentIndex(), 0)]

    def current_chapter(self) -> ChapterSummary | None:
        index = self.chapter_picker.currentIndex()
        return self._chapters[index] if 0 <= index < len(self._chapters) else None

    def refresh(self) -> None:
        if self.desk is None or self.actor is None:
            return
        self._stale = set(PAGE_KEYS)
        self._load_current_page()
        self.sync_scheduler.refresh_status()

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
            from chapterdesk.ui.people.roster_page import RosterPage

            roster = RosterPage()
            roster.changed.connect(self._after_write)
            roster.notice.connect(lambda text: self.statusBar().showMessage(text, 15000))
            return roster
        if key == "audit":
            from chapterdesk.ui.audit.page import AuditPage

            audit = AuditPage()
            audit.changed.connect(self._after_write)
            audit.notice.connect(lambda text: self.statusBar().showMessage(text, 15000))
            return audit
        if key == "partners":
            from chapterdesk.ui.partners.page import PartnersPage

            partners = PartnersPage()
            partners.changed.connect(self._after_write)
            partners.notice.connect(lambda text: self.statusBar().showMessage(text, 15000))
            return partners
        if key == "decks":
            from chapterdesk.ui.decks.page import DecksPage

            decks = DecksPage()
            decks.changed.connect(self._after_write)
            decks.notice.connect(lambda text: self.statusBar().showMessage(text, 15000))
            return decks
        if key == "sync":
            from chapterdesk.ui.sync.page import SyncPage

            sync = SyncPage()
            sync.sync_requested.connect(self.sync_now)
            sync.server_changed.connect(self.sync_scheduler.restart)
            sync.changed.connect(self.sync_scheduler.refresh_status)
            sync.notice.connect(lambda text: self.statusBar().showMessage(text, 15000))
            sync.set_update_needed(self.sync_scheduler.update_required)
            sync.set_busy(self.sync_scheduler.busy)
            if self.sync_scheduler.last_status is not None:
                sync.set_status(self.sync_scheduler.last_status)
            return sync
        raise KeyError(key)

    @property
    def pages(self) -> dict[str, QWidget]:
        return {key: self.page(key) for key in PAGE_KEYS}

    @property
    def meetings_page(self) -> MeetingsPage:
        return cast("MeetingsPage", self.page("meetings"))

    @property
    def roster_page(self) -> RosterPage:
        return cast("RosterPage", self.page("people"))

    @property
    def people_page(self) -> PeoplePage:
        return self.roster_page.people

    @property
    def checkin_page(self) -> CheckInPage:
        return cast("CheckInPage", self.page("checkin"))

    @property
    def sync_page(self) -> SyncPage:
        return cast("SyncPage", self.page("sync"))

    def _on_page_changed(self, row: int) -> None:
        if row < 0 or PAGE_KEYS[row] not in self._allowed_pages:
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
        self._load_idle_minutes()

    def _load_current_page(self) -> None:
        key = self.current_page()
        chapter = self.current_chapter()
        desk = self.desk
        if key == "sync" and desk is not None and self.actor is not None:
            # Read afresh on every visit; a new laptop has no chapter until its first sync.
            self._stale.discard(key)
            self.sync_page.bind(self.run)
            self.sync_scheduler.refresh_status()
            self._announce_ready()
            return
        if desk is None or chapter is None or key not in self._stale or self.actor is None:
            return
        self._stale.discard(key)
        if key == "meetings":
            self.meetings_page.bind(self.run, chapter.id)
            self._submit(key, lambda: desk.meetings(chapter.id), self.meetings_page.set_rows)
        elif key == "people":
            roster = self.roster_page
            roster.bind(
                self.run, chapter.id, can_edit=allows(self.actor, Action.EDIT_ROSTER, chapter.id)
            )
            # ROS-4: the export is offered to those the service would let export this chapter.
            roster.people.set_can_export(allows(self.actor, Action.EXPORT_ROSTER, chapter.id))
            self._submit(key, lambda: desk.people(chapter.id), roster.set_rows)
        elif key == "decks":
            cast("DecksPage", self.page("decks")).bind(self.run, chapter.id)
            self._announce_ready()
        elif key == "audit":
            cast("AuditPage", self.page("audit")).bind(self.run, chapter.id)
            self._announce_ready()
        elif key == "partners":
            cast("PartnersPage", self.page("partners")).bind(self.run, chapter.id)
            self._announce_ready()
        elif key == "checkin":
            self._submit(key, lambda: desk.meetings(chapter.id), self._show_desk_meetings)
        else:
            self._announce_ready()

    def _show_desk_meetings(self, rows: list[MeetingRow]) -> None:
        chapter = self.current_chapter()
        self.checkin_page.set_meetings(rows, chapter.id if chapter else None)
        kiosk = self._kiosk_meeting
        if self.actor is not None and self.actor.kiosk and kiosk is not None:
            self.checkin_page.choose_meeting(kiosk.id)

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
            self._as_submitted(lambda: job(desk)),
            self._alive(done),
            self._alive(failed or self.show_error),
        )

    def _as_submitted(self, job: Callable[[], Any]) -> Callable[[], Any]:
        """A queued job runs only for the person who asked for it: if the window locked or
        changed hands before a worker picked it up, it is refused, not run as the next one."""
        desk = self.desk
        asked_by = desk.signed_in if desk is not None else None

        def guarded() -> Any:
            if desk is not None and desk.signed_in is not asked_by:
                raise PermissionDenied(self.tr("Not done: the window was locked meanwhile."))
            return job()

        return guarded

    def _alive(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        """A result that arrives after the window closed, or after the pages it was meant for
        were discarded (lock, kiosk, sign-in), is dropped, not delivered to deleted widgets or
        to the next person's screen."""
        epoch = self._epoch

        def deliver(value: Any) -> None:
            if isValid(self) and self._epoch == epoch:
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
            self.sync_scheduler.refresh_status()  # one more change waits to go out

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
        self.runner.submit(self._as_submitted(job), self._alive(on_result), self._alive(on_error))

    def _announce_ready(self) -> None:
        if not self._ready_sent:
            self._ready_sent = True
            self.ready.emit()

    # ------------------------------------------------------------------------ sync
    def sync_now(self) -> None:
        """Ctrl+Shift+S, or Sync now on the Sync page: a round now (or right after the one
        running). Offered to those the Sync page is offered to."""
        if "sync" in self._allowed_pages:
            self.sync_scheduler.sync_now()

    def _show_sync_status(self, status: SyncStatus) -> None:
        self.sync_indicator.set_status(status)
        if "sync" in self._built:
            self.sync_page.set_status(status)

    def _show_update_needed(self, message: str) -> None:
        """426: said in the status bar for good (and on the Sync page) until a round passes."""
        self.sync_indicator.set_update_needed(message)
        if "sync" in self._built:
            self.sync_page.set_update_needed(message)
        if message:
            self.statusBar().showMessage(message, 15000)

    def _show_sync_busy(self, busy: bool) -> None:
        if "sync" in self._built:
            self.sync_page.set_busy(busy)

    def _show_sync_round(self, outcome: SyncRound) -> None:
        if "sync" in self._built:
            self.sync_page.show_round(outcome)
        if outcome.manual and self.current_page() != "sync":
            from chapterdesk.ui.sync.page import round_summary  # no SQLAlchemy behind it

            self.statusBar().showMessage(round_summary(outcome), 10000)

    def _after_sync_pull(self) -> None:
        """A round brought rows: every page's figures may be stale, and the list of chapters
        too (a chapter granted to this laptop arrives with its first sync)."""
        desk = self.desk
        if desk is None or self.actor is None:
            return
        self.refresh()
        if not self.actor.kiosk:
            self._submit("sync-chapters", desk.chapters, self._on_chapters_synced)

    def _on_chapters_synced(self, chapters: list[ChapterSummary]) -> None:
        if [(c.id, c.label) for c in chapters] == [(c.id, c.label) for c in self._chapters]:
            return
        current = self.current_chapter()
        self._chapters = chapters
        index = next((i for i, c in enumerate(chapters) if current and c.id == current.id), 0)
        self.chapter_picker.blockSignals(True)
        self.chapter_picker.clear()
        for chapter in chapters:
            self.chapter_picker.addItem(chapter.label, chapter.id)
        self.chapter_picker.setCurrentIndex(index if chapters else -1)
        self.chapter_picker.blockSignals(False)
        self._on_chapter_changed(index)

    def _reload_after_wipe(self) -> None:
        """Chapters were wiped from this laptop (a revoked device or scope): their rows leave
        the screen with the pages, and the chapter list is read again."""
        desk = self.desk
        if desk is None or self.actor is None:
            return
        if not self.actor.kiosk:
            self._initial_page = self.current_page()
        self._discard_pages()
        self._stale = set(PAGE_KEYS)
        self._submit("chapters", desk.chapters, self._on_chapters)

    def _show_device_revoked(self, message: str) -> None:
        """Said loudly: the chapter data on this laptop is gone, on purpose."""
        self.statusBar().showMessage(message, 30000)
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            self.tr("This laptop was disconnected by the server"),
            message,
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("deviceRevoked")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()

    # --------------------------------------------------------------------- display
    def _update_title(self) -> None:
        parts = ["ChapterDesk"]
        chapter = self.current_chapter()
        actor = self.actor
        if actor is None:
            parts.append(self.tr("Locked"))
        elif actor.kiosk:
            parts.append(self.tr("Check-in kiosk"))
        if chapter is not None and actor is not None:
            parts.append(chapter.label)
        if self.demo:
            parts.append(self.tr("DEMO DATA"))
        if self.facts is not None and not self.facts.encrypted:
            parts.append(self.tr("NOT ENCRYPTED"))
        self.setWindowTitle(" — ".join(parts))

    def show_guide(self) -> QDialog:
        """The user guide, beside the window (not modal: read it while you work)."""
        from chapterdesk.ui.guide import GuideDialog

        dialog = GuideDialog(self)
        dialog.show()
        return dialog

    def show_about(self) -> AboutDialog | None:
        if self.facts is None:
            return None
        dialog = AboutDialog(self.facts, self)
        dialog.setModal(True)
        dialog.show()
        return dialog

    def show_error(self, exc: BaseException) -> None:
        """One plain sentence for the user; the detail is in the log file."""
        if isinstance(exc, RuleViolation | PermissionDenied | NotFound | StoreError | SyncError):
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
        self.idle.stop()
        self.sync_scheduler.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        self.settings.setValue("window/geometry", self.saveGeometry())
        if self.actor is not None and not self.actor.kiosk:
            self.settings.setValue("window/page", self.current_page())
        self.settings.sync()
        super().closeEvent(event)


def _starts_chapters(actor: Actor) -> bool:
    """The laptop's own leader (every chapter) may start one; services/chapters checks again."""
    return actor.role is Role.LEADER and actor.all_chapters and not actor.kiosk
