"""Who may unlock this laptop, and as what (ROS-1…5).

Accounts come from the chapter server once sync exists; on the laptop each account that has
signed in keeps an offline verifier (:mod:`chapterdesk.services.passwords`). The first account
on a laptop is created by the person setting it up and leads every chapter stored on it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chapterdesk.domain.actors import Actor
from chapterdesk.domain.enums import Role
from chapterdesk.domain.permissions import Action, require
from chapterdesk.domain.roster import EMAIL
from chapterdesk.domain.violations import PermissionDenied, RuleViolation
from chapterdesk.i18n import _
from chapterdesk.services import passwords
from chapterdesk.services.changes import record_audit, record_row
from chapterdesk.services.facts import load_meeting
from chapterdesk.store.models import (
    Account,
    AccountRole,
    LocalCredential,
    Meeting,
    VolunteerAssignment,
)
from chapterdesk.store.types import utc_now

log = logging.getLogger(__name__)

# When an account holds several roles, the strongest decides what the session may do.
_RANK = {Role.LEADER: 0, Role.CO_LEADER: 1, Role.VOLUNTEER: 2, Role.PARTNER: 3}


class SignInRefused(PermissionDenied):
    """Wrong login or password, or an account that may not use this laptop."""


@dataclass(frozen=True)
class AccountRow:
    id: str
    display_name: str
    login: str
    role: Role
    chapter_id: str | None  # None: every chapter on this laptop
    meetings: tuple[str, ...] = ()  # a volunteer's assigned meetings (titles)


def normal_login(login: str) -> str:
    return login.strip().lower()


def any_accounts(session: Session) -> bool:
    """False on a laptop nobody has set up yet: the window offers to create the first leader."""
    return bool(
        session.scalar(select(func.count()).select_from(Account).where(Account.deleted.is_(False)))
    )


def _check_new_account(session: Session, display_name: str, login: str, password: str) -> str:
    name, wanted = display_name.strip(), normal_login(login)
    if not name:
        raise RuleViolation("ROS-5", _("The account needs a name."), _("Type the person's name."))
    if not EMAIL.fullmatch(wanted):
        raise RuleViolation(
            "ROS-5",
            _("“{login}” is not an email address.").format(login=login.strip()),
            _("Sign-in uses the person's email address as login."),
        )
    if session.scalar(select(Account.id).where(Account.login == wanted)) is not None:
        raise RuleViolation(
            "ROS-5",
            _("There is already an account for {login}.").format(login=wanted),
            _("Sign in with it, or choose another email address."),
        )
    passwords.check_strength(password, wanted)
    return wanted


def create_first_leader(session: Session, display_name: str, login: str, password: str) -> Actor:
    """Set the laptop up: the first account leads every chapter on it. Refused once any
    account exists, so this can never be used to get round a sign-in."""
    if any_accounts(session):
        raise PermissionDenied(_("This laptop is already set up: sign in with your account."))
    wanted = _check_new_account(session, display_name, login, password)
    account = Account(login=wanted, display_name=display_name.strip())
    session.add(account)
    session.flush()
    session.add(AccountRole(account_id=account.id, chapter_id=None, role=Role.LEADER))
    session.add(LocalCredential(account_id=account.id, verifier=passwords.make_verifier(password)))
    session.flush()
    log.info("laptop set up; first leader account %s", account.id)
    return actor_of(session, account)


def create_account(
    session: Session,
    actor: Actor,
    chapter_id: str,
    display_name: str,
    login: str,
    password: str,
    role: Role,
) -> AccountRow:
    """A leader adds a co-leader or a volunteer for their chapter (never a partner: partners
    never sign in to a leader's laptop, ROS-2)."""
    require(actor, Action.MANAGE_ACCOUNTS, chapter_id)
    if role is Role.PARTNER:
        raise RuleViolation(
            "ROS-2",
            _("Partners never sign in to a leader's laptop."),
            _("Partners use the chapter website for their registrations and decks."),
        )
    wanted = _check_new_account(session, display_name, login, password)
    account = Account(login=wanted, display_name=display_name.strip())
    session.add(account)
    session.flush()
    grant = AccountRole(account_id=account.id, chapter_id=chapter_id, role=role)
    session.add(grant)
    session.add(LocalCredential(account_id=account.id, verifier=passwords.make_verifier(password)))
    session.flush()
    # The account and its role reach the outbox like any change (the verifier never does).
    record_audit(
        session,
        actor,
        chapter_id=chapter_id,
        action="account.created",
        entity="accounts",
        entity_id=account.id,
        details={"name": account.display_name, "role": role.value},
    )
    return AccountRow(account.id, account.display_name, account.login, role, chapter_id)


def list_accounts(session: Session, actor: Actor, chapter_id: str) -> list[AccountRow]:
    """Accounts with a role in ``chapter_id`` (or in every chapter), with the meetings each
    volunteer works."""
    require(actor, Action.MANAGE_ACCOUNTS, chapter_id)
    rows = session.execute(
        select(Account, AccountRole)
        .join(AccountRole, AccountRole.account_id == Account.id)
        .where(
            Account.deleted.is_(False),
            AccountRole.deleted.is_(False),
            (AccountRole.chapter_id == chapter_id) | AccountRole.chapter_id.is_(None),
        )
        .order_by(Account.display_name)
    ).all()
    assigned: dict[str, list[str]] = {}
    for account_id, title in session.execute(
        select(VolunteerAssignment.account_id, Meeting.title)
        .join(Meeting, Meeting.id == VolunteerAssignment.meeting_id)
        .where(
            VolunteerAssignment.chapter_id == chapter_id,
            VolunteerAssignment.deleted.is_(False),
        )
        .order_by(Meeting.starts_at)
    ):
        assigned.setdefault(account_id, []).append(title)
    return [
        AccountRow(
            a.id, a.display_name, a.login, r.role, r.chapter_id, tuple(assigned.get(a.id, ()))
        )
        for a, r in rows
    ]


def assign_volunteer(session: Session, actor: Actor, meeting_id: str, account_id: str) -> None:
    """Let a volunteer work the check-in desk of one meeting (of the meeting's chapter)."""
    meeting = load_meeting(session, actor, meeting_id, Action.MANAGE_ACCOUNTS)
    grant = session.scalar(
        select(AccountRole).where(
            AccountRole.account_id == account_id,
            AccountRole.chapter_id == meeting.chapter_id,
            AccountRole.role == Role.VOLUNTEER,
            AccountRole.deleted.is_(False),
        )
    )
    if grant is None:
        raise RuleViolation(
            "ROS-1",
            _("Only a volunteer of this chapter can be assigned to its check-in desk."),
            _("Add them as a volunteer of the chapter first."),
        )
    exists = session.scalar(
        select(VolunteerAssignment.id).where(
            VolunteerAssignment.meeting_id == meeting_id,
            VolunteerAssignment.account_id == account_id,
            VolunteerAssignment.deleted.is_(False),
        )
    )
    if exists is not None:
        return
    row = VolunteerAssignment(
        chapter_id=meeting.chapter_id, meeting_id=meeting_id, account_id=account_id
    )
    session.add(row)
    session.flush()
    record_row(
        session,
        actor,
        row,
        ("meeting_id", "account_id"),
        action="volunteer.assigned",
        details={"meeting": meeting.title},
    )


def actor_of(session: Session, account: Account) -> Actor:
    """The session an account gets: its strongest role, in the chapters it holds that role in
    (and, for a volunteer, the meetings they were assigned)."""
    grants = list(
        session.scalars(
            select(AccountRole).where(
                AccountRole.account_id == account.id, AccountRole.deleted.is_(False)
            )
        )
    )
    usable = [g for g in grants if g.role is not Role.PARTNER]
    if not usable:
        raise SignInRefused(
            _("{name} has no role on this laptop (ROS-2).").format(name=account.display_name)
        )
    role = min((g.role for g in usable), key=_RANK.__getitem__)
    # Leader and co-leader have the same rights: leading A and co-leading B gives both.
    tier = {Role.LEADER, Role.CO_LEADER} if role in (Role.LEADER, Role.CO_LEADER) else {role}
    chosen = [g for g in usable if g.role in tier]
    meetings: frozenset[str] = frozenset()
    if role is Role.VOLUNTEER:
        meetings = frozenset(
            session.scalars(
                select(VolunteerAssignment.meeting_id).where(
                    VolunteerAssignment.account_id == account.id,
                    VolunteerAssignment.deleted.is_(False),
                )
            )
        )
    return Actor(
        account_id=account.id,
        display_name=account.display_name,
        role=role,
        chapter_ids=frozenset(g.chapter_id for g in chosen if g.chapter_id is not None),
        all_chapters=any(g.chapter_id is None for g in chosen),
        meeting_ids=meetings,
    )


def sign_in(session: Session, login: str, password: str) -> Actor:
    """Check ``password`` against the offline verifier of ``login``. The refusal never says
    which of the two was wrong."""
    refused = SignInRefused(_("Wrong login or password. Check both and try again (Caps Lock?)."))
    account = session.scalar(
        select(Account).where(Account.login == normal_login(login), Account.deleted.is_(False))
    )
    credential = session.get(LocalCredential, account.id) if account is not None else None
    if account is None or credential is None:
        passwords.spend_equal_time(password)
        raise refused
    if not passwords.verify(password, credential.verifier):
        log.info("sign-in refused for account %s", account.id)
        raise refused
    if not account.active:
        raise SignInRefused(
            _("The account of {name} is switched off. Ask a chapter leader.").format(
                name=account.display_name
            )
        )
    log.info("account %s signed in", account.id)
    return actor_of(session, account)


def change_password(session: Session, actor: Actor, current: str, new: str) -> None:
    """The signed-in person replaces their own password (the old one must be right). Never
    from a kiosk: the volunteer holding the laptop is not the leader whose account it runs on."""
    if actor.kiosk:
        raise PermissionDenied(_("A kiosk cannot change passwords (ROS-5). End kiosk mode first."))
    credential = session.get(LocalCredential, actor.account_id)
    if credential is None or not passwords.verify(current, credential.verifier):
        raise SignInRefused(_("The current password is wrong."))
    account = session.get(Account, actor.account_id)
    passwords.check_strength(new, account.login if account else "")
    credential.verifier = passwords.make_verifier(new)
    credential.changed_at = utc_now()


def kiosk_actor(session: Session, actor: Actor, meeting_id: str) -> Actor:
    """A leader hands the laptop to a volunteer: check-in of this one meeting, with volunteer
    rights (names, companies, status; no contact details, lists, exports or decks)."""
    meeting = load_meeting(session, actor, meeting_id, Action.START_KIOSK)
    record_audit(
        session,
        actor,
        chapter_id=meeting.chapter_id,
        action="kiosk.started",
        entity="meetings",
        entity_id=meeting.id,
        details={"meeting": meeting.title},
    )
    return Actor(
        account_id=actor.account_id,
        display_name=_("Check-in desk (kiosk of {name})").format(name=actor.display_name),
        role=Role.VOLUNTEER,
        chapter_ids=frozenset({meeting.chapter_id}),
        meeting_ids=frozenset({meeting.id}),
        kiosk=True,
    )


def leave_kiosk(session: Session, kiosk: Actor, login: str, password: str) -> Actor:
    """Only a leader of the kiosk's chapter signs the laptop back out of kiosk mode."""
    actor = sign_in(session, login, password)
    chapter = next(iter(kiosk.chapter_ids), "")
    if not actor.is_leader or not actor.may_act_in(chapter):
        raise SignInRefused(
            _("{name} is not a leader of this chapter: only a leader can end kiosk mode.").format(
                name=actor.display_name
            )
        )
    record_audit(
        session,
        actor,
        chapter_id=chapter,
        action="kiosk.ended",
        entity="meetings",
        entity_id=next(iter(kiosk.meeting_ids), None),
        details={},
    )
    return actor
