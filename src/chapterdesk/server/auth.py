"""Who is calling: device tokens (only their SHA-256 is stored) and the chapters and role the
account has. Scope comes from the token, never from what the client says (docs/sync.md)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from chapterdesk.domain.enums import Role
from chapterdesk.server.models import AccountPerson, Device, Password
from chapterdesk.services import passwords
from chapterdesk.store.models import Account, AccountRole, Chapter

# Strongest first: an account with two grants in one chapter acts with the stronger one.
_RANK = {Role.LEADER: 0, Role.CO_LEADER: 1, Role.VOLUNTEER: 2, Role.PARTNER: 3}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


@dataclass
class Caller:
    account_id: str
    login: str
    display_name: str
    device: Device | None
    roles: dict[str, Role] = field(default_factory=dict)  # chapter id → role
    people: dict[str, str] = field(default_factory=dict)  # person id → chapter id (self-service)
    everywhere: Role | None = None  # a grant for every chapter, new ones included

    def role_in(self, chapter_id: str) -> Role | None:
        return self.roles.get(chapter_id) or self.everywhere


def everywhere_role(session: Session, account: Account) -> Role | None:
    grant = session.scalars(
        select(AccountRole.role).where(
            AccountRole.account_id == account.id,
            AccountRole.chapter_id.is_(None),
            AccountRole.deleted.is_(False),
        )
    ).first()
    return grant


def scope_of(session: Session, account: Account) -> tuple[dict[str, Role], dict[str, str]]:
    roles: dict[str, Role] = {}
    every = list(session.scalars(select(Chapter.id).where(Chapter.deleted.is_(False))))
    for grant in session.scalars(
        select(AccountRole).where(
            AccountRole.account_id == account.id, AccountRole.deleted.is_(False)
        )
    ):
        for chapter_id in [grant.chapter_id] if grant.chapter_id else every:
            have = roles.get(chapter_id)
            if have is None or _RANK[grant.role] < _RANK[have]:
                roles[chapter_id] = grant.role
    people = {
        link.person_id: link.chapter_id
        for link in session.scalars(
            select(AccountPerson).where(AccountPerson.account_id == account.id)
        )
    }
    for chapter_id in people.values():  # a member sees their chapter's public data
        roles.setdefault(chapter_id, Role.PARTNER)
    return roles, people


def check_password(session: Session, login: str, password: str) -> Account | None:
    """The account, if the password is right; the same time is spent either way."""
    account = session.scalars(
        select(Account).where(Account.login == login.strip().lower(), Account.active.is_(True))
    ).first()
    verifier = session.get(Password, account.id) if account else None
    if account is None or verifier is None:
        passwords.spend_equal_time(password)
        return None
    return account if passwords.verify(password, verifier.verifier) else None


def issue_token(session: Session, account: Account, device_name: str) -> tuple[Device, str]:
    token = secrets.token_urlsafe(32)
    device = Device(account_id=account.id, name=device_name[:200], token_hash=hash_token(token))
    session.add(device)
    session.flush()
    return device, token


class Revoked(Exception):
    def __init__(self, chapters: list[str]) -> None:
        super().__init__("device revoked")
        self.chapters = chapters


def caller_for_token(session: Session, token: str) -> Caller | None:
    """The caller behind a token; ``Revoked`` for a revoked device; None for an unknown one."""
    device = session.scalars(select(Device).where(Device.token_hash == hash_token(token))).first()
    if device is None:
        return None
    account = session.get(Account, device.account_id)
    if device.revoked_at is not None:
        # The chapters it was given at sign-in and any granted since: the laptop wipes them.
        now = scope_of(session, account)[0] if account is not None else {}
        raise Revoked(sorted({*(device.chapters or []), *now}))
    if account is None or not account.active:
        return None
    roles, people = scope_of(session, account)
    return Caller(
        account.id,
        account.login,
        account.display_name,
        device,
        roles,
        people,
        everywhere_role(session, account),
    )
