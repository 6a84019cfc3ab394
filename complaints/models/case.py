"""The case and what hangs off it. Story, identity, file names and messages are ciphertext only."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from complaints.db import Base, UTCDateTime
from complaints.models._types import one_of
from complaints.models.org import Organization
from complaints.vocab import ACTOR_KINDS, CHANNELS, KINDS, MESSAGE_KINDS, SOURCES
from complaints.workflow.states import STATE_CODES


class Case(Base):
    """One complaint, grievance or tip.

    The id is a random UUID made before insert, so associated data (``case:<id>:story:v1``) can bind
    ciphertext to the row in the same INSERT.
    """

    __tablename__ = "case"
    __table_args__ = (
        UniqueConstraint("org_id", "channel", "fiscal_year", "number"),
        one_of("channel", CHANNELS, "channel"),
        one_of("kind", KINDS, "kind"),
        one_of("source", SOURCES, "source"),
        one_of("state", STATE_CODES, "state"),
        # Staff queue: one organization's channel, by state, soonest due first.
        Index("ix_case_queue", "org_id", "channel", "state", "next_notice_due"),
        # Deadline sweep: open cases by due date (partial, so closed cases cost nothing).
        Index(
            "ix_case_open_due",
            "next_notice_due",
            sqlite_where=text("state != 'closed'"),
            postgresql_where=text("state != 'closed'"),
        ),
        # Sweep: open cases whose warning day has come (reminders start on warn_on).
        Index(
            "ix_case_open_warn",
            "warn_on",
            sqlite_where=text("state != 'closed'"),
            postgresql_where=text("state != 'closed'"),
        ),
        # Sweep: cases flagged overdue (to clear), and open referred-in cases by their second clock.
        Index("ix_case_overdue", "next_notice_due", sqlite_where=text("overdue"),
              postgresql_where=text("overdue")),
        Index(
            "ix_case_referral_due",
            "referral_due",
            sqlite_where=text("referral_due IS NOT NULL AND state != 'closed'"),
            postgresql_where=text("referral_due IS NOT NULL AND state != 'closed'"),
        ),
        # Monthly statistics: per organization and channel over a received-at range.
        Index("ix_case_stats", "org_id", "channel", "received_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    channel: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(12))
    source: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default="received")
    fiscal_year: Mapped[int] = mapped_column(Integer)  # BE year in which the fiscal year ends
    number: Mapped[int] = mapped_column(Integer)  # running number within org, channel, fiscal year
    # HMAC of the normalized tracking code; the code itself is never stored.
    tracking_index: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_notice_due: Mapped[date] = mapped_column(Date)  # last day (Bangkok) for the first notice
    next_notice_due: Mapped[date | None] = mapped_column(Date)  # the obligation now running
    warn_on: Mapped[date | None] = mapped_column(Date)  # last working day on or before the due day
    last_notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    names_executive: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[str | None] = mapped_column(String(40))
    # The state a case returns to when the complainant answers a question (needs_info).
    resume_state: Mapped[str | None] = mapped_column(String(16))
    # When the complainant was last told the result (or the forwarding / non-acceptance).
    result_notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Recorded "no way to reach the complainant": closing is then allowed without a result notice.
    no_contact: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Referred-in cases keep the referrer's own reporting deadline as a second clock.
    referral_agency: Mapped[str | None] = mapped_column(String(40))
    referral_ref: Mapped[str | None] = mapped_column(String(80))
    referral_due: Mapped[date | None] = mapped_column(Date)

    story_ct: Mapped[bytes] = mapped_column(LargeBinary)
    story_dek: Mapped[bytes] = mapped_column(LargeBinary)  # DEK wrapped by the channel's story KEK
    story_kek_id: Mapped[str] = mapped_column(String(40))
    identity_ct: Mapped[bytes | None] = mapped_column(LargeBinary)
    identity_dek: Mapped[bytes | None] = mapped_column(LargeBinary)
    identity_kek_id: Mapped[str | None] = mapped_column(String(40))

    # Head of the event hash chain and its length: deleting the newest event is detected too.
    event_count: Mapped[int] = mapped_column(Integer, default=0)
    audit_head: Mapped[bytes | None] = mapped_column(LargeBinary(32))

    organization: Mapped[Organization] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="case", order_by="Attachment.created_at"
    )

    @property
    def case_number(self) -> str:
        """The เลขรับ staff write on letters, e.g. ``ทจ 2569/0007``. Never grants access."""
        return f"{self.organization.prefix(self.channel)} {self.fiscal_year}/{self.number:04d}"


class CaseAlert(Base):
    """A reminder or escalation raised by the deadline sweep, once per case, kind and due date.

    The unique key makes the sweep idempotent: run twice, or by two schedulers at once, it inserts
    each alert exactly once.
    """

    __tablename__ = "case_alert"
    __table_args__ = (
        UniqueConstraint("case_id", "kind", "due"),
        one_of("kind", ("reminder", "escalation", "referral_reminder", "referral_escalation"), "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case.id"))
    kind: Mapped[str] = mapped_column(String(24))
    due: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CaseCounter(Base):
    """The last case number given per organization, channel and fiscal year.

    Incremented with an UPDATE in the filing transaction: the row lock serializes concurrent
    filings and a rolled-back filing takes its number back with it, so numbers have no gaps.
    """

    __tablename__ = "case_counter"

    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(12), primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class SpentFormToken(Base):
    """A public form that has been filed, so a replay of it is refused even with an old cookie.

    The digest is an HMAC of the form's one-time token under a server key; it is linked to no
    case, and is deleted once the form's CSRF token has expired and a replay fails anyway.
    """

    __tablename__ = "spent_form_token"

    digest: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class FormDraft(Base):
    """A refused public form's words, between its POST and the GET that shows them again.

    The row holds only ciphertext under a key that lives in the browser's cookie, never here;
    the GET deletes it, and the purge job deletes one that was never fetched. Its expiry gives
    a day, not a moment.
    """

    __tablename__ = "form_draft"

    digest: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class Attachment(Base):
    """An encrypted file in the blob store; its name is sealed, its bytes streamed through AES-GCM."""

    __tablename__ = "attachment"
    __table_args__ = (one_of("uploaded_by", ACTOR_KINDS, "uploaded_by"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case.id"), index=True)
    message_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("message.id"))
    name_ct: Mapped[bytes] = mapped_column(LargeBinary)
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[str] = mapped_column(String(12), default="complainant")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship(back_populates="attachments")


class Message(Base):
    """A written notice to the complainant, a question, or the complainant's reply (sealed body)."""

    __tablename__ = "message"
    __table_args__ = (
        one_of("kind", MESSAGE_KINDS, "kind"),
        one_of("author_kind", ACTOR_KINDS, "author_kind"),
        Index("ix_message_case", "case_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case.id"))
    kind: Mapped[str] = mapped_column(String(16))
    author_kind: Mapped[str] = mapped_column(String(12))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    body_ct: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
