"""Offline sign-in verifiers: a scrypt hash proves a password without keeping it (ROS-5).

The verifier string carries its own cost and salt (``scrypt$n$r$p$salt$hash``), so the cost
can be raised later without invalidating the verifiers already stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from chapterdesk.domain.violations import RuleViolation
from chapterdesk.i18n import _

SCHEME = "scrypt"
COST_N = 2**15  # ~32 MiB and ~0.1 s: slow for an attacker with a stolen file, quick to sign in
COST_R = 8
COST_P = 1
MAXMEM = 64 * 1024 * 1024
DIGEST_BYTES = 32
MIN_LENGTH = 10


def check_strength(password: str, login: str = "") -> None:
    """A password a stolen laptop would not give away in minutes (ROS-5)."""
    if len(password) < MIN_LENGTH:
        raise RuleViolation(
            "ROS-5",
            _("The password is too short ({n} characters).").format(n=len(password)),
            _("Use at least {n} characters — a few words are easiest to remember.").format(
                n=MIN_LENGTH
            ),
        )
    if login and password.strip().lower() == login.strip().lower():
        raise RuleViolation(
            "ROS-5", _("The password is the same as the login."), _("Choose another password.")
        )


def _digest(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=MAXMEM, dklen=DIGEST_BYTES
    )


def make_verifier(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _digest(password, salt, COST_N, COST_R, COST_P)
    return f"{SCHEME}${COST_N}${COST_R}${COST_P}${salt.hex()}${digest.hex()}"


def verify(password: str, verifier: str) -> bool:
    """True when ``password`` matches; a damaged verifier never matches."""
    try:
        scheme, n, r, p, salt, digest = verifier.split("$")
        if scheme != SCHEME:
            return False
        expected = bytes.fromhex(digest)
        actual = _digest(password, bytes.fromhex(salt), int(n), int(r), int(p))
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(actual, expected)


def spend_equal_time(password: str) -> None:
    """For an unknown login: cost the same as checking a real verifier, so the time taken
    does not tell which logins exist."""
    _digest(password, b"\0" * 16, COST_N, COST_R, COST_P)
