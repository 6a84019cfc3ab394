"""The per-case event chain: every change writes a CaseEvent in the same transaction.

Each event stores an HMAC over its own fields and the previous event's hash; the case row keeps
the head and the count. Editing, deleting or reordering any event breaks the chain, and because
the HMAC key lives outside the database, someone who can only write SQL cannot re-forge it.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import groupby
from typing import Any, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.models import Case, CaseEvent

GENESIS = bytes(32)


@dataclass(frozen=True)
class Actor:
    """Who acts: the system, a staff member (with id and roles) or the complainant (never identified)."""

    kind: str
    staff_id: int | None = None
    roles: frozenset[str] = frozenset()


SYSTEM = Actor("system")
COMPLAINANT = Actor("complainant")


def _utc_text(at: datetime) -> str:
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(key: bytes, case_id: uuid.UUID, ev: CaseEvent, prev: bytes) -> bytes:
    """HMAC-SHA256 over the event's canonical fields and the previous link."""
    fields = [
        str(case_id), ev.seq, _utc_text(ev.at), ev.actor_kind, ev.actor_id, ev.action,
        ev.from_state, ev.to_state, ev.detail, ev.note_ct.hex() if ev.note_ct else None,
    ]
    canonical = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()
    return hmac.new(key, prev + canonical, hashlib.sha256).digest()


def chain_event(
    case: Case,
    *,
    audit_key: bytes,
    action: str,
    actor: Actor,
    now: datetime,
    from_state: str | None = None,
    to_state: str | None = None,
    detail: Mapping[str, Any] | None = None,
    note_ct: bytes | None = None,
) -> CaseEvent:
    """Make the case's next event and link it: the case's head and count move to it.

    The caller writes the event in the same transaction as the change it records.
    """
    prev = case.audit_head or GENESIS
    ev = CaseEvent(
        case_id=case.id,
        seq=case.event_count + 1,
        at=now,
        actor_kind=actor.kind,
        actor_id=actor.staff_id,
        action=action,
        from_state=from_state,
        to_state=to_state,
        detail=json.dumps(dict(detail or {}), ensure_ascii=False, sort_keys=True),
        note_ct=note_ct,
        prev_hash=prev,
    )
    ev.hash = event_hash(audit_key, case.id, ev, prev)
    case.event_count, case.audit_head = ev.seq, ev.hash
    return ev


def record_event(session: Session, case: Case, **fields: Any) -> CaseEvent:
    """Append an event to the case's chain and add it to the session; the caller commits it with
    the change it records. ``fields`` are ``chain_event``'s."""
    ev = chain_event(case, **fields)
    session.add(ev)
    return ev


def _check_chain(
    key: bytes, case_id: uuid.UUID, events: list[CaseEvent], count: int, head: bytes | None
) -> list[str]:
    prev = GENESIS
    for expected_seq, ev in enumerate(events, start=1):
        if ev.seq != expected_seq:
            return [f"event {expected_seq} missing (next found is {ev.seq})"]
        if ev.prev_hash != prev or not hmac.compare_digest(ev.hash, event_hash(key, case_id, ev, prev)):
            return [f"event {ev.seq} ({ev.action}) was altered"]
        prev = ev.hash
    if len(events) != count or (events and head != prev):
        return [f"chain has {len(events)} events, the case records {count}"]
    return []


def verify_case(session: Session, case: Case, audit_key: bytes) -> list[str]:
    """Problems found in one case's chain; an empty list means intact."""
    events = list(
        session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq)
            # Read the rows as stored now, not objects this session already holds.
            .execution_options(populate_existing=True)
        )
    )
    return _check_chain(audit_key, case.id, events, case.event_count, case.audit_head)


def verify_all(session: Session, audit_key: bytes, batch: int = 5000) -> dict[uuid.UUID, list[str]]:
    """Problems per broken case, in two ordered streams (cases, events) merged: no query per case."""
    heads = {
        row.id: (row.event_count, row.audit_head)
        for row in session.execute(select(Case.id, Case.event_count, Case.audit_head))
    }
    events = session.scalars(
        select(CaseEvent)
        .order_by(CaseEvent.case_id, CaseEvent.seq)
        .execution_options(yield_per=batch, populate_existing=True)
    )
    broken: dict[uuid.UUID, list[str]] = {}
    for case_id, group in groupby(events, key=lambda ev: ev.case_id):
        count, head = heads.pop(case_id, (0, None))
        problems = _check_chain(audit_key, case_id, list(group), count, head)
        if problems:
            broken[case_id] = problems
    for case_id, (count, _head) in heads.items():  # cases whose events are all gone
        if count:
            broken[case_id] = [f"all {count} events are missing"]
    return broken
