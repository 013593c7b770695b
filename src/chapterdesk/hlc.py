"""Hybrid logical clock: orders edits made on different laptops without trusting their clocks.

A stamp is wall-clock milliseconds, a counter and the device id, rendered as a fixed-width string
so that comparing two stamps as text compares them as clocks (and SQLite can ``ORDER BY`` them).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

_WALL_DIGITS = 13
_COUNTER_DIGITS = 5
MAX_COUNTER = 10**_COUNTER_DIGITS - 1


@dataclass(frozen=True, order=True)
class Timestamp:
    """One HLC reading; orders by wall time, then counter, then device."""

    wall_ms: int
    counter: int
    device: str

    def encode(self) -> str:
        """Fixed-width text form, sortable as a string."""
        return f"{self.wall_ms:0{_WALL_DIGITS}d}-{self.counter:0{_COUNTER_DIGITS}d}-{self.device}"

    @classmethod
    def decode(cls, text: str) -> Timestamp:
        """Parse :meth:`encode`'s output; raises ``ValueError`` on anything else."""
        wall, counter, device = text.split("-", 2)
        if len(wall) != _WALL_DIGITS or len(counter) != _COUNTER_DIGITS or not device:
            raise ValueError(f"not an HLC timestamp: {text!r}")
        return cls(int(wall), int(counter), device)


class HybridLogicalClock:
    """Issues strictly increasing stamps for one device; thread-safe."""

    def __init__(self, device: str, now_ms: Callable[[], int] | None = None) -> None:
        if "-" in device or not device:
            raise ValueError("device id must be non-empty and contain no '-'")
        self.device = device
        self._now_ms = now_ms or (lambda: time.time_ns() // 1_000_000)
        self._last = Timestamp(0, 0, device)
        self._lock = threading.Lock()

    def now(self) -> Timestamp:
        """A stamp later than every stamp this clock issued or observed."""
        with self._lock:
            wall = max(self._now_ms(), self._last.wall_ms)
            counter = self._last.counter + 1 if wall == self._last.wall_ms else 0
            self._last = self._bump(wall, counter)
            return self._last

    def observe(self, remote: Timestamp) -> Timestamp:
        """Advance past a stamp received from elsewhere, so our next edit sorts after it."""
        with self._lock:
            wall = max(self._now_ms(), self._last.wall_ms, remote.wall_ms)
            if wall == self._last.wall_ms == remote.wall_ms:
                counter = max(self._last.counter, remote.counter) + 1
            elif wall == self._last.wall_ms:
                counter = self._last.counter + 1
            elif wall == remote.wall_ms:
                counter = remote.counter + 1
            else:
                counter = 0
            self._last = self._bump(wall, counter)
            return self._last

    def _bump(self, wall: int, counter: int) -> Timestamp:
        if counter > MAX_COUNTER:  # more than 100k stamps in one ms: borrow the next ms
            wall, counter = wall + 1, 0
        return Timestamp(wall, counter, self.device)
