"""Written notices to the complainant and what each one does to the 15-day obligation.

A notice is a sealed ``Message`` the tracking page shows. Sending one satisfies the obligation
running now and starts the next one (progress every ``org.progress_days``) until the case closes.
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from complaints import thaidate
from complaints.models import Case, Message
from complaints.store import vault_of
from complaints.workflow.deadlines import calendar_for, notice_deadline
from complaints.workflow.history import Actor

# Notices that tell the complainant how the matter ended here (closing needs one of them).
FINAL_KINDS = frozenset({"result", "not_accepted", "forwarded"})


def write_message(session: Session, case: Case, kind: str, author: Actor, now: datetime, text: str) -> Message:
    """Seal and add a message of ``kind`` (a notice, a question or the complainant's reply)."""
    vault = vault_of(session)
    message_id = uuid.uuid4()
    body = json.dumps({"text": text}, ensure_ascii=False)
    message = Message(
        id=message_id, case_id=case.id, kind=kind, author_kind=author.kind, author_id=author.staff_id,
        created_at=now, body_ct=vault.seal_text(case, "message", message_id, body),
    )
    session.add(message)
    return message


def send_notice(session: Session, case: Case, kind: str, author: Actor, now: datetime, text: str) -> Message:
    """Send a written notice: it satisfies the running obligation and sets the next due date."""
    message = write_message(session, case, kind, author, now, text)
    case.last_notice_at = now
    if kind in FINAL_KINDS:
        case.result_notice_at = now
    org = case.organization
    deadline = notice_deadline(
        thaidate.local_date(now), org.progress_days,
        working_days=org.working_days, calendar=calendar_for(session, org.id),
    )
    case.next_notice_due, case.warn_on = deadline.due, deadline.warn_on
    case.overdue = case.escalated = False
    return message
