"""Failures opening the store, each with a message that says what is wrong and what to do."""

from __future__ import annotations


class StoreError(Exception):
    """Base: ``str(error)`` is a complete sentence a leader can act on."""


class KeyringUnavailable(StoreError):
    """No usable OS keyring: the caller may offer a passphrase instead (never a key file)."""


class KeyMissing(StoreError):
    """The keyring works but holds no key for this database."""


class WrongKey(StoreError):
    """The key or passphrase does not open the database; nothing was changed."""


class NewerSchema(StoreError):
    """The database was written by a newer ChapterDesk; nothing was changed."""


class UnreadableDatabase(StoreError):
    """The file is damaged or not a ChapterDesk database; nothing was changed."""
