"""A loopback HTTP proxy in front of a test's chapter server that injects network faults.

The laptop talks to :attr:`FaultProxy.url` instead of the server's. By default every request
passes through; a test arms a :class:`Fault` for a path (and method, and query parameters) and
the next matching request(s) get it instead:

* ``"pass"`` — forward and answer as the server did (the default);
* ``"502"`` — answer ``502 Bad Gateway`` as a gateway does, either without reaching the server
  (``forward=False``, the default) or after the server handled the request (``forward=True``: the
  server committed, the laptop never heard);
* ``"truncate"`` — forward, then send the server's status and headers with the full
  ``Content-Length`` but only the first half of the body, and close the connection: a network cut
  mid-response (the server handled the request);
* ``"delay"`` — wait ``delay`` seconds (or until ``release`` is set) before forwarding.

Every request is recorded in :attr:`FaultProxy.hits` with what was done to it and the server's
full answer, so a test can prove the fault really happened and what the laptop missed."""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Literal, Self
from urllib.parse import parse_qs, urlsplit

Action = Literal["pass", "502", "truncate", "delay"]

# Hop-by-hop headers (RFC 9110 §7.6.1) and the ones the proxy sets itself.
_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "host",
    }
)
_BAD_GATEWAY = (
    b"<html><head><title>502 Bad Gateway</title></head>"
    b"<body><center><h1>502 Bad Gateway</h1></center></body></html>\n"
)
UPSTREAM_TIMEOUT_S = 60.0


@dataclass
class Fault:
    """What to do to the next ``times`` requests matching ``method``, ``path`` and ``params``."""

    action: Action
    path: str  # exact path, without the query string
    method: str | None = None  # None: any method
    params: Mapping[str, str] = field(default_factory=dict)  # query parameters that must match
    times: int = 1  # how many matching requests get it; <= 0 means every one until cleared
    forward: bool = False  # "502" only: let the server handle the request first
    delay: float = 0.0  # "delay" only: seconds to hold the request
    release: threading.Event | None = None  # "delay" only: hold until set (or delay passes)
    skip: int = 0  # let this many matching requests through untouched first
    used: int = 0

    def matches(self, method: str, path: str, query: str) -> bool:
        if path != self.path or (self.method and method.upper() != self.method.upper()):
            return False
        given = parse_qs(query, keep_blank_values=True)
        return all(given.get(name) == [value] for name, value in self.params.items())

    @property
    def spent(self) -> bool:
        return self.times > 0 and self.used >= self.times


@dataclass
class Hit:
    """One request through the proxy and what it got."""

    method: str
    path: str
    query: str
    action: Action
    upstream_status: int | None = None  # None: the server never saw the request
    upstream_body: bytes = b""  # the server's whole answer (even when the laptop got half)
    sent_bytes: int = 0  # how much of the body reached the laptop


