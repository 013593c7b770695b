"""The status bar's sync indicator: online or not, the last sync, what waits to go out
(docs/sync.md: "The status bar always shows …"). Clicking it opens the Sync page."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton, QWidget

from chapterdesk.sync.status import SyncStatus
from chapterdesk.ui.sync.wording import plain_tooltip, short_time, tr


class Tone(Enum):
    QUIET = ""
    GOOD = "#15803d"
    WARN = "#b45309"
    BAD = "#b91c1c"


def describe(
    status: SyncStatus | None, update_message: str = "", now: datetime | None = None
) -> tuple[str, Tone]:
    """The indicator's one line and its colour."""
    if status is None:
        return tr("Sync status not known yet"), Tone.QUIET
    pending = tr("{n} pending").format(n=f"{status.pending:,}")
    if update_message:
        text = tr("Update needed (server speaks a newer protocol)")
        return (f"⚠ {text} · {pending}" if status.pending else f"⚠ {text}"), Tone.BAD
    if not status.configured:
        text = tr("Not connected to a server")
        return (f"{text} · {pending}" if status.pending else text), Tone.QUIET
    if status.last_success is None:
        last = tr("never synced")
    elif status.online:
        last = tr("synced {time}").format(time=short_time(status.last_success, now))
    else:
        last = tr("last sync {time}").format(time=short_time(status.last_success, now))
    if status.online:
        return f"● {tr('Online')} · {last} · {pending}", Tone.GOOD
    if status.online is None:
        return f"● {tr('Connecting…')} · {last} · {pending}", Tone.QUIET
    return f"● {tr('Offline')} · {last} · {pending}", Tone.WARN


class SyncIndicator(QToolButton):
    """A flat button in the status bar; ``clicked`` opens the Sync page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(tr("Sync status"))
        self._status: SyncStatus | None = None
        self._update_message = ""
        self._paused = False
        self._render()

    @property
    def status(self) -> SyncStatus | None:
        return self._status

    def set_status(self, status: SyncStatus) -> None:
        self._status = status
        self._paused = False
        self._render()

    def set_update_needed(self, message: str) -> None:
        """The server answered 426 (``message``), or "" once a round went through again."""
        self._update_message = message
        self._render()

    def show_paused(self) -> None:
        """The window locked: no rounds run until someone signs in again."""
        self._paused = True
        self._status = None
        self._render()

    def _render(self) -> None:
        if self._paused:
            text, tone = tr("Sync paused while locked"), Tone.QUIET
        else:
            text, tone = describe(self._status, self._update_message)
        # A tool button reads "&" as a mnemonic; nothing here should be one.
        self.setText(text.replace("&", "&&"))
        self.setStyleSheet(f"QToolButton {{ color: {tone.value}; }}" if tone.value else "")
        self.setToolTip(plain_tooltip(self._tooltip()))

    def _tooltip(self) -> str:
        lines = []
        status = self._status
        if self._update_message:
            lines.append(self._update_message)
        if status is not None and status.configured:
            lines.append(tr("Server: {url}").format(url=status.server_url))
            if status.last_error:
                lines.append(tr("Last problem: {error}").format(error=status.last_error))
        if status is not None and status.issues:
            lines.append(tr("{n} sync issues to look at").format(n=len(status.issues)))
        lines.append(tr("Click to open the Sync page."))
        return "\n".join(lines)
