"""What the tracking page shows a complainant who holds a tracking code, and the complainant's
answer to a question (DESIGN.md §6). No Flask: the page, and later an API, call these.

The view holds only what the complainant may see: the state, the case number, the dates that bind
the organization and the written notices sent to them (with their own answers). Internal notes,
staff names, units, other people and attachments are never read here.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.models import Case, CaseEvent, Message
from complaints.store import vault_of
from complaints.workflow import machine, states
from complaints.workflow.history import COMPLAINANT
from complaints.workflow.intake_rules import blank, keeps_time_of_day, received_stamp

ANSWER_MAX = 10_000  # as a filing's details (forms.DESCRIPTION_MAX)


class AnswerRefused(Exception):
    """The answer cannot be taken: no question is waiting, or the text says nothing."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "no_question", "blank" or "too_long"


@dataclass(frozen=True)
class Entry:
    """One line of the case's timeline: a notice sent to the complainant, or their answer.

    ``text`` is what the officer wrote (None when the notice carries no free text); ``due`` is the
    first notice's due date on the receipt line; ``code`` is the forwarding agency or the reason
    a case was not accepted, for the page to put into words.
    """

    at: datetime
    kind: str
    text: str | None = None
    due: date | None = None
    code: str | None = None


@dataclass(frozen=True)
class CaseView:
    """Everything the tracking page shows about one case."""

    number: str
    channel: str
    state: str
    received_at: datetime
    time_kept: bool  # False for a corruption report: its timeline keeps days only
    received_time_kept: bool  # False as well for a letter keyed in on a later day: its day only is known
    first_notice_due: date
    next_notice_due: date | None
    notice_sent: bool  # whether the organization has sent any notice yet: the next one due is then not the first
    closed: bool
    awaiting_answer: bool
    entries: tuple[Entry, ...]
    # The question waiting for an answer (the latest asked), for the page to quote by the answer
    # box: on a phone the timeline, where it also stands, comes only after the box.
    question: str | None = None


def _forward_agency(session: Session, case: Case) -> str | None:
    detail = session.scalar(select(CaseEvent.detail).where(CaseEvent.case_id == case.id,
                                                          CaseEvent.action == "forward")
                            .order_by(CaseEvent.seq.desc()).limit(1))
    return json.loads(detail).get("agency") if detail else None


def case_view(session: Session, case: Case) -> CaseView:
    """The complainant's view of ``case``: the state, the binding dates and the timeline."""
    vault = vault_of(session)
    messages = session.scalars(select(Message).where(Message.case_id == case.id)
                               .order_by(Message.created_at, Message.id)).all()
    entries = []
    time_kept = received_time_kept = keeps_time_of_day(case.channel)
    for message in messages:
        body = json.loads(vault.open_text(case, "message", message.id, message.body_ct))
        if message.kind == "receipt":
            entries.append(Entry(message.created_at, "receipt", due=date.fromisoformat(body["due"])))
            # A letter keyed in on a later day was received on its day only (its midnight), and
            # the receipt was written when it was keyed: the day is all there is to show.
            received_time_kept = time_kept and message.created_at == case.received_at
            continue
        code = None
        if message.kind == "forwarded":
            code = _forward_agency(session, case)
        elif message.kind == "not_accepted" and case.outcome in states.NOT_ACCEPTED_REASONS:
            code = case.outcome
        text = body.get("text") or None
        entries.append(Entry(message.created_at, message.kind, text=text, code=code))
    # Newest first: a complainant coming back wants the latest news at the top.
    entries.sort(key=lambda e: e.at, reverse=True)
    awaiting = case.state == "needs_info"
    question = next((e.text for e in entries if e.kind == "question"), None) if awaiting else None
    return CaseView(
        number=case.case_number, channel=case.channel, state=case.state, received_at=case.received_at,
        time_kept=time_kept, received_time_kept=received_time_kept, first_notice_due=case.first_notice_due,
        next_notice_due=case.next_notice_due if case.state != "closed" else None,
        notice_sent=case.last_notice_at is not None,
        closed=case.state == "closed", awaiting_answer=awaiting, entries=tuple(entries), question=question,
    )


def answer_stamp(session: Session, case: Case, now: datetime) -> datetime:
    """When an answer is recorded: ``now`` for a general case; for a corruption report, its
    Bangkok day only, as its filing was, moved just past the case's last event so the timeline
    keeps its order without telling the minute the reporter wrote."""
    if keeps_time_of_day(case.channel):
        return now
    last = session.scalar(select(CaseEvent.at).where(CaseEvent.case_id == case.id)
                          .order_by(CaseEvent.seq.desc()).limit(1))
    stamp = received_stamp(case.channel, now)
    return last + timedelta(microseconds=1) if last is not None and last >= stamp else stamp


def answer(session: Session, case: Case, text: str, now: datetime) -> None:
    """Record the complainant's answer to the officer's question; the case goes back to where it
    was before the question. Raises ``AnswerRefused``; nothing is written then."""
    if case.state != "needs_info":
        raise AnswerRefused("no_question")
    if blank(text):
        raise AnswerRefused("blank")
    if len(text) > ANSWER_MAX:
        raise AnswerRefused("too_long")
    machine.apply(session, case, "answer", COMPLAINANT, answer_stamp(session, case, now), message=text)
