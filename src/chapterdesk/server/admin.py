"""``chapterdesk-server admin …``: communities, chapters, accounts, devices, log pruning."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from chapterdesk.domain.communities import community_id
from chapterdesk.domain.enums import Role
from chapterdesk.server.changelog import prune
from chapterdesk.server.db import Database
from chapterdesk.server.models import (
    AccountPerson,
    ChangeLogEntry,
    ChapterCounter,
    Device,
    Password,
)
from chapterdesk.services import passwords
from chapterdesk.store.models import Account, AccountRole, Chapter, Community, Person
from chapterdesk.store.types import utc_now


def add_admin_commands(admin: argparse.ArgumentParser) -> None:
    sub = admin.add_subparsers(dest="admin_command", required=True)
    c = sub.add_parser("add-community", help="a user group (AXUG, CRMUG …)")
    c.add_argument("code")
    c.add_argument("name")
    ch = sub.add_parser("add-chapter")
    ch.add_argument("community_code")
    ch.add_argument("name")
    ch.add_argument("--region", default="")
    sub.add_parser("list-chapters")
    a = sub.add_parser("add-account", help="leader, co_leader, volunteer or partner/member")
    a.add_argument("login")
    a.add_argument("display_name")
    a.add_argument("--role", choices=[r.value for r in Role] + ["member"], required=True)
    a.add_argument("--chapter", help="chapter id ('all' for a leader of every chapter)")
    a.add_argument("--person", help="the roster entry of a member or partner (their own data)")
    a.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    g = sub.add_parser("remove-grant", help="take a chapter away from an account")
    g.add_argument("login")
    g.add_argument("--chapter", required=True, help="chapter id ('all' for an every-chapter grant)")
    sub.add_parser("list-devices")
    r = sub.add_parser("revoke-device")
    r.add_argument("device_id")
    p = sub.add_parser("prune", help="drop change-log entries older than the retention")
    p.add_argument("--older-than-days", type=float, default=90.0)


def run_admin(db: Database, args: argparse.Namespace, ask: Callable[[str], str]) -> int:
    try:
        with db.session() as s:
            print(_COMMANDS[args.admin_command](s, args, ask))
        return 0
    except AdminError as exc:
        print(f"chapterdesk-server admin: {exc}", file=sys.stderr)
        return 2


class AdminError(Exception):
    pass


def _community(s, args, _ask) -> str:  # type: ignore[no-untyped-def]
    row = Community(id=community_id(args.code), code=args.code.upper(), name=args.name)
    s.add(row)
    s.flush()
    return row.id


def _chapter(s, args, _ask) -> str:  # type: ignore[no-untyped-def]
    community = s.scalars(
        select(Community).where(Community.code == args.community_code.upper())
    ).first()
    if community is None:
        raise AdminError(f"no community {args.community_code!r}; add it with add-community first")
    row = Chapter(community_id=community.id, name=args.name, region=args.region)
    s.add(row)
    s.flush()
    return row.id


def _chapters(s, _args, _ask) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(f"{c.id}  {c.name}" for c in s.scalars(select(Chapter).order_by(Chapter.name)))


def _account(s, args, ask) -> str:  # type: ignore[no-untyped-def]
    login = args.login.strip().lower()
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else ask("Password: ")
    try:
        passwords.check_strength(password, login)
    except Exception as exc:
        raise AdminError(str(exc)) from None
    if s.scalars(select(Account).where(Account.login == login)).first():
        raise AdminError(f"{login} already has an account")
    chapter_id = None if args.chapter in (None, "all") else args.chapter
    if chapter_id and s.get(Chapter, chapter_id) is None:
        raise AdminError(f"no chapter {chapter_id}; see list-chapters")
    account = Account(login=login, display_name=args.display_name)
    s.add(account)
    s.flush()
    s.add(Password(account_id=account.id, verifier=passwords.make_verifier(password)))
    if args.role in ("partner", "member"):
        person = s.get(Person, args.person or "")
        if person is None:
            raise AdminError(
                "a member or partner account needs --person PERSON_ID (their roster entry)"
            )
        s.add(
            AccountPerson(account_id=account.id, person_id=person.id, chapter_id=person.chapter_id)
        )
        if args.role == "partner":
            s.add(
                AccountRole(account_id=account.id, chapter_id=person.chapter_id, role=Role.PARTNER)
            )
    else:
        if chapter_id is None and args.role != Role.LEADER.value:
            raise AdminError("only a leader may be given every chapter; name --chapter")
        s.add(AccountRole(account_id=account.id, chapter_id=chapter_id, role=Role(args.role)))
    s.flush()
    return account.id


def _remove_grant(s, args, _ask) -> str:  # type: ignore[no-untyped-def]
    account = s.scalars(select(Account).where(Account.login == args.login.strip().lower())).first()
    if account is None:
        raise AdminError(f"no account {args.login}")
    everywhere = args.chapter == "all"
    chapter = (
        AccountRole.chapter_id.is_(None) if everywhere else AccountRole.chapter_id == args.chapter
    )
    grants = s.scalars(
        select(AccountRole).where(
            AccountRole.account_id == account.id, chapter, AccountRole.deleted.is_(False)
        )
    ).all()
    if not grants:
        raise AdminError(f"{account.login} has no grant in {args.chapter}")
    for grant in grants:
        grant.deleted = True
    return f"removed: {account.login}'s laptops wipe that chapter at their next sync"


def _devices(s, _args, _ask) -> str:  # type: ignore[no-untyped-def]
    lines = []
    for d, login in s.execute(
        select(Device, Account.login)
        .join(Account, Account.id == Device.account_id)
        .order_by(Device.created_at)
    ):
        state = f"revoked {d.revoked_at:%Y-%m-%d %H:%M}" if d.revoked_at else "active"
        seen = f"{d.last_seen:%Y-%m-%d %H:%M}" if d.last_seen else "never"
        lines.append(f"{d.id}  {login}  {d.name}  last seen {seen}  {state}")
    return "\n".join(lines) or "no devices"


def _revoke(s, args, _ask) -> str:  # type: ignore[no-untyped-def]
    device = s.get(Device, args.device_id)
    if device is None:
        raise AdminError(f"no device {args.device_id}; see list-devices")
    device.revoked_at = device.revoked_at or utc_now()
    return f"revoked {device.id}: it wipes its chapter data at its next contact"


def _prune(s, args, _ask) -> str:  # type: ignore[no-untyped-def]
    total = prune_older_than(s, args.older_than_days)
    return f"pruned {total} change-log entries older than {args.older_than_days:g} days"


def prune_older_than(s: Session, days: float) -> int:
    """Drop change-log entries (and so tombstones) older than ``days``."""
    cutoff = utc_now() - timedelta(days=days)
    total = 0
    for counter in s.scalars(select(ChapterCounter)).all():
        newest_old = s.scalar(
            select(ChangeLogEntry.seq)
            .where(ChangeLogEntry.chapter_id == counter.chapter_id, ChangeLogEntry.at < cutoff)
            .order_by(ChangeLogEntry.seq.desc())
            .limit(1)
        )
        if newest_old:
            total += prune(s, counter.chapter_id, int(newest_old))
    return total


_COMMANDS = {
    "add-community": _community,
    "add-chapter": _chapter,
    "list-chapters": _chapters,
    "add-account": _account,
    "remove-grant": _remove_grant,
    "list-devices": _devices,
    "revoke-device": _revoke,
    "prune": _prune,
}
