"""Refusals a leader can act on: every one names its rule and the fix (ESC-6)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleViolation(Exception):
    """A rule of ``docs/rules.md`` said no.

    ``message`` says what is wrong in words a leader understands, ``fix`` what to do about it.
    """

    rule_id: str
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.message} ({self.rule_id}) — {self.fix}"


class PermissionDenied(Exception):
    """The acting person's role does not allow this action; the message names the action."""
