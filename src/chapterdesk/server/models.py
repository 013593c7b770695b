"""Server-only tables, beside the replicated tables of :mod:`chapterdesk.store.models`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from chapterdesk.store.models import NAMING_CONVENTION
from chapterdesk.store.types import UTCDateTime, new_id, utc_now


class ServerBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ChapterCounter(ServerBase):
    """The next change-log number of a chapter. Taken with ``UPDATE … RETURNING`` inside the
    writing transaction, so the row lock orders writers and commits become visible in seq
    order (a sequence could commit out of order and make a reader skip a row forever)."""

    __tablename__ = "srv_chapter_counters"
    chapter_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    pruned_through: Mapped[int] = mapped_column(BigInteger, default=0)  # 410 below this


class ChangeLogEntry(ServerBase):
    """One change of one row: the fields that won, each with its HLC stamp."""

    __tablename__ = "srv_change_log"
    chapter_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(36))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    mutation_id: Mapped[str | None] = mapped_column(String(64), default=None)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class FieldStamps(ServerBase):
    """The HLC stamp of every field of a row: last writer wins per field."""

    __tablename__ = "srv_field_stamps"
    entity: Mapped[str] = mapped_column(String(64), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    stamps: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)


class ProcessedMutation(ServerBase):
    """A mutation already applied: a retry gets the same answer, and never a second row."""

    __tablename__ = "srv_processed_mutations"
    mutation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class Device(ServerBase):
    """A laptop a leader signed in on. Only the SHA-256 of its token is kept."""

    __tablename__ = "srv_devices"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    account_id: Mapped[str] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    last_seen: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The chapters in scope at sign-in (with those granted since: what a revocation wipes).
    # Pulls never write, so they never wait for the write lock.
    chapters: Mapped[list[str]] = mapped_column(JSON, default=list)


class Password(ServerBase):
    """An account's scrypt verifier on the server (never the password)."""

    __tablename__ = "srv_passwords"
    account_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    verifier: Mapped[str] = mapped_column(String(400))


class AccountPerson(ServerBase):
    """A member's or partner's own roster entry: what their self-service endpoints act on."""

    __tablename__ = "srv_account_people"
    account_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    chapter_id: Mapped[str] = mapped_column(String(36))
    __table_args__ = (Index(None, "person_id"),)


class Setting(ServerBase):
    """Server settings kept in the database (retention), so every worker agrees."""

    __tablename__ = "srv_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
