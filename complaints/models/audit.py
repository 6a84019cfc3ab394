"""Tamper-evident history, staff access records and published statistics."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from complaints.db import Base, UTCDateTime
from complaints.models._types import one_of
from complaints.vocab import ACTOR_KINDS, CHANNELS


class CaseEvent(Base):
    """One link of a case's hash chain: each event's hash covers its fields and the previous hash."""

    __tablename__ = "case_event"
    __table_args__ = (
        UniqueConstraint("case_id", "seq"),
        one_of("actor_kind", ACTOR_KINDS, "actor_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case.id"))
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_kind: Mapped[str] = mapped_column(String(12))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str | None] = mapped_column(String(16))
    # Clear, non-identifying details (reason codes, agency codes) as canonical JSON.
    detail: Mapped[str] = mapped_column(Text, default="{}")
    note_ct: Mapped[bytes | None] = mapped_column(LargeBinary)  # free text is sealed
    prev_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class AccessLog(Base):
    """A staff read of case content, identity opening or export, kept apart for quick review."""

    __tablename__ = "access_log"
    __table_args__ = (one_of("action", ("read", "identity", "export", "attachment"), "action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("case.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(12))
    reason_code: Mapped[str | None] = mapped_column(String(40))


class PublishedStats(Base):
    """An immutable monthly snapshot per channel, with the SHA-256 of its canonical JSON."""

    __tablename__ = "published_stats"
    __table_args__ = (
        UniqueConstraint("org_id", "channel", "year", "month"),
        one_of("channel", CHANNELS, "channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    channel: Mapped[str] = mapped_column(String(12))
    year: Mapped[int] = mapped_column(Integer)  # CE calendar year of the month
    month: Mapped[int] = mapped_column(Integer)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
