"""A keyring that lives in one process only, for tests, benchmarks and screenshot scripts:
device tokens and database keys never reach the OS keyring or a file (the app itself never
falls back to such a backend)."""

from __future__ import annotations

import keyring
from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self, secrets: dict[tuple[str, str], str] | None = None) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = dict(secrets or {})

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


def install_memory_keyring(secrets: dict[tuple[str, str], str] | None = None) -> MemoryKeyring:
    backend = MemoryKeyring(secrets)
    keyring.set_keyring(backend)
    return backend
