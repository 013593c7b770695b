"""Why a sync round or a server sign-in did not happen, in words a leader can act on."""

from __future__ import annotations


class SyncError(Exception):
    """Sync did not happen; ``str(exc)`` says what is wrong and what to do. Local data and
    the outbox are untouched."""


class ServerUnreachable(SyncError):
    """No answer, a cut connection or a 5xx: the laptop stays offline and retries later."""


class ClientTooOld(SyncError):
    """426 from the server: this ChapterDesk speaks an older protocol. The outbox is kept."""


class ServerRefusedSignIn(SyncError):
    """Wrong login or password, or an account the server does not let use a laptop."""


class DeviceRevoked(SyncError):
    """The server revoked this laptop's token: the chapter data it held has been wiped."""


class NotConnected(SyncError):
    """The laptop has not signed in to a server yet (Sync page → Connect)."""
