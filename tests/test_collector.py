"""Garbage cycles holding Qt objects are freed on the GUI thread, never on a pool thread
(ui/common/collector.py: a collection on a worker thread deadlocked the suite once)."""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from chapterdesk.ui.common.collector import collect_on_gui_thread
from chapterdesk.ui.common.tasks import TaskRunner

FREED_ON: list[str] = []  # the thread each cyclic object was freed on


class _Cyclic(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.me = self  # a reference cycle: only the cycle collector frees it

    def __del__(self) -> None:
        FREED_ON.append(threading.current_thread().name)


def test_a_task_runner_moves_cycle_collection_to_the_gui_thread(qtbot: QtBot) -> None:
    runner = TaskRunner()
    assert not gc.isenabled()
    assert collect_on_gui_thread() is collect_on_gui_thread()  # one per application
    FREED_ON.clear()
    done: list[bool] = []

    def make_garbage() -> None:  # more cycles than the threshold: Python would collect here
        for _ in range(2000):
            _Cyclic()

    runner.submit(make_garbage, lambda _r: done.append(True), lambda e: done.append(False))
    qtbot.waitUntil(lambda: done == [True])
    qtbot.waitUntil(lambda: len(FREED_ON) == 2000, timeout=5000)
    assert set(FREED_ON) == {threading.main_thread().name}
