"""Run a benchmark inside a throw-away GNOME Keyring session, so the store it measures is
encrypted with its key in a real Secret Service, as on a leader's Linux laptop."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

INSIDE_FLAG = "--inside-secret-service"
KEYRING_PASSWORD = "bench"  # unlocks a throw-away login keyring that lives in a temp folder


def add_secret_service_option(parser: argparse.ArgumentParser) -> None:
    """``--with-secret-service`` (and the hidden flag the re-run carries)."""
    parser.add_argument(
        "--with-secret-service",
        action="store_true",
        help="run inside a private D-Bus session with an unlocked throw-away GNOME Keyring, so "
        "the database is encrypted with SQLCipher and its key kept in a real Secret Service",
    )
    parser.add_argument(INSIDE_FLAG, action="store_true", help=argparse.SUPPRESS)


def rerun_if_asked(script: Path, args: argparse.Namespace, argv: list[str]) -> int | None:
    """The exit code of the re-run inside a keyring session when ``--with-secret-service``
    was given (and this is not that re-run yet); ``None`` to go on measuring here."""
    if args.with_secret_service and not args.inside_secret_service:
        return reexec_in_secret_service(script, [a for a in argv if a != "--with-secret-service"])
    return None


def reexec_in_secret_service(script: Path, argv: list[str]) -> int:
    """Re-run ``script`` with ``argv`` inside ``dbus-run-session`` with an unlocked
    gnome-keyring-daemon whose keyring lives in a temporary XDG_DATA_HOME (deleted afterwards).
    The benchmark itself never writes the database key anywhere."""
    missing = [t for t in ("dbus-run-session", "gnome-keyring-daemon") if shutil.which(t) is None]
    if missing:
        print(
            f"--with-secret-service needs {' and '.join(missing)} (Debian: apt-get install "
            "dbus gnome-keyring); not found, so nothing was measured.",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="chapterdesk-keyring-") as tmp:
        data_home, runtime = Path(tmp, "data"), Path(tmp, "runtime")
        data_home.mkdir()
        runtime.mkdir(mode=0o700)
        env = dict(os.environ, XDG_DATA_HOME=str(data_home), XDG_RUNTIME_DIR=str(runtime))
        shell = (
            f'printf "%s" "{KEYRING_PASSWORD}" | gnome-keyring-daemon --unlock '
            '--components=secrets >/dev/null || exit 3; exec "$@"'
        )
        command = [
            "dbus-run-session",
            "--",
            "sh",
            "-c",
            shell,
            "sh",
            sys.executable,
            str(script.resolve()),
            *argv,
            INSIDE_FLAG,
        ]
        return subprocess.run(command, env=env, check=False).returncode
