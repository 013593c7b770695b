"""The laptop's HTTP client of the chapter server: every failure becomes a :class:`SyncError`
(or a signal the engine acts on) with words a leader can act on."""

from __future__ import annotations

import json
from typing import Any

import httpx

from chapterdesk.sync.errors import ClientTooOld, ServerRefusedSignIn, ServerUnreachable

PROTOCOL_VERSION = 1
PROTOCOL_HEADER = "X-ChapterDesk-Protocol"


class CursorExpired(Exception):
    """410: the laptop's cursor is older than the server's log; take a snapshot."""


class ScopeRevoked(Exception):
    """403 scope_revoked: this account no longer works in the chapter."""

    def __init__(self, chapter: str) -> None:
        super().__init__(chapter)
        self.chapter = chapter


class Revoked(Exception):
    """401 device_revoked: wipe the chapters the server names (and all we hold)."""

    def __init__(self, chapters: list[str]) -> None:
        super().__init__("device revoked")
        self.chapters = chapters


class ServerClient:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: float = 15.0,
        protocol_version: int = PROTOCOL_VERSION,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            transport=transport,
            headers={PROTOCOL_HEADER: str(protocol_version)},
            trust_env=False,  # a proxy setting must never route roster data elsewhere
        )

    def close(self) -> None:
        self._http.close()

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            response = self._http.request(method, path, headers=headers, **kwargs)
            body = response.content
        except httpx.HTTPError as exc:
            raise ServerUnreachable(
                f"The chapter server at {self.base_url} did not answer ({type(exc).__name__}). "
                "ChapterDesk keeps working offline and tries again by itself."
            ) from exc
        try:
            data = json.loads(body) if body else {}
        except ValueError as exc:
            raise ServerUnreachable(
                "The chapter server's answer was cut off or garbled "
                f"(HTTP {response.status_code}); "
                "nothing was applied. ChapterDesk tries again by itself."
            ) from exc
        status = response.status_code
        if status < 400:
            return data
        message = data.get("message", "") if isinstance(data, dict) else ""
        error = data.get("error", "") if isinstance(data, dict) else ""
        if status == 426:
            raise ClientTooOld(
                message or "Install the new ChapterDesk to sync; your changes are kept."
            )
        if status == 410:
            raise CursorExpired()
        if status == 403 and error == "scope_revoked":
            raise ScopeRevoked(str(data.get("chapter", "")))
        if status == 401 and error == "device_revoked":
            raise Revoked([str(c) for c in data.get("chapters", [])])
        if status == 401:
            raise ServerRefusedSignIn(message or "The chapter server refused this sign-in.")
        raise ServerUnreachable(
            f"The chapter server answered HTTP {status}{': ' + message if message else ''}. "
            "Nothing was applied; ChapterDesk tries again by itself."
        )

    # ---------------------------------------------------------------------------- calls
    def sign_in(self, login: str, password: str, device_name: str) -> dict[str, Any]:
        answer: dict[str, Any] = self.request(
            "POST",
            "/v1/devices",
            json={"login": login, "password": password, "device_name": device_name},
        )
        return answer

    def me(self) -> dict[str, Any]:
        answer: dict[str, Any] = self.request("GET", "/v1/me")
        return answer

    def push(self, mutations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        answer = self.request("POST", "/v1/mutations", json={"mutations": mutations})
        results: list[dict[str, Any]] = answer["results"]
        if len(results) != len(mutations):
            raise ServerUnreachable("The chapter server answered for the wrong number of changes.")
        return results

    def changes(self, chapter: str, since: int, limit: int) -> dict[str, Any]:
        answer: dict[str, Any] = self.request(
            "GET", "/v1/changes", params={"chapter": chapter, "since": since, "limit": limit}
        )
        return answer

    def snapshot(self, chapter: str, entity: str, after: str, limit: int) -> dict[str, Any]:
        answer: dict[str, Any] = self.request(
            "GET",
            "/v1/snapshot",
            params={"chapter": chapter, "entity": entity, "after": after, "limit": limit},
        )
        return answer
