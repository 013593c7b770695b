"""Baseline for the start-up benchmark: the cheapest PySide6 window that can be shown.

A QApplication and a QMainWindow holding one label are shown; on the first idle turn of the
event loop the script prints ``READY <seconds since this script started>`` and quits, just
like ``chapterdesk --exit-when-ready`` does once its first page shows data.
"""

from __future__ import annotations

import sys
import time

STARTED = time.perf_counter()

from PySide6.QtCore import QTimer  # noqa: E402  (imports are part of what is measured)
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow  # noqa: E402


def main() -> int:
    """Show the window, report READY on the first idle turn, quit."""
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("Bare PySide6 window")
    window.setCentralWidget(QLabel("Hello from a bare PySide6 window"))
    window.resize(1200, 760)

    def report() -> None:
        print(f"READY {time.perf_counter() - STARTED:.3f}", flush=True)
        app.quit()

    window.show()
    QTimer.singleShot(0, report)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
