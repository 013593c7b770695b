"""Registration codes: printed as QR codes on badges and read aloud at the door."""

from __future__ import annotations

import random
import secrets

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud at the door
CODE_LENGTH = 10


def new_code(rng: random.Random | None = None) -> str:
    """A fresh code; unpredictable unless a seeded ``rng`` is given (demo data)."""
    if rng is not None:
        return "".join(rng.choices(CODE_ALPHABET, k=CODE_LENGTH))
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a scanner or a person typed, as a code would be stored (trimmed, upper case)."""
    return text.strip().upper()


def looks_like_code(text: str) -> bool:
    """True when ``text`` has the shape of a registration code (not whether it exists)."""
    code = normalise_code(text)
    return len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code)
