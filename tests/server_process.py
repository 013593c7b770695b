"""The real ``chapterdesk-server`` as a child process, for tests that need what only a real
process shows: its CLI, its migrations on start, a kill -9 in the middle of work, a restart
on the same database.

Each server runs in its own process group, so stopping it takes any helper processes with
it, and on Linux it is also killed if the test process dies (``PR_SET_PDEATHSIG``): a test
run never leaves a server behind, however it ends."""

from __future__ import annotations

import atexit
import contextlib
import os
import random
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self

import httpx

HOST = "127.0.0.1"
HEALTH_PATH = "/v1/health"
DEFAULT_COMMAND: tuple[str, ...] = (sys.executable, "-m", "chapterdesk.server")
STARTUP_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
_POLL_INTERVAL_S = 0.05
_PORT_ATTEMPTS = 3  # a picked port can be taken before the server binds it: pick again
_random = random.Random()  # not the global one: a test that seeds that must not pick ports

# Every server started and not yet reaped, for the last-resort cleanup at interpreter exit.
_live: set[ServerProcess] = set()

# Runs before the server on Linux: asks the kernel to SIGKILL it when the process (strictly,
# the thread) that started it dies, then becomes the server. argv: parent pid, command...
_LAUNCHER = """\
import ctypes, os, signal, sys
try:
    ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
except Exception:
    pass
if os.getppid() != int(sys.argv[1]):
    os._exit(70)  # the test process died before the prctl: nobody would stop us
os.execvp(sys.argv[2], sys.argv[2:])
"""


class ServerStartError(RuntimeError):
    """The server exited or did not answer its health check in time; carries the log tail."""


def free_port(host: str = HOST) -> int:
    """A port nothing is bound to right now, below the kernel's ephemeral range when it can:
    there no outgoing connection (to PostgreSQL, from a test's client) takes it as its local
    port while a killed server is down, so the restart on the same port cannot lose it."""
    low = _ephemeral_low()
    candidates = _random.sample(range(max(1024, low - 12_000), low), k=20) if low > 2048 else []
    for port in candidates:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))  # whatever the kernel picks, in the ephemeral range
        chosen: int = sock.getsockname()[1]
        return chosen


