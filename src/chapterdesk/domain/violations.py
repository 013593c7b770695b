"""Refusals a leader can act on: every one names its rule and the fix (ESC-6)."""

from __future__ import annotations


class RuleViolation(Exception):
    """A rule of ``docs/rules.md`` said no.

    ``message`` says what is wrong in words a leader understands, ``fix`` what to do about it.
    """

    def __init__(self, rule_id: str, message: str, fix: str) -> None:
        super().__init__(rule_id, message, fix)
        self.rule_id = rule_id
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.message} ({self.rule_id}) — {self.fix}"


class PermissionDenied(Exception):
    """The acting person's role does not allow this action; the message names the action."""


class NotFound(LookupError):
    """The thing asked for does not exist (or was deleted); the message says which."""


class FormProblem(ValueError):
    """Typed input no rule of rules.md covers is missing or malformed (a chapter without a
    name); the message says which field and what to type."""
