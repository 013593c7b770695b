"""The application facade the UI talks to: one session per call, one actor for all calls.

Widgets call these methods (usually from a worker thread) and get plain dataclasses back; they
never see a ``Session`` or an ORM object.
"""

from __future__ import annotations

import getpass
import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from chapterdesk import __version__
from chapterdesk.domain.actors import Actor
from chapterdesk.domain.decks import DeckReport, SlideText
from chapterdesk.domain.enums import DeckDecision, Role
from chapterdesk.domain.violations import PermissionDenied
from chapterdesk.i18n import _
from chapterdesk.services import (
    accounts,
    chapters,
    checkin,
    decks,
    meetings,
    paper,
    people,
    registrations,
)
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
    SignInRow,
    SlotRow,
    StoreFacts,
    Verdict,
    VersionRow,
)
from chapterdesk.store.database import Store
from chapterdesk.store.migrations import HEAD
from chapterdesk.store.models import OutboxEntry

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

    @property
    def actor(self) -> Actor:
        actor = self._actor
        if actor is None:
            raise PermissionDenied(_("ChapterDesk is locked: sign in first (ROS-5)."))
        return actor

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

    def sign_in(self, login: str, password: str) -> Actor:
        """Unlock with the offline verifier. After five wrong tries in a row the desk waits
        30 seconds before it checks another password."""
        with self._sign_in_lock:
            wait = self._paused_until - time.monotonic()
            if wait > 0:
                raise accounts.SignInRefused(
                    _("Too many wrong passwords. Wait {s} seconds, then try again.").format(
                        s=int(wait) + 1
                    )
                )
            try:
                with self.store.session() as s:
                    actor = (
                        accounts.leave_kiosk(s, self._actor, login, password)
                        if self._actor is not None and self._actor.kiosk
                        else accounts.sign_in(s, login, password)
                    )
            except accounts.SignInRefused:
                self._failed_sign_ins += 1
                if self._failed_sign_ins >= MAX_FAILED_SIGN_INS:
                    self._failed_sign_ins = 0
                    self._paused_until = time.monotonic() + SIGN_IN_PAUSE_SECONDS
                raise
            self._failed_sign_ins = 0
            self._actor = actor
            return actor

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

    def change_password(self, current: str, new: str) -> None:
        with self.store.session() as s:
            accounts.change_password(s, self.actor, current, new)

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
            chapter_id = checkin.chapter_of_meeting(s, self.actor, meeting_id)
            person_id = people.add_walk_in(
                s, self.actor, chapter_id, first_name, last_name, organisation, email
            )
            done = registrations.register(s, self.actor, meeting_id, person_id, at_the_door=True)
            return checkin.check_in(s, self.actor, done.registration_id)

    def roster_matches(self, chapter_id: str, query: str, limit: int = 20) -> list[PersonRow]:
        """People on the roster matching ``query`` (for the walk-in dialog)."""
        with self.store.session() as s:
            return people.find_for_walk_in(s, self.actor, chapter_id, query, limit)

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

    def signin_sheet(self, meeting_id: str) -> tuple[paper.SheetHeader, list[SignInRow]]:
        """Leaders only; the print is recorded in the audit trail (ROS-4)."""
        with self.store.session() as s:
            return paper.signin_sheet(s, self.actor, meeting_id)

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

    # ------------------------------------------------------ audit and retention (ROS-1, ROS-4)

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
