"""The application facade the UI talks to: one session per call, one actor for all calls.

Widgets call these methods (usually from a worker thread) and get plain dataclasses back; they
never see a ``Session`` or an ORM object.
"""

from __future__ import annotations

import getpass
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chapterdesk import __version__
from chapterdesk.domain.actors import Actor
from chapterdesk.domain.decks import DeckReport, SlideText
from chapterdesk.domain.enums import DeckDecision, Role
from chapterdesk.domain.permissions import Action, allows, require
from chapterdesk.domain.violations import PermissionDenied, RuleViolation
from chapterdesk.i18n import _
from chapterdesk.services import (
    accounts,
    audit,
    chapters,
    checkin,
    decks,
    exports,
    meetings,
    paper,
    people,
    registrations,
    retention,
)
from chapterdesk.services.partner_desk import PartnerDesk
from chapterdesk.services.views import (
    AttendeeRow,
    BadgeData,
    ChapterSettings,
    ChapterSummary,
    DeskCounts,
    FindingRow,
    MeetingDraft,
    MeetingRow,
    PersonRow,
    PresenterChoice,
    ReviewData,
    SlotRow,
    StoreFacts,
    Verdict,
    VersionRow,
)
from chapterdesk.store.database import Store

if TYPE_CHECKING:
    from chapterdesk.services.roster_desk import RosterDesk
from chapterdesk.store.migrations import HEAD
from chapterdesk.store.models import OutboxEntry
from chapterdesk.sync.engine import SyncEngine
from chapterdesk.sync.status import SyncReport, SyncStatus

T = TypeVar("T")
MAX_FAILED_SIGN_INS = 5
SIGN_IN_PAUSE_SECONDS = 30.0


