"""Filing: the one function through which every complaint enters the system.

The public forms, staff keying of walk-in, phone, letter and PO-box complaints, the API and
``complaints demo`` all call ``file_complaint``. It validates, numbers, encrypts and records the
case in the caller's transaction and returns the tracking code once; the code is never stored.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO, Mapping, Protocol, Sequence, Sized, cast

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from complaints import codes, thaidate
from complaints.db import insert_new
from complaints.models import Attachment, Case, Message, SpentFormToken
from complaints.store import vault_of
from complaints.vocab import CHANNELS, KINDS_BY_CHANNEL, SOURCES
from complaints.workflow.deadlines import ClockSettings, WorkCalendar, calendar_for, notice_deadline
from complaints.workflow.history import COMPLAINANT, Actor, chain_event
from complaints.workflow.executives import names_an_executive
from complaints.workflow.intake_rules import (
    CONTACT_FIELDS,
    IntakeError,
    blank,
    is_anonymous,
    received_at,
    received_stamp,
)

MAX_ATTACHMENTS = 5  # the default; the web passes its configured MAX_ATTACHMENTS


class CategoryRef(Protocol):
    """A category as filing reads it: the ORM ``Category`` or a snapshot of it."""

    @property
    def id(self) -> int: ...  # noqa: D102 - a protocol member

    @property
    def org_id(self) -> int: ...  # noqa: D102

    @property
    def channel(self) -> str: ...  # noqa: D102


class FilingOrg(ClockSettings, Protocol):
    """An organization as filing reads it: its time frames, and the names of its political office
    holders, present and former (the ORM ``Organization`` or a snapshot of it)."""

    @property
    def office_holder_names(self) -> tuple[str, ...]: ...  # noqa: D102 - a protocol member


class DuplicateFiling(Exception):
    """The form this filing came from was filed already: a replayed request, or a second click
    whose request raced the first. Nothing of the second filing is kept."""


@dataclass(frozen=True)
class FormToken:
    """A public form's one-time token as it is stored once spent: a keyed digest, kept until a
    replay of the form would be refused anyway (its CSRF token has expired)."""

    digest: bytes
    keep_until: datetime


@dataclass(frozen=True)
class IncomingFile:
    """An uploaded file already checked by the caller (type, size, metadata stripped)."""

    filename: str
    content_type: str
    stream: BinaryIO


@dataclass(frozen=True)
class Referral:
    """A case referred in by another agency (NACC, PACC, 1111, ศูนย์ดำรงธรรม) with its own deadline."""

    agency: str
    reference: str
    due: date


@dataclass(frozen=True)
class Filing:
    """What filing returns: the case, and its tracking code to show once on the receipt."""

    case: Case
    tracking_code: str


def contact_problem(channel: str, identity: Mapping[str, str] | None) -> IntakeError | None:
    """The error of a general complaint giving no way to reach its complainant, or None; a form
    refused for other reasons says this in the same answer (not only once the rest is right)."""
    if channel == "general" and all(blank((identity or {}).get(f)) for f in CONTACT_FIELDS):
        return IntakeError("contact", "กรุณาให้ช่องทางติดต่อกลับอย่างน้อยหนึ่งช่องทาง / give at least one way to reach you")
    return None


def validate_filing(
    org: ClockSettings, channel: str, kind: str, source: str,
    story: Mapping[str, str], identity: Mapping[str, str] | None,
    attachments: Sized, category: CategoryRef | None, referral: Referral | None = None,
    *, max_attachments: int = MAX_ATTACHMENTS,
) -> None:
    """Raise ``IntakeError`` for a filing ``file_complaint`` would refuse; it writes nothing.

    ``file_complaint`` checks the same; a caller with costly work to do first (cleaning the
    uploaded files) calls this before it, so a refused filing costs no file cleaning.
    """
    if channel not in CHANNELS:
        raise IntakeError("channel", f"ช่องทางไม่ถูกต้อง / unknown channel {channel!r}")
    if kind not in KINDS_BY_CHANNEL[channel]:
        raise IntakeError("kind", "ประเภทเรื่องนี้ใช้กับช่องทางนี้ไม่ได้ / this type of matter cannot be filed in this channel")
    if source not in SOURCES:
        raise IntakeError("source", f"แหล่งที่มาไม่ถูกต้อง / unknown source {source!r}")
    if blank(story.get("description")):
        raise IntakeError("description", "กรุณาเล่ารายละเอียดของเรื่อง / a description is required")
    if channel == "general":
        # A complaint under the PMO regulation has a complainant who can be answered.
        if not identity or blank(identity.get("name")):
            raise IntakeError("name", "กรุณากรอกชื่อผู้ร้องเรียน / the complainant's name is required")
    unreachable = contact_problem(channel, identity)
    if unreachable:
        raise unreachable
    if len(attachments) > max_attachments:
        raise IntakeError("attachments", f"แนบไฟล์ได้ไม่เกิน {max_attachments} ไฟล์ / at most {max_attachments} files")
    if source == "referral" and referral is None:
        raise IntakeError("referral", "เรื่องที่ส่งต่อมาต้องระบุหน่วยงานต้นเรื่อง / a referred case needs its referrer")
    if category is not None and (category.org_id != org.id or category.channel != channel):
        raise IntakeError("category", "หมวดเรื่องนี้ไม่ใช่ของช่องทางนี้ / this category does not belong to this channel")


# A Core INSERT on the table, not the ORM entity: the ORM's bulk-insert path costs more than the
# statement. ON CONFLICT DO NOTHING rather than a caught unique violation: PostgreSQL writes every
# failed statement to its own log with the millisecond and the key, and the key's row shares its
# transaction id (xmin) with the case, so a double-clicked report would have left its exact time
# in a log the application does not control.
_SPENT_TABLE = cast(Table, SpentFormToken.__table__)
_SPEND = {
    "postgresql": pg_insert(_SPENT_TABLE).on_conflict_do_nothing().returning(_SPENT_TABLE.c.digest),
    "sqlite": sqlite_insert(_SPENT_TABLE).on_conflict_do_nothing().returning(_SPENT_TABLE.c.digest),
}


def _spend(session: Session, token: FormToken) -> None:
    # The primary key decides: a concurrent filing of the same form waits on it (PostgreSQL's
    # unique index, SQLite's write lock) and inserts nothing once the first one commits.
    connection = session.connection()
    spent = connection.execute(_SPEND[connection.dialect.name],
                               {"digest": token.digest, "expires_at": token.keep_until}).first()
    if spent is None:
        raise DuplicateFiling()


def file_complaint(
    session: Session,
    org: FilingOrg,
    channel: str,
    kind: str,
    source: str,
    story: Mapping[str, str],
    identity: Mapping[str, str] | None,
    attachments: Sequence[IncomingFile],
    now: datetime,
    *,
    category: CategoryRef | None = None,
    names_executive: bool = False,
    actor: Actor = COMPLAINANT,
    referral: Referral | None = None,
    calendar: WorkCalendar | None = None,
    form_token: FormToken | None = None,
    max_attachments: int = MAX_ATTACHMENTS,
    received_on: date | None = None,
) -> Filing:
    """File a complaint, grievance or tip in the caller's transaction and return it with its code.

    ``org`` and ``category`` may be ORM rows or snapshots of them; ``calendar`` is the
    organization's working calendar when the caller already holds it (read here otherwise).
    Raises ``IntakeError`` before anything is written when the input cannot be accepted; any
    later failure rolls back with the caller's transaction, taking attachment files with it.
    A public form passes its ``form_token``: a second filing with the same token raises
    ``DuplicateFiling``, also when it ran concurrently with the first. A corruption report is
    recorded as received on its Bangkok day only (``intake_rules.received_stamp``), and flagged
    when it names the chief executive or a council member (``executives.names_an_executive``). A matter keyed in after
    the day it arrived (a letter, a PO-box item) passes ``received_on``: that day sets the received
    date, the fiscal year and the deadlines; the event and the files keep the moment of keying.
    """
    validate_filing(org, channel, kind, source, story, identity, attachments, category, referral,
                    max_attachments=max_attachments)
    received = received_at(channel, source, now, received_on)
    keyed = received_stamp(channel, now)  # when this system took it in (a corruption report: its day)
    identity = {k: v for k, v in (identity or {}).items() if not blank(v)} or None
    vault = vault_of(session)
    code = codes.new_tracking_code()
    # Worked out on both channels, though only a corruption report is flagged: its time grows
    # with the report's length, and a general filing that skipped it would answer sooner, telling
    # an observer of the network which channel a long report went to.
    names_office_holder = names_an_executive(story, org.office_holder_names)
    case = Case(
        id=uuid.uuid4(), org_id=org.id, channel=channel, kind=kind, source=source,
        state="received", fiscal_year=thaidate.fiscal_year(received),
        tracking_index=codes.tracking_index(vault.keyring.index_key, code),
        category_id=category.id if category else None, received_at=received, anonymous=is_anonymous(identity),
        names_executive=names_executive or (channel == "corruption" and names_office_holder),
        event_count=0,
    )
    vault.seal_new_case(case, story, identity)
    # Encrypt files before the first statement: on SQLite the write lock is taken at the first
    # statement, so a large upload never holds it.
    files = []
    for incoming in attachments:
        att_id = uuid.uuid4()
        files.append(Attachment(
            id=att_id, case_id=case.id, content_type=incoming.content_type,
            size=vault.write_blob(session, case, att_id, incoming.stream, stamped_at=keyed),
            name_ct=vault.seal_text(case, "attachment-name", att_id, incoming.filename),
            uploaded_by=actor.kind, created_at=keyed,
        ))
    deadline = notice_deadline(
        thaidate.local_date(received), org.notice_days,
        working_days=org.working_days,
        calendar=calendar if calendar is not None else calendar_for(session, org.id),
    )
    case.first_notice_due = case.next_notice_due = deadline.due
    case.warn_on = deadline.warn_on
    if referral is not None:  # the referrer's reporting deadline runs as a second clock
        case.referral_agency, case.referral_ref, case.referral_due = referral.agency, referral.reference, referral.due
    if form_token is not None:
        _spend(session, form_token)
    # The counter row is locked from here to commit, so the work before it stays outside the lock.
    case.number = codes.next_case_number(session, org.id, channel, case.fiscal_year)
    receipt_id = uuid.uuid4()
    receipt = Message(
        id=receipt_id, case_id=case.id, kind="receipt", author_kind="system", created_at=keyed,
        body_ct=vault.seal_text(case, "message", receipt_id, json.dumps({"due": deadline.due.isoformat()})),
    )
    # The first event is chained before the case row is written, so the row is inserted with its
    # head and count already set: one INSERT per table and no UPDATE of the new case.
    event = chain_event(
        case, audit_key=vault.keyring.audit_key, action="file", actor=actor, now=keyed,
        to_state="received",
        detail={"source": source, "kind": kind, "attachments": len(attachments),
                **({"received_on": thaidate.local_date(received).isoformat()} if received != keyed else {})},
    )
    # Four rows in a known order: plain INSERTs cost a fraction of a unit-of-work flush.
    insert_new(session, case, *files, receipt, event)
    return Filing(case=case, tracking_code=code)
