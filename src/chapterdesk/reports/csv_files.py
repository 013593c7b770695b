"""CSV files a spreadsheet opens safely: UTF-8 with a byte-order mark (Excel reads "Zoë Müller"
as written), CRLF line ends (RFC 4180), formula-looking cells defused, written all or nothing."""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, Protocol

from chapterdesk.reports._output import open_target

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """``text`` with an apostrophe in front when a spreadsheet would take it for a formula
    (CSV injection: a meeting title "=HYPERLINK(…)" must stay text)."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class RowWriter(Protocol):
    def writerow(self, row: Iterable[str]) -> object: ...


class SafeWriter:
    """Writes rows with every cell passed through :func:`csv_safe`."""

    def __init__(self, writer: RowWriter) -> None:
        self._writer = writer

    def writerow(self, row: Sequence[str]) -> None:
        self._writer.writerow([csv_safe(cell) for cell in row])

    def writerows(self, rows: Iterable[Sequence[str]]) -> None:
        for row in rows:
            self.writerow(row)


@contextlib.contextmanager
def csv_file(target: BinaryIO | Path) -> Iterator[SafeWriter]:
    """A CSV writer into ``target`` (see :func:`~chapterdesk.reports._output.open_target`)."""
    with open_target(target) as out:
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        try:
            yield SafeWriter(csv.writer(text, lineterminator="\r\n"))
            text.flush()
        finally:
            text.detach()  # the binary file belongs to open_target, which fsyncs and closes it
