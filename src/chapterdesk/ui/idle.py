"""Notices when nobody has touched the keyboard or mouse for a while (ROS-5: a laptop left at
the venue locks itself)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.InputMethod,
    }
)


class IdleWatcher(QObject):
    """Watches every input event of the application; ``idle`` fires after ``minutes`` with
    none. It costs one timer restart per event."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None, minutes: int = 10) -> None:
        super().__init__(parent)
        self.minutes = minutes
        self.ms_per_minute = 60_000  # tests make minutes pass faster
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(minutes * self.ms_per_minute)
        self.timer.timeout.connect(self.idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self.minutes = minutes
        self.timer.setInterval(minutes * self.ms_per_minute)
        if self.timer.isActive():
            self.timer.start()

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _ACTIVITY and self.timer.isActive():
            self.timer.start()
        return False