@dataclass
class _State:
    upstream: tuple[str, int]
    faults: list[Fault] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    changed: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self.changed = threading.Condition(self.lock)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the laptop's httpx client expects
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stalls
    server: _ProxyServer

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: the test reads Hit records instead

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def _handle(self) -> None:
        state = self.server.state
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        fault = self.server.take(self.command, parts.path, parts.query)
        action: Action = fault.action if fault else "pass"
        hit = Hit(self.command, parts.path, parts.query, action)
        with state.changed:
            state.hits.append(hit)
            state.changed.notify_all()

        if fault is not None and action == "delay":
            if fault.release is not None:
                fault.release.wait(fault.delay if fault.delay > 0 else None)
            elif fault.delay > 0:
                threading.Event().wait(fault.delay)
        if action == "502" and not (fault is not None and fault.forward):
            self._answer(502, [("Content-Type", "text/html")], _BAD_GATEWAY, hit)
            return
        try:
            status, headers, answer = self._forward(body)
        except OSError:
            self._answer(502, [("Content-Type", "text/html")], _BAD_GATEWAY, hit)
            return
        with state.lock:
            hit.upstream_status = status
            hit.upstream_body = answer
        if action == "502":
            self._answer(502, [("Content-Type", "text/html")], _BAD_GATEWAY, hit)
        elif action == "truncate":
            self._answer(status, headers, answer, hit, cut_at=len(answer) // 2)
        else:
            self._answer(status, headers, answer, hit)

    def _forward(self, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        host, port = self.server.state.upstream
        conn = http.client.HTTPConnection(host, port, timeout=UPSTREAM_TIMEOUT_S)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
            headers["Host"] = f"{host}:{port}"
            headers["Connection"] = "close"
            conn.request(self.command, self.path, body=body or None, headers=headers)
            response = conn.getresponse()
            answer = response.read()
            kept = [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP]
            return response.status, kept, answer
        finally:
            conn.close()

    def _answer(
        self,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        hit: Hit,
        cut_at: int | None = None,
    ) -> None:
        self.send_response_only(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))  # always the full length
        if cut_at is not None:
            self.send_header("Connection", "close")
        self.end_headers()
        sent = body if cut_at is None else body[:cut_at]
        with contextlib.suppress(OSError):
            self.wfile.write(sent)
            self.wfile.flush()
        with self.server.state.lock:
            hit.sent_bytes = len(sent)
        if cut_at is not None:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)  # the cut: no more bytes, ever


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, state: _State) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state

    def take(self, method: str, path: str, query: str) -> Fault | None:
        """The first armed fault matching this request, counted as used."""
        with self.state.lock:
            for fault in self.state.faults:
                if not fault.spent and fault.matches(method, path, query):
                    if fault.skip > 0:
                        fault.skip -= 1
                        continue
                    fault.used += 1
                    return fault
        return None


class FaultProxy:
    """A threaded proxy on 127.0.0.1 (a free port) forwarding to ``upstream_url``; use as a
    context manager or call :meth:`start` and :meth:`stop`."""

    def __init__(self, upstream_url: str) -> None:
        parts = urlsplit(upstream_url)
        if parts.hostname is None or parts.port is None:
            raise ValueError(f"an upstream URL with a host and a port, not {upstream_url!r}")
        self._state = _State((parts.hostname, parts.port))
        self._server: _ProxyServer | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle ----------------------------------------------------------------------

    def start(self) -> Self:
        self._server = _ProxyServer(self._state)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fault-proxy",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        for fault in self._state.faults:  # never leave a handler thread waiting
            if fault.release is not None:
                fault.release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the proxy is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # -- faults --------------------------------------------------------------------------

    def fail(
        self,
        path: str,
        action: Action,
        *,
        method: str | None = None,
        params: Mapping[str, str] | None = None,
        times: int = 1,
        forward: bool = False,
        delay: float = 0.0,
        release: threading.Event | None = None,
        skip: int = 0,
    ) -> Fault:
        """Arm a fault for the next ``times`` matching requests (``times <= 0``: all of them
        until :meth:`clear`), after letting ``skip`` of them through; faults armed earlier are
        matched first."""
        fault = Fault(
            action, path, method, dict(params or {}), times, forward, delay, release, skip
        )
        with self._state.lock:
            self._state.faults.append(fault)
        return fault

    def clear(self) -> None:
        """Disarm every fault: from now on everything passes through."""
        with self._state.lock:
            faults, self._state.faults = self._state.faults, []
        for fault in faults:
            if fault.release is not None:
                fault.release.set()

    # -- what happened -------------------------------------------------------------------

    @property
    def hits(self) -> list[Hit]:
        with self._state.lock:
            return list(self._state.hits)

    def hits_for(self, path: str, action: Action | None = None) -> Iterator[Hit]:
        for hit in self.hits:
            if hit.path == path and (action is None or hit.action == action):
                yield hit

    def wait_for_hit(self, path: str, action: Action | None = None, timeout: float = 10.0) -> Hit:
        """Block until a request for ``path`` (given ``action``) has arrived."""
        with self._state.changed:
            found = self._state.changed.wait_for(
                lambda: next(self.hits_for_locked(path, action), None), timeout
            )
        if not found:
            raise TimeoutError(f"no {action or 'request'} for {path} within {timeout:g} s")
        return found

    def hits_for_locked(self, path: str, action: Action | None) -> Iterator[Hit]:
        for hit in self._state.hits:
            if hit.path == path and (action is None or hit.action == action):
                yield hit
