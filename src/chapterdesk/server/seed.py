"""``--demo``: the same demo chapters as the app, with their accounts, in the server."""

from __future__ import annotations

from sqlalchemy import func, select

from chapterdesk.demo.generate import DEMO_ACCOUNTS, DEMO_PASSWORD, generate_demo
from chapterdesk.server.changelog import adopt_existing
from chapterdesk.server.db import Database
from chapterdesk.server.models import Password
from chapterdesk.services import passwords
from chapterdesk.store.models import Account, Community


def seed_demo(db: Database, people: int) -> str:
    with db.session() as s:
        if s.scalar(select(func.count()).select_from(Community)):
            return "demo: the database already holds data; left as it is"
    generate_demo(db.engine, people=people, clock=db.clock)
    with db.session() as s:
        logged = adopt_existing(s)
        verifier = passwords.make_verifier(DEMO_PASSWORD)
        for account in s.scalars(select(Account)):
            s.merge(Password(account_id=account.id, verifier=verifier))
    logins = ", ".join(a[0] if isinstance(a, tuple) else str(a) for a in DEMO_ACCOUNTS)
    return (
        f"demo: {people} people, {logged} rows logged; accounts {logins} (password {DEMO_PASSWORD})"
    )
