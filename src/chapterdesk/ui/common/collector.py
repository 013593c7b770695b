"""Python's cycle collector, run on the GUI thread only.

The collector runs on whichever thread happens to allocate when a threshold is crossed. If it
frees a Qt object there — a page or a scheduler caught in a reference cycle — the object's
destructor runs on a worker thread while the GUI thread may be inside Qt holding the lock that
destructor needs, and both wait forever (seen in CI: ``~QObject`` on a pool thread waiting for
the GIL, the GUI thread waiting for Qt's connection lock). So while worker threads exist,
automatic collection is off and the GUI thread collects on a timer, with the same thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 250


class GuiThreadCollector(QObject):
    """Collects garbage cycles on the GUI thread, generation by generation, as Python would."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._threshold = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(INTERVAL_MS)
        self.destroyed.connect(lambda *_: gc.enable())

    def check(self) -> None:
        first, second, third = gc.get_count()
        if first <= self._threshold[0]:
            return
        generation = 0
        if second > self._threshold[1]:
            generation = 2 if third > self._threshold[2] else 1
        gc.collect(generation)


def collect_on_gui_thread() -> GuiThreadCollector | None:
    """Install the collector once per application (call on the GUI thread)."""
    app = QCoreApplication.instance()
    if app is None:
        return None
    found = app.findChild(GuiThreadCollector)
    return found if found is not None else GuiThreadCollector(app)
