"""Run service calls off the GUI thread and hand results back to it by signal.

Pages submit ``callable → result`` jobs; the result (or the exception) arrives on the GUI
thread. Tests swap in :class:`SyncTaskRunner`, which runs jobs at once, in order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from chapterdesk.domain.violations import FormProblem, NotFound, PermissionDenied, RuleViolation
from chapterdesk.paths import DataDirError
from chapterdesk.store.errors import StoreError
from chapterdesk.sync.errors import SyncError
from chapterdesk.ui.common.collector import collect_on_gui_thread

log = logging.getLogger(__name__)
# Refusals the user is shown as they are; anything else is a bug and is logged with detail.
EXPECTED = (
    RuleViolation,
    PermissionDenied,
    NotFound,
    FormProblem,
    StoreError,
    DataDirError,
    SyncError,
)

ResultHandler = Callable[[Any], None]
ErrorHandler = Callable[[BaseException], None]


class _Relay(QObject):
    """Lives on the GUI thread; queued signals carry results across threads."""

    done = Signal(object, object)
    failed = Signal(object, object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay, token: object) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay
        self._token = token

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # handed to the GUI thread, which shows it
            if isinstance(exc, EXPECTED):
                # A rule said no: the user is told. The log gets the rule, not the message,
                # which may name people (ROS-1: no personal data in the log file).
                log.info("refused: %s %s", type(exc).__name__, getattr(exc, "rule_id", ""))
            else:
                log.exception("background task failed")
            self._relay.failed.emit(self._token, exc)
        else:
            self._relay.done.emit(self._token, result)


class TaskRunner(QObject):
    """A thread pool whose results come back as calls on the GUI thread."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        collect_on_gui_thread()  # never free a Qt object on a pool thread
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)
        self._handlers: dict[object, tuple[ResultHandler, ErrorHandler]] = {}

    def submit(
        self, fn: Callable[[], Any], on_result: ResultHandler, on_error: ErrorHandler
    ) -> None:
        token = object()
        self._handlers[token] = (on_result, on_error)
        self._pool.start(_Job(fn, self._relay, token))

    @property
    def busy(self) -> bool:
        return bool(self._handlers)

    def wait_for_done(self, msecs: int = -1) -> bool:
        return self._pool.waitForDone(msecs)

    def _on_done(self, token: object, result: Any) -> None:
        on_result, _ = self._handlers.pop(token)
        on_result(result)
        self._maybe_idle()

    def _on_failed(self, token: object, exc: BaseException) -> None:
        _, on_error = self._handlers.pop(token)
        on_error(exc)
        self._maybe_idle()

    def _maybe_idle(self) -> None:
        if not self._handlers:
            self.idle.emit()


class SyncTaskRunner(TaskRunner):
    """Runs each job immediately on the calling thread (for tests)."""

    def submit(
        self, fn: Callable[[], Any], on_result: ResultHandler, on_error: ErrorHandler
    ) -> None:
        try:
            result = fn()
        except BaseException as exc:
            on_error(exc)
        else:
            on_result(result)
        self.idle.emit()
