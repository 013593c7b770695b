"""Database keys: a random key kept in the OS keyring, or one derived from a passphrase.

A key is never written to a file (ROS-5). Callers see a small interface so tests can put an
in-memory keyring backend behind it and the UI can say which backend holds the secret.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from dataclasses import dataclass

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from chapterdesk.i18n import _
from chapterdesk.store.errors import KeyringUnavailable, WrongKey

KEYRING_SERVICE = "ChapterDesk database key"
KEY_BYTES = 32

# scrypt: memory-hard, in the standard library. ~64 MiB and ~0.2 s per derivation.
SCRYPT_N = 2**16
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_MAXMEM = 128 * 1024 * 1024


@dataclass(frozen=True, repr=False)
class DatabaseKey:
    """Raw 256-bit key handed to SQLCipher (so SQLCipher runs no KDF of its own)."""

    raw: bytes

    def pragma(self) -> str:
        return f"PRAGMA key = \"x'{self.raw.hex()}'\""

    def __repr__(self) -> str:  # keep keys out of logs and tracebacks
        return "DatabaseKey(<hidden>)"


def random_key() -> DatabaseKey:
    return DatabaseKey(secrets.token_bytes(KEY_BYTES))


def new_salt() -> str:
    return secrets.token_hex(16)


def key_from_passphrase(passphrase: str, salt_hex: str) -> DatabaseKey:
    """Derive the database key from a passphrase with scrypt; the salt is not secret."""
    if not passphrase:
        raise ValueError("empty passphrase")
    raw = hashlib.scrypt(
        passphrase.encode("utf-8"),
        salt=bytes.fromhex(salt_hex),
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        maxmem=SCRYPT_MAXMEM,
        dklen=KEY_BYTES,
    )
    return DatabaseKey(raw)


@dataclass(frozen=True)
class KeyringStatus:
    usable: bool
    backend: str
    reason: str


def _backend_name(backend: KeyringBackend) -> str:
    name = getattr(backend, "name", None)
    return str(name) if name else type(backend).__name__


def keyring_status() -> KeyringStatus:
    """Whether the OS keyring can hold our key; probes the backend instead of trusting it."""
    backend = keyring.get_keyring()
    name = _backend_name(backend)
    if backend.priority <= 0:
        return KeyringStatus(False, name, _("no keyring service is running on this computer"))
    try:
        backend.get_password(KEYRING_SERVICE, "probe")
    except Exception as exc:  # locked, no D-Bus, user refused … all mean "not usable now"
        return KeyringStatus(False, name, str(exc) or type(exc).__name__)
    return KeyringStatus(True, name, "")


class KeyringKeys:
    """Keys stored in the OS keyring, one entry per store id."""

    def __init__(self) -> None:
        self._status: KeyringStatus | None = None

    @property
    def status(self) -> KeyringStatus:
        """Probed on first use only: loading keyring backends costs ~70 ms, and a store whose
        key is not in the keyring (demo, passphrase) never needs it."""
        if self._status is None:
            self._status = keyring_status()
        return self._status

    def _require(self) -> None:
        if not self.status.usable:
            raise KeyringUnavailable(
                _(
                    "The system keyring is not usable ({reason}), so ChapterDesk cannot keep the "
                    "database key there. Use a passphrase instead, or start the keyring service "
                    "(e.g. GNOME Keyring or KWallet) and try again."
                ).format(reason=self.status.reason)
            )

    @property
    def backend(self) -> str:
        """The backend's name, without probing it."""
        return _backend_name(keyring.get_keyring())

    def get(self, store_id: str) -> DatabaseKey | None:
        """One keyring round trip: failures of the read itself mean "not usable"."""
        if self._status is not None or keyring.get_keyring().priority <= 0:
            self._require()  # the status check of a "fail" backend costs no round trip
        try:
            stored = keyring.get_password(KEYRING_SERVICE, store_id)
        except Exception as exc:  # no backend, locked, no D-Bus, user refused …
            self._status = KeyringStatus(False, self.backend, str(exc) or type(exc).__name__)
            self._require()
            raise  # unreachable: _require raised
        if not stored:
            return None
        try:
            return DatabaseKey(bytes.fromhex(stored))
        except ValueError:  # never put the stored text in the message: it is the key
            raise WrongKey(
                _(
                    "The database key in the system keyring ({backend}) is damaged, so it cannot "
                    "open the database. Nothing has been changed. Restore the keyring entry, or "
                    "start over with another --data-dir and sync from the server."
                ).format(backend=self.status.backend)
            ) from None

    def put(self, store_id: str, key: DatabaseKey) -> None:
        self._require()
        keyring.set_password(KEYRING_SERVICE, store_id, key.raw.hex())

    def delete(self, store_id: str) -> None:
        if not self.status.usable:
            return
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(KEYRING_SERVICE, store_id)
