"""Sync rounds off the GUI thread: at sign-in, every few seconds while the server answers, on
demand, and less and less often while it does not (docs/sync.md, "When").

One round at a time: a round asked for while another runs is run right after it, once. A
round's result is delivered only to the screen that started it: :meth:`SyncScheduler.stop`
(the window locks) drops whatever is still on its way, as ``MainWindow._alive`` does for pages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from chapterdesk.domain.violations import PermissionDenied
from chapterdesk.sync.errors import (
    ClientTooOld,
    DeviceRevoked,
    NotConnected,
    ServerUnreachable,
    SyncError,
)
from chapterdesk.sync.status import SyncReport, SyncStatus
from chapterdesk.ui.common.tasks import TaskRunner
from chapterdesk.ui.sync.wording import tr

log = logging.getLogger(__name__)

INTERVAL_MS = 5_000  # between rounds while the server answers
MAX_DELAY_MS = 60_000  # the longest wait between tries while it does not

Job = Callable[[], Any]


class SyncDesk(Protocol):
    """The part of :class:`chapterdesk.services.desk.Desk` the scheduler uses."""

    def sync_now(self) -> SyncReport: ...

    def sync_status(self) -> SyncStatus: ...


@dataclass(frozen=True)
class SyncRound:
    """What one round came to. ``status`` is read in the same worker job, after the round,
    whatever happened; it is None only when that read failed too."""

    status: SyncStatus | None
    report: SyncReport | None = None
    error: BaseException | None = None
    manual: bool = False  # someone asked for it (Sync now), rather than the timer


def run_round(desk: SyncDesk, manual: bool) -> SyncRound:
    """The worker side of a round: one ``sync_now`` and a fresh status."""
    try:
        report = desk.sync_now()
    except SyncError as exc:
        # The message is for the person at the screen; the log gets the kind only.
        log.info("sync round did not happen: %s", type(exc).__name__)
        return SyncRound(_status_after(desk), error=exc, manual=manual)
    return SyncRound(_status_after(desk), report=report, manual=manual)


def _status_after(desk: SyncDesk) -> SyncStatus | None:
    """The status after a round; a failure to read it must not hide what the round did."""
    try:
        return desk.sync_status()
    except Exception:
        log.exception("sync status not read after a round")
        return None


def _no_guard(job: Job) -> Job:
    return job


class SyncScheduler(QObject):
    """Drives ``desk.sync_now`` through a worker pool.

    ``runner`` runs the rounds (default: a pool of its own with one thread, so a slow network
    never holds up a page's load); ``status_runner`` the cheap status reads (default: the
    same). ``guard`` wraps every job (the window's ``_as_submitted``: a job queued before a
    lock does not run for the next person). The timer can be left alone in tests: call
    :meth:`run_scheduled_round` where the timer would have fired.
    """

    status_changed = Signal(object)  # SyncStatus, after each round and each status read
    data_changed = Signal()  # a round received rows or wiped chapters: pages are stale
    chapters_removed = Signal()  # chapters were wiped (revoked device or scope)
    update_needed = Signal(str)  # 426: the server's message (no automatic rounds); "" once over
    device_revoked = Signal(str)  # the laptop's chapter data was wiped; the message says so
    busy_changed = Signal(bool)  # a round started (True) or ended (False)
    round_finished = Signal(object)  # SyncRound, last of a round's signals

    def __init__(
        self,
        runner: TaskRunner | None = None,
        *,
        status_runner: TaskRunner | None = None,
        guard: Callable[[Job], Job] | None = None,
        interval_ms: int = INTERVAL_MS,
        max_delay_ms: int = MAX_DELAY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner if runner is not None else TaskRunner(self, max_threads=1)
        self._status_runner = status_runner if status_runner is not None else self._runner
        self._guard = guard or _no_guard
        self.interval_ms = interval_ms
        self.max_delay_ms = max_delay_ms
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.run_scheduled_round)
        self._desk: SyncDesk | None = None
        self._epoch = 0  # bumped by start/stop: results of older rounds are not delivered
        self._in_flight = False
        self._again: bool | None = None  # a round asked for during one (True: by a person)
        self.failures = 0  # rounds in a row the server did not answer
        self.update_required = ""  # the 426 message; kept until the app restarts
        self.stopped_reason = ""  # why no round is scheduled (not connected, revoked …)
        self.last_status: SyncStatus | None = None

    # ------------------------------------------------------------------ control
    @property
    def running(self) -> bool:
        """Started for a signed-in person and not stopped since."""
        return self._desk is not None

    @property
    def busy(self) -> bool:
        """A round is in a worker (possibly one a lock has orphaned)."""
        return self._in_flight

    @property
    def next_delay_ms(self) -> int | None:
        """How long until the timer's next round, or None when none is scheduled."""
        return self.timer.interval() if self.timer.isActive() else None

    def start(self, desk: SyncDesk) -> None:
        """Someone signed in: sync at once, then keep at it. After a 426 only the status is
        read: the server will say the same until this ChapterDesk is updated."""
        self.stop()
        self._desk = desk
        if self.update_required:
            self.refresh_status()
            return
        self._request_round(manual=False)

    def stop(self) -> None:
        """The window locks or closes: no more rounds, and none of a running one's results."""
        self._epoch += 1
        self._desk = None
        self._again = None
        self.timer.stop()
        self.failures = 0
        self.last_status = None  # its issues name people; the next screen reads its own

    @Slot()
    def sync_now(self) -> None:
        """A person asked (Sync now): run a round now, or right after the one running."""
        if self._desk is not None:
            self._request_round(manual=True)

    @Slot()
    def restart(self) -> None:
        """The laptop connected to (or left) a server: forget the back-off and any 426 and
        run a round now."""
        self.failures = 0
        self.stopped_reason = ""
        if self.update_required:
            self.update_required = ""
            self.update_needed.emit("")
        self.sync_now()

    @Slot()
    def run_scheduled_round(self) -> None:
        """What the timer does when it fires (tests call it instead of waiting)."""
        if self._desk is not None and not self.update_required:
            self._request_round(manual=False)

    @Slot()
    def refresh_status(self) -> None:
        """Re-read the status (pending count after a local change, an issue dismissed)."""
        desk, epoch = self._desk, self._epoch
        if desk is None:
            return

        def show(status: SyncStatus) -> None:
            if epoch == self._epoch:
                self.last_status = status
                self.status_changed.emit(status)

        def failed(exc: BaseException) -> None:
            # Not worth a message box: the next round reads it again.
            log.warning("sync status not read: %s", type(exc).__name__)

        self._status_runner.submit(self._guard(lambda: desk.sync_status()), show, failed)

    def backoff_ms(self) -> int:
        """interval, 2×, 4× … after each round in a row the server did not answer; capped."""
        steps = min(max(self.failures - 1, 0), 30)
        return int(min(self.interval_ms * 2**steps, self.max_delay_ms))

    # ------------------------------------------------------------------- rounds
    def _request_round(self, manual: bool) -> None:
        self.timer.stop()
        if self._in_flight:
            self._again = bool(self._again) or manual
            return
        self._begin(manual)

    def _begin(self, manual: bool) -> None:
        desk, epoch = self._desk, self._epoch
        if desk is None:
            return
        self._in_flight = True
        self.busy_changed.emit(True)

        def failed(exc: BaseException) -> None:
            self._finish(epoch, SyncRound(None, error=exc, manual=manual))

        self._runner.submit(
            self._guard(lambda: run_round(desk, manual)),
            lambda outcome: self._finish(epoch, outcome),
            failed,
        )

    def _finish(self, epoch: int, outcome: SyncRound) -> None:
        self._in_flight = False
        if epoch == self._epoch and self._desk is not None:
            self.busy_changed.emit(False)
            self._apply(outcome)
        # else: started before a lock (or a restart); nothing of it reaches the screen.
        again, self._again = self._again, None
        if again is not None and self._desk is not None and not self._in_flight:
            self._request_round(manual=again)

    def _apply(self, outcome: SyncRound) -> None:
        error, report = outcome.error, outcome.report
        if outcome.status is not None:
            self.last_status = outcome.status
            self.status_changed.emit(outcome.status)
        if error is None and report is not None:
            self.failures = 0
            self.stopped_reason = ""
            if self.update_required:  # the server took this version after all
                self.update_required = ""
                self.update_needed.emit("")
            self.timer.start(self.interval_ms)
            if report.wiped_chapters:
                self.chapters_removed.emit()
            if report.pulled > 0 or report.wiped_chapters:
                self.data_changed.emit()
        elif isinstance(error, ClientTooOld):
            self.update_required = str(error) or tr(
                "The chapter server speaks a newer protocol: update ChapterDesk to sync again."
            )
            self.stopped_reason = self.update_required
            self.update_needed.emit(self.update_required)
        elif isinstance(error, DeviceRevoked):
            self.stopped_reason = str(error)
            self.chapters_removed.emit()
            self.data_changed.emit()
            self.device_revoked.emit(str(error))
        elif isinstance(error, NotConnected | PermissionDenied):
            # Nothing to sync with, or this person's desk may not: idle until connected.
            self.stopped_reason = str(error)
        else:  # ServerUnreachable, another SyncError, or a bug (logged by the runner)
            if not isinstance(error, ServerUnreachable | SyncError):
                log.warning("sync round failed: %s", type(error).__name__)
            self.failures += 1
            self.timer.start(self.backoff_ms())
        self.round_finished.emit(outcome)
