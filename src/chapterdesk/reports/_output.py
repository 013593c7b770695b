"""All-or-nothing PDF files: a half-written badge sheet or roster is worse than none."""

from __future__ import annotations

import contextlib
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