def _ephemeral_low() -> int:
    """The first port the kernel hands to outgoing connections, or 0 when unknown."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def stop_all(database_url: str | None = None) -> None:
    """Stop every live server (of one database URL, if given): before its database is
    dropped, and at exit."""
    for server in list(_live):
        if database_url is None or server.database_url == database_url:
            server.stop()


@atexit.register
def _kill_leftovers() -> None:
    for server in list(_live):
        server.kill()


class ServerProcess:
    """One ``chapterdesk-server serve`` on loopback; :meth:`start` returns once
    ``/v1/health`` answers ``{"ok": true}``.

    ``command`` replaces ``python -m chapterdesk.server`` (e.g. a stub server, or the
    ``chapterdesk-server`` script); ``serve --host --port --database-url`` and
    ``extra_args`` always follow it. The port is picked at the first start and kept, so
    :meth:`restart` (or :meth:`kill` then :meth:`start`) comes back at the same :attr:`url`
    on the same database. Output goes to :attr:`log_path`, appended across restarts.

    Start servers from the test's own thread: on Linux the server dies with the thread that
    started it."""

    def __init__(
        self,
        database_url: str,
        *,
        extra_args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        command: Sequence[str] | None = None,
        log_dir: Path | None = None,
        port: int | None = None,
        startup_timeout: float = STARTUP_TIMEOUT_S,
    ) -> None:
        self.database_url = database_url
        self.extra_args: tuple[str, ...] = tuple(extra_args)
        self.env: dict[str, str] = dict(env or {})
        self.command: tuple[str, ...] = tuple(command) if command else DEFAULT_COMMAND
        self.startup_timeout = startup_timeout
        self._log_dir = (
            log_dir if log_dir is not None else Path(tempfile.mkdtemp(prefix="chapterdesk-srv-"))
        )
        self._port = port
        self._port_fixed = port is not None
        self._proc: subprocess.Popen[bytes] | None = None
        self._reaped = True
        self.returncode: int | None = None

    # -- where it is ---------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the server has no port until it is started")
        return self._port

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def log_path(self) -> Path:
        return self._log_dir / "server.log"

    @property
    def pid(self) -> int | None:
        return None if self._proc is None or self._reaped else self._proc.pid

    @property
    def running(self) -> bool:
        return self._proc is not None and not self._reaped and not self._exited()

    def argv(self, port: int) -> list[str]:
        """The server's command line on ``port``."""
        return [
            *self.command,
            "serve",
            "--host",
            HOST,
            "--port",
            str(port),
            "--database-url",
            self.database_url,
            *self.extra_args,
        ]

    # -- life cycle ----------------------------------------------------------------------

    def start(self) -> Self:
        """Launch the server and wait until its health check answers; raise
        :class:`ServerStartError` with the log tail if it exits or the deadline passes."""
        if self._proc is not None and not self._reaped:
            raise RuntimeError(f"{self!r} is already running")
        attempts = 1 if self._port is not None else _PORT_ATTEMPTS
        for attempt in range(1, attempts + 1):
            port = self._port if self._port is not None else free_port()
            offset = self._launch(port)
            try:
                self._wait_ready(port)
            except ServerStartError:
                lost_race = "address already in use" in self._log_since(offset).lower()
                if lost_race and attempt < attempts and not self._port_fixed:
                    continue
                raise
            self._port = port
            return self
        raise AssertionError("unreachable")  # pragma: no cover

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> int | None:
        """Ask the server to shut down (SIGTERM), SIGKILL it after ``timeout`` seconds; returns
        its exit code (``-15`` after a clean shutdown: uvicorn re-raises the signal it caught).
        Harmless when it is not running."""
        if self._proc is None or self._reaped:
            return self.returncode
        if not self._exited():
            with contextlib.suppress(ProcessLookupError):
                self._proc.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while not self._exited() and time.monotonic() < deadline:
                time.sleep(_POLL_INTERVAL_S)
        return self._reap()

    def kill(self) -> int | None:
        """SIGKILL the server and everything it started, as a crash would; returns the exit
        code (``-9``)."""
        if self._proc is None or self._reaped:
            return self.returncode
        self._signal_group(signal.SIGKILL)
        return self._reap()

    def restart(
        self,
        *,
        extra_args: Sequence[str] | None = None,
        env: Mapping[str, str] | None = None,
        graceful: bool = True,
    ) -> Self:
        """Stop (or kill, with ``graceful=False``) and start again on the same port and
        database, optionally with new extra arguments or environment."""
        if graceful:
            self.stop()
        else:
            self.kill()
        if extra_args is not None:
            self.extra_args = tuple(extra_args)
        if env is not None:
            self.env = dict(env)
        return self.start()

    def __enter__(self) -> Self:
        if not self.running:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = f"{HOST}:{self._port}" if self._port is not None else "no port yet"
        return f"<ServerProcess {where} pid={self.pid} db={self.database_url!r}>"

    # -- talking to it -------------------------------------------------------------------

    def client(self, **kwargs: Any) -> httpx.Client:
        """An HTTP client for this server; ignores proxy settings from the environment."""
        kwargs.setdefault("timeout", 10.0)
        return httpx.Client(base_url=self.url, trust_env=False, **kwargs)

    def health(self) -> dict[str, Any]:
        """``GET /v1/health``'s JSON; raises on an HTTP error."""
        with self.client() as client:
            response = client.get(HEALTH_PATH)
            response.raise_for_status()
            body: dict[str, Any] = response.json()
            return body

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    # -- internals -----------------------------------------------------------------------

    def _launch(self, port: int) -> int:
        """Start the process on ``port``; returns where this run's output begins in the log."""
        argv = self.argv(port)
        if sys.platform == "linux":
            argv = [sys.executable, "-c", _LAUNCHER, str(os.getpid()), *argv]
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **self.env}
        self._log_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            stamp = datetime.now(UTC).isoformat(timespec="milliseconds")
            log.write(f"=== {stamp} start: {shlex.join(self.argv(port))}\n".encode())
            log.flush()
            offset = log.tell()
            self._proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,  # its own process group: stopped as one
            )
        self._reaped = False
        self.returncode = None
        _live.add(self)
        return offset

    def _wait_ready(self, port: int) -> None:
        url = f"http://{HOST}:{port}{HEALTH_PATH}"
        deadline = time.monotonic() + self.startup_timeout
        last = "no answer yet"
        with httpx.Client(trust_env=False, timeout=2.0) as client:
            while True:
                if self._exited():
                    code = self._reap()
                    raise ServerStartError(
                        f"server exited with code {code} before {HEALTH_PATH} answered"
                        f" ({last}); {self._log_report()}"
                    )
                try:
                    response = client.get(url)
                    if response.status_code == 200 and response.json().get("ok") is True:
                        # Someone else's server on a port we lost the race for also answers.
                        if not self._exited():
                            return
                        continue
                    last = f"HTTP {response.status_code}: {response.text[:200]}"
                except (httpx.TransportError, ValueError, AttributeError) as exc:
                    last = f"{type(exc).__name__}: {exc}"
                if time.monotonic() >= deadline:
                    self._signal_group(signal.SIGKILL)
                    self._reap()
                    raise ServerStartError(
                        f"server did not answer {HEALTH_PATH} with ok within"
                        f" {self.startup_timeout:g} s (last: {last}); {self._log_report()}"
                    )
                time.sleep(_POLL_INTERVAL_S)

    def _log_report(self) -> str:
        return f"log {self.log_path}, last lines:\n{self.log_tail()}"

    def _log_since(self, offset: int) -> str:
        try:
            with self.log_path.open("rb") as log:
                log.seek(offset)
                return log.read().decode("utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def _exited(self) -> bool:
        """Whether the server process has exited, without reaping it: until it is reaped its
        pid (which is also its process group's id) cannot be reused, so signalling the group
        can never hit a stranger."""
        if self._proc is None or self._reaped:
            return True
        if self._proc.returncode is not None:
            return True
        if hasattr(os, "waitid"):
            try:
                flags = os.WEXITED | os.WNOHANG | os.WNOWAIT
                return os.waitid(os.P_PID, self._proc.pid, flags) is not None
            except ChildProcessError:
                return True
        return self._proc.poll() is not None

    def _signal_group(self, sig: signal.Signals) -> None:
        """Signal the server's whole process group; only while the leader is unreaped."""
        if self._proc is None or self._reaped or self._proc.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._proc.pid, sig)

    def _reap(self) -> int | None:
        """Kill whatever is left of the group (children the server left, or the server itself
        if it would not stop), then collect the exit code."""
        if self._proc is None or self._reaped:
            return self.returncode
        self._signal_group(signal.SIGKILL)
        self.returncode = self._proc.wait()
        self._reaped = True
        _live.discard(self)
        return self.returncode


class StartServer(Protocol):
    """The ``start_server`` fixture: a started :class:`ServerProcess`, stopped at teardown."""

    def __call__(
        self,
        database_url: str,
        extra_args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> ServerProcess: ...
