"""All-or-nothing PDF files: a half-written badge sheet or roster is worse than none."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def open_target(target: BinaryIO | Path) -> Iterator[BinaryIO]:
    """Yield something to write the PDF into.

    A file object is used as is (the caller owns it). A path gets a temporary file in the same
    folder, fsynced and then moved over the path with :func:`os.replace`, so a crash or a full
    disk leaves either the old file or the new one, never a torn one, and no temporary behind.
    The file is created owner-only (0600 on POSIX): sign-in sheets are rosters (ROS-4, ROS-5).
    """
    if not isinstance(target, str | os.PathLike):
        yield target
        return
    path = Path(target)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


class StagedFile:
    """A file written beside its target and moved into place only when told to.

    Exports are recorded in the audit trail (ROS-4): the caller commits the record first and
    then :meth:`publish`es, so the worst a crash can leave is a recorded export with no file —
    never a roster on disk that nobody recorded. Owner-only (0600), like :func:`open_target`.
    """

    def __init__(self, target: Path) -> None:
        if target.is_dir():  # found now, not after the export was recorded
            raise IsADirectoryError(errno.EISDIR, "a folder already has that name", str(target))
        self.target = target
        fd, tmp_name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".part"
        )
        self._tmp = Path(tmp_name)
        self.handle: BinaryIO = os.fdopen(fd, "wb")

    def finish(self) -> None:
        """Everything is written: make it durable (still under its temporary name)."""
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()

    def publish(self) -> None:
        os.replace(self._tmp, self.target)

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.handle.close()
        with contextlib.suppress(OSError):
            self._tmp.unlink()