def local_leader() -> Actor:
    """A leader of every chapter on the laptop, for tests and command-line tools that run
    without the window's sign-in."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "leader"
    return Actor(account_id="local-leader", display_name=name, role=Role.LEADER, all_chapters=True)


class Desk:
    """Everything the window needs, backed by one open store.

    Until someone signs in (and again after :meth:`lock`) there is no actor, and every call
    that touches chapter data is refused (ROS-5)."""

    def __init__(self, store: Store, actor: Actor | None = None) -> None:
        self.store = store
        self._actor = actor
        self._failed_sign_ins = 0
        self._paused_until = 0.0
        self._sign_in_lock = threading.Lock()
        self.sync_engine = SyncEngine(store)

    @property
    def actor(self) -> Actor:
        actor = self._actor
        if actor is None:
            raise PermissionDenied(_("ChapterDesk is locked: sign in first (ROS-5)."))
        return actor

    @property
    def partners(self) -> PartnerDesk:
        """The Partners page's calls (PRT-1…7, CND-1)."""
        return PartnerDesk(self.store, lambda: self.actor)

    @property
    def roster(self) -> RosterDesk:
        """The People page's roster management (ORG-1…5, issue 8); imported on first use, so
        start-up does not pay for it."""
        from chapterdesk.services.roster_desk import RosterDesk

        return RosterDesk(self.store, lambda: self.actor)

    @property
    def signed_in(self) -> Actor | None:
        return self._actor

    # --------------------------------------------------------------- sign-in (ROS-5)
    def has_accounts(self) -> bool:
        with self.store.session() as s:
            return accounts.any_accounts(s)

    def set_up_laptop(self, display_name: str, login: str, password: str) -> Actor:
        """The first account on a new laptop; it leads every chapter stored here."""
        with self.store.session() as s:
            actor = accounts.create_first_leader(s, display_name, login, password)
        self._actor = actor
        return actor

    def set_up_from_server(
        self, url: str, login: str, password: str, device_name: str
    ) -> tuple[Actor, SyncStatus]:
        """First start on a laptop of a chapter that has a server: sign in to the server first
        (nothing local is made if it refuses), then make the local account with the same login
        and password, so one password opens both. The chapters arrive with the first sync."""
        with self.store.session() as s:
            if accounts.any_accounts(s):
                raise PermissionDenied(
                    _("This laptop is already set up: sign in with your account.")
                )
        status = self.sync_engine.connect(url, login, password, device_name)
        try:
            if not self.sync_engine.server_roles() & {Role.LEADER.value, Role.CO_LEADER.value}:
                raise PermissionDenied(
                    _(
                        "{login} is not a leader or co-leader of a chapter on that server, and a "
                        "laptop's first account leads it (ROS-4: it can print and export the "
                        "roster). Ask a chapter leader to set the laptop up; volunteers check "
                        "people in on a leader's laptop (kiosk)."
                    ).format(login=login)
                )
            actor = self.set_up_laptop(status.account_name or login, login, password)
        except BaseException:
            self.sync_engine.disconnect()  # no half-set-up laptop holding a server token
            raise
        return actor, status

    def set_up_with_chapter(
        self,
        display_name: str,
        login: str,
        password: str,
        community_code: str,
        chapter_name: str,
        region: str = "",
    ) -> ChapterSummary:
        """First start offline: the laptop's leader and the first chapter in one transaction,
        so a refused chapter name leaves no account behind (the form can simply be sent again)."""
        with self.store.session() as s:
            actor = accounts.create_first_leader(s, display_name, login, password)
            chapter = chapters.create_chapter(s, actor, community_code, chapter_name, region)
        self._actor = actor
        return chapter

    def create_chapter(self, community_code: str, name: str, region: str = "") -> ChapterSummary:
        """A chapter started on this laptop (first start, offline)."""
        with self.store.session() as s:
            return chapters.create_chapter(s, self.actor, community_code, name, region)

    def sign_in(self, login: str, password: str) -> Actor:
        """Unlock with the offline verifier (see :meth:`_password_tried` for the pause after
        repeated wrong passwords)."""

        def check() -> Actor:
            with self.store.session() as s:
                if self._actor is not None and self._actor.kiosk:
                    return accounts.leave_kiosk(s, self._actor, login, password)
                return accounts.sign_in(s, login, password)

        actor = self._password_tried(check)
        self._actor = actor
        return actor

    def _password_tried(self, attempt: Callable[[], T]) -> T:
        """Every check of a password goes through here: after five wrong ones in a row the
        desk waits 30 seconds before it checks another. The count lives as long as the app
        (a restart starts it again; the scrypt cost still limits guessing to a few a second)."""
        with self._sign_in_lock:
            wait = self._paused_until - time.monotonic()
            if wait > 0:
                raise accounts.SignInRefused(
                    _("Too many wrong passwords. Wait {s} seconds, then try again.").format(
                        s=int(wait) + 1
                    )
                )
            try:
                result = attempt()
            except accounts.SignInRefused:
                self._failed_sign_ins += 1
                if self._failed_sign_ins >= MAX_FAILED_SIGN_INS:
                    self._failed_sign_ins = 0
                    self._paused_until = time.monotonic() + SIGN_IN_PAUSE_SECONDS
                raise
            self._failed_sign_ins = 0
            return result

    def lock(self) -> None:
        """Forget who is signed in; a kiosk stays a kiosk until a leader ends it."""
        if self._actor is not None and not self._actor.kiosk:
            self._actor = None

    def start_kiosk(self, meeting_id: str) -> Actor:
        """Hand the laptop to a volunteer for the check-in of one meeting."""
        with self.store.session() as s:
            kiosk = accounts.kiosk_actor(s, self.actor, meeting_id)
        self._actor = kiosk
        return kiosk

    def chapter_accounts(self, chapter_id: str) -> list[accounts.AccountRow]:
        with self.store.session() as s:
            return accounts.list_accounts(s, self.actor, chapter_id)

    def create_account(
        self, chapter_id: str, display_name: str, login: str, password: str, role: Role
    ) -> accounts.AccountRow:
        with self.store.session() as s:
            return accounts.create_account(
                s, self.actor, chapter_id, display_name, login, password, role
            )

    def assign_volunteer(self, meeting_id: str, account_id: str) -> None:
        with self.store.session() as s:
            accounts.assign_volunteer(s, self.actor, meeting_id, account_id)

    def change_password(self, current: str, new: str) -> None:
        """Not from a kiosk: it runs on the leader's account, but the volunteer holds it. Wrong
        current passwords count towards the same pause as wrong sign-ins."""
        actor = self.actor

        def change() -> None:
            with self.store.session() as s:
                accounts.change_password(s, actor, current, new)

        self._password_tried(change)

    def chapters(self) -> list[ChapterSummary]:
        with self.store.session() as s:
            return chapters.list_chapters(s, self.actor)

    def meetings(self, chapter_id: str) -> list[MeetingRow]:
        with self.store.session() as s:
            return meetings.list_meetings(s, self.actor, chapter_id)

    def people(self, chapter_id: str) -> list[PersonRow]:
        with self.store.session() as s:
            return people.list_people(s, self.actor, chapter_id)

    # ------------------------------------------------------------------ check-in desk
    def attendees(self, meeting_id: str) -> list[AttendeeRow]:
        with self.store.session() as s:
            return checkin.attendees(s, self.actor, meeting_id)

    def desk_counts(self, meeting_id: str) -> DeskCounts:
        with self.store.session() as s:
            return checkin.counts(s, self.actor, meeting_id)

    def desk_state(self, meeting_id: str) -> tuple[list[AttendeeRow], DeskCounts]:
        """The attendee list and its counts from one query (the desk refreshes after each
        action)."""
        with self.store.session() as s:
            rows = checkin.attendees(s, self.actor, meeting_id)
            return rows, checkin.summarise(rows)

    def check_in(self, registration_id: str) -> Verdict:
        with self.store.session() as s:
            return checkin.check_in(s, self.actor, registration_id)

    def scan(self, meeting_id: str, text: str) -> Verdict:
        with self.store.session() as s:
            return checkin.scan(s, self.actor, meeting_id, text)

    def check_out(self, registration_id: str) -> Verdict:
        with self.store.session() as s:
            return checkin.check_out(s, self.actor, registration_id)

    def undo_check_in(self, registration_id: str) -> Verdict:
        with self.store.session() as s:
            return checkin.undo(s, self.actor, registration_id)

    def register_walk_in(self, meeting_id: str, person_id: str) -> Verdict:
        """A customer or prospect at the door (MTG-2: never a partner), then checked in."""
        with self.store.session() as s:
            done = registrations.register(s, self.actor, meeting_id, person_id, at_the_door=True)
            return checkin.check_in(s, self.actor, done.registration_id)

    def register_new_walk_in(
        self, meeting_id: str, first_name: str, last_name: str, organisation: str, email: str = ""
    ) -> Verdict:
        """Someone not on the roster yet: add them as a prospect, register, check in — one
        transaction, so a refusal leaves nothing half-done."""
        with self.store.session() as s:
            person_id = people.add_walk_in(
                s, self.actor, meeting_id, first_name, last_name, organisation, email
            )
            done = registrations.register(s, self.actor, meeting_id, person_id, at_the_door=True)
            return checkin.check_in(s, self.actor, done.registration_id)

    def roster_matches(self, meeting_id: str, query: str, limit: int = 20) -> list[PersonRow]:
        """People on the roster matching ``query`` (for the walk-in dialog of a meeting)."""
        with self.store.session() as s:
            return people.find_for_walk_in(s, self.actor, meeting_id, query, limit)

    # ------------------------------------------------------------- meetings, registrations
    def create_meeting(self, chapter_id: str, draft: MeetingDraft) -> str:
        with self.store.session() as s:
            return meetings.create_meeting(s, self.actor, chapter_id, draft)

    def update_meeting(self, meeting_id: str, draft: MeetingDraft) -> None:
        with self.store.session() as s:
            meetings.update_meeting(s, self.actor, meeting_id, draft)

    def meeting_draft(self, meeting_id: str) -> MeetingDraft:
        with self.store.session() as s:
            return meetings.meeting_draft(s, self.actor, meeting_id)

    def chapter_settings(self, chapter_id: str) -> ChapterSettings:
        with self.store.session() as s:
            return meetings.chapter_settings(s, self.actor, chapter_id)

    def update_chapter_settings(self, chapter_id: str, settings: ChapterSettings) -> None:
        with self.store.session() as s:
            meetings.update_chapter_settings(s, self.actor, chapter_id, settings)

    def set_chapter_template(self, chapter_id: str, path: Path) -> str:
        """The chapter's slide template from a file (DECK-1); a file that cannot be read is
        refused with its name and why."""
        from chapterdesk.services import templates

        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise RuleViolation(
                "DECK-1",
                _("{name} could not be read ({why}).").format(
                    name=Path(path).name, why=exc.strerror or type(exc).__name__
                ),
                _("Choose the template file again, or copy it to this laptop first."),
            ) from exc
        with self.store.session() as s:
            return templates.set_chapter_template(s, self.actor, chapter_id, Path(path).name, data)

    def use_default_template(self, chapter_id: str) -> None:
        from chapterdesk.services import templates

        with self.store.session() as s:
            templates.use_default_template(s, self.actor, chapter_id)

    def register(
        self, meeting_id: str, person_id: str, escort_registration_id: str | None = None
    ) -> registrations.Registered:
        with self.store.session() as s:
            return registrations.register(
                s, self.actor, meeting_id, person_id, escort_registration_id=escort_registration_id
            )

    def register_with_inviting_customer(
        self, meeting_id: str, partner_id: str, customer_id: str
    ) -> registrations.Registered:
        """ESC-1 in one step: the inviting customer and the partner, both or neither."""
        with self.store.session() as s:
            escort = registrations.register(s, self.actor, meeting_id, customer_id)
            return registrations.register(
                s, self.actor, meeting_id, partner_id, escort_registration_id=escort.registration_id
            )

    def cancel_registration(self, registration_id: str) -> registrations.Cancelled:
        with self.store.session() as s:
            return registrations.cancel(s, self.actor, registration_id)

    def restore_registration(self, registration_id: str) -> registrations.Registered:
        with self.store.session() as s:
            return registrations.restore(s, self.actor, registration_id)

    def approve_registration(self, registration_id: str) -> registrations.Registered:
        with self.store.session() as s:
            return registrations.approve(s, self.actor, registration_id)

    def assign_escort(
        self, registration_id: str, escort_registration_id: str
    ) -> registrations.Registered:
        with self.store.session() as s:
            return registrations.assign_escort(
                s, self.actor, registration_id, escort_registration_id
            )

    # ---------------------------------------------------------------------------- paper
    def badges(self, meeting_id: str, registration_ids: list[str] | None = None) -> list[BadgeData]:
        with self.store.session() as s:
            return paper.badges(s, self.actor, meeting_id, registration_ids)

    # ---------------------------------------------------------------------------- decks
    # DECK-1…5, PRT-5, MTG-8. Leaders only (Action.REVIEW_DECKS); see services/decks.py.
    def presenter_choices(self, chapter_id: str) -> list[PresenterChoice]:
        with self.store.session() as s:
            return decks.presenter_choices(s, self.actor, chapter_id)

    def create_slot(
        self,
        meeting_id: str,
        topic: str,
        partner_organisation_id: str,
        speaker_person_id: str | None = None,
    ) -> str:
        with self.store.session() as s:
            return decks.create_slot(
                s, self.actor, meeting_id, topic, partner_organisation_id, speaker_person_id
            )

    def slots(self, meeting_id: str) -> list[SlotRow]:
        with self.store.session() as s:
            return decks.list_slots(s, self.actor, meeting_id)

    def chapter_slots(self, chapter_id: str) -> list[SlotRow]:
        with self.store.session() as s:
            return decks.chapter_slots(s, self.actor, chapter_id)

    def set_handouts(self, slot_id: str, approved: bool) -> SlotRow:
        with self.store.session() as s:
            return decks.set_handouts(s, self.actor, slot_id, approved)

    def deck_versions(self, slot_id: str) -> list[VersionRow]:
        with self.store.session() as s:
            return decks.list_versions(s, self.actor, slot_id)

    def add_deck_version(self, slot_id: str, filename: str, data: bytes) -> VersionRow:
        with self.store.session() as s:
            return decks.add_version(s, self.actor, slot_id, filename, data)

    def add_deck_file(self, slot_id: str, path: Path) -> VersionRow:
        """A file from the file dialog or a drop: read in the worker, refused before reading
        when it is larger than any deck we store."""
        decks.check_deck_size(path.name, path.stat().st_size)
        return self.add_deck_version(slot_id, path.name, path.read_bytes())

    def analyse_deck(self, version_id: str) -> DeckReport:
        """Check a version and store its findings. Slow (seconds): call it from a worker. The
        checker runs between two short transactions, so the database is not held meanwhile."""
        with self.store.session() as s:
            inputs = decks.analysis_inputs(s, self.actor, version_id)
        outcome = decks.run_checks(inputs)
        with self.store.session() as s:
            decks.record_analysis(s, self.actor, inputs, outcome)
        return outcome.report

    def deck_findings(self, version_id: str) -> list[FindingRow]:
        with self.store.session() as s:
            return decks.list_findings(s, self.actor, version_id)

    def deck_outline(self, version_id: str) -> list[SlideText]:
        with self.store.session() as s:
            return decks.outline(s, self.actor, version_id)

    def dismiss_finding(self, finding_id: str, reason: str) -> FindingRow:
        with self.store.session() as s:
            return decks.dismiss_finding(s, self.actor, finding_id, reason)

    def restore_finding(self, finding_id: str) -> FindingRow:
        with self.store.session() as s:
            return decks.restore_finding(s, self.actor, finding_id)

    def decide_deck(self, version_id: str, decision: DeckDecision, comment: str) -> VersionRow:
        with self.store.session() as s:
            return decks.decide(s, self.actor, version_id, decision, comment)

    def review_data(self, version_id: str) -> ReviewData:
        with self.store.session() as s:
            return decks.review_data(s, self.actor, version_id)

    # ------------------------------------------------------------ exports (ROS-4)
    # Leaders only, with a purpose, a confidential mark on every page, and an audit event.
    # The file is written and the event recorded in one transaction: a failed write records
    # nothing and leaves no file (temporary file beside the target, removed on error); a
    # failed commit removes the file it would have recorded.
    def roster_export_options(self, chapter_id: str) -> exports.ExportOptions:
        """The fields this leader may export, the exact mark, the number of people."""
        with self.store.session() as s:
            return exports.export_options(s, self.actor, chapter_id)

    def export_roster(
        self, chapter_id: str, purpose: str, fields: Sequence[str], kind: str, path: Path
    ) -> int:
        """Write the roster of ``chapter_id`` (``fields``, see :class:`exports.RosterField`) as
        ``kind`` ("pdf" or "csv") to ``path`` and record it; returns the number of people."""
        from chapterdesk.reports.roster import roster_csv, roster_pdf

        fmt = exports.ExportFormat(kind)
        target = Path(path)

        def write(s: Session, out: BinaryIO) -> int:
            export = exports.prepare_roster_export(s, self.actor, chapter_id, purpose, fields)
            if fmt is exports.ExportFormat.CSV:
                roster_csv(export.mark, export.labels, export.rows, out)
            else:
                roster_pdf(
                    export.chapter_name,
                    export.mark,
                    export.purpose,
                    export.labels,
                    export.rows,
                    out,
                )
            exports.record_roster_export(s, self.actor, export, kind=fmt, file_name=target.name)
            return export.people

        return self._publish(target, write)

    def write_signin_sheet(self, meeting_id: str, purpose: str, path: Path) -> int:
        """The meeting's sign-in sheet as a PDF at ``path``, marked and recorded like a roster
        export (ROS-4); returns the number of people on it."""
        from chapterdesk.reports.signin import signin_sheet_pdf

        target = Path(path)

        def write(s: Session, out: BinaryIO) -> int:
            header, rows = paper.signin_sheet(
                s, self.actor, meeting_id, purpose, file_name=target.name
            )
            signin_sheet_pdf(
                header.chapter_name,
                header.meeting_title,
                header.meeting_date,
                header.venue,
                rows,
                out,
                mark=header.mark,
            )
            return len(rows)

        return self._publish(target, write)

    def write_badges(self, meeting_id: str, purpose: str, path: Path, stock: str) -> int:
        """A sheet of the meeting's badges (``stock``: "avery5392" or "a6") at ``path``, for a
        stated purpose, marked in the sheet margin and recorded (ROS-4); returns how many."""
        from chapterdesk.reports.badges import A6, AVERY_5392, badges_pdf

        stocks = {"avery5392": AVERY_5392, "a6": A6}
        target = Path(path)

        def write(s: Session, out: BinaryIO) -> int:
            data = paper.badges(s, self.actor, meeting_id, purpose=purpose, file_name=target.name)
            badges_pdf(data, out, stocks[stock], mark=paper.sheet_mark(s, self.actor, meeting_id))
            return len(data)

        return self._publish(target, write)

    def _publish(self, target: Path, write: Callable[[Session, BinaryIO], int]) -> int:
        """Write a file of people and its audit event (ROS-4): the file is written under a
        temporary name inside the transaction, the event is committed, and only then is the
        file moved into place — a failure anywhere leaves no file, and a crash at worst a
        recorded export without its file, never an unrecorded one."""
        from chapterdesk.reports._output import StagedFile

        staged = StagedFile(target)
        try:
            with self.store.session() as s:
                result = write(s, staged.handle)
                staged.finish()
            staged.publish()
        except BaseException:
            staged.discard()
            raise
        return result

    # ------------------------------------------------------ audit and retention (ROS-1, ROS-4)
    def audit_rows(
        self,
        chapter_id: str,
        filters: audit.AuditFilter | None = None,
        limit: int | None = audit.AUDIT_LIMIT,
    ) -> list[audit.AuditRow]:
        """The chapter's audit trail, newest first; leaders only (ROS-4)."""
        f = filters or audit.AuditFilter()
        with self.store.session() as s:
            return audit.list_audit(
                s,
                self.actor,
                chapter_id,
                text=f.text,
                action=f.action,
                since=f.since,
                until=f.until,
                limit=limit,
            )

    def audit_kinds(self, chapter_id: str) -> list[audit.AuditKind]:
        with self.store.session() as s:
            return audit.audit_kinds(s, self.actor, chapter_id)

    def export_audit(
        self, chapter_id: str, filters: audit.AuditFilter, purpose: str, path: Path
    ) -> int:
        """Write the filtered trail as CSV where the leader chose, marked and recorded like a
        roster export (ROS-4); returns the number of rows written."""
        target = Path(path)
        return self._publish(
            target,
            lambda s, out: audit.export_audit(
                s, self.actor, chapter_id, filters, purpose, out, file_name=target.name
            ),
        )

    def may_purge(self, chapter_id: str) -> bool:
        """Whether the Audit page offers "Purge old data" (the service checks again)."""
        return self._actor is not None and retention.may_purge(self._actor, chapter_id)

    def purge_preview(self, chapter_id: str) -> retention.PurgePreview:
        """What a retention purge would clear today (ROS-1); changes nothing."""
        with self.store.session() as s:
            return retention.preview_purge(s, self.actor, chapter_id, retention.today())

    def purge_old_data(
        self, chapter_id: str, preview: retention.PurgePreview
    ) -> retention.PurgeResult:
        """Clear exactly what ``preview`` showed, or refuse (ROS-1) if the data changed."""
        with self.store.session() as s:
            return retention.purge(s, self.actor, chapter_id, retention.today(), preview)

    # ----------------------------------------------------------------------------- sync
    def sync_status(self) -> SyncStatus:
        """Connected?, server, account, device, pending changes and sync issues. Issues name
        people, so only someone who may sync sees them."""
        status = self.sync_engine.status()
        if self._actor is None or not allows(self._actor, Action.SYNC):
            return replace(status, issues=())
        return status

    def connect_server(self, url: str, login: str, password: str, device_name: str) -> SyncStatus:
        """Sign this laptop in to a chapter server (leaders and co-leaders, ROS-5)."""
        require(self.actor, Action.SYNC)
        return self.sync_engine.connect(url, login, password, device_name)

    def disconnect_server(self) -> None:
        require(self.actor, Action.SYNC)
        self.sync_engine.disconnect()

    def sync_now(self) -> SyncReport:
        """One round: push the outbox, pull every chapter. Blocking: call it from a worker.
        Anyone signed in (a volunteer's check-ins must go out too); the server decides what
        each account may send and receive."""
        self.actor  # noqa: B018 — refused while locked (ROS-5)
        return self.sync_engine.sync_once()

    def dismiss_sync_issue(self, issue_id: str) -> None:
        require(self.actor, Action.SYNC)
        self.sync_engine.dismiss(issue_id)

    # --------------------------------------------------------------------------- status
    def pending_changes(self) -> int:
        """Local changes not yet confirmed by the server (shown in the status bar)."""
        with self.store.session() as s:
            return (
                s.scalar(
                    select(func.count())
                    .select_from(OutboxEntry)
                    .where(OutboxEntry.sent_at.is_(None))
                )
                or 0
            )

    def facts(self) -> StoreFacts:
        store = self.store
        kept_in = {
            "keyring": f"system keyring ({store.keyring_backend})",
            "passphrase": "derived from your passphrase (scrypt)",
            "none": "not encrypted",
        }[store.info.key_mode]
        return StoreFacts(
            version=__version__,
            data_folder=str(store.paths.root),
            database_file=str(store.paths.database),
            encrypted=store.encrypted,
            key_kept_in=kept_in,
            device_id=store.device_id,
            schema_revision=HEAD,
        )
