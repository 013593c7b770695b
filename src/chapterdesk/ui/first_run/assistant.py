"""The first-run assistant: from an empty data folder to a working desk in a few pages.

Start (server, a new chapter offline, or the demo) → where the database key is kept (keyring
or passphrase, ROS-5) → the server's sign-in, or the new chapter and its leader → members from
the portal's export. Every step that writes runs in a worker; a page moves on only once its
work succeeded, and shows the refusal in words otherwise. Cancelling before an account exists
removes the store the assistant made; once the laptop has its leader, the rest is optional.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from shiboken6 import isValid

from chapterdesk.domain.communities import COMMUNITIES
from chapterdesk.store.keys import KeyringStatus
from chapterdesk.ui.common.tasks import EXPECTED, TaskRunner
from chapterdesk.ui.common.widgets import PlainLabel, password_field, problem_label
from chapterdesk.ui.lock_screen import MIN_PASSWORD
from chapterdesk.ui.passphrase import MIN_LENGTH as MIN_PASSPHRASE
from chapterdesk.ui.people.import_flow import MemberImport
from chapterdesk.ui.sync.sign_in_form import ServerSignInForm

if TYPE_CHECKING:
    from chapterdesk.services.desk import Desk
    from chapterdesk.services.views import ChapterSummary
    from chapterdesk.sync.status import SyncStatus

log = logging.getLogger(__name__)
CHAPTER_NAME_LIMIT = 200  # services/chapters says the same; this only guides typing


class Start(Enum):
    SERVER = "server"
    OFFLINE = "offline"
    DEMO = "demo"


PAGE_START, PAGE_KEY, PAGE_SERVER, PAGE_CHAPTER, PAGE_MEMBERS, PAGE_CONNECTED, PAGE_DEMO = range(7)


def _explanation(text: str) -> PlainLabel:
    label = PlainLabel(text)
    label.setWordWrap(True)
    return label


def _hint(text: str) -> PlainLabel:
    """The one sentence under a choice that says what it means."""
    label = _explanation(text)
    label.setIndent(26)
    label.setStyleSheet("color: #4b5563;")
    return label


def _focus_later(field: QWidget) -> None:
    """The wizard puts the focus on its buttons after a page is shown: take it back then,
    so a leader can type at once."""
    QTimer.singleShot(0, field, lambda: field.setFocus(Qt.FocusReason.OtherFocusReason))


class WorkingPage(QWizardPage):
    """A page whose Next runs a job in a worker and moves on only when it succeeded.

    ``validatePage`` cannot wait for a worker, so it starts the job and says no; the job's
    success marks the page done and presses Next again."""

    def __init__(self, assistant: FirstRunAssistant) -> None:
        super().__init__()
        self.assistant = assistant
        self.problem = problem_label(bold=True)
        self.problem.setObjectName("assistantProblem")
        self.done = False
        self.working = False

    def job(self) -> tuple[Callable[[], Any], Callable[[Any], None]] | None:
        """The work and what to do with its result; None when the form is not complete
        (the page has said why in ``problem``)."""
        raise NotImplementedError

    def fields(self) -> list[QWidget]:
        return []

    def validatePage(self) -> bool:  # noqa: N802 (Qt)
        if self.done:  # the job just succeeded; a later Next (after Back) looks again
            self.done = False
            return True
        if self.working:
            return False
        self.problem.clear()
        planned = self.job()
        if planned is None:
            return False
        work, then = planned
        self._set_working(True)

        def succeeded(result: Any) -> None:
            self._set_working(False)
            self.problem.clear()
            then(result)
            self.done = True
            self.assistant.next()

        def failed(exc: BaseException) -> None:
            self._set_working(False)
            if isinstance(exc, EXPECTED):
                self.problem.setText(str(exc))
            else:  # the runner logged it with the detail
                self.problem.setText(
                    self.tr("That did not work ({error}). The details are in the log file.").format(
                        error=type(exc).__name__
                    )
                )

        self.assistant.runner.submit(work, succeeded, failed)
        return False

    def _set_working(self, working: bool) -> None:
        self.working = working
        for widget in self.fields():
            widget.setEnabled(not working)
        for button in (
            QWizard.WizardButton.NextButton,
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.CommitButton,
            QWizard.WizardButton.CancelButton,
        ):
            self.assistant.button(button).setEnabled(not working)
        if working:
            self.problem.setText(self.tr("Working…"))


class StartPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Welcome to ChapterDesk"))
        self.setSubTitle(
            self.tr("Let's get this laptop ready for your chapter. It takes about a minute.")
        )
        self.server = QRadioButton(self.tr("&Connect to my chapter's server"))
        self.offline = QRadioButton(self.tr("Start &offline with a new, empty chapter"))
        self.demo = QRadioButton(self.tr("&Explore the demo chapter first"))
        self.group = QButtonGroup(self)
        for button in (self.server, self.offline, self.demo):
            self.group.addButton(button)
        self.server.setChecked(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.server)
        layout.addWidget(
            _hint(
                self.tr(
                    "Your user group runs a ChapterDesk server: sign in once, and the meetings "
                    "and roster of your chapters come to this laptop and stay in step."
                )
            )
        )
        layout.addSpacing(8)
        layout.addWidget(self.offline)
        layout.addWidget(
            _hint(
                self.tr(
                    "No server (yet): you become the chapter's leader on this laptop and can "
                    "import your members from the membership portal's export. You can connect "
                    "to a server later from the Sync page."
                )
            )
        )
        layout.addSpacing(8)
        layout.addWidget(self.demo)
        layout.addWidget(
            _hint(
                self.tr(
                    "Made-up people and meetings to try everything on. Nothing of it is kept: "
                    "the next start brings you back here."
                )
            )
        )
        layout.addStretch(1)
        self.group.buttonToggled.connect(lambda *_a: self.completeChanged.emit())

    def choice(self) -> Start:
        if self.demo.isChecked():
            return Start.DEMO
        return Start.OFFLINE if self.offline.isChecked() else Start.SERVER

    def nextId(self) -> int:  # noqa: N802 (Qt)
        return PAGE_DEMO if self.choice() is Start.DEMO else PAGE_KEY


class KeyPage(WorkingPage):
    """ROS-5: the roster on a lost laptop stays unreadable; the person chooses who holds the key."""

    def __init__(self, assistant: FirstRunAssistant, keyring: KeyringStatus) -> None:
        super().__init__(assistant)
        self.setTitle(self.tr("Protect the chapter data"))
        self.setSubTitle(
            self.tr(
                "Everything ChapterDesk keeps on this laptop is encrypted, so a lost laptop does "
                "not give away your members' contact data (ROS-5). Choose where the key is kept."
            )
        )
        self.keyring_status = keyring
        self.keyring = QRadioButton(self.tr("In this computer's &keyring (recommended)"))
        self.passphrase = QRadioButton(self.tr("Behind a &passphrase I type at every start"))
        self.group = QButtonGroup(self)
        self.group.addButton(self.keyring)
        self.group.addButton(self.passphrase)
        if keyring.usable:
            keyring_hint = self.tr(
                "A random key is kept in the system keyring ({backend}), which opens when you "
                "sign in to the computer: you type nothing more."
            ).format(backend=keyring.backend)
            self.keyring.setChecked(True)
        else:
            keyring_hint = self.tr(
                "Not available here: {reason}. Connecting to a server also needs the keyring, "
                "for this laptop's server key."
            ).format(reason=keyring.reason or self.tr("no keyring service is running"))
            self.keyring.setEnabled(False)
            self.passphrase.setChecked(True)
        self.first = password_field(self.tr("Passphrase"))
        self.second = password_field(self.tr("Repeat the passphrase"))
        form = QFormLayout()
        form.addRow(self.tr("Passphr&ase:"), self.first)
        form.addRow(self.tr("&Repeat it:"), self.second)
        self.passphrase_form = QWidget()
        self.passphrase_form.setLayout(form)
        form.setContentsMargins(26, 0, 0, 0)

        layout = QVBoxLayout(self)
        layout.addWidget(self.keyring)
        layout.addWidget(_hint(keyring_hint))
        layout.addSpacing(8)
        layout.addWidget(self.passphrase)
        layout.addWidget(
            _hint(
                self.tr(
                    "The key is made from a passphrase that is never stored: you type it each "
                    "time ChapterDesk starts, and without it nobody — not you either — can read "
                    "the data again. Use at least {n} characters."
                ).format(n=MIN_PASSPHRASE)
            )
        )
        layout.addWidget(self.passphrase_form)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        self.group.buttonToggled.connect(lambda *_a: self._show_fields())
        self._show_fields()
        self._made: str | None = None  # the key mode of the store made (never the passphrase)

    def _show_fields(self) -> None:
        chosen = self.passphrase.isChecked()
        self.passphrase_form.setEnabled(chosen)
        self.problem.clear()
        if chosen and self.isVisible():
            self.first.setFocus()

    def fields(self) -> list[QWidget]:
        return [self.keyring, self.passphrase, self.passphrase_form]

    def initializePage(self) -> None:  # noqa: N802 (Qt)
        """Without a keyring the passphrase is the only way: the cursor waits in its field."""
        _focus_later(self.first if self.passphrase.isChecked() else self.keyring)

    def job(self) -> tuple[Callable[[], Any], Callable[[Any], None]] | None:
        mode = "passphrase" if self.passphrase.isChecked() else "keyring"
        secret = self.first.text() if mode == "passphrase" else ""
        if mode == "passphrase" and not (self._made == mode and not secret):
            if len(secret) < MIN_PASSPHRASE:
                self.problem.setText(
                    self.tr("Use at least {n} characters for the passphrase.").format(
                        n=MIN_PASSPHRASE
                    )
                )
                self.first.setFocus()
                return None
            if secret != self.second.text():
                self.problem.setText(self.tr("The two passphrases differ. Type them again."))
                self.second.clear()
                self.second.setFocus()
                return None
        assistant = self.assistant
        if assistant.desk is not None and self._made == mode and not self.first.text():
            return (lambda: assistant.desk), lambda _desk: None  # made already (Back, Next)
        old = assistant.desk
        folder = assistant.folder

        def create() -> Desk:
            from chapterdesk.services.first_start import create_local_store, discard_new_store

            if old is not None and not discard_new_store(old):
                return old  # it holds an account already: kept (the commit pages prevent it)
            return create_local_store(folder, mode, secret or None)  # type: ignore[arg-type]

        def made(desk: Desk) -> None:
            assistant.desk = desk
            self._made = mode
            self.first.clear()  # the passphrase leaves the form once the key is made
            self.second.clear()

        assistant.desk = None
        return create, made

    def nextId(self) -> int:  # noqa: N802 (Qt)
        return PAGE_SERVER if self.assistant.start_page.choice() is Start.SERVER else PAGE_CHAPTER


class ServerPage(WorkingPage):
    def __init__(self, assistant: FirstRunAssistant) -> None:
        super().__init__(assistant)
        self.setTitle(self.tr("Connect to your chapter's server"))
        self.setSubTitle(
            self.tr(
                "Sign in with your chapter account. The same login and password will unlock "
                "ChapterDesk on this laptop, even offline at a venue."
            )
        )
        self.setCommitPage(True)  # the laptop is set up: no way back to a different start
        self.form = ServerSignInForm()
        self.url, self.login = self.form.url, self.form.login
        self.password, self.device = self.form.password, self.form.device
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(
            _hint(
                self.tr(
                    "The server gives this laptop a key of its own, kept in the system keyring. "
                    "Your password is stored nowhere, only a verifier that lets it unlock this "
                    "laptop offline. The laptop's name is how it appears in the server's list of "
                    "devices, where a leader can revoke it if the laptop is lost."
                )
            )
        )
        layout.addWidget(self.problem)
        layout.addStretch(1)
        self.status: SyncStatus | None = None

    def initializePage(self) -> None:  # noqa: N802 (Qt)
        _focus_later(self.url)

    def fields(self) -> list[QWidget]:
        return self.form.fields()

    def job(self) -> tuple[Callable[[], Any], Callable[[Any], None]] | None:
        status = self.assistant.key_page.keyring_status
        if not status.usable:  # said before the server registers a device it cannot keep
            self.problem.setText(
                self.tr(
                    "Connecting needs the system keyring, which keeps this laptop's server key, "
                    "and it is not available here ({reason}). Start the keyring service and "
                    "start ChapterDesk again, or go Back and start offline: you can connect "
                    "later from the Sync page."
                ).format(reason=status.reason or status.backend)
            )
            return None
        entered = self.form.read(self.problem)
        if entered is None:
            return None
        desk = self.assistant.desk
        assert desk is not None

        def connected(result: tuple[Any, SyncStatus]) -> None:
            self.status = result[1]
            self.assistant.set_up_done()

        return (
            lambda: desk.set_up_from_server(
                entered.url, entered.login, entered.password, entered.device
            )
        ), connected

    def nextId(self) -> int:  # noqa: N802 (Qt)
        return PAGE_CONNECTED


class ChapterPage(WorkingPage):
    def __init__(self, assistant: FirstRunAssistant) -> None:
        super().__init__(assistant)
        self.setTitle(self.tr("Your chapter and your account"))
        self.setSubTitle(
            self.tr(
                "You lead this chapter on this laptop. Your password unlocks ChapterDesk; it is "
                "never stored, only a verifier that proves it, and the window locks itself when "
                "you step away (ROS-5)."
            )
        )
        self.setCommitPage(True)
        self.community = QComboBox()
        for code, name in COMMUNITIES:
            self.community.addItem(name, code)
        self.community.setAccessibleName(self.tr("User group"))
        self.chapter = QLineEdit()
        self.chapter.setPlaceholderText(self.tr("usually the city, e.g. Ottawa"))
        self.chapter.setAccessibleName(self.tr("Chapter name"))
        self.region = QLineEdit()
        self.region.setPlaceholderText(self.tr("optional, e.g. Ontario, Canada"))
        self.region.setAccessibleName(self.tr("Region"))
        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("Your name"))
        self.login = QLineEdit()
        self.login.setPlaceholderText(self.tr("you@example.org"))
        self.login.setAccessibleName(self.tr("Login (email address)"))
        self.password = password_field(self.tr("Password"))
        self.repeat = password_field(self.tr("Repeat the password"))
        form = QFormLayout()
        form.addRow(self.tr("&User group:"), self.community)
        form.addRow(self.tr("&Chapter:"), self.chapter)
        form.addRow(self.tr("Re&gion:"), self.region)
        form.addRow(self.tr("Your &name:"), self.name)
        form.addRow(self.tr("&Login:"), self.login)
        form.addRow(self.tr("&Password:"), self.password)
        form.addRow(self.tr("&Repeat it:"), self.repeat)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        self.chapter_made: ChapterSummary | None = None

    def initializePage(self) -> None:  # noqa: N802 (Qt)
        _focus_later(self.chapter)  # the group is usually right; the name never is yet

    def fields(self) -> list[QWidget]:
        return [
            self.community,
            self.chapter,
            self.region,
            self.name,
            self.login,
            self.password,
            self.repeat,
        ]

    def job(self) -> tuple[Callable[[], Any], Callable[[Any], None]] | None:
        code = str(self.community.currentData())
        chapter, region = self.chapter.text().strip(), self.region.text().strip()
        name, login = self.name.text().strip(), self.login.text().strip()
        password = self.password.text()
        if len(chapter) > CHAPTER_NAME_LIMIT or len(region) > CHAPTER_NAME_LIMIT:
            self.problem.setText(
                self.tr("Keep the chapter's name and region under {n} characters.").format(
                    n=CHAPTER_NAME_LIMIT
                )
            )
            return None
        for field, value, message in (
            (self.chapter, chapter, self.tr("Type the chapter's name, usually its city.")),
            (self.name, name, self.tr("Type your name.")),
            (self.login, login, self.tr("Type your login (your email address).")),
        ):
            if not value:
                self.problem.setText(message)
                field.setFocus()
                return None
        if len(password) < MIN_PASSWORD:
            self.problem.setText(
                self.tr("Use at least {n} characters for your password.").format(n=MIN_PASSWORD)
            )
            self.password.setFocus()
            return None
        if password != self.repeat.text():
            self.problem.setText(self.tr("The two passwords differ. Type them again."))
            self.repeat.clear()
            self.repeat.setFocus()
            return None
        desk = self.assistant.desk
        assert desk is not None

        def set_up() -> ChapterSummary:
            return desk.set_up_with_chapter(name, login, password, code, chapter, region)

        def made(summary: ChapterSummary) -> None:
            self.chapter_made = summary
            self.password.clear()
            self.repeat.clear()
            self.assistant.set_up_done()

        return set_up, made

    def nextId(self) -> int:  # noqa: N802 (Qt)
        return PAGE_MEMBERS


class MembersPage(QWizardPage):
    def __init__(self, assistant: FirstRunAssistant) -> None:
        super().__init__()
        self.assistant = assistant
        self.setTitle(self.tr("Bring in your members"))
        self.setSubTitle(self.tr("From the membership portal's export, a CSV or Excel file."))
        self.import_button = QPushButton(self.tr("&Import members from a file…"))
        self.import_button.clicked.connect(self.choose_file)
        self.result = PlainLabel()
        self.result.setObjectName("assistantImportResult")
        self.result.setWordWrap(True)
        self.result.setStyleSheet("font-weight: 600;")
        layout = QVBoxLayout(self)
        layout.addWidget(
            _explanation(
                self.tr(
                    "You see the file's first rows, choose which field each column holds, and "
                    "see every row that would be rejected and why — before anything is saved. "
                    "The good rows are added together or not at all."
                )
            )
        )
        layout.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.result)
        layout.addWidget(
            _hint(
                self.tr(
                    "You can also do this later (People → Import…), or add people one by one. "
                    "Finish opens the chapter."
                )
            )
        )
        layout.addStretch(1)
        self.member_import: MemberImport | None = None

    def choose_file(self) -> None:
        self.member_import = self._flow()
        if self.member_import is not None:
            self.member_import.choose_file()

    def read(self, path: Path) -> None:
        """Import ``path`` as if it had been chosen in the file dialog."""
        self.member_import = self._flow()
        if self.member_import is not None:
            self.member_import.read(path)

    def _flow(self) -> MemberImport | None:
        desk = self.assistant.desk
        made = self.assistant.chapter_page.chapter_made
        if desk is None or made is None:
            return None
        runner = self.assistant.runner

        def call(
            job: Callable[[Desk], Any],
            done: Callable[[Any], None],
            failed: Callable[[BaseException], None] | None = None,
        ) -> None:
            runner.submit(lambda: job(desk), done, failed or self._failed)

        return MemberImport(self, call, made.id, self._imported, self._show_failure)

    def _imported(self, text: str) -> None:
        if not isValid(self.result):  # finished meanwhile: the chapter shows the people
            return
        self.result.setStyleSheet("font-weight: 600; color: #166534;")
        self.result.setText(text)
        self.import_button.setText(self.tr("&Import another file…"))

    def _show_failure(self, text: str) -> None:
        if not isValid(self.result):
            return
        self.result.setStyleSheet("font-weight: 600; color: #b91c1c;")
        self.result.setText(text)

    def _failed(self, exc: BaseException) -> None:
        self._show_failure(self.tr("Nothing was imported: {why}").format(why=exc))

    def nextId(self) -> int:  # noqa: N802 (Qt)
        return -1


class ConnectedPage(QWizardPage):
    def __init__(self, assistant: FirstRunAssistant) -> None:
        super().__init__()
        self.assistant = assistant
        self.setTitle(self.tr("Connected"))
        self.summary = _explanation("")
        self.summary.setObjectName("assistantConnected")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 (Qt)
        status = self.assistant.server_page.status
        if status is None:
            return
        self.summary.setText(
            self.tr(
                "This laptop is connected to {url} as {name}. When you finish, the first sync "
                "brings the chapters you work in; after that it runs by itself whenever the "
                "laptop is online, and check-ins made offline go out at the next one."
            ).format(url=status.server_url, name=status.account_name or status.account_login)
        )

    def nextId(self) -> int:  # noqa: N802 (Qt)
        return -1


class DemoPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("The demo chapter"))
        self.setSubTitle(self.tr("Made-up people, partners, meetings and decks to try things on."))
        layout = QVBoxLayout(self)
        layout.addWidget(
            _explanation(
                self.tr(
                    "Finish opens a demo in a throw-away folder. Its sign-in screen lists the "
                    "demo accounts — a leader, a co-leader and a check-in volunteer — so you can "
                    "see what each may do. Nothing of it is kept: when you quit, the demo is "
                    "removed and the next start brings you back here to set up your own chapter."
                )
            )
        )
        layout.addStretch(1)

    def nextId(self) -> int:  # noqa: N802 (Qt)
        return -1


class FirstRunAssistant(QWizard):
    """``desk`` is the store the assistant made (None until the key page has run);
    ``start`` is what the person chose. The caller discards an unfinished store with
    :meth:`discard` when the assistant is cancelled."""

    def __init__(
        self,
        folder: Path,
        runner: TaskRunner,
        keyring: KeyringStatus,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.folder = folder
        self.runner = runner
        self.desk: Desk | None = None
        self.setWindowTitle(self.tr("Set up ChapterDesk"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Set up this laptop"))
        self.setMinimumSize(720, 560)
        self.start_page = StartPage()
        self.key_page = KeyPage(self, keyring)
        self.server_page = ServerPage(self)
        self.chapter_page = ChapterPage(self)
        self.members_page = MembersPage(self)
        self.connected_page = ConnectedPage(self)
        self.demo_page = DemoPage()
        for number, page in (
            (PAGE_START, self.start_page),
            (PAGE_KEY, self.key_page),
            (PAGE_SERVER, self.server_page),
            (PAGE_CHAPTER, self.chapter_page),
            (PAGE_MEMBERS, self.members_page),
            (PAGE_CONNECTED, self.connected_page),
            (PAGE_DEMO, self.demo_page),
        ):
            self.setPage(number, page)
        self.setStartId(PAGE_START)
        self._set_up = False

    @property
    def start(self) -> Start:
        return self.start_page.choice()

    @property
    def is_set_up(self) -> bool:
        """The laptop has its leader account: cancelling no longer undoes anything."""
        return self._set_up

    def set_up_done(self) -> None:
        self._set_up = True
        self.setOption(QWizard.WizardOption.NoCancelButton, True)

    @property
    def busy(self) -> bool:
        return any(
            isinstance(page, WorkingPage) and page.working
            for page in (self.page(n) for n in self.pageIds())
        )

    def reject(self) -> None:
        """Not while a page's work runs (Esc included): its result would find no assistant.
        Once the laptop is set up, closing is finishing: the rest was optional."""
        if self.busy:
            return
        if self._set_up:
            self.accept()
        else:
            super().reject()

    def discard(self) -> None:
        """After a cancel: remove the store made before any account was (in a worker would be
        nicer, but the app is closing and this is a few file deletions)."""
        desk, self.desk = self.desk, None
        if desk is None or self._set_up:
            return
        from chapterdesk.services.first_start import discard_new_store

        try:
            discard_new_store(desk)
        except Exception:  # the files stay; the next start finds a store without an account
            log.warning("could not remove the unfinished store", exc_info=True)
